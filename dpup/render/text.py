"""Plain-text reports for a terminal, grouped by family."""

import textwrap
from typing import TYPE_CHECKING

from dpup.report import Family, Finding, Report

if TYPE_CHECKING:
    from dpup.compare import Comparison

__all__ = ["WIDTH", "render_comparison", "render_text", "summary"]

_TITLES: dict[Family, str] = {
    Family.PURPOSE_MISMATCH: "Purpose mismatches",
    Family.MISSING_EXPLANATION: "Missing explanations",
    Family.UNTRACEABLE_HOLDER: "Untraceable holders",
    Family.SHARING_VALUE: "Sharing value",
}


def summary(report: Report) -> str:
    """One line: how many findings, by severity, and how many are accepted (the same as
    ``report.summary()``).

    Examples
    --------
    >>> import dpup
    >>> summary(dpup.check(dpup.examples.load("best-foot-forward")))
    '1 finding: 0 errors, 0 warnings, 1 info, 0 accepted'
    """
    return report.summary()


WIDTH = 100
"""The width :func:`render_text` wraps to unless told otherwise (``dpup check`` uses the
terminal's width when it writes to one)."""


def _where(f: Finding, width: int) -> list[str]:
    """The line saying where the finding is: ``at file:line: $.path``. A file name is never
    broken (it may hold spaces, and is copied whole); where the line is too long, the path
    goes on a line of its own under it."""
    if f.where is None:
        return []
    if f.file is None:
        return [f"      at {f.where}"]
    file = f.file if f.line is None else f"{f.file}:{f.line}"
    whole = f"      at {file}: {f.where}"
    return [whole] if len(whole) <= width else [f"      at {file}:", f"      {f.where}"]


def _wrapper(width: int) -> textwrap.TextWrapper:
    # Lines break only at spaces: never inside an id (which has none), even at its hyphens, so
    # an id can be found with grep and copied whole; an id longer than the line stands alone.
    return textwrap.TextWrapper(
        width=width,
        initial_indent="      ",
        subsequent_indent="      ",
        break_on_hyphens=False,
        break_long_words=False,
    )


def _finding(f: Finding, width: int) -> list[str]:
    lines = _heading(f, width)
    wrap = _wrapper(width)
    lines += _where(f, width)
    lines += wrap.wrap(f.message)
    if f.path:
        lines += wrap.wrap("path: " + " -> ".join(f.path))
    lines += wrap.wrap("fix: " + f.remediation)
    if f.accepted is not None:
        lines += wrap.wrap(f"accepted by {f.accepted.by}: {f.accepted.reason}")
    return lines


def render_text(report: Report, *, title: str | None = None, width: int = WIDTH) -> str:
    """The report as text: findings grouped by family, then a one-line summary.

    Each finding shows its code, severity (``warning (accepted)`` for an accepted one),
    subject, where it is (``at agreement.yaml:87: $.flows[3]``: :attr:`~dpup.Finding.location`,
    with the file and line once :meth:`~dpup.Report.located` has found them), message, the
    path its information took (where the check follows flows) and how to fix it. Lines are
    wrapped to ``width`` at spaces only, so no id is ever split, and a file name not at all.

    Parameters
    ----------
    report : Report
    title : str, optional
        A first line, such as the file checked.
    width : int
        The width to wrap lines to (an id longer than that is not broken).

    Examples
    --------
    >>> import dpup
    >>> text = render_text(dpup.check(dpup.examples.load("best-foot-forward")), width=60)
    >>> print(text.splitlines()[1])
      ME008  info     programme-findings
    >>> print(text.splitlines()[-1])
    1 finding: 0 errors, 0 warnings, 1 info, 0 accepted
    """
    out: list[str] = []
    if title:
        out += [title, ""]
    for family, findings in report.by_family().items():
        first = findings[0]
        out.append(f"{_TITLES[family]} ({first.guideline}; {', '.join(first.principles)})")
        for f in findings:
            out += _finding(f, width)
        out.append("")
    out.append(summary(report))
    return "\n".join(out) + "\n"


def render_comparison(comparison: "Comparison", *, title: str | None = None, width: int = WIDTH) -> str:
    """A comparison of two drafts as text: the new findings in full (as :func:`render_text`
    shows a finding), then the fixed ones with where they were and what they said, then the
    remaining ones a line each, then :meth:`~dpup.Comparison.summary`.

    Examples
    --------
    >>> import dpup
    >>> before = dpup.check(dpup.examples.load("best-foot-forward-before"))
    >>> after = dpup.check(dpup.examples.load("best-foot-forward"))
    >>> text = render_comparison(dpup.compare(before, after))
    >>> print(text.splitlines()[0])
    New (1)
    >>> print(text.splitlines()[-1])
    42 fixed, 1 new, 0 still open
    """
    out: list[str] = []
    if title:
        out += [title, ""]
    sections = (
        ("New", comparison.new, _finding),
        ("Fixed", comparison.fixed, _fixed),
        ("Still open", comparison.remaining, _heading),
    )
    for name, report, show in sections:
        out.append(f"{name} ({len(report)})")
        for f in report:
            out += show(f, width)
        out.append("")
    out.append(comparison.summary())
    return "\n".join(out) + "\n"


def _heading(f: Finding, width: int) -> list[str]:
    state = f.severity.value if f.accepted is None else f"{f.severity.value} (accepted)"
    return [f"  {f.code}  {state:<8} {f.subject}"]


def _fixed(f: Finding, width: int) -> list[str]:
    return _heading(f, width) + _where(f, width) + _wrapper(width).wrap(f.message)
