"""Finding and Report: deterministic order, counts, thresholds and JSON."""

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
import dpup.report
from dpup import Acceptance, Family, Finding, Report, Severity
from dpup.render import render_text

FIELDS = {
    "code",
    "family",
    "severity",
    "subject",
    "related",
    "principles",
    "guideline",
    "message",
    "remediation",
    "path",
    "agreement",
    "where",
    "file",
    "line",
    "fingerprint",
    "accepted",
}

PREFIX = {
    "PM": Family.PURPOSE_MISMATCH,
    "ME": Family.MISSING_EXPLANATION,
    "UH": Family.UNTRACEABLE_HOLDER,
    "SV": Family.SHARING_VALUE,
}


def finding(
    code: str = "PM004",
    severity: str = "error",
    subject: str = "flow-1",
    *,
    related: tuple[str, ...] = (),
    agreement: str | None = "a",
    accepted: Acceptance | None = None,
    message: str = "something is wrong",
) -> Finding:
    return Finding(
        code=code,
        family=PREFIX[code[:2]],
        severity=severity,
        subject=subject,
        related=related,
        principles=("He Tāngata",),
        guideline="Purpose Matters",
        message=message,
        remediation="fix it",
        path=("x", "y"),
        agreement=agreement,
        accepted=accepted,
    )


ACCEPTED = Acceptance(code="PM004", subject="flow-1", reason="Agreed with the iwi", by="Contract manager")

ids = st.sampled_from(["a", "b", "c", "flow-1", "flow-2", "parents", "ccss"])
findings = st.builds(
    finding,
    code=st.sampled_from(["PM001", "PM004", "ME001", "ME004", "UH001", "UH003", "SV001", "SV002"]),
    severity=st.sampled_from(["error", "warning", "info"]),
    subject=ids,
    related=st.lists(ids, max_size=3).map(tuple),
    agreement=st.sampled_from(["a", "b", None]),
    accepted=st.sampled_from([None, None, ACCEPTED]),
)


# -- order -------------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(findings, max_size=12), st.randoms(use_true_random=False))
def test_order_does_not_depend_on_the_order_findings_come_in(items: list[Finding], rnd: object) -> None:
    # one finding per sort key, as dpup.check makes them (see test_order_is_total below)
    items = list({f.sort_key(): f for f in items}.values())
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert Report.of(items).findings == Report.of(shuffled).findings
    order = list(Family)
    keys = [
        (order.index(f.family), f.code, f.agreement or "", f.subject, f.related) for f in Report.of(items)
    ]
    assert keys == sorted(keys)


def test_order_is_family_then_code_agreement_subject_related() -> None:
    fs = [
        finding("SV001", "warning", "agency"),
        finding("ME001", "error", "b-flow"),
        finding("ME001", "error", "a-flow", agreement="z"),
        finding("ME001", "error", "a-flow", related=("parents",)),
        finding("ME001", "error", "a-flow"),
        finding("UH001", "error", "ccss"),
        finding("PM007", "warning", "evaluation"),
        finding("PM004", "error", "tender"),
    ]
    assert [(f.code, f.agreement, f.subject, f.related) for f in Report.of(fs)] == [
        ("PM004", "a", "tender", ()),
        ("PM007", "a", "evaluation", ()),
        ("ME001", "a", "a-flow", ()),
        ("ME001", "a", "a-flow", ("parents",)),
        ("ME001", "a", "b-flow", ()),
        ("ME001", "z", "a-flow", ()),
        ("UH001", "a", "ccss", ()),
        ("SV001", "a", "agency", ()),
    ]


def test_order_is_total() -> None:
    one = finding("UH004", subject="audit", message="flow 'audit' (a -> b) is not declared")
    two = attrs.evolve(one, message="flow 'audit' (b -> c) is not declared", path=("b", "c"))
    assert Report.of([one, two]).findings == Report.of([two, one]).findings


