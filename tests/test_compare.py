"""Comparing the findings of two drafts (dpup.compare and dpup compare)."""

import json
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK
from dpup.render.markdown import _escape
from tests.examples import AFTER, BEFORE, run


def _keys(findings: dpup.Report) -> list[tuple[str, str]]:
    return [(f.code, f.subject) for f in findings]


def test_the_revision_fixes_every_finding_of_the_first_draft() -> None:
    before, after = dpup.check(dpup.load(BEFORE)), dpup.check(dpup.load(AFTER))
    c = dpup.compare(before, after)
    assert c.by_agreement is False  # two versions of one agreement, under two ids
    assert c.fixed == before
    assert _keys(c.new) == [("ME008", "programme-findings")]
    assert len(c.remaining) == 0
    assert c.counts() == {"fixed": 42, "new": 1, "remaining": 0}
    assert c.summary() == "42 fixed, 1 new, 0 still open"
    assert not c.fails("warning")
    assert c.fails("info")
    assert not c.fails("never")


def test_a_draft_compared_with_itself_keeps_everything() -> None:
    report = dpup.check(dpup.load(BEFORE))
    c = dpup.compare(report, report)
    assert c.remaining == report
    assert len(c.fixed) == len(c.new) == 0
    assert not c.fails("info")


def test_reordering_and_rewording_a_draft_makes_no_finding_new() -> None:
    a = dpup.load(BEFORE)
    reordered = attrs.evolve(
        a,
        flows=[attrs.evolve(f, description=f"reworded: {f.description}") for f in reversed(a.flows)],
        purposes=list(reversed(a.purposes)),
    )
    c = dpup.compare(dpup.check(a), dpup.check(reordered))
    assert (len(c.fixed), len(c.new), len(c.remaining)) == (0, 0, 42)


def test_a_new_problem_fails_the_comparison() -> None:
    a = dpup.load(AFTER)
    # the family notice no longer covers the intake from parents: they are not told of it
    card = next(ex for ex in a.explanations if "intake-parents" in ex.covers)
    worse = attrs.evolve(
        a,
        explanations=[
            attrs.evolve(ex, covers=[c for c in ex.covers if c != "intake-parents"]) if ex is card else ex
            for ex in a.explanations
        ],
    )
    c = dpup.compare(dpup.check(a), dpup.check(worse))
    assert ("ME001", "intake-parents") in _keys(c.new)
    assert _keys(c.remaining) == [("ME008", "programme-findings")]
    assert len(c.fixed) == 0
    assert c.fails("warning")


def test_a_renamed_draft_still_matches_unless_agreements_are_asked_to() -> None:
    a = dpup.load(BEFORE)
    before, after = dpup.check(a), dpup.check(attrs.evolve(a, id="ccss-draft-2"))
    assert len(dpup.compare(before, after).remaining) == 42
    strict = dpup.compare(before, after, by_agreement=True)
    assert (len(strict.fixed), len(strict.new), len(strict.remaining)) == (42, 42, 0)


def test_accepting_a_finding_does_not_fix_it() -> None:
    a = dpup.load(AFTER)
    acc = dpup.Acceptance(code="ME008", subject="programme-findings", reason="counts only", by="Aroha")
    c = dpup.compare(dpup.check(a), dpup.check(attrs.evolve(a, accepted=[acc])))
    assert len(c.fixed) == len(c.new) == 0
    (kept,) = c.remaining
    assert kept.accepted == acc  # as the later draft has it


def test_a_register_is_matched_agreement_by_agreement() -> None:
    faulty = synth.sector(flows=300, seed=3, faults=0.3)
    clean = synth.sector(flows=300, seed=3)
    before, after = dpup.check(dpup.graph(*faulty)), dpup.check(dpup.graph(*clean))
    assert len(before) > 0
    assert len(after) == 0
    c = dpup.compare(before, after)
    assert c.by_agreement is True
    assert c.fixed == before
    assert len(c.new) == len(c.remaining) == 0


def _finding(code: str, subject: str, agreement: str | None = "a") -> dpup.Finding:
    return dpup.Finding(
        code=code, family="sharing-value", severity="warning", subject=subject, agreement=agreement
    )


