"""Importing the scripts under benchmarks/ (not a package) for their tests."""

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def script(name: str) -> Iterator[ModuleType]:
    """Import ``benchmarks/<name>.py`` as a module for the length of a fixture."""
    spec = importlib.util.spec_from_file_location(f"dpup_benchmark_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]