def test_a_real_run_is_deterministic() -> None:
    runs = [dpup.check(dpup.examples.load("best-foot-forward-before")) for _ in range(3)]
    assert runs[0].to_json() == runs[1].to_json() == runs[2].to_json()
    assert list(runs[0]) == sorted(runs[0], key=Finding.sort_key)


# -- counts ------------------------------------------------------------------------------------


def test_counts_of_nothing_are_all_zero() -> None:
    assert Report.of([]).counts() == {
        "purpose-mismatch": 0,
        "missing-explanation": 0,
        "untraceable-holder": 0,
        "sharing-value": 0,
        "error": 0,
        "warning": 0,
        "info": 0,
        "accepted": 0,
    }


def test_counts_by_family_and_severity_leave_accepted_findings_out() -> None:
    report = Report.of(
        [
            finding("PM004", "error", "f1"),
            finding("PM004", "error", "f2"),
            finding("PM006", "warning", "p1"),
            finding("ME008", "info", "i1"),
            finding("SV002", "warning", "i2"),
            finding("PM004", "error", "flow-1", accepted=ACCEPTED),
        ]
    )
    assert report.counts() == {
        "purpose-mismatch": 3,
        "missing-explanation": 1,
        "untraceable-holder": 0,
        "sharing-value": 1,
        "error": 2,
        "warning": 2,
        "info": 1,
        "accepted": 1,
    }


@settings(max_examples=50, deadline=None)
@given(st.lists(findings, max_size=12))
def test_counts_add_up(items: list[Finding]) -> None:
    report = Report.of(items)
    counts = report.counts()
    open_ = [f for f in items if f.accepted is None]
    assert counts["accepted"] == len(items) - len(open_)
    assert sum(counts[f.value] for f in Family) == len(open_)
    assert sum(counts[s.value] for s in Severity) == len(open_)
    assert {s.value: counts[s.value] for s in Severity} == {
        s.value: Counter(f.severity for f in open_)[s] for s in Severity
    }
    assert len(report) == len(items)
    assert set(report.open()) == set(open_)
    by_family = report.by_family()
    assert list(by_family) == [f for f in Family if f in by_family]
    assert sum(len(v) for v in by_family.values()) == len(items)
    assert all(f.family == fam for fam, fs in by_family.items() for f in fs)


# -- thresholds --------------------------------------------------------------------------------

THRESHOLDS = ["error", "warning", "info", "never", None]


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ((), {"error": False, "warning": False, "info": False, "never": False, None: False}),
        (("info",), {"error": False, "warning": False, "info": True, "never": False, None: False}),
        (("warning", "info"), {"error": False, "warning": True, "info": True, "never": False, None: False}),
        (("error",), {"error": True, "warning": True, "info": True, "never": False, None: False}),
    ],
    ids=["nothing", "info", "warning", "error"],
)
def test_fails_at_threshold(severities: tuple[str, ...], expected: dict[str | None, bool]) -> None:
    report = Report.of([finding("PM004", s, f"f{i}") for i, s in enumerate(severities)])
    assert {t: report.fails(t) for t in THRESHOLDS} == expected
    assert {t.value: report.fails(t) for t in Severity} == {t.value: expected[t.value] for t in Severity}


def test_fails_defaults_to_warning() -> None:
    assert Report.of([finding("PM006", "warning")]).fails()
    assert not Report.of([finding("ME008", "info")]).fails()


def test_accepted_findings_never_fail() -> None:
    report = Report.of([finding("PM004", "error", accepted=ACCEPTED)])
    assert {t: report.fails(t) for t in THRESHOLDS} == dict.fromkeys(THRESHOLDS, False)
    assert report.open() == ()


def test_an_unknown_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="fatal"):
        Report.of([]).fails("fatal")


