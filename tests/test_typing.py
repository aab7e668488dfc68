"""A consumer's code type-checks under ``mypy --strict`` as it runs: lists where the model
stores tuples, an enum's value where it stores the enum, and the graph and check functions
typed with what they take and give (not ``Any``)."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CONSUMER = """
import datetime
from typing import assert_type

import networkx as nx

import dpup
from dpup import Agency, Agreement, DataFlow, Information, Provider, ServiceUser, Team

a = Agreement(
    id="demo",
    title="Demo",
    parties=["ccss", "agency"],
    review_by=datetime.date(2027, 1, 1),
    service_users=[ServiceUser(id="parents", name="Parents")],
    holders=[
        Provider(id="ccss", name="City Centre Social Services"),
        Agency(id="agency", name="The agency", teams=[Team(id="agency.evaluation", name="E", purposes=["evaluation"])]),
    ],
    information=[Information(id="record", about=["parents"], identifiability="aggregate", sensitivity="low")],
    flows=[DataFlow(id="f", from_="parents", to="ccss", carries=("record",))],
    explanations=[dpup.Explanation(id="e", for_=["parents"], versions=["adult"], covers={"f"})],
    access=[dpup.AccessArrangement(contact="ccss", covers=["ccss"])],
    engagement=[dpup.Engagement(with_=["parents"])],
    accepted=[dpup.Acceptance(code="PM004", subject="f", reason="r", by="b")],
)
assert_type(a.parties, tuple[str, ...])
assert_type(a.holders, tuple[Provider | Agency, ...])
assert_type(a.information[0].identifiability, dpup.Identifiability | None)
G = a.graph()
report: dpup.Report = dpup.check(G)
report = dpup.check(a)
findings = list(dpup.sharing_value(G)) + list(dpup.purpose_mismatches(a))
for _, _, _, flow in dpup.flows(G):
    if flow is not None:
        print(flow.purpose)
d = dpup.diff(a, a)
assert_type(d, dpup.Diff)
assert_type(d[0], dpup.Change)
assert_type(d[1:], dpup.Diff)
assert_type(d.added(), dpup.Diff)
assert_type(d.in_section("flows"), dpup.Diff)
assert_type(report[0], dpup.Finding)
assert_type(report[1:], dpup.Report)
assert_type(report.filter(code="PM004", at_least=dpup.Severity.WARNING), dpup.Report)
kinds = [change.kind for change in d]
flows_only = dpup.Diff(changes=[c for c in d if c.section == "flows"], before=d.before, after=d.after)
"""

WRONG = {
    "Information(id='i', identifiability=3)": "identifiability",
    "Agency(id='a', name='A', teams=['t'])": 'expected "Team"',
    "Agreement(id='a', title='A', flows=[Team(id='t', name='T')])": 'expected "DataFlow"',
    "DataFlow(id='f', from_='a', to='b', carries=[1])": 'expected "str"',
}

WRONG_GRAPHS = {
    'dpup.check("oops")': "check",
    "dpup.sharing_value(3.5)": "sharing_value",
    "a.graph().no_such_method()": "no_such_method",
}
"""Refused only where mypy knows networkx's types: set ``DPUP_NETWORKX_STUBS`` to a directory
holding them (``types-networkx``'s ``networkx`` package) to check these too."""

STUBS = os.environ.get("DPUP_NETWORKX_STUBS")


def mypy(source: str, tmp_path: Path) -> list[str]:
    pytest.importorskip("mypy")
    (tmp_path / "consumer.py").write_text(textwrap.dedent(source), encoding="utf-8")
    networkx = "ignore_errors" if STUBS else "ignore_missing_imports"
    (tmp_path / "mypy.ini").write_text(
        f"[mypy]\nstrict = True\n[mypy-networkx.*]\n{networkx} = True\n"
        "[mypy-tomli_w]\nignore_missing_imports = True\n[mypy-numpy.*]\nignore_missing_imports = True\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--config-file", "mypy.ini", "consumer.py"],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": os.pathsep.join(filter(None, [str(ROOT), STUBS]))},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if re.match(r"consumer\.py:\d+: error", line)]


def test_the_documented_way_to_build_the_model_type_checks(tmp_path: Path) -> None:
    assert mypy(CONSUMER, tmp_path) == []


@pytest.mark.parametrize(
    "wrong",
    [
        WRONG,
        pytest.param(
            WRONG_GRAPHS,
            marks=pytest.mark.skipif(STUBS is None, reason="set DPUP_NETWORKX_STUBS to networkx's stubs"),
        ),
    ],
    ids=["model", "graphs"],
)
def test_what_the_runtime_refuses_does_not_type_check(wrong: dict[str, str], tmp_path: Path) -> None:
    # The near misses: each line below is refused by mypy, as it is at run time.
    lines = list(wrong)
    errors = mypy(CONSUMER + "\n".join(lines) + "\n", tmp_path)
    first = len(textwrap.dedent(CONSUMER).splitlines()) + 1
    flagged = {int(line.split(":")[1]) - first for line in errors}
    assert flagged == set(range(len(lines))), errors
    for line, word in zip(errors, wrong.values(), strict=True):
        assert word in line
