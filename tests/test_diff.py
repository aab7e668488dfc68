"""What changed between two drafts (dpup.diff and dpup diff)."""

import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import attrs
import markdown as md  # Python-Markdown, to see what a Markdown renderer makes of the output
import pytest
from hypothesis import given, settings

import dpup
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from dpup.diff import Change, FieldChange
from dpup.render.changes import changes_summary, render_changes_markdown, render_changes_text
from tests.examples import AFTER, BEFORE, ROOT, in_order, run
from tests.strategies import agreements

HOSTILE = "*bold* _it_ `code` [link](http://x) <script>x</script> a|b"


def _find(changes: tuple[Change, ...], section: str, id: str) -> Change:
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
    assert changes_summary(changes) == "7 changed, 9 added, 10 removed"
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
    assert [c.section for c in changes] == sorted(
        (c.section for c in changes),
        key=[
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
        ].index,
    )
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
    assert dpup.diff(a, a) == ()
    assert dpup.diff(a, _reordered(a)) == ()
    assert dpup.diff(a, dpup.loads(dpup.dumps(a, "json"), "json")) == ()
    assert changes_summary(()) == "no changes"


# -- one change at a time, and near misses ----------------------------------------------------


def test_one_field_is_one_change_with_one_field() -> None:
    a = dpup.load(AFTER)
    b = attrs.evolve(
        a, flows=[attrs.evolve(f, frequency="monthly") if f.id == "findings-back" else f for f in a.flows]
    )
    assert dpup.diff(a, b) == (
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
    assert dpup.diff(two, attrs.evolve(a, access=[narrow, acc])) == ()  # only the order changed
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
    assert dpup.diff(a, a) == () == dpup.diff(a, _reordered(a))
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
    assert (there == ()) == (_canonical(a) == _canonical(b))  # the same declarations, in any order


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
    text = render_changes_text(changes, title="a -> b")
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
    text = render_changes_markdown(dpup.diff(a, b), title="x_y")
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
    assert out == render_changes_text(changes, title=f"{BEFORE} -> {AFTER}")
    code, out, _ = run("diff", "--format", "markdown", str(BEFORE), str(AFTER))
    assert code == EXIT_FINDINGS
    assert out == render_changes_markdown(changes, title=f"{BEFORE} -> {AFTER}")
    code, out, _ = run("diff", "--format", "json", str(BEFORE), str(AFTER))
    data = json.loads(out)
    assert data["added"] == data["removed"] == []
    (pair,) = data["agreements"]
    assert pair["before"] == {"id": "best-foot-forward-before", "file": str(BEFORE)}
    assert pair["changes"] == [c.to_dict() for c in changes]


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
    assert dpup.diff(a, shuffled) == ()
    nobody = attrs.evolve(a, engagement=[*a.engagement, dpup.Engagement(about="Planned")])
    (change,) = dpup.diff(a, nobody)
    assert (change.kind, change.section, change.id) == ("added", "engagement", "(no one)")
    assert "  + (no one)  ($.engagement[2])" in render_changes_text(dpup.diff(a, nobody))


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


def test_text_without_a_title_starts_with_the_summary_and_shows_what_was_added_as_set() -> None:
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    lines = render_changes_text(changes).splitlines()
    assert lines[0] == changes_summary(changes)
    added = _find(changes, "flows", "findings-back")
    at = lines.index(f"  + findings-back  ({added.where})")
    shown = lines[at + 1 : at + 1 + len(added.fields)]
    assert shown == [f"      {f.key}: {json.dumps(f.after)}" for f in added.fields]
    assert all(f.before is None for f in added.fields)


def test_markdown_without_a_title_is_headed_dpup_diff_and_ends_with_the_last_field() -> None:
    changes = dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))
    text = render_changes_markdown(changes)
    assert text.startswith(f"## dpup diff\n\n{changes_summary(changes)}\n\n### agreement\n\n")
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
