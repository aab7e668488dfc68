"""Plain-language notices for service users (dpup.notice and dpup notice)."""

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import markdown as md  # Python-Markdown, to see what a Markdown renderer makes of the output
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from dpup.model import CHECKLIST_ITEMS
from dpup.render.markdown import _escape
from dpup.render.notice import QUESTIONS, render_notice_text
from tests.examples import AFTER, BEFORE, ROOT, in_order, payload, run
from tests.strategies import agreements
from tests.strategies_clean import clean_agreements

HOSTILE = "# *bold* _it_ `code` [link](http://x) <script>x</script> a|b ~~gone~~ & end"


def _evolve(a: dpup.Agreement, section: str, id: str, **changes: object) -> dpup.Agreement:
    """``a`` with the declaration ``id`` in ``section`` changed."""
    items = [attrs.evolve(x, **changes) if getattr(x, "id", None) == id else x for x in getattr(a, section)]
    return attrs.evolve(a, **{section: items})


def _says(a: dpup.Agreement, **answers: str | None) -> dpup.Agreement:
    """``a`` with its one explanation's answers changed."""
    (e,) = a.explanations
    return attrs.evolve(a, explanations=[attrs.evolve(e, says=attrs.evolve(e.says, **answers))])


# -- the example, both journeys -------------------------------------------------------------


@pytest.mark.parametrize("group", ["parents", "children"])
@pytest.mark.parametrize("version", dpup.NOTICE_VERSIONS)
def test_the_dpup_way_gives_every_group_a_notice_ready_to_give(group: str, version: str) -> None:
    n = dpup.notice(dpup.load(AFTER), group, version=version)
    assert n.ready
    assert (n.unsaid, n.findings) == ((), ())
    assert (n.agreement, n.group, n.version) == ("best-foot-forward", group, version)
    assert [s.key for s in n.sections] == [
        "about",
        "collected",
        "linking",
        "limits",
        "holders",
        "law",
        "access",
        "choices",
    ]


def test_every_answer_of_the_explanation_is_in_its_section_as_written() -> None:
    a = dpup.load(AFTER)
    says = a.explanations[0].says
    n = dpup.notice(a, "parents")
    where = {item: s.key for s in n.sections for item in CHECKLIST_ITEMS if getattr(says, item) in s.said}
    assert where == {
        "what": "collected",
        "why": "collected",
        "how_used": "collected",
        "benefit": "collected",
        "linking": "linking",
        "not_used_for": "limits",
        "who_sees": "limits",
        "shared_with": "holders",
        "laws": "law",
        "access_and_correction": "access",
        "if_not_corrected": "access",
        "choices": "choices",
        "no_choice_why": "choices",
        "involvement": "choices",
    }
    assert sum(len(s.said) for s in n.sections) == len(CHECKLIST_ITEMS)  # each once


def test_the_facts_say_who_holds_what_why_what_allows_it_and_whom_to_ask() -> None:
    n = dpup.notice(dpup.load(AFTER), "parents")
    assert n.section("holders").facts == (
        "City Centre Social Services holds: Contact details, needs assessment and session notes for a "
        "family (identifies you); Numbers of families, sessions and completions (totals only, which "
        "identify no one); Before-and-after survey answers with names and contact details removed (with "
        "what identifies you removed). Why: Support each family in the programme.",
        "Service delivery reporting team at The funding agency holds: Numbers of families, sessions and "
        "completions (totals only, which identify no one). Why: Report families and sessions delivered "
        "each quarter.",
        "Evaluation team at The funding agency holds: Before-and-after survey answers with names and "
        "contact details removed (with what identifies you removed). Why: Find out whether the programme "
        "improves outcomes for families.",
    )
    assert n.section("law").facts[0] == (
        "Support each family in the programme: Privacy Act 2020, IPP 1; programme agreement clause 4"
    )
    assert n.section("access").facts == (
        "To see or correct what is held by City Centre Social Services; Service delivery reporting team at "
        "The funding agency; Evaluation team at The funding agency, ask City Centre Social Services.",
        "Families get copies of records about them, in adult and child versions",
        "The record keeps a statement of the family's view",
    )
    assert (
        "You have no choice about Service delivery reporting team at The funding agency getting Numbers of "
        "families, sessions and completions (totals only, which identify no one): Counts identify no one "
        "and the funding agreement needs them"
    ) in n.section("choices").facts
    assert n.section("about").facts == (
        "This notice is for Parents and caregivers in the programme. It explains what happens to "
        "information about you under Best foot forward - joint parenting and children's programme, an "
        "agreement between The funding agency and City Centre Social Services.",
    )


def test_a_section_that_is_not_there_is_a_key_error_naming_the_sections() -> None:
    n = dpup.notice(dpup.examples.load("best-foot-forward"), "parents")
    with pytest.raises(KeyError) as caught:
        n.section("holder")
    assert caught.value.args == (
        "no section 'holder' in the notice (did you mean 'holders'?); its sections: 'about', "
        "'collected', 'linking', 'limits', 'holders', 'law', 'access', 'choices'",
    )
    with pytest.raises(KeyError, match=r"^\"no section 3 in the notice; its sections: 'about', "):
        n.section(3)  # type: ignore[arg-type]


