"""What changed between two drafts (dpup.diff and dpup diff)."""

import datetime
import json
import re
import shutil
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

import attrs
import markdown as md  # Python-Markdown, to see what a Markdown renderer makes of the output
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
import dpup.report
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from dpup.diff import _SECTION_NAMES, Change, Diff, FieldChange
from tests.examples import AFTER, BEFORE, ROOT, in_order, run
from tests.strategies import agreements

HOSTILE = "*bold* _it_ `code` [link](http://x) <script>x</script> a|b"
SECTIONS = (
    "agreement",
    "service_users",
    "holders",
    "teams",
    "purposes",
    "information",
    "flows",
    "explanations",
    "access",
    "engagement",
    "accepted",
)
"""The sections of a change, in the order dpup.diff gives them."""


def _find(changes: Iterable[Change], section: str, id: str) -> Change:
    (change,) = [c for c in changes if (c.section, c.id) == (section, id)]
    return change


def _reordered(a: dpup.Agreement) -> dpup.Agreement:
    """``a`` with every list of declarations, and every organisation's teams, reversed."""
    holders = [attrs.evolve(h, teams=h.teams[::-1]) for h in a.holders[::-1]]
    return attrs.evolve(
        a,
        service_users=a.service_users[::-1],
        holders=holders,
        purposes=a.purposes[::-1],
        information=a.information[::-1],
        flows=a.flows[::-1],
        explanations=a.explanations[::-1],
        access=a.access[::-1],
        engagement=a.engagement[::-1],
        accepted=a.accepted[::-1],
    )


# -- the example ----------------------------------------------------------------------------


def test_the_revision_of_the_example_is_told_declaration_by_declaration() -> None:
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    assert changes.summary() == "7 changed, 9 added, 10 removed"
    header = changes[0]
    assert (header.kind, header.section, header.id, header.where) == (
        "changed",
        "agreement",
        "best-foot-forward",
        "$.agreement",
    )
    assert [f.key for f in header.fields] == ["id", "title", "review_by"]
    report = _find(changes, "flows", "quarterly-report")
    assert report.kind == "changed"
    assert report.where == "$.flows[2]"  # in the later draft (it was $.flows[3])
    assert report.fields == (
        FieldChange(key="carries", before=["family-record"], after=["quarterly-counts"]),
        FieldChange(
            key="no_choice_reason",
            before=None,
            after="Counts identify no one and the funding agreement needs them",
        ),
    )
    contractor = _find(changes, "holders", "insights-ltd")
    assert (contractor.kind, contractor.where) == ("removed", "$.holders[2]")
    assert contractor.fields == (
        FieldChange(key="kind", before="provider"),
        FieldChange(key="name", before="Insights Ltd (analytics contractor)"),
    )
    procurement = _find(changes, "teams", "agency.procurement")
    assert (procurement.kind, procurement.where) == ("removed", "$.holders[1].teams[2]")
    assert procurement.fields[0] == FieldChange(key="organisation", before="agency")
    notice = _find(changes, "explanations", "family-notice")
    assert notice.kind == "added"
    assert [f.key for f in notice.fields][:5] == [
        "for",
        "versions",
        "covers",
        "names.holders",
        "names.purposes",
    ]
    assert [c.section for c in changes] == sorted((c.section for c in changes), key=SECTIONS.index)
    # within a section: changed and added in the later draft's order, then the removed ones
    flows = [(c.kind, c.id) for c in changes if c.section == "flows"]
    assert flows == [
        ("changed", "intake-parents"),
        ("changed", "intake-children"),
        ("changed", "quarterly-report"),
        ("added", "evaluation-data"),
        ("added", "findings-back"),
        ("removed", "tender"),
        ("removed", "outcomes-report"),
        ("removed", "reporting-to-evaluation"),
        ("removed", "evaluation-to-contractor"),
    ]


def test_the_same_draft_in_another_order_or_format_has_no_changes() -> None:
    a = dpup.load(AFTER)
    for same in (a, _reordered(a), dpup.loads(dpup.dumps(a, "json"), "json")):
        d = dpup.diff(a, same)
        assert not d
        assert len(d) == 0
        assert d.summary() == "no changes"


# -- one change at a time, and near misses ----------------------------------------------------


