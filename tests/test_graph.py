"""The flow graph: nodes for groups and holders (teams knowing their organisation), an edge per
flow keyed by its id, and the agreement each flow comes from."""

import attrs
import networkx as nx
import pytest
from hypothesis import given

import dpup
from dpup import Agreement, synth
from tests.strategies import agreements

EXAMPLES = dpup.examples.names()


@pytest.fixture(scope="module")
def after() -> Agreement:
    return dpup.examples.load("best-foot-forward")


@pytest.fixture(scope="module")
def before() -> Agreement:
    return dpup.examples.load("best-foot-forward-before")


@pytest.mark.parametrize("name", EXAMPLES)
def test_ccss_information_reaches_the_agencys_two_teams_as_separate_nodes(name: str) -> None:
    G = dpup.examples.load(name).graph()
    assert isinstance(G, nx.MultiDiGraph)
    reached = nx.descendants(G, "ccss")
    assert {"agency.evaluation", "agency.reporting"} <= reached
    for team in ("agency.evaluation", "agency.reporting"):
        assert G.nodes[team]["kind"] == "team"
        assert G.nodes[team]["organisation"] == "agency"
    assert G.nodes["agency"]["kind"] == "agency"
    assert G.nodes["agency"]["organisation"] == "agency"
    assert G.nodes["ccss"]["kind"] == "provider"
    assert G.nodes["parents"]["kind"] == "service-user"
    assert G.nodes["parents"]["organisation"] is None


def test_the_dpup_way_sends_evaluation_and_reporting_to_different_teams(after: Agreement) -> None:
    G = after.graph()
    out = {(v, k) for _, v, k in G.out_edges("ccss", keys=True)}
    assert out == {("agency.reporting", "quarterly-report"), ("agency.evaluation", "evaluation-data")}
    assert G.edges["ccss", "agency.evaluation", "evaluation-data"]["purpose"].id == "evaluation"
    assert G.edges["ccss", "agency.reporting", "quarterly-report"]["purpose"].id == "service-reporting"


def test_the_first_draft_sends_everything_to_reporting(before: Agreement) -> None:
    G = before.graph()
    out = {(v, k) for _, v, k in G.out_edges("ccss", keys=True)}
    assert out == {
        ("agency.procurement", "tender"),
        ("agency.reporting", "quarterly-report"),
        ("agency.reporting", "outcomes-report"),
    }
    assert G.has_edge("agency.reporting", "agency.evaluation", "reporting-to-evaluation")


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_group_holder_and_flow_is_in_the_graph(name: str) -> None:
    a = dpup.examples.load(name)
    G = a.graph()
    expected_nodes = {g.id for g in a.service_users} | {o.id for o in a.holders}
    expected_nodes |= {t.id for _, t in a.teams()}
    assert set(G.nodes) == expected_nodes
    assert sorted(k for _, _, k in G.edges(keys=True)) == sorted(f.id for f in a.flows)
    for u, v, k, data in G.edges(keys=True, data=True):
        flow = a.flow(k)
        assert (u, v) == (flow.from_, flow.to)
        assert data["flow"] is flow
        assert data["agreement"] == a.id
        assert tuple(i.id for i in data["information"]) == flow.carries
    assert dpup.agreements_of(G) == {a.id: a}


def test_flows_of_one_agreement_carrying_the_same_items_share_one_tuple() -> None:
    sector = synth.sector(flows=200, seed=1)
    G = dpup.graph(*sector)
    by_carries: dict[tuple[str, tuple[str, ...]], set[int]] = {}
    for _, _, data in G.edges(data=True):
        flow = data["flow"]
        assert tuple(i.id for i in data["information"]) == flow.carries
        by_carries.setdefault((data["agreement"], flow.carries), set()).add(id(data["information"]))
    assert all(len(ids) == 1 for ids in by_carries.values())
    assert len(by_carries) < G.number_of_edges()  # some are shared


def test_an_undeclared_purpose_is_none_on_the_edge(before: Agreement) -> None:
    G = before.graph()
    edge = G.edges["agency.evaluation", "insights-ltd", "evaluation-to-contractor"]
    assert edge["flow"].purpose == "analytics"
    assert edge["purpose"] is None


