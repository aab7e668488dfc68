"""Markdown reports: for a pull-request comment, a CI job's summary page or a wiki.

The findings are grouped by family, as in the text report, each a list item with its code,
severity, subject, place, message, path and fix. Everything taken from an agreement (ids,
names, file names) is escaped, so nothing in a draft can change how the report reads.
"""

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from dpup.render.text import _TITLES
from dpup.report import Finding, Report

if TYPE_CHECKING:
    from dpup.compare import Comparison
    from dpup.errors import Problem

__all__ = ["problems_to_markdown", "render_comparison_markdown", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]])")
"""Characters that Markdown (CommonMark, GitHub's, Python-Markdown) may read as markup in the
middle of a line: emphasis, code, links and images. They are escaped with a backslash;
``<`` and ``&``, which would start HTML or a character reference, are written as ``&lt;`` and
``&amp;``, and ``|`` and ``~`` (tables, struck-through text) as ``&#124;`` and ``&#126;``:
every Markdown reads those, while Python-Markdown shows a backslash before them. (A line of a report never
starts with text taken from an agreement, so ``#``, ``>``, ``-`` and ``+`` are safe.)"""


def render_markdown(report: Report, *, title: str | None = None) -> str:
    """The report as Markdown: a heading, the summary, then the findings of each family.

    Parameters
    ----------
    report : Report
    title : str, optional
        What was checked, for the heading (``dpup check`` gives the files).

    Examples
    --------
    >>> import dpup
    >>> text = render_markdown(dpup.check(dpup.examples.load("best-foot-forward")), title="ccss.yaml")
    >>> print(text.splitlines()[0])
    ## dpup check: ccss.yaml
    >>> print(next(line for line in text.splitlines() if line.startswith("- ")).rstrip())
    - **ME008** info: programme-findings
    """
    out = [f"## dpup check: {_escape(title)}" if title else "## dpup check", "", report.summary(), ""]
    for family, findings in report.by_family().items():
        first = findings[0]
        out += [f"### {_TITLES[family]}", ""]
        serves = "; ".join(part for part in (first.guideline, ", ".join(first.principles)) if part)
        if serves:  # a finding made by hand may cite neither
            out += [f"*{_escape(serves)}*", ""]
        for f in findings:
            out += _finding(f)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_comparison_markdown(comparison: "Comparison", *, title: str | None = None) -> str:
    """A comparison of two drafts as Markdown, for the pull request that revises one: a
    heading (naming ``title``, the two drafts), the summary, then the new findings in full,
    the fixed ones with where they were and what they said, and the ones still open a line
    each.

    Examples
    --------
    >>> import dpup
    >>> before = dpup.check(dpup.examples.load("best-foot-forward-before"))
    >>> after = dpup.check(dpup.examples.load("best-foot-forward"))
    >>> text = render_comparison_markdown(dpup.compare(before, after))
    >>> print(text.splitlines()[2])
    42 fixed, 1 new, 0 still open
    """
    heading = f"## dpup compare: {_escape(title)}" if title else "## dpup compare"
    out = [heading, "", comparison.summary(), ""]
    sections = (
        ("New", comparison.new, True),
        ("Fixed", comparison.fixed, False),
        ("Still open", comparison.remaining, None),
    )
    for name, report, whole in sections:
        out += [f"### {name} ({len(report)})", ""]
        for f in report:
            out += _finding(f, whole=whole)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _finding(f: Finding, *, whole: bool | None = True) -> list[str]:
    """A finding as a list item: ``whole``, with everything; ``False``, with where it is and
    what it says; ``None``, its first line only."""
    state = f.severity.value if f.accepted is None else f"{f.severity.value} (accepted)"
    lines = [f"- **{f.code}** {state}: {_escape(f.subject)}"]
    if whole is not None:
        if f.location is not None:
            lines.append(f"  at {_escape(f.location)}")
        lines.append(f"  {_escape(f.message)}")
    if whole:
        if f.path:
            lines.append(f"  path: {_escape(' -> '.join(f.path))}")
        lines.append(f"  **fix:** {_escape(f.remediation, code=True)}")
        if f.accepted is not None:
            lines.append(f"  accepted by {_escape(f.accepted.by)}: {_escape(f.accepted.reason)}")
    # a line break inside the list item: two spaces before each new line
    return [line + "  " if i < len(lines) - 1 else line for i, line in enumerate(lines)]


_LINE_BREAK = re.compile(r"\r\n?|\n")
"""A line break as Markdown reads one: ``\\n``, ``\\r\\n`` or a ``\\r`` of its own."""


def _escape(text: str, *, code: bool = False) -> str:
    """``text`` with every character Markdown may read as markup escaped, and its line breaks
    as spaces (so it stays one line of a list item). With ``code``, backticks are kept: dpup's
    own fix texts mark keys such as `` `purposes` `` as code."""
    text = _LINE_BREAK.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;")
    if code:
        return "`".join(_marks(part) if i % 2 == 0 else part for i, part in enumerate(text.split("`")))
    return _marks(text)


def _marks(text: str) -> str:
    """``text`` (its ``&`` and ``<`` already entities) with every mark escaped."""
    return _SPECIAL.sub(r"\\\1", text).replace("|", "&#124;").replace("~", "&#126;")


def problems_to_markdown(
    problems: "Sequence[Problem]", *, omitted: Mapping[str, int] | None = None, title: str | None = None
) -> str:
    """Files that did not load, as Markdown: what ``dpup check --format markdown`` writes
    instead of findings, so a CI job's summary says why nothing was checked.

    Parameters
    ----------
    problems : sequence of Problem
        The load errors, each listed as it is printed (``file:line: $.path: ...``).
    omitted : mapping of str to int, optional
        For each file with more problems than are listed, how many more.
    title : str, optional
        What was checked, for the heading.

    Examples
    --------
    >>> import dpup
    >>> try:
    ...     dpup.loads("dpup: 1\\nagreement: {id: a, title: T}\\nflow: []\\n")
    ... except dpup.AgreementError as e:
    ...     print(problems_to_markdown(e.problems, title="a.yaml"))  # doctest: +ELLIPSIS
    ## dpup check: a.yaml
    <BLANKLINE>
    **Not checked**: 1 problem; dpup checks nothing until every file given loads.
    <BLANKLINE>
    - line 3: $.flow: unknown key 'flow' in an agreement file (expected ...); did you mean 'flows'?
    <BLANKLINE>
    """
    more = dict(omitted or {})
    n = len(problems) + sum(more.values())
    files = {p.file for p in problems if p.file is not None} | set(more)
    where = f" in {len(files):,} file{'s' if len(files) != 1 else ''}" if files else ""
    out = [
        f"## dpup check: {_escape(title)}" if title else "## dpup check",
        "",
        f"**Not checked**: {n:,} problem{'s' if n != 1 else ''}{where}; dpup checks nothing until "
        "every file given loads.",
        "",
    ]
    out += [f"- {_escape(str(p))}" for p in problems]
    out += [
        f"- {_escape(file)}: and {k:,} more problem{'s' if k != 1 else ''}, not listed"
        for file, k in more.items()
    ]
    return "\n".join(out) + "\n"
