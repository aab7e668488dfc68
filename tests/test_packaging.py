"""The project's metadata: the lowest versions CI tests are the lower bounds pyproject.toml gives."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_ci_tests_every_lower_bound_of_the_core_and_dev_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds: dict[str, str] = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        found = re.search(r">=\s*([0-9][^,; ]*)", requirement)
        if found and _name(requirement) not in ("ruff", "mypy"):  # tools, not run by the tests
            bounds[_name(requirement)] = found.group(1)
    pins: dict[str, str] = {}
    for line in (ROOT / ".ci" / "floors.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_name(name)] = version.strip()
    assert bounds.keys() == pins.keys()
    for name, bound in bounds.items():
        assert pins[name].split(".")[: len(bound.split("."))] == bound.split("."), name
    assert {"attrs", "cattrs", "networkx", "pyyaml", "tomli-w"} <= pins.keys()