def test_party_to_and_declared_in(before: Agreement) -> None:
    G = before.graph()
    assert G.nodes["agency.reporting"]["party_to"] == ["best-foot-forward-before"]
    assert G.nodes["insights-ltd"]["party_to"] == []
    assert G.nodes["insights-ltd"]["declared_in"] == ["best-foot-forward-before"]


def test_combining_agreements_keeps_each_flows_agreement(after: Agreement, before: Agreement) -> None:
    G = dpup.graph(after, before)
    assert G.number_of_edges() == len(after.flows) + len(before.flows)
    by_agreement: dict[str, set[str]] = {}
    for _, _, data in G.edges(data=True):
        by_agreement.setdefault(data["agreement"], set()).add(data["flow"].id)
    assert by_agreement == {
        "best-foot-forward": {f.id for f in after.flows},
        "best-foot-forward-before": {f.id for f in before.flows},
    }
    # The same flow id between the same nodes in both: neither is lost.
    assert G.edges["parents", "ccss", "intake-parents"]["agreement"] == "best-foot-forward"
    assert G.edges["parents", "ccss", "best-foot-forward-before:intake-parents"]["agreement"] == (
        "best-foot-forward-before"
    )
    assert G.nodes["ccss"]["declared_in"] == ["best-foot-forward", "best-foot-forward-before"]
    assert G.nodes["agency.evaluation"]["organisation"] == "agency"


def test_combining_agreements_with_the_same_id_is_refused(after: Agreement) -> None:
    with pytest.raises(ValueError, match="two agreements have the id 'best-foot-forward'"):
        dpup.graph(after, after)


def test_flows_iterates_every_edge(after: Agreement) -> None:
    G = after.graph()
    assert [(u, v, k) for u, v, k, _ in dpup.flows(G)] == list(G.edges(keys=True))


def test_flows_and_agreements_of_refuse_what_is_not_a_graph(after: Agreement) -> None:
    for function in (dpup.flows, dpup.agreements_of):
        name = function.__name__
        with pytest.raises(TypeError) as caught:
            function(after)  # type: ignore[arg-type]
        assert str(caught.value) == (
            f"dpup.{name} takes the networkx MultiDiGraph of dpup.graph(), not an Agreement "
            "(for one agreement's, pass agreement.graph())"
        )
        for wrong, shown in (([after.graph()], "a list"), (nx.DiGraph(), "a DiGraph"), (None, "None")):
            with pytest.raises(
                TypeError,
                match=rf"^dpup\.{name} takes the networkx MultiDiGraph of dpup\.graph\(\), not {shown}$",
            ):
                function(wrong)  # type: ignore[arg-type]


def test_a_graph_built_without_dpup_holds_no_agreements() -> None:
    plain: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    plain.add_edge("a", "b", key="f")
    assert dpup.agreements_of(plain) == {}
    assert list(dpup.flows(plain)) == [("a", "b", "f", None)]


@given(agreements())
def test_graph_of_any_agreement(a: Agreement) -> None:
    G = a.graph()
    teams = {t.id: org.id for org, t in a.teams()}
    assert G.number_of_nodes() == len(a.service_users) + len(a.holders) + len(teams)
    assert G.number_of_edges() == len(a.flows)
    for team, org in teams.items():
        assert G.nodes[team]["organisation"] == org
    for f in a.flows:
        data = G.edges[f.from_, f.to, f.id]
        assert data["flow"] == f
        assert data["agreement"] == a.id
        assert data["purpose"] == (a.purpose(f.purpose) if f.purpose is not None else None)


def test_a_qualified_key_that_is_taken_is_qualified_further(after: Agreement) -> None:
    """Ids may hold a colon: a flow whose own id is ``"b:quarterly-report"`` takes the key
    the second agreement's ``quarterly-report`` would get, and neither flow is lost."""
    first = next(f for f in after.flows if f.id == "quarterly-report")
    named_like_a_key = attrs.evolve(first, id="b:quarterly-report")
    b = attrs.evolve(after, id="b", flows=(named_like_a_key, *after.flows))
    G = dpup.graph(after, b)
    keyed = G["ccss"]["agency.reporting"]
    assert {k: (d["agreement"], d["flow"].id) for k, d in keyed.items()} == {
        "quarterly-report": ("best-foot-forward", "quarterly-report"),
        "b:quarterly-report": ("b", "b:quarterly-report"),
        "b:quarterly-report:2": ("b", "quarterly-report"),
    }
    assert G.number_of_edges() == len(after.flows) + len(b.flows)
    # and the checks read every one of them as declared, in its agreement
    from dpup.checks._context import Context, Declared

    ctx = Context(G)
    assert len(ctx.declared) == len(ctx.flows) == G.number_of_edges()
    assert all(isinstance(e, Declared) for e in ctx.flows)


