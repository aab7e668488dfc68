"""Output for CI systems: GitHub Actions workflow commands (read back as GitHub's runner reads
them) and GitLab Code Quality reports, from Python and from ``dpup check`` and ``dpup compare``."""

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from dpup.render.ci import (
    GITHUB_LEVELS,
    GITLAB_SEVERITIES,
    _not_xml,
    _repository_path,
    problems_to_github,
    problems_to_gitlab,
    problems_to_junit,
    to_github,
    to_gitlab,
    to_junit,
)
from dpup.render.sarif import LOAD_RULE, problem_fingerprint
from tests.examples import AFTER, BEFORE, ascii_run, run

# -- reading workflow commands back, as GitHub's runner does (actions/runner, ActionCommand) --

_COMMAND = re.compile(r"^::(?P<command>[a-z]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(text: str, *, property: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")]
    if property:
        pairs += [("%3A", ":"), ("%2C", ",")]
    for escaped, char in pairs:
        text = text.replace(escaped, char)
    return text.replace("%25", "%")


def commands(text: str) -> list[dict[str, Any]]:
    """Every workflow command in a job's output: its command, properties and message. Lines
    end where the runner's reader ends them (.NET's ``ReadLine``): at ``\\n``, ``\\r`` or both,
    and nowhere else, unlike ``str.splitlines``."""
    out = []
    for line in re.split(r"\r\n|\r|\n", text.removesuffix("\n")):
        m = _COMMAND.match(line)
        if not m:
            assert not line.startswith("::"), line
            continue
        props: dict[str, str] = {}
        for pair in (m["props"] or "").split(","):
            if pair:
                key, _, value = pair.partition("=")
                props[key] = _unescape(value, property=True)
        out.append({"command": m["command"], **props, "message": _unescape(m["data"], property=False)})
    return out


def located(path: Path = BEFORE) -> dpup.Report:
    a = dpup.load(path)
    return dpup.check(a).located({a.id: os.path.relpath(path)})


# -- GitHub --------------------------------------------------------------------------------


def test_every_open_finding_is_an_annotation_on_its_file_and_line() -> None:
    report = located()
    found = commands(to_github(report))
    assert len(found) == len(report.open()) == 42
    for c, f in zip(found, report.open(), strict=True):
        assert c["command"] == GITHUB_LEVELS[f.severity]
        assert (c["file"], c["line"]) == ("examples/best-foot-forward-before.yaml", str(f.line))
        assert c["title"].startswith(f"{f.code} ")
        assert c["title"].endswith(f": {f.subject}")
        lines = c["message"].split("\n")
        assert lines[0] == f.message
        assert f"fix: {f.remediation}" in lines
        assert f"DPUP: {f.guideline} ({', '.join(f.principles)})" in lines
        assert f"at {f.where} of agreement 'best-foot-forward-before'" in lines
    followed = next(c for c, f in zip(found, report.open(), strict=True) if f.path)
    assert any(line.startswith("path: ") and " -> " in line for line in followed["message"].split("\n"))
    assert {c["command"] for c in found} == {"error", "warning"}  # the first draft has no info finding


def test_the_title_names_the_check() -> None:
    (f,) = [f for f in located() if (f.code, f.subject) == ("PM004", "quarterly-report")]
    (c,) = commands(to_github(dpup.Report.of([f])))
    assert c["title"] == "PM004 identity-not-needed: quarterly-report"


def test_accepted_findings_are_not_annotated() -> None:
    a = dpup.load(BEFORE)
    acc = dpup.Acceptance(code="PM002", subject="evaluation-to-contractor", reason="agreed", by="Aroha")
    report = dpup.check(attrs.evolve(a, accepted=[acc]))
    found = commands(to_github(report))
    assert len(found) == len(report) - 1
    assert not any(c["title"].startswith("PM002 ") for c in found)
    assert any(c["title"].startswith("PM003 ") for c in found)  # near miss: the others stay


def test_a_finding_with_no_file_or_no_line_leaves_those_out() -> None:
    f = dpup.Finding(code="XX001", family="sharing-value", severity="info", subject="s", message="m")
    (c,) = commands(to_github(dpup.Report.of([f])))
    assert c == {"command": "notice", "title": "XX001: s", "message": "m\nfix: "}
    (c,) = commands(to_github(dpup.Report.of([attrs.evolve(f, file="a.toml")])))
    assert (c["file"], "line" in c) == ("a.toml", False)
    (c,) = commands(to_github(dpup.Report.of([attrs.evolve(f, file="a.yaml", line=7)])))
    assert (c["file"], c["line"]) == ("a.yaml", "7")


def test_the_message_says_each_part_on_its_own_line() -> None:
    f = dpup.Finding(
        code="XX001",
        family="sharing-value",
        severity="warning",
        subject="s",
        message="m",
        path=("a", "b", "c"),
        remediation="do x",
        guideline="Sharing Value",
        principles=("Mahitahitanga", "Kaitiakitanga"),
        where="$.flows[2]",
        agreement="ag",
    )
    (c,) = commands(to_github(dpup.Report.of([f])))
    assert c["message"].split("\n") == [
        "m",
        "path: a -> b -> c",
        "fix: do x",
        "DPUP: Sharing Value (Mahitahitanga, Kaitiakitanga)",
        "at $.flows[2] of agreement 'ag'",
    ]
    # near misses: no Principles, no agreement, no path
    bare = attrs.evolve(f, principles=(), agreement=None, path=())
    (c,) = commands(to_github(dpup.Report.of([bare])))
    assert c["message"].split("\n") == ["m", "fix: do x", "DPUP: Sharing Value", "at $.flows[2]"]


