"""Reading and writing agreement files: YAML (safe loading only), JSON and TOML.

The three formats share one schema (see :mod:`dpup._private.converter`), versioned by the
key ``dpup: 1``. Loading never runs code from the file, never drops anything the file says
(unknown keys and keys given twice are errors) and, for a bad file, raises one
:class:`~dpup.AgreementError` listing every problem (up to the first 100, counting the rest)
with its file, line (YAML and JSON), field path, what was expected and what was found. Nor
does it crash on a hostile file: nesting too deep to read safely, integers too long for
Python, text that is not Unicode are problems like any other. Saving and loading again gives
an equal agreement.

Examples
--------
>>> import dpup
>>> a = dpup.loads('''
... dpup: 1
... agreement: {id: demo, title: Demo, parties: [ccss]}
... holders:
...   - {id: ccss, kind: provider, name: City Centre Social Services}
... ''')
>>> a.holders[0].name
'City Centre Social Services'
>>> dpup.loads(dpup.dumps(a, format="toml"), format="toml") == a
True
>>> print(dpup.dumps(a), end="")
dpup: 1
<BLANKLINE>
agreement:
  id: demo
  title: Demo
  parties: [ccss]
<BLANKLINE>
holders:
  - kind: provider
    id: ccss
    name: City Centre Social Services
>>> dpup.loads('''
... dpup: 1
... agreement: {id: demo, title: Demo}
... information:
...   - {id: record, identifiability: named}
... ''')
Traceback (most recent call last):
...
dpup.errors.AgreementError: 1 problem in the agreement:
  - line 5: $.information[0].identifiability: 'named' is not an identifiability dpup knows (expected one of identifying, de-identified, aggregate, found 'named')
"""

import codecs
import contextlib
import errno
import json
import os
import re
import secrets
import stat
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePath
from typing import Any, Literal, get_args

import attrs
import tomli_w
import yaml
from cattrs.errors import BaseValidationError

from dpup._private import lines, nesting
from dpup._private.converter import (
    FORMAT_VERSION,
    KNOWN_KEYS,
    TEXT_KEYS,
    HugeNumber,
    Invalid,
    count_keys_not_text,
    describe,
    first_problems,
    make_converter,
    read_int,
)
from dpup._private.fastpath import sharing
from dpup._private.gcpause import paused_gc
from dpup.errors import MAX_PROBLEMS, AgreementError, Problem, quote
from dpup.model import _SURROGATE, _WHOLE, Agreement

__all__ = [
    "FORMATS",
    "Format",
    "agreement_files",
    "dump",
    "dumps",
    "format_of",
    "load",
    "load_all",
    "loads",
    "repeated_ids",
]

Format = Literal["yaml", "json", "toml"]
"""The name of an agreement file format."""

FORMATS: tuple[Format, ...] = get_args(Format)

_SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}

_converter = make_converter()


# -- loading --------------------------------------------------------------------------------


def loads(text: str, format: Format = "yaml") -> Agreement:
    """Load an agreement from the text of an agreement file.

    Parameters
    ----------
    text : str
        The file's text.
    format : {"yaml", "json", "toml"}
        The format the text is in.

    Returns
    -------
    Agreement

    Raises
    ------
    AgreementError
        Listing the problems found: syntax, wrong types, unknown or repeated keys, missing
        fields, values outside their set, ids used twice, references that do not resolve;
        the first 100, with how many more in ``omitted``.
    TypeError
        If ``text`` is not a str (bytes read from a file must be decoded first).

    Examples
    --------
    >>> import dpup
    >>> a = dpup.loads('{"dpup": 1, "agreement": {"id": "pilot", "title": "A pilot"}}', "json")
    >>> a.id, a.title, a.flows
    ('pilot', 'A pilot', ())
    >>> dpup.loads(dpup.dumps(a, "toml"), "toml") == a
    True
    """
    if not isinstance(text, str):
        decode = " (decode it: data.decode('utf-8'))" if isinstance(text, bytes | bytearray) else ""
        raise TypeError(f"dpup.loads takes the text of a file (a str), not {type(text).__name__}{decode}")
    return _loads(text, _check_format(format, "dpup.loads"), None, decoded=False)


def load(path: "str | os.PathLike[str]", format: Format | None = None) -> Agreement:
    """Load an agreement file.

    Parameters
    ----------
    path : str or path-like
        The file. Its suffix (``.yaml``, ``.yml``, ``.json``, ``.toml``) gives the format.
    format : {"yaml", "json", "toml"}, optional
        The format, whatever the suffix says.

    Raises
    ------
    AgreementError
        If the file is not a valid agreement (every problem names the file).
    FileNotFoundError
        If there is no such file (whatever its name), rather than a complaint about its
        suffix.
    IsADirectoryError
        If the path is a directory (:func:`load_all` loads the files in one).
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import dpup
    >>> a = dpup.load(dpup.examples.path("best-foot-forward"))  # a bundled example's file
    >>> a.id, a.parties
    ('best-foot-forward', ('agency', 'ccss'))
    """
    return _load_file(path, format, walked=False)


