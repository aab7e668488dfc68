"""``-o PATH`` (``--output PATH``): every command's output written to a file, in UTF-8, never
over a file the command reads."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dpup.cli import EXIT_CANNOT_WRITE, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from tests.examples import AFTER, BEFORE, run

COMMANDS = [
    ["validate", str(BEFORE)],
    ["check", str(BEFORE)],
    ["check", "--format", "json", str(BEFORE)],
    ["check", "--format", "html", str(BEFORE)],
    ["compare", str(BEFORE), str(AFTER)],
    ["diff", "--format", "markdown", str(BEFORE), str(AFTER)],
    ["diagram", str(AFTER)],
    ["holders", "parents", str(AFTER)],
    ["notice", "--format", "html", "children", str(AFTER)],
    ["schema"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(a for a in argv if "/" not in a))
def test_every_command_writes_to_the_file_what_it_prints(argv: list[str], tmp_path: Path) -> None:
    code, printed, err = run(*argv)
    path = tmp_path / "out"
    path.write_text("something longer than any output, to be replaced " * 10_000, encoding="utf-8")
    assert run(*argv, "-o", str(path)) == (code, "", err)
    assert path.read_bytes() == printed.encode("utf-8")
    assert printed  # near miss: there was something to write


def test_the_file_is_utf8_with_line_feeds_whatever_the_platform(tmp_path: Path) -> None:
    path = tmp_path / "findings.json"
    code, out, _ = run("check", "--format", "json", str(BEFORE), "--output", str(path))
    assert (code, out) == (EXIT_FINDINGS, "")
    data = path.read_bytes()
    assert "Tāngata".encode() in data  # as it is, not a JSON escape
    assert b"\r\n" not in data
    assert json.loads(data.decode("utf-8"))["counts"]["error"] == 24


def test_a_dash_is_standard_output() -> None:
    assert run("check", str(AFTER), "-o", "-") == run("check", str(AFTER))


def test_files_that_do_not_load_still_write_the_document(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("dpup: 1\nagreement: {id: a, title: T}\nflow: []\n", encoding="utf-8")
    path = tmp_path / "out.json"
    code, out, err = run("check", "--format", "json", str(bad), "-o", str(path))
    assert (code, out) == (EXIT_INVALID, "")
    assert "unknown key 'flow'" in err  # problems go to standard error as ever
    assert json.loads(path.read_text(encoding="utf-8"))["problems"][0]["path"] == "$.flow"


def test_nothing_is_written_when_the_command_is_used_wrongly(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    code, out, err = run("holders", "nobody", str(AFTER), "-o", str(path))  # a group it does not have
    assert (code, out) == (EXIT_USAGE, "")
    assert "nobody" in err
    assert not path.exists()
    assert run("check", "--fail-on", "bogus", str(AFTER), "-o", str(path))[0] == EXIT_USAGE
    assert not path.exists()


def test_a_missing_directory_is_made(tmp_path: Path) -> None:
    path = tmp_path / "test-results" / "ci" / "dpup.xml"
    code, out, err = run("check", "--format", "junit", str(AFTER), "-o", str(path))
    assert (code, out, err) == (EXIT_OK, "", "")
    assert path.read_text(encoding="utf-8").startswith("<?xml")


def test_a_file_that_cannot_be_written_is_status_74(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    path = tmp_path / "a-file" / "out.txt"  # its directory is a file
    code, out, err = run("check", str(AFTER), "-o", str(path))
    assert (code, out) == (EXIT_CANNOT_WRITE, "")
    assert err.startswith(f"dpup: cannot write the output to {path}: ")
    assert len(err.splitlines()) == 1
    code, _, err = run("check", str(AFTER), "-o", str(tmp_path))  # a directory
    assert code == EXIT_CANNOT_WRITE
    assert err == f"dpup: cannot write the output to {tmp_path}: Is a directory\n"


def test_a_file_the_command_reads_is_never_written(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_bytes(AFTER.read_bytes())
    for argv in (
        ["check", str(draft)],
        ["compare", str(BEFORE), str(draft)],
        ["notice", "parents", str(draft)],
    ):
        code, out, err = run(*argv, "-o", str(draft))
        assert (code, out) == (EXIT_USAGE, "")
        assert err == (
            f"dpup: --output {draft}: it is {draft}, a file the command reads; write the output somewhere else\n"
        )
    assert draft.read_bytes() == AFTER.read_bytes()
    # the same file by another name
    assert run("check", str(draft), "-o", str(tmp_path / "." / "draft.yaml"))[0] == EXIT_USAGE
    link = tmp_path / "link.yaml"
    link.symlink_to(draft)
    assert run("check", str(draft), "-o", str(link))[0] == EXIT_USAGE
    assert run("check", str(link), "-o", str(draft))[0] == EXIT_USAGE
    assert draft.read_bytes() == AFTER.read_bytes()


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("findings.json", True),
        ("sub/findings.yaml", True),
        ("findings.TOML", True),
        (".findings.json", False),  # hidden: not read
        (".reports/findings.json", False),
        ("findings.txt", False),  # not an agreement file's name
        ("agreement.schema.json", False),  # a JSON Schema: not read as an agreement
    ],
)
def test_a_name_a_directory_given_would_read_as_an_agreement_is_refused(
    name: str, refused: bool, tmp_path: Path
) -> None:
    folder = tmp_path / "agreements"
    (folder / "sub").mkdir(parents=True)
    (folder / ".reports").mkdir()
    (folder / "a.yaml").write_bytes(AFTER.read_bytes())
    path = folder / name
    code, _, err = run("check", "--format", "json", str(folder), "-o", str(path))
    if refused:
        assert code == EXIT_USAGE
        assert "which is read for agreement files, and would be read as one" in err
        assert not path.exists()
    else:
        assert (code, err) == (EXIT_OK, "")
        assert json.loads(path.read_text(encoding="utf-8"))["counts"]["info"] == 1
        assert run("check", str(folder))[0] == EXIT_OK  # and the next run reads only the agreement


def test_a_directory_given_or_written_to_by_a_link_to_it_is_the_same_directory(tmp_path: Path) -> None:
    # The names were compared as written: through a link to the directory the findings were
    # written into it, and the next run read them as an agreement file (exit 2).
    folder = tmp_path / "agreements"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(AFTER.read_bytes())
    link = tmp_path / "link"
    link.symlink_to(folder, target_is_directory=True)
    for given, written in ((folder, link / "findings.json"), (link, folder / "findings.json")):
        code, _, err = run("check", "--format", "json", str(given), "-o", str(written))
        assert code == EXIT_USAGE
        assert "which is read for agreement files, and would be read as one" in err
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml"]
    assert run("check", str(folder))[0] == EXIT_OK


@pytest.mark.skipif(sys.platform == "win32", reason="Windows does not remove a directory in use")
def test_a_relative_output_in_a_current_directory_that_was_removed_is_status_74(tmp_path: Path) -> None:
    # os.path.abspath fails there: a traceback.
    script = f"mkdir gone && cd gone && rmdir ../gone && {sys.executable} -m dpup check {AFTER} -o out.txt"
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "Traceback" not in result.stderr
    assert result.returncode == EXIT_CANNOT_WRITE
    assert result.stderr == "dpup: cannot write the output to out.txt: No such file or directory\n"