def test_an_empty_report_writes_nothing() -> None:
    assert to_github(dpup.Report.of([])) == ""


_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(max_examples=200)
@given(message=_TEXT, subject=_TEXT, file=_TEXT.filter(bool), remediation=_TEXT)
def test_any_text_stays_in_its_one_command(message: str, subject: str, file: str, remediation: str) -> None:
    f = dpup.Finding(
        code="PM004",
        family="purpose-mismatch",
        severity="error",
        subject=subject,
        message=message,
        remediation=remediation,
        file=file,
        line=3,
    )
    text = to_github(dpup.Report.of([f]))
    assert text.count("\n") == 1
    assert text.endswith("\n")
    assert "\r" not in text
    (c,) = commands(text)
    assert c["file"] == _repository_path(file)
    assert c["line"] == "3"
    assert c["title"] == f"PM004 identity-not-needed: {subject}"
    assert c["message"].split("\n")[0] == message.split("\n")[0]
    assert c["message"].startswith(message)
    assert f"fix: {remediation}" in c["message"]


def test_escapes_are_githubs() -> None:
    f = dpup.Finding(
        code="XX001",
        family="sharing-value",
        severity="warning",
        subject="a:b,c",
        message="100% sure\r\nnext",
        file="x,y:z.yaml",
    )
    assert to_github(dpup.Report.of([f])) == (
        "::warning file=x%2Cy%3Az.yaml,title=XX001%3A a%3Ab%2Cc::100%25 sure%0D%0Anext%0Afix: \n"
    )


def test_load_problems_are_error_annotations_and_say_what_was_not_listed() -> None:
    p = dpup.Problem(
        path=("flows", 0, "to"), message="unknown holder 'x'", file="a.yaml", line=7, found="'x'"
    )
    found = commands(problems_to_github([p, attrs.evolve(p, line=None)], omitted={"b.yaml": 1, "c.yaml": 2}))
    assert found[0] == {
        "command": "error",
        "file": "a.yaml",
        "line": "7",
        "title": f"{LOAD_RULE} invalid agreement",
        "message": "$.flows[0].to: unknown holder 'x' (found 'x')",
    }
    assert "line" not in found[1]
    assert [(c["file"], c["message"]) for c in found[2:]] == [
        ("b.yaml", "and 1 more problem in b.yaml, not listed (only the first of a file are)"),
        ("c.yaml", "and 2 more problems in c.yaml, not listed (only the first of a file are)"),
    ]


# -- paths -------------------------------------------------------------------------------


def test_every_format_writes_the_repositorys_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    f = dpup.Finding(code="XX001", family="sharing-value", severity="error", subject="s", message="m")
    for file in ("./agreements/a.yaml", str(tmp_path / "agreements" / "a.yaml")):
        report = dpup.Report.of([attrs.evolve(f, file=file, line=3)])
        (c,) = commands(to_github(report))
        (issue,) = to_gitlab(report)
        (suite,) = parsed(to_junit(report)).iter("testsuite")
        (case,) = suite.iter("testcase")
        paths = (c["file"], issue["location"]["path"], suite.get("name"), case.get("file"))
        assert paths == ("agreements/a.yaml",) * 4
        assert case.get("classname") == "agreements/a"  # less its suffix, for Jenkins


@pytest.fixture(autouse=True)
def _not_in_a_ci_job(monkeypatch: pytest.MonkeyPatch) -> None:
    # paths are written from the CI's workspace where it sets one: these tests say which
    for variable in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(variable, raising=False)