@pytest.mark.parametrize("threshold", ["warn", "WARNING", 3, ["error"]])
def test_an_unknown_threshold_is_refused_naming_the_parameter_and_the_choices(threshold: object) -> None:
    report = Report.of([finding("PM004", "error")])
    choices = "expected one of 'error', 'warning', 'info', 'never' or None, found"
    with pytest.raises(ValueError, match=r"^threshold: ") as caught:
        report.fails(threshold)  # type: ignore[arg-type]
    assert str(caught.value) == f"threshold: {choices} {threshold!r}"
    with pytest.raises(ValueError, match=rf"^threshold: {re.escape(choices)}"):
        dpup.compare(report, report).fails(threshold)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=rf"^fail_on: {re.escape(choices)}"):
        report.to_html(fail_on=threshold)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=rf"^fail_on: {re.escape(choices)}"):
        report.to_junit(fail_on=threshold)  # type: ignore[arg-type]


def test_severity_ranks() -> None:
    assert Severity.ERROR.rank > Severity.WARNING.rank > Severity.INFO.rank


# -- JSON --------------------------------------------------------------------------------------


def test_to_json_holds_one_object_per_finding_with_every_field() -> None:
    fs = [
        finding("PM004", "error", "flow-1", related=("family-record", "evaluation"), accepted=ACCEPTED),
        finding("UH004", "error", "audit", agreement=None),
        finding("SV002", "warning", "family-record", related=("ccss",)),
    ]
    report = Report.of(fs)
    data = json.loads(report.to_json())
    assert len(data["findings"]) == len(report)
    for obj, f in zip(data["findings"], report, strict=True):
        assert set(obj) == FIELDS
        assert obj == {
            "code": f.code,
            "family": f.family.value,
            "severity": f.severity.value,
            "subject": f.subject,
            "related": list(f.related),
            "principles": list(f.principles),
            "guideline": f.guideline,
            "message": f.message,
            "remediation": f.remediation,
            "path": list(f.path),
            "agreement": f.agreement,
            "where": f.where,
            "file": f.file,
            "line": f.line,
            "fingerprint": f.fingerprint,
            "accepted": None if f.accepted is None else {"reason": f.accepted.reason, "by": f.accepted.by},
        }
    first = data["findings"][0]
    assert first["accepted"] == {"reason": "Agreed with the iwi", "by": "Contract manager"}
    assert data["findings"][1]["agreement"] is None
    assert data["counts"] == report.counts()


def test_to_json_of_a_real_run() -> None:
    report = dpup.check(dpup.examples.load("best-foot-forward-before"))
    text = report.to_json()
    data = json.loads(text)
    assert [o["fingerprint"] for o in data["findings"]] == [f.fingerprint for f in report]
    assert all(set(o) == FIELDS for o in data["findings"])
    assert "He Tāngata" in text  # not \u-escaped
    assert text.startswith('{\n  "findings": [\n    {\n      "code": ')  # indented by two
    assert "\n" not in report.to_json(indent=None)
    assert json.loads(report.to_json(indent=None)) == data


def test_to_json_of_nothing() -> None:
    assert json.loads(Report.of([]).to_json()) == {"findings": [], "counts": Report.of([]).counts()}


# -- Finding -------------------------------------------------------------------------------------


def test_finding_takes_family_and_severity_as_strings_or_enums() -> None:
    f = finding("PM004", "warning")
    assert f.family is Family.PURPOSE_MISMATCH
    assert f.severity is Severity.WARNING
    assert attrs.evolve(f, severity=Severity.ERROR).severity is Severity.ERROR
    with pytest.raises(ValueError, match="fatal"):
        finding("PM004", "fatal")
    with pytest.raises(ValueError, match="purpose-mismatches"):
        attrs.evolve(f, family="purpose-mismatches")


def test_fingerprint_depends_on_what_the_finding_is_about_only() -> None:
    f = finding("PM004", related=("b", "a"))
    assert f.fingerprint == attrs.evolve(f, related=("a", "b")).fingerprint
    assert f.fingerprint == attrs.evolve(f, message="reworded", remediation="other", path=()).fingerprint
    assert f.fingerprint == attrs.evolve(f, accepted=ACCEPTED, severity="info").fingerprint
    for change in ({"code": "PM005"}, {"subject": "x"}, {"agreement": "z"}, {"related": ("a",)}):
        assert attrs.evolve(f, **change).fingerprint != f.fingerprint