def test_one_field_is_one_change_with_one_field() -> None:
    a = dpup.load(AFTER)
    b = attrs.evolve(
        a, flows=[attrs.evolve(f, frequency="monthly") if f.id == "findings-back" else f for f in a.flows]
    )
    assert dpup.diff(a, b).changes == (
        Change(
            kind="changed",
            section="flows",
            id="findings-back",
            where="$.flows[4]",
            fields=(FieldChange(key="frequency", before=None, after="monthly"),),
        ),
    )


def test_an_answer_of_an_explanation_is_a_field_of_its_own() -> None:
    a = dpup.load(AFTER)
    (e,) = a.explanations
    b = attrs.evolve(
        a, explanations=[attrs.evolve(e, says=attrs.evolve(e.says, why="To help", linking=None))]
    )
    (change,) = dpup.diff(a, b)
    assert [(f.key, f.after) for f in change.fields] == [("says.why", "To help"), ("says.linking", None)]


def test_true_false_and_unset_differ() -> None:
    a = dpup.load(AFTER)
    unset = attrs.evolve(a, purposes=[attrs.evolve(p, needs_identity=None) for p in a.purposes])
    changes = dpup.diff(a, unset)
    assert [(c.id, c.fields) for c in changes] == [
        ("service-delivery", (FieldChange(key="needs_identity", before=True, after=None),)),
        ("service-reporting", (FieldChange(key="needs_identity", before=False, after=None),)),
        ("evaluation", (FieldChange(key="needs_identity", before=False, after=None),)),
    ]


def test_a_team_moved_to_another_organisation_changes_its_organisation() -> None:
    a = dpup.load(AFTER)
    agency, ccss = a.holders[1], a.holders[0]
    team = agency.teams[0]
    moved = attrs.evolve(
        a,
        holders=[attrs.evolve(ccss, teams=[team]), attrs.evolve(agency, teams=agency.teams[1:])],
        parties=a.parties,
    )
    changes = dpup.diff(a, moved)
    assert [(c.section, c.id, c.fields) for c in changes] == [
        ("teams", "agency.evaluation", (FieldChange(key="organisation", before="agency", after="ccss"),)),
    ]
    assert changes[0].where == "$.holders[0].teams[0]"


def test_declarations_without_ids_are_matched_by_what_they_are_about() -> None:
    a = dpup.load(AFTER)
    acc = a.access[0]
    two = attrs.evolve(a, access=[acc, attrs.evolve(acc, covers=["ccss"])])
    (change,) = dpup.diff(a, two)
    assert (change.kind, change.section, change.id, change.where) == (
        "added",
        "access",
        "ccss (2)",
        "$.access[1]",
    )
    accepted = dpup.Acceptance(code="ME008", subject="programme-findings", reason="counts only", by="Aroha")
    b = attrs.evolve(a, accepted=[accepted])
    (change,) = dpup.diff(a, b)
    assert (change.section, change.id) == ("accepted", "ME008 programme-findings")
    c = attrs.evolve(b, accepted=[attrs.evolve(accepted, reason="aggregate counts only")])
    (change,) = dpup.diff(b, c)
    assert change.fields == (FieldChange(key="reason", before="counts only", after="aggregate counts only"),)
    engaged = attrs.evolve(a, engagement=[attrs.evolve(a.engagement[1], maori=True), a.engagement[0]])
    (change,) = dpup.diff(a, engaged)
    assert (change.section, change.id, change.fields) == (
        "engagement",
        "ccss, parents",
        (FieldChange(key="maori", before=None, after=True),),
    )


def test_declarations_that_share_a_key_are_paired_equal_first_then_in_order() -> None:
    a = dpup.load(AFTER)
    acc = a.access[0]
    narrow = attrs.evolve(acc, covers=["ccss"])
    two = attrs.evolve(a, access=[acc, narrow])
    assert not dpup.diff(two, attrs.evolve(a, access=[narrow, acc]))  # only the order changed
    copies = attrs.evolve(two, access=[attrs.evolve(narrow, copies="On request"), acc])
    (change,) = dpup.diff(two, copies)
    assert (change.kind, change.id, change.where) == ("changed", "ccss", "$.access[0]")
    assert change.fields == (  # paired with the narrow one, the wide one being unchanged
        FieldChange(
            key="copies",
            before="Families get copies of records about them, in adult and child versions",
            after="On request",
        ),
    )
    fewer = dpup.diff(two, attrs.evolve(a, access=[narrow]))
    # named as the first of its key in the earlier draft, where it is: the second one stays
    assert [(c.kind, c.id, c.where) for c in fewer] == [("removed", "ccss", "$.access[0]")]
    more = dpup.diff(attrs.evolve(a, access=[narrow]), two)
    assert [(c.kind, c.id, c.where) for c in more] == [("added", "ccss", "$.access[0]")]
    third = attrs.evolve(acc, copies="On request")
    three = dpup.diff(two, attrs.evolve(a, access=[acc, narrow, third]))
    assert [(c.kind, c.id, c.where) for c in three] == [("added", "ccss (3)", "$.access[2]")]
    gone = dpup.diff(attrs.evolve(a, access=[third, acc, narrow]), two)
    assert [(c.kind, c.id, c.where) for c in gone] == [("removed", "ccss", "$.access[0]")]


