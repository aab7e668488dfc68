"""MkDocs hook: the API reference is generated from dpup's own docstrings, so it cannot drift.

A page line ``<!-- api: load loads dump -->`` is replaced by an entry for each name, looked up
on ``dpup`` (a dotted name such as ``checks.Check`` is looked up below it). Each entry has
the name as a heading and then, by kind:

- a function: its signature and its docstring;
- a class: its docstring; for an attrs class, a table of its fields (type, default, and the
  description its docstring's ``Parameters`` section gives); for an enum, its members; then
  every public method, property and class attribute it defines, each with its docstring;
- a module: its docstring, then an entry for each name in its ``__all__``;
- anything else (a constant): its value and the docstring written under its assignment in
  the module that defines it (read with :mod:`ast`).

Docstrings are numpydoc: sections become headings, ``Parameters``, ``Returns``, ``Raises``,
``Attributes`` and ``Yields`` become definition lists, and examples become ``pycon`` blocks
(:func:`docstrings.to_markdown` does the rest). Anything it cannot read fails the build with
a message naming the page and the name.
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import itertools
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docstrings import DocstringError, inline, to_markdown

MARKER = re.compile(r"^<!--\s*api:\s*(?P<names>[^>]*?)\s*-->\s*$", re.MULTILINE)
ROOT = Path(__file__).resolve().parents[2]

_DEFINITION_SECTIONS = {"Parameters", "Other Parameters", "Returns", "Yields", "Raises", "Attributes"}
_DPUP_NAME = re.compile(r"\b(?:dpup|networkx|nx)\.(?:\w+\.)*(?P<name>\w+)")


# -- names ------------------------------------------------------------------------------------


def names_on(markdown: str) -> list[str]:
    """Every name the page's markers ask for, in order."""
    return [name for m in MARKER.finditer(markdown) for name in m.group("names").split()]


def lookup(name: str) -> Any:
    """The object ``dpup.<name>`` (``checks.Check`` is ``dpup.checks.Check``)."""
    obj: Any = importlib.import_module("dpup")
    for part in name.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise DocstringError(f"the API page names {name!r}, which dpup does not have") from None
    return obj


# -- types and signatures --------------------------------------------------------------------


def type_name(t: Any) -> str:
    """A type as people read it: ``str | None``, ``tuple[Team, ...]``, ``datetime.date``."""
    if isinstance(t, str):
        return t
    if t is type(None) or t is None:
        return "None"
    if t is Ellipsis:
        return "..."
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin is not None:
        return f"{type_name(origin)}[{', '.join(type_name(a) for a in args)}]"
    if isinstance(t, type):
        if t.__module__ in ("builtins", "collections.abc", "typing") or t.__module__.startswith("dpup"):
            return t.__qualname__
        return f"{t.__module__.removeprefix('pathlib.').split('.')[0]}.{t.__qualname__}"
    return _DPUP_NAME.sub(lambda m: m.group("name"), repr(t).replace("typing.", ""))


def _default(value: Any) -> str:
    if value is attrs.NOTHING:
        return "required"
    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        factory = value.factory
        return "()" if factory is tuple else f"{factory.__name__}()"
    return repr(value)


def signature(name: str, func: Any, *, method: bool = False) -> str:
    """``name(a: int, *, b: str = 'x') -> bool``, without ``self`` or ``cls`` for a method."""
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if method and params:
        params = params[1:]
    out: list[str] = []
    keyword_marked = False
    for p in params:
        if p.kind is p.KEYWORD_ONLY and not keyword_marked:
            out.append("*")
            keyword_marked = True
        text = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        if p.kind is p.VAR_POSITIONAL:
            keyword_marked = True
        if p.annotation is not p.empty:
            text += f": {type_name(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {p.default!r}" if p.annotation is not p.empty else f"={p.default!r}"
        out.append(text)
    result = "" if sig.return_annotation is sig.empty else f" -> {type_name(sig.return_annotation)}"
    return f"{name}({', '.join(out)}){result}"


# -- docstrings ------------------------------------------------------------------------------