def test_html_escapes_what_the_agreement_says() -> None:
    html = Report.of([finding(message="<script>alert(1)</script> & more")])._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<tr>") == 2


def test_html_counts_the_findings_and_marks_the_accepted() -> None:
    report = Report.of(
        [
            finding(),
            finding("PM005", "warning", "f2", agreement="b"),
            finding(accepted=ACCEPTED, subject="f3"),
        ]
    )
    html = report._repr_html_()
    assert (
        "<caption>3 findings: 1 error, 1 warning, 0 info, 1 accepted</caption>" in html
    )  # open ones by severity
    assert html.count("<tr>") == 4
    assert "<td>error (accepted)</td>" in html
    assert "<td>b</td>" in html  # the agreement, which a sector's report needs
    assert "first" not in html


def test_html_of_a_long_report_shows_the_first_rows_and_says_how_many_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = Report.of([finding(subject=f"flow-{i:03}") for i in range(25)])
    monkeypatch.setattr(dpup.report, "HTML_ROWS", 10)
    html = report._repr_html_()
    assert html.count("<tr>") == 11
    assert "<td>flow-009</td>" in html
    assert "<td>flow-010</td>" not in html
    assert "The first 10 of 25 findings" in html
    monkeypatch.setattr(dpup.report, "HTML_ROWS", 25)
    assert report._repr_html_().count("<tr>") == 26


def test_the_sort_key_tells_apart_findings_that_differ_only_in_principles_or_guideline() -> None:
    a = dpup.Finding(
        code="PM001", family="purpose-mismatch", severity="error", subject="f", principles=("A",)
    )
    b = attrs.evolve(a, principles=("B",))
    c = attrs.evolve(a, guideline="Purpose Matters")
    for x, y in ((a, b), (a, c)):
        assert x.sort_key() != y.sort_key()
        assert dpup.Report.of([x, y]) == dpup.Report.of([y, x])


# -- text -------------------------------------------------------------------------------------

LONG_IDS = ("housing-referral-form", "evaluation-contractor", "refer-housing", "agency.service-reporting")


@pytest.mark.parametrize("width", range(30, 61, 3))
def test_text_never_breaks_an_id_at_its_hyphens(width: int) -> None:
    message = "flow " + " reaches ".join(f"'{i}'" for i in LONG_IDS) + " with no explanation"
    text = render_text(Report.of([finding(message=message)]), width=width)
    for i in LONG_IDS:
        assert f"'{i}'" in text, text
    # near miss: plain words still wrap to the width
    body = [line for line in text.splitlines() if line.startswith("      ")]
    assert len(body) > 2
    assert all(len(line) <= width or " " not in line.strip() for line in body), text


def test_text_keeps_an_id_longer_than_the_line_whole() -> None:
    long_id = "a-very-long-identifier-" * 4
    text = render_text(Report.of([finding(message=f"see '{long_id}' now")]), width=40)
    assert f"'{long_id}'" in text


def test_text_marks_an_accepted_finding_with_its_severity_as_html_does() -> None:
    report = Report.of([finding(), finding(accepted=ACCEPTED, subject="f3", severity="warning")])
    lines = render_text(report).splitlines()
    assert "  PM004  warning (accepted) f3" in lines
    assert "  PM004  error    flow-1" in lines  # near miss: an open finding shows its severity alone
    assert "<td>warning (accepted)</td>" in report._repr_html_()


def test_str_of_a_report_is_its_text() -> None:
    report = dpup.check(dpup.examples.load("best-foot-forward-before"))
    assert str(report) == report.to_text() == render_text(report)
    assert str(report).endswith(report.summary() + "\n")
    assert "Finding(" not in str(report)
    assert repr(report).startswith("Report(findings=")  # near miss: repr stays the attrs one


# -- where each finding is -------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "best-foot-forward-before.yaml"


