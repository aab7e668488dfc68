"""The flow graph: one networkx ``MultiDiGraph`` for one or more agreements.

Nodes
-----
One node per service-user group and per holder (organisation or team), keyed by its id.
A holder declared in several agreements (CCSS in each of its contracts) is one node.

============  ===============================================================================
attribute     value
============  ===============================================================================
``kind``      ``"service-user"``, ``"provider"``, ``"agency"`` or ``"team"``
``name``      the display name
``item``      the model object (:class:`~dpup.ServiceUser`, :class:`~dpup.Provider`,
              :class:`~dpup.Agency` or :class:`~dpup.Team`) from the first agreement that
              declares it
``organisation``  the organisation's id for an organisation or team (a team knows its
              organisation); ``None`` for a service-user group
``declared_in``  list of the ids of the agreements that declare the node
``party_to``  list of the ids of the agreements its organisation is a party to
============  ===============================================================================

Edges
-----
One edge per flow, from its ``from`` node to its ``to`` node, keyed by the flow's id. Should
two agreements in one graph both have a flow with the same id between the same two nodes,
the second is keyed ``"<agreement id>:<flow id>"`` so neither is lost (should that key be
taken too, ``"<agreement id>:<flow id>:2"``, then ``:3`` and so on).

===============  ============================================================================
attribute        value
===============  ============================================================================
``flow``         the :class:`~dpup.DataFlow`
``agreement``    the id of the agreement the flow comes from
``information``  tuple of the :class:`~dpup.Information` items it carries
``purpose``      the declared :class:`~dpup.Purpose` it is for, or ``None`` when the flow
                 has no purpose or names one its agreement never declares
===============  ============================================================================

Graph
-----
``G.graph["agreements"]`` maps each agreement's id to the :class:`~dpup.Agreement`.

Examples
--------
>>> import dpup
>>> G = dpup.examples.load("best-foot-forward").graph()
>>> G.nodes["agency.evaluation"]["kind"], G.nodes["agency.evaluation"]["organisation"]
('team', 'agency')
>>> sorted(k for _, _, k in G.out_edges("ccss", keys=True))
['evaluation-data', 'quarterly-report']
>>> G.edges["ccss", "agency.reporting", "quarterly-report"]["purpose"].id
'service-reporting'
"""

from collections.abc import Iterator
from typing import Any, cast

import networkx as nx

from dpup._private.gcpause import paused_gc
from dpup.errors import Error
from dpup.model import Agreement, DataFlow, Information

__all__ = ["GraphError", "agreements_of", "flows", "graph"]


