"""Where things are in a YAML or JSON file: line numbers, keys given twice, keys that are not
text (internal).

Used only when a file has a problem, so the happy path never pays for it, and to place
findings in their files (:func:`lines_of`, for :meth:`dpup.Report.located`). A YAML text is
composed with PyYAML (its C composer where installed) into nodes that carry their marks; it
has already been loaded, so it is known not to nest too deeply for that (see
:mod:`dpup._private.nesting`). A JSON text is read by :func:`compose_json`, a small scanner
that builds the same kind of nodes with JSON's own idea of a line (PyYAML reads some valid
JSON differently: ``\\ud83d\\ude00`` escapes, raw U+2028 in a string, keys of over 1024
characters). A field path such as ``("flows", 2, "purpose")`` is then followed through the
nodes. Should composing fail, lines are unknown and problems are reported without them.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from dpup.errors import Path

__all__ = [
    "Locator",
    "Node",
    "compose",
    "compose_json",
    "duplicate_keys",
    "json_deepest",
    "line_of",
    "lines_of",
    "loose_anchors",
    "odd_keys",
]

Node = yaml.Node

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_JSON_VALUE = "tag:dpup,2026:json-value"  # a JSON number, true, false or null


def compose(text: str, format: str) -> yaml.Node | None:
    """The node tree of a YAML or JSON text, or ``None`` if it cannot be composed."""
    if format == "json":
        return compose_json(text)
    try:
        return yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return None


# -- JSON ------------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(
    r"""
    (?P<string>"[^"\\]*(?:\\.[^"\\]*)*")
    | (?P<open>[\[{])
    | (?P<close>[\]}])
    | (?P<value>[^\s\[\]{},:"]+)
    | [\s,:]+
    """,
    re.VERBOSE | re.DOTALL,
)


def _json_tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """Each string, bracket and other value of a JSON text: ``(kind, text, line)``, where a
    line ends at ``\\n``, ``\\r\\n`` or ``\\r`` (the only line breaks JSON has outside strings,
    which cannot hold them raw)."""
    crlf = "\r" in text
    line, last = 1, 0
    for m in _JSON_TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None:
            continue
        start = m.start()
        line += text.count("\n", last, start)
        if crlf:
            line += text.count("\r", last, start) - text.count("\r\n", last, start)
        last = start
        yield kind, m.group(), line


def _mark(line: int) -> yaml.Mark:
    return yaml.Mark("<json>", 0, line - 1, 0, "", 0)


def compose_json(text: str) -> yaml.Node | None:
    """The node tree of a JSON text that :func:`json.loads` reads, as PyYAML would compose it
    (mappings, sequences and scalars, keys as text), each node marked with its line; ``None``
    if it is not JSON after all.

    Examples
    --------
    >>> root = compose_json('{\\n  "a": [1,\\n    {"b": "\\\\u00e9"}]\\n}')
    >>> line_of(root, ("a", 1, "b"))
    3
    """
    root: yaml.Node | None = None
    stack: list[Any] = []
    key: yaml.ScalarNode | None = None
    try:
        for kind, token, line in _json_tokens(text):
            if kind == "close":
                stack.pop()
                continue
            node: yaml.Node
            if kind == "open":
                node = (
                    yaml.SequenceNode(_SEQ, [], _mark(line))
                    if token == "["
                    else yaml.MappingNode(_MAP, [], _mark(line))
                )
            elif kind == "string":
                value = json.loads(token) if "\\" in token else token[1:-1]
                node = yaml.ScalarNode(_STR, value, _mark(line))
                if stack and isinstance(stack[-1], yaml.MappingNode) and key is None:
                    key = node
                    continue
            else:
                node = yaml.ScalarNode(_JSON_VALUE, token, _mark(line))
            if not stack:
                root = node
            elif isinstance(stack[-1], yaml.SequenceNode):
                stack[-1].value.append(node)
            else:
                if key is None:
                    return None
                stack[-1].value.append((key, node))
                key = None
            if kind == "open":
                stack.append(node)
    except (ValueError, IndexError):
        return None
    return root


def json_deepest(text: str) -> int | None:
    """The line on which a JSON text first reaches its deepest nesting (``None`` for none)."""
    depth = deepest = 0
    where = None
    for kind, _, line in _json_tokens(text):
        if kind == "open":
            depth += 1
            if depth > deepest:
                deepest, where = depth, line
        elif kind == "close":
            depth -= 1
    return where


# -- following paths -------------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _key(node: yaml.Node) -> Any:
    return node.value if isinstance(node, yaml.ScalarNode) else None


class Locator:
    """Finds the lines of many paths in one node tree, reading each mapping's keys once."""

    def __init__(self, root: yaml.Node) -> None:
        self.root = root
        self._keys: dict[int, dict[str, tuple[yaml.Node, int]]] = {}

    def _mapping(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, int]]:
        keys = self._keys.get(id(node))
        if keys is None:
            keys = {}
            # Text keys first: a path's text key ('true') is that key, not the key YAML reads
            # as something else written the same way (true) in the same mapping.
            for text in (True, False):
                for key_node, value_node in node.value:
                    key = _key(key_node)
                    if key_node.tag != _MERGE and isinstance(key, str) and (key_node.tag == _STR) is text:
                        keys.setdefault(key, (value_node, _line(key_node)))  # the first, as read
            self._keys[id(node)] = keys
        return keys

    def _child(self, node: yaml.Node, part: str | int) -> tuple[yaml.Node, int] | None:
        """The node at ``part`` below ``node`` and the line that names it."""
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node).get(str(part))
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            item = node.value[part]
            return item, _line(item)
        return None

    def find(self, path: Path) -> tuple[yaml.Node, int, bool]:
        """The deepest node of ``path`` found in the tree, its line, and whether that is
        the whole path."""
        node, line = self.root, _line(self.root)
        for part in path:
            found = self._child(node, part)
            if found is None:
                return node, line, False
            node, line = found
        return node, line, True

    def line_of(self, path: Path) -> int:
        """The line of the deepest part of ``path`` found in the tree (1-based).

        A key's line is the line of the key; a list item's line is where the item starts. A
        path that goes further than the file (a missing field) stops at the last part that
        exists.
        """
        return self.find(path)[1]

    def scalar(self, path: Path) -> yaml.ScalarNode | None:
        """The scalar node ``path`` leads to, if it leads to one."""
        node, _, whole = self.find(path)
        return node if whole and isinstance(node, yaml.ScalarNode) else None


def line_of(root: yaml.Node, path: Path) -> int:
    """The line of the deepest part of ``path`` found in the tree (see :meth:`Locator.line_of`)."""
    return Locator(root).line_of(path)


# -- many paths at once, without composing -----------------------------------------------------
#
# Composing a file builds a node, with its marks, for every value in it: some milliseconds for
# a file of a few hundred lines, which is too slow to place the findings of a register of
# thousands of files. :func:`lines_of` reads the parser's events (or JSON's tokens) instead,
# looks inside only the lists and mappings that lead to a path it wants, and stops once it has
# found them all.

_KEY = object()  # a mapping's frame, waiting for a key
_ODD = object()  # a key that is not a scalar: its value is not looked in

_Item = tuple[str, Any, int]  # ("scalar" | "map" | "seq" | "end", value, line)


def _yaml_items(text: str) -> Iterator[_Item]:
    """The events of a YAML text's first document as :data:`_Item` tuples."""
    event: Any  # the events' marks are typed optional, but a parser's events have them
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        line = int(event.start_mark.line) + 1
        if kind is yaml.ScalarEvent:
            yield "scalar", event.value, line
        elif kind is yaml.MappingStartEvent:
            yield "map", None, line
        elif kind is yaml.SequenceStartEvent:
            yield "seq", None, line
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            yield "end", None, line
        elif kind is yaml.AliasEvent:
            yield "scalar", None, line
        elif kind is yaml.DocumentEndEvent:
            return


def _json_items(text: str) -> Iterator[_Item]:
    """The tokens of a JSON text as :data:`_Item` tuples (strings decoded, as keys must be)."""
    for kind, token, line in _json_tokens(text):
        if kind == "string":
            yield "scalar", json.loads(token) if "\\" in token else token[1:-1], line
        elif kind == "open":
            yield ("seq" if token == "[" else "map"), None, line
        elif kind == "close":
            yield "end", None, line
        else:
            yield "scalar", token, line


def lines_of(text: str, format: str, paths: list[Path]) -> list[int | None] | None:
    """The line each of ``paths`` starts on in a YAML or JSON text (``None`` for a path the
    text does not hold), as :meth:`Locator.line_of` finds it for a path the text holds
    whole: a key's line is the line of the key, a list item's line is where the item starts,
    and a key given twice is read where it is first given. Unlike composing, an alias is not
    followed: a list item written ``- *base`` is on the alias's line, and nothing inside it
    is found. ``None`` if the text cannot be read up to the last path found (what comes after
    it is not read).

    Examples
    --------
    >>> lines_of("flows:\\n  - id: a\\n  - id: b\\n", "yaml", [("flows", 1), ("flows", 2)])
    [3, None]
    """
    wanted = set(paths)
    inside = {p[:k] for p in wanted for k in range(len(p))}  # the containers worth entering
    found: dict[Path, int] = {}
    stack: list[list[Any]] = []  # each open container: [path, a mapping?, key or next index, key's line]
    skip = 0  # how deep inside a container not worth entering
    try:
        for kind, value, line in _yaml_items(text) if format == "yaml" else _json_items(text):
            if skip:
                if kind == "end":
                    skip -= 1
                elif kind != "scalar":
                    skip += 1
                continue
            if kind == "end":
                stack.pop()
                if not stack:
                    break
                continue
            path: Path | None = ()
            if stack:
                frame = stack[-1]
                if frame[1]:
                    if frame[2] is _KEY:  # this is a key
                        frame[2] = value if kind == "scalar" and isinstance(value, str) else _ODD
                        frame[3] = line
                        skip = 0 if kind == "scalar" else 1
                        continue
                    key, frame[2] = frame[2], _KEY
                    path = None if key is _ODD else (*frame[0], key)
                    line = frame[3]  # a key's line is the line of the key
                else:
                    path = (*frame[0], frame[2])
                    frame[2] += 1
            if path in wanted and path not in found:
                found[path] = line
                if len(found) == len(wanted):
                    break
            if kind != "scalar":
                if path in inside:
                    stack.append([path, kind == "map", _KEY if kind == "map" else 0, 0])
                else:
                    skip = 1
    except (yaml.YAMLError, ValueError, IndexError):
        return None
    return [found.get(p) for p in paths]


# -- keys --------------------------------------------------------------------------------------


def _every_node(root: yaml.Node) -> Iterator[tuple[yaml.Node, Path]]:
    """Every node in the tree once (an alias is walked where it is first met), with its path
    (through keys that are text; a merge key's tag is not text's)."""
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        yield node, path
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.tag == _STR and isinstance(key_node, yaml.ScalarNode):
                    stack.append((value_node, (*path, key_node.value)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))


def _walk(root: yaml.Node) -> Iterator[tuple[yaml.MappingNode, Path]]:
    """Every mapping in the tree once (an alias is walked where it is first met), with its path."""
    for node, path in _every_node(root):
        if isinstance(node, yaml.MappingNode):
            yield node, path


def duplicate_keys(root: yaml.Node) -> list[tuple[Path, int, int]]:
    """Every key that appears twice in one mapping: ``(path, line, first line)``.

    Keys merged in with YAML's ``<<`` are not duplicates: overriding them is what merging is
    for.
    """
    return odd_keys(root)[0]


def odd_keys(root: yaml.Node) -> tuple[list[tuple[Path, int, int]], list[tuple[Path, str, str, int]]]:
    """In one pass over the tree: every key that appears twice in one mapping (see
    :func:`duplicate_keys`), and every key that YAML reads as something other than text
    (``1:``, ``true:``, a date): ``(path of its mapping, the key as written, its tag, line)``.
    """
    duplicates: list[tuple[Path, int, int]] = []
    not_text: list[tuple[Path, str, str, int]] = []
    for node, path in _walk(root):
        first: dict[tuple[str, Any], int] = {}
        for key_node, _ in node.value:
            tag = key_node.tag
            if tag == _MERGE:
                continue
            key = _key(key_node)
            if tag != _STR:
                not_text.append((path, "" if key is None else str(key), str(tag), _line(key_node)))
            if key is None:
                continue
            ident = (tag, key)
            if ident in first:
                duplicates.append(((*path, key), _line(key_node), first[ident]))
            else:
                first[ident] = _line(key_node)
    duplicates.sort(key=lambda d: d[1])
    not_text.sort(key=lambda d: d[3])
    return duplicates, not_text


# -- anchors -------------------------------------------------------------------------------------

_ANCHOR = re.compile(r"(?<![^\s\[\]{},])&[^\s\[\]{},]")
"""An ampersand where YAML would read it as an anchor: at the start of a token."""


def loose_anchors(text: str) -> list[tuple[Path, int, str, str]]:
    """Every anchor (``&name``) on a piece of text that no alias (``*name``) uses, in a YAML
    text: ``(path of the text, line, name, the text)``.

    Such an anchor does nothing but take itself out of the text: ``title: &co and others``
    reads as ``and others``. Anchors on lists and mappings, or that an alias uses, are what
    anchors are for. Empty when the text has no ``&`` where an anchor could be (almost every
    file), or cannot be read (its problems are reported otherwise).
    """
    if "&" not in text or _ANCHOR.search(text) is None:
        return []
    defined: list[tuple[str, int, int, str]] = []  # name, index, line, text of each anchored scalar
    latest: dict[str, int] = {}  # name -> the definition an alias of it would use
    used: set[int] = set()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                if event.anchor in latest:
                    used.add(latest[event.anchor])
            elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                latest[event.anchor] = len(defined)
                mark = event.start_mark
                if isinstance(event, yaml.ScalarEvent) and mark is not None:
                    defined.append((event.anchor, mark.index, mark.line + 1, event.value))
                else:
                    defined.append((event.anchor, -1, 0, ""))  # a list or mapping: fine
    except (yaml.YAMLError, ValueError):
        return []
    loose = {
        index: (line, name, value)
        for i, (name, index, line, value) in enumerate(defined)
        if index >= 0 and i not in used
    }
    if not loose:
        return []
    root = compose(text, "yaml")
    if root is None:
        return []
    found = []
    for node, path in _every_node(root):
        if isinstance(node, yaml.ScalarNode) and node.start_mark.index in loose:
            line, name, value = loose[node.start_mark.index]
            found.append((path, line, name, value))
    return sorted(found, key=lambda f: f[1])
