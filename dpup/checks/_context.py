"""What the checks share: one pass over the graph, computed once per run (internal).

Everything here costs time linear in flows (times the information items each carries)
plus holders: the chain-following checks read :attr:`Context.arrivals` and
:meth:`Context.path_to`, one propagation over the graph, instead of searching per group,
per holder or per path.
"""

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from dpup.model import Agreement, Information, Purpose
from dpup.report import Finding

Edge = tuple[str, str, str, dict[str, Any]]


class Context:
    """Indexes over a flow graph for the checks."""

    def __init__(self, G: Any) -> None:
        self.G = G
        self.agreements: dict[str, Agreement] = G.graph.get("agreements", {})
        self.nodes = G.nodes
        self.edges: list[Edge] = list(G.edges(keys=True, data=True))
        self.findings: list[Finding] = []
        self._paths: dict[tuple[str, str], tuple[str, ...]] = {}
        self._kind: dict[str, str | None] = dict(G.nodes(data="kind"))
        self._org: dict[str, str | None] = dict(G.nodes(data="organisation"))
        self.groups: frozenset[str] = frozenset(n for n, k in self._kind.items() if k == "service-user")
        self.items: dict[str, Any] = dict(G.nodes(data="item"))
        self.parties: frozenset[str] = frozenset(n for n, p in G.nodes(data="party_to") if p)

    # -- nodes -------------------------------------------------------------------------

    def is_group(self, n: str) -> bool:
        return n in self.groups

    def org(self, n: str) -> str | None:
        return self._org.get(n)

    def kind(self, n: str) -> str | None:
        return self._kind.get(n)

    # -- edges -------------------------------------------------------------------------

    @cached_property
    def declared_edges(self) -> list[Edge]:
        """Edges that come from an agreement in the graph."""
        return [e for e in self.edges if e[3].get("agreement") in self.agreements]

    @staticmethod
    def information(e: Edge) -> tuple[Information, ...]:
        return e[3].get("information", ())  # type: ignore[no-any-return]

    def purpose(self, agreements: Iterable[str | None], pid: str) -> Purpose | None:
        """The declared purpose ``pid`` in the first of ``agreements`` that declares it."""
        for aid in agreements:
            a = self.agreements.get(aid) if aid is not None else None
            p = a.purpose(pid) if a is not None else None
            if p is not None:
                return p
        return None

    def compatible(self, arrived: str, leaves: str, agreements: Iterable[str | None]) -> bool:
        """Whether onward use for ``leaves`` is declared compatible with ``arrived``.

        The same purpose is compatible with itself; otherwise either purpose must list the
        other in ``compatible_with``. A purpose no agreement declares is compatible with
        nothing but itself.
        """
        if arrived == leaves:
            return True
        aids = tuple(agreements)
        q = self.purpose(aids, leaves)
        if q is not None and arrived in q.compatible_with:
            return True
        p = self.purpose(aids, arrived)
        return p is not None and leaves in p.compatible_with

    @cached_property
    def _tell(self) -> dict[int, tuple[str, ...]]:
        out: dict[int, tuple[str, ...]] = {}
        groups = self.groups
        for e in self.edges:
            u = e[0]
            if u in groups:
                out[id(e)] = (u,)
            else:
                about: set[str] = set()
                for info in e[3].get("information", ()):
                    about.update(info.about)
                out[id(e)] = tuple(sorted(about))
        return out

    def groups_to_tell(self, e: Edge) -> tuple[str, ...]:
        """The groups a flow must be explained to.

        A flow that collects from a group is explained to that group (the people giving
        the information); any other flow to every group its information is about.
        """
        return self._tell[id(e)]

    # -- the one propagation -----------------------------------------------------------

    @cached_property
    def arrivals(self) -> dict[tuple[str, str], dict[str | None, int]]:
        """For each (holder, information id): the purposes it arrived for, each with the
        index in :attr:`edges` of the first flow that brought it for that purpose."""
        out: dict[tuple[str, str], dict[str | None, int]] = {}
        for idx, e in enumerate(self.edges):
            flow = e[3].get("flow")
            purpose = flow.purpose if flow is not None else None
            for info in self.information(e):
                out.setdefault((e[1], info.id), {}).setdefault(purpose, idx)
        return out

    def path_to(self, holder: str, info: str) -> tuple[str, ...]:
        """The holders (and group) the information passed through to reach ``holder``,
        origin first, following the first flow that brought it at each step."""
        memo = self._paths
        chain: list[tuple[str, str]] = []
        seen: set[str] = set()
        state = (holder, info)
        prefix: tuple[str, ...] = ()
        while True:
            if state in memo:
                prefix = memo[state]
                break
            if state[0] in seen:  # a cycle: stop where it closes
                break
            seen.add(state[0])
            chain.append(state)
            arrived = self.arrivals.get(state)
            if not arrived:
                break
            first = min(arrived.values())
            state = (self.edges[first][0], info)
        for node, i in reversed(chain):
            prefix = (*prefix, node)
            memo[(node, i)] = prefix
        return memo[(holder, info)]

    # -- explanations and access -------------------------------------------------------

    @cached_property
    def covered(self) -> dict[tuple[str, str], set[str]]:
        """(agreement id, flow id) -> the groups an explanation covering it is for."""
        out: dict[tuple[str, str], set[str]] = {}
        for aid, a in self.agreements.items():
            for ex in a.explanations:
                for fid in ex.covers:
                    out.setdefault((aid, fid), set()).update(ex.for_)
        return out

    @cached_property
    def told(self) -> dict[str, set[str]]:
        """Group -> the holders (organisations and teams) some explanation for it names."""
        out: dict[str, set[str]] = {}
        for a in self.agreements.values():
            for ex in a.explanations:
                for g in ex.for_:
                    out.setdefault(g, set()).update(ex.names.holders)
        return out

    def named(self, names: set[str] | frozenset[str] | tuple[str, ...], holder: str) -> bool:
        """Whether ``names`` names the holder, directly or through its organisation."""
        return holder in names or self.org(holder) in names

    @cached_property
    def access_covers(self) -> set[str]:
        """Holders some access arrangement covers (organisations cover their teams)."""
        out: set[str] = set()
        for a in self.agreements.values():
            for acc in a.access:
                out.update(acc.covers)
        return out


def flow_text(e: Edge) -> str:
    """``flow 'id' (from -> to)`` for messages."""
    return f"flow {e[2]!r} ({e[0]} -> {e[1]})"


def blank(text: str | None) -> bool:
    """Whether a free-text answer is missing or only white space."""
    return not (text or "").strip()


def quoted(ids: Iterable[str]) -> str:
    """``'a', 'b' and 'c'`` for messages."""
    items = [repr(i) for i in ids]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