@pytest.mark.parametrize("variable", ["GITHUB_WORKSPACE", "CI_PROJECT_DIR"])
def test_paths_are_written_from_the_ci_workspace(
    variable: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a step run in a directory below the repository's root (GitHub's working-directory:,
    # `cd` in a GitLab script) still names the file from the root, as the CI finds it
    (tmp_path / "repo" / "legal").mkdir(parents=True)
    monkeypatch.setenv(variable, str(tmp_path / "repo"))
    monkeypatch.chdir(tmp_path / "repo" / "legal")
    assert _repository_path("agreements/a.yaml") == "legal/agreements/a.yaml"
    assert _repository_path("../shared/a.yaml") == "shared/a.yaml"
    assert _repository_path(str(tmp_path / "repo" / "b.yaml")) == "b.yaml"
    outside = tmp_path / "elsewhere" / "a.yaml"
    assert _repository_path(str(outside)) == outside.as_posix()
    assert _repository_path("../../elsewhere/a.yaml") == outside.as_posix()  # outside it: absolute
    f = dpup.Finding(
        code="XX001", family="sharing-value", severity="info", subject="s", message="m", file="a.yaml"
    )
    (c,) = commands(to_github(dpup.Report.of([f])))
    assert c["file"] == "legal/a.yaml"
    assert to_gitlab(dpup.Report.of([f]))[0]["location"]["path"] == "legal/a.yaml"
    monkeypatch.setenv(variable, "")  # near miss: set but empty is no workspace
    assert _repository_path("agreements/a.yaml") == "agreements/a.yaml"


def test_paths_are_the_repositorys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _repository_path("./agreements//a.yaml") == "agreements/a.yaml"
    assert _repository_path(str(tmp_path / "agreements" / "a.yaml")) == "agreements/a.yaml"
    outside = tmp_path.parent / "elsewhere" / "a.yaml"
    assert _repository_path(str(outside)) == outside.as_posix()  # not under it: as it is
    assert _repository_path("../shared/a.yaml") == "../shared/a.yaml"


def test_a_path_on_another_drive_is_written_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # os.path.relpath raises ValueError for a path on another drive than the current
    # directory's, on Windows: the path is then written as it is, with /
    def other_drive(path: str, start: str = os.curdir) -> str:
        raise ValueError("path is on mount 'D:', start on mount 'C:'")

    monkeypatch.setattr(os.path, "relpath", other_drive)
    assert _repository_path("/elsewhere/agreements/a.yaml") == "/elsewhere/agreements/a.yaml"
    assert _repository_path("./agreements/a.yaml") == "agreements/a.yaml"  # near miss: relative, no relpath


def test_a_current_directory_that_was_removed_leaves_paths_as_they_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # os.getcwd() fails in a directory removed under the shell (a CI step's, say), and dpup
    # check --format github, gitlab or junit said "cannot write the output" (exit 74).
    def gone() -> str:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    monkeypatch.setattr(os, "getcwd", gone)
    assert _repository_path("/elsewhere/agreements/a.yaml") == "/elsewhere/agreements/a.yaml"
    assert _repository_path("./agreements/a.yaml") == "agreements/a.yaml"


# -- GitLab --------------------------------------------------------------------------------


def assert_code_quality(issues: list[dict[str, Any]]) -> None:
    """What GitLab requires of a Code Quality report (its documented fields and types)."""
    assert isinstance(issues, list)
    for issue in issues:
        assert issue["type"] == "issue"  # Code Climate's spec requires it; GitLab ignores it
        assert isinstance(issue["description"], str)
        assert issue["description"]
        assert isinstance(issue["check_name"], str)
        assert issue["check_name"]
        assert re.fullmatch("[0-9a-f]{16}", issue["fingerprint"])  # of the form of all dpup's
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        path = issue["location"]["path"]
        assert isinstance(path, str)
        assert path
        assert not path.startswith("./")
        assert "\\" not in path
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int)
        assert begin >= 1
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_every_open_finding_is_an_issue() -> None:
    report = located()
    issues = to_gitlab(report)
    assert_code_quality(issues)
    assert len(issues) == len(report.open()) == 42
    for issue, f in zip(issues, report.open(), strict=True):
        assert issue["check_name"] == f.code
        assert issue["severity"] == GITLAB_SEVERITIES[f.severity]
        assert issue["fingerprint"] == f.fingerprint
        assert issue["location"] == {
            "path": "examples/best-foot-forward-before.yaml",
            "lines": {"begin": f.line},
        }
        assert issue["description"] == f"{f.code} {_NAMES[f.code]}: {f.message} Fix: {f.remediation}"
    assert {i["severity"] for i in issues} == {"major", "minor"}


def test_issues_keep_their_fingerprints_when_the_file_changes_format(tmp_path: Path) -> None:
    # GitLab tells new issues from fixed ones by fingerprint: rewriting the draft (here, as
    # JSON, every line moved) brings no new issue and fixes none
    path = tmp_path / "draft.json"
    dpup.dump(dpup.load(BEFORE), path)
    before = {i["fingerprint"] for i in to_gitlab(located())}
    after = {i["fingerprint"] for i in to_gitlab(located(path))}
    assert before == after


def test_accepted_findings_are_not_issues() -> None:
    a = dpup.load(BEFORE)
    acc = dpup.Acceptance(code="PM002", subject="evaluation-to-contractor", reason="agreed", by="Aroha")
    report = dpup.check(attrs.evolve(a, accepted=[acc])).located({a.id: "a.yaml"})
    issues = to_gitlab(report)
    assert "PM002" not in {i["check_name"] for i in issues}
    assert len(issues) == len(report) - 1


def test_findings_with_one_fingerprint_are_still_two_issues() -> None:
    f = dpup.Finding(
        code="XX001", family="sharing-value", severity="info", subject="s", message="m", file="a.yaml"
    )
    issues = to_gitlab(dpup.Report.of([f, attrs.evolve(f, message="n"), attrs.evolve(f, message="o")]))
    assert_code_quality(issues)
    assert issues[0]["fingerprint"] == f.fingerprint  # the first keeps its own
    assert issues[0]["location"]["lines"] == {"begin": 1}  # no line (a TOML file): the first


def test_a_finding_in_no_file_is_refused_with_what_to_do() -> None:
    report = dpup.check(dpup.load(BEFORE))  # not located
    with pytest.raises(
        ValueError, match=r"finding PM002 on 'evaluation-to-contractor' is in no file.*located"
    ):
        to_gitlab(report)
    assert to_gitlab(report.filter(accepted=True)) == []  # near miss: no open finding to place


