"""What changed between two drafts (:func:`dpup.diff`), as text for a terminal and Markdown
for the pull request that revises a draft.

Each section of the agreement that changed gets a heading; under it, a line per declaration
(``~`` changed, ``+`` added, ``-`` removed, with its id and its JSON path) and a line per
field, its values written as JSON (text in quotes, lists in brackets), so that a blank, a
number written as text and a missing value read differently.
"""

import json
from collections.abc import Sequence
from typing import Any

from dpup.diff import Change, FieldChange
from dpup.render.markdown import _escape

__all__ = ["changes_summary", "render_changes_markdown", "render_changes_text"]

_MARK = {"changed": "~", "added": "+", "removed": "-"}
_NOT_SET = "(not set)"


def _value(value: Any) -> str:
    if value is None:
        return _NOT_SET
    return json.dumps(value, ensure_ascii=False, default=str)


def changes_summary(changes: Sequence[Change]) -> str:
    """``"3 changed, 2 added, 1 removed"``, or ``"no changes"``.

    Examples
    --------
    >>> import dpup
    >>> changes_summary(dpup.diff(dpup.examples.load("best-foot-forward-before"), dpup.examples.load("best-foot-forward")))
    '7 changed, 9 added, 10 removed'
    """
    counts = {kind: sum(c.kind == kind for c in changes) for kind in _MARK}
    parts = [f"{n} {kind}" for kind, n in counts.items() if n]
    return ", ".join(parts) if parts else "no changes"


def _field(f: FieldChange, kind: str) -> str:
    if kind == "added":
        return f"{f.key}: {_value(f.after)}"
    if kind == "removed":
        return f"{f.key}: {_value(f.before)}"
    return f"{f.key}: {_value(f.before)} -> {_value(f.after)}"


def render_changes_text(changes: Sequence[Change], *, title: str | None = None) -> str:
    """The changes as text: a summary line, then each section's changes, one line a field."""
    out = [f"{title}: {changes_summary(changes)}" if title else changes_summary(changes)]
    section = None
    for c in changes:
        if c.section != section:
            section = c.section
            out += ["", section]
        later = "" if c.kind != "removed" else " in the earlier draft"
        out.append(f"  {_MARK[c.kind]} {c.id}  ({c.where}{later})")
        out += [f"      {_field(f, c.kind)}" for f in c.fields]
    return "\n".join(out) + "\n"


def render_changes_markdown(changes: Sequence[Change], *, title: str | None = None) -> str:
    """The changes as Markdown: a heading, the summary, then a list per section, everything
    taken from the drafts escaped."""
    out = [f"## dpup diff: {_escape(title)}" if title else "## dpup diff", "", changes_summary(changes)]
    section = None
    for c in changes:
        if c.section != section:
            section = c.section
            out += ["", f"### {section}", ""]
        out.append(f"- **{c.kind}** {_escape(c.id)} ({_escape(c.where)})")
        out += [f"  - {_escape(_field(f, c.kind))}" for f in c.fields]
    return "\n".join(out) + "\n"
