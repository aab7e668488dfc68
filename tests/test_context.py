"""The order the checks read a graph's flows in (dpup.checks._context, internal).

The checks read the flows agreement by agreement, each agreement's in the order it declares
them, then any edge added to the graph by hand. The order decides which of several paths a
finding reports, so it is pinned here; that nothing is lost or read twice is checked against
a plain reading of the graph's edges.
"""

from collections import Counter
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup.checks._context import Context, Declared
from dpup.model import Agreement, DataFlow

from .strategies import agreements

PROPERTY = settings(deadline=None)


Reading = tuple[str, str, str, Any, int | None, bool, tuple[str, ...], str | None]


def plain_reading(G: Any) -> Counter[Reading]:
    """Every edge as the checks must see it, read in graph order; the groups to tell are the
    group a flow collects from, or else every group its information is about, sorted."""
    known = G.graph["agreements"]
    groups = {n for n, kind in G.nodes(data="kind") if kind == "service-user"}
    out: Counter[Reading] = Counter()
    for u, v, key, data in G.edges(keys=True, data=True):
        flow = data.get("flow")
        fid = flow.id if flow is not None else key
        # declared: its agreement declares this very flow, between these two holders
        a = known.get(data.get("agreement"))
        declared = (
            flow is not None
            and a is not None
            and (flow.from_, flow.to) == (u, v)
            and any(f == flow for f in a.flows)
        )
        tell = (u,) if u in groups else tuple(sorted({g for i in data["information"] for g in i.about}))
        purpose = flow.purpose if flow is not None else None
        out[
            (
                u,
                v,
                fid,
                data.get("agreement"),
                id(flow) if flow is not None else None,
                declared,
                tell,
                purpose,
            )
        ] += 1
    return out


def as_read(ctx: Context) -> Counter[Reading]:
    return Counter(
        (
            f.source,
            f.target,
            f.id,
            f.agreement,
            id(f.flow) if f.flow is not None else None,
            isinstance(f, Declared),
            f.tell,
            f.purpose_id,
        )
        for f in ctx.flows
    )


def position(G: Any, f: Any) -> tuple[int, int] | None:
    """(agreement index, declared index) of a flow its agreement declares, at the key
    :func:`dpup.graph` gave it, else None."""
    edges = G.edges(keys=True, data=True)
    if any(
        k.startswith("moved-") and d["flow"] is f.flow and d["agreement"] == f.agreement
        for _, _, k, d in edges
    ):
        return None  # moved by hand: read with the other edges added by hand
    for i, (aid, a) in enumerate(G.graph["agreements"].items()):
        if aid == f.agreement:
            for j, declared in enumerate(a.flows):
                if declared is f.flow:
                    return (i, j)
    return None


@st.composite
def edited_graphs(draw: st.DrawFn) -> Any:
    """A graph of one to three agreements (two may share flow objects, so that some flows
    are re-keyed), with edges removed and edges added by hand."""
    first = draw(agreements())
    parts: list[Agreement] = [first]
    if draw(st.booleans()):  # a copy under another id: the same flows, keyed "<id>:<flow>"
        parts.append(attrs.evolve(first, id=first.id + "-copy"))
    if draw(st.booleans()):
        other = draw(agreements())
        if other.id not in {a.id for a in parts}:
            parts.append(other)
    try:
        G = dpup.graph(*parts)
    except dpup.GraphError:  # the other agreement means something else by one of the ids
        parts = parts[:-1]
        G = dpup.graph(*parts)
    edges = list(G.edges(keys=True))
    for u, v, key in draw(st.lists(st.sampled_from(edges), unique=True, max_size=3)) if edges else []:
        data = G.edges[u, v, key]
        G.remove_edge(u, v, key)
        if draw(st.booleans()):  # moved to another key: still the flow its agreement declares
            G.add_edge(u, v, key=f"moved-{key}", **data)
    nodes = list(G.nodes)
    for n in range(draw(st.integers(0, 3)) if nodes else 0):
        u, v = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        agreement = draw(st.sampled_from([None, first.id]))  # one the graph lacks is a GraphError
        flow = DataFlow(id=f"hand-{n}", from_=u, to=v) if draw(st.booleans()) else None
        G.add_edge(u, v, key=f"hand-{n}", flow=flow, agreement=agreement, information=(), purpose=None)
    return G


@PROPERTY
@given(edited_graphs())
def test_every_edge_is_read_once(G: Any) -> None:
    ctx = Context(G)
    assert as_read(ctx) == plain_reading(G)
    assert ctx.declared == [f for f in ctx.flows if isinstance(f, Declared)]