def _sections(doc: str) -> list[tuple[str | None, list[str]]]:
    """A numpydoc docstring as ``(section title or None for the summary, lines)``."""
    lines = doc.splitlines()
    out: list[tuple[str | None, list[str]]] = [(None, [])]
    i = 0
    while i < len(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if lines[i].strip() and re.fullmatch(r"-{3,}\s*", nxt):
            out.append((lines[i].strip(), []))
            i += 2
            continue
        out[-1][1].append(lines[i])
        i += 1
    return out


def definitions(lines: list[str]) -> list[tuple[str, str]]:
    """The entries of a ``Parameters``-style section: ``(term line, description)``."""
    entries: list[tuple[str, list[str]]] = []
    for line in lines:
        if not line.strip():
            continue
        if not line[0].isspace():
            entries.append((line.strip(), []))
        elif entries:
            entries[-1][1].append(line.strip())
        else:
            raise DocstringError(f"a description with no term before it: {line.strip()!r}")
    return [(term, " ".join(desc)) for term, desc in entries]


def _term(term: str) -> str:
    if " : " in term:
        names, kind = term.split(" : ", 1)
        shown = ", ".join(f"`{n.strip()}`" for n in names.split(","))
        return f"{shown} ({inline(kind)})"
    if re.fullmatch(r"[\w.*]+", term):
        return f"`{term}`"
    return inline(term)


def docstring_markdown(
    doc: str,
    where: str,
    *,
    level: int = 4,
    skip: frozenset[str] = frozenset(),
    after_summary: tuple[str, ...] = (),
) -> str:
    """A numpydoc docstring as Markdown, its sections as headings at ``level``; the lines
    ``after_summary`` go after its first part (the text before the first section)."""
    out: list[str] = []
    for title, lines in _sections(doc):
        if title is not None and after_summary:
            out += [*after_summary, ""]
            after_summary = ()
        if title in skip:
            continue
        if title in _DEFINITION_SECTIONS:
            out += ["#" * level + f" {title}", ""]
            for term, description in definitions(lines):
                out += [_term(term), f":   {inline(description)}", ""] if description else [_term(term), ""]
            continue
        body = "\n".join(lines).strip("\n")
        if title is not None:
            body = f"{title}\n{'-' * len(title)}\n{body}"
        if body.strip():
            out.append(to_markdown(body, where, level=level))
    out += after_summary
    return "\n".join(out).strip() + "\n"


def _parameters(doc: str) -> dict[str, tuple[str, str]]:
    """The ``Parameters`` section as ``{name: (type, description)}``."""
    out: dict[str, tuple[str, str]] = {}
    for title, lines in _sections(doc):
        if title != "Parameters":
            continue
        for term, description in definitions(lines):
            names, _, kind = term.partition(" : ")
            for n in names.split(","):
                out[n.strip().lstrip("*")] = (kind.strip(), description)
    return out


def attribute_docstring(name: str) -> str | None:
    """The docstring under the assignment that defines ``dpup.<name>``, read from the source."""
    init = ROOT / "dpup" / "__init__.py"
    source = init
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and any(a.name == name for a in node.names):
            source = ROOT / Path(*node.module.split(".")).with_suffix(".py")
    body = ast.parse(source.read_text(encoding="utf-8")).body
    for node, after in itertools.pairwise(body):
        targets = (
            [node.target]
            if isinstance(node, ast.AnnAssign)
            else node.targets
            if isinstance(node, ast.Assign)
            else []
        )
        named = any(isinstance(t, ast.Name) and t.id == name for t in targets)
        if named and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            value = after.value.value
            return inspect.cleandoc(value) if isinstance(value, str) else None
    return None


# -- entries ---------------------------------------------------------------------------------


def _doc(obj: Any, where: str) -> str:
    doc = inspect.getdoc(obj)
    if not doc:
        raise DocstringError(f"{where} has no docstring")
    return doc


def _fields_table(cls: type, doc: str) -> list[str]:
    """A row per field: name, type, default and, where the docstring describes any field,
    what it holds."""
    described = _parameters(doc)
    fields = [a for a in attrs.fields(cls) if a.init]
    rows = [["field", "type", "default"], ["---", "---", "---"]]
    rows += [[f"`{a.name}`", f"`{type_name(a.type)}`", f"`{_default(a.default)}`"] for a in fields]
    if any(a.name in described for a in fields):
        rows[0].append("what it holds")
        rows[1].append("---")
        for row, a in zip(rows[2:], fields, strict=True):
            row.append(inline(described.get(a.name, ("", ""))[1]))
    return ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]