def _load_file(path: "str | os.PathLike[str]", format: Format | None, *, walked: bool) -> Agreement:
    """:func:`load`; ``walked`` says the path is one :func:`agreement_files` found in a
    directory, which keeps only files (and links to them), so it need not be looked at again to
    tell whether it is a device (a ``stat`` per file, a cost a sector's load would notice)."""
    name = os.fspath(path)
    try:
        fmt = _check_format(format, "dpup.load") if format is not None else format_of(path)
    except AgreementError:
        if not os.path.lexists(name):  # a mistyped name: say so, not that its suffix is unknown
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), name) from None
        if os.path.isdir(name):
            raise _a_directory(name) from None
        raise
    try:  # the name as given: a Path reads "" as "." and "a.yaml/" as "a.yaml"
        with open(name, "rb") as f:
            if not walked:
                _a_file_to_read(f.fileno(), name)
            raw = f.read()
    except IsADirectoryError:
        raise _a_directory(name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise AgreementError([_not_utf8(raw, e.start, name)]) from None
    # UTF-16 without a byte order mark: its ASCII decodes, a NUL beside each character. Only the
    # head is looked at (as _utf16_without_mark does), not the whole of every file loaded.
    if "\x00" in text[:128] and _utf16_without_mark(raw):
        raise AgreementError([_not_utf8(raw, 0, name)])
    return _loads(text, fmt, name, decoded=True)


def _not_utf8(raw: bytes, start: int, name: str) -> Problem:
    """The problem with a file that is not UTF-8: that it is UTF-16 or UTF-32 (by its byte
    order mark, or the zero bytes of UTF-16's ASCII), or the byte at ``start`` UTF-8 cannot have."""
    encoding = next((enc for bom, enc in _OTHER_BOMS if raw.startswith(bom)), None)
    if encoding is not None or _utf16_without_mark(raw):
        return Problem(
            path=(),
            message=f"the file is {encoding or 'UTF-16'} text; save it as UTF-8",
            expected="UTF-8 text",
            found=f"{encoding} (its byte order mark)"
            if encoding
            else "UTF-16 (a zero byte beside each character of ASCII)",
            file=name,
            line=1,
        )
    return Problem(
        path=(),
        message="the file is not UTF-8 text",
        expected="UTF-8 text",
        found=f"the byte 0x{raw[start]:02X}, which UTF-8 cannot have there",
        file=name,
        line=raw[:start].count(b"\n") + 1,
    )


def _utf16_without_mark(raw: bytes) -> bool:
    """Whether a file starts as text written in UTF-16 without a byte order mark does: mostly
    ASCII, so that every other byte (the first or the second of each pair) is zero."""
    head = raw[:256]
    pairs = len(head) // 2
    zeros = sorted((head[0::2].count(0), head[1::2].count(0)))
    return pairs >= 2 and zeros[1] >= 0.9 * pairs and zeros[0] <= 0.1 * pairs  # not a file of zeros


def _a_file_to_read(fd: int, name: str) -> None:
    """Refuse a device given as a file (a link named ``x.yaml`` to ``/dev/zero``, say), which
    reading would never finish. A named pipe is read, as ``cat`` reads one: what is written to
    it is the file."""
    mode = os.fstat(fd).st_mode
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a character device" if stat.S_ISCHR(mode) else "a block device"
        raise AgreementError(
            [
                Problem(
                    path=(),
                    message="the file is a device, which reads without end or waits, not a file",
                    expected="a file",
                    found=kind,
                    file=name,
                )
            ]
        )


def _a_directory(name: str) -> IsADirectoryError:
    return IsADirectoryError(
        errno.EISDIR,
        "is a directory: dpup.load reads one file; dpup.load_all(path) loads every agreement file in a directory",
        name,
    )


_OTHER_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def load_all(
    paths: "str | os.PathLike[str] | Iterable[str | os.PathLike[str]]", format: Format | None = None
) -> list[Agreement]:
    """Load many agreement files, such as a sector's, and report every problem in all of them.

    Loading files one by one with :func:`load` gives equal agreements, but between files
    Python's cyclic garbage collector keeps re-reading everything loaded so far; here it is
    paused for the whole batch, which keeps loading a large sector linear. And the files of a
    sector declare the same agencies, with the same teams, and the same purposes again and
    again: here a purpose or organisation equal to one already loaded from another file (or
    the same file) is that same object, built once and held once. The objects are frozen, so
    this shows only to ``is``.

    Parameters
    ----------
    paths : str or path-like, or an iterable of them
        The files, loaded in this order. A directory stands for every agreement file in it
        and its subdirectories, in name order (see :func:`agreement_files`). A single str or
        path-like object (``"register/"``, a :class:`~pathlib.Path`) is one path, never a
        sequence of characters.
    format : {"yaml", "json", "toml"}, optional
        The format of every file, whatever the suffixes say.

    Returns
    -------
    list of Agreement
        One per file, in order.

    Raises
    ------
    AgreementError
        If any file is not a valid agreement, or a directory holds no agreement file: the
        problems of every file (the first 100 of each, the rest counted in ``omitted``),
        each naming its file.
    OSError
        If a file cannot be read.
    TypeError
        If ``paths`` is :class:`bytes` (decode it with :func:`os.fsdecode`), rather than
        reading it as a sequence of numbers.

    Examples
    --------
    >>> import dpup
    >>> paths = [dpup.examples.path(n) for n in dpup.examples.names()]
    >>> [a.id for a in dpup.load_all(paths)]
    ['best-foot-forward', 'best-foot-forward-before']
    >>> [a.id for a in dpup.load_all(dpup.examples.path("best-foot-forward").parent)]
    ['best-foot-forward-before', 'best-foot-forward']
    """
    return [agreement for _, agreement in _load_files(paths, format, "dpup.load_all")]


def _load_files(
    paths: "str | os.PathLike[str] | Iterable[str | os.PathLike[str]]", format: Format | None, function: str
) -> "list[tuple[str | os.PathLike[str], Agreement]]":
    """Each agreement file ``paths`` stand for, with the agreement loaded from it, as
    :func:`load_all` loads them; ``function`` names the caller in a :class:`TypeError`."""
    if isinstance(paths, bytes | bytearray):
        raise TypeError(
            f"{function} takes a str or path-like path (or an iterable of them), not bytes; "
            "decode a bytes path with os.fsdecode(path)"
        )
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # one path: a str is iterable too, but its characters are not paths
    loaded: list[tuple[str | os.PathLike[str], Agreement]] = []
    problems: list[Problem] = []
    omitted = 0
    with paused_gc(), sharing():
        for path in paths:
            try:
                files = agreement_files(path)
            except AgreementError as e:
                problems.extend(e.problems)
                continue
            for file in files:
                try:
                    loaded.append((file, _load_file(file, format, walked=file is not path)))
                except AgreementError as e:
                    problems.extend(e.problems)
                    omitted += e.omitted
    if problems:
        raise AgreementError(problems, omitted)
    return loaded


def agreement_files(path: "str | os.PathLike[str]") -> "list[str | os.PathLike[str]]":
    """The agreement files a path stands for: a file itself; for a directory, every file in it
    and its subdirectories whose name ends in ``.yaml``, ``.yml``, ``.json`` or ``.toml``, in
    name order, leaving out hidden files and directories (names starting with ``.``), JSON
    Schemas (names ending in ``.schema.json``, such as the ``agreement.schema.json`` that
    ``dpup schema`` writes for editors) and anything that is not a file, such as a named pipe
    (which reading would wait on forever). A path given itself is always taken as it is.

    Raises
    ------
    AgreementError
        If a directory holds no agreement file.
    OSError
        If a directory or one of its subdirectories cannot be read: none is skipped silently.

    Examples
    --------
    >>> import dpup
    >>> [p.name for p in dpup.agreement_files(dpup.examples.path("best-foot-forward").parent)]
    ['best-foot-forward-before.yaml', 'best-foot-forward.yaml']
    """
    if not os.path.isdir(path):
        return [path]
    found: list[Path] = []
    splitext = os.path.splitext
    pending = [os.fspath(path)]
    while pending:  # os.scandir's entries know their type: no stat for an ordinary file
        with os.scandir(pending.pop()) as entries:
            for e in entries:
                if e.name.startswith("."):
                    continue
                if e.is_dir(follow_symlinks=False):  # links to directories are not followed
                    pending.append(e.path)
                elif (
                    splitext(e.name)[1].lower() in _SUFFIXES
                    and not e.name.lower().endswith(_SCHEMA_SUFFIX)
                    and _a_file(e)
                ):
                    found.append(Path(e.path))
    if not found:
        raise AgreementError(
            [
                Problem(
                    path=(),
                    message="the directory holds no agreement file",
                    expected=f"files whose names end in {', '.join(_SUFFIXES)}",
                    found="none",
                    file=str(path),
                )
            ]
        )
    found.sort(key=lambda p: p.parts)
    return list(found)


_SCHEMA_SUFFIX = ".schema.json"
"""The end of the name of a JSON Schema file, which a directory of agreements may hold for
editors: not an agreement."""


def _a_file(entry: "os.DirEntry[str]") -> bool:
    """Whether a directory entry is a file, or a link to one, rather than a named pipe, a
    socket or a device, which reading would wait on forever (or read without end). A link to
    nothing is kept, to be reported as missing, and so is a link that cannot be followed (a
    loop of links), to be reported as a file that cannot be read, not as the directory."""
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))
    except OSError:  # is_file follows the link, and fails on a loop (ELOOP)
        return True


