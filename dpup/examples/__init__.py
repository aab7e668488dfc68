"""The bundled example agreements, so an installed dpup always has them.

Examples
--------
>>> import dpup
>>> dpup.examples.names()
('best-foot-forward', 'best-foot-forward-before')
>>> dpup.examples.load("best-foot-forward").title
"Best foot forward - joint parenting and children's programme"
"""

from importlib import resources
from pathlib import Path

from dpup.model import Agreement

__all__ = ["NoSuchExample", "load", "names", "path"]


def names() -> tuple[str, ...]:
    """The names of the bundled examples, sorted."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


class NoSuchExample(KeyError):
    """There is no bundled example of the name asked for: a :class:`KeyError` whose message
    reads as a sentence (a plain ``KeyError`` shows its message in quotes, as it would a key)."""

    def __str__(self) -> str:
        return str(self.args[0])


def path(name: str) -> Path:
    """The path of a bundled example file.

    Raises
    ------
    NoSuchExample
        A :class:`KeyError`, if there is no example of that name; the message lists the
        names there are.

    Examples
    --------
    >>> import dpup
    >>> dpup.examples.path("nope")
    Traceback (most recent call last):
    ...
    dpup.examples.NoSuchExample: no example named 'nope'; there are best-foot-forward, best-foot-forward-before
    """
    known = names()
    if name not in known:
        hint = ""
        if isinstance(name, str) and name.removesuffix(".yaml") in known:
            hint = f" (the name without its suffix: {name.removesuffix('.yaml')!r})"
        raise NoSuchExample(f"no example named {name!r}{hint}; there are {', '.join(known)}")
    return Path(str(resources.files(__name__).joinpath(f"{name}.yaml")))


def load(name: str) -> Agreement:
    """Load a bundled example by name (``"best-foot-forward"`` or ``"best-foot-forward-before"``)."""
    from dpup.files import load as load_file

    return load_file(path(name))
