"""What the checks share: one pass over the graph, computed once per run (internal).

Everything here costs time linear in flows (times the information items each carries)
plus holders: the chain-following checks read :attr:`Context.arrivals` and
:meth:`Context.path_to`, one propagation over the graph, instead of searching per group,
per holder or per path.
"""

import difflib
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Any, NamedTuple

from dpup.graph import GraphError, qualified_keys
from dpup.model import (
    Acceptance,
    Agreement,
    DataFlow,
    Explanation,
    Identifiability,
    Information,
    Purpose,
    Sensitivity,
    _found,
)
from dpup.report import Finding

_NO_EDGES: dict[str, Any] = {}


class Flow(NamedTuple):
    """One edge of the graph, read once into plain fields for the checks."""

    source: str
    target: str
    id: str
    """The flow's id (the edge key may be qualified by its agreement)."""
    agreement: str | None
    """The id of the agreement declaring the flow; ``None`` or unknown for an undeclared flow."""
    flow: DataFlow | None
    info: tuple[Information, ...]
    purpose: Purpose | None
    """The declared purpose the flow is for, if any."""
    tell: tuple[str, ...]
    """The groups the flow must be explained to: the group it collects from, or else
    every group its information is about."""
    purpose_id: str | None
    """The id of the purpose the flow names, declared or not (``flow.purpose``): read here
    once, so that checks asking only this need not reach the flow itself."""


class Declared(NamedTuple):
    """A :class:`Flow` that an agreement in the graph declares: its flow and agreement are known."""

    source: str
    target: str
    id: str
    agreement: str
    flow: DataFlow
    info: tuple[Information, ...]
    purpose: Purpose | None
    tell: tuple[str, ...]
    purpose_id: str | None