def repeated_ids(
    loaded: "Iterable[tuple[str | os.PathLike[str], Agreement]]", format: Format | None = None
) -> list[Problem]:
    """A problem for each file whose agreement has the id of one loaded before it.

    Agreements are combined into one graph by id (:func:`dpup.graph`), so files checked
    together must hold agreements with different ids. Each problem names both files, and the
    line of the later file's ``agreement.id`` (YAML and JSON).

    Parameters
    ----------
    loaded : iterable of (path, Agreement)
        Each file with the agreement loaded from it, in the order given.
    format : {"yaml", "json", "toml"}, optional
        The format of every file, whatever the suffixes say (to find the line).

    Examples
    --------
    >>> import dpup
    >>> path = dpup.examples.path("best-foot-forward")
    >>> a = dpup.load(path)
    >>> repeated_ids([("a.yaml", a), ("b.yaml", a)])[0].message
    "agreement id 'best-foot-forward' is also the id of the agreement in a.yaml"
    """
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for path, agreement in loaded:
        name = os.fspath(path)
        if agreement.id not in first:
            first[agreement.id] = name
            continue
        earlier = first[agreement.id]
        same = os.path.realpath(earlier) == os.path.realpath(name)
        problems.append(
            Problem(
                path=("agreement", "id"),
                message=f"agreement id {quote(agreement.id)} is also the id of the agreement in {earlier}"
                + (", the same file given twice" if same else ""),
                expected="an agreement id that no other file checked with it has",
                found=quote(agreement.id),
                hint="give the file once" if same else _SAME_AGREEMENT_HINT,
                file=name,
                line=_line_in_file(name, ("agreement", "id"), format),
            )
        )
    return problems


_SAME_AGREEMENT_HINT = (
    "files checked together are combined by agreement id, and a draft and its export or revision "
    "hold the same agreement: validate or check them one at a time"
)


def _line_in_file(path: str, field: tuple[str | int, ...], format: Format | None) -> int | None:
    """The line of a field in a YAML or JSON file (``None`` for TOML, or if it cannot be read)."""
    try:
        fmt = format or format_of(path)
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, AgreementError):
        return None
    root = lines.compose(text, fmt) if fmt != "toml" else None
    return None if root is None else lines.line_of(root, field)


def _lines_in_file(path: str, fields: list[tuple[str | int, ...]]) -> list[int | None]:
    """The line each of ``fields`` starts on in a YAML or JSON agreement file, reading the
    file once (for :meth:`dpup.Report.located`).

    A field the file does not hold (it changed since it was loaded) has no line (``None``),
    and nor has any field of a TOML file (which is not read), or of a file that cannot be
    read.
    """
    unknown: list[int | None] = [None] * len(fields)
    if not fields:
        return unknown
    try:
        fmt = format_of(path)
        if fmt == "toml":
            return unknown
        text = Path(path).read_text(encoding="utf-8-sig")
        found = lines.lines_of(text, fmt, fields)
    except (OSError, UnicodeDecodeError, AgreementError):
        return unknown
    return unknown if found is None else found


def format_of(path: "str | os.PathLike[str]") -> Format:
    """The format of an agreement file, from its suffix.

    Raises
    ------
    AgreementError
        If the suffix is not one of ``.yaml``, ``.yml``, ``.json``, ``.toml``.

    Examples
    --------
    >>> format_of("agreements/ccss.yml")
    'yaml'
    """
    p = path if isinstance(path, PurePath) else PurePath(path)
    try:
        return _SUFFIXES[p.suffix.lower()]
    except KeyError:
        raise AgreementError(
            [
                Problem(
                    path=(),
                    message="cannot tell the file's format from its name",
                    expected=f"a name ending in {', '.join(_SUFFIXES)}",
                    found=repr(p.suffix) if p.suffix else "no suffix",
                    file=os.fspath(path),
                )
            ]
        ) from None


def _check_format(format: str, function: str) -> Format:
    if format not in FORMATS:
        hint = ""
        if isinstance(format, str) and f".{format.lower()}" in _SUFFIXES:
            hint = f" (for {format!r}, pass format={_SUFFIXES['.' + format.lower()]!r})"
        raise ValueError(f"{function}: format must be one of {', '.join(FORMATS)}, not {format!r}{hint}")
    return format


def _loads(text: str, format: Format, file: str | None, *, decoded: bool) -> Agreement:
    """Load the text of a file; ``decoded`` says it was decoded from UTF-8 (so every
    character in it is one Unicode has: no lone surrogate)."""
    with paused_gc():
        return _parse_and_structure(text, format, file, decoded)


