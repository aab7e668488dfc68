"""dpup's tests (a package, so that ``from tests.strategies import agreements`` works)."""
