"""What the ``dpup`` command writes for tools: every JSON document starts with dpup's version and
the version of the command's output, and files that are not valid agreements give a JSON
document of their problems (``--format json``) or a SARIF log with a result for each
(``check --format sarif``), as well as the lines on standard error, and exit 2."""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import markdown as md  # Python-Markdown, to see what a Markdown renderer makes of the output
import pytest

import dpup
import dpup.cli
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE, OUTPUT_VERSIONS
from dpup.errors import format_path
from dpup.render.markdown import _escape as md_escape
from dpup.render.sarif import FINGERPRINT, LOAD_RULE, SARIF_SCHEMA, _file_uri, problems_to_sarif
from tests.examples import AFTER, BEFORE, CLI_KEYS, ROOT, payload, run
from tests.test_readme import code_blocks

BAD = """\
dpup: 1
agreement:
  id: demo
  title: Demo
service_users:
  - id: parents
    name: Parents
    nmae: typo
holders:
  - {id: ccss, kind: provider, name: CCSS}
information:
  - {id: record, about: [parents], identifiability: identifying}
flows:
  - {id: intake, from: parents, to: ccss, carries: [record], purpose: care}
purposes:
  - {id: care, description: Care, benefit: Better care, authority: consent}
"""
"""A draft with one problem: a misspelt key, on line 8."""

PROBLEM = {
    "line": 8,
    "path": "$.service_users[0].nmae",
    "message": "unknown key 'nmae' in a service-user group",
    "hint": "did you mean 'name'?",
}
"""What the problem of :data:`BAD` says (besides its file, expected and found)."""

PROBLEM_KEYS = ["file", "line", "path", "message", "expected", "found", "hint", "text"]


@pytest.fixture
def bad(tmp_path: Path) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return str(path)


def failed(text: str, command: str) -> dict[str, Any]:
    """The JSON document of a command whose files did not load: the header, then only the
    problems (and, for ``validate``, the agreements that did load)."""
    data: dict[str, Any] = json.loads(text)
    own = ["agreements"] if command == "validate" else []
    assert list(data) == ["dpup", *own, "problems", "omitted"]
    assert data["dpup"] == {
        "version": dpup.__version__,
        "command": command,
        "output": OUTPUT_VERSIONS[command],
    }
    assert data["problems"]
    for problem in data["problems"]:
        assert list(problem) == PROBLEM_KEYS
    return data


def texts(data: dict[str, Any]) -> list[str]:
    return [p["text"] for p in data["problems"]]


# -- the header -------------------------------------------------------------------------------


SUCCESS = {
    "check": ["check", str(AFTER)],
    "compare": ["compare", str(BEFORE), str(AFTER)],
    "diff": ["diff", str(BEFORE), str(AFTER)],
    "holders": ["holders", "children", str(AFTER)],
    "notice": ["notice", "parents", str(AFTER)],
    "validate": ["validate", str(AFTER)],
    "checks": ["checks", "PM004"],
}


def _json_commands() -> set[str]:
    """The subcommands with a ``--format json``, as the parser has them."""
    parser = dpup.cli._parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found = set()
    for name, p in sub.choices.items():
        formats = [a.choices for a in p._actions if a.dest == "format"]
        if formats and "json" in (formats[0] or ()):
            found.add(name)
    return found


def test_every_command_with_json_output_has_an_output_version() -> None:
    # dpup init writes an agreement, as JSON too: not a document of the command's own
    assert _json_commands() - {"init"} == set(OUTPUT_VERSIONS) == set(SUCCESS)
    assert set(OUTPUT_VERSIONS.values()) == {1}


@pytest.mark.parametrize("command", sorted(SUCCESS))
def test_every_json_document_starts_with_the_versions_and_has_no_problems(command: str) -> None:
    code, out, err = run(*SUCCESS[command], "--format", "json")
    assert code in (EXIT_OK, EXIT_FINDINGS)
    assert err == ""
    assert payload(out, command)  # the header first, no problems, and what the command reports
    assert out.startswith('{\n  "dpup": {\n    "version": ')  # first, for a tool that reads a stream


