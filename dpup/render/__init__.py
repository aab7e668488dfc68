"""Outputs: turning a :class:`~dpup.Report` into text for people and JSON for tools."""

from dpup.render.text import render_text
from dpup.report import Report

__all__ = ["render_json", "render_text"]


def render_json(report: Report, *, indent: int | None = 2, ascii: bool = False) -> str:
    """The report as JSON: an object whose ``findings`` list holds one object per finding;
    with ``ascii``, characters past ASCII are written as JSON escapes."""
    return report.to_json(indent=indent, ascii=ascii)
