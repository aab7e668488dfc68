"""SARIF output: the log's shape (SARIF 2.1.0, as GitHub code scanning reads it), one result
per finding, locations, fingerprints, suppressions for accepted findings, and the CLI."""

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup.cli import EXIT_FINDINGS, EXIT_OK
from dpup.render import render_sarif, to_sarif
from dpup.render.sarif import FINGERPRINT, LOAD_RULE, SARIF_SCHEMA, _file_uri
from tests.examples import AFTER, BEFORE, run

LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _run(log: dict[str, Any]) -> dict[str, Any]:
    assert log["version"] == "2.1.0"
    assert log["$schema"] == SARIF_SCHEMA
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


def assert_sound(log: dict[str, Any], report: dpup.Report) -> None:
    """What SARIF 2.1.0 requires of what dpup writes, and that it says what the report says."""
    run = _run(log)
    driver = run["tool"]["driver"]
    assert driver["name"] == "dpup"
    assert driver["version"] == dpup.__version__
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [*(c.code for c in dpup.catalogue()), LOAD_RULE]
    results = run["results"]
    assert len(results) == len(report)
    for result, f in zip(results, report, strict=True):
        assert result["ruleId"] == f.code
        assert rules[result["ruleIndex"]]["id"] == f.code
        assert result["level"] == LEVELS[f.severity.value]
        assert result["message"]["text"].startswith(f.message)
        assert f.remediation in result["message"]["text"]
        assert result["partialFingerprints"] == {FINGERPRINT: f.fingerprint}
        assert ("suppressions" in result) == (f.accepted is not None)
        assert result["properties"]["subject"] == f.subject
        assert result["properties"]["where"] == f.where
        for location in result.get("locations", []):
            assert location  # SARIF: a location says something
            physical = location.get("physicalLocation")
            if physical is not None:
                assert physical["artifactLocation"]["uri"] == _file_uri(str(f.file))
                if "region" in physical:
                    assert physical["region"]["startLine"] == f.line >= 1


def test_every_finding_is_a_result_that_points_at_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    text = BEFORE.read_text(encoding="utf-8")
    (tmp_path / "drafts" / "ccss.yaml").write_text(text, encoding="utf-8")
    report = dpup.check(dpup.load(BEFORE)).located({"best-foot-forward-before": "drafts/ccss.yaml"})
    log = to_sarif(report)
    assert_sound(log, report)
    results = log["runs"][0]["results"]
    assert len(results) == 42
    pm003 = next(r for r in results if r["ruleId"] == "PM003")
    assert pm003["level"] == "error"
    line = 1 + text.splitlines().index("  - id: outcomes-report")
    assert pm003["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "drafts/ccss.yaml"},
        "region": {"startLine": line},
    }
    assert pm003["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "best-foot-forward-before:$.flows[4]"
    )
    assert {r["level"] for r in results} == {"error", "warning"}


def test_a_report_not_located_has_logical_locations_only() -> None:
    report = dpup.check(dpup.load(BEFORE))
    results = to_sarif(report)["runs"][0]["results"]
    assert all("physicalLocation" not in loc for r in results for loc in r["locations"])
    assert all(loc["logicalLocations"] for r in results for loc in r["locations"])


def test_a_finding_with_no_agreement_has_no_location() -> None:
    G = dpup.load(AFTER).graph()
    G.add_edge("agency.evaluation", "somewhere-else", key="audit-found")  # declared nowhere
    report = dpup.check(G)
    uh004 = [f for f in report if f.code == "UH004"]
    assert uh004
    assert uh004[0].agreement is None
    log = to_sarif(report)
    assert_sound(log, report)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "UH004")
    assert "locations" not in result


def test_rules_carry_the_catalogue() -> None:
    rules = {r["id"]: r for r in _run(to_sarif(dpup.Report.of([])))["tool"]["driver"]["rules"]}
    check = next(c for c in dpup.catalogue() if c.code == "UH002")
    rule = rules["UH002"]
    assert rule["name"] == "holder-not-a-party"
    assert rule["fullDescription"]["text"] == check.finds
    assert rule["defaultConfiguration"]["level"] == "error"
    assert check.remediation in rule["help"]["text"]
    assert check.remediation in rule["help"]["markdown"]
    assert check.seeds[0].quote in rule["help"]["text"]
    assert check.seeds[0].title in rule["help"]["markdown"]
    assert check.law is not None
    assert check.law.note in rule["help"]["text"]
    assert rule["properties"]["guideline"] == check.guideline == "Access to Information"
    assert rule["properties"]["principles"] == list(check.principles)
    assert "untraceable-holder" in rule["properties"]["tags"]
    assert rules["ME008"]["defaultConfiguration"]["level"] == "note"  # SARIF's name for info
    assert rules["PM011"]["defaultConfiguration"]["level"] == "warning"


def test_an_accepted_finding_is_suppressed_in_the_source_with_its_reason() -> None:
    a = dpup.load(BEFORE)
    acc = dpup.Acceptance(
        code="PM002", subject="evaluation-to-contractor", reason="agreed at the March review", by="Aroha"
    )
    report = dpup.check(attrs.evolve(a, accepted=[acc]))
    log = to_sarif(report)
    assert_sound(log, report)
    suppressed = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["ruleId"] == "PM002"
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "accepted by Aroha: agreed at the March review",
        }
    ]


def test_a_finding_made_by_hand_with_a_code_no_check_has_gets_no_rule_index() -> None:
    f = dpup.Finding(code="XX001", family="sharing-value", severity="info", subject="s", message="m")
    result = to_sarif(dpup.Report.of([f]))["runs"][0]["results"][0]
    assert result["ruleId"] == "XX001"
    assert "ruleIndex" not in result
    assert result["level"] == "note"
    assert result["message"] == {"text": "m"}  # no remediation to add