def test_the_child_version_says_the_same_things_in_simpler_words() -> None:
    a = dpup.load(AFTER)
    adult, child = (dpup.notice(a, "children", version=v) for v in ("adult", "child"))
    assert [s.said for s in adult.sections] == [s.said for s in child.sections]  # the answers as written
    assert [len(s.facts) for s in adult.sections] == [len(s.facts) for s in child.sections]
    headings = [s.heading for s in child.sections]
    assert headings[1] == "What we write down about you, and why"
    assert headings[-1] == "What you can choose"
    assert all(h != c for h, c in zip((s.heading for s in adult.sections), headings, strict=True))
    assert (
        child.section("access")
        .facts[0]
        .startswith(
            "Ask City Centre Social Services if you want to see it or get a mistake fixed. They can do this for"
        )
    )
    assert "Contact details, needs assessment and session notes for a family (has your name on it)" in (
        child.section("collected").facts
    )


def test_the_first_draft_shows_what_it_leaves_unsaid() -> None:
    a = dpup.load(BEFORE)
    n = dpup.notice(a, "children", version="child")
    assert not n.ready
    about = n.section("about")
    assert about.unsaid == ("an explanation: the agreement has none for this group",)
    assert n.section("linking").unsaid == (QUESTIONS["linking"],)
    assert n.section("access").unsaid[-1] == (
        "whom to ask to see or correct what Insights Ltd (analytics contractor) holds"
    )
    choices = n.section("choices").unsaid
    flows = [f.id for f in a.flows if f.id != "tender"]  # every flow of the family record
    assert sorted(flow for flow in flows if any(f"(flow {flow!r})" in u for u in choices)) == sorted(flows)
    codes = {f.code for f in n.findings}
    assert codes == {"PM002", "PM006", "PM007", "ME001", "ME005", "ME006", "UH001", "UH002", "UH003"}
    parents = dpup.notice(a, "parents")
    assert "ME005" not in {f.code for f in parents.findings}  # the children's version
    assert parents.section("collected").said == ("Information about you and your family",)
    assert QUESTIONS["what"] not in parents.unsaid  # the consent form says what


def test_only_findings_about_what_the_notice_tells_are_its_findings() -> None:
    a = dpup.load(BEFORE)
    report = dpup.check(a)
    n = dpup.notice(a, "past-families")
    assert set(n.findings) < set(report.open())
    assert {(f.code, f.subject) for f in n.findings} == {
        ("PM006", "tender-assessment"),
        ("PM007", "tender-assessment"),
        ("ME001", "tender"),
        ("ME006", "tender"),
        ("UH001", "agency.procurement"),
        ("UH003", "agency"),
        ("UH003", "ccss"),
    }
    # near misses: findings of other groups, and of other families than the notice's
    children = dpup.notice(a, "children")
    assert ("ME001", "tender") not in {(f.code, f.subject) for f in children.findings}
    assert "SV002" not in {f.code for f in children.findings}  # names the children, but about engagement
    assert "PM004" not in {f.code for f in children.findings}


def test_a_flow_with_no_purpose_or_an_undeclared_one_keeps_the_notice_from_being_ready() -> None:
    a = dpup.load(AFTER)
    (e,) = a.explanations
    named = attrs.evolve(e, names=attrs.evolve(e.names, purposes=[*e.names.purposes, "research"]))
    research = _evolve(attrs.evolve(a, explanations=[named]), "flows", "evaluation-data", purpose="research")
    n = dpup.notice(research, "parents")
    assert n.section("holders").facts[-1].endswith("Why: research.")  # no benefit or authority to tell
    assert {(f.code, f.subject) for f in n.findings} == {("PM002", "evaluation-data")}
    assert not n.ready
    none = dpup.notice(_evolve(a, "flows", "evaluation-data", purpose=None), "parents")
    assert {(f.code, f.subject) for f in none.findings} == {("PM001", "evaluation-data")}
    assert not none.ready
    # near miss: a flow of the agreement that moves nothing about the group
    other = dpup.notice(_evolve(a, "flows", "findings-back", purpose=None), "parents")
    assert other.ready


def test_a_finding_is_not_about_a_group_whose_id_is_a_checklist_item_or_a_version() -> None:
    a = dpup.load(AFTER)
    (e,) = a.explanations
    groups = [
        *a.service_users,
        dpup.ServiceUser(id="linking", name="L"),
        dpup.ServiceUser(id="child", name="C"),
    ]
    b = attrs.evolve(
        a,
        service_users=groups,
        explanations=[attrs.evolve(e, versions=["adult"], says=attrs.evolve(e.says, linking=None))],
    )
    assert {(f.code, f.subject, f.related) for f in dpup.check(b).open()} >= {
        ("ME004", "family-notice", ("linking",)),
        ("ME005", "children", ("child",)),
    }
    for group in ("linking", "child"):  # no flow moves anything about them: nothing to tell
        n = dpup.notice(b, group)
        assert (n.ready, n.findings) == (True, ()), group
    parents, children = (dpup.notice(b, g) for g in ("parents", "children"))
    assert {f.code for f in parents.findings} == {"ME004"}
    assert {f.code for f in children.findings} >= {"ME004", "ME005"}


# -- what is owed, and near misses ------------------------------------------------------------


def test_an_unanswered_item_is_unsaid_in_its_section_and_a_blank_one_too() -> None:
    a = dpup.load(AFTER)
    n = dpup.notice(_says(a, linking=None, laws="   "), "parents")
    assert n.section("linking").unsaid == (QUESTIONS["linking"],)
    assert n.section("law").unsaid == (QUESTIONS["laws"],)
    assert n.section("law").said == ()
    assert not n.ready
    assert {f.code for f in n.findings} == {"ME004"}


