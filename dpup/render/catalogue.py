"""The check catalogue as Markdown, generated from the registry for the documentation."""

from collections.abc import Iterable

from dpup.checks import Check, catalogue
from dpup.render.text import _TITLES
from dpup.report import Family

__all__ = ["render_catalogue"]


def _check(c: Check) -> list[str]:
    if c.law is None:
        law = "none applies directly: this is DPUP's good practice"
    else:
        law = f"{c.law.ipp}, **{c.law.level}**: {c.law.note}"
    lines = [
        f"### {c.code}: {c.name}",
        "",
        "| | |",
        "| --- | --- |",
        f"| Family | `{c.family.value}` |",
        f"| Severity | `{c.severity.value}` |",
        f"| Guideline | {c.guideline} |",
        f"| Principles | {', '.join(c.principles)} |",
        f"| Privacy Act 2020 | {law} |",
        "",
        f"**What it finds.** {c.finds}",
        "",
        "**What it rests on.**",
        "",
    ]
    for seed in c.seeds:
        lines += [f"> {seed.quote}", ">", f"> — *{seed.title}* (seed {seed.doc}), {seed.section}", ""]
    lines += [f"**How to fix it.** {c.remediation}", ""]
    return lines


def render_catalogue(checks: Iterable[Check] | None = None) -> str:
    """Markdown for every check, grouped by family, in code order.

    Examples
    --------
    >>> text = render_catalogue()
    >>> "### PM003: team-not-set-up-for-purpose" in text
    True
    """
    checks = catalogue() if checks is None else tuple(checks)
    out: list[str] = []
    for family in Family:
        members = [c for c in checks if c.family == family]
        if not members:
            continue
        out += [f"## {_TITLES[family]}", ""]
        for c in members:
            out += _check(c)
    return "\n".join(out)