def test_the_documents_hold_what_the_librarys_to_dict_gives() -> None:
    # check: the report, located in its file
    report = dpup.check(dpup.load(BEFORE)).located({"best-foot-forward-before": str(BEFORE)})
    code, out, _ = run("check", "--format", "json", str(BEFORE))
    assert code == EXIT_FINDINGS
    assert payload(out, "check") == report.to_dict()
    # compare: the comparison of the two located reports
    after = dpup.check(dpup.load(AFTER)).located({"best-foot-forward": str(AFTER)})
    _, out, _ = run("compare", "--format", "json", str(BEFORE), str(AFTER))
    assert payload(out, "compare") == dpup.compare(report, after).to_dict()
    # holders: the group and each holding
    _, out, _ = run("holders", "--format", "json", "children", str(AFTER))
    held = dpup.who_holds(dpup.load(AFTER), "children")
    assert payload(out, "holders") == {"group": "children", "holders": [h.to_dict() for h in held.values()]}
    # diff: each pair's changes
    _, out, _ = run("diff", "--format", "json", str(BEFORE), str(AFTER))
    data = payload(out, "diff")
    assert list(data) == ["agreements", "added", "removed"]
    (pair,) = data["agreements"]
    assert pair["changes"] == [c.to_dict() for c in dpup.diff(dpup.load(BEFORE), dpup.load(AFTER))]
    # validate: each agreement that loaded
    _, out, _ = run("validate", "--format", "json", str(AFTER), str(BEFORE))
    assert payload(out, "validate") == {
        "agreements": [
            {"file": str(AFTER), "id": "best-foot-forward", "flows": 5},
            {"file": str(BEFORE), "id": "best-foot-forward-before", "flows": 7},
        ]
    }


def test_the_keys_a_consumer_read_before_are_still_there() -> None:
    _, out, _ = run("check", "--format", "json", str(BEFORE))
    data = json.loads(out)
    assert list(data) == ["dpup", "findings", "counts", *CLI_KEYS[1:]]
    assert len(data["findings"]) == 42
    assert data["counts"]["error"] == 24


# -- files that do not load: JSON -------------------------------------------------------------


