"""Diagrams of the flow graph: Mermaid and Graphviz DOT, with findings marked, and the CLI."""

import re
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup.cli import EXIT_INVALID, EXIT_OK
from dpup.render.diagram import _dot_text, _mermaid_text
from tests.examples import AFTER, BEFORE, ROOT, run

MERMAID_NODE = re.compile(r'^\s+(n\d+)(\(\[|\(|\[)"(.*)"(\]\)|\)|\])$')
MERMAID_EDGE = re.compile(r'^\s+(n\d+) (-->|-\.->)\|"(.*)"\| (n\d+)$')
DOT_EDGE = re.compile(r'^\s+"(.*)" -> "(.*)" \[(.*)\];$')


def _mermaid_nodes(text: str) -> dict[str, tuple[str, str]]:
    """Mermaid node name -> (shape opening, label)."""
    return {m[1]: (m[2], m[3]) for line in text.splitlines() if (m := MERMAID_NODE.match(line))}


def _mermaid_edges(text: str) -> list[tuple[str, str, str, str]]:
    return [(m[1], m[2], m[3], m[4]) for line in text.splitlines() if (m := MERMAID_EDGE.match(line))]


def _by_id(text: str) -> dict[str, str]:
    """dpup id -> Mermaid node name (the id is the label's last line)."""
    return {label.split("<br/>")[-1]: name for name, (_, label) in _mermaid_nodes(text).items()}


def test_mermaid_draws_every_flow_between_its_holders() -> None:
    a = dpup.load(AFTER)
    text = dpup.to_mermaid(a)
    assert text.splitlines()[0] == "flowchart LR"
    names = _by_id(text)
    # the agency has teams: a frame named for it, its teams in it, and no box of its own (no
    # flow goes to the agency as a whole)
    assert '  subgraph f0["The funding agency"]' in text.splitlines()
    assert set(names) == {"parents", "children", "ccss", "agency.evaluation", "agency.reporting"}
    shapes = {i: _mermaid_nodes(text)[n][0] for i, n in names.items()}
    assert shapes["parents"] == "(["  # a group: rounded at the ends
    assert shapes["ccss"] == "["  # an organisation: a box
    assert shapes["agency.reporting"] == "("  # a team: rounded corners
    edges = {(u, label, v) for u, _, label, v in _mermaid_edges(text)}
    assert edges == {(names[f.from_], f"{f.id}<br/>for {f.purpose}", names[f.to]) for f in a.flows}
    assert "classDef" not in text  # no report, nothing marked


def test_dot_draws_the_same() -> None:
    a = dpup.load(AFTER)
    text = dpup.to_dot(a, direction="TB")
    lines = text.splitlines()
    assert lines[0] == "digraph dpup {"
    assert "  rankdir=TB;" in lines
    assert lines[-1] == "}"
    edges = {(m[1], m[2], m[3]) for line in lines if (m := DOT_EDGE.match(line))}
    assert edges == {(f.from_, f.to, f'label="{f.id}\\nfor {f.purpose}"') for f in a.flows}
    assert "  subgraph cluster_0 {" in lines
    assert '    label="The funding agency";' in lines


def _worst(report: dpup.Report, subjects: set[str]) -> dict[str, str]:
    """Subject -> the worst severity, error or warning, of the open findings about it."""
    worst: dict[str, str] = {}
    for f in report.open():
        if (
            f.subject in subjects
            and f.severity.value in ("error", "warning")
            and worst.get(f.subject) != "error"
        ):
            worst[f.subject] = f.severity.value
    return worst


def test_findings_are_marked_by_the_worst_of_them() -> None:
    a = dpup.load(BEFORE)
    report = dpup.check(a)
    text = dpup.to_mermaid(a, report=report)
    names = _by_id(text)
    marked = {
        severity: set(line.split()[1].split(","))
        for line in text.splitlines()
        if line.startswith("  class ")
        for severity in [line.split()[2]]
    }
    worst = _worst(report, set(names))
    assert marked == {s: {names[i] for i, w in worst.items() if w == s} for s in set(worst.values())}
    assert worst["children"] == "warning"  # ME005: no version for children, and no error
    assert worst["insights-ltd"] == "error"
    # flows: linkStyle counts edges in the order they are drawn
    edges = _mermaid_edges(text)
    styled = {
        line.split()[2]: {int(i) for i in line.split()[1].split(",")}
        for line in text.splitlines()
        if line.startswith("  linkStyle ")
    }
    flow_worst = _worst(report, {fl.id for fl in a.flows})
    by_index = {i: label.split("<br/>")[0] for i, (_, _, label, _) in enumerate(edges)}
    for colour, indexes in styled.items():
        severity = "error" if "c62828" in colour else "warning"
        assert {by_index[i] for i in indexes} == {k for k, w in flow_worst.items() if w == severity}


def test_an_accepted_or_info_finding_is_not_marked() -> None:
    a = dpup.load(AFTER)
    assert [f.severity.value for f in dpup.check(a)] == ["info"]
    assert "classDef" not in dpup.to_mermaid(a, report=dpup.check(a))
    before = dpup.load(BEFORE)
    accepted = [
        dpup.Acceptance(code=f.code, subject=f.subject, reason="r", by="b") for f in dpup.check(before)
    ]
    everything_accepted = attrs.evolve(before, accepted=accepted)
    text = dpup.to_dot(everything_accepted, report=dpup.check(everything_accepted))
    assert "penwidth" not in text


