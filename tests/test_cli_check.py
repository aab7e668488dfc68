"""`dpup check`: the report a contract manager reads, and the exit codes a CI job reads."""

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import dpup
from dpup.cli import EXIT_BROKEN_PIPE, EXIT_CANNOT_WRITE, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, main
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
    headings = [line for line in lines if line and not line.startswith((" ", "dpup checks")) and "(" in line]
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
    assert lines[-3] == "42 findings: 24 errors, 18 warnings, 0 info, 0 accepted"
    first = dpup.check(dpup.load(BEFORE))[0].code
    assert (
        lines[-2]
        == f"dpup checks {first} (or any code above): why a check matters, and the DPUP text it rests on"
    )
    assert lines[-1] == "fails at --fail-on warning"


def test_a_report_without_findings_points_to_no_check(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "dpup: 1\nagreement: {id: a, title: A, parties: [p]}\nholders:\n  - {id: p, kind: provider, name: P}\n",
        encoding="utf-8",
    )
    code, out, _ = run("check", str(path))
    assert code == EXIT_OK
    assert out.splitlines()[-2:] == [
        "0 findings: 0 errors, 0 warnings, 0 info, 0 accepted",
        "passes at --fail-on warning",
    ]
    # near miss: one info finding, below the threshold, is still one to explain
    assert run("check", str(AFTER))[1].splitlines()[-2] == (
        "dpup checks ME008 (or any code above): why a check matters, and the DPUP text it rests on"
    )


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
        f"{register / 'b.yaml'}:11: $.agreement.id: agreement id 'best-foot-forward-before' is also the "
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
    assert err.startswith(f"{BEFORE}:11: $.agreement.id: ")
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


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    "command", [["check", BEFORE], ["check", "--format", "json", BEFORE], ["validate", BEFORE]]
)
def test_output_that_cannot_be_written_says_so_with_74_not_1(command: list[str]) -> None:
    # It was a traceback, and exit status 1, which says "findings".
    err = io.StringIO()
    assert main(command, out=_FullDisk(), err=err) == EXIT_CANNOT_WRITE
    assert err.getvalue() == "dpup: cannot write the output: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_or_a_closed_stdout_shows_no_traceback() -> None:
    for redirect, status in (("> /dev/full", EXIT_CANNOT_WRITE), (">&-", EXIT_FINDINGS)):
        result = subprocess.run(
            ["bash", "-c", f"{sys.executable} -m dpup check {BEFORE} {redirect}"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Traceback" not in result.stderr
        assert result.returncode == status


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
    # at the line and path of the later file's declaration of the id, as any problem is
    assert err.startswith(
        f"{trust}:8: $.holders[1]: 'parents' is a service-user group in agreement 'best-foot-forward'"
    )
    assert err.endswith(
        f"(agreement 'best-foot-forward' is in {AFTER}) (expected a service-user group, as in agreement "
        "'best-foot-forward', or an id of its own, found a provider)\n"
    )
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
    """The longest wrapped line (a finding's message, path or fix; headings are not wrapped,
    nor is the name of the file a finding is in)."""
    return max(
        len(line)
        for line in out.splitlines()
        if line.startswith("      ") and not line.startswith("      at ")
    )


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


# -- where each finding is -------------------------------------------------------------------


def _id_line(path: Path | str, id: str) -> int:
    """The 1-based line on which ``- id: <id>`` is written in a YAML file."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    (n,) = [i for i, line in enumerate(lines, 1) if line.strip() == f"- id: {id}"]
    return n


def test_text_says_in_which_file_and_on_which_line_each_finding_is() -> None:
    _, out, _ = run("check", BEFORE)
    lines = out.splitlines()
    at = lines.index("  PM004  error    quarterly-report") + 1
    line = _id_line(BEFORE, "quarterly-report")
    assert lines[at] == f"      at {BEFORE}:{line}: $.flows[3]"
    assert Path(BEFORE).read_text(encoding="utf-8").splitlines()[line - 1] == "  - id: quarterly-report"
    # every finding of the draft is located, right under its heading
    heads = [i for i, x in enumerate(lines) if x.startswith("  ") and not x.startswith("   ")]
    assert len(heads) == 42
    assert all(lines[i + 1].startswith(f"      at {BEFORE}:") for i in heads)


def test_json_gives_each_findings_where_file_and_line() -> None:
    _, out, _ = run("check", "--format", "json", BEFORE)
    findings = json.loads(out)["findings"]
    assert all(f["file"] == BEFORE and isinstance(f["line"], int) and f["where"] for f in findings)
    pm004 = next(f for f in findings if (f["code"], f["subject"]) == ("PM004", "quarterly-report"))
    assert (pm004["where"], pm004["line"]) == ("$.flows[3]", _id_line(BEFORE, "quarterly-report"))
    uh001 = next(f for f in findings if (f["code"], f["subject"]) == ("UH001", "agency.evaluation"))
    assert (uh001["where"], uh001["line"]) == ("$.holders[1].teams[0]", _id_line(BEFORE, "agency.evaluation"))
    # the fingerprints are the library's, which leave where, file and line out
    report = dpup.check(dpup.load(BEFORE))
    assert [f["fingerprint"] for f in findings] == [f.fingerprint for f in report]


def test_a_json_file_is_located_too(tmp_path: Path) -> None:
    path = tmp_path / "draft.json"
    dpup.dump(dpup.load(BEFORE), path)
    _, out, _ = run("check", "--format", "json", str(path))
    text = path.read_text(encoding="utf-8").splitlines()
    for f in json.loads(out)["findings"]:
        assert f["file"] == str(path)
        if f["code"].endswith("900"):
            continue
        # a JSON list item starts at its brace; its id is the first written below it
        assert text[f["line"] - 1].strip() == "{"
        assert next(x for x in text[f["line"] :] if '"id":' in x).strip() == f'"id": "{f["subject"]}",'


def test_a_toml_file_gives_the_file_but_no_line(tmp_path: Path) -> None:
    path = tmp_path / "draft.toml"
    dpup.dump(dpup.load(BEFORE), path)
    _, out, _ = run("check", "--format", "json", str(path))
    findings = json.loads(out)["findings"]
    assert findings
    assert all(f["file"] == str(path) and f["line"] is None and f["where"] for f in findings)
    _, text, _ = run("check", str(path))
    assert f"      at {path}: $.flows[3]" in text.splitlines()


def test_files_checked_together_locate_each_finding_in_its_own_file(tmp_path: Path) -> None:
    # Another agreement, with its flows in another order, in another file: each finding is
    # placed in the file of the agreement it is attributed to, on that file's line.
    other = dpup.load(BEFORE)
    other = attrs.evolve(other, id="another-contract", flows=tuple(reversed(other.flows)))
    path = tmp_path / "another.yaml"
    dpup.dump(other, path)
    _, out, _ = run("check", "--format", "json", BEFORE, str(path))
    findings = json.loads(out)["findings"]
    files = {"best-foot-forward-before": BEFORE, "another-contract": str(path)}
    assert {f["agreement"] for f in findings} == set(files)
    for f in findings:
        assert f["file"] == files[f["agreement"]]
        assert f["line"] == _id_line(f["file"], f["subject"]), f
    placed = {(f["agreement"], f["code"], f["subject"]): f["where"] for f in findings}
    assert placed["best-foot-forward-before", "PM004", "quarterly-report"] == "$.flows[3]"
    assert placed["another-contract", "PM004", "quarterly-report"] == f"$.flows[{len(other.flows) - 4}]"


# -- --select and --ignore ---------------------------------------------------------------------


def _codes(out: str) -> list[str]:
    return [f["code"] for f in json.loads(out)["findings"]]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--select", "PM"], lambda c: c.startswith("PM")),
        (["--select", "purpose-mismatch"], lambda c: c.startswith("PM")),
        (["--select", "pm004,uh"], lambda c: c == "PM004" or c.startswith("UH")),
        (["--select", "PM004", "--select", "SV002"], lambda c: c in ("PM004", "SV002")),
        (["--select", " ,PM004,, SV002 ,"], lambda c: c in ("PM004", "SV002")),  # blank names skipped
        (["--ignore", "ME006,ME001"], lambda c: c not in ("ME006", "ME001")),
        (["--select", "UH", "--ignore", "UH003"], lambda c: c.startswith("UH") and c != "UH003"),
        (["--ignore", "missing-explanation", "--ignore", "SV"], lambda c: c[:2] in ("PM", "UH")),
    ],
)
def test_select_and_ignore_leave_the_findings_of_the_checks_they_name(
    options: list[str], expected: Callable[[str], bool]
) -> None:
    every = dpup.check(dpup.load(BEFORE))
    code, out, err = run("check", "--format", "json", *options, BEFORE)
    assert err == ""
    shown = _codes(out)
    assert shown == [f.code for f in every if expected(f.code)]
    assert 0 < len(shown) < len(every)
    data = json.loads(out)
    assert data["not_shown"] == len(every) - len(shown)
    assert sum(data["counts"][s] for s in ("error", "warning", "info")) == len(shown)
    assert code == EXIT_FINDINGS


def test_select_says_how_many_findings_it_left_out() -> None:
    _, out, _ = run("check", "--select", "PM", BEFORE)
    lines = out.splitlines()
    pm = len(dpup.check(dpup.load(BEFORE)).filter(family="purpose-mismatch"))
    assert lines[-4] == f"{pm} findings: 10 errors, 6 warnings, 0 info, 0 accepted"
    assert lines[-3] == f"{42 - pm} findings of checks left out by --select not shown"
    assert (
        lines[-2]
        == "dpup checks PM002 (or any code above): why a check matters, and the DPUP text it rests on"
    )
    assert lines[-1] == "fails at --fail-on warning"
    assert "Missing explanations" not in out
    _, markdown, _ = run("check", "--format", "markdown", "--ignore", "ME,SV", BEFORE)
    assert markdown.endswith(
        "findings of checks left out by --ignore not shown.\n\n**Fails** at `--fail-on warning`.\n"
    )
    _, plain, _ = run("check", BEFORE)
    assert "not shown" not in plain
    assert "not_shown" not in json.loads(run("check", "--format", "json", BEFORE)[1])


def test_select_and_ignore_together_are_both_named_in_what_was_left_out() -> None:
    _, out, _ = run("check", "--select", "ME", "--ignore", "ME001", BEFORE)
    every = dpup.check(dpup.load(BEFORE))
    shown = every.filter(family="missing-explanation").filter(lambda f: f.code != "ME001")
    assert out.splitlines()[-3] == (
        f"{len(every) - len(shown)} findings of checks left out by --select and --ignore not shown"
    )


def test_what_is_left_out_does_not_fail_the_run() -> None:
    # the draft's only errors and warnings left out: it passes, as if they were accepted
    code, out, _ = run("check", "--select", "ME008", AFTER)
    assert code == EXIT_OK
    assert out.splitlines()[-4:] == [
        "1 finding: 0 errors, 0 warnings, 1 info, 0 accepted",
        "0 findings of checks left out by --select not shown",
        "dpup checks ME008 (or any code above): why a check matters, and the DPUP text it rests on",
        "passes at --fail-on warning",
    ]
    code, _, _ = run("check", "--fail-on", "error", "--select", "ME006", BEFORE)
    assert code == EXIT_OK  # ME006 is a warning
    code, _, _ = run("check", "--fail-on", "error", "--select", "ME006,ME001", BEFORE)
    assert code == EXIT_FINDINGS


def test_an_acceptance_of_a_check_left_out_is_not_stale(tmp_path: Path) -> None:
    agreement = dpup.load(BEFORE)
    accepted = dpup.Acceptance(
        code="PM003", subject="outcomes-report", reason="Agreed", by="Contract manager"
    )
    path = tmp_path / "a.yaml"
    dpup.dump(attrs.evolve(agreement, accepted=[accepted]), path)
    _, out, _ = run("check", "--format", "json", "--ignore", "PM003", str(path))
    assert "PM900" not in _codes(out)
    assert "PM003" not in _codes(out)


def test_sarif_leaves_out_the_results_but_keeps_every_rule() -> None:
    _, out, _ = run("check", "--format", "sarif", "--select", "UH001", BEFORE)
    run_ = json.loads(out)["runs"][0]
    assert {r["ruleId"] for r in run_["results"]} == {"UH001"}
    assert len(run_["tool"]["driver"]["rules"]) == len(dpup.catalogue()) + 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("PM04", "argument --select: no check is named 'PM04' (did you mean PM004?); name codes (PM004)"),
        ("pm04", "argument --select: no check is named 'pm04' (did you mean PM004?); name codes (PM004)"),
        ("purpose", "argument --select: no check is named 'purpose' (did you mean purpose-mismatch?)"),
        ("PM004,XX", "argument --select: no check is named 'XX'; name codes"),
        (",", "argument --select: ',' names no check; name codes"),
    ],
)
def test_a_name_that_is_no_check_is_a_usage_error(value: str, message: str) -> None:
    code, out, err = run("check", "--select", value, BEFORE)
    assert code == 64
    assert out == ""
    assert f"dpup check: error: {message}" in err


def test_compare_compares_only_the_findings_of_the_checks_selected() -> None:
    code, out, _ = run("compare", "--format", "json", "--select", "PM004", BEFORE, AFTER)
    data = json.loads(out)
    assert {f["code"] for f in data["fixed"]} == {"PM004"}
    assert data["new"] == []
    assert data["remaining"] == []
    assert code == EXIT_OK
    code, out, _ = run("compare", "--format", "json", "--ignore", "ME008", BEFORE, AFTER)
    assert json.loads(out)["new"] == []
    assert len(json.loads(out)["fixed"]) == 42
    assert code == EXIT_OK
    code, out, _ = run("compare", "--format", "json", "--select", "ME008", "--fail-on", "info", BEFORE, AFTER)
    assert [f["code"] for f in json.loads(out)["new"]] == ["ME008"]
    assert code == EXIT_FINDINGS


def test_compare_says_how_many_findings_of_the_two_drafts_it_left_out() -> None:
    _, out, _ = run("compare", "--select", "PM004", BEFORE, AFTER)
    assert out.splitlines()[-2:] == [
        "39 findings of checks left out by --select not shown (in the two drafts)",
        "passes at --fail-on warning: no new finding reaches it",
    ]
    _, markdown, _ = run("compare", "--format", "markdown", "--ignore", "ME008", BEFORE, AFTER)
    assert "1 finding of checks left out by --ignore not shown (in the two drafts).\n\n**Passes**" in markdown
    # what is shown of the later draft is not left out: ME008, new in it, is compared
    _, out, _ = run("compare", "--select", "ME008", "--fail-on", "info", BEFORE, AFTER)
    assert out.splitlines()[-2:] == [
        f"{len(dpup.check(dpup.load(BEFORE)))} findings of checks left out by --select not shown (in the two drafts)",
        "fails at --fail-on info: a new finding reaches it",
    ]
    _, plain, _ = run("compare", BEFORE, AFTER)
    assert "not shown" not in plain


# -- dpup.check_files: the same in Python --------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        [BEFORE],
        [AFTER, BEFORE],
        [str(ROOT / "examples")],  # a directory: every agreement file in it, in name order
    ],
)
def test_check_files_gives_what_dpup_check_reports(given: list[str]) -> None:
    _, out, _ = run("check", "--format", "json", *given)
    data = json.loads(out)
    report = dpup.check_files(given)
    assert report.to_dict() == {"findings": data["findings"], "counts": data["counts"]}
    assert all(f.file is not None and f.line is not None for f in report if f.where is not None)


def test_check_files_takes_one_path_as_one_path() -> None:
    assert dpup.check_files(BEFORE) == dpup.check_files([BEFORE])
    assert dpup.check_files(Path(BEFORE)).findings[0].file == BEFORE


def test_check_files_reports_every_problem_of_every_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(AFTER).read_text(encoding="utf-8").replace("kind: provider", "kind: charity"))
    worse = tmp_path / "worse.json"
    worse.write_text("{", encoding="utf-8")
    with pytest.raises(dpup.AgreementError) as raised:
        dpup.check_files([bad, AFTER, worse])
    assert [p.file for p in raised.value.problems] == [str(bad), str(worse)]
    assert "charity" in str(raised.value)


def test_check_files_refuses_two_files_with_one_agreement_id(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(Path(AFTER).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(dpup.AgreementError) as raised:
        dpup.check_files([AFTER, copy])
    (problem,) = raised.value.problems
    assert problem.file == str(copy)
    assert problem.message == f"agreement id 'best-foot-forward' is also the id of the agreement in {AFTER}"


def test_check_files_refuses_agreements_that_disagree_about_an_id(tmp_path: Path) -> None:
    from tests.test_graph import TRUST

    trust = tmp_path / "trust.yaml"
    trust.write_text(TRUST, encoding="utf-8")
    with pytest.raises(dpup.GraphError, match="'parents' is a service-user group"):
        dpup.check_files([AFTER, trust])


def test_check_files_names_itself_when_given_bytes() -> None:
    with pytest.raises(TypeError, match=r"^dpup.check_files takes a str or path-like path"):
        dpup.check_files(BEFORE.encode())
    with pytest.raises(TypeError, match=r"^dpup.load_all takes a str or path-like path"):
        dpup.load_all(BEFORE.encode())


@pytest.mark.parametrize("command", ["check", "compare"])
def test_the_help_names_the_checks_select_and_ignore_take(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == EXIT_OK
    text = " ".join(capsys.readouterr().out.split())
    names = (
        "codes (PM004), code prefixes (PM, ME, UH, SV), family names (purpose-mismatch) or check names "
        "(purpose-not-described), separated by commas"
    )
    assert "[--select CHECKS] [--ignore CHECKS]" in text  # as docs/cli.md shows the usage
    assert (
        f"--select CHECKS report only the findings of these checks: {names} (may be given more than once; "
        "default: every check) "
    ) in text
    assert (
        f"--ignore CHECKS leave out the findings of these checks ({names}); to settle one finding for good, "
        "accept it in the agreement, with the reason, instead -o PATH"
    ) in text


def test_compare_text_is_wrapped_to_a_terminals_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    out = _Terminal()
    assert main(["compare", "--ignore", "ME008", BEFORE, AFTER], out=out, err=io.StringIO()) == EXIT_OK
    assert 52 < _longest(out.getvalue()) <= 72
    _, piped, _ = run("compare", "--ignore", "ME008", BEFORE, AFTER)
    assert 80 < _longest(piped) <= 100


def test_compare_json_says_how_many_findings_it_left_out_only_when_told_to_leave_some_out() -> None:
    _, out, _ = run("compare", "--format", "json", "--select", "PM004", BEFORE, AFTER)
    assert json.loads(out)["not_shown"] == 39
    _, out, _ = run("compare", "--format", "json", BEFORE, AFTER)
    assert "not_shown" not in json.loads(out)


def test_a_check_is_named_by_its_name_too() -> None:
    _, out, _ = run(
        "check", "--format", "json", "--select", "purpose-not-described,identity-not-needed", BEFORE
    )
    assert {f["code"] for f in json.loads(out)["findings"]} == {"PM004"}  # PM013: every purpose described
    _, out, _ = run("check", "--format", "json", "--ignore", "Flow-Not-Explained", BEFORE)
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert "ME001" not in codes
    assert "ME006" in codes


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--ignore", "PM,ME,UH,SV"], "dpup {command}: --ignore leaves no check to report\n"),
        (
            ["--select", "PM004", "--ignore", "purpose-mismatch"],
            "dpup {command}: --select and --ignore leave no check to report\n",
        ),
    ],
)
@pytest.mark.parametrize("command", ["check", "compare"])
def test_options_that_leave_no_check_are_a_usage_error(
    command: str, options: list[str], message: str
) -> None:
    files = [BEFORE] if command == "check" else [BEFORE, AFTER]
    code, out, err = run(command, *options, *files)
    assert (code, out, err) == (64, "", message.format(command=command))
    # near miss: a family left
    near = ["--ignore", "PM,ME,UH"] if len(options) == 2 else ["--select", "PM004", "--ignore", "UH"]
    assert run(command, *near, *files)[0] in (0, 1)


def test_sarif_says_how_many_findings_it_left_out() -> None:
    _, out, _ = run("check", "--format", "sarif", "--select", "PM", BEFORE)
    (invocation,) = json.loads(out)["runs"][0]["invocations"]
    assert invocation == {
        "executionSuccessful": True,
        "toolExecutionNotifications": [
            {"level": "note", "message": {"text": "26 findings of checks left out by --select not shown."}}
        ],
    }
    _, out, _ = run("check", "--format", "sarif", BEFORE)
    assert "invocations" not in json.loads(out)["runs"][0]


@pytest.mark.parametrize("given", [dpup.load(AFTER), dpup.load(AFTER).graph()])
def test_check_files_says_to_check_an_agreement_or_a_graph_with_check(given: object) -> None:
    with pytest.raises(
        TypeError,
        match=r"^dpup.check_files takes paths of agreement files, not a (Agreement|MultiDiGraph); check an agreement or a graph with dpup.check$",
    ):
        dpup.check_files(given)  # type: ignore[arg-type]


def test_a_misspelt_check_name_gets_the_closest_name() -> None:
    code, _, err = run("check", "--select", "purpose-not-descrbed", BEFORE)
    assert code == 64
    assert "no check is named 'purpose-not-descrbed' (did you mean purpose-not-described?)" in err