def test_why_there_is_no_choice_is_owed_only_when_a_flow_offers_none() -> None:
    a = _says(dpup.load(AFTER), no_choice_why=None)
    n = dpup.notice(a, "parents")
    assert n.section("choices").unsaid == (QUESTIONS["no_choice_why"],)
    chosen = _evolve(a, "flows", "quarterly-report", choice="Families can ask to be left out of the counts")
    assert dpup.notice(chosen, "parents").section("choices").unsaid == ()


def test_a_flow_with_no_choice_and_no_reason_is_unsaid() -> None:
    a = _evolve(dpup.load(AFTER), "flows", "evaluation-data", choice=None)
    n = dpup.notice(a, "parents")
    (unsaid,) = n.section("choices").unsaid
    assert unsaid.startswith("what choice you have about Evaluation team at The funding agency getting")
    assert "(flow 'evaluation-data')" in unsaid
    assert {f.code for f in n.findings} == {"ME006"}


def test_a_blank_text_is_no_text_as_the_check_takes_it() -> None:
    a = dpup.load(AFTER)
    blank = _evolve(a, "flows", "intake-parents", choice=" ", no_choice_reason="The programme needs it")
    blank = _evolve(blank, "flows", "evaluation-data", choice="\n", no_choice_reason="\t")
    blank = _evolve(blank, "purposes", "service-delivery", description=" ", benefit=" ", authority="\n")
    blank = _evolve(blank, "information", "family-record", description="  ")
    blank = attrs.evolve(blank, access=[attrs.evolve(a.access[0], copies=" ", if_not_corrected="\t")])
    n = dpup.notice(blank, "parents")
    facts = [fact for s in n.sections for fact in s.facts]
    assert all(fact.strip() and not fact.startswith((" ", ".", ":")) for fact in facts), facts
    choices = n.section("choices")
    assert choices.facts[0] == (
        "You have no choice about City Centre Social Services getting family-record (identifies you): "
        "The programme needs it"
    )
    (unsaid,) = choices.unsaid
    assert "(flow 'evaluation-data')" in unsaid
    assert n.section("holders").facts[0].endswith("Why: service-delivery.")
    assert len(n.section("access").facts) == 1  # whom to ask, and no blank copies or view
    assert {"PM006", "PM007", "ME006"} <= {f.code for f in n.findings}


def test_whom_to_ask_is_owed_for_identifying_information_only() -> None:
    a = dpup.load(AFTER)
    covered_ccss = attrs.evolve(a, access=[attrs.evolve(a.access[0], covers=["ccss"])])
    n = dpup.notice(covered_ccss, "parents")
    # the agency's teams hold counts and survey answers without names: nothing to ask for
    assert n.section("access").unsaid == ()
    identifying = _evolve(covered_ccss, "information", "outcome-survey", identifiability="identifying")
    n = dpup.notice(identifying, "parents")
    assert n.section("access").unsaid == (
        "whom to ask to see or correct what Evaluation team at The funding agency holds",
    )
    # near miss: names among what a holder has are enough
    mixed = _evolve(covered_ccss, "flows", "evaluation-data", carries=["outcome-survey", "family-record"])
    assert dpup.notice(mixed, "parents").section("access").unsaid == n.section("access").unsaid


def test_every_arrangement_that_covers_a_holder_is_told() -> None:
    a = dpup.load(AFTER)
    agency = dpup.AccessArrangement(contact="agency", covers=["agency"], copies="The agency posts copies")
    n = dpup.notice(attrs.evolve(a, access=[*a.access, agency]), "parents")
    assert dpup.who_holds(attrs.evolve(a, access=[*a.access, agency]), "parents")[
        "agency.evaluation"
    ].ask == (
        "ccss",
        "agency",
    )
    facts = n.section("access").facts
    assert (
        "To see or correct what is held by Service delivery reporting team at The funding agency; "
        "Evaluation team at The funding agency, ask The funding agency."
    ) in facts
    assert "The agency posts copies" in facts
    assert facts[0].endswith(", ask City Centre Social Services.")  # the first arrangement, as before


def test_a_child_version_is_owed_when_it_is_asked_for_and_not_made() -> None:
    a = dpup.load(AFTER)
    adult_only = _evolve(a, "explanations", "family-notice", versions=["adult"])
    child = dpup.notice(adult_only, "children", version="child")
    assert child.section("about").unsaid == ("a child version: no explanation to this group is made in one",)
    assert "ME005" in {f.code for f in child.findings}
    assert dpup.notice(adult_only, "parents", version="child").section("about").unsaid  # asked, not made
    unsaid_versions = _evolve(a, "explanations", "family-notice", versions=[])
    # near miss: an explanation that lists no versions is taken to be the adult one
    assert dpup.notice(unsaid_versions, "parents").section("about").unsaid == ()
    assert dpup.notice(unsaid_versions, "children", version="child").section("about").unsaid == (
        "a child version: no explanation to this group is made in one",  # a child version is never assumed
    )
    # near miss: the answers serve adults whatever versions an explanation lists, as the check takes it
    for versions in (["child"], ["te reo Māori"], ["easy-read"]):
        listed = _evolve(a, "explanations", "family-notice", versions=versions)
        assert dpup.notice(listed, "parents").ready


def test_a_group_whose_information_goes_nowhere_is_told_so_and_owed_nothing() -> None:
    a = dpup.load(AFTER)
    extra = attrs.evolve(a, service_users=[*a.service_users, dpup.ServiceUser(id="staff", name="CCSS staff")])
    n = dpup.notice(extra, "staff")
    assert n.ready
    assert n.section("about").facts[-1] == "No information about you moves under this agreement."
    assert all(not s.said and not s.unsaid for s in n.sections)


