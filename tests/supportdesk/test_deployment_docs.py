"""How SupportDesk is installed and deployed: docker-compose.yml and the README name every variable
production requires; the lock files hold every dependency pyproject.toml names, at a version it
allows; the Dockerfile builds a non-root image from the run lock; compose defines what it uses.
None of these tests needs a database."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def test_it_sets_every_required_variable_in_the_compose_file():
    compose = (ROOT / "docker-compose.yml").read_text()
    keys = set(re.findall(r"^\s{4}([A-Z_]+):", compose, flags=re.MULTILINE))
    required = (*settings.REQUIRED_IN_PRODUCTION, *settings.NOYO_REQUIRED_IN_PRODUCTION)
    missing = [name for name in required if name not in keys]
    assert not missing, f"docker-compose.yml lacks {missing}"
    assert "W008" in compose  # why its SECURE_SSL_REDIRECT=false draws a deploy-check warning


def test_it_documents_every_required_variable_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("## Layout", 1)[0]
    required = (*settings.REQUIRED_IN_PRODUCTION, *settings.NOYO_REQUIRED_IN_PRODUCTION)
    missing = [name for name in required if f"`{name}`" not in table]
    assert not missing, f"README's configuration table lacks {missing}"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _locked(lock: str) -> dict[str, str]:
    """requirements/<lock>: name -> the exact version pinned."""
    text = (ROOT / "requirements" / lock).read_text()
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", text, flags=re.MULTILINE)
    return {canonicalize_name(name): version for name, version in pins}


def _unlocked(requirements: list[str], pins: dict[str, str]) -> list[str]:
    """The requirements the lock lacks, or pins at a version outside the requirement's range."""
    wrong = []
    for line in requirements:
        requirement = Requirement(line)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{line} (locked: {version})")
    return wrong


def test_the_run_lock_pins_every_runtime_dependency_within_its_range():
    project = _pyproject()["project"]
    assert not _unlocked(project["dependencies"], _locked("run.lock")), "run `make lock`"


def test_the_test_lock_pins_the_runtime_and_test_dependencies_at_the_run_locks_versions():
    project = _pyproject()["project"]
    test_pins = _locked("test.lock")
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    assert not _unlocked(wanted, test_pins), "run `make lock`"
    # The suite tests the versions production installs.
    differ = {name: (version, test_pins.get(name)) for name, version in _locked("run.lock").items()
              if test_pins.get(name) != version}
    assert not differ, f"test.lock differs from run.lock: {differ}; run `make lock`"


def test_every_pin_carries_its_hashes():
    for lock in ("run.lock", "test.lock"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / lock).read_text())
        bare = [entry.split()[0] for entry in entries if "==" in entry and "--hash=sha256:" not in entry]
        assert not bare, f"{lock}: no hash for {bare}"


def test_make_and_the_dockerfile_install_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements/$*.lock" in makefile
    assert "install -q --no-deps -e ." in makefile
    for target, lock in (("install", "run"), ("install-test", "test")):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
        assert f"$(VENV)/.installed-{lock}" in recipe, target
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"pip install --require-hashes -r \S*run\.lock", dockerfile)
    assert "-e ." not in dockerfile  # no editable install in the image


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def test_the_image_is_built_in_stages_and_runs_as_a_user_with_a_healthcheck():
    instructions = _dockerfile_instructions()
    keywords = [keyword.upper() for keyword, _ in instructions]
    assert keywords.count("FROM") >= 2, "a builder stage and the image"
    final = len(keywords) - 1 - keywords[::-1].index("FROM")
    final_stage = instructions[final:]
    users = [argument for keyword, argument in final_stage if keyword.upper() == "USER"]
    assert users and users[-1] not in {"root", "0"}, "the image must not run as root"
    assert any(keyword == "COPY" and argument.startswith("--from=") for keyword, argument in final_stage)
    healthchecks = [argument for keyword, argument in final_stage if keyword.upper() == "HEALTHCHECK"]
    assert len(healthchecks) == 1 and "/health/" in healthchecks[0]
    assert any("collectstatic" in argument for keyword, argument in final_stage if keyword == "RUN")
    # The path the HEALTHCHECK asks is the app's health view.
    from django.urls import reverse

    assert reverse("health") == "/health/"


def test_the_image_leaves_out_virtualenvs_and_make_runs_data():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", "tests"} <= ignored


def test_compose_parses_and_defines_every_service_it_names():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on undefined {dependency}"
        for key, value in service.get("environment", {}).items():
            hosts = re.findall(r"(?:smtp|redis|postgres)://(?:[^@/\s]*@)?([a-z][\w-]*)", str(value))
            undefined = [host for host in hosts if host not in services]
            assert not undefined, f"{name}'s {key} names undefined services {undefined}"
    assert {"web", "worker", "beat", "postgres", "redis", "mailhog"} <= set(services)