def _members(cls: type, qualified: str, level: int) -> list[str]:
    out: list[str] = []
    own_fields = {a.name for a in attrs.fields(cls)} if attrs.has(cls) else set()
    seen: set[str] = set()
    for klass in cls.__mro__:
        if klass is object or not klass.__module__.startswith("dpup"):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in seen or name in own_fields:
                continue
            if isinstance(cls, enum.EnumMeta) and name in cls.__members__:
                continue
            seen.add(name)
            where = f"{qualified}.{name}"
            heading = "#" * level
            if isinstance(value, property):
                returns = inspect.signature(value.fget).return_annotation if value.fget else None
                kind = "" if returns in (None, inspect.Signature.empty) else f" ({type_name(returns)})"
                out += [f"{heading} `{where}`{kind}", "", "Property.", ""]
                out.append(docstring_markdown(_doc(value, where), where, level=level + 1))
            elif isinstance(value, classmethod | staticmethod):
                func = value.__func__
                shown = signature(where, func, method=isinstance(value, classmethod))
                out += [f"{heading} `{where}()`", "", "```python", shown, "```", ""]
                out.append(docstring_markdown(_doc(func, where), where, level=level + 1))
            elif inspect.isfunction(value):
                out += [
                    f"{heading} `{where}()`",
                    "",
                    "```python",
                    signature(where, value, method=True),
                    "```",
                    "",
                ]
                out.append(docstring_markdown(_doc(value, where), where, level=level + 1))
            elif not callable(value):
                out += [f"{heading} `{where}`", "", f"Class attribute: `{value!r}`.", ""]
    return out


def entry(name: str, *, level: int = 3) -> str:
    """The Markdown entry for ``dpup.<name>``."""
    obj = lookup(name)
    qualified = f"dpup.{name}"
    heading = "#" * level
    out: list[str]
    if inspect.ismodule(obj):
        out = [
            f"{heading} `{qualified}`",
            "",
            docstring_markdown(_doc(obj, qualified), qualified, level=level + 1),
        ]
        for member in obj.__all__:
            out.append(entry(f"{name}.{member}", level=level + 1))
    elif inspect.isclass(obj):
        doc = _doc(obj, qualified)
        bases = [b.__name__ for b in obj.__bases__ if b is not object and not b.__name__.startswith("_")]
        out = [f"{heading} `{qualified}`", ""]
        if bases:
            out += [f"A subclass of `{'`, `'.join(bases)}`.", ""]
        if attrs.has(obj):
            table = _fields_table(obj, doc)
            if "__iter__" in vars(obj) and "__len__" in vars(obj):
                first = attrs.fields(obj)[0].name
                table += [
                    "",
                    f"Iterating a `{obj.__name__}` gives its `{first}` in order; `len()` counts them.",
                ]
            out += [
                docstring_markdown(
                    doc,
                    qualified,
                    level=level + 1,
                    skip=frozenset({"Parameters"}),
                    after_summary=("", *table),
                )
            ]
        else:
            out += [docstring_markdown(doc, qualified, level=level + 1)]
        if isinstance(obj, enum.EnumMeta):
            out += ["| member | value |", "| --- | --- |"]
            out += [f"| `{m.name}` | `{m.value!r}` |" for m in obj]  # type: ignore[var-annotated]
            out.append("")
        out += _members(obj, qualified, level + 1)
    elif callable(obj):
        out = [f"{heading} `{qualified}()`", "", "```python", signature(qualified, obj), "```", ""]
        out.append(docstring_markdown(_doc(obj, qualified), qualified, level=level + 1))
    else:
        doc = attribute_docstring(name.rsplit(".", 1)[-1])
        if not doc:
            raise DocstringError(f"{qualified} has no docstring under its assignment")
        value = type_name(obj) if isinstance(obj, types.UnionType) else repr(obj)
        out = [f"{heading} `{qualified}`", "", "```python", f"{qualified} = {value}", "```", ""]
        out.append(docstring_markdown(doc, qualified, level=level + 1))
    return "\n".join(out).rstrip() + "\n\n"


def render(markdown: str) -> str:
    """Replace every API marker on a page with the entries it names."""
    return MARKER.sub(lambda m: "".join(entry(n) for n in m.group("names").split()).rstrip() + "\n", markdown)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """MkDocs event: expand API markers before the page is rendered."""
    from mkdocs.exceptions import PluginError

    try:
        return render(markdown)
    except DocstringError as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from None
