"""MkDocs hook: put a module's docstring into a page, so the page cannot drift from the code.

A page line of the form ``<!-- docstring: dpup/graph.py -->`` is replaced by that module's
docstring, read with :mod:`ast` (nothing is imported) and turned into Markdown. Where the
marker is followed by a copy of that Markdown and a line ``<!-- end docstring -->``, so that
the page reads whole where it is not built (on a code host, in an editor), the copy is
replaced too; ``python docs/hooks/docstrings.py PAGE...`` refreshes the copies, and the tests
fail when a copy differs from what the docstring gives. The conversion:

- a numpydoc section heading (a title underlined with ``-``) becomes a ``###`` heading;
- an RST simple table (``====  ====`` borders) becomes a Markdown table;
- a run of ``>>>`` lines with their output becomes a ``pycon`` code block;
- ``literal``, :role:`target` and :role:`~dotted.target` become inline code.

Anything it cannot read fails the build with a message naming the file and line, rather
than putting something half-converted on the site.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

MARKER = re.compile(
    r"^<!--\s*docstring:\s*(?P<path>\S+)\s*-->[ \t]*"
    r"(?:\n(?P<copy>(?:(?!<!--\s*(?:end\s+)?docstring).*\n)*?)<!--\s*end docstring\s*-->[ \t]*)?$",
    re.MULTILINE,
)
_BORDER = re.compile(r"^=+(\s+=+)+\s*$")
_ROLE = re.compile(r":[a-z]+:`~?(?P<target>[^`]+)`")
_LITERAL = re.compile(r"``(?P<text>[^`]+)``")
_UNDERLINE = re.compile(r"^-{3,}\s*$")

ROOT = Path(__file__).resolve().parents[2]


class DocstringError(Exception):
    """A docstring that this hook cannot turn into Markdown."""


def module_docstring(path: Path) -> str:
    """The docstring of the module at ``path``, read without importing it."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=True)
    if not doc:
        raise DocstringError(f"{path}: has no module docstring")
    return doc


def inline(text: str) -> str:
    """RST inline markup to Markdown: roles and double-backquoted literals to code."""

    def role(m: re.Match[str]) -> str:
        target = m.group("target")
        # :class:`~dpup.ServiceUser` shows as ServiceUser, :mod:`dpup.graph` in full.
        shown = target.rsplit(".", 1)[-1] if m.group(0).count("~") else target
        return f"`{shown}`"

    return _LITERAL.sub(lambda m: f"`{m.group('text')}`", _ROLE.sub(role, text))


def _table(lines: list[str], where: str) -> list[str]:
    """An RST simple table (border, header, border, rows, border) as a Markdown table."""
    borders = [i for i, line in enumerate(lines) if _BORDER.match(line)]
    if len(borders) != 3 or borders[0] != 0 or borders[2] != len(lines) - 1:
        raise DocstringError(f"{where}: a table needs a border, a header, a border, rows and a border")
    header = lines[1 : borders[1]]
    if len(header) != 1:
        raise DocstringError(f"{where}: a table header must be one line")
    rows: list[list[str]] = []
    for offset, line in enumerate(lines[borders[1] + 1 : borders[2]], start=borders[1] + 1):
        if not line.strip():
            continue
        if line[0].isspace():
            if not rows:
                raise DocstringError(f"{where}, table line {offset + 1}: continues a row that is not there")
            rows[-1][1] += " " + line.strip()
            continue
        cells = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        if len(cells) != 2:
            raise DocstringError(
                f"{where}, table line {offset + 1}: expected two columns separated by two spaces, "
                f"found {line.strip()!r}"
            )
        rows.append(cells)
    head = re.split(r"\s{2,}", header[0].strip(), maxsplit=1)
    if len(head) != 2:
        raise DocstringError(f"{where}: a table header needs two columns, found {header[0].strip()!r}")

    def cell(text: str) -> str:
        return inline(text).replace("|", "\\|")

    out = [f"| {cell(head[0])} | {cell(head[1])} |", "| --- | --- |"]
    out += [f"| {cell(a)} | {cell(b)} |" for a, b in rows]
    return out


def to_markdown(doc: str, where: str, level: int = 3) -> str:
    """A numpydoc-style module docstring as Markdown (see the module docstring)."""
    lines = doc.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and _UNDERLINE.match(nxt):
            out += ["#" * level + " " + inline(line.strip()), ""]
            i += 2
        elif _BORDER.match(line):
            end = i + 1
            seen = 1
            while end < len(lines) and seen < 3:
                if _BORDER.match(lines[end]):
                    seen += 1
                end += 1
            if seen < 3:
                raise DocstringError(f"{where}: a table starting at docstring line {i + 1} never ends")
            out += ["", *_table(lines[i:end], f"{where}, docstring line {i + 1}"), ""]
            i = end
        elif line.startswith(">>>"):
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += ["```pycon", *block, "```"]
        else:
            out.append(inline(line))
            i += 1
    return "\n".join(out).strip() + "\n"


def _rendered(m: re.Match[str], root: Path) -> str:
    path = root / m.group("path")
    if not path.is_file():
        raise DocstringError(f"docstring marker names {m.group('path')!r}, which is not a file")
    return to_markdown(module_docstring(path), m.group("path"))


def render(markdown: str, root: Path = ROOT) -> str:
    """Replace every docstring marker in a page's Markdown (and the copy after it, if any)."""
    return MARKER.sub(lambda m: _rendered(m, root), markdown)


def copies(markdown: str, root: Path = ROOT) -> list[tuple[str, str, str]]:
    """Each copy on a page: ``(module path, the copy, what the docstring gives now)``."""
    return [
        (m.group("path"), m.group("copy"), _rendered(m, root))
        for m in MARKER.finditer(markdown)
        if m.group("copy") is not None
    ]


def refresh(markdown: str, root: Path = ROOT) -> str:
    """The page with every copy made again from its docstring (markers kept)."""

    def replace(m: re.Match[str]) -> str:
        if m.group("copy") is None:
            return m.group(0)
        return f"<!-- docstring: {m.group('path')} -->\n{_rendered(m, root)}<!-- end docstring -->"

    return MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """MkDocs event: expand docstring markers before the page is rendered."""
    from mkdocs.exceptions import PluginError

    try:
        return render(markdown)
    except DocstringError as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from None


if __name__ == "__main__":
    import sys

    for page in map(Path, sys.argv[1:]):
        page.write_text(refresh(page.read_text(encoding="utf-8")), encoding="utf-8")