def test_load_problems_are_blocker_issues() -> None:
    p = dpup.Problem(path=("flows", 0, "to"), message="unknown holder 'x'", file="./a.yaml", line=7)
    issues = problems_to_gitlab(
        [p, attrs.evolve(p, message="another"), attrs.evolve(p, file=None)], omitted={"b.yaml": 3}
    )
    assert_code_quality(issues)
    assert [(i["check_name"], i["severity"], i["location"]["path"]) for i in issues] == [
        (LOAD_RULE, "blocker", "a.yaml"),
        (LOAD_RULE, "blocker", "a.yaml"),
        (LOAD_RULE, "blocker", "b.yaml"),  # the problem of no file is in none: GitLab needs one
    ]
    assert issues[0]["fingerprint"] == problem_fingerprint(p)
    assert issues[0]["description"] == f"{LOAD_RULE} invalid agreement: $.flows[0].to: unknown holder 'x'"
    assert "3 more problems in b.yaml" in issues[2]["description"]
    moved = problems_to_gitlab([attrs.evolve(p, line=9)])
    assert moved[0]["fingerprint"] == issues[0]["fingerprint"]  # a problem moved down is the same one


def test_the_issue_of_more_problems_is_the_files_own() -> None:
    # on no line (the file's first), and with a fingerprint of its file, whatever other files
    # have more problems too: otherwise it would be a new issue when another file's changed
    (alone,) = problems_to_gitlab([], omitted={"b.yaml": 3})
    assert alone["location"] == {"path": "b.yaml", "lines": {"begin": 1}}
    issues = problems_to_gitlab([], omitted={"a.yaml": 5, "b.yaml": 3})
    assert_code_quality(issues)
    assert issues[1]["fingerprint"] == alone["fingerprint"]
    assert issues[0]["fingerprint"] != alone["fingerprint"]  # near miss: another file's, another one


def test_a_file_name_that_is_not_utf8_is_written() -> None:
    p = dpup.Problem(path=(), message="cannot be read", file="caf\udce9.yaml")
    (issue,) = problems_to_gitlab([p])
    assert issue["location"]["path"] == "caf\udce9.yaml"


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**16), rate=st.sampled_from([0.0, 0.05, 0.2]))
def test_a_sectors_report_becomes_a_sound_code_quality_report(seed: int, rate: float) -> None:
    sector = synth.sector(flows=120, seed=seed, faults=rate)
    report = dpup.check(dpup.graph(*sector)).located({a.id: f"sector/{a.id}.yaml" for a in sector})
    issues = to_gitlab(report)
    assert_code_quality(issues)
    assert len(issues) == len(report.open())
    assert len(commands(to_github(report))) == len(report.open())


# -- the command ---------------------------------------------------------------------------


def test_check_format_github_annotates_then_says_the_verdict() -> None:
    code, out, err = run("check", "--format", "github", str(BEFORE))
    assert (code, err) == (EXIT_FINDINGS, "")
    found = commands(out)
    assert len(found) == 42
    rest = [line for line in out.splitlines() if not line.startswith("::")]
    assert rest == [f"dpup check {BEFORE}: {located().summary()}", "fails at --fail-on warning"]
    code, out, _ = run("check", "--format", "github", str(AFTER))
    assert code == EXIT_OK
    assert [c["command"] for c in commands(out)] == ["notice"]
    assert out.splitlines()[-1] == "passes at --fail-on warning"
    assert run("check", "--format", "github", "--fail-on", "never", str(BEFORE))[0] == EXIT_OK


def test_check_format_github_says_what_select_left_out() -> None:
    code, out, _ = run("check", "--format", "github", "--select", "UH001", str(BEFORE))
    shown = commands(out)
    assert {c["title"].split()[0] for c in shown} == {"UH001"}
    assert f"{42 - len(shown)} findings of checks left out by --select not shown." in out.splitlines()
    assert code == EXIT_FINDINGS
    # the verdict is the selection's: the draft's other findings do not fail it
    code, out, _ = run("check", "--format", "github", "--select", "ME008", str(BEFORE))
    assert (code, commands(out)) == (EXIT_OK, [])
    assert out.splitlines()[-1] == "passes at --fail-on warning"


def test_check_format_gitlab_writes_the_report() -> None:
    code, out, err = run("check", "--format", "gitlab", str(BEFORE))
    assert (code, err) == (EXIT_FINDINGS, "")
    issues = json.loads(out)
    assert_code_quality(issues)
    _, as_json, _ = run("check", "--format", "json", str(BEFORE))
    findings = json.loads(as_json)["findings"]
    assert [(i["check_name"], i["location"]["lines"]["begin"]) for i in issues] == [
        (f["code"], f["line"]) for f in findings
    ]
    code, out, err = run("check", "--format", "gitlab", "--select", "UH001", str(BEFORE))
    assert {i["check_name"] for i in json.loads(out)} == {"UH001"}
    assert err == f"{42 - len(json.loads(out))} findings of checks left out by --select not shown.\n"
    assert run("check", "--format", "gitlab", str(AFTER))[0] == EXIT_OK


def test_files_that_do_not_load_are_annotated_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("dpup: 1\nagreement: {id: a, title: T}\nflow: []\n", encoding="utf-8")
    code, out, err = run("check", "--format", "github", str(bad))
    assert code == EXIT_INVALID
    (c,) = commands(out)
    assert (c["command"], c["line"], c["title"]) == ("error", "3", f"{LOAD_RULE} invalid agreement")
    assert c["message"].startswith("$.flow: unknown key 'flow'")
    assert "$.flow: unknown key 'flow'" in err  # stderr says it too, as for every format
    code, out, _ = run("check", "--format", "gitlab", str(bad))
    assert code == EXIT_INVALID
    (issue,) = json.loads(out)
    assert (issue["severity"], issue["location"]["lines"]["begin"]) == ("blocker", 3)
    code, out, _ = run("compare", "--format", "github", str(bad), str(AFTER))
    assert code == EXIT_INVALID
    assert [c["line"] for c in commands(out)] == ["3"]


