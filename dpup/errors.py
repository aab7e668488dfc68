"""The one exception a bad agreement raises, the problems it lists, and the base class of
every error dpup raises itself.

Every problem names where it is (file, line, field path such as ``$.flows[2].purpose``),
what was expected and what was found, so that a person can fix a hand-written file
without reading a traceback.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = ["AgreementError", "Error", "Path", "Problem", "format_path", "quote"]

Path = tuple[str | int, ...]

SHOWN_CHARACTERS = 60
"""How much of a long piece of text a message quotes."""


def quote(text: str) -> str:
    """A piece of text as a message quotes it: its ``repr``, cut short after
    :data:`SHOWN_CHARACTERS` characters with how long it is, so that a very long value
    does not make a very long message.

    Examples
    --------
    >>> quote("agency.reportng")
    "'agency.reportng'"
    >>> quote("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1,000 characters)"
    """
    if len(text) <= SHOWN_CHARACTERS:
        return repr(text)
    shown = repr(text[:SHOWN_CHARACTERS])
    return f"{shown[:-1]}…{shown[-1]} ({len(text):,} characters)"


_NAME = re.compile(r"[^\W\d][\w\-]*\Z")


def format_path(path: Path) -> str:
    """Render a field path the way people read it, JSONPath style.

    A key that is not a plain name (one with a space, a dot or a character that does not
    print, or a very long one) is quoted in brackets.

    Examples
    --------
    >>> format_path(("flows", 2, "purpose"))
    '$.flows[2].purpose'
    >>> format_path(())
    '$'
    >>> format_path(("holders", 0, "my key"))
    "$.holders[0]['my key']"
    """
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif len(part) <= SHOWN_CHARACTERS and _NAME.match(part):
            out.append(f".{part}")
        else:
            out.append(f"[{quote(part)}]")
    return "".join(out)


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with an agreement.

    Parameters
    ----------
    path : tuple of str and int
        Where in the agreement, as keys and list indexes (``("flows", 2, "to")``).
    message : str
        What is wrong, in plain words naming the things involved.
    expected, found : str, optional
        What the field should hold and what it holds.
    hint : str, optional
        A suggestion, such as the key that was probably meant.
    file : str, optional
        The file the agreement was read from.
    line : int, optional
        The 1-based line of the field in that file (YAML and JSON).
    """

    path: Path
    message: str
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    file: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        """``file:line: $.path``, with whatever of those is known."""
        parts = []
        if self.file is not None:
            parts.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        parts.append(format_path(self.path))
        return ": ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data: ``file``, ``line``, ``path`` (as the message
        writes it, ``"$.flows[2].to"``), ``message``, ``expected``, ``found`` and ``hint``,
        each ``None`` where it is not known.

        Examples
        --------
        >>> data = Problem(path=("flows", 2, "to"), message="unknown holder", file="a.yaml", line=7).to_dict()
        >>> data["file"], data["line"], data["path"], data["hint"]
        ('a.yaml', 7, '$.flows[2].to', None)
        """
        return {
            "file": self.file,
            "line": self.line,
            "path": format_path(self.path),
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        details = []
        if self.expected is not None:
            details.append(f"expected {self.expected}")
        if self.found is not None:
            details.append(f"found {self.found}")
        if details:
            text += f" ({', '.join(details)})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class Error(Exception):
    """The base class of the errors dpup raises itself: :class:`AgreementError`,
    :class:`~dpup.GraphError` and :class:`~dpup.CheckError`.

    ``except dpup.Error`` catches any of them. Each is also the builtin exception it has
    always been (``AgreementError`` and ``GraphError`` are subclasses of :class:`ValueError`,
    ``CheckError`` of :class:`RuntimeError`), so code catching those still works. Each
    pickles with its attributes, so it reaches the parent process unchanged when raised in
    a worker (``concurrent.futures.ProcessPoolExecutor``, ``multiprocessing``).

    Examples
    --------
    >>> import dpup
    >>> try:
    ...     dpup.loads("dpup: 1\\nagreement: {id: demo}\\n")
    ... except dpup.Error as error:
    ...     print(type(error).__name__, isinstance(error, ValueError))
    AgreementError True
    """


class AgreementError(Error, ValueError):
    """An agreement that cannot be loaded or built, with every problem found.

    Loading a file lists at most its first :data:`MAX_PROBLEMS` problems, in the order they
    appear in the file, and counts the rest in ``omitted``: a file can stand for millions of
    problems (a mapping with a thousand unknown keys, used a thousand times through a YAML
    alias), and the first hundred say what to fix.

    Attributes
    ----------
    problems : tuple of Problem
        The problems, in the order they appear in the file.
    omitted : int
        How many more problems were found and not listed.
    """

    problems: tuple[Problem, ...]
    omitted: int

    def __init__(self, problems: Iterable[Problem], omitted: int = 0) -> None:
        if isinstance(problems, str):
            raise TypeError(f"AgreementError takes Problem objects, not the single string {quote(problems)}")
        self.problems = tuple(problems)
        self.omitted = omitted
        super().__init__(self._text())

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling rebuilds an exception from its args (here the message text): rebuild it
        # from its problems instead, so it crosses a process boundary unchanged.
        return (type(self), (self.problems, self.omitted), self.__dict__)

    def _text(self) -> str:
        n = len(self.problems) + self.omitted
        files = {p.file for p in self.problems if p.file is not None}
        where = "the agreement"  # a file's problems name the file: it may be a directory
        if len(files) == 1:
            where = files.pop()
        elif files:
            where = f"{len(files):,} files"
        head = f"{n:,} problem{'s' if n != 1 else ''} in {where}"
        if self.omitted:
            head += f" (the first {len(self.problems):,} listed)"
        listed = [f"  - {p}" for p in self.problems]
        if self.omitted:
            listed.append(f"  - and {self.omitted:,} more, not listed")
        return head + ":\n" + "\n".join(listed)

    def with_source(self, file: str | None, lines: Sequence[int | None] | None = None) -> "AgreementError":
        """Return a copy whose problems name ``file`` and, where given, their lines."""
        problems = []
        for i, p in enumerate(self.problems):
            line = lines[i] if lines is not None else p.line
            problems.append(attrs.evolve(p, file=file, line=line))
        return AgreementError(problems, self.omitted)


MAX_PROBLEMS = 100
"""How many problems loading a file lists (:attr:`AgreementError.omitted` counts the rest)."""
