"""The bundled examples' paths, running the ``dpup`` command in this process, walking plain
data, and reading a schema's patterns as other languages do, for tests."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import dpup
from dpup.cli import OUTPUT_VERSIONS, main

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


def ascii_run(*argv: str) -> tuple[int, str]:
    """``dpup ARGV...`` writing to a stream that can write only ASCII, as a CI job's might: its
    exit status and what it wrote."""
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace")
    code = main(list(argv), out=ascii_out, err=io.StringIO())
    ascii_out.flush()
    return code, raw.getvalue().decode("ascii")


CLI_KEYS = ("dpup", "problems", "omitted")
"""The keys every JSON document of the command has, beside those of what it reports."""


def payload(text: str, command: str) -> dict[str, Any]:
    """The JSON document a command wrote for files that loaded, less the keys every document
    has (checked here: dpup's version and the command's output version first, and no
    problems)."""
    data: dict[str, Any] = json.loads(text)
    assert next(iter(data)) == "dpup"
    assert data["dpup"] == {
        "version": dpup.__version__,
        "command": command,
        "output": OUTPUT_VERSIONS[command],
    }
    assert (data["problems"], data["omitted"]) == ([], [])
    return {key: value for key, value in data.items() if key not in CLI_KEYS}


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


def places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in plain data (a file's mappings and lists): the whole, each mapping value
    and each list item, by path."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += places(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += places(value, (*path, i))
    return out


def at(data: Any, path: tuple[Any, ...]) -> Any:
    """The value at a path of :func:`places` in plain data."""
    for part in path:
        data = data[part]
    return data


def read_alike(pattern: str, good: list[str], bad: list[str]) -> None:
    """A regular expression of a JSON Schema finds each of ``good`` and none of ``bad``, in
    Python and, where Node.js is installed, as ECMAScript, which editors and the programs of
    other languages read it as (the test is skipped after Python's part where it is not)."""
    for text in good:
        assert re.search(pattern, text), text
    for text in bad:
        assert not re.search(pattern, text), text
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the patterns were checked in Python only")
    script = "const [p, good, bad] = JSON.parse(process.argv[1]); const r = new RegExp(p, 'u');"
    script += "console.log(JSON.stringify([good.map(t => r.test(t)), bad.map(t => r.test(t))]));"
    out = subprocess.run(
        [node, "-e", script, json.dumps([pattern, good, bad])], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [[True] * len(good), [False] * len(bad)]
