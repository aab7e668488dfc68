"""Who holds information about a group, and whom to ask (dpup.who_holds and dpup holders)."""

import json
from pathlib import Path

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from tests.examples import AFTER, BEFORE, run


def test_the_dpup_way_tells_parents_who_holds_what_and_to_ask_ccss() -> None:
    held = dpup.who_holds(dpup.load(AFTER), "parents")
    assert list(held) == ["ccss", "agency.reporting", "agency.evaluation"]
    ccss = held["ccss"]
    assert ccss.name == "City Centre Social Services"
    assert ccss.organisation == "ccss"
    assert ccss.information == ("family-record", "quarterly-counts", "outcome-survey")
    assert ccss.purposes == ("service-delivery",)  # what it receives the information for
    assert ccss.flows == ("intake-parents", "intake-children", "quarterly-report", "evaluation-data")
    assert ccss.received_by == ("intake-parents", "intake-children")  # from the parents
    assert ccss.sent_by == ("quarterly-report", "evaluation-data")  # on to the agency
    assert held["agency.evaluation"].received_by == ("evaluation-data",)
    assert held["agency.evaluation"].sent_by == ()
    reporting = held["agency.reporting"]
    assert (reporting.organisation, reporting.information, reporting.purposes) == (
        "agency",
        ("quarterly-counts",),
        ("service-reporting",),
    )
    assert {h.ask for h in held.values()} == {("ccss",)}  # one contact for everything


def test_a_holder_reached_from_another_holder_is_found_and_an_uncovered_one_says_so() -> None:
    held = dpup.who_holds(dpup.load(BEFORE), "children")
    assert set(held) == {"ccss", "agency.reporting", "agency.evaluation", "insights-ltd"}
    contractor = held["insights-ltd"]
    assert contractor.flows == ("evaluation-to-contractor",)  # from the evaluation team, not the group
    assert contractor.purposes == ("analytics",)
    assert contractor.ask == ()  # the first draft has no access arrangement
    assert held["agency.reporting"].purposes == ("service-reporting", "evaluation")


def test_information_about_another_group_only_is_not_counted() -> None:
    a = dpup.load(AFTER)
    only_parents = attrs.evolve(
        a, information=[attrs.evolve(i, about=[g for g in i.about if g != "children"]) for i in a.information]
    )
    assert dpup.who_holds(only_parents, "children") == {}
    assert set(dpup.who_holds(only_parents, "parents")) == {"ccss", "agency.reporting", "agency.evaluation"}


def test_an_arrangement_covers_a_team_through_its_organisation_and_its_contact() -> None:
    a = dpup.load(AFTER)
    acc = a.access[0]
    assert acc.contact == "ccss"
    assert "agency" in acc.covers
    assert "agency.evaluation" not in acc.covers
    two = attrs.evolve(
        a, access=[acc, dpup.AccessArrangement(contact="agency.evaluation", covers=["agency.evaluation"])]
    )
    held = dpup.who_holds(two, "parents")
    assert held["agency.evaluation"].ask == ("agency.evaluation", "ccss")  # its own first
    assert held["agency.reporting"].ask == ("ccss",)


def test_a_flow_with_no_purpose_adds_no_purpose() -> None:
    a = dpup.load(AFTER)
    vague = attrs.evolve(
        a, flows=[attrs.evolve(f, purpose=None) if f.id == "evaluation-data" else f for f in a.flows]
    )
    held = dpup.who_holds(vague, "parents")
    assert held["agency.evaluation"].purposes == ()
    assert held["agency.evaluation"].flows == ("evaluation-data",)


def test_a_group_not_in_the_graph_is_a_key_error_naming_the_groups() -> None:
    with pytest.raises(
        KeyError, match=r"no service-user group 'ccss' in the graph \(it has 'children', 'parents'\)"
    ):
        dpup.who_holds(dpup.load(AFTER), "ccss")  # a holder, not a group
    with pytest.raises(TypeError, match="to search a list of agreements together"):
        dpup.who_holds([dpup.load(AFTER)], "parents")  # type: ignore[arg-type]


@settings(max_examples=8)
@given(seed=st.integers(0, 2**16))
def test_the_holders_are_the_ends_of_the_flows_about_the_group(seed: int) -> None:
    G = dpup.graph(*synth.sector(flows=200, seed=seed))
    groups = {n for n, kind in G.nodes(data="kind") if kind == "service-user"}
    for group in sorted(groups)[:5]:
        about = nx.subgraph_view(
            G, filter_edge=lambda u, v, k, g=group: any(g in i.about for i in G.edges[u, v, k]["information"])
        )
        expected = {n for edge in about.edges() for n in edge} - groups
        held = dpup.who_holds(G, group)
        assert set(held) == expected
        for h in held.values():
            assert h.information
            carried = {
                i.id
                for _, _, d in list(G.in_edges(h.holder, data=True)) + list(G.out_edges(h.holder, data=True))
                for i in d["information"]
                if group in i.about
            }
            assert set(h.information) == carried
            about_group = set(about.edges(keys=True))
            flow_of = {(u, v, k): d["flow"].id for u, v, k, d in G.edges(keys=True, data=True)}
            assert set(h.received_by) == {flow_of[e] for e in about_group if e[1] == h.holder}
            assert set(h.sent_by) == {flow_of[e] for e in about_group if e[0] == h.holder}
            assert set(h.flows) == set(h.received_by) | set(h.sent_by)
            assert h.ask  # the clean sector's access goes through the provider and covers every holder


