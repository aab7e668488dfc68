"""The check catalogue as Markdown, generated from the registry for the documentation, and
as text for a terminal (``dpup checks``)."""

import re
import textwrap
from collections.abc import Iterable

from dpup.checks import Check, catalogue
from dpup.render.text import _TITLES, WIDTH
from dpup.report import Family

__all__ = ["render_catalogue", "render_catalogue_text"]


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


def _by_family(checks: Iterable[Check]) -> dict[Family, list[Check]]:
    """The checks grouped by family, in the families' order, each in the order given."""
    groups: dict[Family, list[Check]] = {family: [] for family in Family}
    for c in checks:
        groups[c.family].append(c)
    return {family: members for family, members in groups.items() if members}


def _wrap(text: str, width: int, indent: str, first: str = "", hang: str = "") -> list[str]:
    # as render_text wraps: at spaces only, so an id or a field name is never split
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent + first,
        subsequent_indent=indent + hang,
        break_on_hyphens=False,
        break_long_words=False,
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _first_sentence(text: str) -> str:
    """What a check finds, to its first full stop: the list says the gist, ``dpup checks CODE``
    the rest."""
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _entry(c: Check, width: int) -> list[str]:
    """One check in full, as ``dpup checks PM004`` prints it."""
    indent = "      "
    law = "none applies directly: this is DPUP's good practice"
    if c.law is not None:
        law = f"{c.law.ipp} ({c.law.level}): {c.law.note}"
    lines = [f"  {c.code}  {c.severity.value:<8} {c.name}"]
    lines += _wrap(f"{c.guideline} Guideline; {', '.join(c.principles)}", width, indent)
    lines += _wrap(law, width, indent, "Privacy Act 2020: ")
    lines += ["", *_wrap(c.finds, width, indent, "What it finds: ")]
    lines += ["", f"{indent}What it rests on:"]
    for n, seed in enumerate(c.seeds):
        lines += [""] if n else []
        lines += _wrap(f"\u201c{seed.quote}\u201d", width, indent + "  ")
        lines += _wrap(
            f"{seed.title} (seed {seed.doc}), {seed.section}", width, indent + "    ", "\u2014 ", "  "
        )
    lines += ["", *_wrap(c.remediation, width, indent, "How to fix it: ")]
    return lines


def render_catalogue_text(
    checks: Iterable[Check] | None = None, *, full: bool = True, width: int = WIDTH
) -> str:
    """The checks as text for a terminal, grouped by family as a report is.

    Parameters
    ----------
    checks : iterable of Check, optional
        The checks to show (default: the whole catalogue), in the order given within each
        family.
    full : bool
        Each check in full: the Guideline and Principles it serves, the Privacy Act 2020
        principle behind it, what it finds, the DPUP text it rests on and how to fix it (what
        ``dpup checks PM004`` prints). Otherwise a line of each check's code, severity and
        name, and the first sentence of what it finds (what ``dpup checks`` prints).
    width : int
        The width to wrap lines to, at spaces only.

    Examples
    --------
    >>> import dpup
    >>> print(render_catalogue_text([dpup.catalogue()[3]], width=72), end="")
    Purpose mismatches (Purpose Matters; He Tāngata, Kaitiakitanga)
      PM004  error    identity-not-needed
          Purpose Matters Guideline; He Tāngata, Kaitiakitanga
          Privacy Act 2020: IPP 1 (legal minimum): If the purpose does not
          require identifying information, the agency must not require it.
    <BLANKLINE>
          What it finds: Identifying information flowing for a purpose that
          does not need to identify people.
    <BLANKLINE>
          What it rests on:
            “If identifying information is not needed, it should not be
            collected. 'Just in case' is not an okay reason to collect data
            or information.”
              — DPUP summary for developing policies, services or programmes
                (seed 001), Be clear about the purpose
    <BLANKLINE>
          How to fix it: Send de-identified or aggregate information instead
          (for example counts rather than records), or, if the purpose truly
          needs identity, say so with `needs_identity: true` and the
          authority for it.
    <BLANKLINE>
    1 check
    """
    chosen = catalogue() if checks is None else tuple(checks)
    out: list[str] = []
    for family, members in _by_family(chosen).items():
        first = members[0]
        out.append(f"{_TITLES[family]} ({first.guideline}; {', '.join(first.principles)})")
        for c in members:
            if full:
                out += [*_entry(c, width), ""]
            else:
                out.append(f"  {c.code}  {c.severity.value:<8} {c.name}")
                out += _wrap(_first_sentence(c.finds), width, "      ")
        if not full:
            out.append("")
    out.append(f"{len(chosen)} check{'' if len(chosen) == 1 else 's'}")
    return "\n".join(out) + "\n"