def _parse_and_structure(text: str, format: Format, file: str | None, decoded: bool) -> Agreement:
    surrogates = not decoded and not text.isascii() and _SURROGATE.search(text) is not None
    if surrogates and format == "yaml":  # libyaml cannot read it at all
        raise AgreementError([attrs.evolve(_raw_surrogate(text), file=file)])
    try:
        data, maybe_duplicates = _PARSERS[format](text)
    except _SyntaxProblem as e:
        raise AgreementError([attrs.evolve(e.problem, file=file)]) from None
    if format == "json" and "\\" in text and _SURROGATE_ESCAPE.search(text):
        surrogates = True  # \ud83d written on its own, without the other half of the pair
    problems: list[Problem] = []
    omitted = 0
    keys_omitted = 0  # of the omitted, how many are about keys that are not text
    agreement = None
    try:
        agreement = _converter.structure(data, Agreement)
    except (BaseValidationError, Invalid) as e:
        problems, omitted = first_problems(e, MAX_PROBLEMS)
        if omitted:
            keys_omitted = count_keys_not_text(e) - sum(_about_a_key_not_text(p) for p in problems)
    if surrogates:  # said once, by _not_unicode, rather than also by the model's validator
        problems = [p for p in problems if _WHOLE not in p.message] + _not_unicode(data)
    if format == "yaml":  # "&co and others" would load as "and others"
        problems += [_loose_anchor(*found) for found in lines.loose_anchors(text)]
    if agreement is not None and not maybe_duplicates and not problems:
        return agreement
    root = lines.compose(text, format) if format != "toml" else None
    if root is not None:
        problems, unlisted = _placed(problems, root, format, keys_omitted)
        omitted += unlisted
    elif maybe_duplicates:
        problems.append(
            Problem(
                path=(),
                message="a key appears twice in the same mapping",
                expected="each key once in a mapping",
                found="a repeated key",
            )
        )
    if agreement is not None and not problems:
        return agreement  # the suspected duplicates were YAML merge keys, which may override
    if format != "yaml":
        problems = [_in_syntax(p, format) for p in problems]
    if format == "json" and data is None and text.strip(_JSON_SPACE):  # null, not an empty file
        problems = [attrs.evolve(p, found="null") if p.found == "an empty file" else p for p in problems]
    problems.sort(key=lambda p: (p.line is None, p.line or 0, _document_order(data, p.path)))
    omitted += max(0, len(problems) - MAX_PROBLEMS)
    raise AgreementError((attrs.evolve(p, file=file) for p in problems[:MAX_PROBLEMS]), omitted)


_VERSION_LINE = {
    "json": (
        f'"dpup": {FORMAT_VERSION} as the first key',
        f'an object with "dpup": {FORMAT_VERSION}, "agreement"',
    ),
    "toml": (
        f"dpup = {FORMAT_VERSION} as the first line",
        f"a table with dpup = {FORMAT_VERSION}, [agreement]",
    ),
}
"""What the problems of a file with no version, or no mapping at the top, ask for, in the
file's own syntax (they are written in YAML's: ``dpup: 1``)."""


def _in_syntax(p: Problem, format: Format) -> Problem:
    if p.hint is not None and _HINT_MAPPING.search(p.hint):
        p = attrs.evolve(p, hint=_HINT_MAPPING.sub(lambda m: _mapping_in(m.group(), format), p.hint))
    version, top = _VERSION_LINE[format]
    if p.expected == f"dpup: {FORMAT_VERSION} as the first line":
        return attrs.evolve(p, expected=version)
    if p.expected is not None and p.expected.startswith(f"a mapping with dpup: {FORMAT_VERSION}, agreement:"):
        return attrs.evolve(
            p, expected=p.expected.replace(f"a mapping with dpup: {FORMAT_VERSION}, agreement:", top)
        )
    return p


_HINT_MAPPING = re.compile(r"\{[\w-]+: [^{}]*\}")
"""A mapping a hint shows how to write, in YAML's flow style (``{holders: [ccss], purposes:
[...]}``), to be shown in the file's own syntax."""

_HINT_KEY = re.compile(r"([\w-]+): ")
_HINT_IDS = re.compile(r"\[([^\[\]]*)\]")


def _mapping_in(mapping: str, format: Format) -> str:
    """A hint's YAML flow mapping in JSON (``{"holders": ["ccss"], ...}``) or TOML
    (``{holders = ["ccss"], ...}``); ``...`` stays, standing for what the reader fills in."""

    def ids(m: "re.Match[str]") -> str:
        items = [i.strip() for i in m.group(1).split(",") if i.strip()]
        return "[" + ", ".join(i if i == "..." else json.dumps(i) for i in items) + "]"

    mapping = _HINT_IDS.sub(ids, mapping)
    return _HINT_KEY.sub(r'"\1": ' if format == "json" else r"\1 = ", mapping)


def _placed(
    problems: list[Problem], root: lines.Node, format: Format, keys_omitted: int
) -> tuple[list[Problem], int]:
    """The problems with their lines, and the problems only the file's nodes show: keys given
    twice, and keys that are not text (in place of the converter's, which cannot say where);
    and how many more of those there are than are listed, less the ``keys_omitted`` the
    converter counted (about keys that are not text) and that these stand for."""
    duplicates, not_text = lines.odd_keys(root)
    unlisted = max(0, len(duplicates) - MAX_PROBLEMS) + max(0, len(not_text) - MAX_PROBLEMS)
    if not_text:
        problems = [p for p in problems if not _about_a_key_not_text(p)]
        unlisted -= keys_omitted
    locate = lines.Locator(root)
    out = []
    for p in problems:  # the converter's, about values (a key's own are added below, placed)
        if p.line is None:
            p = attrs.evolve(p, line=locate.line_of(p.path))
        node = locate.scalar(p.path) if format == "yaml" and p.found is not None else None
        if node is not None and (p.expected or "").startswith(KNOWN_KEYS):
            node = None  # an unknown key's problem finds the key, not the value under it
        if node is not None and node.tag in _READ_AS and 0 < len(node.value) <= 60 and node.value != p.found:
            # YAML 1.1 reads 1:30 as 90, 1_000 as 1000 and yes as true: say what was written
            p = attrs.evolve(p, found=f"{node.value}, which YAML reads as {p.found}")
        out.append(p)
    out += [_non_text_key(*found) for found in not_text[:MAX_PROBLEMS]]
    out += [_duplicate(*found) for found in duplicates[:MAX_PROBLEMS]]  # found as the key, not its value
    return out, unlisted


def _about_a_key_not_text(p: Problem) -> bool:
    return (p.expected or "").startswith(TEXT_KEYS)


_READ_AS = frozenset(
    ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
)

_KEY_KINDS = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:seq": "a list",
    "tag:yaml.org,2002:map": "a mapping",
}