def test_location_says_what_is_known() -> None:
    f = finding()
    assert f.where is None
    assert f.location is None
    f = attrs.evolve(f, where="$.flows[3]")
    assert f.location == "$.flows[3]"
    assert attrs.evolve(f, file="a.toml").location == "a.toml: $.flows[3]"
    assert attrs.evolve(f, file="a.yaml", line=87).location == "a.yaml:87: $.flows[3]"
    assert attrs.evolve(f, where=None, file="a.yaml", line=87).location is None


def test_text_says_where_under_the_heading_and_never_breaks_a_file_name() -> None:
    f = attrs.evolve(finding(), where="$.holders[1].teams[0]")
    assert render_text(Report.of([f])).splitlines()[2] == "      at $.holders[1].teams[0]"
    long = attrs.evolve(f, file="agreements/a file with spaces in its rather long name.yaml", line=30)
    assert render_text(Report.of([long])).splitlines()[2] == (
        "      at agreements/a file with spaces in its rather long name.yaml:30: $.holders[1].teams[0]"
    )
    assert render_text(Report.of([long]), width=60).splitlines()[2:4] == [
        "      at agreements/a file with spaces in its rather long name.yaml:30:",
        "      $.holders[1].teams[0]",
    ]
    assert "      at" not in render_text(Report.of([finding()]))  # nowhere: no line


def test_located_fills_in_file_and_line_from_the_file_its_agreement_came_from(tmp_path: Path) -> None:
    agreement = dpup.load(EXAMPLE)
    report = dpup.check(agreement)
    located = report.located({agreement.id: EXAMPLE})
    assert len(located) == len(report)
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for before, after in zip(report, located, strict=True):
        assert attrs.evolve(after, file=None, line=None) == before
        assert after.file == str(EXAMPLE)
        assert after.line is not None
        assert text[after.line - 1].strip() == f"- id: {after.subject}"
        assert after.fingerprint == before.fingerprint
    assert report.located({}) == report
    assert report.located({"another-agreement": EXAMPLE}) == report


def test_located_reads_a_file_once_and_only_a_file_with_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dpup.files

    clean = dpup.Agreement(id="nothing-shared", title="Nothing shared")
    before = dpup.load(EXAMPLE)
    report = dpup.check(dpup.graph(before, clean))
    assert {f.agreement for f in report} == {before.id}
    read: list[str] = []
    real = dpup.files._lines_in_file
    monkeypatch.setattr(dpup.files, "_lines_in_file", lambda p, fs: read.append(p) or real(p, fs))
    monkeypatch.setattr(dpup.report, "_lines_in_file", dpup.files._lines_in_file)
    report.located({before.id: EXAMPLE, clean.id: tmp_path / "never-read.yaml"})
    assert read == [str(EXAMPLE)]


def test_located_gives_no_line_where_the_file_cannot_tell(tmp_path: Path) -> None:
    agreement = dpup.load(EXAMPLE)
    report = dpup.check(agreement)
    gone = report.located({agreement.id: tmp_path / "gone.yaml"})  # moved since it was loaded
    assert all(f.file == str(tmp_path / "gone.yaml") and f.line is None for f in gone)
    emptied = tmp_path / "emptied.yaml"  # changed since: the declarations are not there now
    emptied.write_text("dpup: 1\nagreement: {id: x, title: X}\n", encoding="utf-8")
    assert all(f.line is None for f in report.located({agreement.id: emptied}))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert all(f.line is None for f in report.located({agreement.id: broken}))
    odd = tmp_path / "agreement.txt"  # no format to read it by
    assert all(f.file == str(odd) and f.line is None for f in report.located({agreement.id: odd}))


def test_located_leaves_a_finding_with_no_where_with_its_file_but_no_line() -> None:
    agreement = dpup.load(EXAMPLE)
    f = finding(agreement=agreement.id)  # about 'flow-1', which the agreement does not declare
    (located,) = Report.of([f]).located({agreement.id: EXAMPLE})
    assert (located.where, located.file, located.line) == (None, str(EXAMPLE), None)