def test_a_finding_repeated_is_matched_once_each_time() -> None:
    f, g = _finding("SV002", "x"), _finding("SV002", "y")
    c = dpup.compare(dpup.Report.of([f, f, g]), dpup.Report.of([f, g, g]))
    assert _keys(c.remaining) == [("SV002", "x"), ("SV002", "y")]
    assert _keys(c.fixed) == [("SV002", "x")]
    assert _keys(c.new) == [("SV002", "y")]


_POOL = [
    _finding(code, subject, agreement)
    for code in ("SV001", "SV002")
    for subject in ("p", "q")
    for agreement in ("a", "b")
]


@settings(max_examples=60)
@given(
    before=st.lists(st.sampled_from(_POOL), max_size=8),
    after=st.lists(st.sampled_from(_POOL), max_size=8),
)
def test_every_finding_is_accounted_for_once(before: list[dpup.Finding], after: list[dpup.Finding]) -> None:
    c = dpup.compare(dpup.Report.of(before), dpup.Report.of(after), by_agreement=True)
    key = lambda f: (f.code, f.agreement, f.subject)  # noqa: E731
    assert Counter(map(key, c.remaining)) == Counter(map(key, before)) & Counter(map(key, after))
    assert Counter(map(key, c.fixed)) + Counter(map(key, c.remaining)) == Counter(map(key, before))
    assert Counter(map(key, c.new)) + Counter(map(key, c.remaining)) == Counter(map(key, after))


def test_text_and_json() -> None:
    c = dpup.compare(dpup.check(dpup.load(BEFORE)), dpup.check(dpup.load(AFTER)))
    text = c.to_text()
    assert str(c) == text
    lines = text.splitlines()
    assert lines[0] == "New (1)"
    assert "Fixed (42)" in lines
    assert "Still open (0)" in lines
    assert lines[-1] == "42 fixed, 1 new, 0 still open"
    assert not any(line.strip().startswith("fix:") for line in lines[lines.index("Fixed (42)") :])
    data = json.loads(c.to_json())
    assert data["counts"] == {"fixed": 42, "new": 1, "remaining": 0}
    assert data["by_agreement"] is False
    assert [f["code"] for f in data["new"]] == ["ME008"]
    assert len(data["fixed"]) == 42
    assert data["remaining"] == []


def test_the_cli_compares_two_drafts() -> None:
    code, out, err = run("compare", str(BEFORE), str(AFTER))
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0] == f"{BEFORE} -> {AFTER}"
    assert lines[-2] == "42 fixed, 1 new, 0 still open"
    assert lines[-1] == "passes at --fail-on warning: no new finding reaches it"
    assert any(line.startswith(f"      at {AFTER}:") for line in lines)  # located in its file
    code, out, _ = run("compare", "--fail-on", "info", str(BEFORE), str(AFTER))
    assert code == EXIT_FINDINGS
    assert out.splitlines()[-1] == "fails at --fail-on info: a new finding reaches it"
    code, out, _ = run("compare", "--format", "json", str(AFTER), str(BEFORE))
    assert code == EXIT_FINDINGS  # going back to the first draft brings 42
    assert json.loads(out)["counts"] == {"fixed": 1, "new": 42, "remaining": 0}


def test_the_cli_compares_directories(tmp_path: Path) -> None:
    for name, src in (("old", BEFORE), ("new", AFTER)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ccss.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("compare", str(tmp_path / "old"), str(tmp_path / "new"))
    assert code == EXIT_OK
    assert out.splitlines()[0] == f"{tmp_path / 'old'} (1 agreement) -> {tmp_path / 'new'} (1 agreement)"


@pytest.mark.parametrize("bad", ["before", "after"])
def test_an_invalid_draft_is_2_with_its_problems(tmp_path: Path, bad: str) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "dpup: 1\nagreement: {id: x, title: y}\nflows: [{id: f, from: a, to: b}]\n", encoding="utf-8"
    )
    args = [str(broken), str(AFTER)] if bad == "before" else [str(BEFORE), str(broken)]
    code, out, err = run("compare", *args)
    assert code == EXIT_INVALID
    assert out == ""
    assert err.startswith(f"{broken}:")
    assert "Traceback" not in err


