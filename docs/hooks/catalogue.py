"""MkDocs hook: the check catalogue page is generated from dpup's check registry.

The part of a page between ``<!-- catalogue -->`` and ``<!-- /catalogue -->`` is
:func:`dpup.render.catalogue.render_catalogue`, so every registered check has its entry
(code, family, severity, what it finds, the Principle and Guideline, the seed text it rests
on, how to fix it, and the Privacy Act 2020 principle where one applies) and the page cannot
drift from the code. The build always writes it afresh; the copy committed in the page is
for reading the source (on GitHub, say), and a test fails when it is stale. Refresh it with::

    python docs/hooks/catalogue.py docs/checks.md
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MARKER = "<!-- catalogue -->"
END = "<!-- /catalogue -->"


def refresh(markdown: str) -> str:
    """The page with the part between the markers made anew from the registry."""
    if MARKER not in markdown:
        return markdown
    from dpup.render.catalogue import render_catalogue

    head, rest = markdown.split(MARKER, 1)
    tail = rest.split(END, 1)[1] if END in rest else rest
    return f"{head}{MARKER}\n\n{render_catalogue().rstrip()}\n\n{END}{tail}"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    return refresh(markdown)


if __name__ == "__main__":
    import sys

    for path in map(Path, sys.argv[1:]):
        path.write_text(refresh(path.read_text(encoding="utf-8")), encoding="utf-8")
