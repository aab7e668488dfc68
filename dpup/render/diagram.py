"""Diagrams of a flow graph: Mermaid (which GitHub, GitLab and Jupyter draw from Markdown) and
Graphviz DOT.

Each draws the graph's groups and holders with who sends what to whom: a service-user group
as a rounded shape, an organisation as a box, and an organisation's teams inside a frame
named for it (with the organisation's own box there too when information goes to it as a
whole). Each flow is an arrow labelled with its id and purpose; a flow no agreement declares
is dashed. Given a report, the groups, holders and flows that open findings are about are
drawn in the colour of the worst of them: red for an error, orange for a warning.
"""

from collections.abc import Iterator
from typing import Literal, TypeVar

import attrs
import networkx as nx

from dpup.graph import graph_of
from dpup.model import Agreement, _found
from dpup.report import Report, Severity

__all__ = ["to_dot", "to_mermaid"]

Direction = Literal["LR", "RL", "TB", "BT"]

_K = TypeVar("_K")

_COLOURS: dict[Severity, str] = {Severity.ERROR: "#c62828", Severity.WARNING: "#ef6c00"}
"""The colour of a group, holder or flow with an open finding, by the worst severity."""


@attrs.frozen
class _Node:
    id: str
    label: str
    """The display name, and the id under it where the two differ."""
    kind: str
    severity: Severity | None


@attrs.frozen
class _Edge:
    source: str
    target: str
    label: str
    declared: bool
    severity: Severity | None


@attrs.frozen
class _Layout:
    """What both formats draw, in the graph's order: loose nodes, then each organisation's
    frame (its name and the nodes in it), then the edges."""

    loose: list[_Node]
    frames: list[tuple[str, list[_Node]]]
    edges: list[_Edge]


def to_mermaid(
    G_or_agreement: "nx.MultiDiGraph[str] | Agreement",
    *,
    report: Report | None = None,
    direction: Direction = "LR",
) -> str:
    """A Mermaid flowchart of the flow graph.

    Parameters
    ----------
    G_or_agreement : networkx.MultiDiGraph or Agreement
        A graph from :func:`dpup.graph`, or one agreement.
    report : Report, optional
        Findings to mark (from :func:`dpup.check` on the same graph): the groups, holders and
        flows their open findings are about are drawn red (an error) or orange (a warning).
    direction : {"LR", "RL", "TB", "BT"}
        Which way the flows run: left to right by default.

    Returns
    -------
    str
        The flowchart's text: put it in a Markdown code block marked ``mermaid`` for GitHub,
        GitLab or JupyterLab to draw it, or paste it into the Mermaid live editor.

    Examples
    --------
    >>> import dpup
    >>> text = dpup.to_mermaid(dpup.examples.load("best-foot-forward"))
    >>> print(text.splitlines()[0])
    flowchart LR
    >>> print(next(line for line in text.splitlines() if "quarterly-report" in line).strip())
    n2 -->|"quarterly-report<br/>for service-reporting"| n4
    """
    layout = _layout(graph_of(G_or_agreement, "draw"), report)
    index = {n.id: f"n{i}" for i, n in enumerate(_nodes(layout))}
    shapes = {"service-user": '(["{}"])', "team": '("{}")'}
    lines = [f"flowchart {_direction(direction)}"]

    def node(n: _Node, indent: str) -> str:
        return indent + index[n.id] + shapes.get(n.kind, '["{}"]').format(_mermaid_text(n.label))

    lines += [node(n, "  ") for n in layout.loose]
    for i, (title, members) in enumerate(layout.frames):
        lines.append(f'  subgraph f{i}["{_mermaid_text(title)}"]')
        lines += [node(n, "    ") for n in members]
        lines.append("  end")
    for e in layout.edges:
        arrow = "-->" if e.declared else "-.->"
        lines.append(f'  {index[e.source]} {arrow}|"{_mermaid_text(e.label)}"| {index[e.target]}')
    for severity, colour in _COLOURS.items():
        marked = [index[n.id] for n in _nodes(layout) if n.severity is severity]
        if marked:
            lines.append(f"  classDef {severity.value} stroke:{colour},stroke-width:3px")
            lines.append(f"  class {','.join(marked)} {severity.value}")
        links = [str(i) for i, e in enumerate(layout.edges) if e.severity is severity]
        if links:
            lines.append(f"  linkStyle {','.join(links)} stroke:{colour},stroke-width:3px")
    return "\n".join(lines) + "\n"


