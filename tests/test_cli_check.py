"""`dpup check`: the report a contract manager reads, and the exit codes a CI job reads."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dpup
from dpup.cli import EXIT_BROKEN_PIPE, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, main
from tests.test_report import FIELDS  # the fields of a finding in JSON

ROOT = Path(__file__).resolve().parents[1]
BEFORE = str(ROOT / "examples" / "best-foot-forward-before.yaml")
AFTER = str(ROOT / "examples" / "best-foot-forward.yaml")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_text_groups_findings_by_family_and_ends_with_a_summary_and_verdict() -> None:
    code, out, err = run("check", BEFORE)
    assert code == EXIT_FINDINGS
    assert err == ""
    lines = out.splitlines()
    headings = [line for line in lines if line and not line.startswith(" ") and "(" in line]
    assert [h.split(" (")[0] for h in headings] == [
        "Purpose mismatches",
        "Missing explanations",
        "Untraceable holders",
        "Sharing value",
    ]
    assert "Purpose Matters" in headings[0]
    assert "Mahitahitanga" in headings[3]
    # Each finding: code, severity and subject, then its message, path (where it has one) and fix.
    assert any(line.split() == ["PM003", "error", "outcomes-report"] for line in lines)
    assert any(
        "path: parents -> ccss -> agency.reporting -> agency.evaluation -> insights-ltd" in x for x in lines
    )
    assert sum(line.strip().startswith("fix:") for line in lines) == len(dpup.check(dpup.load(BEFORE)))
    assert lines[-2] == "42 findings: 24 errors, 18 warnings, 0 info, 0 accepted"
    assert lines[-1] == "fails at --fail-on warning"


def test_the_dpup_way_passes() -> None:
    code, out, _ = run("check", AFTER)
    assert code == EXIT_OK
    assert out.splitlines()[-1] == "passes at --fail-on warning"


def test_json_has_every_field_of_every_finding() -> None:
    code, out, _ = run("check", "--format", "json", "--fail-on", "error", BEFORE)
    assert code == EXIT_FINDINGS
    data = json.loads(out)
    assert len(data["findings"]) == 42
    assert data["counts"]["error"] == 24
    assert all(set(f) == FIELDS for f in data["findings"])


def test_several_files_are_checked_as_one_graph(tmp_path: Path) -> None:
    # The same agreement under another id: its flows join the same holders' nodes.
    other = dpup.load(BEFORE)
    text = dpup.dumps(other).replace("id: best-foot-forward-before", "id: another-contract", 1)
    path = tmp_path / "another.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("check", "--format", "json", BEFORE, str(path))
    assert code == EXIT_FINDINGS
    agreements = {f["agreement"] for f in json.loads(out)["findings"]}
    assert agreements == {"best-foot-forward-before", "another-contract"}


def _copies(tmp_path: Path, *names: str) -> Path:
    """A register holding the first draft once under each name: the same agreement id in each."""
    register = tmp_path / "register"
    register.mkdir()
    for name in names:
        (register / name).write_text(Path(BEFORE).read_text(encoding="utf-8"), encoding="utf-8")
    return register


def test_two_files_with_one_agreement_id_name_both_files_and_exit_2(tmp_path: Path) -> None:
    register = _copies(tmp_path, "a.yaml", "b.yaml")
    code, out, err = run("check", str(register))
    assert code == EXIT_INVALID
    assert out == ""
    assert err == (
        f"{register / 'b.yaml'}:9: $.agreement.id: agreement id 'best-foot-forward-before' is also the "
        f"id of the agreement in {register / 'a.yaml'} (expected an agreement id that no other file "
        "checked with it has, found 'best-foot-forward-before'); files checked together are combined by "
        "agreement id, and a draft and its export or revision hold the same agreement: validate or check "
        "them one at a time\n"
    )


def test_one_file_given_twice_says_so() -> None:
    code, out, err = run("check", BEFORE, BEFORE)
    assert code == EXIT_INVALID
    assert out == ""
    assert f"is also the id of the agreement in {BEFORE}, the same file given twice" in err
    assert err.rstrip("\n").endswith("; give the file once")
    assert err.startswith(f"{BEFORE}:9: $.agreement.id: ")
    assert "Traceback" not in err


def test_the_title_shows_the_arguments_as_given(tmp_path: Path) -> None:
    code, out, _ = run("check", BEFORE)
    assert (code, out.splitlines()[0]) == (EXIT_FINDINGS, BEFORE)
    # A directory: the directory as given, and how many agreements it stood for.
    register = tmp_path / "register"
    register.mkdir()
    for i in range(5):
        other = dpup.dumps(dpup.load(BEFORE)).replace("id: best-foot-forward-before", f"id: contract-{i}", 1)
        (register / f"contract-{i}.yaml").write_text(other, encoding="utf-8")
    code, out, _ = run("check", str(register))
    assert (code, out.splitlines()[0]) == (EXIT_FINDINGS, f"{register} (5 agreements)")
    # A directory with one file in it is still the directory as given.
    one = tmp_path / "one"
    one.mkdir()
    (one / "only.yaml").write_text(Path(AFTER).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("check", str(one))
    assert (code, out.splitlines()[0]) == (EXIT_OK, f"{one} (1 agreement)")
    # Many files (a shell glob): the first three, not every path.
    files = sorted(str(p) for p in register.iterdir())
    code, out, _ = run("check", *files)
    assert out.splitlines()[0] == f"{', '.join(files[:3])}, ... (5 agreements)"
    code, out, _ = run("check", *files[:3])
    assert out.splitlines()[0] == f"{', '.join(files[:3])} (3 agreements)"


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_cut_off_by_the_reader_ends_quietly_with_141() -> None:
    err = io.StringIO()
    code = main(["check", BEFORE], out=_ClosedPipe(), err=err)
    assert code == EXIT_BROKEN_PIPE
    assert err.getvalue() == ""


def test_a_real_pipe_into_head_shows_no_traceback() -> None:
    script = f"import sys; from dpup.cli import main; sys.exit(main(['check', {BEFORE!r}]))"
    result = subprocess.run(
        ["bash", "-c", f'{sys.executable} -c "{script}" | head -n 1'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == BEFORE
    assert "Traceback" not in result.stderr


def test_agreements_that_disagree_about_an_id_name_both_files_and_exit_2(tmp_path: Path) -> None:
    from tests.test_graph import TRUST

    trust = tmp_path / "trust.yaml"
    trust.write_text(TRUST, encoding="utf-8")
    code, out, err = run("check", AFTER, str(trust))
    assert code == EXIT_INVALID
    assert out == ""
    assert err.startswith(f"{trust}: 'parents' is a service-user group in agreement 'best-foot-forward'")
    assert err.endswith(f"(agreement 'best-foot-forward' is in {AFTER})\n")
    # near miss: a holder of its own id combines
    trust.write_text(TRUST.replace("parents", "trustees"), encoding="utf-8")
    assert run("check", AFTER, str(trust))[0] != EXIT_INVALID


def test_json_on_a_stream_that_is_not_utf8_is_still_json(tmp_path: Path) -> None:
    """The stream's own escapes for what it cannot encode (\\xe9) are not JSON: on such a
    stream the report is written with JSON's escapes instead."""
    agreement = tmp_path / "bff.yaml"
    agreement.write_text(
        Path(AFTER).read_text(encoding="utf-8")
        + "\naccepted:\n  - code: ME008\n    subject: programme-findings\n"
        + '    reason: "résumé, not about people 😀"\n    by: Zoë\n',
        encoding="utf-8",
    )
    for encoding in ("ascii", "latin-1", "cp1252", "utf-8"):
        done = subprocess.run(
            [sys.executable, "-m", "dpup", "check", "--format", "json", str(agreement)],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": encoding},
            check=False,
        )
        assert done.returncode == EXIT_OK, done.stderr
        data = json.loads(done.stdout.decode(encoding))
        (f,) = data["findings"]
        assert f["accepted"]["reason"] == "résumé, not about people 😀"
        assert f["accepted"]["by"] == "Zoë"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _longest(out: str) -> int:
    """The longest wrapped line (a finding's message, path or fix; headings are not wrapped)."""
    return max(len(line) for line in out.splitlines() if line.startswith("      "))


@pytest.mark.parametrize("columns", ["160", "72"])
def test_text_is_wrapped_to_a_terminals_width(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out = _Terminal()
    assert main(["check", BEFORE], out=out, err=io.StringIO()) == EXIT_FINDINGS
    assert int(columns) - 20 < _longest(out.getvalue()) <= int(columns)


def test_text_to_a_pipe_or_file_is_wrapped_to_100_whatever_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    _, out, _ = run("check", BEFORE)
    assert 80 < _longest(out) <= 100
    monkeypatch.setenv("COLUMNS", "20")  # a terminal too narrow to read is taken as 60 wide
    narrow = _Terminal()
    main(["check", BEFORE], out=narrow, err=io.StringIO())
    assert 40 < _longest(narrow.getvalue()) <= 60
