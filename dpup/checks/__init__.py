"""The check catalogue: purpose mismatches, missing explanations, untraceable holders and
sharing value, each finding citing the DPUP Principle and Guideline it serves.

:func:`check` runs every check and returns a :class:`~dpup.Report`; the four family
functions take a flow graph first, networkx style, and return iterators of findings.

Examples
--------
>>> import dpup
>>> G = dpup.examples.load("best-foot-forward-before").graph()
>>> sorted({f.subject for f in dpup.untraceable_holders(G) if f.code == "UH002"})
['insights-ltd']
>>> [c.code for c in dpup.catalogue()][:3]
['PM001', 'PM002', 'PM003']
"""

import os
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import networkx as nx

from dpup._private.gcpause import paused_gc
from dpup.checks import explanation, holders, purpose, value
from dpup.checks._context import Context
from dpup.checks._registry import CATALOGUE, Check, Hit, Law, Seed, register
from dpup.errors import AgreementError
from dpup.files import Format, _load_files, repeated_ids
from dpup.graph import graph, graph_of
from dpup.model import Acceptance, Agreement
from dpup.report import Family, Finding, Report, Severity

__all__ = [
    "Check",
    "Law",
    "Seed",
    "catalogue",
    "check",
    "check_files",
    "missing_explanations",
    "purpose_mismatches",
    "sharing_value",
    "untraceable_holders",
]

_ = (explanation, holders, purpose, value)  # imported to register their checks

_PREFIX: dict[str, Family] = {
    "PM": Family.PURPOSE_MISMATCH,
    "ME": Family.MISSING_EXPLANATION,
    "UH": Family.UNTRACEABLE_HOLDER,
    "SV": Family.SHARING_VALUE,
}


@attrs.frozen
class _Stale:
    """The function of a stale-acceptance check (``PM900`` and so on): one per family, a
    module-level class rather than a closure, so that :func:`catalogue` pickles."""

    family: Family
    code: str

    def __call__(self, ctx: Context) -> Iterator[Hit]:
        code, family = self.code, self.family
        wanted = [
            (aid, i, acc)  # i: where the acceptance is in its agreement's list
            for aid, a in ctx.agreements.items()
            for i, acc in enumerate(a.accepted)
            if acc.code.startswith(code[:2])
        ]
        if not wanted:
            return
        found = {(f.agreement, f.code, f.subject) for f in ctx.findings if f.family == family}
        for aid, i, acc in wanted:
            # A finding outside every agreement (an undeclared flow) matches any agreement's acceptance.
            if (
                (aid, acc.code, acc.subject) not in found
                and (None, acc.code, acc.subject) not in found
                and aid not in ctx.involved.get((acc.code, acc.subject), ())
            ):
                yield Hit(
                    subject=acc.subject,
                    related=[acc.code],
                    message=(
                        f"the acceptance of {acc.code} for {acc.subject!r} (by {acc.by}) matches no "
                        "finding: the finding is fixed, or the acceptance names the wrong code or subject."
                    ),
                    agreement=aid,
                    where=f"$.accepted[{i}]",
                )


def _stale_acceptances(family: Family) -> None:
    code = next(p for p, f in _PREFIX.items() if f == family) + "900"
    register(
        code=code,
        name="stale-acceptance",
        family=family,
        severity=Severity.WARNING,
        finds=f"An accepted {family.value} finding that no longer occurs.",
        remediation="Remove the acceptance from `accepted`, or correct its code or subject.",
        seeds=[
            Seed(
                doc="000",
                quote="You have a role in creating your team’s culture, processes and operating practices around how service users’ data and information is viewed and respected.",
                section="What you do",
            )
        ],
    )(_Stale(family, code))


for _family in Family:
    _stale_acceptances(_family)


def catalogue() -> tuple[Check, ...]:
    """Every registered check, in code order within family order.

    Examples
    --------
    >>> import dpup
    >>> first = dpup.catalogue()[0]
    >>> first.code, first.name, first.family.value, first.severity.value
    ('PM001', 'flow-without-purpose', 'purpose-mismatch', 'error')
    """
    order = list(Family)
    return tuple(sorted(CATALOGUE.values(), key=lambda c: (order.index(c.family), c.code)))


def _context(G_or_agreement: Any) -> Context:
    return Context(graph_of(G_or_agreement, "check"))


def _run(G_or_agreement: Any, families: Iterable[Family]) -> list[Finding]:
    with paused_gc():
        return _run_checks(_context(G_or_agreement), families)


def _run_checks(ctx: Context, families: Iterable[Family]) -> list[Finding]:
    wanted = set(families)
    checks = [c for c in catalogue() if c.family in wanted]
    for c in checks:
        if not c.code.endswith("900"):
            ctx.findings.extend(c.run(ctx))
    for c in checks:
        if c.code.endswith("900"):
            ctx.findings.extend(c.run(ctx))
    return _apply_acceptances(ctx, ctx.findings)


def _apply_acceptances(ctx: Context, findings: list[Finding]) -> list[Finding]:
    accepted: dict[tuple[str | None, str, str], Acceptance] = {}
    for aid, acc in ctx.acceptances:
        accepted[(aid, acc.code, acc.subject)] = acc
    if not accepted:
        return findings
    anywhere = {(code, subject): acc for (_, code, subject), acc in accepted.items()}
    out = []
    for f in findings:
        if f.agreement is None:
            match = anywhere.get((f.code, f.subject))
        else:
            match = accepted.get((f.agreement, f.code, f.subject))
        out.append(f if match is None else attrs.evolve(f, accepted=match))
    return out


