"""The bundled examples' paths, and running the ``dpup`` command in this process, for tests."""

import io
from pathlib import Path

from dpup.cli import main

ROOT = Path(__file__).resolve().parents[1]
BEFORE = ROOT / "examples" / "best-foot-forward-before.yaml"
"""The first draft of the example agreement."""
AFTER = ROOT / "examples" / "best-foot-forward.yaml"
"""The example agreement the DPUP way."""


def run(*argv: str) -> tuple[int, str, str]:
    """``dpup ARGV...``: its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def in_order(shown: list[str], printed: list[str]) -> None:
    """Every line shown, but for ``...``, is printed, in the order shown, the lines between two
    ``...`` one after another."""
    at = 0
    for line in shown:
        if line.strip() == "...":
            continue
        at = printed.index(line, at) + 1
    parts = "\n".join(line if line.strip() != "..." else "..." for line in shown).split("...")
    for part in parts:
        assert part.strip("\n") in "\n".join(printed)