def _non_text_key(path: tuple[str | int, ...], written: str, tag: str, line: int) -> Problem:
    kind = _KEY_KINDS.get(tag, "something other than text")
    key = f"key {quote(written)[1:-1]}" if written else "a key"  # a list, a mapping, or null as nothing
    return Problem(
        path=path,
        message=f"{key} is read as {kind}, not text" if tag in _KEY_KINDS else f"{key} is not text",
        expected=f"{TEXT_KEYS}, each a name such as 'id'",
        found=f"{kind} as a key",
        line=line,
    )


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _not_unicode(data: Any) -> list[Problem]:
    """A problem for each key or text in the data holding a lone surrogate (half of a
    character written as a surrogate pair, such as JSON's ``"\\ud83d"``), which no file can
    hold as text and which would fail when the agreement is printed or saved."""
    problems = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        items: Iterable[tuple[Any, Any]]
        if isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and _SURROGATE.search(key):
                    problems.append(_surrogate_problem((*path, key), key, "key"))
            items = ((key, v) for key, v in value.items() if isinstance(key, str))
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            if isinstance(value, str) and _SURROGATE.search(value):
                problems.append(_surrogate_problem(path, value, "text"))
            continue
        stack.extend((v, (*path, k)) for k, v in items)
    return problems


def _surrogate_problem(path: tuple[str | int, ...], text: str, what: str) -> Problem:
    half = _SURROGATE.search(text)
    assert half is not None
    return Problem(
        path=path,
        message=f"the {what} holds half of a character ({_escaped(half.group())}, a lone surrogate), "
        "which is not Unicode text",
        expected=f"{what} of whole characters (a character written as two \\u escapes needs both)",
        found=describe(text),
    )


def _escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def _raw_surrogate(text: str) -> Problem:
    half = _SURROGATE.search(text)
    assert half is not None
    return Problem(
        path=(),
        message=f"the text holds half of a character ({_escaped(half.group())}, a lone surrogate), "
        "which is not Unicode text",
        expected="text of whole characters",
        found=f"{_escaped(half.group())} at character {half.start()}",
        line=text.count("\n", 0, half.start()) + 1,
    )


def _document_order(data: Any, path: tuple[str | int, ...]) -> tuple[int, ...]:
    """Where a path leads in the loaded data, as positions: sorts problems in file order
    where lines are unknown (TOML) and within a line."""
    out = []
    for part in path:
        if isinstance(data, dict):
            keys = list(data)
            out.append(keys.index(part) if part in data else len(keys))
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            out.append(part)
            data = data[part]
        else:
            break
    return tuple(out)


def _loose_anchor(path: tuple[str | int, ...], line: int, name: str, text: str) -> Problem:
    written = f"&{name} {text}"
    return Problem(
        path=path,
        message=f"YAML reads &{name} as an anchor, a name no alias (*{name}) uses, not as part of the text",
        expected="text",
        found=f"{quote(text)}, after the anchor &{name}",
        line=line,
        hint=f"put the text in quotes: {quote(written)}",
    )


def _duplicate(path: tuple[str | int, ...], line: int, first: int) -> Problem:
    key = path[-1]
    return Problem(
        path=path,
        message=f"key {_shown_key(key)} appears twice in the same mapping (first on line {first})",
        expected="each key once in a mapping",
        found=f"{_shown_key(key)} again",
        line=line,
    )


def _shown_key(key: str | int) -> str:
    return quote(key) if isinstance(key, str) else repr(key)


class _SyntaxProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_YamlBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGING = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})  # keys that merge
_Scalar, _Sequence, _Mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


class _YamlLoader(_YamlBase):  # type: ignore[misc]
    """PyYAML's safe loader (the C one where installed) that notices repeated keys.

    Noticing is cheap: a mapping with fewer keys than entries. Which key it was, and where,
    is worked out only then (see :func:`dpup._private.lines.duplicate_keys`).

    It builds the plain parts of a document (text, lists, mappings of scalar keys) straight
    from the composed nodes, and hands every other node (numbers, dates, merge keys, any
    other tag) to PyYAML's safe constructor: the same data, in less than half the time of
    PyYAML's general construction, which cost more than the parsing.
    """

    maybe_duplicates = False
    constructed_objects: dict[yaml.Node, Any]  # PyYAML's, set in its constructor
    recursive_objects: dict[yaml.Node, None]
    state_generators: list[Iterator[Any]]

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return _build(node, self.constructed_objects, self)
        except RecursionError:  # nested too deeply to build by recursion: PyYAML's way, afresh
            self.constructed_objects = {}
            self.recursive_objects = {}
            self.state_generators = []
            return self.construct_document(node)
        finally:
            self.constructed_objects = {}
            self.recursive_objects = {}

    def _construct(self, node: yaml.Node) -> Any:
        """One node built by PyYAML's safe constructor, as its ``construct_document`` would."""
        data = self.construct_object(node)
        while self.state_generators:
            generators = self.state_generators
            self.state_generators = []
            for generator in generators:
                for _ in generator:
                    pass
        return data

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        # A date that looks like one but is not (2027-13-01) stays text, to be reported,
        # with everything else, where the field is.
        if self.timestamp_regexp.match(self.construct_scalar(node)) is None:  # other text, tagged so
            raise _NotA(node, "a date")
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        # An integer of more digits than Python reads (or shows) stays its text, to be
        # reported where the field is; text that is no integer at all (tagged !!int) is not.
        try:
            value = super().construct_yaml_int(node)
        except (ValueError, IndexError):
            text = node.value
            if _YAML_FORMS["int"].match(text) and HugeNumber(text).digits > sys.get_int_max_str_digits():
                return HugeNumber(text)
            raise _NotA(node, "a whole number") from None
        return read_int(node.value, lambda: value)

    # Text tagged as what it cannot be (!!float abc, !!bool maybe, !!null text): PyYAML fails
    # with whatever Python raised (ValueError, KeyError, IndexError), or, for null, drops it.

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_float(node)
        except (ValueError, IndexError):
            raise _NotA(node, "a number") from None

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_bool(node)
        except KeyError:
            raise _NotA(node, "true or false") from None

    def construct_yaml_null(self, node: yaml.ScalarNode) -> Any:
        if _YAML_FORMS["null"].match(self.construct_scalar(node)) is None:
            raise _NotA(node, "null")
        return super().construct_yaml_null(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for i, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, _Scalar):  # a list or mapping as a key: valid YAML
                node.value[i] = (
                    _Scalar(_NOT_TEXT_KEY, "", key_node.start_mark, key_node.end_mark),
                    value_node,
                )
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            self.maybe_duplicates = True
        return mapping


_YAML_FORMS: dict[str, re.Pattern[str]] = {
    tag.rsplit(":", 1)[1]: regexp
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
    for tag, regexp in resolvers
    if tag.rsplit(":", 1)[1] in ("int", "null")
}
"""How YAML writes an integer and null without a tag, by PyYAML's own patterns."""