def test_an_undeclared_purpose_is_named_by_its_id() -> None:
    n = dpup.notice(dpup.load(BEFORE), "children")
    assert n.section("holders").facts[-1].endswith("Why: analytics.")


# -- errors ---------------------------------------------------------------------------------


def test_an_unknown_group_or_version_is_refused_by_name() -> None:
    a = dpup.load(AFTER)
    with pytest.raises(
        KeyError, match=r"declares no service-user group 'ccss' \(it declares 'parents', 'children'\)"
    ):
        dpup.notice(a, "ccss")
    with pytest.raises(ValueError, match=r"version must be one of 'adult', 'child', not 'easy-read'"):
        dpup.notice(a, "parents", version="easy-read")
    n = dpup.notice(a, "parents")
    with pytest.raises(ValueError, match=r"version must be one of 'adult', 'child', not 'teen'"):
        attrs.evolve(n, version="teen")
    with pytest.raises(KeyError):
        n.section("nothing")


# -- rendering ------------------------------------------------------------------------------


def _hostile() -> dpup.Agreement:
    a = _says(dpup.load(AFTER), what=HOSTILE, why="1. first\n- second")
    return _evolve(a, "holders", "ccss", name=HOSTILE)


def test_every_renderer_shows_every_answer_fact_and_placeholder() -> None:
    n = dpup.notice(_says(dpup.load(AFTER), linking=None), "parents")
    text, markdown, page = n.to_text(width=10_000), n.to_markdown(), n.to_html()
    for s in n.sections:
        for line in (*s.said, *s.facts):
            assert line in text
            assert line.replace("'", "&#x27;") in page
        for line in s.unsaid:
            assert f"[Not written yet: {line}]" in text
            assert f"**Not written yet:** {line}" in markdown
            assert f"<strong>Not written yet:</strong> {line}</p>" in page
    assert markdown.startswith("# Your information: Best foot forward")
    assert "\n## Linking it with other information\n" in markdown
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert str(n) == n.to_text()


def test_text_is_wrapped_to_the_width_asked() -> None:
    text = dpup.notice(dpup.load(AFTER), "parents").to_text(width=60)
    assert max(map(len, text.splitlines())) <= 60
    assert text.startswith(
        "Your information: Best foot forward - joint parenting and\nchildren's programme\n" + "=" * 57 + "\n"
    )
    assert "\n- City Centre Social Services holds: Contact details," in text
    assert "\n  " in text  # a fact's later lines are indented under its first


def test_markdown_and_html_carry_no_markup_from_the_agreement() -> None:
    n = dpup.notice(_hostile(), "parents")
    markdown = n.to_markdown()
    assert "\\# \\*bold\\* \\_it\\_ \\`code\\` \\[link\\](http://x) &lt;script>" in markdown
    assert "\n1\\. first - second\n" in markdown  # not a numbered list
    page = n.to_html()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    rendered = md.markdown(markdown)
    for tag in ("<em>", "<a ", "<script>", "<del>", "<code>", "<ol>", "<h1># "):
        assert tag not in rendered


BLOCK_STARTS = [
    "# heading",
    "- item",
    "+ item",
    "> quote",
    "1986. A good year",
    "---",
    "    four spaces",
    "\tA tab",
    "  - indented item",
    " # indented heading",
    "Title #",
    "one\rtwo",
    "one\r\n# two",
]


@pytest.mark.parametrize("text", BLOCK_STARTS)
def test_no_text_of_the_agreement_starts_a_markdown_block(text: str) -> None:
    a = _evolve(_says(dpup.load(AFTER), what=text), "holders", "ccss", name=text)  # a fact starts with it
    a = _evolve(attrs.evolve(a, title=text), "flows", "intake-parents", choice=text)  # and a fact is it
    n = dpup.notice(a, "parents")
    page = md.markdown(n.to_markdown())
    tags = re.findall(r"<(\w+)", page)
    assert set(tags) <= {"h1", "h2", "p", "ul", "li", "strong"}, page
    lists = sum(bool(s.facts) for s in n.sections[1:])
    assert (tags.count("h1"), tags.count("h2"), tags.count("ul")) == (1, len(n.sections) - 1, lists)
    assert tags.count("li") == sum(len(s.facts) for s in n.sections[1:])
    heading = re.search(r"<h1>(.*)</h1>", page, re.S)
    assert heading is not None
    shown = " ".join(heading[1].split())
    assert shown == html.escape(" ".join(f"Your information: {text}".split()), quote=False)  # all of it


def test_jupyter_shows_what_a_notice_lacks_first() -> None:
    ready = dpup.notice(dpup.load(AFTER), "parents")
    assert ready._repr_html_().startswith("<h1>Your information")
    lacking = dpup.notice(dpup.load(BEFORE), "past-families")
    shown = lacking._repr_html_()
    assert shown.startswith("<div><p><b>Not ready to give</b> (")
    assert "<li>ME001: flow &#x27;tender&#x27;" in shown