def test_markdown_for_the_pull_request_that_revises_a_draft() -> None:
    a = dpup.load(BEFORE)
    acc = dpup.Acceptance(code="PM002", subject="evaluation-to-contractor", reason="for *now*", by="b")
    c = dpup.compare(dpup.check(a), dpup.check(attrs.evolve(a, accepted=[acc])))
    lines = c.to_markdown(title="v1 -> v2").splitlines()
    assert lines[:3] == ["## dpup compare: v1 -> v2", "", "0 fixed, 0 new, 42 still open"]
    assert [line for line in lines if line.startswith("### ")] == [
        "### New (0)",
        "### Fixed (0)",
        "### Still open (42)",
    ]
    items = [line for line in lines if line.startswith("- ")]
    assert len(items) == 42
    assert "- **PM002** error (accepted): evaluation-to-contractor" in items  # still open: one line
    assert not any(line.startswith("  ") for line in lines)
    c = dpup.compare(dpup.check(a), dpup.check(dpup.load(AFTER)))
    lines = c.to_markdown().splitlines()
    fixed = lines[lines.index("### Fixed (42)") : lines.index("### Still open (0)")]
    assert sum(line.startswith("- ") for line in fixed) == 42
    assert not any("**fix:**" in line for line in fixed)  # fixed: where it was and what it said
    new = lines[lines.index("### New (1)") : lines.index("### Fixed (42)")]
    assert any(line.startswith("  **fix:** ") for line in new)


def test_the_cli_writes_markdown_with_its_verdict() -> None:
    code, out, _ = run("compare", "--format", "markdown", str(AFTER), str(BEFORE))
    assert code == EXIT_FINDINGS
    lines = out.splitlines()
    assert lines[0] == f"## dpup compare: {_escape(str(AFTER))} -> {_escape(str(BEFORE))}"
    assert lines[-1] == "**Fails** at `--fail-on warning`: a new finding reaches it."


def test_jupyter_shows_the_summary_then_a_table_for_each_part() -> None:
    comparison = dpup.compare(dpup.check(dpup.load(BEFORE)), dpup.check(dpup.load(AFTER)))
    shown = comparison._repr_html_()
    assert shown.startswith("<p><b>42 fixed, 1 new, 0 still open</b></p><h4>New (1)</h4><table>")
    assert shown.count("<table>") == 2  # nothing still open: no empty table
    assert shown.index("<h4>Fixed (42)</h4>") < shown.index("<h4>Still open (0)</h4>")
    assert shown.endswith("<h4>Still open (0)</h4>")
    assert "<td>evaluation-to-contractor</td>" in shown


def test_compare_checks_drafts_given_as_agreements_or_graphs() -> None:
    before, after = dpup.examples.load("best-foot-forward-before"), dpup.examples.load("best-foot-forward")
    expected = dpup.compare(dpup.check(before), dpup.check(after))
    assert dpup.compare(before, after) == expected
    assert dpup.compare(dpup.graph(before), after) == expected
    assert dpup.compare(dpup.check(before), dpup.graph(after)) == expected
    assert dpup.compare(before, before).summary() == "0 fixed, 0 new, 42 still open"


@pytest.mark.parametrize("draft", [None, "draft.yaml", [], 3])
def test_compare_names_what_it_takes_when_given_something_else(draft: object) -> None:
    report = dpup.check(dpup.examples.load("best-foot-forward"))
    with pytest.raises(
        TypeError, match=r"compare takes two reports \(from dpup.check\), agreements or graphs"
    ):
        dpup.compare(draft, report)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=rf"graphs \(from dpup\.graph\), not {type(draft).__name__}$"):
        dpup.compare(report, draft)  # type: ignore[arg-type]


def test_filter_compares_only_the_findings_that_meet_the_criteria() -> None:
    # located, as dpup compare locates them
    comparison = dpup.compare(dpup.check_files(BEFORE), dpup.check_files(AFTER))
    pm = comparison.filter(family="purpose-mismatch")
    assert list(pm.fixed) == list(comparison.fixed.filter(family="purpose-mismatch"))
    assert len(pm.new) == len(pm.remaining) == 0
    assert pm.by_agreement is comparison.by_agreement is False
    me008 = comparison.filter(lambda f: f.code == "ME008")
    assert (len(me008.fixed), len(me008.new)) == (0, 1)
    with pytest.raises(ValueError, match="did you mean 'PM004'"):
        comparison.filter(code="PM04")
    # what dpup compare --select writes
    _, out, _ = run("compare", "--format", "json", "--select", "PM004,ME008", str(BEFORE), str(AFTER))
    data = json.loads(out)
    expected = comparison.filter(code=["PM004", "ME008"]).to_dict()
    assert {k: data[k] for k in expected} == expected
