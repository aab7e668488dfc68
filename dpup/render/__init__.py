"""Outputs: turning a :class:`~dpup.Report` into text for people, JSON for tools, SARIF for
code-review systems, and annotations, Code Quality reports and JUnit XML for CI jobs."""

from dpup.render.ci import to_github, to_gitlab, to_junit
from dpup.render.sarif import render_sarif, to_sarif
from dpup.render.text import render_text
from dpup.report import Report

__all__ = ["render_json", "render_sarif", "render_text", "to_github", "to_gitlab", "to_junit", "to_sarif"]


def render_json(report: Report, *, indent: int | None = 2, ascii: bool = False) -> str:
    """The report as JSON: an object whose ``findings`` list holds one object per finding;
    with ``ascii``, characters past ASCII are written as JSON escapes."""
    return report.to_json(indent=indent, ascii=ascii)