@PROPERTY
@given(edited_graphs())
def test_declared_flows_come_first_in_declared_order_then_the_rest_in_graph_order(G: Any) -> None:
    ctx = Context(G)
    places = [position(G, f) for f in ctx.flows]
    ours = [p for p in places if p is not None]
    assert places[: len(ours)] == ours  # every agreement's own flows first ...
    assert ours == sorted(ours)  # ... agreement by agreement, as each declares them
    rest = [(f.source, f.target, f.id) for f, p in zip(ctx.flows, places, strict=True) if p is None]
    in_graph_order = [
        (u, v, f.id if f is not None else k)
        for u, v, k, f in G.edges(keys=True, data="flow")
        if position(G, _Edge(f, G.edges[u, v, k].get("agreement"))) is None
    ]
    assert rest == in_graph_order


@attrs.frozen
class _Edge:
    flow: Any
    agreement: Any


def test_an_unedited_sector_is_read_in_declared_order() -> None:
    sector = synth.sector(flows=300, seed=3)
    ctx = Context(dpup.graph(*sector))
    assert [(f.agreement, f.id) for f in ctx.flows] == [(a.id, f.id) for a in sector for f in a.flows]
    assert ctx.declared == ctx.flows


BASE = Path(__file__).parent / "checkcases" / "base.yaml"


def test_a_path_follows_the_first_flow_written_where_two_routes_lead_to_a_holder() -> None:
    base = dpup.load(BASE)
    via_eval = [
        DataFlow(id="to-eval", from_="prov", to="agency.eval", carries=["survey"], purpose="evaluation"),
        DataFlow(
            id="eval-to-rep", from_="agency.eval", to="agency.rep", carries=["survey"], purpose="evaluation"
        ),
    ]
    direct = [DataFlow(id="to-rep", from_="prov", to="agency.rep", carries=["survey"], purpose="reporting")]
    first_via_eval = Context(attrs.evolve(base, flows=[*base.flows, *via_eval, *direct]).graph())
    first_direct = Context(attrs.evolve(base, flows=[*base.flows, *direct, *via_eval]).graph())
    assert first_via_eval.path_to("agency.rep", "survey")[-3:] == ("prov", "agency.eval", "agency.rep")
    assert first_direct.path_to("agency.rep", "survey")[-2:] == ("prov", "agency.rep")
    assert "agency.eval" not in first_direct.path_to("agency.rep", "survey")


def test_a_path_stops_where_the_information_came_back_to_a_holder_it_left() -> None:
    """Findings go from agency.eval to the provider, and the provider sends them back: each
    first got them from the other, so following first arrivals would go round for ever."""
    base = dpup.load(BASE)
    echo = DataFlow(id="echo", from_="prov", to="agency.eval", carries=["findings"], purpose="evaluation")
    onward = DataFlow(id="onward", from_="prov", to="agency.rep", carries=["findings"], purpose="reporting")
    ctx = Context(attrs.evolve(base, flows=[*base.flows, echo, onward]).graph())
    assert ctx.path_to("agency.eval", "findings") == ("prov", "agency.eval")
    assert ctx.path_to("prov", "findings") == ("agency.eval", "prov")
    # the cycle is behind the holder asked about: the path still ends where it closes
    assert ctx.path_to("agency.rep", "findings") == ("agency.eval", "prov", "agency.rep")


