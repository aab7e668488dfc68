"""How deeply a YAML text nests its lists and mappings, found before composing it (internal).

libyaml's composer, which PyYAML's C loader uses, builds nested lists and mappings by
recursion in C: a file of a few tens of kilobytes nested 25,000 deep overflows the C stack
and kills the Python process, before any Python code could catch anything. So a YAML text is
measured first, and one nested more than :data:`MAX_DEPTH` deep is refused without being
composed. No agreement nests more than a handful of levels.

Measuring exactly means reading every event of the text, which costs more than half as much
as composing it, so it is done only when a cheap bound says the text *might* nest that
deep. The bound (:func:`depth_bound`) never underestimates:

- **Block** collections (indented lists and mappings) each start at a column greater than
  the collection they are in, except a list written at the same indentation as the key it
  belongs to (``key:`` then ``- item``), so a chain of nested block collections is at most
  twice as long as the columns they start in. A block collection starts at the first
  column of its line that is not indentation or an indicator (``-``, ``?``, ``:``, as in
  ``- - - item`` or ``? key``), so its column is at most the length of that prefix.
- **Flow** collections (``[...]``, ``{...}``) each need an opening bracket, and each ``[``
  stands for at most two levels (``[key: value]`` is a list holding a mapping). A pair of
  brackets on one line with nothing between them that could hide a bracket (no bracket,
  quote, comment, tag or line break) either both stand for a collection with nothing
  nested in it or both stand for nothing, so it adds at most two levels wherever it is
  and none below it; only the other opening brackets are counted in full.

A bracket in a quoted string or a comment only makes the bound larger, never smaller, so a
text can make the exact measure run but never skip it when it is needed. A property test
(``tests/test_nesting.py``) holds the bound to what libyaml really does.
"""

import re
from typing import Any, Final

import yaml

__all__ = ["MAX_DEPTH", "depth_bound", "too_deep"]

MAX_DEPTH: Final = 1000
"""How deeply lists and mappings may nest in a YAML file: far more than any agreement needs,
and far less than would overflow the C stack of even a thread with a small one (libyaml's
composer takes a few hundred bytes of stack per level)."""

_PREFIX: Final = 200
"""The longest line prefix of indentation and indicators for which the cheap bound is used."""

_CHARS = r"[ \t?:\-\ufeff]"  # indentation, indicators and byte order marks
_LONG_PREFIX_AFTER_LF = re.compile(rf"\n{_CHARS}{{{_PREFIX + 1}}}")
_LONG_PREFIX_AT_START = re.compile(rf"{_CHARS}{{{_PREFIX + 1}}}")
_LONG_PREFIX_AFTER_ANY_BREAK = re.compile(rf"[\r\x85\u2028\u2029]{_CHARS}{{{_PREFIX + 1}}}")
_OTHER_BREAKS: Final = ("\r", "\x85", "\u2028", "\u2029")  # line breaks to libyaml besides \n

_HIDES = r"\[\]{}'\"#!\n\r\x85\u2028\u2029"
_CLOSED_PAIR = re.compile(rf"\[[^{_HIDES}]*\]|\{{[^{_HIDES}]*\}}")

_BLOCK_LEVELS: Final = 2 * (_PREFIX + 1)
"""At most this many block collections nest when no line's prefix is longer than _PREFIX."""


def _long_prefix(text: str) -> bool:
    """Whether some line starts with more than _PREFIX characters of indentation and
    indicators (a fast search after ``\\n``; the other line breaks are rare)."""
    if _LONG_PREFIX_AFTER_LF.search(text) or _LONG_PREFIX_AT_START.match(text):
        return True
    return any(b in text for b in _OTHER_BREAKS) and _LONG_PREFIX_AFTER_ANY_BREAK.search(text) is not None


def depth_bound(text: str) -> int | None:
    """A number of levels the text cannot nest deeper than, or ``None`` if no bound at most
    :data:`MAX_DEPTH` can be had cheaply (then :func:`too_deep` measures exactly).

    Examples
    --------
    >>> depth_bound("a: [b, {c: d}]\\n") <= MAX_DEPTH
    True
    >>> depth_bound("[" * 5000) is None
    True
    """
    opens = text.count("[") + text.count("{")
    if 2 * opens + 2 + _BLOCK_LEVELS > MAX_DEPTH:
        opens -= len(_CLOSED_PAIR.findall(text))  # each adds at most 2 levels, below nothing
        if 2 * opens + 2 + _BLOCK_LEVELS > MAX_DEPTH:
            return None
    if _long_prefix(text):
        return None
    return 2 * opens + 2 + _BLOCK_LEVELS


def too_deep(text: str, loader: Any = None) -> int | None:
    """The line (1-based) at which the text's lists and mappings first nest more than
    :data:`MAX_DEPTH` deep, or ``None`` if they never do (or the text is not YAML that far:
    composing it stops at the error, no deeper).

    ``loader`` is the PyYAML loader class whose parser reads the events (the C one by
    default, where installed): the depth is what its composer would recurse to.

    Examples
    --------
    >>> too_deep("a: [[[b]]]\\n") is None
    True
    >>> too_deep("a:\\n  " + "[" * 1001 + "]" * 1001 + "\\n")
    2
    """
    if depth_bound(text) is not None:
        return None
    return _first_too_deep(text, loader or getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _first_too_deep(text: str, loader: Any) -> int | None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, _STARTS):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return 1 if mark is None else int(mark.line) + 1
            elif isinstance(event, _ENDS):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing stops at the same error, no deeper than the events went
    return None
