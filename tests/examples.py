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
