"""The core knows no domain app, and a domain app knows another only through its declared
interface: apps register what the core shows (links, dashboard panels, audit actions, demo
data, subject facts, flows) in their AppConfig.ready(). Only the project layer, settings and
the root URLconf, names the apps."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
CORE = "supportdesk"
DOMAIN_APPS = ("ec_access", "agent_rsos", "husky_reports", "noyo_sync", "finder")
# The project layer: the one place that names every app.
PROJECT_LAYER = {REPO / CORE / "settings.py", REPO / CORE / "urls.py"}

# (importing app, module it may import) → why. Nothing else crosses between domain apps.
INTERFACES: dict[tuple[str, str], str] = {
    ("noyo_sync", "ec_access.interface"):
        "a Noyo connection is made for an EC employer group (its foreign key points there)",
}


def _imports(source: str, module: str) -> Iterator[tuple[int, str]]:
    """Every absolute module name ``source`` (the file of ``module``) imports, with its line:
    relative imports resolved, and import_module("...") with a literal name included."""
    package = module.removesuffix(".__init__") if module.endswith(".__init__") else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:  # from ec_access import insights: the module ec_access.insights
                yield node.lineno, f"{name}.{alias.name}"
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value


def _app_of(name: str) -> str:
    return name.split(".", 1)[0]


def _files(app: str) -> Iterator[tuple[Path, str]]:
    for path in sorted((REPO / app).rglob("*.py")):
        if "migrations" in path.parts or path in PROJECT_LAYER:
            continue  # migrations name other apps' models by string, as Django writes them
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        yield path, module


def _crossings(app: str) -> list[str]:
    found = []
    for path, module in _files(app):
        for line, name in _imports(path.read_text(), module):
            other = _app_of(name)
            if other in DOMAIN_APPS and other != app and not _allowed(app, name):
                found.append(f"{path.relative_to(REPO)}:{line} imports {name}")
    return found


def _allowed(app: str, name: str) -> bool:
    return any(app == importer and (name == allowed or name.startswith(allowed + "."))
               for importer, allowed in INTERFACES)


def test_the_core_imports_no_domain_app():
    assert _crossings(CORE) == []


def test_a_domain_app_imports_another_only_through_its_interface():
    for app in DOMAIN_APPS:
        assert _crossings(app) == [], app


def test_every_app_in_the_repository_is_checked():
    """A new app is a domain app unless it is the core: it cannot slip past the checks."""
    ours = {name.split(".")[0] for name in settings.INSTALLED_APPS if (REPO / name.split(".")[0]).is_dir()}
    assert ours == {CORE, *DOMAIN_APPS}


def test_every_declared_interface_is_used_and_exists():
    for (importer, interface), _why in INTERFACES.items():
        assert (REPO / (interface.replace(".", "/") + ".py")).is_file(), interface
        used = {name for path, module in _files(importer)
                for _line, name in _imports(path.read_text(), module)}
        assert any(name == interface or name.startswith(interface + ".") for name in used), interface


def test_the_parser_finds_every_kind_of_import():
    """The checks above can fail: each way of importing a domain app is seen."""
    source = "\n".join([
        "import ec_access.models",
        "from agent_rsos import insights",
        "from noyo_sync.models import GroupConnection",
        "from ..finder import panel",
        "def f():\n    from husky_reports.rules import x",
        "import_module('ec_access.demo')",
    ])
    names = {name for _line, name in _imports(source, "supportdesk.views.dashboard")}
    assert {"ec_access.models", "agent_rsos.insights", "noyo_sync.models", "supportdesk.finder.panel",
            "husky_reports.rules", "ec_access.demo"} <= names
    assert {_app_of(name) for name in names} & set(DOMAIN_APPS) == {
        "ec_access", "agent_rsos", "noyo_sync", "husky_reports"}
    # And on the tree: noyo_sync's import of the EC interface is found, and only it is allowed.
    assert not _allowed("noyo_sync", "ec_access.models")
    assert _allowed("noyo_sync", "ec_access.interface")
    forms = REPO / "noyo_sync" / "forms.py"
    assert any(name == "ec_access.interface" for _l, name in _imports(forms.read_text(), "noyo_sync.forms"))