@pytest.mark.parametrize(
    ("sources", "shown"), [(str(EXAMPLE), repr(str(EXAMPLE)) + " (a str)"), ([EXAMPLE], None)]
)
def test_located_refuses_what_is_not_a_mapping_of_ids_to_files(sources: object, shown: str | None) -> None:
    """A file name alone matched nothing, or (by ``in``) an id that is part of it."""
    report = dpup.check(dpup.load(EXAMPLE))
    with pytest.raises(
        TypeError, match=r"^located takes a mapping of each agreement's id to the file"
    ) as caught:
        report.located(sources)  # type: ignore[arg-type]
    if shown is not None:
        assert str(caught.value).endswith(f"({{agreement.id: path}}), not {shown}")


def test_junit_refuses_a_single_file_name_as_the_files() -> None:
    """A string is a sequence, of letters: each was a test suite."""
    with pytest.raises(
        TypeError, match=r"^files must be a sequence of file names, not the single string 'a.yaml'$"
    ):
        Report.of([]).to_junit(files="a.yaml")


def test_the_jupyter_table_says_where() -> None:
    agreement = dpup.load(EXAMPLE)
    html = dpup.check(agreement).located({agreement.id: EXAMPLE})._repr_html_()
    assert "<th>where</th>" in html
    assert f"<td>{EXAMPLE}:" in html
    assert ": $.flows[3]</td>" in html


def test_severities_compare_by_how_much_they_matter_not_alphabetically() -> None:
    error, warning, info = Severity.ERROR, Severity.WARNING, Severity.INFO
    assert sorted(Severity) == [info, warning, error]
    assert sorted(["warning", error, "info"]) == ["info", "warning", "error"]
    assert error > warning > info
    assert warning >= warning
    assert warning <= "warning"
    assert not info >= warning
    assert warning < "error"
    assert "error" > warning  # a value on the left  # noqa: SIM300
    assert max(Severity) is error
    assert min(Severity) is info
    report = dpup.check(dpup.examples.load("best-foot-forward-before"))
    errors = [f for f in report if f.severity > warning]
    assert errors == [f for f in report if f.severity.rank == 3]
    assert 0 < len(errors) < len(report.findings)  # errors and warnings told apart
    assert [f for f in report if f.severity >= "warning"] == list(report)  # it has no info


def test_a_severity_is_not_less_or_greater_than_itself_and_at_most_what_outranks_it() -> None:
    error, warning, info = Severity.ERROR, Severity.WARNING, Severity.INFO
    # strict comparisons are strict, with a severity or its value
    assert not warning < warning
    assert not warning < "warning"
    assert not warning > warning
    assert not warning > "warning"
    # <= and >= go the way the rank goes (a near miss of the strict ones above)
    assert info <= warning <= error
    assert not error <= warning
    assert not info >= "warning"
    assert error >= "warning"


@pytest.mark.parametrize(
    ("other", "shown"), [("zzz", "'zzz'"), (3, "3"), ([], "[]"), ({"error"}, "{'error'}")]
)
def test_the_type_error_names_what_a_severity_was_compared_with(other: object, shown: str) -> None:
    # unhashable things too: the message, not a dict lookup's "unhashable type"
    error = Severity.ERROR
    with pytest.raises(TypeError, match=re.escape(f"('error', 'warning' or 'info'), not {shown}") + "$"):
        _ = error < other  # type: ignore[operator]


@pytest.mark.parametrize("other", ["zzz", "", 3, None])
def test_a_severity_compared_with_something_else_is_a_type_error(other: object) -> None:
    error = Severity.ERROR
    with pytest.raises(TypeError, match="a severity can be compared only with a severity"):
        _ = error < other  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = other > error  # type: ignore[operator]
    assert error != other