FAILING = {
    "check": lambda bad: ["check", bad],
    "compare (before)": lambda bad: ["compare", bad, str(AFTER)],
    "compare (after)": lambda bad: ["compare", str(AFTER), bad],
    "diff (before)": lambda bad: ["diff", bad, str(AFTER)],
    "diff (after)": lambda bad: ["diff", str(BEFORE), bad],
    "holders": lambda bad: ["holders", "parents", str(AFTER), bad],
    "notice": lambda bad: ["notice", "parents", bad],
    "validate": lambda bad: ["validate", bad],
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_a_file_that_does_not_load_is_a_json_document_of_its_problems(case: str, bad: str) -> None:
    argv = FAILING[case](bad)
    command = argv[0]
    code, text_out, text_err = run(*argv)
    assert (code, text_out) == (EXIT_INVALID, "")
    code, out, err = run(*argv, "--format", "json")
    assert code == EXIT_INVALID
    assert err == text_err  # standard error says the same as ever
    data = failed(out, command)
    assert texts(data) == err.splitlines()
    (problem,) = data["problems"]
    assert problem == {
        "file": bad,
        **PROBLEM,
        "expected": problem["expected"],
        "found": "'nmae'",
        "text": f"{bad}:8: $.service_users[0].nmae: {problem['message']} (expected "
        f"{problem['expected']}, found 'nmae'); did you mean 'name'?",
    }
    assert problem["expected"].startswith("one of the keys ")
    assert data["omitted"] == []
    if command == "validate":
        assert data["agreements"] == []


def test_validate_json_lists_the_valid_files_and_the_problems_of_the_others(bad: str) -> None:
    code, out, err = run("validate", "--format", "json", str(AFTER), bad, str(BEFORE))
    assert code == EXIT_INVALID
    data = failed(out, "validate")
    assert [(a["file"], a["id"], a["flows"]) for a in data["agreements"]] == [
        (str(AFTER), "best-foot-forward", 5),
        (str(BEFORE), "best-foot-forward-before", 7),
    ]
    assert [p["file"] for p in data["problems"]] == [bad]
    assert texts(data) == err.splitlines()
    # text, the default, is as it was: a line for each valid file
    code, out, _ = run("validate", str(AFTER), bad)
    assert (code, out) == (EXIT_INVALID, f"{AFTER}: OK (best-foot-forward: 5 flows)\n")


def test_problems_with_a_file_as_a_whole_are_at_the_path_dollar(tmp_path: Path) -> None:
    missing, empty = str(tmp_path / "missing.yaml"), tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("validate", "--format", "json", missing, f"{empty}/")
    assert code == EXIT_INVALID
    data = failed(out, "validate")
    assert [(p["file"], p["line"], p["path"]) for p in data["problems"]] == [
        (missing, None, "$"),
        (f"{empty}/", None, "$"),
    ]
    assert data["problems"][0]["message"] == "no such file or directory"
    assert data["problems"][0]["text"] == f"{missing}: no such file or directory"  # as ever
    assert data["problems"][1]["message"] == "the directory holds no agreement file"
    assert texts(data) == err.splitlines()


def test_a_file_that_cannot_be_read_is_a_problem_in_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text(BAD, encoding="utf-8")

    def refuse(file: str, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", file)

    monkeypatch.setattr(dpup.files, "open", refuse, raising=False)  # as chmod 000 does, but for root
    code, out, err = run("check", "--format", "json", str(path))
    assert code == EXIT_INVALID
    (problem,) = failed(out, "check")["problems"]
    assert (problem["path"], problem["message"]) == ("$", "cannot read the file: Permission denied")
    assert err == f"{path}: cannot read the file: Permission denied\n"


def test_two_files_with_one_agreement_id_are_a_problem_in_json(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copy(AFTER, copy)
    code, out, err = run("check", "--format", "json", str(AFTER), str(copy))
    assert code == EXIT_INVALID
    (problem,) = failed(out, "check")["problems"]
    assert (problem["file"], problem["line"], problem["path"]) == (str(copy), 6, "$.agreement.id")
    assert problem["text"] + "\n" == err


def test_agreements_that_disagree_about_an_id_are_a_problem_of_the_later_file(tmp_path: Path) -> None:
    from tests.test_graph import TRUST

    trust = tmp_path / "trust.yaml"
    trust.write_text(TRUST, encoding="utf-8")
    for command in ("check", "holders"):
        argv = (
            ["check", str(AFTER), str(trust)]
            if command == "check"
            else ["holders", "parents", str(AFTER), str(trust)]
        )
        code, out, err = run(*argv, "--format", "json")
        assert code == EXIT_INVALID
        (problem,) = failed(out, command)["problems"]
        assert (problem["file"], problem["line"], problem["path"]) == (str(trust), 8, "$.holders[1]")
        assert problem["message"].startswith(
            "'parents' is a service-user group in agreement 'best-foot-forward'"
        )
        assert (problem["expected"], problem["found"]) == (
            "a service-user group, as in agreement 'best-foot-forward', or an id of its own",
            "a provider",
        )
        assert problem["text"] + "\n" == err
    code, out, _ = run("check", "--format", "sarif", str(AFTER), str(trust))
    assert code == EXIT_INVALID
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": _file_uri(str(trust))},
        "region": {"startLine": 8},
    }


def many(tmp_path: Path) -> Path:
    """A file with 250 problems, of which the first 100 are listed."""
    path = tmp_path / "many.yaml"
    keys = "".join(f"  extra{i}: x\n" for i in range(250))
    path.write_text(f"dpup: 1\nagreement:\n  id: d\n  title: T\n{keys}", encoding="utf-8")
    return path


def test_more_problems_than_are_listed_are_counted(tmp_path: Path) -> None:
    path = many(tmp_path)
    code, out, err = run("check", "--format", "json", str(path))
    assert code == EXIT_INVALID
    data = failed(out, "check")
    assert len(data["problems"]) == 100
    assert data["omitted"] == [{"file": str(path), "problems": 150}]
    assert [
        *texts(data),
        f"{path}: and 150 more problems, not listed (only the first 100 of a file are)",
    ] == (err.splitlines())


def test_a_toml_problem_has_no_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('dpup = 1\n[agreement]\nid = "d"\ntitle = 3\n', encoding="utf-8")
    code, out, _ = run("validate", "--format", "json", str(path))
    assert code == EXIT_INVALID
    (problem,) = failed(out, "validate")["problems"]
    assert (problem["line"], problem["path"]) == (None, "$.agreement.title")
    code, out, _ = run("check", "--format", "sarif", str(path))
    assert code == EXIT_INVALID
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": _file_uri(str(path))}}


def test_validate_takes_text_or_json_only() -> None:
    code, out, err = run("validate", "--format", "sarif", str(AFTER))
    assert (code, out) == (EXIT_USAGE, "")
    assert "invalid choice: 'sarif'" in err
    assert run("validate", "--format", "text", str(AFTER))[1] == run("validate", str(AFTER))[1]


def test_a_usage_error_writes_no_document() -> None:
    # the command was wrong, not a file: nothing on standard output, exit 64, as for a misspelt option
    code, out, err = run("holders", "nobody", str(AFTER), "--format", "json")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith("dpup holders: ")


# -- files that do not load: SARIF ------------------------------------------------------------


def assert_load_log(log: dict[str, Any], problems: list[dict[str, Any]]) -> None:
    """What SARIF 2.1.0 (and GitHub code scanning) asks of the log of files that did not load,
    and that it says what the JSON document's problems say, in the same order."""
    assert list(log) == ["$schema", "version", "runs"]
    assert (log["$schema"], log["version"]) == (SARIF_SCHEMA, "2.1.0")
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == (
        "dpup",
        dpup.__version__,
        dpup.__version__,
    )
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [*(c.code for c in dpup.catalogue()), LOAD_RULE]
    rule = rules[-1]
    for key in ("name", "shortDescription", "fullDescription", "help", "defaultConfiguration"):
        assert rule[key]  # what code scanning shows beside a result
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["help"]["text"].startswith("How to fix: ")
    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == EXIT_INVALID
    assert isinstance(invocation["exitCodeDescription"], str)
    for note in invocation["toolExecutionNotifications"]:
        assert note["message"]["text"]
        assert note["level"] in ("error", "warning", "note")
    results = run_["results"]
    assert len(results) == len(problems)
    fingerprints = set()
    for result, problem in zip(results, problems, strict=True):
        assert result["ruleId"] == LOAD_RULE
        assert rules[result["ruleIndex"]]["id"] == LOAD_RULE
        assert result["level"] == "error"
        # the message is the line on stderr after the place, which the location gives
        assert problem["text"].endswith(": " + result["message"]["text"])
        assert result["message"]["text"].startswith(problem["message"])
        (location,) = result["locations"]  # code scanning shows a result with a location
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == _file_uri(problem["file"])
        if problem["line"] is None:
            assert "region" not in physical
        else:
            assert physical["region"] == {"startLine": problem["line"]}
        assert location["logicalLocations"] == [{"fullyQualifiedName": problem["path"]}]
        assert result["properties"] == {key: problem[key] for key in ("path", "expected", "found", "hint")}
        (fingerprint,) = result["partialFingerprints"].items()
        assert fingerprint[0] == FINGERPRINT
        assert re.fullmatch("[0-9a-f]{16}", fingerprint[1])
        fingerprints.add(fingerprint[1])
    assert len(fingerprints) == len(results)


def test_check_sarif_of_files_that_do_not_load_has_a_result_for_each_problem(
    bad: str, tmp_path: Path
) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text('dpup = 1\n[agreement]\nid = "d"\ntitle = 3\n', encoding="utf-8")
    missing = str(tmp_path / "missing.yaml")
    argv = ["check", bad, str(toml), missing, str(AFTER)]
    code, out, err = run(*argv, "--format", "sarif")
    assert code == EXIT_INVALID
    assert err == run(*argv)[2]  # standard error says the same as ever
    _, as_json, _ = run(*argv, "--format", "json")
    problems = failed(as_json, "check")["problems"]
    assert [p["file"] for p in problems] == [bad, str(toml), missing]
    log = json.loads(out)
    assert_load_log(log, problems)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["exitCodeDescription"] == (
        "3 problems in 3 files; dpup checks nothing until every file given loads"
    )
    assert invocation["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": invocation["exitCodeDescription"]}}
    ]