class _NotA(yaml.constructor.ConstructorError):
    """A scalar YAML reads (by its form or its tag) as a kind of value it cannot be."""

    def __init__(self, node: yaml.ScalarNode, what: str) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        super().__init__(
            None, None, f"{quote(node.value)} is read as {tag} but is not {what}", node.start_mark
        )
        self.what = what
        self.found = f"{quote(node.value)} as {tag}"
        self.line = node.start_mark.line + 1


def _build(node: yaml.Node, built: dict[yaml.Node, Any], loader: _YamlLoader) -> Any:
    """The data of a composed node: text, lists and mappings of scalar keys built here, any
    other node by the loader's safe constructor. ``built`` is the constructor's own record of
    the nodes built, so that an alias stays one object, as PyYAML makes it."""
    kind, tag = type(node), node.tag
    if kind is _Scalar and tag == _STR:
        return node.value
    out: Any = built.get(node)
    if out is not None:
        return out
    if kind is _Sequence and tag == _SEQ:
        out = built[node] = []  # before the items, so that an item may refer back to it
        for item in node.value:
            out.append(
                item.value if type(item) is _Scalar and item.tag == _STR else _build(item, built, loader)
            )
        return out
    if kind is _Mapping and tag == _MAP:
        pairs = node.value
        for k, _ in pairs:
            if type(k) is not _Scalar or k.tag in _MERGING:
                break  # a merge, or a key that is a list or a mapping: PyYAML's way
        else:
            out = built[node] = {}
            for k, v in pairs:
                key = k.value if k.tag == _STR else _build(k, built, loader)
                out[key] = v.value if type(v) is _Scalar and v.tag == _STR else _build(v, built, loader)
            if len(out) != len(pairs):
                loader.maybe_duplicates = True
            return out
    return loader._construct(node)


_NOT_TEXT_KEY = "tag:dpup,2026:key-not-text"


class _KeyNotText:
    """What a key YAML reads as a list or a mapping stands as in the data (Python's mappings
    cannot hold those as keys): one more key that is not text, reported as such, at its line,
    from the file's nodes (:func:`dpup._private.lines.odd_keys`). Every stand-in is equal to
    every other, as the data of two loads of one file are equal."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _KeyNotText)

    def __hash__(self) -> int:
        return hash(_KeyNotText)

    def __repr__(self) -> str:
        return "<a key that is a list or a mapping>"


_YamlLoader.add_constructor(_NOT_TEXT_KEY, lambda loader, node: _KeyNotText())
_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _YamlLoader.construct_yaml_timestamp)
_YamlLoader.add_constructor("tag:yaml.org,2002:int", _YamlLoader.construct_yaml_int)
_YamlLoader.add_constructor("tag:yaml.org,2002:float", _YamlLoader.construct_yaml_float)
_YamlLoader.add_constructor("tag:yaml.org,2002:bool", _YamlLoader.construct_yaml_bool)
_YamlLoader.add_constructor("tag:yaml.org,2002:null", _YamlLoader.construct_yaml_null)


def _parse_yaml(text: str) -> tuple[Any, bool]:
    line = nesting.too_deep(text, _YamlBase)  # before libyaml's composer recurses that deep
    if line is not None:
        raise _SyntaxProblem(
            Problem(
                path=(),
                message=f"lists and mappings nested more than {nesting.MAX_DEPTH} deep",
                expected=f"at most {nesting.MAX_DEPTH} levels of lists and mappings, one within another",
                found=f"more than {nesting.MAX_DEPTH} levels",
                line=line,
            )
        )
    loader = _YamlLoader(text)
    try:
        return loader.get_single_data(), loader.maybe_duplicates
    except _NotA as e:
        raise _SyntaxProblem(
            Problem(
                path=(),
                message=f"not valid YAML: {e.problem}",
                expected=f"{e.what}, or text in quotes without a tag",
                found=e.found,
                line=e.line,
            )
        ) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = " ".join(str(part) for part in (e.context, e.problem) if part)
        tab = e.problem_mark is not None and _character_at(text, e.problem_mark) == "\t"
        hint = "YAML indents with spaces, never tabs" if tab else _space_hint(text)
        if hint is None and "mapping values are not allowed" in message:
            hint = _COLON_HINT
        if hint is None and e.problem_mark is not None:
            hint = _indicator_hint(text, e.problem_mark)
        raise _SyntaxProblem(
            Problem(
                path=(),
                message=f"not valid YAML: {message}" + (" (a tab)" if tab and "tab" not in message else ""),
                line=mark.line + 1 if mark is not None else None,
                hint=hint,
            )
        ) from None
    except yaml.reader.ReaderError as e:
        raise _SyntaxProblem(
            Problem(
                path=(),
                message=f"not valid YAML: {e.reason} (character #x{e.character:04x})",
                line=text.count("\n", 0, e.position) + 1,
            )
        ) from None
    except yaml.YAMLError as e:
        raise _SyntaxProblem(Problem(path=(), message=f"not valid YAML: {e}")) from None
    finally:
        loader.dispose()


_COLON_HINT = "if this is text containing ': ', put it in quotes; otherwise check the indentation"
"""The hint for YAML's "mapping values are not allowed": a value such as ``laws: Privacy Act
2020: IPP 3`` (text with ``": "`` in it) or a key indented too far."""

_YAML_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

_INDICATOR_VALUE = re.compile(r"\s*(?:-\s+)*(?:[^\s#'\"][^#]*?:\s+)?([*!@`%|>\[{])")
"""A value, on its line, that starts with a character YAML reads as syntax (``title: *new*
review``, ``name: @ccss``, ``title: [draft] ...``), after any key and list dashes."""


def _indicator_hint(text: str, mark: Any) -> str | None:
    """For a YAML syntax error on a line whose value starts with a character YAML reads as
    syntax, rather than text: the hint to put it in quotes."""
    lines_ = _YAML_BREAKS.split(text.removeprefix("\ufeff"))
    line = lines_[mark.line] if 0 <= mark.line < len(lines_) else ""
    value = _INDICATOR_VALUE.match(line)
    if value is None or mark.column < value.start(1):  # the error is not in the value
        return None
    return f"if this is text that starts with {value.group(1)!r}, put it in quotes"


_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
_ODD_SPACE = re.compile(
    rf"^[ \t]*(?:-[ \t]+)*(?:([{_SPACES}])|[^\s'\"#:{_SPACES}][^:#'\"]*:([{_SPACES}]))", re.M
)
"""A space YAML does not take for one (a no-break space, pasted from a web page or a word
processor; a typographic space) where YAML's syntax needs a space: in the indentation, or
after a key's colon."""