def check(agreement_or_graph: "Agreement | nx.MultiDiGraph[str]") -> Report:
    """Run every check on an agreement or a flow graph.

    Parameters
    ----------
    agreement_or_graph : Agreement or networkx.MultiDiGraph
        An agreement, or a graph from :func:`dpup.graph` (possibly of several agreements).

    Returns
    -------
    Report
        The findings, in a deterministic order; accepted findings are marked accepted.

    Raises
    ------
    TypeError
        If ``agreement_or_graph`` is neither (a list of agreements is checked as
        ``dpup.check(dpup.graph(*agreements))``).
    dpup.GraphError
        If the graph has an edge that names an agreement the graph does not hold (as after
        ``networkx.compose``; combine agreements with :func:`dpup.graph`), or an edge added
        by hand whose ``flow``, ``information``, ``purpose`` or ``agreement`` is not what
        :func:`dpup.graph` puts there. It names the edge.
    dpup.CheckError
        If a check raises: a failing check is never read as "no finding".

    Examples
    --------
    >>> import dpup
    >>> report = dpup.check(dpup.examples.load("best-foot-forward-before"))
    >>> sorted({f.subject for f in report if f.family == "sharing-value"})
    ['agency', 'family-record', 'past-family-stories']
    """
    return Report.of(_run(agreement_or_graph, Family))


def check_files(
    paths: "str | os.PathLike[str] | Iterable[str | os.PathLike[str]]", format: Format | None = None
) -> Report:
    """Load agreement files, check them together and place each finding in its file, as
    ``dpup check`` does.

    The files are loaded as :func:`dpup.load_all` loads them, combined into one graph
    (:func:`dpup.graph`), checked (:func:`check`), and the report :meth:`~dpup.Report.located`
    in the files: each finding has the file its agreement came from and, in YAML and JSON, the
    line its subject is declared on.

    Parameters
    ----------
    paths : str or path-like, or an iterable of them
        The files, in this order; a directory stands for every agreement file in it and its
        subdirectories, in name order (see :func:`dpup.agreement_files`).
    format : {"yaml", "json", "toml"}, optional
        The format of every file, whatever the suffixes say.

    Returns
    -------
    Report

    Raises
    ------
    dpup.AgreementError
        If a file is not a valid agreement, a directory holds no agreement file, or two files
        hold agreements with the same id: every problem of every file, each naming its file.
    dpup.GraphError
        If two agreements disagree about what an id is (a group in one, a holder in another).
    OSError
        If a file cannot be read.

    Examples
    --------
    >>> import dpup
    >>> report = dpup.check_files("examples/best-foot-forward-before.yaml")
    >>> print(report.filter(code="PM004", subject="quarterly-report")[0].location)
    examples/best-foot-forward-before.yaml:89: $.flows[3]
    """
    if isinstance(paths, Agreement | nx.Graph):
        raise TypeError(
            f"dpup.check_files takes paths of agreement files, not a {type(paths).__name__}; "
            "check an agreement or a graph with dpup.check"
        )
    loaded = _load_files(paths, format, "dpup.check_files")
    problems = repeated_ids(loaded, format)
    if problems:
        raise AgreementError(problems)
    G = graph(*(agreement for _, agreement in loaded))
    return check(G).located({agreement.id: file for file, agreement in loaded})


def purpose_mismatches(G: "nx.MultiDiGraph[str] | Agreement") -> Iterator[Finding]:
    """Findings of the purpose-mismatch family (Purpose Matters).

    Examples
    --------
    >>> import dpup
    >>> G = dpup.examples.load("best-foot-forward-before").graph()
    >>> sorted({f.subject for f in dpup.purpose_mismatches(G) if f.code == "PM003"})
    ['outcomes-report']
    """
    return iter(sorted(_run(G, [Family.PURPOSE_MISMATCH]), key=Finding.sort_key))


def missing_explanations(G: "nx.MultiDiGraph[str] | Agreement") -> Iterator[Finding]:
    """Findings of the missing-explanation family (Transparency and Choice).

    Examples
    --------
    >>> import dpup
    >>> G = dpup.examples.load("best-foot-forward-before").graph()
    >>> [f.subject for f in dpup.missing_explanations(G) if f.code == "ME005"]
    ['children']
    """
    return iter(sorted(_run(G, [Family.MISSING_EXPLANATION]), key=Finding.sort_key))


def untraceable_holders(G: "nx.MultiDiGraph[str] | Agreement") -> Iterator[Finding]:
    """Findings of the untraceable-holder family (Access to Information).

    Examples
    --------
    >>> import dpup
    >>> G = dpup.examples.load("best-foot-forward-before").graph()
    >>> sorted(f.subject for f in dpup.untraceable_holders(G) if f.code == "UH003")
    ['agency', 'ccss', 'insights-ltd']
    """
    return iter(sorted(_run(G, [Family.UNTRACEABLE_HOLDER]), key=Finding.sort_key))


def sharing_value(G: "nx.MultiDiGraph[str] | Agreement") -> Iterator[Finding]:
    """Findings of the sharing-value family (Sharing Value).

    Examples
    --------
    >>> import dpup
    >>> G = dpup.examples.load("best-foot-forward").graph()
    >>> list(dpup.sharing_value(G))
    []
    """
    return iter(sorted(_run(G, [Family.SHARING_VALUE]), key=Finding.sort_key))
