"""Where things are in a YAML or JSON file: line numbers and duplicate keys (internal).

Used only when a file has a problem, so the happy path never pays for it. The text is
composed with PyYAML (its C composer where installed) into nodes that carry their marks, and
a field path such as ``("flows", 2, "purpose")`` is followed through them. JSON is composed
the same way: a JSON document is YAML flow syntax, once its tabs (whitespace only, since JSON
strings cannot hold a raw tab) are made spaces. Should composing fail, lines are unknown and
problems are reported without them.
"""

from typing import Any

import yaml

from dpup.errors import Path

__all__ = ["Node", "compose", "duplicate_keys", "line_of"]

Node = yaml.Node

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


def compose(text: str, format: str) -> yaml.Node | None:
    """The node tree of a YAML or JSON text, or ``None`` if it cannot be composed."""
    if format == "json":
        text = text.replace("\t", " ")
    try:
        return yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError):
        return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _key(node: yaml.Node) -> Any:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, int] | None:
    """The node at ``part`` below ``node`` and the line that names it."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE and _key(key_node) == part:
                return value_node, _line(key_node)
    if isinstance(node, yaml.MappingNode) and isinstance(part, int):
        for key_node, value_node in node.value:  # a mapping with number keys, such as 1: x
            if _key(key_node) == str(part):
                return value_node, _line(key_node)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item, _line(item)
    return None


def line_of(root: yaml.Node, path: Path) -> int:
    """The line of the deepest part of ``path`` found in the tree (1-based).

    A key's line is the line of the key; a list item's line is where the item starts. A path
    that goes further than the file (a missing field) stops at the last part that exists.
    """
    node, line = root, _line(root)
    for part in path:
        found = _child(node, part)
        if found is None:
            break
        node, line = found
    return line


def duplicate_keys(root: yaml.Node) -> list[tuple[Path, int, int]]:
    """Every key that appears twice in one mapping: ``(path, line, first line)``.

    Keys merged in with YAML's ``<<`` are not duplicates: overriding them is what merging is
    for.
    """
    out: list[tuple[Path, int, int]] = []
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:  # an alias: already walked
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, Any], int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = _key(key_node)
                if key is None:
                    continue
                ident = (key_node.tag, key)
                if ident in first:
                    out.append(((*path, key), _line(key_node), first[ident]))
                else:
                    first[ident] = _line(key_node)
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, (*path, i)))
    out.sort(key=lambda d: d[1])
    return out