def test_a_flow_no_agreement_declares_is_dashed() -> None:
    G = dpup.load(AFTER).graph()
    G.add_edge("agency.evaluation", "insights-ltd", key="audit-found")
    report = dpup.check(G)
    mermaid = dpup.to_mermaid(G, report=report)
    (dashed,) = [e for e in _mermaid_edges(mermaid) if e[1] == "-.->"]
    assert dashed[2] == "audit-found"
    dot = dpup.to_dot(G, report=report)
    (line,) = [line for line in dot.splitlines() if "audit-found" in line]
    assert "style=dashed" in line
    assert 'color="#c62828"' in line  # UH004: an error about that flow


def test_labels_are_escaped() -> None:
    assert _mermaid_text('Te "Whare" #1 <b>\nline') == "Te #quot;Whare#quot; #35;1 #lt;b#gt;<br/>line"
    assert _dot_text('say "hi"\\ there\nnow') == '"say \\"hi\\"\\\\ there\\nnow"'
    a = dpup.load(AFTER)
    odd = attrs.evolve(
        a,
        service_users=[attrs.evolve(g, name='The "whānau" #1 <group>') for g in a.service_users],
    )
    text = dpup.to_mermaid(odd)
    assert '(["The #quot;whānau#quot; #35;1 #lt;group#gt;<br/>parents"])' in text
    assert '"The \\"whānau\\" #1 <group>\\nparents"' in dpup.to_dot(odd)


def test_wrong_arguments_say_so() -> None:
    with pytest.raises(TypeError, match="not list"):
        dpup.to_mermaid([dpup.load(AFTER)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="direction must be"):
        dpup.to_dot(dpup.load(AFTER), direction="up")  # type: ignore[arg-type]
    for draw in (dpup.to_mermaid, dpup.to_dot):
        with pytest.raises(
            TypeError,
            match=r"^report must be a dpup.Report \(from dpup.check\) or None, not \[\] \(a list\)$",
        ):
            draw(dpup.load(AFTER), report=[])  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"not 'findings.json' \(a str\)$"):
            draw(dpup.load(AFTER), report="findings.json")  # type: ignore[arg-type]


def test_a_plain_networkx_graph_is_drawn_whatever_its_nodes_and_keys() -> None:
    """networkx keys an edge added without a key 0, 1, ...; a node may be any hashable."""
    import networkx as nx

    G: nx.MultiDiGraph[object] = nx.MultiDiGraph()
    G.add_edge("prov", "agency")
    G.add_edge(1, 2, key="f")
    mermaid = dpup.to_mermaid(G)  # type: ignore[arg-type]
    assert [label for _, _, label, _ in _mermaid_edges(mermaid)] == ["0", "f"]
    dot = dpup.to_dot(G)  # type: ignore[arg-type]
    assert '  "prov" -> "agency" [label="0", style=dashed];' in dot.splitlines()
    assert '  "1" -> "2" [label="f", style=dashed];' in dot.splitlines()


@settings(max_examples=6)
@given(seed=st.integers(0, 2**16))
def test_a_sector_is_drawn_whole(seed: int) -> None:
    sector = synth.sector(flows=150, seed=seed, faults=0.1)
    G = dpup.graph(*sector)
    text = dpup.to_mermaid(G, report=dpup.check(G))
    assert len(_mermaid_edges(text)) == G.number_of_edges()
    # every node but an organisation with teams that no flow reaches, which only names its frame
    framed = {d["organisation"] for _, d in G.nodes(data=True) if d["kind"] == "team"}
    assert set(_by_id(text)) == {n for n in G if n not in framed or G.degree(n)}
    dot = dpup.to_dot(G)
    assert sum(1 for line in dot.splitlines() if DOT_EDGE.match(line)) == G.number_of_edges()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_reads_the_dot() -> None:
    a = dpup.load(BEFORE)
    svg = subprocess.run(
        ["dot", "-Tsvg"],
        input=dpup.to_dot(a, report=dpup.check(a)),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert svg.count('class="edge"') == len(a.flows)


def test_the_cli_draws() -> None:
    code, out, err = run("diagram", str(BEFORE))
    assert (code, err) == (EXIT_OK, "")
    a = dpup.load(BEFORE)
    assert out == dpup.to_mermaid(a, report=dpup.check(a))
    code, out, _ = run("diagram", "--format", "dot", "--no-findings", "--direction", "TB", str(BEFORE))
    assert code == EXIT_OK
    assert out == dpup.to_dot(a, direction="TB")


def test_the_cli_refuses_an_invalid_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("dpup: 1\nagreement: {id: x}\n", encoding="utf-8")
    for findings in ("--findings", "--no-findings"):
        code, out, err = run("diagram", findings, str(broken))
        assert code == EXIT_INVALID
        assert out == ""
        assert err.startswith(f"{broken}:")


def test_the_command_line_page_shows_what_dpup_diagram_prints() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    a = dpup.load(BEFORE)
    drawn = dpup.to_mermaid(a, report=dpup.check(a))
    shown = page.index(f"```console\n$ dpup diagram examples/best-foot-forward-before.yaml\n{drawn}```")
    assert shown < page.index(f"```mermaid\n{drawn}```", shown)
