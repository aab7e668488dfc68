"""Plain-text reports for a terminal, grouped by family."""

import textwrap

from dpup.report import Family, Finding, Report

__all__ = ["render_text", "summary"]

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


def _finding(f: Finding, width: int) -> list[str]:
    state = "accepted" if f.accepted is not None else f.severity.value
    lines = [f"  {f.code}  {state:<8} {f.subject}"]
    wrap = textwrap.TextWrapper(width=width, initial_indent="      ", subsequent_indent="      ")
    lines += wrap.wrap(f.message)
    if f.path:
        lines += wrap.wrap("path: " + " -> ".join(f.path))
    lines += wrap.wrap("fix: " + f.remediation)
    if f.accepted is not None:
        lines += wrap.wrap(f"accepted by {f.accepted.by}: {f.accepted.reason}")
    return lines


def render_text(report: Report, *, title: str | None = None, width: int = 100) -> str:
    """The report as text: findings grouped by family, then a one-line summary.

    Each finding shows its code, severity, subject, message, the path its information took
    (where the check follows flows) and how to fix it.
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