def _space_hint(text: str) -> str | None:
    """For a YAML syntax error in a text with a space YAML does not read as one where its
    syntax needs a space: which line, and what it is."""
    odd = _ODD_SPACE.search(text)
    if odd is None:
        return None
    space = odd.group(1) or odd.group(2)
    name = unicodedata.name(space, "space").lower()
    line = text.count("\n", 0, odd.start()) + 1
    return f"line {line} has {_article(name)} {name} (U+{ord(space):04X}) where YAML needs an ordinary space: retype it"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _character_at(text: str, mark: Any) -> str:
    """The character a YAML error's mark points at (its line and column, as libyaml counts
    them), or ``""``."""
    lines_ = _YAML_BREAKS.split(text.removeprefix("\ufeff"))
    line = lines_[mark.line] if 0 <= mark.line < len(lines_) else ""
    return line[mark.column : mark.column + 1]


def _parse_json(text: str) -> tuple[Any, bool]:
    duplicates = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        mapping = dict(items)
        if len(mapping) != len(items):
            duplicates = True
        return mapping

    if _JSON_BLANK.match(text):  # not text.strip(), which would copy every file's text
        return None, False  # an empty file, said as YAML says it
    try:
        return json.loads(text, object_pairs_hook=pairs, parse_int=read_int), duplicates
    except json.JSONDecodeError as e:
        raise _SyntaxProblem(_json_syntax(e)) from None
    except RecursionError:
        raise _SyntaxProblem(
            Problem(
                path=(),
                message="not valid JSON: arrays and objects nested too deeply to read",
                expected="arrays and objects nested a few levels deep",
                found="hundreds of levels",
                line=lines.json_deepest(text),
            )
        ) from None


_JSON_SPACE = " \t\n\r"
"""The whitespace JSON allows between values (a UTF-8 byte order mark is taken off before)."""

_JSON_BLANK = re.compile(r"[ \t\n\r]*\Z")
"""A JSON text of nothing but whitespace: an empty file."""

_JSON_EXPECTED = {
    "Expecting value": "a value: text in double quotes, a number, true, false, null, an object or a list",
    "Expecting property name enclosed in double quotes": "a key in double quotes",
    "Expecting ',' delimiter": "a comma before the next item, or the end of the object or list",
    "Expecting ':' delimiter": "a colon after the key",
    "Extra data": "nothing after the object that is the whole file",
    "Invalid control character at": "text with each control character written as an escape (\\n, \\t, \\u0000)",
    "Invalid \\escape": 'an escape JSON has: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hexadecimal digits',
    "Invalid \\uXXXX escape": "four hexadecimal digits after \\u",
}
"""What was expected, for the json module's messages that say it (Python 3.11's words; a
message another version words differently is shown without)."""


def _json_syntax(e: json.JSONDecodeError) -> Problem:
    """A JSON syntax error as a problem: the json module's message (less an "at" it ends in, the
    place being in what was found), what was expected and found where, and a hint for the
    usual slips (a comma after the last item, a comment, single quotes)."""
    text, pos = e.doc, e.pos
    message = e.msg.removesuffix(" at").removesuffix(" starting")  # the place is in found
    char = text[pos : pos + 1]
    if e.msg.startswith("Unterminated string"):
        found = f"the end of the file, with no double quote closing the text begun at column {e.colno}"
    elif not char:
        found = "the end of the file"
    else:
        found = f"{quote(char)} at column {e.colno}"
    hint = None
    if char in ("}", "]") and text[:pos].rstrip(_JSON_SPACE).endswith(","):
        hint = "JSON allows no comma after the last item of an object or list: take it out"
    elif char in ("/", "#"):
        hint = "JSON has no comments: take them out (YAML has comments)"
    elif char == "'":
        hint = "JSON puts text and keys in double quotes"
    elif char in ("\n", "\r") and e.msg.startswith("Invalid control character"):
        hint = "write a line break in text as \\n"
    elif e.msg == "Invalid \\escape":
        hint = "write a backslash itself as \\\\"
    return Problem(
        path=(),
        message=f"not valid JSON: {message}",
        expected=_JSON_EXPECTED.get(e.msg),
        found=found,
        line=e.lineno,
        hint=hint,
    )


_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")

_TOML_EXPECTED = {
    "Expected ']' at the end of a table declaration": "']' closing the table's name, as in [agreement]",
    "Invalid value": "a value: text in double quotes, a number, true, false, a date, an array [...] "
    "or an inline table {...}",
    "Cannot overwrite a value": "each key once in a table",
    "Expected newline or end of document after a statement": "a line break after each key = value",
    "Expected '=' after a key in a key/value pair": "'=' between the key and its value",
    "Unclosed array": "']' closing the array",
    "Invalid initial character for a key part": "a key: a name such as id, or text in double quotes",
    "Unescaped '\\' in a string": 'an escape TOML has (\\" \\\\ \\n \\t \\uXXXX), or text in single quotes, '
    "which keeps a backslash as it is",
    "Invalid statement": "key = value, [table] or [[array of tables]]",
    "Illegal character '\\n'": 'text closed by its quote on the same line (""" opens text of several lines)',
}
"""What was expected, for tomllib's messages (Python 3.11's words; a message another version
words differently is shown without)."""


def _toml_syntax(error: str, text: str) -> Problem:
    """A TOML syntax error as a problem: tomllib's message without its place, what was expected
    and found where, and a hint for the usual slips (text without quotes, a comma at the end of
    a line or after the last item of an inline table)."""
    where = _TOML_WHERE.search(error)
    message = error[: where.start()] if where else error
    line = column = None
    found: str | None = None
    char = ""
    if where is not None and where.group(1):
        line, column = int(where.group(1)), int(where.group(2))
        lines_ = text.split("\n")
        row = lines_[line - 1] if line <= len(lines_) else ""
        char = row[column - 1] if column <= len(row) else "\n"
        found = f"the end of line {line}" if char == "\n" else f"{quote(char)} at column {column}"
    elif where is not None:
        found = "the end of the file"
    hint = None
    if message == "Invalid value" and char.isalpha():
        hint = 'put text in double quotes: key = "text"'
    elif message.startswith("Expected newline") and char == ",":
        hint = "TOML puts no comma at the end of a line, only between the items of an array or inline table"
    elif message.startswith("Invalid initial character for a key part") and char == "}":
        hint = "TOML allows no comma after the last item of an inline table: take it out"
    expected = _TOML_EXPECTED.get(message)
    if message == "Cannot overwrite a value":
        found = "a value given again to a key that has one"
    elif message.startswith("Cannot declare"):
        expected, found = "each table declared once", "the table declared again"
    return Problem(
        path=(), message=f"not valid TOML: {message}", expected=expected, found=found, line=line, hint=hint
    )