def test_two_hand_added_copies_of_one_declared_flow_are_one_declared_and_one_not() -> None:
    """The declared edge is replaced by two hand-added edges carrying the same flow between
    the same holders: one may stand for the agreement's flow, the other is undeclared."""
    base = dpup.load(BASE)
    G = base.graph()
    u, v, data = next((u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == "report")
    G.remove_edge(u, v, key="report")
    G.add_edge(u, v, key="copy-1", **data)
    G.add_edge(u, v, key="copy-2", **data)
    ctx = Context(G)
    hand = [f for f in ctx.flows if f.source == u and f.target == v and f.id == "report"]
    assert len(hand) == 2
    assert sum(isinstance(f, Declared) for f in hand) == 1
    assert [(f.code, f.subject) for f in dpup.check(G) if f.code == "UH004"] == [("UH004", "report")]


def test_a_declared_flows_edge_moved_to_other_holders_is_undeclared() -> None:
    """The survey's edge is moved, attributes and all, from agency.eval to agency.rep: its
    agreement declares that flow between prov and agency.eval, not here."""
    G = dpup.load(BASE).graph()
    data = G.edges["prov", "agency.eval", "eval-data"]
    G.remove_edge("prov", "agency.eval", "eval-data")
    G.add_edge("prov", "agency.rep", key="eval-data", **data)
    report = list(dpup.check(G))
    assert [(f.code, f.subject, f.agreement, f.path) for f in report] == [
        ("UH004", "eval-data", None, ("prov", "agency.rep"))
    ]
    assert report[0].message.endswith(
        "names agreement 'base', which declares it from 'prov' to 'agency.eval')."
    )
    # near miss: moved to another key between the same holders, it is still the declared flow
    G.remove_edge("prov", "agency.rep", "eval-data")
    G.add_edge("prov", "agency.eval", key="moved", **data)
    assert list(dpup.check(G)) == []


def test_an_edge_retagged_with_an_agreement_whose_own_edge_is_there_is_undeclared() -> None:
    """Two agreements share their flows, so the second's survey flow is keyed
    "base-last-year:eval-data". Retagged by hand with the first agreement, whose own edge is
    still there, that edge stands for neither agreement's flow."""
    base = dpup.load(BASE)
    G = dpup.graph(base, attrs.evolve(base, id="base-last-year"))
    assert list(dpup.check(G)) == []
    G.edges["prov", "agency.eval", "base-last-year:eval-data"]["agreement"] = "base"
    report = list(dpup.check(G))
    assert [(f.code, f.subject, f.agreement, f.path) for f in report] == [
        ("UH004", "eval-data", None, ("prov", "agency.eval"))
    ]
    assert report[0].message.endswith(
        "names agreement 'base', which declares it, but another edge already stands for that flow)."
    )


def test_onward_use_reads_what_reached_an_organisation_from_outside_only_when_it_must() -> None:
    """PM005 falls back on what reached a holder's organisation from outside only for what
    no flow brought the holder itself, and only for a holder of an organisation with teams:
    the fallback is left unread (not built) when no such holder sends anything on."""
    from dpup.checks.purpose import incompatible_onward_use

    base = dpup.load(BASE)
    ctx = Context(base.graph())
    assert ctx.shared == {"agency"}
    assert list(incompatible_onward_use(ctx)) == []
    assert "arrivals_from_outside" in vars(ctx)  # agency.eval sends findings no flow brought it
    # only what came into the organisation with teams, from the provider, not the moves within it
    first = {f.id: i for i, f in reversed(list(enumerate(ctx.flows)))}
    assert ctx.arrivals_from_outside == {
        ("agency", "counts"): {"reporting": first["report"]},
        ("agency", "survey"): {"evaluation": first["eval-data"]},
    }
    # findings-back sending back the survey that reached agency.eval instead: only the provider,
    # which has no teams, sends what no flow brought it (the counts)
    flows = [attrs.evolve(f, carries=["survey"]) if f.id == "findings-back" else f for f in base.flows]
    ctx = Context(attrs.evolve(base, flows=flows).graph())
    assert list(incompatible_onward_use(ctx)) == []
    assert "arrivals_from_outside" not in vars(ctx)


# -- who holds identifying information (UH003, UH005, UH006) ---------------------------------


@PROPERTY
@given(agreements())
def test_identifying_holders_are_the_holders_either_side_of_a_flow_of_identifying_information(
    a: Agreement,
) -> None:
    """Read from the agreement itself: each organisation or team that a flow carrying
    identifying information leaves or reaches, once, in the order of the flows, with the
    agreement; never a group."""
    groups = {g.id for g in a.service_users}
    expected: dict[str, str | None] = {}
    for f in a.flows:
        if any(a.info(i).identifiability == dpup.Identifiability.IDENTIFYING for i in f.carries):
            for h in (f.from_, f.to):
                if h not in groups:
                    expected.setdefault(h, a.id)
    assert list(Context(a.graph()).identifying_holders.items()) == list(expected.items())


def test_identifying_holders_leave_out_groups_and_holders_of_other_information() -> None:
    base = dpup.load(BASE)
    # the provider collects the record from both groups; the agency's teams get counts,
    # survey answers without names and findings
    assert Context(base.graph()).identifying_holders == {"prov": "base"}
    # a team that only sends records holds them; a group given its record back holds nothing
    back = [
        DataFlow(id="rep-records", from_="agency.rep", to="prov", carries=["record"], purpose="delivery"),
        DataFlow(id="give-back", from_="prov", to="parents", carries=["record"], purpose="delivery"),
    ]
    ctx = Context(attrs.evolve(base, flows=[*base.flows, *back]).graph())
    assert ctx.identifying_holders == {"prov": "base", "agency.rep": "base"}
