"""The one exception a bad agreement raises, and the problems it lists.

Every problem names where it is (file, line, field path such as ``$.flows[2].purpose``),
what was expected and what was found, so that a person can fix a hand-written file
without reading a traceback.
"""

from collections.abc import Iterable, Sequence

import attrs

__all__ = ["AgreementError", "Path", "Problem", "format_path"]

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """Render a field path the way people read it, JSONPath style.

    Examples
    --------
    >>> format_path(("flows", 2, "purpose"))
    '$.flows[2].purpose'
    >>> format_path(())
    '$'
    """
    out = ["$"]
    for part in path:
        out.append(f"[{part}]" if isinstance(part, int) else f".{part}")
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


class AgreementError(ValueError):
    """An agreement that cannot be loaded or built, with every problem found.

    Attributes
    ----------
    problems : tuple of Problem
        All problems, in the order they appear in the file.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the agreement"
        files = {p.file for p in self.problems if p.file is not None}
        if len(files) == 1:
            head += f" {files.pop()}"
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)

    def with_source(self, file: str | None, lines: Sequence[int | None] | None = None) -> "AgreementError":
        """Return a copy whose problems name ``file`` and, where given, their lines."""
        problems = []
        for i, p in enumerate(self.problems):
            line = lines[i] if lines is not None else p.line
            problems.append(attrs.evolve(p, file=file, line=line))
        return AgreementError(problems)
