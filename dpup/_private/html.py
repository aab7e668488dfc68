"""The HTML tables Jupyter shows for reports, agreements and diffs (internal)."""

from collections.abc import Iterable, Sequence

__all__ = ["table"]


def table(head: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str | None = None) -> str:
    """An HTML table: ``head`` the column headings (plain words), each row's cells already
    escaped HTML, ``caption`` (escaped HTML too) above it if given."""
    cells = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    headings = "".join(f"<th>{h}</th>" for h in head)
    top = f"<caption>{caption}</caption>" if caption is not None else ""
    return f"<table>{top}<thead><tr>{headings}</tr></thead><tbody>{cells}</tbody></table>"