def test_the_fingerprint_of_a_load_problem_stays_when_lines_move(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"

    def results() -> list[tuple[int, str]]:
        out = run("check", "--format", "sarif", str(path))[1]
        return [
            (
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["partialFingerprints"][FINGERPRINT],
            )
            for r in json.loads(out)["runs"][0]["results"]
        ]

    path.write_text(BAD, encoding="utf-8")
    [(line, fingerprint)] = results()
    path.write_text("# a comment above\n" + BAD, encoding="utf-8")
    assert results() == [(line + 1, fingerprint)]  # one line down: the same problem
    path.write_text(BAD.replace("nmae: typo", "nmea: typo"), encoding="utf-8")
    [(_, other)] = results()
    assert other != fingerprint  # another key: another problem


def test_more_problems_than_are_listed_are_a_notification_in_sarif(tmp_path: Path) -> None:
    path = many(tmp_path)
    code, out, _ = run("check", "--format", "sarif", str(path))
    assert code == EXIT_INVALID
    problems = failed(run("check", "--format", "json", str(path))[1], "check")["problems"]
    log = json.loads(out)
    assert_load_log(log, problems)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["exitCodeDescription"].startswith("250 problems in 1 file;")
    summary, more = invocation["toolExecutionNotifications"]
    assert summary["level"] == "error"
    assert more == {
        "level": "warning",
        "message": {"text": f"{path}: and 150 more problems, not listed (only the first of a file are)"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _file_uri(str(path))}}}],
    }