def _parse_toml(text: str) -> tuple[Any, bool]:
    try:
        data = tomllib.loads(text)
        return (data if data else None), False  # a file of no keys is empty, as YAML says it
    except tomllib.TOMLDecodeError as e:
        raise _SyntaxProblem(_toml_syntax(str(e), text)) from None
    except RecursionError:
        raise _SyntaxProblem(
            Problem(
                path=(),
                message="not valid TOML: arrays and tables nested too deeply to read",
                expected="arrays and inline tables nested a few levels deep",
                found="hundreds of levels",
            )
        ) from None
    except ValueError as e:  # tomllib reads integers with int(), which refuses too many digits
        digits = sys.get_int_max_str_digits() or 4300
        long = re.search(rf"[0-9][0-9_]{{{digits},}}", text)
        if long is None:
            raise _SyntaxProblem(Problem(path=(), message=f"not valid TOML: {e}")) from None
        raise _SyntaxProblem(
            Problem(
                path=(),
                message="a number with too many digits to read",
                expected="a number of a sensible size, or text in quotes",
                found=f"a number of {HugeNumber(long.group()).digits} digits",
                line=text.count("\n", 0, long.start()) + 1,
            )
        ) from None


_PARSERS: dict[Format, Callable[[str], tuple[Any, bool]]] = {
    "yaml": _parse_yaml,
    "json": _parse_json,
    "toml": _parse_toml,
}


# -- writing --------------------------------------------------------------------------------


def dumps(agreement: Agreement, format: Format = "yaml") -> str:
    """Write an agreement as the text of an agreement file.

    Keys come in the model's order (``kind`` first for holders), fields left at their
    defaults are omitted, text keeps its Unicode (Māori macrons included), and dates stay
    dates (ISO strings in JSON).

    Raises
    ------
    ValueError
        If ``format`` is not ``"yaml"``, ``"json"`` or ``"toml"`` (a mistake in the call,
        not in the agreement, so not an :class:`~dpup.AgreementError`).
    TypeError
        If ``agreement`` is not an :class:`~dpup.Agreement` (such as a list of them).

    Examples
    --------
    >>> import dpup
    >>> print(dpup.dumps(dpup.Agreement(id="pilot", title="Māori data pilot")), end="")
    dpup: 1
    <BLANKLINE>
    agreement:
      id: pilot
      title: Māori data pilot
    """
    if not isinstance(agreement, Agreement):  # it would write whatever it is, as no agreement file
        raise TypeError(f"dpup.dumps writes an Agreement, not {type(agreement).__name__}")
    fmt = _check_format(format, "dpup.dumps")
    data = _converter.unstructure(agreement)
    if fmt == "yaml":
        return _dump_yaml(data)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    return tomli_w.dumps(data)


def dump(agreement: Agreement, path: "str | os.PathLike[str]", format: Format | None = None) -> None:
    """Write an agreement file, in the format its suffix gives unless ``format`` is given.

    The whole file is written first as a new file beside it (a hidden name starting with
    ``.``), which then replaces ``path`` in one step (:func:`os.replace`): should anything go
    wrong part way, an existing file at ``path`` is left as it was, never truncated. A file
    replaced keeps its permissions; a symbolic link stays a link, and the file it points to
    is replaced.

    Raises
    ------
    ValueError
        If ``format`` is not ``"yaml"``, ``"json"`` or ``"toml"``, or, with no ``format``,
        if the suffix of ``path`` is not ``.yaml``, ``.yml``, ``.json`` or ``.toml``.
    OSError
        If the file cannot be written (nothing is left behind).

    Examples
    --------
    >>> import dpup, pathlib, tempfile
    >>> a = dpup.examples.load("best-foot-forward")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "agreement.json")
    ...     dpup.dump(a, path)
    ...     dpup.load(path) == a
    True
    """
    p = Path(path)
    fmt = _check_format(format, "dpup.dump") if format is not None else _format_for_writing(p)
    data = dumps(agreement, format=fmt).encode("utf-8")  # before touching the file
    _replace(p, data)


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file in ``path``'s directory and move it over ``path``."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None  # a new file: the process's umask decides, as for any new file
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
        except FileExistsError:  # pragma: no cover (a clash of 48 random bits)
            continue
        break
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


_O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def _format_for_writing(p: Path) -> Format:
    try:
        return _SUFFIXES[p.suffix.lower()]
    except KeyError:
        suffix = f"the suffix {p.suffix!r}" if p.suffix else "its name, which has no suffix"
        raise ValueError(
            f"dpup.dump: cannot tell the format to write {os.fspath(p)!r} in from {suffix}; "
            f"use a name ending in one of {', '.join(_SUFFIXES)}, or pass format="
        ) from None


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r} as JSON")


class _YamlDumper(yaml.SafeDumper):
    """Block style indented the way people write it, flow style for short lists of ids."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


_BREAKS = re.compile("[\r\x85\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Text with lines reads best as a literal block, but only with its final line break
    # stripped or kept single: a block that keeps trailing blank lines (|+) would take in the
    # blank line written before the next section. Line breaks other than \n would be read
    # back as \n or a space in any style but double-quoted, where they are escaped.
    if not text.isascii() and _SURROGATE.search(text) is not None:
        # YAML would write it as an escape ("\uDCE9") that no YAML reader reads back.
        raise ValueError(
            f"cannot write the text {quote(text)} as YAML: it holds a lone surrogate, which is "
            "not Unicode text (the model refuses it; it was set around the model's checks)"
        )
    style: str | None = None
    if _BREAKS.search(text) or text.endswith("\n\n"):
        style = '"'
    elif "\n" in text.rstrip("\n"):
        style = "|"
    elif "\n" in text:
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    flow = bool(items) and all(isinstance(x, str) and "\n" not in x for x in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_YamlDumper.add_representer(str, _represent_str)
# Text of a subclass of str (which the model accepts) is written as the text it is.
_YamlDumper.add_multi_representer(str, lambda dumper, text: _represent_str(dumper, str.__str__(text)))
_YamlDumper.add_representer(list, _represent_list)


def _dump_yaml(data: dict[str, Any]) -> str:
    text = yaml.dump(data, Dumper=_YamlDumper, sort_keys=False, allow_unicode=True, width=sys.maxsize)
    # A blank line before each top-level key, as people write it. Safe: a line that starts
    # in column 0 with a letter is always a top-level key (scalars and nested content are
    # indented, and a block scalar's lines never start in column 0).
    out = []
    for i, line in enumerate(text.splitlines(keepends=True)):
        if i and line[:1].isalpha():
            out.append("\n")
        out.append(line)
    return "".join(out)