def test_compare_format_github_annotates_only_what_the_later_draft_brings() -> None:
    code, out, err = run("compare", "--format", "github", str(AFTER), str(BEFORE))
    assert (code, err) == (EXIT_FINDINGS, "")
    comparison = dpup.compare(dpup.check(dpup.load(AFTER)), dpup.check(dpup.load(BEFORE)))
    found = commands(out)
    assert len(found) == len(comparison.new) > 0
    assert {c["file"] for c in found} == {_repository_path(str(BEFORE))}
    rest = [line for line in out.splitlines() if not line.startswith("::")]
    assert rest[0].endswith(comparison.summary())
    assert rest[-1] == "fails at --fail-on warning: a new finding reaches it"
    code, out, _ = run("compare", "--format", "github", str(BEFORE), str(BEFORE))
    assert (code, commands(out)) == (EXIT_OK, [])  # near miss: nothing new, nothing annotated


def test_diff_has_no_github_format() -> None:
    code, _, err = run("diff", "--format", "github", str(BEFORE), str(AFTER))
    assert code == EXIT_USAGE
    assert "invalid choice: 'github'" in err


@pytest.mark.parametrize(
    ("argv", "format"),
    [(("check",), "teamcity"), (("compare", str(AFTER)), "gitlab"), (("compare", str(AFTER)), "junit")],
)
def test_a_format_a_command_does_not_have_is_refused(argv: tuple[str, ...], format: str) -> None:
    code, out, err = run(*argv, "--format", format, str(BEFORE))
    assert (code, out) == (EXIT_USAGE, "")
    assert f"invalid choice: '{format}'" in err


@pytest.mark.parametrize("argv", [("check", str(BEFORE)), ("compare", str(AFTER), str(BEFORE))])
def test_text_is_still_a_format_and_the_default(argv: tuple[str, ...]) -> None:
    assert run(*argv, "--format", "text") == run(*argv)
    assert run(*argv, "--format", "github") != run(*argv)  # near miss


# -- JUnit XML -----------------------------------------------------------------------------


def parsed(text: str) -> ET.Element:
    """The document, which must be XML 1.0 that declares UTF-8."""
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def assert_counted(root: ET.Element) -> None:
    """Every suite's and the whole's counts are its test cases', and every test case is one
    that GitLab counts: it takes the cases of a suite with the same class name and name (and
    outcome) for one test (``Gitlab::Ci::Reports::TestCase#key``, ``TestSuite#add_test_case``)."""
    for element in [root, *root.iter("testsuite")]:
        cases = list(element.iter("testcase"))
        assert element.get("tests") == str(len(cases))
        for key, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            assert element.get(key) == str(sum(c.find(tag) is not None for c in cases))
    for suite in root.iter("testsuite"):
        keys = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")]
        assert len(set(keys)) == len(keys), keys


_NAMES = {c.code: c.name for c in dpup.catalogue()}
_RANK = {"error": 3, "warning": 2, "info": 1, "never": 4}


@pytest.mark.parametrize(
    ("path", "fail_on", "failures"),
    [
        (BEFORE, "error", 24),
        (BEFORE, "warning", 42),
        (BEFORE, "never", 0),
        (AFTER, "info", 1),
        (AFTER, "warning", 0),
    ],
)
def test_a_finding_fails_when_it_reaches_the_threshold(path: Path, fail_on: str, failures: int) -> None:
    report = located(path)
    name = os.path.relpath(path)
    root = parsed(to_junit(report, fail_on=fail_on))
    assert_counted(root)
    assert root.get("failures") == str(failures)
    (suite,) = root.iter("testsuite")
    assert suite.get("name") == name
    for case, f in zip(suite.iter("testcase"), report, strict=True):
        assert case.get("name") == f"{f.code} {_NAMES[f.code]}: {f.subject}"
        assert case.get("classname") == name.removesuffix(".yaml")
        assert (case.get("file"), case.get("line")) == (name, str(f.line))
        failure, out = case.find("failure"), case.find("system-out")
        assert (failure is not None) is (f.severity.rank >= _RANK[fail_on])
        assert (out is None) is (failure is not None)  # one or the other
        text = (failure if failure is not None else out).text  # type: ignore[union-attr]
        assert text is not None
        assert text.startswith(f"{f.severity.value}: {f.message}\n")
        assert f"fix: {f.remediation}" in text
        if failure is not None:
            assert (failure.get("message"), failure.get("type")) == (f.message, f.severity.value)
        # after its first line, the text is what the annotation says after the message
        (annotation,) = commands(to_github(dpup.Report.of([f])))
        assert text.split("\n")[1:] == annotation["message"].split("\n")[1:]


