"""Cut the part of Noyo's Fulfillment OpenAPI that SupportDesk uses out of the published copy.

    python scripts/vendor_noyo_spec.py ../shared/reference/noyo/noyo-fulfillment-openapi.json

writes noyo_sync/contract/group_connections.openapi.json: the three group-connection paths we
call (list, create, get, retry) with every component they reference, nothing else. The suite
validates the client's requests and the sandbox's responses against it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PATHS = ("/api/v1/group_connections", "/api/v1/group_connections/{connection_id}",
         "/api/v1/group_connections/{connection_id}/retry")
OUT = Path(__file__).resolve().parents[1] / "noyo_sync" / "contract" / "group_connections.openapi.json"


def refs(node: object) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            found.add(node["$ref"])
        for value in node.values():
            found |= refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= refs(value)
    return found


def main(source: str) -> None:
    spec = json.loads(Path(source).read_text())
    paths = {path: spec["paths"][path] for path in PATHS}
    components: dict[str, dict[str, object]] = {}
    todo, done = refs(paths), set()
    while todo:
        ref = todo.pop()
        done.add(ref)
        _, _, kind, name = ref.split("/", 3)
        node = spec["components"][kind][name]
        components.setdefault(kind, {})[name] = node
        todo |= refs(node) - done
    cut = {
        "openapi": spec["openapi"],
        "info": {**spec["info"], "x-vendored-from": (
            "Noyo's Fulfillment API as published (docs.noyo.com), copied in the public repository "
            "api-evangelist/noyo at commit dff2e59, openapi/_original/noyo-fulfillment-openapi.json; "
            "cut to the group-connection operations SupportDesk calls by scripts/vendor_noyo_spec.py.")},
        "servers": spec["servers"],
        "paths": paths,
        "components": {kind: dict(sorted(nodes.items())) for kind, nodes in sorted(components.items())},
    }
    OUT.write_text(json.dumps(cut, indent=1, sort_keys=False) + "\n")
    print(f"{OUT}: {len(paths)} paths, {sum(map(len, components.values()))} components")


if __name__ == "__main__":
    main(sys.argv[1])