def to_dot(
    G_or_agreement: "nx.MultiDiGraph[str] | Agreement",
    *,
    report: Report | None = None,
    direction: Direction = "LR",
) -> str:
    """A Graphviz DOT digraph of the flow graph, drawn as :func:`to_mermaid` draws it.

    Parameters
    ----------
    G_or_agreement : networkx.MultiDiGraph or Agreement
        A graph from :func:`dpup.graph`, or one agreement.
    report : Report, optional
        Findings to mark, as for :func:`to_mermaid`.
    direction : {"LR", "RL", "TB", "BT"}
        Which way the flows run (Graphviz's ``rankdir``).

    Returns
    -------
    str
        The digraph's text, for ``dot -Tsvg`` and other Graphviz tools.

    Examples
    --------
    >>> import dpup
    >>> text = dpup.to_dot(dpup.examples.load("best-foot-forward"))
    >>> print(text.splitlines()[0])
    digraph dpup {
    >>> print(next(line for line in text.splitlines() if "quarterly-report" in line).strip())
    "ccss" -> "agency.reporting" [label="quarterly-report\\nfor service-reporting"];
    """
    layout = _layout(graph_of(G_or_agreement, "draw"), report)
    shapes = {"service-user": "shape=ellipse", "team": 'shape=box, style="rounded"'}
    lines = [
        "digraph dpup {",
        f"  rankdir={_direction(direction)};",
        '  graph [fontname="Helvetica"];',
        '  node [shape=box, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]

    def node(n: _Node, indent: str) -> str:
        attributes = [f"label={_dot_text(n.label)}", shapes.get(n.kind, "shape=box")]
        if n.severity is not None:
            attributes.append(f'color="{_COLOURS[n.severity]}", penwidth=3')
        return f"{indent}{_dot_text(str(n.id))} [{', '.join(attributes)}];"

    lines += [node(n, "  ") for n in layout.loose]
    for i, (title, members) in enumerate(layout.frames):
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f"    label={_dot_text(title)};")
        lines += [node(n, "    ") for n in members]
        lines.append("  }")
    for e in layout.edges:
        attributes = [f"label={_dot_text(e.label)}"]
        if not e.declared:
            attributes.append("style=dashed")
        if e.severity is not None:
            attributes.append(f'color="{_COLOURS[e.severity]}", penwidth=3')
        lines.append(f"  {_dot_text(str(e.source))} -> {_dot_text(str(e.target))} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _direction(direction: str) -> str:
    if direction not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"direction must be 'LR', 'RL', 'TB' or 'BT', not {direction!r}")
    return direction


def _nodes(layout: _Layout) -> Iterator[_Node]:
    yield from layout.loose
    for _, members in layout.frames:
        yield from members


def _layout(G: "nx.MultiDiGraph[str]", report: Report | None) -> _Layout:
    if report is not None and not isinstance(report, Report):
        raise TypeError(f"report must be a dpup.Report (from dpup.check) or None, not {_found(report)}")
    node_severity: dict[str, Severity] = {}
    flow_severity: dict[tuple[str | None, str], Severity] = {}
    for f in report.open() if report is not None else ():
        if f.severity in _COLOURS:
            _mark(node_severity, f.subject, f.severity)
            _mark(flow_severity, (f.agreement, f.subject), f.severity)
    # an organisation with a team in the graph gets a frame, named for it, holding its teams,
    # and its own box only where a flow goes to or from the organisation as a whole
    framed = {d.get("organisation") for _, d in G.nodes(data=True) if d.get("kind") == "team"}
    loose: list[_Node] = []
    frames: dict[str, list[_Node]] = {}
    for n, d in G.nodes(data=True):
        if n in framed and not G.degree(n):
            frames.setdefault(n, [])
            continue
        name = d.get("name") or n
        node = _Node(
            id=n,
            # str(): a node of a graph built by hand may be any hashable (an int)
            label=str(name) if name == n else f"{name}\n{n}",
            kind=d.get("kind") or "",
            severity=node_severity.get(n),
        )
        org = d.get("organisation")
        if org in framed and d.get("kind") in ("team", "agency", "provider"):
            frames.setdefault(org, []).append(node)
        else:
            loose.append(node)
    titles = {org: str(G.nodes[org].get("name", org) if org in G else org) for org in frames}
    edges = []
    for u, v, key, d in G.edges(keys=True, data=True):
        flow, agreement = d.get("flow"), d.get("agreement")
        fid = flow.id if flow is not None else str(key)  # networkx keys an edge 0, 1, ...
        purpose = flow.purpose if flow is not None else None
        edges.append(
            _Edge(
                source=u,
                target=v,
                label=fid if purpose is None else f"{fid}\nfor {purpose}",
                declared=agreement is not None and flow is not None,
                severity=flow_severity.get((agreement, fid)),
            )
        )
    return _Layout(
        loose=loose, frames=[(titles[org], members) for org, members in frames.items()], edges=edges
    )


def _mark(marks: dict[_K, Severity], key: _K, severity: Severity) -> None:
    """Record ``severity`` for ``key`` unless a worse one is recorded."""
    worst = marks.get(key)
    if worst is None or severity.rank > worst.rank:
        marks[key] = severity


def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: its own entity codes for what would end or break the
    label, and ``<br/>`` for a line break."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text.replace("\r\n", "\n").replace("\n", "<br/>")


def _dot_text(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, a line break as ``\\n``."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\n", "\\n") + '"'