class Context:
    """Indexes over a flow graph for the checks."""

    def __init__(self, G: Any) -> None:
        self.G = G
        self.agreements: dict[str, Agreement] = G.graph.get("agreements", {})
        self.findings: list[Finding] = []
        self.involved: dict[tuple[str, str], set[str | None]] = {}
        """(code, subject) -> every agreement that gives rise to such an accepted finding: see
        :meth:`attribute`."""
        self.orgs: dict[str, str | None] = {}
        by_kind: dict[str | None, list[str]] = {"service-user": [], "team": [], "provider": [], "agency": []}
        parties = []
        for n, d in G._node.items():  # one pass over the nodes' attributes
            kind = d.get("kind")
            self.orgs[n] = d.get("organisation")
            if kind in by_kind:
                by_kind[kind].append(n)
            if d.get("party_to"):
                parties.append(n)
        self.groups: frozenset[str] = frozenset(by_kind["service-user"])
        self.teams: frozenset[str] = frozenset(by_kind["team"])
        self.providers: frozenset[str] = frozenset(by_kind["provider"])
        self.agencies: frozenset[str] = frozenset(by_kind["agency"])
        self.parties: frozenset[str] = frozenset(parties)
        self.flows: list[Flow | Declared] = []
        """Every edge, read once: a :class:`Declared` where an agreement here declares it.

        Agreement by agreement in the graph's order, each agreement's flows in the order it
        declares them; then any other edge (one added to the graph by hand), in graph order.
        Reading the flows in the order they were loaded keeps each agreement's objects
        together in memory, which is what keeps a large sector's check fast."""
        self.declared: list[Declared] = []
        """The flows that come from an agreement in the graph, in the same order."""
        self._read_flows()

    def _read_flows(self) -> None:
        # The one place the checks touch every edge's attributes: inlined, as it runs per flow.
        # G._succ is the dict of dicts behind the read-only view G.succ: looking edges up
        # there skips building a view object for each of them.
        succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = self.G._succ
        groups, agreements = self.groups, self.agreements
        flows, declared = self.flows, self.declared
        new_declared = Declared._make
        # One tuple per group for the flows collecting from it (many), made side by side.
        collects = {g: (g,) for g in groups}
        reached = []  # the edge data of each flow read, to find any others
        for aid, a in agreements.items():
            for f in a.flows:
                u, v = f.from_, f.to
                keyed = succ.get(u, _NO_EDGES).get(v)
                data = keyed.get(f.id) if keyed else None
                if data is None or data.get("flow") is not f or data.get("agreement") != aid:
                    data = _renamed(keyed, aid, f)
                    if data is None:
                        continue  # removed from the graph, or replaced by hand
                reached.append(data)
                info: tuple[Information, ...] = data.get("information", ())
                tell: tuple[str, ...] | None = collects.get(u)
                if tell is None:
                    if len(info) == 1:
                        about = info[0].about
                        tell = about if len(about) < 2 else tuple(sorted(set(about)))
                    else:
                        tell = tuple(sorted({g for i in info for g in i.about}))
                known = new_declared((u, v, f.id, aid, f, info, data.get("purpose"), tell, f.purpose))
                declared.append(known)
                flows.append(known)
        if len(reached) != sum(len(keyed) for nbrs in succ.values() for keyed in nbrs.values()):
            self._read_others({id(data) for data in reached})

    def _read_others(self, reached: set[int]) -> None:
        """Read the edges no agreement's flow leads to (added to the graph by hand).

        Such an edge counts as declared only where its agreement really declares its flow,
        between the same two holders, and no other edge already stands for that flow: an
        edge copied from a declared one to somewhere else, or tagged with an agreement that
        never declares its flow, is undeclared, whatever its attributes say.

        Raises :class:`~dpup.GraphError` for an edge whose attributes are not what the
        graph's edges hold, or that names an agreement the graph does not hold (as after
        ``networkx.compose``): read as undeclared, it would change the findings silently.
        Only edges read here are checked, so the flows of agreements cost nothing more."""
        agreements = self.agreements
        taken: set[tuple[str | None, int]] = {(e.agreement, id(e.flow)) for e in self.declared}
        for u, v, key, data in self.G.edges(keys=True, data=True):
            if id(data) in reached:
                continue
            flow, info, purpose, aid = _hand_edge(u, v, key, data, agreements)
            tell = (u,) if u in self.groups else tuple(sorted({g for i in info for g in i.about}))
            fid = flow.id if flow is not None else key
            edge = (
                u,
                v,
                fid,
                aid,
                flow,
                info,
                purpose,
                tell,
                flow.purpose if flow is not None else None,
            )
            if (
                flow is not None
                and (aid, id(flow)) not in taken
                and _declares(agreements.get(aid) if aid is not None else None, flow, u, v)
            ):
                taken.add((aid, id(flow)))
                self.declared.append(Declared._make(edge))
                self.flows.append(self.declared[-1])
            else:
                self.flows.append(Flow._make(edge))

    # -- nodes -------------------------------------------------------------------------

    def is_group(self, n: str) -> bool:
        return n in self.groups

    def org(self, n: str) -> str | None:
        return self.orgs.get(n)

    # -- declarations ------------------------------------------------------------------

    @cached_property
    def acceptances(self) -> list[tuple[str, Acceptance]]:
        """Every acceptance of a finding, with the id of its agreement: read once for the four
        stale-acceptance checks and for marking findings accepted."""
        return [(aid, acc) for aid, a in self.agreements.items() for acc in a.accepted]

    @cached_property
    def accepting(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """(code, subject) -> the ids of the agreements that accept such a finding, in order."""
        out: dict[tuple[str, str], tuple[str, ...]] = {}
        for aid, acc in self.acceptances:
            key = (acc.code, acc.subject)
            out[key] = (*out.get(key, ()), aid)
        return out

    def attribute(
        self, code: str, subject: str, first: str | None, agreements: Iterable[str | None]
    ) -> str | None:
        """The agreement to attribute a finding to, when several give rise to it: the first of
        ``agreements`` that accepts it, or else ``first``; each is recorded in :attr:`involved`,
        so that none of their acceptances is reported stale."""
        accepting = self.accepting.get((code, subject))
        if not accepting:
            return first
        involved = self.involved.setdefault((code, subject), set())
        involved.update(agreements)
        if first in accepting:
            return first
        return next((aid for aid in agreements if aid in accepting), first)

    @cached_property
    def unclear_purposes(self) -> list[tuple[str, Purpose]]:
        """Every declared purpose, with the id of its agreement, that leaves out its benefit,
        its authority, whether it needs identity or its description: the few that PM006 to PM008
        and PM013 report, found in one pass over the agreements rather than one per check."""
        return [
            (aid, p)
            for aid, a in self.agreements.items()
            for p in a.purposes
            if blank(p.benefit) or blank(p.authority) or p.needs_identity is None or blank(p.description)
        ]

    @cached_property
    def unclear_information(self) -> list[tuple[str, Information]]:
        """Every declared information item, with the id of its agreement, that names no group
        it is about or does not say how identifying it is: the few that PM009, ME007 and ME008
        report, found in one pass over the agreements rather than one per check."""
        return [
            (aid, info)
            for aid, a in self.agreements.items()
            for info in a.information
            if not info.about or info.identifiability is None
        ]

    def explanations(self) -> Iterator[tuple[str, Agreement, Explanation]]:
        """Every explanation with its agreement's id and the agreement."""
        for aid, a in self.agreements.items():
            for ex in a.explanations:
                yield aid, a, ex

    # -- edges -------------------------------------------------------------------------

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

        The same purpose is compatible with itself; otherwise ``leaves`` must list
        ``arrived`` in its ``compatible_with`` (one way: information that arrived for one of
        those purposes may be used for this one, not the other way round). A purpose no
        agreement declares is compatible with nothing but itself.
        """
        if arrived == leaves:
            return True
        q = self.purpose(agreements, leaves)
        return q is not None and arrived in q.compatible_with

    # -- the one propagation -----------------------------------------------------------

    @cached_property
    def arrivals(self) -> dict[tuple[str, str], dict[str | None, int]]:
        """For each (holder, information id): the purposes it arrived for, each with the
        index in :attr:`flows` of the first flow that brought it for that purpose."""
        out: dict[tuple[str, str], dict[str | None, int]] = {}
        for idx, f in enumerate(self.flows):
            purpose = f.purpose_id
            for info in f.info:
                out.setdefault((f.target, info.id), {}).setdefault(purpose, idx)
        return out

    @cached_property
    def shared(self) -> frozenset[str]:
        """The organisations with teams in the graph: more than one holder is part of them."""
        seen: set[str] = set()
        out: set[str] = set()
        for o in self.orgs.values():
            if o is not None:
                (out if o in seen else seen).add(o)
        return frozenset(out)

    @cached_property
    def arrivals_from_outside(self) -> dict[tuple[str, str], dict[str | None, int]]:
        """For each (organisation with teams, information id): the purposes the information
        reached the organisation or one of its teams for from outside it (from a group, or from
        a holder of another organisation), each with the index in :attr:`flows` of the first
        flow that brought it for that purpose. Moves between the parts of one organisation are
        left out: they bring nothing to the organisation. An organisation without teams is left
        out too: what reached it is what :attr:`arrivals` says reached its one holder."""
        out: dict[tuple[str, str], dict[str | None, int]] = {}
        orgs, shared = self.orgs, self.shared
        for idx, f in enumerate(self.flows):
            org = orgs.get(f.target)
            if org not in shared or orgs.get(f.source) == org:
                continue
            purpose = f.purpose_id
            for info in f.info:
                out.setdefault((org, info.id), {}).setdefault(purpose, idx)
        return out

    def path_to(self, holder: str, info: str) -> tuple[str, ...]:
        """The holders (and group) the information passed through to reach ``holder``,
        origin first, following the first flow that brought it at each step, back to the
        group it was collected from (what a group is given back does not make it a holder).

        Each step follows one stored pointer, so a call costs the length of the path it
        returns; nothing is stored per call.
        """
        arrivals, flows, groups = self.arrivals, self.flows, self.groups
        path = [holder]
        seen = {holder}
        node = holder
        while node not in groups and (arrived := arrivals.get((node, info))):  # a group is an origin
            node = flows[min(arrived.values())].source
            if node in seen:  # a cycle: stop where it closes
                break
            seen.add(node)
            path.append(node)
        return tuple(reversed(path))

    # -- engagement --------------------------------------------------------------------

    @cached_property
    def unengaged(self) -> dict[Sensitivity | None, dict[str, dict[str, set[str]]]]:
        """For sensitive information (``high``) and information that does not say how
        sensitive it is (``None``): agreement id -> each such item of it that flows with no
        engagement recorded with anyone it concerns -> whom it concerns (the people it is
        about and the providers handling it; failing both, the organisations handling it).
        One pass over the flows for SV002 and SV004."""
        high = Sensitivity.HIGH
        out: dict[Sensitivity | None, dict[str, dict[str, set[str]]]] = {high: {}, None: {}}
        org, all_providers = self.orgs, self.providers
        settled_in: dict[str, set[str]] = {}  # engaged with someone concerned: nothing to report
        aid: str | None = None
        engaged: set[str] = set()
        settled: set[str] = set()
        for e in self.declared:  # agreement by agreement
            orgs: set[str] | None = None
            for info in e.info:
                level = info.sensitivity
                if level is not high and level is not None:
                    continue
                if e.agreement != aid:
                    aid = e.agreement
                    engaged = {w for eng in self.agreements[aid].engagement for w in eng.with_}
                    settled = settled_in.setdefault(aid, set())
                if info.id in settled:
                    continue
                if orgs is None:
                    orgs = {o for o in (org.get(e.source), org.get(e.target)) if o is not None}
                who = set(info.about) | (orgs & all_providers) or orgs
                mine = out[level].setdefault(aid, {})
                if engaged and not engaged.isdisjoint(who):
                    settled.add(info.id)
                    mine.pop(info.id, None)
                else:
                    mine.setdefault(info.id, set()).update(who)
        return out

    # -- explanations and access -------------------------------------------------------

    @cached_property
    def covered(self) -> dict[str, dict[str, set[str]]]:
        """Agreement id -> flow id -> the groups an explanation covering it is for."""
        out: dict[str, dict[str, set[str]]] = {}
        for aid, a in self.agreements.items():
            mine: dict[str, set[str]] = out.setdefault(aid, {})
            for ex in a.explanations:
                for fid in ex.covers:
                    mine.setdefault(fid, set()).update(ex.for_)
        return out

    @cached_property
    def explanations_for(self) -> dict[str, list[str]]:
        """Group -> the ids of the explanations for it."""
        out: dict[str, list[str]] = {}
        for _, _, ex in self.explanations():
            for g in ex.for_:
                out.setdefault(g, []).append(ex.id)
        return out

    @cached_property
    def versions(self) -> dict[str, set[str]]:
        """Group -> every version of an explanation to it, in any agreement (ME005, ME009)."""
        out: dict[str, set[str]] = {}
        for _, _, ex in self.explanations():
            for g in ex.for_:
                out.setdefault(g, set()).update(ex.versions)
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

    @cached_property
    def unnamed(self) -> list[tuple[str, Explanation, dict[str, list[str]], dict[str, list[str]]]]:
        """Each explanation that covers a flow without naming its recipient or its purpose,
        with its agreement's id, then recipient -> the flows covered that go to it, and
        purpose -> the flows covered that are for it: what ME002 and ME003 report, found in
        one pass over the explanations."""
        out = []
        for aid, a, ex in self.explanations():
            holders: dict[str, list[str]] = {}
            purposes: dict[str, list[str]] = {}
            names = ex.names
            for covered in ex.covers:
                f = a.flow(covered)
                to, purpose = f.to, f.purpose
                if to not in self.groups and not self.named(names.holders, to):
                    holders.setdefault(to, []).append(covered)
                if purpose is not None and purpose not in names.purposes:
                    purposes.setdefault(purpose, []).append(covered)
            if holders or purposes:
                out.append((aid, ex, holders, purposes))
        return out

    def named(self, names: set[str] | frozenset[str] | tuple[str, ...], holder: str) -> bool:
        """Whether ``names`` names the holder, directly or through its organisation."""
        return holder in names or self.org(holder) in names

    @cached_property
    def identifying_holders(self) -> dict[str, str | None]:
        """Every holder of identifying information, with the agreement of the first flow that
        makes it one, in the order of :attr:`flows`: an organisation or team that a flow
        carrying identifying information leaves or reaches (one that only sends such records
        holds them too). A group is never one: what it is given back, or gives, is its own.
        What UH003, UH005 and UH006 mean by "holds identifying information"."""
        identifying = Identifiability.IDENTIFYING
        groups = self.groups
        out: dict[str, str | None] = {}
        for e in self.flows:
            for i in e.info:
                if i.identifiability is identifying:
                    if e.source not in groups:
                        out.setdefault(e.source, e.agreement)
                    if e.target not in groups:
                        out.setdefault(e.target, e.agreement)
                    break
        return out

    @cached_property
    def access_covers(self) -> set[str]:
        """Holders some access arrangement covers, its contact among them (organisations
        cover their teams)."""
        out: set[str] = set()
        for a in self.agreements.values():
            for acc in a.access:
                out.update(acc.covers)
                out.add(acc.contact)
        return out


def _renamed(keyed: dict[str, dict[str, Any]] | None, aid: str, f: DataFlow) -> dict[str, Any] | None:
    """The edge data of agreement ``aid``'s flow ``f`` among parallel edges ``keyed``, when
    :func:`dpup.graph` keyed it ``"<agreement id>:<flow id>"`` (or ``...:2`` and so on)
    because its id was taken."""
    if not keyed:
        return None
    for key in qualified_keys(aid, f.id):
        data = keyed.get(key)
        if data is None:
            return None
        if data.get("flow") is f and data.get("agreement") == aid:
            return data
    return None  # pragma: no cover (qualified_keys never ends)


def _hand_edge(
    u: str, v: str, key: str, data: dict[str, Any], agreements: dict[str, Agreement]
) -> tuple[DataFlow | None, tuple[Information, ...], Purpose | None, str | None]:
    """The ``flow``, ``information``, ``purpose`` and ``agreement`` of an edge added by hand,
    each checked to be what :func:`dpup.graph` puts there (any may be left out)."""

    def wrong(attribute: str, expected: str, value: Any) -> GraphError:
        return GraphError(
            f"edge {(u, v, key)!r}: attribute {attribute!r} must be {expected}, not {_found(value)}",
            edge=(u, v, key),
        )

    for part, value in (("source", u), ("target", v)):
        if not isinstance(value, str):
            raise GraphError(
                f"edge {(u, v, key)!r}: its {part} must be a node's id (text), not {_found(value)}",
                edge=(u, v, key),
            )
    if not isinstance(key, str):
        # what networkx gives an edge added without a key (0, 1, ...): read as a flow's id,
        # it reached findings' subjects and broke their fingerprints
        raise GraphError(
            f"edge {(u, v, key)!r}: its key must be a flow's id (text), not {_found(key)}; "
            "add an edge by hand with one: G.add_edge(u, v, key='flow-id')",
            edge=(u, v, key),
        )
    flow = data.get("flow")
    if flow is not None and not isinstance(flow, DataFlow):
        raise wrong("flow", "a dpup.DataFlow (or left out)", flow)
    info = data.get("information", ())
    if type(info) is not tuple:
        if not isinstance(info, tuple | list):
            raise wrong("information", "a tuple of dpup.Information items (or left out)", info)
        info = tuple(info)
    for item in info:
        if not isinstance(item, Information):
            raise wrong("information", "a tuple holding only dpup.Information items", item)
    purpose = data.get("purpose")
    if purpose is not None and not isinstance(purpose, Purpose):
        raise wrong("purpose", "a dpup.Purpose (or None, or left out)", purpose)
    aid = data.get("agreement")
    if aid is not None:
        if not isinstance(aid, str):
            raise wrong("agreement", "the id of an agreement in the graph (or None, or left out)", aid)
        if aid not in agreements:
            held = ", ".join(map(repr, agreements)) or "none"
            raise GraphError(
                f"edge {(u, v, key)!r} names agreement {aid!r}, which is not in "
                f"G.graph['agreements'] (it holds {held}). networkx's compose and compose_all "
                "keep only one graph's G.graph['agreements'], so the other's flows would read as "
                "undeclared: combine agreements with dpup.graph(*agreements) instead. An edge "
                "added by hand that no agreement declares leaves out 'agreement' (or sets it "
                "to None).",
                (aid,),
                edge=(u, v, key),
            )
    return flow, info, purpose, aid


def _declares(a: Agreement | None, f: DataFlow, u: str, v: str) -> bool:
    """Whether agreement ``a`` declares the flow ``f``, from ``u`` to ``v``."""
    if a is None or (f.from_, f.to) != (u, v):
        return False
    try:
        return a.flow(f.id) == f
    except KeyError:
        return False


def flow_text(f: Flow | Declared) -> str:
    """``flow 'id' (from -> to)`` for messages."""
    return f"flow {f.id!r} ({f.source} -> {f.target})"


def blank(text: str | None) -> bool:
    """Whether a free-text answer is missing or only white space."""
    return not (text or "").strip()


def missing(field: str, texts: list[str | None]) -> str:
    """What ``texts``, the values of ``field`` in the records a finding is about, have: none
    (``None``: left out, or given with nothing after its colon), or blank text."""
    if all(t is None for t in texts):  # left out, or given with nothing after its colon
        return f"`{field}` missing or empty"
    if all(t is not None for t in texts):
        return f"a blank `{field}`" if len(texts) == 1 else f"blank `{field}`"
    return f"`{field}` missing, empty or blank"


def quoted(ids: Iterable[str], last: str = "and") -> str:
    """``'a', 'b' and 'c'`` for messages (``'a', 'b' or 'c'`` with ``last="or"``)."""
    items = [repr(i) for i in ids]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def did_you_mean(given: str, choices: Iterable[str]) -> str | None:
    """The one of ``choices`` closest to ``given``, as for a misspelt id, if any is close."""
    close = difflib.get_close_matches(given, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None
