"""The benchmark runs at its smallest size and reports every figure (nothing here is timed)."""

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import dpup

from .scripts import script

STAGES = {
    "floor",
    "load_yaml",
    "load_json",
    "graph",
    "purpose_mismatches",
    "missing_explanations",
    "untraceable_holders",
    "sharing_value",
    "check",
}


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    yield from script("run")


def _run(bench: ModuleType, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "bench.json"
    code = bench.main(["--quiet", "--repeats", "1", "--json", str(out), *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_smallest_size_reports_every_stage_against_the_floor(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _run(bench, tmp_path, "--flows", "120")
    assert code == 0
    assert set(data) >= {
        "dpup_version",
        "date",
        "python",
        "machine",
        "yaml_loader",
        "results",
        "growth",
        "targets",
    }
    assert data["machine"]["cpus"] >= 1
    [result] = data["results"]
    assert result["flows_asked"] == 120
    assert result["isolated"] is True  # timed in a fresh process
    assert result["flows"] >= 100
    assert result["agreements"] >= 1
    assert set(result["stages"]) == STAGES
    for name, stage in result["stages"].items():
        assert stage["available"], name
        assert stage["error"] is None, name
        assert stage["seconds"] > 0, name
        assert stage["cpu_seconds"] >= 0, name
        assert stage["ratio"] == pytest.approx(stage["seconds"] / result["stages"]["floor"]["seconds"]), name
    assert result["stages"]["floor"]["ratio"] == pytest.approx(1.0)
    assert result["file_bytes"]["yaml"] > 0
    assert result["file_bytes"]["json"] > 0
    memory = result["memory"]
    assert memory["error"] is None
    assert memory["peak_mib"] >= memory["baseline_mib"] > 0
    assert memory["checked"] is True
    assert set(result["findings"]) <= {
        "purpose-mismatch",
        "missing-explanation",
        "untraceable-holder",
        "sharing-value",
    }
    assert data["growth"] == {}
    targets = {t["name"].split(" (")[0]: t for t in data["targets"]}
    assert len(targets) == 5
    assert targets["full check of 100k flows, x floor"]["met"] is None  # 100k was not measured
    printed = capsys.readouterr().out
    for label in ("floor: one pass over the edges", "load YAML files", "full check", "peak memory (RSS)"):
        assert label in printed
    assert "not measured" in printed


def test_growth_between_sizes_and_missing_or_failing_checks(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delattr(dpup, "sharing_value")

    def broken(G: Any) -> Any:
        raise RuntimeError("a check that raises")

    monkeypatch.setattr(dpup, "untraceable_holders", broken)
    code, data = _run(bench, tmp_path, "--flows", "40", "80", "--no-memory", "--in-process")
    assert code == 0
    assert [r["flows_asked"] for r in data["results"]] == [40, 80]
    [key] = data["growth"]
    assert key == "40->80"
    assert data["growth"][key]["graph"] > 0
    small = data["results"][0]["stages"]
    assert small["sharing_value"] == {
        "available": False,
        "seconds": None,
        "cpu_seconds": None,
        "runs": [],
        "error": None,
        "ratio": None,
    }
    assert small["untraceable_holders"]["available"] is True
    assert small["untraceable_holders"]["seconds"] is None
    assert "RuntimeError: a check that raises" in small["untraceable_holders"]["error"]
    assert data["results"][0]["memory"] is None
    printed = capsys.readouterr().out
    assert "not available" in printed
    assert "error in untraceable_holders at 40: RuntimeError: a check that raises" in printed


def test_json_to_standard_output(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quiet", "--repeats", "1", "--no-memory", "--flows", "30", "--json", "-"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["results"][0]["flows_asked"] == 30
    assert "floor: one pass over the edges" in captured.err


def test_targets_are_judged_from_the_100k_figures(bench: ModuleType) -> None:
    def result(
        flows: int, check: float, load_json: float, memory: float, grow: float = 1.0
    ) -> dict[str, Any]:
        stages = {name: {"seconds": grow, "ratio": grow} for name in STAGES}
        stages["floor"] = {"seconds": 1.0 if flows == 100_000 else 0.1, "ratio": 1.0}  # grows 10x
        stages["check"] = {"seconds": check * 0.1, "ratio": check}
        stages["load_json"] = {"seconds": load_json, "ratio": load_json / 0.1}
        return {"flows_asked": flows, "stages": stages, "memory": {"peak_mib": memory}}

    small = result(10_000, 10.0, 0.2, 100.0)
    met = result(100_000, 14.0, 2.0, 900.0, grow=11.0)
    missed = result(100_000, 16.0, 3.5, 1100.0, grow=13.0)

    def verdicts(big: dict[str, Any]) -> dict[str, Any]:
        judged = bench.targets([small, big], bench.growth([small, big]))
        return {t["name"].split(" (")[0].split(",")[0]: t["met"] for t in judged}

    assert verdicts(met) == {
        "full check of 100k flows": True,
        "growth 10k->100k": True,
        "growth 10k->100k over the floor's own growth of 10.0x": True,
        "JSON load of 100k flows": True,
        "YAML load uses PyYAML's C loader": bench._uses_c_loader(),
        "peak memory": True,
    }
    assert verdicts(missed) == {
        "full check of 100k flows": False,
        "growth 10k->100k": False,
        "growth 10k->100k over the floor's own growth of 10.0x": False,
        "JSON load of 100k flows": False,
        "YAML load uses PyYAML's C loader": bench._uses_c_loader(),
        "peak memory": False,
    }


def test_the_floor_is_the_yardstick_not_a_stage_judged_for_growth(bench: ModuleType) -> None:
    def result(flows: int, floor: float, rest: float) -> dict[str, Any]:
        stages = {name: {"seconds": rest, "ratio": rest / floor} for name in STAGES}
        stages["floor"] = {"seconds": floor, "ratio": 1.0}
        return {"flows_asked": flows, "stages": stages, "memory": None}

    small, big = result(10_000, 0.01, 0.1), result(100_000, 0.19, 1.1)  # floor 19x, every stage 11x
    judged = {t["name"]: t for t in bench.targets([small, big], bench.growth([small, big]))}
    growth = next(t for name, t in judged.items() if name.startswith("growth 10k->100k, every stage"))
    assert growth["met"] is True
    assert growth["measured"] == pytest.approx(11.0)
    assert "floor" not in growth["name"]
    assert any("floor's own growth of 19.0x" in name for name in judged)


def test_each_size_can_be_timed_in_several_fresh_processes(bench: ModuleType, tmp_path: Path) -> None:
    code, data = _run(bench, tmp_path, "--flows", "60", "--processes", "2", "--no-yaml", "--no-memory")
    assert code == 0
    (result,) = data["results"]
    assert result["processes"] == 2
    check = result["stages"]["check"]
    assert len(check["runs"]) == 2 * 3  # checks run at least 3 times in each process
    assert check["seconds"] == min(check["runs"])


def test_the_best_run_of_each_stage_is_kept_over_processes(bench: ModuleType) -> None:
    def session(check: float, graph: float, error: str | None = None) -> dict[str, Any]:
        stages = {
            "check": {"seconds": check, "cpu_seconds": check, "runs": [check, check + 1], "error": None},
            "graph": {"seconds": graph, "cpu_seconds": graph, "runs": [graph], "error": error},
        }
        return {"stages": stages, "findings": {"purpose-mismatch": 1}}

    merged = bench.best_of([session(2.0, 0.5), session(1.0, 0.7, error="boom")])
    assert merged["stages"]["check"]["seconds"] == 1.0
    assert sorted(merged["stages"]["check"]["runs"]) == [1.0, 2.0, 2.0, 3.0]
    assert merged["stages"]["graph"]["seconds"] == 0.5
    assert merged["stages"]["graph"]["error"] == "boom"
    assert merged["findings"] == {"purpose-mismatch": 1}


def test_sizes_must_be_positive(bench: ModuleType) -> None:
    with pytest.raises(SystemExit):
        bench.main(["--flows", "0"])
    with pytest.raises(SystemExit):
        bench.main(["--flows", "10", "--processes", "0"])


def test_the_sizes_fresh_processes_are_taken_in_turn(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So that the host slowing down halfway through touches both sizes, not only the second."""
    order: list[str] = []
    child = bench._child

    def recording(args: list[str]) -> dict[str, Any]:
        order.append(Path(args[args.index("--measure-files") + 1]).name)  # the size's own directory
        return child(args)  # type: ignore[no-any-return]

    monkeypatch.setattr(bench, "_child", recording)
    code, data = _run(bench, tmp_path, "--flows", "60", "30", "--processes", "2", "--no-memory", "--no-yaml")
    assert code == 0
    assert order == ["30", "60", "30", "60"]
    assert [r["processes"] for r in data["results"]] == [2, 2]
    assert [r["flows_asked"] for r in data["results"]] == [30, 60]
