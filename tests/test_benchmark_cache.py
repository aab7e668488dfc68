"""benchmarks/cache.py: counting the check's work with cachegrind (nothing here is timed)."""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from .scripts import script

SUMMARY = """desc: I1 cache: 32768 B, 64 B, 8-way associative
cmd: python cg.py
events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
fl=x.c
fn=f
1 5 0 0 2 1 0 0 0 0
summary: 1000 3 2 400 40 7 100 5 1
"""


@pytest.fixture(scope="module")
def cache() -> Iterator[ModuleType]:
    yield from script("cache")


def test_reads_the_program_totals_of_a_cachegrind_file(cache: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "cg.out"
    out.write_text(SUMMARY)
    counts = cache.read_counts(out)
    assert counts["Ir"] == 1000
    assert counts["Dr"] == 400
    assert counts["D1mr"] == 40
    assert counts["DLmr"] == 7


def test_a_file_without_totals_is_an_error(cache: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "cg.out"
    out.write_text(SUMMARY.replace("summary:", "total:"))
    with pytest.raises(RuntimeError, match="no cachegrind summary"):
        cache.read_counts(out)


def test_the_table_gives_counts_per_flow_and_the_growth_of_each_total(cache: ModuleType) -> None:
    small = {"flows_asked": 1000, "flows": 1000, "check": {}, "per_flow": {}}
    big = {"flows_asked": 10_000, "flows": 10_000, "check": {}, "per_flow": {}}
    for i, event in enumerate(cache.EVENTS):
        small["check"][event] = 1000 * (i + 1)
        small["per_flow"][event] = (i + 1) * 1.0
        big["check"][event] = 1000 * (i + 1) * (10 if event != "DLmr" else 25)
        big["per_flow"][event] = (i + 1) * (1.0 if event != "DLmr" else 2.5)
    lines = cache.table([big, small]).splitlines()
    assert lines[0].index("1k flows") < lines[0].index("10k flows") < lines[0].index("growth 1k->10k")
    rows = {line.split("  ")[0].strip(): line.split() for line in lines[2:]}
    assert rows["instructions"][-1] == "10.0x"
    assert rows["last-level data read misses"][-1] == "25.0x"
    assert rows["last-level data read misses"][-3:-1] == ["4.0", "10.0"]


def test_the_machine_cache_geometry_is_valgrind_shaped(cache: ModuleType) -> None:
    for found in (cache.cache_geometry(1, "Data"), cache.last_level()):
        if found is not None:
            size, ways, line = (int(x) for x in found.split(","))
            assert min(size, ways, line) > 0


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="needs valgrind")
def test_counts_the_check_of_a_small_sector(
    cache: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "counts.json"
    assert cache.main(["--quiet", "--flows", "100", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    (size,) = data["sizes"]
    assert size["flows"] >= 100
    assert size["check"]["Ir"] > 0  # the check executes instructions of its own ...
    assert size["per_flow"]["Ir"] == size["check"]["Ir"] / size["flows"]
    assert "instructions" in capsys.readouterr().out