def test_only_agreements_are_compared() -> None:
    with pytest.raises(TypeError, match=r"dpup\.diff compares two Agreements; after is a list"):
        dpup.diff(dpup.load(AFTER), [dpup.load(AFTER)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind"):
        Change(kind="moved", section="flows", id="x", where="$.flows[0]")


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(agreements(), agreements())
def test_the_changes_each_way_mirror_each_other(a: dpup.Agreement, b: dpup.Agreement) -> None:
    there, back = dpup.diff(a, b), dpup.diff(b, a)
    assert not dpup.diff(a, a)
    assert not dpup.diff(a, _reordered(a))
    mirror = {"added": "removed", "removed": "added", "changed": "changed"}
    assert sorted(
        (c.section, mirror[c.kind], len(c.fields)) for c in there if c.section != "agreement"
    ) == sorted((c.section, c.kind, len(c.fields)) for c in back if c.section != "agreement")
    for c in there:
        if c.kind == "changed":
            assert all(f.before != f.after or type(f.before) is not type(f.after) for f in c.fields)
    flows_a, flows_b = {f.id for f in a.flows}, {f.id for f in b.flows}
    assert {c.id for c in there if c.section == "flows" and c.kind == "added"} == flows_b - flows_a
    assert {c.id for c in there if c.section == "flows" and c.kind == "removed"} == flows_a - flows_b
    assert (not there) == (_canonical(a) == _canonical(b))  # the same declarations, in any order


def _canonical(a: dpup.Agreement) -> str:
    """``a`` as JSON with every list in one order, whatever order it was written in: what it
    declares, and nothing of how it was laid out."""

    def ordered(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ordered(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted(
                (ordered(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str)
            )
        return value

    return json.dumps(ordered(json.loads(dpup.dumps(a, "json"))), sort_keys=True)


# -- rendering ------------------------------------------------------------------------------


def test_text_shows_every_change_and_field_with_values_as_json() -> None:
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    text = changes.to_text(title="a -> b")
    lines = text.splitlines()
    assert lines[0] == "a -> b: 7 changed, 9 added, 10 removed"
    assert "  ~ quarterly-report  ($.flows[2])" in lines
    assert '      carries: ["family-record"] -> ["quarterly-counts"]' in lines
    assert '      review_by: (not set) -> "2027-06-30"' in lines
    assert "  - tender  ($.flows[2] in the earlier draft)" in lines
    assert '      purpose: "tender-assessment"' in lines
    assert "  + findings-back  ($.flows[4])" in lines
    assert sum(line.startswith("  ") and not line.startswith("      ") for line in lines) == len(changes)
    assert sum(line.startswith("      ") for line in lines) == sum(len(c.fields) for c in changes)


def test_markdown_escapes_what_the_drafts_say() -> None:
    a = dpup.load(AFTER)
    b = attrs.evolve(a, title=HOSTILE)
    text = dpup.diff(a, b).to_markdown(title="x_y")
    assert text.startswith("## dpup diff: x\\_y\n\n1 changed\n\n### agreement\n\n")
    assert "- **changed** best-foot-forward ($.agreement)\n" in text
    assert "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](http://x) &lt;script>" in text
    rendered = md.markdown(text)
    for tag in ("<em>", "<a ", "<script>", "<code>"):
        assert tag not in rendered


# -- the command ----------------------------------------------------------------------------


def test_the_cli_says_what_changed_and_exits_1() -> None:
    code, out, err = run("diff", str(BEFORE), str(AFTER))
    assert (code, err) == (EXIT_FINDINGS, "")
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    assert out == changes.to_text(title=f"{BEFORE} -> {AFTER}")
    code, out, _ = run("diff", "--format", "markdown", str(BEFORE), str(AFTER))
    assert code == EXIT_FINDINGS
    assert out == changes.to_markdown(title=f"{BEFORE} -> {AFTER}")
    code, out, _ = run("diff", "--format", "json", str(BEFORE), str(AFTER))
    data = json.loads(out)
    assert data["added"] == data["removed"] == []
    (pair,) = data["agreements"]
    assert pair["before"] == {"id": "best-foot-forward-before", "file": str(BEFORE)}
    assert pair["after"] == {"id": "best-foot-forward", "file": str(AFTER)}
    assert pair["changes"] == [c.to_dict() for c in changes]
    # the diff's own data, less the files the command read
    assert {**pair, "before": {"id": pair["before"]["id"]}, "after": {"id": pair["after"]["id"]}} == (
        changes.to_dict()
    )


def test_the_cli_exits_0_for_the_same_draft_reformatted(tmp_path: Path) -> None:
    exported = tmp_path / "exported.json"
    dpup.dump(_reordered(dpup.load(AFTER)), exported)
    code, out, err = run("diff", str(AFTER), str(exported))
    assert (code, err) == (EXIT_OK, "")
    assert out == f"{AFTER} -> {exported}: no changes\n"


def test_the_cli_pairs_directories_by_agreement_id(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    shutil.copy(AFTER, old / "a.yaml")
    shutil.copy(BEFORE, old / "b.yaml")
    a = dpup.load(AFTER)
    dpup.dump(attrs.evolve(a, review_by=None), new / "a.yaml")
    dpup.dump(attrs.evolve(a, id="another"), new / "c.yaml")
    code, out, err = run("diff", str(old), str(new))
    assert (code, err) == (EXIT_FINDINGS, "")
    assert out.splitlines() == [
        f"{old / 'a.yaml'} -> {new / 'a.yaml'}: 1 changed",
        "",
        "agreement",
        "  ~ best-foot-forward  ($.agreement)",
        '      review_by: "2027-06-30" -> (not set)',
        "",
        f"added agreement another ({new / 'c.yaml'})",
        f"removed agreement best-foot-forward-before ({old / 'b.yaml'})",
    ]
    code, out, _ = run("diff", "--format", "json", str(old), str(new))
    data = json.loads(out)
    assert data["added"] == [{"id": "another", "file": str(new / "c.yaml")}]
    assert data["removed"] == [{"id": "best-foot-forward-before", "file": str(old / "b.yaml")}]


def test_the_cli_exits_1_when_any_agreement_was_added_removed_or_changed(tmp_path: Path) -> None:
    """Directories of two agreements: one agreement only added, only removed, or one of two
    changed is a difference (exit 1); the same two agreements are none (exit 0)."""
    a, b = dpup.load(AFTER), dpup.load(BEFORE)
    drafts = {
        "same": [a, b],
        "one-changed": [attrs.evolve(a, review_by=None), b],
        "one-added": [a, b, attrs.evolve(a, id="another")],
        "one-removed": [a],
    }
    old = tmp_path / "old"
    old.mkdir()
    dpup.dump(a, old / "a.yaml")
    dpup.dump(b, old / "b.yaml")
    for name, later in drafts.items():
        new = tmp_path / name
        new.mkdir()
        for agreement in later:
            dpup.dump(agreement, new / f"{agreement.id}.yaml")
        code, _, err = run("diff", str(old), str(new))
        assert (code, err) == (EXIT_OK if name == "same" else EXIT_FINDINGS, ""), name


def test_the_cli_lists_only_what_was_added_and_removed_when_no_agreement_is_in_both(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    shutil.copy(AFTER, old / "a.yaml")
    shutil.copy(BEFORE, old / "b.yaml")
    a = dpup.load(AFTER)
    dpup.dump(attrs.evolve(a, id="another"), new / "c.yaml")
    dpup.dump(attrs.evolve(a, id="a-third"), new / "d.yaml")
    code, out, _ = run("diff", str(old), str(new))
    assert code == EXIT_FINDINGS
    assert out == (
        f"added agreement another ({new / 'c.yaml'})\n"
        f"added agreement a-third ({new / 'd.yaml'})\n"
        f"removed agreement best-foot-forward ({old / 'a.yaml'})\n"
        f"removed agreement best-foot-forward-before ({old / 'b.yaml'})\n"
    )


def test_the_cli_lists_the_agreements_added_and_removed_in_markdown(tmp_path: Path) -> None:
    from dpup.render.markdown import _escape

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    shutil.copy(AFTER, old / "a.yaml")
    shutil.copy(BEFORE, old / "b_1.yaml")
    shutil.copy(AFTER, new / "a.yaml")
    dpup.dump(attrs.evolve(dpup.load(AFTER), id="another"), new / "c_1.yaml")
    code, out, _ = run("diff", "--format", "markdown", str(old), str(new))
    assert code == EXIT_FINDINGS
    added, removed = new / "c_1.yaml", old / "b_1.yaml"
    assert out.endswith(
        f"- {_escape(f'added agreement another ({added})')}\n"
        f"- {_escape(f'removed agreement best-foot-forward-before ({removed})')}\n"
    )
    assert "b\\_1.yaml" in out  # what the file names hold is escaped


def test_the_cli_refuses_invalid_files_and_bad_usage(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("dpup: 1\n", encoding="utf-8")
    code, out, err = run("diff", str(AFTER), str(broken))
    assert (code, out) == (EXIT_INVALID, "")
    assert err.startswith(f"{broken}:")
    code, out, err = run("diff", str(AFTER))
    assert (code, out) == (EXIT_USAGE, "")
    assert "the following arguments are required: AFTER" in err


def test_the_command_line_page_shows_what_dpup_diff_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    command = "dpup diff examples/best-foot-forward-before.yaml examples/best-foot-forward.yaml"
    start = page.index(f"```sh\n{command}\n```\n\n```text\n") + len(command) + 20
    monkeypatch.chdir(ROOT)  # the page's relative paths, as a reader types them
    code, out, _ = run("diff", "examples/best-foot-forward-before.yaml", "examples/best-foot-forward.yaml")
    assert code == EXIT_FINDINGS
    in_order(page[start : page.index("```", start)].splitlines(), out.splitlines())


def test_a_list_of_ids_in_another_order_is_no_change_and_an_engagement_with_nobody_is_named() -> None:
    a = dpup.load(AFTER)
    shuffled = attrs.evolve(
        a,
        parties=a.parties[::-1],
        flows=[attrs.evolve(f, carries=f.carries[::-1]) for f in a.flows],
        explanations=[attrs.evolve(e, for_=e.for_[::-1], covers=e.covers[::-1]) for e in a.explanations],
        engagement=[attrs.evolve(g, with_=g.with_[::-1]) for g in a.engagement],
    )
    assert not dpup.diff(a, shuffled)
    nobody = attrs.evolve(a, engagement=[*a.engagement, dpup.Engagement(about="Planned")])
    (change,) = dpup.diff(a, nobody)
    assert (change.kind, change.section, change.id) == ("added", "engagement", "(no one)")
    assert "  + (no one)  ($.engagement[2])" in dpup.diff(a, nobody).to_text()


def test_a_declaration_is_paired_as_equal_only_when_every_field_is_equal_set_or_unset() -> None:
    a = dpup.load(AFTER)
    acc = a.access[0]
    assert acc.copies is not None
    other = attrs.evolve(acc, covers=["ccss"])  # another arrangement with the same contact
    unset = attrs.evolve(acc, copies=None)  # acc with one field unset: a near miss, not an equal
    # no equal earlier one either way, so the later one is paired with the first, in order
    cases = (
        ([other, acc], [unset], ["covers", "copies"], ["contact", "covers", "copies", "if_not_corrected"]),
        ([other, unset], [acc], ["covers"], ["contact", "covers", "if_not_corrected"]),
    )
    for before, after, changed, removed in cases:
        changes = dpup.diff(attrs.evolve(a, access=before), attrs.evolve(a, access=after))
        assert [(c.kind, c.id, c.where, [f.key for f in c.fields]) for c in changes] == [
            ("changed", "ccss", "$.access[0]", changed),
            ("removed", "ccss (2)", "$.access[1]", removed),
        ]


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.date) else value


def test_a_change_as_data_holds_everything_it_says_with_dates_as_iso_text() -> None:
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    assert any(isinstance(f.after, datetime.date) for c in changes for f in c.fields)
    for c in changes:
        data = json.loads(json.dumps(c.to_dict()))
        rebuilt = Change(
            kind=data["kind"],
            section=data["section"],
            id=data["id"],
            where=data["where"],
            fields=tuple(
                FieldChange(key=f["key"], before=f["before"], after=f["after"]) for f in data["fields"]
            ),
        )
        assert rebuilt == attrs.evolve(
            c,
            fields=tuple(
                FieldChange(key=f.key, before=_iso(f.before), after=_iso(f.after)) for f in c.fields
            ),
        )


def test_text_with_an_empty_title_starts_with_the_summary_and_shows_what_was_added_as_set() -> None:
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    lines = changes.to_text(title="").splitlines()
    assert lines[0] == changes.summary()
    added = _find(changes, "flows", "findings-back")
    at = lines.index(f"  + findings-back  ({added.where})")
    shown = lines[at + 1 : at + 1 + len(added.fields)]
    assert shown == [f"      {f.key}: {json.dumps(f.after)}" for f in added.fields]
    assert all(f.before is None for f in added.fields)


def test_markdown_with_an_empty_title_is_headed_dpup_diff_and_ends_with_the_last_field() -> None:
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    text = changes.to_markdown(title="")
    assert text.startswith(f"## dpup diff\n\n{changes.summary()}\n\n### agreement\n\n")
    last = changes[-1]
    field = last.fields[-1]
    shown = {"added": field.after, "removed": field.before}[last.kind]
    assert text.endswith(f"  - {field.key}: {json.dumps(shown)}\n")


def test_getting_started_gives_each_command_its_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    monkeypatch.chdir(ROOT)
    for command, summary in (
        ("compare", "42 fixed, 1 new, 0 still open"),
        ("diff", "7 changed, 9 added, 10 removed"),
    ):
        line = f"dpup {command} examples/best-foot-forward-before.yaml examples/best-foot-forward.yaml"
        assert line in page
        assert page.split(line, 1)[1].split("\n", 1)[0].strip() == f"# {summary}"  # the comment beside it
        _, out, _ = run(command, "examples/best-foot-forward-before.yaml", "examples/best-foot-forward.yaml")
        assert summary in out


# -- the Diff ---------------------------------------------------------------------------------


def _example() -> Diff:
    return dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))


def test_a_diff_is_a_sequence_of_its_changes() -> None:
    d = _example()
    assert (d.before, d.after) == ("best-foot-forward-before", "best-foot-forward")
    assert isinstance(d.changes, tuple)
    assert len(d) == len(d.changes) == 26
    assert list(d) == list(d.changes)
    assert d[0] == d.changes[0]
    assert d[-1] == d.changes[-1]
    assert isinstance(d[0], Change)
    assert d[1:4].changes == d.changes[1:4]
    assert isinstance(d[1:4], Diff)  # a slice is a diff of the same drafts, as a report's is a report
    assert (d[1:4].before, d[1:4].after) == (d.before, d.after)
    assert d[::-1].changes == tuple(reversed(d))
    with pytest.raises(IndexError):
        d[26]
    assert d.changes[5] in d
    assert attrs.evolve(d.changes[5], id="nothing-like-it") not in d
    assert bool(d) is True


def test_a_diff_is_false_when_nothing_changed_and_not_a_tuple() -> None:
    a = dpup.load(AFTER)
    same = dpup.diff(a, a)
    assert bool(same) is False
    assert len(same) == 0
    assert list(same) == []
    assert same[:] == same
    assert same == Diff(changes=[], before="best-foot-forward", after="best-foot-forward")
    # equal as diffs: the same changes between drafts with the same ids
    assert _example() == _example()
    assert _example() != attrs.evolve(_example(), after="another")
    assert same != ()  # no longer a tuple: compare .changes, or ask len() or bool()
    assert same.changes == ()
    one = dpup.diff(a, attrs.evolve(a, review_by=None))
    assert bool(one) is True
    assert len(one) == 1


def test_added_removed_and_changed_split_the_changes_by_kind_in_order() -> None:
    d = _example()
    added, removed, changed = d.added(), d.removed(), d.changed()
    assert (len(changed), len(added), len(removed)) == (7, 9, 10)
    assert {c.kind for c in added} == {"added"}
    assert {c.kind for c in removed} == {"removed"}
    assert {c.kind for c in changed} == {"changed"}
    for part in (added, removed, changed):
        assert isinstance(part, Diff)
        assert (part.before, part.after) == (d.before, d.after)
        assert list(part) == [c for c in d if c in part]  # in the diff's order
    assert [c.id for c in removed if c.section == "flows"] == [
        "tender",
        "outcomes-report",
        "reporting-to-evaluation",
        "evaluation-to-contractor",
    ]


def test_in_section_is_a_diff_of_the_same_drafts_and_refuses_an_unknown_section() -> None:
    d = _example()
    flows = d.in_section("flows")
    assert isinstance(flows, Diff)
    assert (flows.before, flows.after) == (d.before, d.after)
    assert [c.id for c in flows] == [c.id for c in d if c.section == "flows"]
    assert flows.summary() == "3 changed, 2 added, 4 removed"
    assert flows.to_text().splitlines()[:3] == [
        "best-foot-forward-before -> best-foot-forward: 3 changed, 2 added, 4 removed",
        "",
        "flows",
    ]
    assert not d.in_section("accepted")  # a section the revision left alone
    assert [c for s in SECTIONS for c in d.in_section(s)] == list(d)  # every section, in order
    assert _SECTION_NAMES == SECTIONS
    with pytest.raises(
        ValueError, match=r"no section 'flow' in an agreement; the sections: agreement, "
    ) as e:
        d.in_section("flow")
    assert str(e.value).endswith(", ".join(SECTIONS[-3:]))  # every section, named one by one


def test_text_and_markdown_name_the_drafts_by_their_ids_unless_given_a_title() -> None:
    d = _example()
    assert str(d) == d.to_text()
    assert d.to_text().splitlines()[0] == (
        "best-foot-forward-before -> best-foot-forward: 7 changed, 9 added, 10 removed"
    )
    assert d.to_text(title="v1 -> v2").splitlines()[0] == "v1 -> v2: 7 changed, 9 added, 10 removed"
    assert d.to_text(title="").splitlines()[0] == "7 changed, 9 added, 10 removed"
    assert d.to_text().splitlines()[1:] == d.to_text(title="").splitlines()[1:]
    # the ids are written escaped, as any title is
    assert d.to_markdown().startswith("## dpup diff: best-foot-forward-before -> best-foot-forward\n\n")
    odd = Diff(changes=d.changes, before="draft_1", after="draft_2")
    assert odd.to_markdown().startswith("## dpup diff: draft\\_1 -> draft\\_2\n\n7 changed")
    assert d.to_markdown(title="").startswith("## dpup diff\n\n7 changed")


def test_the_diff_as_data_is_what_the_command_writes_for_a_pair_and_survives_json() -> None:
    d = _example()
    data = d.to_dict()
    assert list(data) == ["before", "after", "changes"]
    assert data["before"] == {"id": "best-foot-forward-before"}
    assert data["after"] == {"id": "best-foot-forward"}
    assert data["changes"] == [c.to_dict() for c in d]
    assert json.loads(d.to_json()) == data
    assert d.to_json() == json.dumps(data, indent=2, ensure_ascii=False)
    assert json.loads(d.to_json(indent=None)) == data
    assert "\n" not in d.to_json(indent=None)
    a = dpup.load(AFTER)
    maori = dpup.diff(a, attrs.evolve(a, title="Te Whānau"))
    assert "Whānau" in maori.to_json()
    assert "Wh\\u0101nau" in maori.to_json(ascii=True)
    assert maori.to_json(ascii=True).isascii()
    assert json.loads(maori.to_json(ascii=True)) == maori.to_dict()


def test_jupyter_shows_the_drafts_the_summary_and_a_row_per_change() -> None:
    d = _example()
    html = d._repr_html_()
    assert html.startswith(
        "<table><caption>best-foot-forward-before -&gt; best-foot-forward: "
        "7 changed, 9 added, 10 removed</caption><thead><tr><th>kind</th><th>section</th>"
        "<th>id</th><th>where</th><th>fields</th></tr></thead><tbody>"
    )
    assert html.count("<tr>") == len(d) + 1
    assert (
        "<tr><td>changed</td><td>flows</td><td>quarterly-report</td><td>$.flows[2]</td>"
        "<td>carries: [&quot;family-record&quot;] -&gt; [&quot;quarterly-counts&quot;]<br>"
        "no_choice_reason: (not set) -&gt; &quot;Counts identify no one and the funding agreement "
        "needs them&quot;</td></tr>"
    ) in html
    assert "<td>removed</td><td>flows</td><td>tender</td><td>$.flows[2] in the earlier draft</td>" in html
    assert "The first" not in html
    a = dpup.load(AFTER)
    assert dpup.diff(a, a)._repr_html_() == "<p>best-foot-forward -&gt; best-foot-forward: no changes</p>"
    # a diff of one change, whole
    assert dpup.diff(a, attrs.evolve(a, review_by=None))._repr_html_() == (
        "<table><caption>best-foot-forward -&gt; best-foot-forward: 1 changed</caption><thead><tr>"
        "<th>kind</th><th>section</th><th>id</th><th>where</th><th>fields</th></tr></thead><tbody>"
        "<tr><td>changed</td><td>agreement</td><td>best-foot-forward</td><td>$.agreement</td>"
        "<td>review_by: &quot;2027-06-30&quot; -&gt; (not set)</td></tr></tbody></table>"
    )


def test_jupyter_escapes_everything_taken_from_the_drafts() -> None:
    hostile = "<script>alert(1)</script> & <b>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"
    a = dpup.load(AFTER)
    # from a real diff: a title is free text
    html = dpup.diff(a, attrs.evolve(a, title=hostile))._repr_html_()
    assert "<script>" not in html
    assert "<b>" not in html
    assert f"-&gt; &quot;{escaped}&quot;</td></tr>" in html  # the new title, as JSON text
    # and everything else a change holds, however it was made
    d = Diff(
        changes=[
            Change(
                kind="removed",
                section="accepted",
                id=hostile,
                where=hostile,
                fields=(FieldChange(key=hostile, before=hostile),),
            )
        ],
        before=hostile,
        after=hostile,
    )
    html = d._repr_html_()
    assert "<script>" not in html
    assert "<b>" not in html
    assert html.count(escaped) == 6  # the caption's two, the id, the where, the field's key and value
    assert f"<td>{escaped} in the earlier draft</td>" in html
    assert "&quot;&lt;script&gt;" in html  # the field's value, as JSON text


def test_jupyter_shows_the_first_rows_of_a_long_diff_and_says_how_many_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = _example()
    monkeypatch.setattr(dpup.report, "HTML_ROWS", 10)
    html = d._repr_html_()
    assert html.count("<tr>") == 11
    assert f"<td>{d[9].id}</td>" in html
    assert f"<td>{d[10].id}</td>" not in html
    assert f"The first 10 of {len(d)} changes" in html
    monkeypatch.setattr(dpup.report, "HTML_ROWS", len(d))
    html = d._repr_html_()
    assert html.count("<tr>") == len(d) + 1
    assert "The first" not in html


@settings(max_examples=40, deadline=None)
@given(agreements(), agreements())
def test_a_diff_of_any_drafts_splits_renders_and_serialises_whole(
    a: dpup.Agreement, b: dpup.Agreement
) -> None:
    d = dpup.diff(a, b)
    assert (d.before, d.after) == (a.id, b.id)
    assert len(d) == len(d.added()) + len(d.removed()) + len(d.changed())
    assert bool(d) == (len(d) > 0)
    same = dpup.diff(a, a)
    assert not same
    assert same.summary() == "no changes"
    assert json.loads(d.to_json()) == d.to_dict()
    assert json.loads(d.to_json(ascii=True)) == d.to_dict()
    assert [c.to_dict() for c in d] == d.to_dict()["changes"]
    assert [c for s in SECTIONS for c in d.in_section(s)] == list(d)
    lines = d.to_text().splitlines()
    assert sum(line.startswith("  ") and not line.startswith("      ") for line in lines) == len(d)
    assert d._repr_html_().count("<tr>") == (min(len(d), dpup.report.HTML_ROWS) + 1 if d else 0)


@given(st.text(max_size=30), st.text(max_size=30))
def test_jupyter_never_shows_a_tag_from_the_drafts(id: str, value: str) -> None:
    change = Change(
        kind="changed", section="flows", id=id, where=id, fields=(FieldChange(key=id, before=value),)
    )
    html = Diff(changes=[change], before=id, after=value)._repr_html_()
    assert f"<td>{escape(id)}</td>" in html
    assert "<" not in re.sub(r"</?(?:table|caption|thead|tbody|tr|th|td)>|<br>", "", html)
