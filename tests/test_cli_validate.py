"""The ``dpup`` command: ``--version``, ``--help``, ``validate``, and its exit codes."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import dpup
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE, load_agreements, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.yaml"))

BAD = """\
dpup: 1
agreement:
  id: demo
  title: Demo
service_users:
  - id: parents
    name: Parents
    nmae: typo
holders:
  - {id: ccss, kind: provider, name: CCSS}
information:
  - {id: record, about: [parents], identifiability: personal}
flows:
  - {id: intake, from: parents, to: agency, carries: [record]}
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_exit_codes_are_distinct() -> None:
    assert len({EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_USAGE}) == 4
    assert (EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_USAGE) == (0, 1, 2, 64)


# -- validate ----------------------------------------------------------------------------------


def test_validate_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run("validate", *EXAMPLES)
    assert code == EXIT_OK
    assert err == ""
    assert out.splitlines() == [
        "examples/best-foot-forward-before.yaml: OK (best-foot-forward-before: 7 flows)",
        "examples/best-foot-forward.yaml: OK (best-foot-forward: 5 flows)",
    ]


def test_validate_prints_every_problem_one_per_line(bad: Path) -> None:
    code, out, err = run("validate", str(bad))
    assert code == EXIT_INVALID
    assert out == ""
    assert err.splitlines() == [
        f"{bad}:8: $.service_users[0].nmae: unknown key 'nmae' in a service-user group (expected one of "
        "the keys id, name, needs_extra_care, maori_data_interest, description, found 'nmae'); "
        "did you mean 'name'?",
        f"{bad}:12: $.information[0].identifiability: 'personal' is not an identifiability dpup knows "
        "(expected one of identifying, de-identified, aggregate, found 'personal')",
        f"{bad}:14: $.flows[0].to: flow 'intake' refers to 'agency', which is not a service-user group or "
        "holder in this agreement (expected a service-user group or holder, found 'agency')",
    ]