def test_file_uris() -> None:
    assert _file_uri("ccss.yaml") == "ccss.yaml"
    assert _file_uri("./drafts//ccss.yaml") == "drafts/ccss.yaml"
    assert _file_uri("../shared/ccss #2.yaml") == "../shared/ccss%20%232.yaml"
    assert _file_uri("Māori/ccss.yaml") == "M%C4%81ori/ccss.yaml"
    assert _file_uri("caf\udce9.yaml") == "caf%E9.yaml"  # a name that is not UTF-8, byte for byte
    assert _file_uri("/srv/a b/ccss.yaml") == "file:///srv/a%20b/ccss.yaml"


def test_ascii_sarif_is_the_same_log() -> None:
    report = dpup.check(dpup.load(BEFORE))
    text = render_sarif(report, ascii=True)
    assert text.isascii()
    assert json.loads(text) == json.loads(render_sarif(report)) == to_sarif(report)
    assert not render_sarif(report).isascii()  # the Principles' macrons, as they are


@settings(max_examples=8)
@given(seed=st.integers(0, 2**16), rate=st.sampled_from([0.0, 0.05, 0.2]))
def test_a_sectors_report_becomes_a_sound_log(seed: int, rate: float) -> None:
    sector = synth.sector(flows=120, seed=seed, faults=rate)
    report = dpup.check(dpup.graph(*sector)).located({a.id: f"sector/{a.id}.yaml" for a in sector})
    assert_sound(json.loads(render_sarif(report)), report)


def test_the_cli_writes_sarif_and_keeps_its_exit_codes() -> None:
    code, out, err = run("check", "--format", "sarif", str(BEFORE))
    assert (code, err) == (EXIT_FINDINGS, "")
    log = json.loads(out)
    _, as_json, _ = run("check", "--format", "json", str(BEFORE))
    findings = json.loads(as_json)["findings"]
    results = _run(log)["results"]
    assert [r["ruleId"] for r in results] == [f["code"] for f in findings]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [
        f["line"] for f in findings
    ]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        _file_uri(str(BEFORE))
    }
    assert run("check", "--format", "sarif", "--fail-on", "never", str(BEFORE))[0] == EXIT_OK
    code, out, _ = run("check", "--format", "sarif", str(AFTER))
    assert code == EXIT_OK
    assert [r["level"] for r in _run(json.loads(out))["results"]] == ["note"]


def test_the_load_log_counts_one_problem_and_one_more_in_the_singular() -> None:
    from dpup.render.sarif import problems_to_sarif

    one = dpup.Problem(path=("flows", 0), message="m", file="a.yaml", line=3)
    (invocation,) = problems_to_sarif([one])["runs"][0]["invocations"]
    summary = "1 problem in 1 file; dpup checks nothing until every file given loads"
    assert invocation["exitCodeDescription"] == summary
    two = [one, attrs.evolve(one, line=4)]
    (invocation,) = problems_to_sarif(two, omitted={"b.yaml": 1, "c.yaml": 2})["runs"][0]["invocations"]
    # near miss: five problems in three files are counted in the plural
    assert invocation["exitCodeDescription"] == (
        "5 problems in 3 files; dpup checks nothing until every file given loads"
    )
    assert [n["message"]["text"] for n in invocation["toolExecutionNotifications"][1:]] == [
        "b.yaml: and 1 more problem, not listed (only the first of a file are)",
        "c.yaml: and 2 more problems, not listed (only the first of a file are)",
    ]


def test_the_fingerprint_of_a_load_problem_tells_file_place_and_message_apart() -> None:
    from dpup.render.sarif import problems_to_sarif

    p = dpup.Problem(path=("flows", 0, "to"), message="m", file="a.yaml", line=3)
    others = [
        attrs.evolve(p, file="b.yaml"),
        attrs.evolve(p, file=None),
        attrs.evolve(p, path=("flows", 1, "to")),
        attrs.evolve(p, message="n"),
    ]
    same = attrs.evolve(p, line=9)  # near miss: only its line differs

    def fingerprints(problems: list[dpup.Problem]) -> list[str]:
        return [
            r["partialFingerprints"][FINGERPRINT] for r in problems_to_sarif(problems)["runs"][0]["results"]
        ]

    found = fingerprints([p, *others, same])
    assert len(set(found[:-1])) == 1 + len(others)
    assert found[-1] == found[0]


def test_the_load_rule_says_what_it_finds_and_how_to_fix_it_as_a_check_rule_does() -> None:
    from dpup.render.sarif import problems_to_sarif

    rule = problems_to_sarif([])["runs"][0]["tool"]["driver"]["rules"][-1]
    assert rule["id"] == LOAD_RULE
    assert rule["shortDescription"] == {"text": "A file is not a valid agreement, so nothing was checked."}
    assert rule["help"]["text"].startswith("How to fix: ")
    assert rule["help"]["markdown"] == "**How to fix:** " + rule["help"]["text"].removeprefix("How to fix: ")
    assert rule["properties"] == {"tags": ["dpup", "load-error"]}
    assert rule["defaultConfiguration"] == {"level": "error"}
    # near miss: a check's rule has the same keys, and tags of its own
    check_rule = problems_to_sarif([])["runs"][0]["tool"]["driver"]["rules"][0]
    assert set(check_rule) >= set(rule) - {"properties"}
    assert check_rule["properties"]["tags"][0] == "dpup"
