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


def test_the_examples_at_the_top_are_the_packaged_ones_as_plain_files() -> None:
    """``examples/`` holds copies, not links, so a clone without links (Windows) still runs the
    README's first command; the package's own copies are the ones an installed dpup finds."""
    top = sorted(p.name for p in (ROOT / "examples").iterdir())
    packaged = sorted(p.name for p in (ROOT / "dpup" / "examples").glob("*.yaml"))
    assert top == packaged
    for name in top:
        copy = ROOT / "examples" / name
        assert not copy.is_symlink(), name
        assert copy.read_bytes() == (ROOT / "dpup" / "examples" / name).read_bytes(), (
            f"examples/{name} differs from dpup/examples/{name}: copy the one you changed over the other"
        )