def test_to_dict_is_json_ready_and_says_whether_it_is_ready() -> None:
    n = dpup.notice(dpup.load(BEFORE), "children")
    data = json.loads(json.dumps(n.to_dict()))
    assert data["ready"] is False
    assert [s["key"] for s in data["sections"]][:2] == ["about", "collected"]
    assert data["sections"][2]["unsaid"] == [QUESTIONS["linking"]]
    assert [f["code"] for f in data["findings"]] == [f.code for f in n.findings]


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_a_clean_sector_has_every_notice_ready(seed: int) -> None:
    for a in synth.sector(flows=120, seed=seed)[:6]:
        for g in a.service_users:
            n = dpup.notice(a, g.id)
            assert n.ready, (a.id, g.id, n.unsaid, [f.code for f in n.findings])
            if g.needs_extra_care == "child":
                assert dpup.notice(a, g.id, version="child").ready


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), rate=st.sampled_from([0.05, 0.2, 0.5]))
def test_a_notice_lacks_something_only_where_the_check_finds_something(seed: int, rate: float) -> None:
    for a in synth.sector(flows=150, seed=seed, faults=rate):
        report = dpup.check(a)
        open_findings = set(report.open())
        held_ids = {
            i for g in a.service_users for h in dpup.who_holds(a, g.id).values() for i in h.information
        }
        for g in a.service_users:
            n = dpup.notice(a, g.id)
            assert set(n.findings) <= open_findings
            if n.unsaid:  # every placeholder stands for a finding of the check
                assert n.findings, (a.id, g.id, n.unsaid)
            facts = n.section("holders").facts
            assert len(facts) == len(dpup.who_holds(a, g.id))
        assert held_ids <= {i.id for i in a.information}


# -- the command ----------------------------------------------------------------------------


def test_the_cli_writes_a_ready_notice_and_exits_0() -> None:
    code, out, err = run("notice", "children", str(AFTER), "--version", "child")
    assert (code, err) == (EXIT_OK, "")
    assert out == dpup.notice(dpup.load(AFTER), "children", version="child").to_text(width=80)
    for fmt, method in (("markdown", "to_markdown"), ("html", "to_html")):
        code, out, err = run("notice", "parents", str(AFTER), "--format", fmt)
        assert (code, err) == (EXIT_OK, "")
        assert out == getattr(dpup.notice(dpup.load(AFTER), "parents"), method)()
    code, out, _ = run("notice", "parents", str(AFTER), "--format", "json")
    assert payload(out, "notice") == dpup.notice(dpup.load(AFTER), "parents").to_dict()


def test_the_cli_lists_what_a_notice_lacks_and_exits_1() -> None:
    code, out, err = run("notice", "past-families", str(BEFORE))
    assert code == EXIT_FINDINGS
    assert out.startswith("Your information: Best foot forward - agreement as first drafted\n")
    lines = err.splitlines()
    assert lines[0] == "dpup notice: not ready to give (17 items not written yet, 7 findings):"
    assert "  not written yet: why it is needed" in lines
    assert any(line.startswith(f"  {BEFORE}:") and " ME001 flow 'tender'" in line for line in lines)
    assert lines[-1] == f"  (dpup check {BEFORE} says how to fix each finding)"


def test_the_cli_refuses_an_unknown_group_a_directory_and_an_invalid_file(tmp_path: Path) -> None:
    code, out, err = run("notice", "kids", str(AFTER))
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (
        "dpup notice: agreement 'best-foot-forward' declares no service-user group 'kids' "
        "(it declares 'parents', 'children')\n"
    )
    code, out, err = run("notice", "parents", str(AFTER.parent))
    assert (code, out) == (EXIT_USAGE, "")
    assert err == f"dpup notice: {AFTER.parent} holds 2 agreements; give one agreement file\n"
    code, _, err = run("notice", "parents", str(AFTER), "--version", "teen")
    assert code == EXIT_USAGE
    assert "invalid choice: 'teen'" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("dpup: 1\n", encoding="utf-8")
    code, out, err = run("notice", "parents", str(broken))
    assert (code, out) == (EXIT_INVALID, "")
    assert err.startswith(f"{broken}:")
    code, out, err = run("notice", "parents", str(tmp_path / "missing.yaml"))
    assert (code, out) == (EXIT_INVALID, "")


def test_the_command_line_page_shows_what_dpup_notice_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    shown = {}
    for command in (
        "dpup notice children examples/best-foot-forward.yaml --version child",
        "dpup notice past-families examples/best-foot-forward-before.yaml",
    ):
        start = page.index(f"```sh\n{command}\n```\n\n```text\n") + len(command) + 20
        shown[command] = page[start : page.index("```", start)].splitlines()
    code, out, _ = run("notice", "children", str(AFTER), "--version", "child")
    assert code == EXIT_OK
    in_order(shown["dpup notice children examples/best-foot-forward.yaml --version child"], out.splitlines())
    monkeypatch.chdir(ROOT)  # the page's relative path, as a reader types it
    code, _, err = run("notice", "past-families", "examples/best-foot-forward-before.yaml")
    assert code == EXIT_FINDINGS
    in_order(shown["dpup notice past-families examples/best-foot-forward-before.yaml"], err.splitlines())


@settings(max_examples=60, deadline=None)
@given(clean_agreements())
def test_an_agreement_the_check_passes_gives_every_group_a_ready_notice(a: dpup.Agreement) -> None:
    for g in a.service_users:
        n = dpup.notice(a, g.id)
        assert n.ready, (g.id, n.unsaid)


@settings(max_examples=60, deadline=None)
@given(agreements(), st.sampled_from(dpup.NOTICE_VERSIONS))
def test_any_valid_agreement_gives_each_group_a_notice_in_every_format(
    a: dpup.Agreement, version: str
) -> None:
    open_findings = set(dpup.check(a).open())
    for g in a.service_users:
        n = dpup.notice(a, g.id, version=version)
        assert set(n.findings) <= open_findings
        assert n.ready == (not n.unsaid and not n.findings)
        text, markdown, page = n.to_text(), n.to_markdown(), n.to_html()
        for line in n.unsaid:
            assert f"**Not written yet:** {_escape(line)}\n" in markdown
        assert text.count("[Not written yet: ") == len(n.unsaid)
        assert page.count('<p class="unsaid">') == len(n.unsaid)
        assert json.loads(json.dumps(n.to_dict()))["ready"] is n.ready


