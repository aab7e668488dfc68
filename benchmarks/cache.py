#!/usr/bin/env python
"""Count the work of the full check per flow, with valgrind's cachegrind.

Usage::

    python benchmarks/cache.py                      # 10k and 100k flows (about 10 minutes)
    python benchmarks/cache.py --flows 1000 10000   # other sizes
    python benchmarks/cache.py --json counts.json   # the same figures as JSON too

Times vary with the machine and whatever else it is doing; counts do not. For each size this
writes the synthetic sector (:func:`dpup.synth.sector`) as JSON files, then runs two fresh
Python processes under ``valgrind --tool=cachegrind`` with ``PYTHONHASHSEED=0``: one loads
the files and builds the graph, the other does the same and then runs :func:`dpup.check`
(both collect garbage first and skip the interpreter's teardown). The difference between the
two is the check's own:

- **instructions** executed and **data reads**: the work itself. If the check's cost grows in
  proportion to the model, these grow 10x from 10k to 100k flows.
- **first-level** and **last-level data read misses**, in a simulated cache of this machine's
  geometry (read from ``/sys/devices/system/cpu/cpu0/cache``, or given with ``--d1`` and
  ``--ll``): the reads that had to go further out. When a sector's objects outgrow the
  last-level cache, each pass over the flows pays for memory again, and the seconds grow
  faster than the work.

This is the reproducible half of the Performance page's account of how the check's time grows;
``benchmarks/run.py`` measures the seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # count the checkout this script belongs to
    sys.path.insert(0, str(_ROOT))

EVENTS = {
    "Ir": "instructions",
    "Dr": "data reads",
    "D1mr": "first-level data read misses",
    "DLmr": "last-level data read misses",
}
"""The cachegrind events reported, by their cachegrind names."""

_CACHE = Path("/sys/devices/system/cpu/cpu0/cache")


def cache_geometry(level: int, kind: str) -> str | None:
    """``size,associativity,line size`` of this machine's cache at ``level``, as valgrind's
    ``--D1``/``--LL`` options take it; ``None`` where the system does not say."""
    for index in sorted(_CACHE.glob("index*")):
        try:
            here = int((index / "level").read_text())
            what = (index / "type").read_text().strip()
            size = (index / "size").read_text().strip()
            ways = int((index / "ways_of_associativity").read_text())
            line = int((index / "coherency_line_size").read_text())
        except (OSError, ValueError):
            continue
        if here == level and what in (kind, "Unified") and size.endswith("K"):
            return f"{int(size[:-1]) * 1024},{ways},{line}"
    return None


def last_level() -> str | None:
    """The geometry of the outermost cache the system describes."""
    for level in (3, 2):
        found = cache_geometry(level, "Unified")
        if found:
            return found
    return None


def read_counts(out_file: Path) -> dict[str, int]:
    """The program totals in a cachegrind output file, by event name."""
    events: list[str] = []
    summary: list[int] = []
    for line in out_file.read_text().splitlines():
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith("summary:"):
            summary = [int(x) for x in line.split()[1:]]
    if not events or len(events) != len(summary):
        raise RuntimeError(f"{out_file} has no cachegrind summary")
    return dict(zip(events, summary, strict=True))


def _child(directory: str, check: bool) -> None:
    """What runs under valgrind: load, build the graph and, with ``check``, check.

    Both runs collect garbage before the check would start, as ``benchmarks/run.py`` does
    before each timed run, and leave without tearing the interpreter down, so that the
    difference between them is the check and nothing else."""
    import gc

    import dpup

    agreements = dpup.load_all(sorted(Path(directory).glob("*.json")))
    G = dpup.graph(*agreements)
    gc.collect()
    if check:
        dpup.check(G)
    sys.stdout.flush()
    os._exit(0)


def _under_cachegrind(
    directory: Path, check: bool, d1: str | None, ll: str | None, out: Path
) -> dict[str, int]:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=yes", f"--cachegrind-out-file={out}"]
    command += [f"--D1={d1}"] if d1 else []
    command += [f"--LL={ll}"] if ll else []
    command += [sys.executable, __file__, "--child", str(directory)] + (["--check"] if check else [])
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"cachegrind run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return read_counts(out)


def measure(
    flows: int, *, seed: int, faults: float, d1: str | None, ll: str | None, log: Any
) -> dict[str, Any]:
    """The check's counts for one size of sector: totals and per flow."""
    from dpup import synth

    agreements = synth.sector(flows=flows, seed=seed, faults=faults)
    n = sum(len(a.flows) for a in agreements)
    with tempfile.TemporaryDirectory(prefix="dpup-cache-") as tmp:
        files = Path(tmp) / "json"
        synth.write(agreements, files, format="json")
        del agreements
        log(f"[{flows:,} flows] load and graph under cachegrind ...")
        base = _under_cachegrind(files, False, d1, ll, Path(tmp) / "base.out")
        log(f"[{flows:,} flows] load, graph and check under cachegrind ...")
        full = _under_cachegrind(files, True, d1, ll, Path(tmp) / "check.out")
    check = {event: full[event] - base[event] for event in EVENTS}
    return {
        "flows_asked": flows,
        "flows": n,
        "check": check,
        "per_flow": {event: value / n for event, value in check.items()},
    }


def table(results: Sequence[dict[str, Any]]) -> str:
    """The counts as a text table: per flow at each size, and the growth of each total."""
    ordered = sorted(results, key=lambda r: r["flows_asked"])
    head = ["the full check, per flow"] + [f"{_short(r['flows_asked'])} flows" for r in ordered]
    pairs = list(itertools.pairwise(ordered))
    head += [f"growth {_short(a['flows_asked'])}->{_short(b['flows_asked'])}" for a, b in pairs]
    rows = [head]
    for event, label in EVENTS.items():
        row = [label] + [f"{r['per_flow'][event]:,.1f}" for r in ordered]
        row += [_growth(a["check"][event], b["check"][event]) for a, b in pairs]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _growth(a: int, b: int) -> str:
    return f"{b / a:.1f}x" if a > 0 else "-"


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/cache.py",
        description="Count the full check's instructions and cache misses per flow with valgrind's cachegrind.",
    )
    parser.add_argument("--flows", type=int, nargs="+", default=[10_000, 100_000], metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", type=float, default=0.01)
    parser.add_argument(
        "--d1", default=None, help="first-level data cache as size,assoc,line (default: this machine's)"
    )
    parser.add_argument(
        "--ll", default=None, help="last-level cache as size,assoc,line (default: this machine's)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--child", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.check)
        return 0
    if shutil.which("valgrind") is None:
        print("benchmarks/cache.py needs valgrind (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    d1 = args.d1 or cache_geometry(1, "Data")
    ll = args.ll or last_level()

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    results = [measure(n, seed=args.seed, faults=args.faults, d1=d1, ll=ll, log=log) for n in args.flows]
    version = subprocess.run(
        ["valgrind", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(
        f"dpup cache counts: {version} cachegrind, Python {platform.python_version()}, PYTHONHASHSEED=0; "
        f"simulated D1 {d1 or 'valgrind default'}, LL {ll or 'valgrind default'} (size,assoc,line)"
    )
    print(table(results))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"valgrind": version, "d1": d1, "ll": ll, "sizes": results}, indent=2) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