def test_problems_to_sarif_in_python() -> None:
    try:
        dpup.loads("dpup: 1\nagreement: {id: demo, titel: Demo}\n")
    except dpup.AgreementError as error:
        problems = error.with_source("demo.yaml").problems
    log = problems_to_sarif(problems)
    as_dicts = [{**p.to_dict(), "text": str(p)} for p in problems]
    assert_load_log(log, as_dicts)
    # a problem with no file: only the logical location
    (result,) = problems_to_sarif([dpup.Problem(path=("flows", 0), message="m")])["runs"][0]["results"]
    assert result["locations"] == [{"logicalLocations": [{"fullyQualifiedName": format_path(("flows", 0))}]}]
    assert result["message"] == {"text": "m"}


def test_a_report_log_lists_the_load_rule_last_so_rule_indexes_stay() -> None:
    _, out, _ = run("check", "--format", "sarif", str(BEFORE))
    run_ = json.loads(out)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert rules[-1]["id"] == LOAD_RULE
    assert "invocations" not in run_  # a run that checked: as before
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] != LOAD_RULE for r in run_["results"])


# -- no traceback -----------------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_gives_a_document_not_a_traceback(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    latin1 = os.path.join(folder, b"caf\xe9.yaml")
    with open(latin1, "wb") as f:
        f.write(BAD.encode())
    name = os.fsdecode(latin1)
    for fmt in ("json", "sarif"):
        done = subprocess.run(
            [sys.executable, "-m", "dpup", "check", "--format", fmt, name],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
            check=False,
        )
        assert done.returncode == EXIT_INVALID
        assert "Traceback" not in done.stderr
        data = json.loads(done.stdout)
        if fmt == "json":
            assert data["problems"][0]["file"] == name  # JSON's escape of the byte Python holds
        else:
            uri = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            assert uri.endswith("/caf%E9.yaml")  # the byte itself, percent-encoded


# -- the docs ---------------------------------------------------------------------------------


