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

__all__ = ["load", "names", "path"]


def names() -> tuple[str, ...]:
    """The names of the bundled examples, sorted."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml")))


def path(name: str) -> Path:
    """The path of a bundled example file.

    Raises
    ------
    KeyError
        If there is no example of that name; the message lists the names there are.
    """
    if name not in names():
        raise KeyError(f"no example named {name!r}; there are {', '.join(names())}")
    return Path(str(resources.files(__name__).joinpath(f"{name}.yaml")))


def load(name: str) -> Agreement:
    """Load a bundled example by name (``"best-foot-forward"`` or ``"best-foot-forward-before"``)."""
    from dpup.files import load as load_file

    return load_file(path(name))