def test_a_key_qualified_twice_over_goes_on_to_the_next_number(after: Agreement) -> None:
    """Flows whose own ids are "b:quarterly-report" and "b:quarterly-report:2" take the first
    two keys the second agreement's quarterly-report could get: it gets ":3", and the checks
    still read it there."""
    first = next(f for f in after.flows if f.id == "quarterly-report")
    named = [attrs.evolve(first, id=i) for i in ("b:quarterly-report", "b:quarterly-report:2")]
    b = attrs.evolve(after, id="b", flows=(*named, *after.flows))
    G = dpup.graph(after, b)
    assert G.edges["ccss", "agency.reporting", "b:quarterly-report:3"]["flow"] is first
    assert G.edges["ccss", "agency.reporting", "b:quarterly-report:3"]["agreement"] == "b"
    from dpup.checks._context import Context, Declared

    ctx = Context(G)
    assert all(isinstance(e, Declared) for e in ctx.flows)
    assert len(ctx.flows) == G.number_of_edges()


def test_a_list_of_agreements_is_refused_with_the_call_to_make(after: Agreement) -> None:
    with pytest.raises(TypeError, match=r"call dpup\.graph\(\*agreements\)"):
        dpup.graph([after])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not str") as caught:
        dpup.graph("best-foot-forward")  # type: ignore[arg-type]
    assert "*agreements" not in str(caught.value)


TRUST = """
dpup: 1
agreement: {id: trust, title: A trust's contract, parties: [agency, parents]}
service_users:
  - {id: youth, name: Young people}
holders:
  - {id: agency, kind: agency, name: The agency}
  - {id: parents, kind: provider, name: Parents Trust}
"""


@pytest.mark.parametrize("order", [1, -1])
def test_an_id_that_is_a_group_in_one_agreement_and_a_holder_in_another_is_refused(
    after: Agreement, order: int
) -> None:
    """Combined, one of them would be judged by the other's idea of the node, and the
    findings would depend on the order: refused, naming both agreements, in either order."""
    pair = [after, dpup.loads(TRUST)][::order]
    with pytest.raises(dpup.GraphError) as caught:
        dpup.graph(*pair)
    assert caught.value.agreements == (pair[0].id, pair[1].id)
    assert caught.value.node == "parents"
    group, holder = "a service-user group", "a provider"
    first, second = (group, holder)[::order]
    assert str(caught.value) == (
        f"'parents' is {first} in agreement {pair[0].id!r} and {second} in agreement {pair[1].id!r}: "
        "an id must mean the same group or holder in every agreement combined"
    )


def test_an_id_that_is_a_group_in_one_agreement_and_an_agency_in_another_says_an_agency(
    after: Agreement,
) -> None:
    trust = dpup.loads(TRUST.replace("{id: parents, kind: provider", "{id: parents, kind: agency"))
    with pytest.raises(dpup.GraphError) as caught:
        dpup.graph(after, trust)
    assert str(caught.value).startswith(
        "'parents' is a service-user group in agreement 'best-foot-forward' and an agency in agreement 'trust': "
    )
    assert caught.value.meanings == ("a service-user group", "an agency")
    assert (caught.value.node, caught.value.agreements) == ("parents", ("best-foot-forward", "trust"))


def test_a_team_of_two_organisations_is_refused(after: Agreement) -> None:
    council = TRUST.replace(
        "{id: parents, kind: provider, name: Parents Trust}",
        ("{id: council, kind: provider, name: Council, teams: [{id: agency.evaluation, name: E}]}"),
    ).replace("[agency, parents]", "[agency, council]")
    with pytest.raises(
        dpup.GraphError, match=r"'agency\.evaluation' is a team of 'agency' .* a team of 'council'"
    ) as caught:
        dpup.graph(after, dpup.loads(council))
    assert caught.value.meanings == ("a team of 'agency'", "a team of 'council'")
    # near miss: the same holders declared alike in both combine
    assert dpup.graph(after, dpup.loads(TRUST.replace("parents", "trustees"))).has_node("trustees")