def test_the_json_example_in_the_docs_is_what_validate_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = page.split("\n## Output for tools", 1)[1].split("\n## ", 1)[0]
    (shown,) = [json.loads(body) for lang, body, _ in code_blocks(section) if lang == "json"]
    text = dpup.examples.path("best-foot-forward").read_text(encoding="utf-8")
    flows = text.index("\nflows:")
    (tmp_path / "agreement.yaml").write_text(
        text[:flows] + text[flows:].replace("to: agency.reporting\n", "to: agency.reportng\n", 1),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("validate", "--format", "json", "agreement.yaml")
    assert code == EXIT_INVALID
    data = json.loads(out)
    assert shown["dpup"]["version"] == "0.1.0"  # as an example: the version installed is written
    shown["dpup"]["version"] = dpup.__version__
    assert data == shown


def test_the_docs_give_every_commands_output_version() -> None:
    page = " ".join((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split())
    section = page.split(" ## Output for tools", 1)[1].split(" ## ", 1)[0]
    for command, version in OUTPUT_VERSIONS.items():
        assert f"`{command}` {version}" in section, command


# -- Markdown, for a CI job's summary --------------------------------------------------------


def test_check_markdown_of_files_that_do_not_load_says_why_nothing_was_checked(
    bad: str, tmp_path: Path
) -> None:
    code, out, err = run("check", "--format", "markdown", bad)
    assert code == EXIT_INVALID
    assert out.splitlines() == [
        f"## dpup check: {md_escape(bad)}",
        "",
        "**Not checked**: 1 problem in 1 file; dpup checks nothing until every file given loads.",
        "",
        f"- {md_escape(err.strip())}",
    ]
    rendered = md.markdown(out)
    assert "<li>" in rendered
    assert "<em>" not in rendered  # service_users' underscores stay underscores
    many_path = many(tmp_path)
    code, out, _ = run("check", "--format", "markdown", bad, str(many_path))
    assert code == EXIT_INVALID
    assert "**Not checked**: 251 problems in 2 files;" in out
    assert out.splitlines()[-1] == f"- {md_escape(str(many_path))}: and 150 more problems, not listed"
    assert len([line for line in out.splitlines() if line.startswith("- ")]) == 1 + 100 + 1


def test_check_markdown_of_files_that_load_is_the_report() -> None:
    code, out, _ = run("check", "--format", "markdown", str(AFTER))
    assert code == EXIT_OK
    assert "**Not checked**" not in out
    assert out.startswith(f"## dpup check: {md_escape(str(AFTER))}\n")


@pytest.mark.parametrize(("command", "format"), [("validate", "json"), ("check", "json"), ("check", "sarif")])
def test_load_errors_in_json_keep_what_a_utf8_stream_can_write_and_escape_it_for_others(
    command: str, format: str, tmp_path: Path
) -> None:
    import io

    path = tmp_path / "whānau.yaml"
    path.write_text("dpup: 1\nagreement: {id: a, title: T}\nwhānau: []\n", encoding="utf-8")
    argv = [command, "--format", format, str(path)]
    code, out, _ = run(*argv)  # a StringIO: text, written as it is
    assert code == EXIT_INVALID
    assert "unknown key 'whānau'" in out
    # near miss: a stream that cannot write it gets JSON's escapes, and the same document
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii")
    assert dpup.cli.main(argv, out=ascii_out, err=io.StringIO()) == EXIT_INVALID
    ascii_out.flush()
    assert "unknown key 'wh\\u0101nau'" in raw.getvalue().decode("ascii")
    assert json.loads(raw.getvalue()) == json.loads(out)


def test_sarif_of_files_that_load_keeps_what_a_utf8_stream_can_write_and_escapes_it_for_others() -> None:
    """The rules' text names Māori: a UTF-8 stream gets it as it is, an ASCII stream JSON's
    escape, in the same document (as for files that do not load, above)."""
    import io

    argv = ["check", "--format", "sarif", "--select", "SV", str(BEFORE)]
    code, out, _ = run(*argv)
    assert "Māori" in out
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii")
    assert dpup.cli.main(argv, out=ascii_out, err=io.StringIO()) == code
    ascii_out.flush()
    assert "M\\u0101ori" in raw.getvalue().decode("ascii")
    assert json.loads(raw.getvalue()) == json.loads(out)