def test_the_report_fails_as_the_command_does() -> None:
    # the severities' ranks, as the threshold compares them
    assert [_RANK[s.value] for s in (dpup.Severity.ERROR, dpup.Severity.WARNING, dpup.Severity.INFO)] == [
        s.rank for s in (dpup.Severity.ERROR, dpup.Severity.WARNING, dpup.Severity.INFO)
    ]
    for fail_on in ("error", "warning", "info", "never"):
        for path in (BEFORE, AFTER):
            code, out, _ = run("check", "--format", "junit", "--fail-on", fail_on, str(path))
            assert (parsed(out).get("failures") != "0") is (code == EXIT_FINDINGS)
            assert code in (EXIT_OK, EXIT_FINDINGS)


def test_an_accepted_finding_is_skipped_with_its_acceptance() -> None:
    a = dpup.load(BEFORE)
    acc = dpup.Acceptance(
        code="PM002", subject="evaluation-to-contractor", reason="agreed in March", by="Aroha"
    )
    root = parsed(to_junit(dpup.check(attrs.evolve(a, accepted=[acc])), fail_on="info"))
    assert_counted(root)
    (case,) = [c for c in root.iter("testcase") if c.find("skipped") is not None]
    assert case.get("name") == "PM002 undeclared-purpose: evaluation-to-contractor"
    assert case.find("skipped").get("message") == "accepted by Aroha: agreed in March"  # type: ignore[union-attr]
    assert case.find("failure") is None
    assert root.get("failures") == "41"  # near miss: the others still fail


def test_the_class_name_is_the_file_less_its_suffix() -> None:
    f = dpup.Finding(code="XX001", family="sharing-value", severity="info", subject="s", message="m")
    findings = [attrs.evolve(f, file="agreements/v1.2/ccss.yaml"), attrs.evolve(f, file="README"), f]
    root = parsed(to_junit(dpup.Report.of(findings), files=["agreements/clean.json"]))
    cases = sorted(
        (s.get("name"), c.get("classname")) for s in root.iter("testsuite") for c in s.iter("testcase")
    )
    assert cases == [
        ("README", "README"),  # no suffix: as it is
        ("agreements/clean.json", "agreements/clean"),  # the no-findings case too
        ("agreements/v1.2/ccss.yaml", "agreements/v1.2/ccss"),  # only the file's own suffix
        ("dpup", "dpup"),  # a finding of no file: its suite's name
    ]
    problems = [dpup.Problem(path=(), message="m", file="a.toml"), dpup.Problem(path=(), message="m")]
    root = parsed(problems_to_junit(problems))
    assert [c.get("classname") for c in root.iter("testcase")] == ["a", "dpup"]


def test_every_file_checked_has_its_suite(tmp_path: Path) -> None:
    report = located()
    root = parsed(to_junit(report, files=["./clean.yaml", "examples/best-foot-forward-before.yaml"]))
    assert_counted(root)
    suites = list(root.iter("testsuite"))
    assert [s.get("name") for s in suites] == ["clean.yaml", "examples/best-foot-forward-before.yaml"]
    (case,) = suites[0].iter("testcase")
    assert (case.get("name"), case.get("classname"), list(case)) == ("no findings", "clean", [])
    assert suites[1].get("tests") == "42"