def test_text_breaks_lines_only_at_spaces() -> None:
    a = _evolve(dpup.load(AFTER), "flows", "evaluation-data", choice=None)
    n = dpup.notice(a, "parents")
    for width in range(30, 61):  # at some of these, a break at a hyphen would split the id
        assert "'evaluation-data'" in n.to_text(width=width)
    long = "https://example.org/a-very-long-address-that-is-longer-than-the-line"
    assert f"\n{long}\n" in dpup.notice(_says(a, laws=long), "parents").to_text(width=40)


def test_a_flow_that_carries_nothing_is_information_to_choose_about() -> None:
    a = _evolve(dpup.load(AFTER), "flows", "findings-back", carries=[], choice=None)
    a = _evolve(a, "flows", "intake-parents", carries=[], choice=None)
    (unsaid,) = dpup.notice(a, "parents").section("choices").unsaid
    assert unsaid == (
        "what choice you have about City Centre Social Services getting information (flow 'intake-parents'), "
        "or why you have none"
    )


def test_the_cli_writes_control_characters_from_the_agreement_as_visible_escapes(tmp_path: Path) -> None:
    a = attrs.evolve(dpup.load(AFTER), title="Best \x1b[2J\x1b]0;owned\x07foot\rforward\x9b")
    path = tmp_path / "agreement.json"  # JSON can hold any character
    dpup.dump(a, path)
    for argv, shown in (
        (("notice", "parents", str(path)), "Best \\u001b[2J\\u001b]0;owned\\u0007foot forward\\u009b"),
        (
            ("notice", "parents", str(path), "--format", "markdown"),
            "Best \\u001b\\[2J\\u001b\\]0;owned\\u0007foot",
        ),
        (
            ("diff", str(AFTER), str(path)),
            '"Best \\u001b[2J\\u001b]0;owned\\u0007foot\\rforward\\u009b"',
        ),  # as JSON
    ):
        code, out, _ = run(*argv)
        assert code in (EXIT_OK, EXIT_FINDINGS)
        assert shown in out, argv
        assert not any(c in out for c in "\x1b\x07\r\x9b")
    code, out, _ = run("notice", "parents", str(path), "--format", "json")
    assert not any(c in out for c in "\x1b\x07\r\x9b")
    assert (
        json.loads(out)["title"] == f"Your information: {a.title}"
    )  # the escapes read back as the characters
    code, out, _ = run("diff", "--format", "json", str(AFTER), str(path))
    (pair,) = json.loads(out)["agreements"]
    assert pair["changes"][0]["fields"][0]["after"] == a.title  # the escapes read back as the characters


def test_what_is_not_written_yet_is_told_on_standard_error_with_visible_escapes(tmp_path: Path) -> None:
    # Standard error, where the notice's blanks are listed, carried a holder's name raw: its
    # escape sequences acted on the terminal, or rewrote a CI log's lines.
    a = _evolve(dpup.load(AFTER), "flows", "intake-parents", choice=None)
    a = _evolve(a, "holders", "ccss", name="CCSS\x1b[2J\x1b]0;owned\x07\x9b")
    path = tmp_path / "agreement.json"
    dpup.dump(a, path)
    code, _, err = run("notice", "parents", str(path))
    assert code == EXIT_FINDINGS
    assert "choice you have about CCSS\\u001b[2J\\u001b]0;owned\\u0007\\u009b getting" in err
    assert not any(c in err for c in "\x1b\x07\x9b")


# -- mutation-testing gaps: parties, purposes, flows, and the renderers' layout ---------------


@pytest.mark.parametrize(
    ("parties", "between"),
    [
        ([], ""),
        (["insights-ltd"], ", an agreement between Insights Ltd (analytics contractor)"),
        (["agency", "ccss"], ", an agreement between The funding agency and City Centre Social Services"),
        (
            ["ccss", "insights-ltd", "agency"],
            ", an agreement between City Centre Social Services, Insights Ltd (analytics contractor) and "
            "The funding agency",
        ),
    ],
)
def test_the_introduction_names_the_parties_as_a_list_in_words(parties: list[str], between: str) -> None:
    a = attrs.evolve(dpup.load(BEFORE), parties=parties)
    (fact,) = dpup.notice(a, "parents").section("about").facts
    assert fact.endswith(f" under Best foot forward - agreement as first drafted{between}.")


def test_the_child_version_says_who_gets_it_where_the_adult_one_says_who_holds_it() -> None:
    a = dpup.load(AFTER)
    for version, verb in (("adult", " holds: "), ("child", " gets: ")):
        facts = dpup.notice(a, "parents", version=version).section("holders").facts
        assert len(facts) == len(dpup.who_holds(a, "parents"))
        assert all(verb in fact for fact in facts), (version, facts)