class GraphError(Error, ValueError):
    """A graph dpup cannot build or check.

    Building one: two agreements with one id, or one id that means a different group or
    holder in two of them. Checking one: an edge that names an agreement the graph does not
    hold (as after ``networkx.compose`` of two dpup graphs), or an edge added by hand whose
    ``flow``, ``information`` or ``purpose`` is not what the graph's edges hold, or whose
    nodes or key are not text (as networkx keys an edge added without a key: 0, 1, ...).

    Attributes
    ----------
    agreements : tuple of str
        The ids of the agreements involved: the two that disagree, the earlier first; or
        the one an edge names and the graph lacks. Empty when no agreement is involved.
    node : str or None
        The id of the node at fault, where there is one (the id that means two things).
    edge : tuple of str or None
        The edge at fault, as ``(from, to, key)``, where there is one.
    meanings : tuple of str or None
        For an id that means two things: what it is in each of the two agreements, the
        earlier first (``("a service-user group", "a provider")``).
    """

    def __init__(
        self,
        message: str,
        agreements: tuple[str, ...] = (),
        *,
        node: str | None = None,
        edge: tuple[str, str, str] | None = None,
        meanings: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.agreements = agreements
        self.node = node
        self.edge = edge
        self.meanings = meanings

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling rebuilds an exception from its args alone: pass the agreements too, and
        # the rest as state, so that it crosses a process boundary unchanged.
        return (type(self), (self.args[0], self.agreements), self.__dict__)


def graph(*agreements: Agreement) -> "nx.MultiDiGraph[str]":
    """Build the flow graph of one or more agreements.

    Parameters
    ----------
    *agreements : Agreement
        Agreements with distinct ids.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges as described in the ``dpup.graph`` module's docstring
        (``sys.modules["dpup.graph"].__doc__``, and the Flow graph page of the docs).

    Raises
    ------
    TypeError
        If an argument is not an :class:`~dpup.Agreement` (a list of agreements is given
        as ``dpup.graph(*agreements)``).
    GraphError
        If two agreements share an id, or one id is a different kind of node in two of them
        (a service-user group in one and a holder in another, a provider in one and an
        agency in another, or a team of different organisations). A :class:`ValueError`.

    Examples
    --------
    >>> import dpup
    >>> a = dpup.examples.load("best-foot-forward")
    >>> b = dpup.examples.load("best-foot-forward-before")
    >>> G = dpup.graph(a, b)
    >>> sorted(G.graph["agreements"])
    ['best-foot-forward', 'best-foot-forward-before']
    >>> G.nodes["ccss"]["declared_in"]
    ['best-foot-forward', 'best-foot-forward-before']
    """
    with paused_gc():
        return _build(agreements)


def _build(agreements: tuple[Agreement, ...]) -> "nx.MultiDiGraph[str]":
    by_id: dict[str, Agreement] = {}
    for a in agreements:
        if not isinstance(a, Agreement):
            hint = " (to build one graph of a list of agreements, call dpup.graph(*agreements))"
            raise TypeError(
                f"dpup.graph takes agreements, not {type(a).__name__}"
                f"{hint if isinstance(a, list | tuple | set) else ''}"
            )
        if a.id in by_id:
            raise GraphError(
                f"two agreements have the id {a.id!r}; ids must differ to combine them", (a.id, a.id)
            )
        by_id[a.id] = a
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(agreements=by_id)
    nodes = G.nodes

    def add(id: str, agreement: str, **attrs: Any) -> None:
        if id in G:
            known = nodes[id]
            if (known["kind"], known["organisation"]) != (attrs["kind"], attrs["organisation"]):
                first = known["declared_in"][0]
                was, now = _what(known), _what(attrs)
                raise GraphError(
                    f"{id!r} is {was} in agreement {first!r} and {now} in agreement "
                    f"{agreement!r}: an id must mean the same group or holder in every agreement combined",
                    (first, agreement),
                    node=id,
                    meanings=(was, now),
                )
            known["declared_in"].append(agreement)
        else:
            G.add_node(id, declared_in=[agreement], party_to=[], **attrs)

    for a in agreements:
        parties = set(a.parties)
        for g in a.service_users:
            add(g.id, a.id, kind="service-user", name=g.name, item=g, organisation=None)
        for org in a.holders:
            add(org.id, a.id, kind=org.kind, name=org.name, item=org, organisation=org.id)
            if org.id in parties:
                nodes[org.id]["party_to"].append(a.id)
            for team in org.teams:
                add(team.id, a.id, kind="team", name=team.name, item=team, organisation=org.id)
        # Typed loosely: networkx's stubs (types-networkx) know no (u, v, key, data) edges.
        G.add_edges_from(cast(Any, _edges(G, a)))
    node_data: dict[str, dict[str, Any]] = cast(Any, G)._node  # the dict behind G.nodes
    for d in node_data.values():  # a team is party to what its organisation is party to, in any agreement
        if d["kind"] == "team":
            d["party_to"] = list(nodes[d["organisation"]]["party_to"])
    return G


def _what(node: dict[str, Any]) -> str:
    kind = node["kind"]
    if kind == "team":
        return f"a team of {node['organisation']!r}"
    return {"service-user": "a service-user group", "agency": "an agency"}.get(kind, f"a {kind}")


def _edges(G: "nx.MultiDiGraph[str]", a: Agreement) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    carried: dict[tuple[str, ...], tuple[Information, ...]] = {}  # flows carrying the same share one tuple
    for f in a.flows:
        key = f.id
        if G.has_edge(f.from_, f.to, key):
            key = next(k for k in qualified_keys(a.id, f.id) if not G.has_edge(f.from_, f.to, k))
        information = carried.get(f.carries)
        if information is None:
            information = carried[f.carries] = tuple(a.info(i) for i in f.carries)
        yield (
            f.from_,
            f.to,
            key,
            {
                "flow": f,
                "agreement": a.id,
                "information": information,
                "purpose": a.purpose(f.purpose) if f.purpose is not None else None,
            },
        )


def qualified_keys(agreement: str, flow: str) -> Iterator[str]:
    """The keys to try, in order, for a flow whose id an earlier flow between the same two
    holders already keys: ``"<agreement>:<flow>"``, then ``"<agreement>:<flow>:2"``, ``":3"``
    and so on (ids may hold a colon, so the first can be taken too)."""
    yield f"{agreement}:{flow}"
    n = 2
    while True:
        yield f"{agreement}:{flow}:{n}"
        n += 1


def flows(G: "nx.MultiDiGraph[str]") -> Iterator[tuple[str, str, str, DataFlow | None]]:
    """Every flow in the graph as ``(from, to, key, flow)``, source node by source node.

    ``flow`` is the edge's :class:`~dpup.DataFlow`; it is ``None`` for an edge added to the
    graph by hand without one (every edge :func:`dpup.graph` makes has one).

    Examples
    --------
    >>> import dpup
    >>> G = dpup.examples.load("best-foot-forward").graph()
    >>> [k for _, _, k, _ in dpup.flows(G)][:2]
    ['intake-parents', 'intake-children']
    """
    edges = _a_graph(G, "flows").edges(keys=True, data="flow")  # refused now, not when iterated
    return cast("Iterator[tuple[str, str, str, DataFlow | None]]", iter(edges))


def agreements_of(G: "nx.MultiDiGraph[str]") -> dict[str, Agreement]:
    """The agreements a graph was built from, by id (none for a graph built without
    :func:`graph`).

    Examples
    --------
    >>> import dpup
    >>> G = dpup.graph(*map(dpup.examples.load, dpup.examples.names()))
    >>> list(dpup.agreements_of(G))
    ['best-foot-forward', 'best-foot-forward-before']
    >>> import networkx as nx
    >>> dpup.agreements_of(nx.MultiDiGraph())
    {}
    """
    held: dict[str, Agreement] = _a_graph(G, "agreements_of").graph.get("agreements", {})
    return held


def _a_graph(G: Any, function: str) -> "nx.MultiDiGraph[str]":
    """``G``, checked to be a graph, for the functions that take only a graph."""
    if isinstance(G, nx.MultiDiGraph):
        return G
    hint = " (for one agreement's, pass agreement.graph())" if isinstance(G, Agreement) else ""
    kind = type(G).__name__
    given = "None" if G is None else f"{'an' if kind[0] in 'AEIOUaeiou' else 'a'} {kind}"
    raise TypeError(f"dpup.{function} takes the networkx MultiDiGraph of dpup.graph(), not {given}{hint}")


def graph_of(G_or_agreement: Any, doing: str = "use") -> "nx.MultiDiGraph[str]":
    """The flow graph a function was given: a graph from :func:`graph` as it is, or one
    agreement's graph (internal: for the functions that take either).

    Raises
    ------
    TypeError
        If it is neither, with a hint for a list of agreements (what the function does with
        them is ``doing``: "check", "draw").
    """
    if isinstance(G_or_agreement, Agreement):
        return graph(G_or_agreement)
    if isinstance(G_or_agreement, nx.MultiDiGraph):
        return G_or_agreement
    hint = ""
    if isinstance(G_or_agreement, list | tuple | set):
        hint = f" (to {doing} a list of agreements together, pass dpup.graph(*agreements))"
    raise TypeError(
        "expected a dpup Agreement or the networkx MultiDiGraph of dpup.graph(), "
        f"not {type(G_or_agreement).__name__}{hint}"
    )