def test_str_of_a_finding_is_one_line_as_a_compiler_writes_a_problem() -> None:
    f = finding(message="flow 'x' is for nothing")
    assert str(f) == "PM004 error: flow 'x' is for nothing"  # where it is not known
    f = attrs.evolve(f, where="$.flows[3]")
    assert str(f) == "$.flows[3]: PM004 error: flow 'x' is for nothing"
    f = attrs.evolve(f, file="a.yaml", line=87)
    assert str(f) == "a.yaml:87: $.flows[3]: PM004 error: flow 'x' is for nothing"
    accepted = Acceptance(code="PM004", subject="flow-1", reason="in hand", by="both")
    assert str(attrs.evolve(f, accepted=accepted, severity=Severity.WARNING)) == (
        "a.yaml:87: $.flows[3]: PM004 warning (accepted): flow 'x' is for nothing"
    )
    assert repr(f).startswith("Finding(code='PM004'")  # near miss: repr stays the attrs one
    located = dpup.check(dpup.load(EXAMPLE)).located({"best-foot-forward-before": str(EXAMPLE)})
    first = next(iter(located))
    assert str(first).startswith(f"{EXAMPLE}:{first.line}: {first.where}: {first.code} ")
    assert "\n" not in str(first)


# -- selecting findings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("findings", "message"),
    [
        ([1], "Report.findings must hold Finding objects, not 1 (an int)"),
        ("PM004", "Report.findings must be a list of Finding objects, not the single string 'PM004'"),
        (None, "Report.findings must be a list of Finding objects, not None"),
    ],
)
def test_a_report_of_what_is_not_findings_says_so(findings: object, message: str) -> None:
    with pytest.raises(TypeError) as caught:
        Report(findings=findings)  # type: ignore[arg-type]
    assert str(caught.value) == message
    with pytest.raises(TypeError, match=re.escape(message)):
        Report.of(findings)  # type: ignore[arg-type]


def test_a_report_is_indexed_as_its_findings_and_sliced_into_a_report() -> None:
    report = Report.of([finding("SV001"), finding("PM001"), finding("ME001")])
    assert [report[i].code for i in range(3)] == ["PM001", "ME001", "SV001"]
    assert report[-1].code == "SV001"
    head = report[:2]
    assert isinstance(head, Report)
    assert [f.code for f in head] == ["PM001", "ME001"]
    assert report[5:] == Report.of([])
    with pytest.raises(IndexError):
        report[3]


criteria = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from(["PM004", "ME001", "UH003"]) | st.lists(st.sampled_from(["PM001", "SV002"])),
        "family": st.sampled_from(list(Family)) | st.lists(st.sampled_from([f.value for f in Family])),
        "severity": st.sampled_from(["error", "warning", "info"])
        | st.frozensets(st.sampled_from(list(Severity))),
        "at_least": st.sampled_from(["error", "warning", "info", Severity.WARNING]),
        "agreement": st.sampled_from(["a", "b"]) | st.lists(st.sampled_from(["a", "c"]), max_size=2),
        "subject": st.sampled_from(["flow-1", "parents"]) | st.tuples(st.sampled_from(["ccss", "b"])),
        "accepted": st.booleans(),
    },
)


def _meets(f: Finding, name: str, value: object) -> bool:
    """One criterion of Report.filter, written out the long way."""
    if name == "at_least":
        order = ["info", "warning", "error"]
        return order.index(f.severity.value) >= order.index(str(value))
    if name == "accepted":
        return (f.accepted is not None) == value
    many = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    field = {"code": f.code, "family": f.family.value, "severity": f.severity.value}.get(name)
    if field is None:
        field = getattr(f, name)
    return field in [str(v) for v in many]


@settings(max_examples=200, deadline=None)
@given(st.lists(findings, max_size=12), criteria)
def test_filter_keeps_exactly_the_findings_meeting_every_criterion(
    items: list[Finding], given_criteria: dict[str, object]
) -> None:
    report = Report.of(items)
    kept = report.filter(**given_criteria)  # type: ignore[arg-type]
    expected = [f for f in report if all(_meets(f, k, v) for k, v in given_criteria.items())]
    assert list(kept) == expected
    assert isinstance(kept, Report)
    assert list(report.filter()) == list(report)