@pytest.mark.parametrize("version", dpup.NOTICE_VERSIONS)
def test_a_purpose_tells_how_it_helps_and_what_allows_it_only_where_the_agreement_says(version: str) -> None:
    a = dpup.load(AFTER)
    told = {p.id: p for p in a.purposes}
    n = dpup.notice(a, "parents", version=version)
    helps = {"adult": ". How this helps: ", "child": ". How this helps you: "}[version]
    for p in told.values():
        assert p.benefit is not None
        assert p.authority is not None
        assert sum(p.benefit in fact for fact in n.section("collected").facts) == 1
        assert any(fact.endswith(f"{helps}{p.benefit}") for fact in n.section("collected").facts)
        assert sum(p.authority in fact for fact in n.section("law").facts) == 1
    silent = _evolve(a, "purposes", "evaluation", benefit=None, authority=None)
    m = dpup.notice(silent, "parents", version=version)
    description = told["evaluation"].description
    assert description is not None
    for key in ("collected", "law"):
        assert len(m.section(key).facts) == len(n.section(key).facts) - 1
        assert not any("None" in fact for fact in m.section(key).facts)
    assert not any(fact.startswith(description) for fact in m.section("law").facts)


def test_each_flow_that_offers_a_choice_says_what_it_is() -> None:
    a = dpup.load(AFTER)
    n = dpup.notice(a, "parents")
    choices = [f.choice for f in a.flows if f.choice]
    assert choices
    for choice in choices:
        assert choice in n.section("choices").facts


def test_a_notice_tells_of_every_flow_from_its_group_or_carrying_anything_about_it() -> None:
    a = dpup.load(AFTER)
    drawing = dpup.Information(id="drawing", description="A drawing", about=["children"])
    plan = dpup.Information(id="plan", description="A family plan", about=["parents"])
    flows = [
        # from the parents, though about the children only
        dpup.DataFlow(id="drawings", from_="parents", to="ccss", carries=["drawing"], choice="Choice one"),
        # one item about the parents among others
        dpup.DataFlow(
            id="mixed",
            from_="ccss",
            to="agency.evaluation",
            carries=["drawing", "quarterly-counts"],
            choice="Choice two",
        ),
        # between two groups, so no holder has it
        dpup.DataFlow(id="at-home", from_="children", to="parents", carries=["plan"], choice="Choice three"),
    ]
    b = attrs.evolve(a, information=[*a.information, drawing, plan], flows=[*a.flows, *flows])
    n = dpup.notice(b, "parents")
    for choice in ("Choice one", "Choice two", "Choice three"):
        assert choice in n.section("choices").facts
    assert "A family plan" in n.section("collected").facts
    assert "A drawing" not in n.section("collected").facts  # not about the parents


def _blocks(text: str) -> list[list[str]]:
    """``text``'s blocks: the runs of lines between blank lines."""
    return [block.splitlines() for block in text.rstrip("\n").split("\n\n")]


@pytest.mark.parametrize(("agreement", "group"), [(AFTER, "parents"), (BEFORE, "children")])
def test_text_gives_each_part_a_heading_but_the_introduction_and_lists_the_facts(
    agreement: Path, group: str
) -> None:
    n = dpup.notice(dpup.load(agreement), group)
    text = n.to_text(width=10_000)
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert "\n\n\n" not in text
    blocks = _blocks(text)
    about, *parts = n.sections
    assert blocks[0] == [n.title, "=" * len(n.title)]
    assert blocks[1 : 1 + len(about.facts)] == [[fact] for fact in about.facts]
    assert about.heading not in text
    headings = [b[0] for b in blocks if len(b) == 2 and b[1] == "-" * len(b[0])]
    assert headings == [s.heading for s in parts]
    for s in parts:
        if s.facts:  # a list of its own, one block
            assert [f"- {fact}" for fact in s.facts] in blocks
    assert not any(line.startswith("- ") and line[2:] in about.facts for line in text.splitlines())


@given(st.lists(st.text(alphabet="abcXYZ_MUT!.", min_size=1), min_size=1).map(" ".join))
def test_every_renderer_ends_with_the_last_thing_the_notice_says_in_full(last: str) -> None:
    a = dpup.load(AFTER)
    a = attrs.evolve(a, flows=[attrs.evolve(f, choice=last, no_choice_reason=None) for f in a.flows])
    n = dpup.notice(a, "parents")
    assert n.section("choices").facts == (last,)
    assert n.to_text(width=10_000).endswith(f"- {last}\n")
    assert n.to_markdown().endswith(f"- {_escape(last)}\n")
    assert n._repr_html_().endswith("</section>\n")
    assert n.to_html().endswith("</section>\n</body>\n</html>\n")


@pytest.mark.parametrize(("agreement", "group"), [(AFTER, "parents"), (BEFORE, "children")])
def test_markdown_gives_each_part_a_heading_but_the_introduction_and_lists_the_facts(
    agreement: Path, group: str
) -> None:
    n = dpup.notice(dpup.load(agreement), group)
    text = n.to_markdown()
    assert "\n\n\n" not in text
    about, *parts = n.sections
    lines = text.splitlines()
    assert [line[3:] for line in lines if line.startswith("## ")] == [_escape(s.heading) for s in parts]
    for i, line in enumerate(lines):
        if line.startswith("## "):
            assert lines[i - 1 : i + 2 : 2] == ["", ""]  # blank before and after a heading
    items = [line[2:] for line in lines if line.startswith("- ")]
    assert items == [_escape(fact) for s in parts for fact in s.facts]
    for s in parts:
        if s.facts:  # a list of its own, with a blank line after it unless it ends the notice
            last = lines.index(f"- {_escape(s.facts[-1])}")
            assert lines[last + 1 : last + 2] in ([], [""])
    for fact in about.facts:
        assert _escape(fact) in lines  # a paragraph of its own
    rendered = md.markdown(text)
    assert rendered.count("<h2>") == len(parts)
    assert rendered.count("<li>") == sum(len(s.facts) for s in parts)


