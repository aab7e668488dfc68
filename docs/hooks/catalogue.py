"""MkDocs hook: the check catalogue page is generated from dpup's check registry.

A page line ``<!-- catalogue -->`` is replaced by :func:`dpup.render.catalogue.render_catalogue`,
so every registered check has its entry (code, family, severity, what it finds, the
Principle and Guideline, the seed text it rests on, how to fix it, and the Privacy Act 2020
principle where one applies) and the page cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

MARKER = "<!-- catalogue -->"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER not in markdown:
        return markdown
    from dpup.render.catalogue import render_catalogue

    return markdown.replace(MARKER, render_catalogue())