def test_the_cli_lists_holders_and_contacts() -> None:
    code, out, err = run("holders", "children", str(BEFORE))
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[0] == "Who holds information about children (Children in the programme), and whom to ask"
    assert "  insights-ltd  Insights Ltd (analytics contractor)" in lines
    assert "  agency.reporting  Service delivery reporting team, The funding agency" in lines
    assert lines.count("      ask: no access and correction arrangement covers it") == 4
    ccss = lines.index("  ccss  City Centre Social Services")
    assert lines[ccss + 3 : ccss + 5] == [
        "      received by intake-parents, intake-children",
        "      sent on by quarterly-report, outcomes-report",
    ]
    insights = lines.index("  insights-ltd  Insights Ltd (analytics contractor)")
    assert lines[insights + 3] == "      received by evaluation-to-contractor"  # sends nothing on
    assert not any(line.startswith("      by ") for line in lines)
    code, out, _ = run("holders", "--format", "json", "parents", str(AFTER))
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["group"] == "parents"
    assert [h["holder"] for h in data["holders"]] == ["ccss", "agency.reporting", "agency.evaluation"]
    assert data["holders"][0]["ask"] == ["ccss"]
    assert data["holders"][0]["received_by"] == ["intake-parents", "intake-children"]
    assert data["holders"][0]["sent_by"] == ["quarterly-report", "evaluation-data"]


def test_the_cli_says_which_groups_there_are_and_refuses_invalid_files(tmp_path: Path) -> None:
    code, out, err = run("holders", "kids", str(AFTER))
    assert (code, out) == (EXIT_USAGE, "")
    assert err == "dpup holders: no service-user group 'kids' in the graph (it has 'children', 'parents')\n"
    broken = tmp_path / "broken.yaml"
    broken.write_text("dpup: 1\n", encoding="utf-8")
    code, out, err = run("holders", "parents", str(broken))
    assert (code, out) == (EXIT_INVALID, "")
    assert err.startswith(f"{broken}:")


def test_the_cli_writes_the_holders_as_markdown() -> None:
    import markdown as md

    code, out, err = run("holders", "--format", "markdown", "children", str(BEFORE))
    assert (code, err) == (EXIT_OK, "")
    _, text, _ = run("holders", "children", str(BEFORE))
    lines = out.splitlines()
    assert lines[0] == "## Who holds information about children (Children in the programme), and whom to ask"
    # the same holders, in the same order, with the same lines as the text
    heads = [line for line in lines if line.startswith("- **")]
    assert [h.split("**")[1].replace("\\", "") for h in heads] == [
        line.split()[0]
        for line in text.splitlines()[2:]
        if line.startswith("  ") and not line.startswith("   ")
    ]
    rows = [line.strip().replace("\\", "") for line in lines if line.startswith("  ")]
    assert rows == [line.strip() for line in text.splitlines() if line.startswith("      ")]
    html = md.markdown(out)
    assert html.count("<li>") == len(heads) == 4
    assert html.count("<br />") == len(rows)  # each line of a holder stays its own line


def test_markdown_escapes_what_the_agreement_names(tmp_path: Path) -> None:
    import markdown as md

    hostile = "*bold* <script>x</script> [link](http://x)"
    agreement = dpup.load(AFTER)
    holders = [attrs.evolve(h, name=hostile) if h.id == "ccss" else h for h in agreement.holders]
    path = tmp_path / "hostile.yaml"
    dpup.dump(attrs.evolve(agreement, holders=holders), path)
    code, out, _ = run("holders", "--format", "markdown", "parents", str(path))
    assert code == EXIT_OK
    html = md.markdown(out)
    assert "<script>" not in html
    assert "<em>" not in html
    assert "<a " not in html
    assert "*bold* &lt;script&gt;x&lt;/script&gt; [link](http://x)" in html


def test_markdown_of_a_group_nothing_is_about(tmp_path: Path) -> None:
    lonely = dpup.load(AFTER)
    lonely = attrs.evolve(
        lonely, service_users=[*lonely.service_users, dpup.ServiceUser(id="nobody", name="Nobody")]
    )
    path = tmp_path / "lonely.yaml"
    dpup.dump(lonely, path)
    code, out, _ = run("holders", "--format", "markdown", "nobody", str(path))
    assert code == EXIT_OK
    assert out == (
        "## Who holds information about nobody (Nobody), and whom to ask\n\n"
        "No flow carries information said to be about this group.\n"
    )
