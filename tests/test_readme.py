"""The README's commands and code must keep working: run them, so they never rot.

Python blocks run in order in one namespace, from the repository root (as a newcomer would
run them in a fresh clone); a ``text`` block straight after a Python block is its expected
output. The two shell commands a newcomer copies must each be one line, and the dpup part of
the first one (after the install) must succeed.
"""

import contextlib
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def code_blocks(text: str) -> list[tuple[str, str, int]]:
    """Fenced code blocks as ``(language, code, line of the opening fence)``."""
    return [(m["lang"], m["body"], text.count("\n", 0, m.start()) + 1) for m in _FENCE.finditer(text)]


def python_examples(text: str) -> list[tuple[str, str | None, int]]:
    """Python blocks, each with the ``text`` block that follows it (its output), if any."""
    blocks = code_blocks(text)
    out = []
    for i, (lang, code, line) in enumerate(blocks):
        if lang != "python":
            continue
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        expected = (
            after[1] if after is not None and after[0] == "text" and _adjacent(text, line, after) else None
        )
        out.append((code, expected, line))
    return out


def _adjacent(text: str, line: int, after: tuple[str, str, int]) -> bool:
    # Only blank lines between the end of the Python block and the text block's fence.
    lines = text.splitlines()
    end = next(i for i in range(line, len(lines)) if lines[i] == "```")
    return all(not s.strip() for s in lines[end + 1 : after[2] - 1])


def run_examples(path: Path) -> None:
    """Run a Markdown file's Python blocks and compare each one's output where it is shown."""
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for code, expected, line in python_examples(path.read_text(encoding="utf-8")):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"{path.name}:{line}", "exec"), namespace)
        if expected is not None:
            assert out.getvalue() == expected, (
                f"{path.name}:{line}: the output shown is not what the code prints"
            )


def test_readme_python_examples_run_and_print_what_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    examples = python_examples(README.read_text(encoding="utf-8"))
    assert examples, "the README has no Python example"
    assert any(expected is not None for _, expected, _ in examples), "the README shows no example output"
    run_examples(README)


def newcomer_commands() -> list[str]:
    """The shell blocks under the README's "Try it" heading."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Try it", 1)[1].split("\n## ", 1)[0]
    return [body for lang, body, _ in code_blocks(section) if lang in ("sh", "bash", "console")]


def test_readme_has_two_one_line_commands() -> None:
    commands = newcomer_commands()
    assert len(commands) == 2, f"expected the two commands a newcomer copies, found {commands}"
    for command in commands:
        assert command.count("\n") == 1, f"a newcomer's command must be one line: {command!r}"
    run, tests = (c.strip() for c in commands)
    assert run.startswith("python3 -m venv .venv && ")
    assert ".venv/bin/dpup " in run
    assert tests.startswith("python3 -m venv .venv && ")
    assert tests.endswith(".venv/bin/pytest")
    assert "'.[dev]'" in tests


def test_readme_dpup_command_succeeds_on_the_bundled_example() -> None:
    """The README's first command, past its install step, run with this environment's dpup."""
    run = newcomer_commands()[0].strip()
    dpup_part = run.rsplit("&& ", 1)[1]
    argv = shlex.split(dpup_part)
    assert argv[0] == ".venv/bin/dpup"
    for arg in argv[1:]:
        if arg.endswith((".yaml", ".yml", ".json", ".toml")):
            assert (ROOT / arg).is_file(), f"the README's command names {arg}, which is not in the repository"
    # Call the installed `dpup` console script's entry point, as .venv/bin/dpup would.
    launcher = (
        "import sys; from importlib.metadata import entry_points; "
        "(ep,) = entry_points(group='console_scripts', name='dpup'); "
        "sys.argv[0] = 'dpup'; sys.exit(ep.load()())"
    )
    result = subprocess.run(
        [sys.executable, "-c", launcher, *argv[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # `dpup check` on the first draft exits 1 by design: it has findings. Any other status
    # (2 invalid file, 64 usage error, a crash) means the README's command is broken.
    allowed = {0, 1} if argv[1] == "check" else {0}
    assert result.returncode in allowed, (
        f"{dpup_part} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    )
    assert result.stdout.strip() or argv[1] == "validate", f"{dpup_part} printed nothing"
    assert "Traceback" not in result.stderr


def test_python_examples_finds_blocks_and_their_output() -> None:
    text = "Intro\n\n```python\nprint(1)\n```\n\n```text\n1\n```\n\n```python\nx = 2\n```\n\nprose\n\n```text\nnot output\n```\n"
    assert python_examples(text) == [("print(1)\n", "1\n", 3), ("x = 2\n", None, 11)]


def test_run_examples_reports_output_that_differs(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\nprint('actual')\n```\n\n```text\nshown\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"page\.md:1: the output shown is not what the code prints"):
        run_examples(page)