def test_filter_takes_a_function_of_a_finding_with_the_criteria() -> None:
    report = Report.of([finding("PM004", subject="a"), finding("PM004", subject="b"), finding("ME001")])
    assert [f.subject for f in report.filter(lambda f: f.subject != "a")] == ["b", "flow-1"]
    assert [f.subject for f in report.filter(lambda f: f.subject != "a", code="PM004")] == ["b"]
    assert len(report.filter(lambda f: None)) == 0  # what the function gives is taken as true or false


def test_filter_of_a_real_run() -> None:
    report = dpup.check(dpup.examples.load("best-foot-forward-before"))
    errors = report.filter(at_least="error")
    assert len(errors) == report.counts()["error"] > 0
    assert {f.severity for f in errors} == {Severity.ERROR}
    pm = report.filter(family=Family.PURPOSE_MISMATCH)
    assert len(pm) == report.counts()["purpose-mismatch"]
    assert {f.code for f in report.filter(code=["PM004", "UH003"])} == {"PM004", "UH003"}


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"code": "PM04"}, "code: no check has the code 'PM04' (did you mean 'PM004'?)"),
        ({"code": ["PM004", "XX999"]}, "code: no check has the code 'XX999'"),
        ({"family": "purpose-mismatches"}, "family: expected one of 'purpose-mismatch', "),
        ({"severity": "fatal"}, "severity: expected one of 'error', 'warning', 'info', found 'fatal'"),
        ({"at_least": "high"}, "at_least: expected one of 'error', 'warning', 'info', found 'high'"),
    ],
)
def test_filter_refuses_a_criterion_that_cannot_match_anything(
    criteria: dict[str, str], message: str
) -> None:
    report = Report.of([finding()])
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        report.filter(**criteria)  # type: ignore[arg-type]


def test_filter_takes_a_code_found_in_the_report_though_no_check_has_it() -> None:
    mine = attrs.evolve(finding(), code="PM777")
    assert list(Report.of([mine, finding()]).filter(code="PM777")) == [mine]


@pytest.mark.parametrize("value", [4, [4], b"flow-1"])
def test_filter_refuses_what_is_not_text(value: object) -> None:
    with pytest.raises(TypeError, match=r"^subject: expected text"):
        Report.of([finding()]).filter(subject=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"agreement": 4}, "agreement: expected text or an iterable of text, found int"),
        ({"code": 4.5}, "code: expected text or an iterable of text, found float"),
        ({"subject": ["flow-1", Decimal("1.5")]}, "subject: expected text, found Decimal Decimal('1.5')"),
        ({"family": [b"purpose-mismatch"]}, "family: expected text, found bytes b'purpose-mismatch'"),
        ({"severity": [None]}, "severity: expected text, found NoneType None"),
    ],
)
def test_filter_says_in_whole_which_criterion_is_not_text(criteria: dict[str, object], message: str) -> None:
    with pytest.raises(TypeError, match="^" + re.escape(message) + "$"):
        Report.of([finding()]).filter(**criteria)  # type: ignore[arg-type]


def test_filter_gives_no_hint_for_a_code_like_no_other() -> None:
    with pytest.raises(ValueError, match=r"^code: no check has the code 'XX999'$"):
        Report.of([finding()]).filter(code="XX999")


@pytest.mark.parametrize("value", ["no", 0, 1, "False"])
def test_filter_takes_accepted_as_true_false_or_none_only(value: object) -> None:
    with pytest.raises(TypeError, match=r"^accepted: expected True, False or None, found "):
        Report.of([finding()]).filter(accepted=value)  # type: ignore[arg-type]


def test_a_slice_keeps_the_reports_order_and_reversed_reverses_it() -> None:
    report = Report.of([finding("SV001"), finding("PM001"), finding("ME001")])
    assert list(report[::-1]) == list(report)
    assert [f.code for f in reversed(report)] == ["SV001", "ME001", "PM001"]