class _Outline(HTMLParser):
    """A page's sections, each as its class and the tags and text in it; and any text outside them."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, list[tuple[str, str]]]] = []
        self.outside: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.sections.append((dict(attrs).get("class") or "", []))
        if tag != "meta":  # the one empty element a notice's page has
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        if "section" in self.open:
            self.sections[-1][1].append((self.open[-1], data))
        elif self.open[-1:] in (["body"], []) and data.strip():
            self.outside.append(data)


@pytest.mark.parametrize(("agreement", "group"), [(AFTER, "parents"), (BEFORE, "children")])
def test_html_gives_each_part_a_section_and_a_heading_but_the_introduction_and_lists_the_facts(
    agreement: Path, group: str
) -> None:
    n = dpup.notice(dpup.load(agreement), group)
    for page in (n.to_html(), n._repr_html_()):
        outline = _Outline()
        outline.feed(page)
        assert outline.open == []
        assert outline.outside == []
        assert [key for key, _ in outline.sections] == [s.key for s in n.sections]
        for s, (_, content) in zip(n.sections, outline.sections, strict=True):
            assert {tag for tag, text in content if text.strip()} <= {"h2", "p", "strong", "li"}
            headings = [text for tag, text in content if tag == "h2"]
            assert headings == ([] if s.key == "about" else [s.heading])
            paragraphs = [text for tag, text in content if tag == "p" and text in s.facts]
            items = [text for tag, text in content if tag == "li"]
            if s.key == "about":
                assert (paragraphs, items) == (list(s.facts), [])
            else:
                assert (paragraphs, items) == ([], list(s.facts))


def test_a_notice_as_data_holds_everything_it_says() -> None:
    n = dpup.notice(dpup.load(BEFORE), "children", version="child")
    data = json.loads(json.dumps(n.to_dict()))
    sections = tuple(
        dpup.NoticeSection(
            key=s["key"],
            heading=s["heading"],
            said=tuple(s["said"]),
            facts=tuple(s["facts"]),
            unsaid=tuple(s["unsaid"]),
        )
        for s in data["sections"]
    )
    rebuilt = dpup.Notice(
        agreement=data["agreement"],
        title=data["title"],
        group=data["group"],
        version=data["version"],
        sections=sections,
        findings=n.findings,
    )
    assert rebuilt == n
    assert data["ready"] is n.ready is False


def test_text_is_80_columns_wide_unless_asked_otherwise() -> None:
    n = dpup.notice(dpup.load(BEFORE), "children")
    text = n.to_text()
    assert text == str(n) == render_notice_text(n) == n.to_text(width=80)
    assert max(map(len, text.splitlines())) <= 80
    assert text != n.to_text(width=79)  # the example is wide enough to tell
    assert text != n.to_text(width=81)


def test_a_holder_given_information_for_no_stated_purpose_is_given_no_reason() -> None:
    a = _evolve(dpup.load(AFTER), "flows", "evaluation-data", purpose=None)
    facts = dpup.notice(a, "parents").section("holders").facts
    (evaluation,) = [fact for fact in facts if fact.startswith("Evaluation team")]
    assert "Why" not in evaluation
    assert evaluation.endswith("(with what identifies you removed).")
    assert all("Why: " in fact for fact in facts if fact != evaluation)


@pytest.mark.parametrize("width", [20, 24, 30])
def test_a_heading_that_wraps_is_underlined_to_its_longest_line(width: int) -> None:
    lines = dpup.notice(dpup.load(AFTER), "parents").to_text(width=width).splitlines()
    underlines = [i for i, line in enumerate(lines) if line and set(line) in ({"-"}, {"="})]
    wrapped = 0
    for i in underlines:
        start = max((j for j in range(i) if not lines[j]), default=-1) + 1
        heading = lines[start:i]
        assert len(lines[i]) == max(map(len, heading)), heading
        wrapped += len({len(line) for line in heading}) > 1
    assert wrapped  # some heading's lines differ in length at this width


def test_a_notice_of_a_graph_says_it_needs_the_agreement() -> None:
    agreement = dpup.load(AFTER)
    with pytest.raises(
        TypeError,
        match=r"expected a dpup Agreement, not MultiDiGraph "
        r"\(a notice is one agreement's: dpup\.agreements_of\(G\)\[agreement_id\] gives it\)$",
    ):
        dpup.notice(dpup.graph(agreement), "children")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected a dpup Agreement, not str$"):
        dpup.notice("examples/best-foot-forward.yaml", "children")  # type: ignore[arg-type]
    G = dpup.graph(agreement)
    assert dpup.notice(dpup.agreements_of(G)[agreement.id], "children") == dpup.notice(agreement, "children")


def test_the_json_findings_are_placed_in_the_file_in_the_notices_order() -> None:
    code, out, err = run("notice", "--format", "json", "children", str(BEFORE))
    assert code == EXIT_FINDINGS
    findings = payload(out, "notice")["findings"]
    n = dpup.notice(dpup.load(BEFORE), "children")
    assert [(f["code"], f["subject"]) for f in findings] == [(f.code, f.subject) for f in n.findings]
    assert {f["file"] for f in findings} == {str(BEFORE)}
    assert all(isinstance(f["line"], int) for f in findings)
    # the lines stderr prints are the same places
    shown = [line.strip() for line in err.splitlines() if line.strip().startswith(str(BEFORE))]
    assert shown == [f"{f['file']}:{f['line']}: {f['where']}: {f['code']} {f['message']}" for f in findings]