def test_validate_goes_on_after_a_bad_file(bad: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run("validate", str(bad), EXAMPLES[0])
    assert code == EXIT_INVALID
    assert out == f"{EXAMPLES[0]}: OK (best-foot-forward-before: 7 flows)\n"
    assert len(err.splitlines()) == 3


@pytest.mark.parametrize("format", ["json", "toml"])
def test_validate_json_and_toml(format: dpup.files.Format, tmp_path: Path) -> None:
    path = tmp_path / f"a.{format}"
    dpup.dump(dpup.examples.load("best-foot-forward"), path)
    code, out, _ = run("validate", str(path))
    assert (code, out) == (EXIT_OK, f"{path}: OK (best-foot-forward: 5 flows)\n")


@pytest.mark.parametrize("name", ["missing.yaml", "missing", "agreemnts/", "notes.txt"])
def test_validate_a_missing_file_or_directory_says_it_does_not_exist(tmp_path: Path, name: str) -> None:
    # Whatever its name: a mistyped directory is not "a file of unknown format".
    missing = f"{tmp_path}/{name}"
    for command in ("validate", "check"):
        code, out, err = run(command, missing)
        assert (code, out) == (EXIT_INVALID, "")
        assert err == f"{missing}: no such file or directory\n"


def test_a_file_that_cannot_be_read_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text(BAD, encoding="utf-8")

    def refuse(file: str, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", file)

    monkeypatch.setattr(dpup.files, "open", refuse, raising=False)  # as chmod 000 does, but for root
    code, _, err = run("validate", str(path))
    assert code == EXIT_INVALID
    assert err == f"{path}: cannot read the file: Permission denied\n"


def test_validate_reports_two_files_with_one_agreement_id(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.json"):
        dpup.dump(dpup.examples.load("best-foot-forward"), tmp_path / name)
    code, out, err = run("validate", str(tmp_path))
    assert code == EXIT_INVALID
    assert out == f"{tmp_path / 'a.yaml'}: OK (best-foot-forward: 5 flows)\n"
    assert err == (
        f"{tmp_path / 'b.json'}:4: $.agreement.id: agreement id 'best-foot-forward' is also the id of "
        f"the agreement in {tmp_path / 'a.yaml'} (expected an agreement id that no other file checked "
        "with it has, found 'best-foot-forward'); files checked together are combined by agreement id, "
        "and a draft and its export or revision hold the same agreement: validate or check them one at a time\n"
    )
    assert [run("validate", str(tmp_path / name))[0] for name in ("a.yaml", "b.json")] == [EXIT_OK, EXIT_OK]


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{bad}", "{bad}"],
        ["validate", "{bad}", "{dir}"],
        ["check", "{bad}", "{bad}", "--format", "json"],
        ["compare", "{bad}", "{bad}"],
        ["diff", "{bad}", "{dir}"],
        ["validate", "{missing}", "{missing}"],
    ],
)
def test_a_file_that_does_not_load_given_twice_has_its_problems_said_once(argv: list[str], bad: Path) -> None:
    # They were printed (and listed in the JSON document) once for each time it was given.
    missing = bad.parent / "missing.yaml"
    argv = [a.format(bad=bad, dir=bad.parent, missing=missing) for a in argv]
    code, out, err = run(*argv)
    assert code == EXIT_INVALID
    lines = err.splitlines()
    assert len(lines) == len(set(lines)) >= 1
    if "json" in argv:
        problems = [p["text"] for p in json.loads(out)["problems"]]
        assert problems == lines


def test_validate_files_with_different_agreement_ids(tmp_path: Path) -> None:
    # The near miss: the same agreement under another id is fine.
    agreement = dpup.examples.load("best-foot-forward")
    dpup.dump(agreement, tmp_path / "a.yaml")
    dpup.dump(attrs.evolve(agreement, id="other"), tmp_path / "b.toml")
    code, out, err = run("validate", str(tmp_path))
    assert (code, err) == (EXIT_OK, "")
    assert out.splitlines()[1] == f"{tmp_path / 'b.toml'}: OK (other: 5 flows)"


def sector(tmp_path: Path) -> Path:
    """A directory of agreements as a register keeps them: nested, with other files about."""
    root = tmp_path / "register"
    (root / "b-region").mkdir(parents=True)
    (root / ".git").mkdir()
    for source, target in [
        ("best-foot-forward", root / "b-region" / "ccss.yaml"),
        ("best-foot-forward-before", root / "a-draft.JSON"),
    ]:
        dpup.dump(dpup.examples.load(source), target)
    (root / "README.md").write_text("not an agreement", encoding="utf-8")
    (root / ".hidden.yaml").write_text("not: [valid", encoding="utf-8")
    (root / ".git" / "config.yaml").write_text("not: [valid", encoding="utf-8")
    return root


def test_validate_a_directory_validates_every_agreement_in_it(tmp_path: Path) -> None:
    root = sector(tmp_path)
    code, out, err = run("validate", str(root))
    assert (code, err) == (EXIT_OK, "")
    assert out.splitlines() == [
        f"{root / 'a-draft.JSON'}: OK (best-foot-forward-before: 7 flows)",
        f"{root / 'b-region' / 'ccss.yaml'}: OK (best-foot-forward: 5 flows)",
    ]


def test_check_a_directory_checks_its_agreements_as_one_graph(tmp_path: Path) -> None:
    root = sector(tmp_path)
    code, out, _ = run("check", "--format", "json", "--fail-on", "never", str(root))
    files = [root / "a-draft.JSON", root / "b-region" / "ccss.yaml"]
    together = dpup.check(dpup.graph(*dpup.load_all(files)))
    assert code == EXIT_OK
    assert len(json.loads(out)["findings"]) == len(together.findings) > 0


def test_validate_a_directory_and_files_together(tmp_path: Path, bad: Path) -> None:
    root = sector(tmp_path)
    code, out, err = run("validate", str(root), str(bad))
    assert code == EXIT_INVALID
    assert len(out.splitlines()) == 2
    assert err.startswith(f"{bad}:")


def test_a_directory_that_cannot_be_read_is_reported_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = sector(tmp_path)
    locked = root / "b-region"
    real_scandir = dpup.files.os.scandir

    def scandir(top: str) -> Any:  # a directory it may not list (the tests may run as root)
        if Path(top) == locked:
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(top)

    monkeypatch.setattr(dpup.files.os, "scandir", scandir)
    code, _, err = run("validate", str(root))
    assert code == EXIT_INVALID
    assert err == f"{locked}: cannot read the directory: Permission denied\n"
    with pytest.raises(PermissionError):
        dpup.load_all([root])


def test_validate_a_directory_with_no_agreement(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"  # a directory, whatever its name says
    folder.mkdir()
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    code, _, err = run("validate", str(folder))
    assert code == EXIT_INVALID
    assert err == (
        f"{folder}: $: the directory holds no agreement file (expected files whose names end in "
        ".yaml, .yml, .json, .toml, found none)\n"
    )


def test_validate_a_file_of_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == EXIT_INVALID
    assert err == (
        f"{path}: $: cannot tell the file's format from its name "
        "(expected a name ending in .yaml, .yml, .json, .toml, found '.txt')\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\xff\xfe binary", "the file is not UTF-8 text"),
        (b"dpup: 1\nagreement: [\n", "not valid YAML"),
        (b"- 1\n- 2\n", "the top level of an agreement file must be a mapping"),
        (b"", "the top level of an agreement file must be a mapping"),
    ],
)
def test_validate_never_shows_a_traceback(content: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    code, _, err = run("validate", str(path))
    assert code == EXIT_INVALID
    assert message in err
    assert "Traceback" not in err


def test_load_agreements_helper(bad: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    err = io.StringIO()
    loaded, ok = load_agreements([EXAMPLES[1], str(bad)], err)
    assert not ok
    assert [(path, a.id) for path, a in loaded] == [(EXAMPLES[1], "best-foot-forward")]
    assert err.getvalue().count("\n") == 3
    loaded, ok = load_agreements(EXAMPLES, io.StringIO())
    assert ok
    assert len(loaded) == 2


# -- usage -------------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out == f"dpup {dpup.__version__}\n"


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    text = " ".join(capsys.readouterr().out.split())
    assert "validate" in text
    # Every exit status, as docs/cli.md's table has them.
    for status in (
        "0 ok",
        "1 findings",
        "2 an invalid, missing or unreadable file or directory",
        "64 usage error",
        "74 the output could not be written",
    ):
        assert status in text
    assert "141 output cut off" in text
    assert "two agreements with the same id" in text
    assert main(["validate", "--help"]) == EXIT_OK
    text = " ".join(capsys.readouterr().out.split())
    assert "FILE" in text
    assert "a directory stands for every agreement file in it" in text
    assert main(["check", "--help"]) == EXIT_OK
    text = " ".join(capsys.readouterr().out.split())
    assert "every agreement file in a directory and its subdirectories" in text
    assert (
        "a directory cannot be read or holds no agreement file, two files hold agreements with the same id, "
        "or two agreements disagree about what an id is" in text
    )


def test_every_exit_status_in_the_docs_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    table = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split("## Exit status", 1)[1]
    documented = [int(m) for m in re.findall(r"^\| `(\d+)` \|", table, re.MULTILINE)]
    assert documented == [0, 1, 2, 64, 74, 141]
    main(["--help"])
    epilog = " ".join(capsys.readouterr().out.split()).split("Exit codes:", 1)[1].strip()
    assert [int(m) for m in re.findall(r"(?:^|, )(\d+) ", epilog)] == documented


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["valdate", "x.yaml"], "invalid choice: 'valdate'"),
        (["validate"], "the following arguments are required: FILE"),
        (["validate", "--strict", "x.yaml"], "unrecognized arguments: --strict"),
        (["validate", "x.yaml", "--verbose"], "unrecognized arguments: --verbose"),
    ],
)
def test_usage_errors_exit_64(argv: list[str], message: str) -> None:
    code, out, err = run(*argv)
    assert code == EXIT_USAGE
    assert out == ""
    assert err.startswith("usage: dpup")
    assert message in err


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        (["validate", "--strict", "x.yaml"], "--strict"),
        (["check", "x.yaml", "--diagram"], "--diagram"),
        (["compare", "a.yaml", "b.yaml", "c.yaml"], "c.yaml"),
        (["schema", "check", "extra"], "extra"),
        (["notice", "parents", "a.yaml", "b.yaml"], "b.yaml"),
    ],
)
def test_an_unknown_argument_is_named_with_the_usage_of_its_command(argv: list[str], extra: str) -> None:
    # It was dpup's own usage ("usage: dpup [-h] [--version] COMMAND ..."), which lists no option.
    code, out, err = run(*argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(f"usage: dpup {argv[0]} ")
    assert err.endswith(f"dpup {argv[0]}: error: unrecognized arguments: {extra}\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "-"],
        ["check", EXAMPLES[0], "-"],
        ["compare", "-", EXAMPLES[0]],
        ["diff", EXAMPLES[0], "-"],
        ["diagram", "-"],
        ["holders", "parents", "-"],
        ["notice", "parents", "-"],
    ],
)
def test_a_dash_for_standard_input_is_a_usage_error_saying_so(argv: list[str]) -> None:
    # It was "-: no such file or directory" (exit 2), as if dpup had looked for a file named -.
    code, out, err = run(*argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(f"usage: dpup {argv[0]} ")
    assert "'-' (standard input): dpup reads agreements from files only, their names ending" in err


# -- check (until it has tests of its own) -----------------------------------------------------


def test_check_exit_codes(bad: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    before, after = "examples/best-foot-forward-before.yaml", "examples/best-foot-forward.yaml"
    assert run("check", before)[0] == EXIT_FINDINGS
    assert run("check", before, "--fail-on", "never")[0] == EXIT_OK
    assert run("check", after)[0] == EXIT_OK
    assert run("check", after, "--fail-on", "info")[0] == EXIT_FINDINGS
    assert run("check", before, str(bad))[0] == EXIT_INVALID
    assert run("check", before, "--fail-on", "sometimes")[0] == EXIT_USAGE


def test_check_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("check", "--format", "json", "examples/best-foot-forward-before.yaml")
    assert code == EXIT_FINDINGS
    report = json.loads(out)
    assert report["findings"]
    assert {f["family"] for f in report["findings"]} == {
        "purpose-mismatch",
        "missing-explanation",
        "untraceable-holder",
        "sharing-value",
    }


# -- the real command ----------------------------------------------------------------------------


def test_the_installed_command_validates_the_examples() -> None:
    command = Path(sys.executable).parent / "dpup"
    if not command.exists():
        pytest.skip("the dpup console script is not installed beside this Python")
    result = subprocess.run(
        [str(command), "validate", *EXAMPLES], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": OK (") == 2
    assert result.stderr == ""


def test_python_dash_m_dpup() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dpup", "validate", "no-such-file.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == EXIT_INVALID
    assert result.stderr == "no-such-file.yaml: no such file or directory\n"


# -- odd files and names ---------------------------------------------------------------------------


def run_process(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dpup", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_a_file_name_that_is_not_utf8_is_printed_not_a_traceback(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path / "names")
    os.mkdir(folder)
    latin1 = os.path.join(folder, b"caf\xe9.yaml")  # named in Latin-1, as an old system names it
    with open(latin1, "wb") as f:
        f.write(dpup.examples.path("best-foot-forward").read_bytes())
    with open(os.path.join(folder, b"plain.yaml"), "wb") as f:
        f.write(dpup.examples.path("best-foot-forward-before").read_bytes())
    strict = {"PYTHONIOENCODING": "utf-8:strict"}  # as under LANG=en_US.UTF-8
    names = tmp_path / "names"
    result = run_process("validate", os.fsdecode(folder), env=strict)
    assert (result.returncode, result.stderr) == (EXIT_OK, "")
    assert result.stdout.splitlines() == [
        f"{names}/caf\\udce9.yaml: OK (best-foot-forward: 5 flows)",
        f"{names}/plain.yaml: OK (best-foot-forward-before: 7 flows)",
    ]
    result = run_process("check", "--fail-on", "never", os.fsdecode(latin1), env=strict)
    assert (result.returncode, result.stderr) == (EXIT_OK, "")
    assert f"{names}/caf\\udce9.yaml" in result.stdout.splitlines()[0]
    result = run_process("validate", os.fsdecode(latin1), os.fsdecode(latin1), env=strict)
    assert result.returncode == EXIT_INVALID
    assert result.stderr.startswith(f"{names}/caf\\udce9.yaml:6: $.agreement.id: ")


@pytest.mark.parametrize("encoding", ["ascii:surrogateescape", "latin-1:surrogateescape"])
def test_a_stream_that_cannot_encode_the_text_under_the_c_locale_gets_escapes_not_a_traceback(
    encoding: str,
) -> None:
    # Python's standard streams under the C or POSIX locale (with PYTHONUTF8=0) write ASCII
    # with errors="surrogateescape", which fails on any other character, such as the macron
    # of the Principles' Tāngata: a traceback.
    for argv in (["checks", "PM004"], ["check", *EXAMPLES]):
        result = run_process(*argv, env={"PYTHONIOENCODING": encoding})
        assert "Traceback" not in result.stderr
        assert result.returncode in (EXIT_OK, EXIT_FINDINGS)
    assert "T\\u0101ngata" in run_process("checks", "PM004", env={"PYTHONIOENCODING": encoding}).stdout


def test_a_file_name_with_control_characters_is_printed_with_visible_escapes(tmp_path: Path) -> None:
    # On standard output it was escaped, on standard error (where problems go) it was not: a
    # name could clear the terminal or rewrite the lines of a CI log.
    path = tmp_path / "x\x1b[2J\x1b]0;owned\x07.yaml"
    path.write_text("", encoding="utf-8")
    code, out, err = run("validate", str(path))
    assert (code, out) == (EXIT_INVALID, "")
    assert err.startswith(f"{tmp_path}/x\\u001b[2J\\u001b]0;owned\\u0007.yaml: $: ")
    assert not any(c in err for c in "\x1b\x07")


def test_a_named_pipe_in_a_directory_is_left_out_not_waited_on(tmp_path: Path) -> None:
    dpup.dump(dpup.examples.load("best-foot-forward"), tmp_path / "a.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run_process("validate", str(tmp_path))
    assert (result.returncode, result.stderr) == (EXIT_OK, "")
    assert result.stdout == f"{tmp_path / 'a.yaml'}: OK (best-foot-forward: 5 flows)\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.yaml", "dpup: 1\nagreement: {id: d, title: " + "1" * 4301 + "}\n", "a number of 4301 digits"),
        (
            "big.json",
            '{"dpup": 1, "agreement": {"id": "d", "title": ' + "1" * 4301 + "}}",
            "a number of 4301 digits",
        ),
        (
            "big.toml",
            'dpup = 1\n[agreement]\nid = "d"\ntitle = ' + "1" * 4301 + "\n",
            "a number of 4301 digits",
        ),
        ("half.json", '{"dpup": 1, "agreement": {"id": "d", "title": "a \\ud83d"}}', "lone surrogate"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "check"])
def test_numbers_and_text_python_cannot_hold_are_problems_exit_2(
    tmp_path: Path, command: str, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    options = ["--fail-on", "never"] if command == "check" else []
    code, out, err = run(command, *options, str(path))
    assert code == EXIT_INVALID
    assert message in err
    assert err.startswith(f"{path}:")
    assert out == ""


def test_a_file_with_more_than_a_hundred_problems_says_how_many_more(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    keys = "".join(f"  extra{i}: x\n" for i in range(250))
    path.write_text(f"dpup: 1\nagreement:\n  id: d\n  title: T\n{keys}", encoding="utf-8")
    code, _, err = run("validate", str(path))
    lines = err.splitlines()
    assert code == EXIT_INVALID
    assert len(lines) == 101
    assert lines[-1] == f"{path}: and 150 more problems, not listed (only the first 100 of a file are)"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_named_as_a_file_is_refused_and_one_in_a_directory_left_out(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    code, out, err = run("validate", str(link))
    assert code == EXIT_INVALID
    assert "the file is a device, which reads without end or waits, not a file" in err
    (tmp_path / "bff.yaml").write_text(dpup.examples.path("best-foot-forward").read_text(encoding="utf-8"))
    code, out, err = run("validate", str(tmp_path))
    assert (code, err) == (EXIT_OK, "")
    assert "zero.yaml" not in out
    assert "bff.yaml" in out


@pytest.mark.parametrize(
    ("argv", "unknown", "hint"),
    [
        (["check", "x.yaml", "--fo", "json"], "--fo json", "(did you mean --format?)"),
        (["check", "x.yaml", "--fail", "error"], "--fail error", "(did you mean --fail-on?)"),
        (["check", "x.yaml", "--sel=PM"], "--sel=PM", "(did you mean --select?)"),
        (["check", "x.yaml", "--fial-on", "error"], "--fial-on error", "(did you mean --fail-on?)"),
        (["diagram", "x.yaml", "--no"], "--no", "(did you mean --no-findings?)"),
    ],
)
def test_options_are_never_abbreviated_and_a_near_miss_is_suggested(
    argv: list[str], unknown: str, hint: str
) -> None:
    # argparse would take --fo for --format: a script's abbreviation would change meaning, or
    # stop working, the day another option began with it.
    code, out, err = run(*argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.endswith(f"dpup {argv[0]}: error: unrecognized arguments: {unknown} {hint}\n")


def test_agreements_that_disagree_about_an_id_are_invalid_together(tmp_path: Path) -> None:
    # dpup check refuses them (exit 2); validate, which a CI job may run first, said both OK.
    dpup.dump(dpup.load(dpup.examples.path("best-foot-forward")), tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text(
        "dpup: 1\n"
        "agreement:\n"
        "  id: trust-deal\n"
        "  title: A trust's agreement\n"
        "  parties: [parents, agency]\n"
        "holders:\n"
        "  - {id: agency, kind: agency, name: The agency}\n"
        "  - {id: parents, kind: provider, name: Parents Trust}\n",
        encoding="utf-8",
    )
    a, b = str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    code, out, err = run("validate", a, b)
    assert code == EXIT_INVALID
    assert out == f"{a}: OK (best-foot-forward: 5 flows)\n"
    assert err.startswith(f"{b}:8: $.holders[1]: 'parents' is a service-user group in agreement ")
    assert err.endswith(
        f"(agreement 'best-foot-forward' is in {a}) (expected a service-user group, as in agreement "
        "'best-foot-forward', or an id of its own, found a provider)\n"
    )
    assert run("check", a, b)[0] == EXIT_INVALID
    # near miss: each on its own is valid
    assert [run("validate", f)[0] for f in (a, b)] == [EXIT_OK, EXIT_OK]
    code, out, err = run("validate", a, b, "--format", "json")
    document = json.loads(out)
    assert [x["file"] for x in document["agreements"]] == [a]
    assert [(p["file"], p["line"], p["path"]) for p in document["problems"]] == [(b, 8, "$.holders[1]")]
