"""Who holds information about a group, and whom its people ask: DPUP's "How will data or
information be tracked so it's easy for service users to know what organisations have it?"
(seed 001), answered from the flow graph.
"""

from collections.abc import Iterable
from typing import Any

import attrs
import networkx as nx

from dpup.graph import graph_of
from dpup.model import Agreement

__all__ = ["Holding", "who_holds"]


@attrs.frozen(kw_only=True)
class Holding:
    """What one holder has of a group's information, and whom to ask about it.

    Parameters
    ----------
    holder : str
        The holder's id (an organisation or a team).
    name : str
        Its display name.
    organisation : str or None
        The id of its organisation (itself, for an organisation).
    information : tuple of str
        The ids of the information items about the group that it receives or sends, in the
        order first met.
    purposes : tuple of str
        The purposes of the flows that bring it that information, in the order first met (a
        flow with no purpose adds none).
    flows : tuple of str
        The ids of the flows that bring it that information, or take it on, in the order
        first met: :attr:`received_by` and :attr:`sent_by` together.
    received_by : tuple of str
        The ids of the flows that bring it that information.
    sent_by : tuple of str
        The ids of the flows by which it sends that information on.
    ask : tuple of str
        The contacts of the access and correction arrangements that cover it (directly, or
        by being the contact, first; then through its organisation): whom people ask to see
        or correct what it holds. Empty when none covers it (check UH003 reports that, for identifying
        information).
    """

    holder: str
    name: str
    organisation: str | None
    information: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    flows: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    received_by: tuple[str, ...] = ()
    sent_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The holding as JSON-ready data."""
        return {
            "holder": self.holder,
            "name": self.name,
            "organisation": self.organisation,
            "information": list(self.information),
            "purposes": list(self.purposes),
            "flows": list(self.flows),
            "ask": list(self.ask),
            "received_by": list(self.received_by),
            "sent_by": list(self.sent_by),
        }


def who_holds(G_or_agreement: "nx.MultiDiGraph[str] | Agreement", group: str) -> dict[str, Holding]:
    """Every holder of information about a group, with what it holds and whom to ask.

    A holder holds information about the group when a flow it sends or receives carries an
    item whose ``about`` names the group, however the item reached it: from the group
    itself, or from another holder that had it (an agency's records sent on to its contractor,
    say), across every agreement in the graph.

    Parameters
    ----------
    G_or_agreement : networkx.MultiDiGraph or Agreement
        A graph from :func:`dpup.graph`, or one agreement.
    group : str
        The id of a service-user group in it.

    Returns
    -------
    dict
        Holder id -> :class:`Holding`, in the order of the graph's flows.

    Raises
    ------
    KeyError
        If the graph has no such group (it names the groups it has).

    Examples
    --------
    >>> import dpup
    >>> held = dpup.who_holds(dpup.examples.load("best-foot-forward"), "parents")
    >>> list(held)
    ['ccss', 'agency.reporting', 'agency.evaluation']
    >>> held["agency.evaluation"].information, held["agency.evaluation"].ask
    (('outcome-survey',), ('ccss',))
    >>> held["ccss"].received_by, held["ccss"].sent_by
    (('intake-parents', 'intake-children'), ('quarterly-report', 'evaluation-data'))
    """
    G = graph_of(G_or_agreement, "search")
    kinds = nx.get_node_attributes(G, "kind")
    if kinds.get(group) != "service-user":
        groups = sorted(n for n, kind in kinds.items() if kind == "service-user")
        raise KeyError(
            f"no service-user group {group!r} in the graph (it has {', '.join(map(repr, groups)) or 'none'})"
        )
    # holder -> "information"/"purposes"/"flows"/"in"/"out" -> ids
    found: dict[str, dict[str, dict[str, None]]] = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        items = [i.id for i in d.get("information", ()) if group in i.about]
        if not items:
            continue
        flow = d.get("flow")
        fid = flow.id if flow is not None else key
        for end in (u, v):
            if kinds.get(end) == "service-user":
                continue
            mine = found.setdefault(
                end, {"information": {}, "purposes": {}, "flows": {}, "in": {}, "out": {}}
            )
            mine["information"].update(dict.fromkeys(items))
            mine["flows"][fid] = None
            mine["in" if end == v else "out"][fid] = None
            if end == v and flow is not None and flow.purpose is not None:
                mine["purposes"][flow.purpose] = None
    covers = _access(G.graph.get("agreements", {}).values())
    out = {}
    for holder, mine in found.items():
        node = G.nodes[holder]
        org = node.get("organisation")
        ask = dict.fromkeys(c for h in (holder, org) if h is not None for c in covers.get(h, ()))
        out[holder] = Holding(
            holder=holder,
            name=node.get("name") or holder,
            organisation=org,
            information=tuple(mine["information"]),
            purposes=tuple(mine["purposes"]),
            flows=tuple(mine["flows"]),
            ask=tuple(ask),
            received_by=tuple(mine["in"]),
            sent_by=tuple(mine["out"]),
        )
    return out


def _access(agreements: Iterable[Agreement]) -> dict[str, list[str]]:
    """Holder -> the contacts of the arrangements covering it (a contact covers itself)."""
    out: dict[str, list[str]] = {}
    for a in agreements:
        for acc in a.access:
            for h in (acc.contact, *acc.covers):
                if acc.contact not in out.setdefault(h, []):
                    out[h].append(acc.contact)
    return out
