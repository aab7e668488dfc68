"""Outputs: turning a :class:`~dpup.Report` into text for people, a web page to send round,
JSON for tools, SARIF for code-review systems, and annotations, Code Quality reports and JUnit
XML for CI jobs."""

from typing import TYPE_CHECKING, Any

from dpup.render.ci import to_github, to_gitlab, to_junit
from dpup.render.sarif import render_sarif, to_sarif
from dpup.render.text import render_text
from dpup.report import Report

if TYPE_CHECKING:
    from dpup.render.html import render_comparison_html, render_html

__all__ = [
    "render_comparison_html",
    "render_html",
    "render_json",
    "render_sarif",
    "render_text",
    "to_github",
    "to_gitlab",
    "to_junit",
    "to_sarif",
]


def render_json(report: Report, *, indent: int | None = 2, ascii: bool = False) -> str:
    """The report as JSON: an object whose ``findings`` list holds one object per finding;
    with ``ascii``, characters past ASCII are written as JSON escapes."""
    return report.to_json(indent=indent, ascii=ascii)


def __getattr__(name: str) -> Any:
    # the HTML pages are imported when first asked for: importing dpup imports this package,
    # and need not load them with it
    if name in ("render_html", "render_comparison_html"):
        from dpup.render import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