def test_findings_in_no_file_are_in_their_agreements_suite() -> None:
    f = dpup.Finding(code="XX001", family="sharing-value", severity="info", subject="s", message="m")
    root = parsed(to_junit(dpup.Report.of([attrs.evolve(f, agreement="ag-1"), f]), fail_on="info"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert sorted(suites) == ["ag-1", "dpup"]
    for suite in suites.values():
        (case,) = suite.iter("testcase")
        assert (case.get("name"), case.get("file"), case.get("line")) == ("XX001: s", None, None)
        assert case.get("classname") == suite.get("name")


@settings(max_examples=150)
@given(message=st.text(max_size=30), subject=st.text(max_size=30), file=st.text(min_size=1, max_size=30))
def test_any_text_makes_xml(message: str, subject: str, file: str) -> None:
    # control characters, and lone surrogates (a file name that is not UTF-8), have no place in
    # XML 1.0: they are written as Python escapes, and everything else as it is
    f = dpup.Finding(
        code="PM004",
        family="purpose-mismatch",
        severity="error",
        subject=subject,
        message=message,
        file=file,
        line=2,
    )
    text = to_junit(dpup.Report.of([f]))
    root = parsed(text)
    assert ET.fromstring(to_junit(dpup.Report.of([f]), ascii=True)).attrib == root.attrib
    assert to_junit(dpup.Report.of([f]), ascii=True).isascii()
    (case,) = root.iter("testcase")
    failure = case.find("failure")
    assert failure is not None
    if not _not_xml().search(message):  # what XML can hold comes back as it was
        assert failure.get("message") == message
        assert failure.text is not None
        assert failure.text.startswith("error: " + message.replace("\r\n", "\n").replace("\r", "\n"))
    else:  # near miss: what it cannot hold comes back escaped
        assert failure.get("message") != message


def test_characters_xml_cannot_hold_are_escaped() -> None:
    f = dpup.Finding(
        code="XX001",
        family="sharing-value",
        severity="error",
        subject="a\x1eb",
        message="<&>\x00",
        file="caf\udce9.yaml",
    )
    root = parsed(to_junit(dpup.Report.of([f])))
    case = next(root.iter("testcase"))
    assert case.get("name") == "XX001: a\\x1eb"
    assert case.get("file") == "caf\\udce9.yaml"
    assert case.find("failure").get("message") == "<&>\\x00"  # type: ignore[union-attr]


def test_xml_holds_what_its_char_production_allows() -> None:
    # XML 1.0's Char: tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD and past
    # the BMP; U+FFFE and U+FFFF are not characters XML can hold, DEL and C1 controls are
    holds = "\x7f\x85\x9f\ud7ff\ue000\ufffd\U00010000\U0010ffff"
    f = dpup.Finding(
        code="XX001", family="sharing-value", severity="error", subject=holds, message="a\ufffeb\uffff"
    )
    root = parsed(to_junit(dpup.Report.of([f])))
    case = next(root.iter("testcase"))
    assert case.get("name") == f"XX001: {holds}"
    assert case.find("failure").get("message") == "a\\ufffeb\\uffff"  # type: ignore[union-attr]


def test_ascii_junit_is_the_same_document() -> None:
    report = located()
    text = to_junit(report, ascii=True)
    assert text.isascii()
    assert not to_junit(report).isascii()  # the Principles' macrons, as they are
    assert ET.tostring(parsed(text)) == ET.tostring(parsed(to_junit(report)))


def test_load_problems_are_errors() -> None:
    p = dpup.Problem(
        path=("flows", 0, "to"), message="unknown holder 'x'", file="./a.yaml", line=7, found="'x'"
    )
    text = problems_to_junit([p, attrs.evolve(p, file=None, line=None)], omitted={"a.yaml": 2})
    root = parsed(text)
    assert_counted(root)
    assert (root.get("errors"), root.get("failures")) == ("3", "0")
    suites = list(root.iter("testsuite"))
    assert [s.get("name") for s in suites] == ["a.yaml", "dpup"]
    first, more = suites[0].iter("testcase")
    assert (first.get("name"), first.get("file"), first.get("line")) == (
        f"{LOAD_RULE} invalid agreement: $.flows[0].to",
        "a.yaml",
        "7",
    )
    error = first.find("error")
    assert error is not None
    assert (error.get("message"), error.get("type")) == ("unknown holder 'x'", LOAD_RULE)
    assert error.text == "$.flows[0].to: unknown holder 'x' (found 'x')"
    assert (
        more.find("error").text == "and 2 more problems in a.yaml, not listed (only the first of a file are)"
    )  # type: ignore[union-attr]
    assert more.get("name") == f"{LOAD_RULE} invalid agreement: more problems"
    (nowhere,) = suites[1].iter("testcase")
    assert (nowhere.get("file"), nowhere.get("line")) == (None, None)


def test_check_format_junit(tmp_path: Path) -> None:
    code, out, err = run("check", "--format", "junit", str(AFTER), str(BEFORE))
    assert (code, err) == (EXIT_FINDINGS, "")
    root = parsed(out)
    assert_counted(root)
    assert [s.get("name") for s in root.iter("testsuite")] == [
        _repository_path(str(p)) for p in (AFTER, BEFORE)
    ]
    code, out, err = run("check", "--format", "junit", "--select", "ME008", str(AFTER))
    assert code == EXIT_OK
    assert parsed(out).get("tests") == "1"
    assert err == "0 findings of checks left out by --select not shown.\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text("dpup: 1\nagreement: {id: a, title: T}\nflow: []\n", encoding="utf-8")
    code, out, _ = run("check", "--format", "junit", str(bad))
    assert code == EXIT_INVALID
    root = parsed(out)
    assert (root.get("tests"), root.get("errors")) == ("1", "1")


def test_findings_of_one_check_and_subject_are_told_apart(tmp_path: Path) -> None:
    # two undeclared purposes named by one purpose are two findings of PM012 on it: GitLab
    # would count two test cases of the same name as one, and lose a finding
    a = dpup.load(AFTER)
    first = attrs.evolve(a.purposes[0], compatible_with=("nope-a", "nope-b"))
    path = tmp_path / "draft.yaml"
    dpup.dump(attrs.evolve(a, purposes=[first, *a.purposes[1:]]), path)
    code, out, _ = run("check", "--format", "junit", str(path))
    assert code == EXIT_FINDINGS
    root = parsed(out)
    assert_counted(root)
    names = [c.get("name") for c in root.iter("testcase") if c.get("name", "").startswith("PM012 ")]
    assert names == [
        f"PM012 reference-to-undeclared-purpose: {first.id} (nope-a)",
        f"PM012 reference-to-undeclared-purpose: {first.id} (nope-b)",
    ]
    # near miss: a finding alone on its check and subject keeps its name as it is
    (me008,) = [c for c in root.iter("testcase") if c.get("name", "").startswith("ME008 ")]
    assert me008.get("name") == "ME008 aggregate-about-no-one: programme-findings"


def test_test_cases_of_one_name_are_numbered() -> None:
    f = dpup.Finding(
        code="XX001", family="sharing-value", severity="info", subject="s", message="m", file="a.yaml"
    )
    others = [attrs.evolve(f, message="n"), attrs.evolve(f, file="b.yaml"), attrs.evolve(f, message="o")]
    root = parsed(to_junit(dpup.Report.of([f, *others]), fail_on="info"))
    assert_counted(root)
    assert [(c.get("classname"), c.get("name")) for c in root.iter("testcase")] == [
        ("a", "XX001: s"),
        ("a", "XX001: s [2]"),
        ("a", "XX001: s [3]"),
        ("b", "XX001: s"),  # another file's, another suite's: as it is
    ]
    # findings with related ids, all of them named; the same ones again, numbered
    related = [attrs.evolve(f, related=r) for r in (("x", "y"), ("x", "z"), ("x", "y"))]
    root = parsed(to_junit(dpup.Report.of(related), fail_on="info"))
    assert [c.get("name") for c in root.iter("testcase")] == [
        "XX001: s (x, y)",
        "XX001: s (x, y) [2]",  # a report is in order: by related ids too
        "XX001: s (x, z)",
    ]
    p = dpup.Problem(path=("flows", 0), message="not a flow", file="a.yaml", line=3)
    root = parsed(problems_to_junit([p, attrs.evolve(p, message="no id", line=4)]))
    assert_counted(root)
    assert [c.get("name") for c in root.iter("testcase")] == [
        f"{LOAD_RULE} invalid agreement: $.flows[0]",
        f"{LOAD_RULE} invalid agreement: $.flows[0] [2]",
    ]


def test_report_to_junit_fails_from_a_warning_unless_told_otherwise() -> None:
    report = dpup.check_files(str(BEFORE))
    root = parsed(report.to_junit())
    assert root.get("failures") == "42"  # its errors and warnings
    assert parsed(dpup.check_files(str(AFTER)).to_junit()).get("failures") == "0"  # an info finding
    assert parsed(report.to_junit(fail_on="error")).get("failures") == "24"  # near miss
    assert report.to_junit(ascii=True).isascii()
    assert not report.to_junit().isascii()  # the Principles' macrons


def test_no_threshold_fails_nothing() -> None:
    report = located()
    assert parsed(to_junit(report, fail_on=None)).get("failures") == "0"
    assert parsed(to_junit(report, fail_on="never")).get("failures") == "0"
    assert parsed(to_junit(report, fail_on=dpup.Severity.ERROR)).get("failures") == "24"  # near miss


def _many(tmp_path: Path) -> Path:
    """A file with 250 problems, of which the first 100 are listed."""
    path = tmp_path / "many.yaml"
    keys = "".join(f"  extra{i}: x\n" for i in range(250))
    path.write_text(f"dpup: 1\nagreement:\n  id: d\n  title: T\n{keys}", encoding="utf-8")
    return path


def test_the_command_says_a_file_has_more_problems_than_are_listed(tmp_path: Path) -> None:
    path = _many(tmp_path)
    more = f"and 150 more problems in {path}, not listed (only the first of a file are)"
    code, out, _ = run("check", "--format", "github", str(path))
    assert code == EXIT_INVALID
    found = commands(out)
    assert len(found) == 101
    assert found[-1]["message"] == more
    code, out, _ = run("compare", "--format", "github", str(AFTER), str(path))
    assert code == EXIT_INVALID
    assert commands(out)[-1]["message"] == more
    code, out, _ = run("check", "--format", "gitlab", str(path))
    issues = json.loads(out)
    assert_code_quality(issues)
    assert (len(issues), issues[-1]["description"]) == (101, f"{LOAD_RULE} invalid agreement: {more}")
    code, out, _ = run("check", "--format", "junit", str(path))
    root = parsed(out)
    assert_counted(root)
    assert root.get("errors") == "101"
    assert list(root.iter("testcase"))[-1].find("error").text == more  # type: ignore[union-attr]


def test_a_stream_that_is_not_utf8_gets_the_same_report(tmp_path: Path) -> None:
    # the stream's own escapes (\u0101, \U0001d400) are not XML's, nor JSON's past the BMP:
    # GitLab's report gets JSON's escapes, JUnit XML character references
    draft = tmp_path / "draft.yaml"
    text = BEFORE.read_text(encoding="utf-8").replace("evaluation-to-contractor", "aromātai-𝐀")
    draft.write_text(text, encoding="utf-8")
    bad = tmp_path / "whānau.yaml"
    bad.write_text("dpup: 1\nagreement: {id: a, title: T}\nwhānau-𝐀: []\n", encoding="utf-8")
    for path, status in ((draft, EXIT_FINDINGS), (bad, EXIT_INVALID)):
        for format, read in (("gitlab", json.loads), ("junit", lambda t: ET.tostring(parsed(t)))):
            code, out, _ = run("check", "--format", format, str(path))
            assert (code, "𝐀" in out) == (status, True)  # near miss: a UTF-8 stream gets it as it is
            code, written = ascii_run("check", "--format", format, str(path))
            assert code == status
            assert "\\U0001d400" not in written  # the stream's escape
            assert read(written) == read(out)


def test_compare_format_github_says_the_comparison_and_what_select_left_out() -> None:
    code, out, _ = run("compare", "--format", "github", "--select", "PM", str(AFTER), str(BEFORE))
    assert code == EXIT_FINDINGS
    before, after = dpup.check_files(str(AFTER)), dpup.check_files(str(BEFORE))
    pm = [r.filter(lambda f: f.code.startswith("PM")) for r in (before, after)]
    comparison = dpup.compare(*pm)
    left_out = len(before) + len(after) - len(pm[0]) - len(pm[1])
    assert len(commands(out)) == len(comparison.new) > 0
    assert [line for line in out.splitlines() if not line.startswith("::")] == [
        f"dpup compare {AFTER} -> {BEFORE}: {comparison.summary()}",
        f"{left_out} findings of checks left out by --select not shown (in the two drafts).",
        "fails at --fail-on warning: a new finding reaches it",
    ]
