"""The JSON Schemas of the commands' ``--format json`` output: valid, true to what every command
writes in every situation it can be in, exact (a key written is described, a key described is
written), open to keys dpup may add, and what ``dpup schema COMMAND`` prints."""

import copy
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup._private.output import _NO_FILES, COMMANDS, FINGERPRINT_PATTERN, JSON_PATH_PATTERN
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, EXIT_USAGE, OUTPUT_VERSIONS, main
from tests.examples import AFTER, BEFORE, ROOT, read_alike, run
from tests.test_cli_machine import BAD, many

SCHEMAS = {command: dpup.output_schema(command) for command in COMMANDS}


def strict(schema: Any) -> Any:
    """A copy of a schema in which every object schema that lists its properties allows no
    other key: what the tests hold dpup's output to, where the published schema lets keys be
    added."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()}
    if out.get("type") == "object" and "properties" in out:
        out["additionalProperties"] = False
    return out


def validator(command: str, *, exact: bool = False) -> jsonschema.Draft7Validator:
    schema = SCHEMAS[command]
    return jsonschema.Draft7Validator(strict(schema) if exact else schema)


def errors(command: str, document: Any, *, exact: bool = False) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator(command, exact=exact).iter_errors(document)]


def failed_keywords(command: str, document: Any) -> list[tuple[str, str, Any]]:
    """Where a document fails and which keyword of the schema fails it, with the keyword's
    value: for failures whose message jsonschema words differently from one version to the next
    (``maxItems``: "is too long" in 4.18, "is expected to be empty" later)."""
    return [
        (e.json_path, str(e.validator), e.validator_value) for e in validator(command).iter_errors(document)
    ]


# -- the files the commands are given ------------------------------------------------------

PARENTS_A_PROVIDER = """\
dpup: 1
agreement: {id: elsewhere, title: Elsewhere}
holders:
  - {id: parents, kind: provider, name: Parents Inc}
"""
"""An agreement in which ``parents`` is a provider, where the example has a group."""


def _accepted(agreement: dpup.Agreement) -> dpup.Agreement:
    """The agreement with its one finding accepted, and an acceptance of a finding it does not
    have (a stale acceptance, itself a finding at ``$.accepted[1]``)."""
    accepted = [
        dpup.Acceptance(
            code="ME008", subject="programme-findings", reason="the totals are about no one", by="both"
        ),
        dpup.Acceptance(code="PM004", subject="intake-parents", reason="settled", by="ccss"),
    ]
    return attrs.evolve(agreement, accepted=accepted)


def _revised(agreement: dpup.Agreement) -> dpup.Agreement:
    """The agreement with changes of several kinds: a flag set, a purpose's need of identity
    made true, an access arrangement's copies cleared, an engagement record removed and an
    acceptance added."""
    return attrs.evolve(
        agreement,
        service_users=[attrs.evolve(g, maori_data_interest=True) for g in agreement.service_users],
        purposes=[attrs.evolve(p, needs_identity=True) for p in agreement.purposes],
        access=[attrs.evolve(a, copies=None) for a in agreement.access],
        engagement=agreement.engagement[:-1],
        accepted=_accepted(agreement).accepted[:1],
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The files and directories of the situations below, by name."""
    tmp = tmp_path_factory.mktemp("output")
    before, after = dpup.load(BEFORE), dpup.load(AFTER)
    paths = {"before": str(BEFORE), "after": str(AFTER), "examples": str(ROOT / "examples")}
    for name, text in (("bad", BAD), ("elsewhere", PARENTS_A_PROVIDER)):
        (tmp / f"{name}.yaml").write_text(text, encoding="utf-8")
        paths[name] = str(tmp / f"{name}.yaml")
    paths["many"] = str(many(tmp))  # 250 problems, the first 100 listed
    for name, agreement, suffix in (
        ("accepted", _accepted(after), "yaml"),
        ("revised", _revised(after), "json"),
        ("toml", before, "toml"),
    ):
        dpup.dump(agreement, tmp / f"{name}.{suffix}")
        paths[name] = str(tmp / f"{name}.{suffix}")
    paths["missing"] = str(tmp / "missing.yaml")
    (tmp / "disagreeing").mkdir()  # parents: a group in one agreement, a provider in the other
    shutil.copy(AFTER, tmp / "disagreeing" / "a.yaml")
    shutil.copy(paths["elsewhere"], tmp / "disagreeing" / "b.yaml")
    paths["disagreeing"] = str(tmp / "disagreeing")
    # a register before and after: one agreement in both, changed; one removed, one added
    shared = attrs.evolve(after, id="shared")
    for folder, agreements in (
        ("register-before", [before, shared]),
        ("register-after", [_revised(shared), after]),
    ):
        (tmp / folder).mkdir()
        for agreement in agreements:
            dpup.dump(agreement, tmp / folder / f"{agreement.id}.yaml")
        paths[folder] = str(tmp / folder)
    return paths


# -- every command, in every situation it can be in ---------------------------------------

SITUATIONS: dict[str, tuple[int, list[str]]] = {
    # validate
    "validate one file": (EXIT_OK, ["validate", "{after}"]),
    "validate both examples": (EXIT_OK, ["validate", "{before}", "{after}"]),
    "validate a directory": (EXIT_OK, ["validate", "{examples}"]),
    "validate toml": (EXIT_OK, ["validate", "{toml}"]),
    "validate invalid": (EXIT_INVALID, ["validate", "{bad}"]),
    "validate invalid and valid": (EXIT_INVALID, ["validate", "{bad}", "{after}"]),
    "validate missing": (EXIT_INVALID, ["validate", "{missing}"]),
    "validate one id twice": (EXIT_INVALID, ["validate", "{after}", "{after}"]),
    "validate many problems": (EXIT_INVALID, ["validate", "{many}"]),
    # check
    "check 42 findings": (EXIT_FINDINGS, ["check", "{before}"]),
    "check 1 finding": (EXIT_OK, ["check", "{after}"]),
    "check a directory": (EXIT_FINDINGS, ["check", "{examples}"]),
    "check a register": (EXIT_FINDINGS, ["check", "{register-before}"]),
    "check toml": (EXIT_FINDINGS, ["check", "{toml}"]),
    "check accepted": (EXIT_FINDINGS, ["check", "{accepted}"]),  # the stale acceptance
    "check select": (EXIT_FINDINGS, ["check", "{before}", "--select", "PM"]),
    "check ignore": (EXIT_FINDINGS, ["check", "{before}", "--ignore", "purpose-mismatch"]),
    "check select nothing left out": (EXIT_OK, ["check", "{after}", "--select", "ME"]),
    "check select and ignore": (
        EXIT_FINDINGS,
        ["check", "{before}", "--select", "PM,UH", "--ignore", "PM004"],
    ),
    "check invalid": (EXIT_INVALID, ["check", "{bad}"]),
    "check invalid with select": (EXIT_INVALID, ["check", "{bad}", "--select", "PM"]),
    "check missing": (EXIT_INVALID, ["check", "{missing}"]),
    "check one id twice": (EXIT_INVALID, ["check", "{after}", "{after}"]),
    "check disagreeing ids": (EXIT_INVALID, ["check", "{after}", "{elsewhere}"]),
    "check many problems": (EXIT_INVALID, ["check", "{many}", "{bad}"]),
    # compare
    "compare the examples": (EXIT_OK, ["compare", "{before}", "{after}"]),
    "compare the same": (EXIT_OK, ["compare", "{after}", "{after}"]),
    "compare registers": (
        EXIT_FINDINGS,
        ["compare", "{register-before}", "{register-after}", "--fail-on", "info"],
    ),
    "compare to accepted": (EXIT_FINDINGS, ["compare", "{before}", "{accepted}"]),
    "compare toml": (EXIT_OK, ["compare", "{toml}", "{after}"]),
    "compare select": (EXIT_OK, ["compare", "{before}", "{after}", "--select", "PM"]),
    "compare ignore": (EXIT_OK, ["compare", "{before}", "{after}", "--ignore", "UH,SV"]),
    "compare invalid": (EXIT_INVALID, ["compare", "{bad}", "{after}"]),
    "compare missing": (EXIT_INVALID, ["compare", "{before}", "{missing}"]),
    "compare disagreeing ids": (EXIT_INVALID, ["compare", "{before}", "{disagreeing}"]),
    # diff
    "diff the examples": (EXIT_FINDINGS, ["diff", "{before}", "{after}"]),
    "diff revised": (EXIT_FINDINGS, ["diff", "{after}", "{revised}"]),
    "diff the same": (EXIT_OK, ["diff", "{after}", "{after}"]),
    "diff registers": (EXIT_FINDINGS, ["diff", "{register-before}", "{register-after}"]),
    "diff toml": (EXIT_OK, ["diff", "{toml}", "{before}"]),
    "diff invalid": (EXIT_INVALID, ["diff", "{before}", "{bad}"]),
    "diff missing": (EXIT_INVALID, ["diff", "{missing}", "{after}"]),
    "diff many problems": (EXIT_INVALID, ["diff", "{many}", "{after}"]),
    # holders
    "holders children": (EXIT_OK, ["holders", "children", "{after}"]),
    "holders parents before": (EXIT_OK, ["holders", "parents", "{before}"]),
    "holders past families": (EXIT_OK, ["holders", "past-families", "{before}"]),
    "holders in a register": (EXIT_OK, ["holders", "children", "{register-after}"]),
    "holders invalid": (EXIT_INVALID, ["holders", "children", "{bad}"]),
    "holders missing": (EXIT_INVALID, ["holders", "children", "{missing}"]),
    "holders disagreeing ids": (EXIT_INVALID, ["holders", "children", "{disagreeing}"]),
    # notice
    "notice adult ready": (EXIT_OK, ["notice", "parents", "{after}"]),
    "notice child ready": (EXIT_OK, ["notice", "children", "{after}", "--version", "child"]),
    "notice adult not ready": (EXIT_FINDINGS, ["notice", "past-families", "{before}"]),
    "notice child not ready": (EXIT_FINDINGS, ["notice", "children", "{toml}", "--version", "child"]),
    "notice invalid": (EXIT_INVALID, ["notice", "parents", "{bad}"]),
    "notice missing": (EXIT_INVALID, ["notice", "parents", "{missing}"]),
    # checks (reads no file)
    "checks every check": (EXIT_OK, ["checks"]),
    "checks some": (EXIT_OK, ["checks", "PM004", "sv,untraceable-holder"]),
}
"""Each situation: the exit status it gives, and the command's arguments (``{name}`` a file of
:func:`files`), to which ``--format json`` is added."""


@pytest.fixture(scope="module")
def corpus(files: dict[str, str]) -> dict[str, tuple[str, int, Any]]:
    """The document each situation writes, with its command and exit status."""
    out = {}
    for name, (_, argv) in SITUATIONS.items():
        args = [re.sub(r"\{([\w-]+)\}", lambda m: files[m.group(1)], a) for a in argv]
        code, text, _ = run(*args, "--format", "json")
        out[name] = (argv[0], code, json.loads(text))
    return out


def test_every_command_is_in_every_situation() -> None:
    """Each command writes JSON for files that load and for files that do not."""
    for command in COMMANDS:
        codes = {code for code, argv in SITUATIONS.values() if argv[0] == command}
        if command in _NO_FILES:  # it reads no file, so none can fail to load
            assert codes == {EXIT_OK}, command
            continue
        assert EXIT_INVALID in codes, command
        assert codes - {EXIT_INVALID}, command
        situations = [argv for _, argv in SITUATIONS.values() if argv[0] == command]
        assert any("{missing}" in argv for argv in situations), command


@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_output_is_valid_and_exactly_described(situation: str, corpus: dict[str, Any]) -> None:
    command, code, document = corpus[situation]
    assert code == SITUATIONS[situation][0], "not the situation meant"
    assert document["dpup"]["command"] == command
    assert errors(command, document) == []
    assert errors(command, document, exact=True) == []  # no key the schema does not describe
    if code == EXIT_INVALID:  # the branch for files that did not load
        assert document["problems"]
        assert (command == "validate") == ("agreements" in document)


def _properties(schema: Any, where: str = "#") -> Iterator[str]:
    """The place of every property a schema describes, as a JSON pointer into it."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict) and schema.get("type") == "object":
                for name in value:
                    yield f"{where}/properties/{name}"
            if key != "else":  # the keys the else branch forbids are described above it
                yield from _properties(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _properties(value, f"{where}/{i}")


def _written(schema: dict[str, Any], document: Any) -> set[str]:
    """The place in the schema of every key the document has, as :func:`_properties` names them:
    each value is followed through the schemas that apply to it (``$ref``, ``allOf``, the
    branches of ``anyOf`` that it is valid against)."""
    found: set[str] = set()

    def walk(part: Any, where: str, value: Any) -> None:
        if not isinstance(part, dict):
            return
        if "$ref" in part:
            name = part["$ref"].removeprefix("#/definitions/")
            walk(schema["definitions"][name], f"#/definitions/{name}", value)
        for i, sub in enumerate(part.get("allOf", ())):
            walk(sub, f"{where}/allOf/{i}", value)
        for i, sub in enumerate(part.get("anyOf", ())):
            if jsonschema.Draft7Validator({**sub, "definitions": schema["definitions"]}).is_valid(value):
                walk(sub, f"{where}/anyOf/{i}", value)
        if isinstance(value, dict):
            for key, sub in part.get("properties", {}).items():
                if key in value:
                    if part.get("type") == "object":
                        found.add(f"{where}/properties/{key}")
                    walk(sub, f"{where}/properties/{key}", value[key])
        if isinstance(value, list) and "items" in part:
            for item in value:
                walk(part["items"], f"{where}/items", item)

    walk(schema, "#", document)
    return found


def test_every_key_described_is_written_somewhere(corpus: dict[str, Any]) -> None:
    """No key of a schema is fictional: each is in at least one document of the situations
    above (a definition, such as a finding, by any command that writes one)."""
    described: set[str] = set()
    written: set[str] = set()
    for command, schema in SCHEMAS.items():
        described |= set(_properties(schema))
        for used_by, _, document in corpus.values():
            if used_by == command:
                written |= _written(schema, document)
    assert described - written == set()
    assert written <= described
    assert "#/definitions/acceptance/properties/by" in written  # shared: check and compare write it
    assert "#/properties/not_shown" in written


def test_the_walk_finds_what_a_document_leaves_out(corpus: dict[str, Any]) -> None:
    """A near miss for the test above: a key left out of every document is seen as unwritten."""
    schema = SCHEMAS["check"]
    document = copy.deepcopy(corpus["check 42 findings"][2])
    for finding in document["findings"]:
        del finding["fingerprint"]
    written = _written(schema, document)
    assert "#/definitions/finding/properties/fingerprint" not in written
    assert "#/definitions/finding/properties/code" in written
    assert "#/properties/not_shown" not in written


def test_the_situations_reach_every_state_of_a_key(corpus: dict[str, Any]) -> None:
    """Beside every key being written: each flag both ways, nulls where a value may be null."""
    docs = {name: doc for name, (_, _, doc) in corpus.items()}
    assert docs["compare the examples"]["by_agreement"] is False
    assert docs["compare registers"]["by_agreement"] is True
    assert {docs[n]["ready"] for n in docs if n.startswith("notice") and "ready" in docs[n]} == {True, False}
    assert {docs[n]["version"] for n in docs if n.startswith("notice") and "version" in docs[n]} == {
        "adult",
        "child",
    }
    toml = docs["check toml"]["findings"]
    assert toml
    assert all(f["line"] is None and f["file"].endswith(".toml") for f in toml)
    assert all(f["line"] is not None for f in docs["check 42 findings"]["findings"])
    accepted = {f["where"]: f["accepted"] for f in docs["check accepted"]["findings"]}
    assert accepted == {
        "$.information[3]": {"reason": "the totals are about no one", "by": "both"},
        "$.accepted[1]": None,
    }
    assert docs["check select nothing left out"]["not_shown"] == 0
    assert docs["check many problems"]["omitted"] == [
        {"file": docs["check many problems"]["omitted"][0]["file"], "problems": 150}
    ]
    values = {
        type(field[side]).__name__
        for name in ("diff the examples", "diff revised", "diff registers")
        for pair in docs[name]["agreements"]
        for change in pair["changes"]
        for field in change["fields"]
        for side in ("before", "after")
    }
    assert values == {"str", "list", "bool", "NoneType"}
    kinds = {c["kind"] for p in docs["diff registers"]["agreements"] for c in p["changes"]}
    assert kinds == {"added", "removed", "changed"}
    assert [a["id"] for a in docs["diff registers"]["added"]] == ["best-foot-forward"]
    assert [a["id"] for a in docs["diff registers"]["removed"]] == ["best-foot-forward-before"]
    sections = {
        c["section"]
        for n in ("diff the examples", "diff revised")
        for p in docs[n]["agreements"]
        for c in p["changes"]
    }
    assert sections == set(SCHEMAS["diff"]["definitions"]["change"]["properties"]["section"]["enum"])
    missing = docs["check missing"]["problems"][0]
    assert (missing["path"], missing["line"]) == ("$", None)


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    flows=st.integers(8, 40),
    faults=st.sampled_from([0.0, 0.1, 0.3, {"purpose-mismatch": 0.5}]),
)
def test_the_check_of_a_synthetic_sector_is_valid_and_exactly_described(
    seed: int, flows: int, faults: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("sector")
    synth.write(synth.sector(flows=flows, seed=seed, faults=faults), folder, format="yaml")
    code, out, err = run("check", "--format", "json", "--fail-on", "never", str(folder))
    assert code == EXIT_OK, err
    document = json.loads(out)
    assert errors("check", document) == []
    assert errors("check", document, exact=True) == []


# -- the schemas themselves ----------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_each_schema_is_valid_draft_7_for_its_command_and_output_version(command: str) -> None:
    schema = SCHEMAS[command]
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator.check_schema(strict(schema))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    header = schema["properties"]["dpup"]["properties"]
    assert header["command"]["const"] == command
    assert header["output"]["const"] == OUTPUT_VERSIONS[command] == 1
    assert schema["title"] == f"dpup {command} output (version {OUTPUT_VERSIONS[command]})"
    assert "$id" not in schema


def test_the_commands_are_those_with_json_output() -> None:
    assert sorted(COMMANDS) == sorted(OUTPUT_VERSIONS)
    assert dpup.cli.OUTPUT_VERSIONS is dpup._private.output.OUTPUT_VERSIONS


@pytest.mark.parametrize("command", COMMANDS)
def test_no_published_schema_forbids_a_key_dpup_may_add(command: str, corpus: dict[str, Any]) -> None:
    """The output contract: a program ignores keys it does not know, as dpup may add some."""
    assert '"additionalProperties"' not in json.dumps(SCHEMAS[command])
    for name, (used_by, _, document) in corpus.items():
        if used_by != command:
            continue
        added = copy.deepcopy(document)
        added["later"] = 1
        added["dpup"]["later"] = 1
        for problem in added["problems"]:
            problem["later"] = 1
        for finding in added.get("findings", ()):
            finding["later"] = 1
        assert errors(command, added) == [], name
        assert errors(command, added, exact=True), name  # the strict copy would refuse it


def test_a_wrong_value_is_refused_where_it_is(corpus: dict[str, Any]) -> None:
    _, _, document = corpus["check 42 findings"]
    wrong = copy.deepcopy(document)
    wrong["findings"][0]["severity"] = "fatal"
    wrong["findings"][1]["code"] = "pm004"
    wrong["findings"][2]["fingerprint"] = "XYZ"
    wrong["findings"][3]["line"] = 0
    wrong["counts"]["bogus"] = 1
    del wrong["counts"]["accepted"]
    wrong["dpup"]["output"] = 2
    found = errors("check", wrong)
    assert "$.findings[0].severity: 'fatal' is not one of ['error', 'warning', 'info']" in found
    assert any(e.startswith("$.findings[1].code: 'pm004' does not match") for e in found)
    assert any(e.startswith("$.findings[2].fingerprint: 'XYZ' does not match") for e in found)
    assert "$.findings[3].line: 0 is less than the minimum of 1" in found
    assert "$.counts: 'accepted' is a required property" in found
    assert "$.dpup.output: 1 was expected" in found
    assert not any(e.startswith("$.counts: Additional") for e in found)  # a key added: allowed


def test_the_commands_own_keys_are_there_exactly_when_every_file_loaded(corpus: dict[str, Any]) -> None:
    _, _, loaded = corpus["check 42 findings"]
    _, _, failed = corpus["check invalid"]
    lacking = {k: v for k, v in loaded.items() if k != "counts"}
    assert errors("check", lacking) == ["$: 'counts' is a required property"]
    assert errors("check", {**failed, "findings": []}) == ["$: False schema does not allow []"]
    assert failed_keywords("check", {**loaded, "omitted": [{"file": "a", "problems": 1}]}) == [
        ("$.omitted", "maxItems", 0)
    ]
    _, _, invalid = corpus["validate invalid"]
    assert failed_keywords("validate", {**invalid, "problems": []}) == [("$.agreements", "minItems", 1)]
    _, _, notice = corpus["notice adult not ready"]
    accepted = copy.deepcopy(notice)
    accepted["findings"][0]["accepted"] = {"reason": "r", "by": "b"}
    assert errors("notice", accepted) == [
        "$.findings[0].accepted: {'reason': 'r', 'by': 'b'} is not of type 'null'"
    ]


def _described(schema: Any) -> Iterator[tuple[str, Any]]:
    """Each property schema, with its place."""
    for place in _properties(schema):
        part = schema
        for key in place.split("/")[1:]:
            part = part[int(key)] if isinstance(part, list) else part[key]
        yield place, part


@pytest.mark.parametrize("command", COMMANDS)
def test_every_property_and_definition_is_described(command: str) -> None:
    schema = SCHEMAS[command]
    for place, part in _described(schema):
        assert part.get("description", "").strip(), place
        assert not part["description"][0].isupper() or part["description"].startswith("DPUP"), place
    for name, definition in schema["definitions"].items():
        assert definition["description"].strip(), name
    assert schema["description"].startswith(f"What `dpup {command} --format json` writes")


def test_the_definitions_are_shared() -> None:
    """A finding is described once, and alike in every schema that has one."""
    having = [c for c in COMMANDS if "finding" in SCHEMAS[c]["definitions"]]
    assert having == ["check", "compare", "notice"]
    for name in {n for s in SCHEMAS.values() for n in s["definitions"]}:
        versions = [s["definitions"][name] for s in SCHEMAS.values() if name in s["definitions"]]
        assert all(v == versions[0] for v in versions), name
    for command, schema in SCHEMAS.items():  # each carries the definitions it uses and no other
        used = set(re.findall(r'"#/definitions/(\w+)"', json.dumps(schema)))
        assert set(schema["definitions"]) == used, command


def test_the_closed_sets_are_the_codes_own() -> None:
    finding = SCHEMAS["check"]["definitions"]["finding"]["properties"]
    assert finding["family"]["enum"] == [f.value for f in dpup.Family]
    assert finding["severity"]["enum"] == [s.value for s in dpup.Severity]
    catalogue = dpup.catalogue()
    assert set(finding["guideline"]["enum"]) == {c.guideline for c in catalogue}
    assert set(finding["principles"]["items"]["enum"]) == {p for c in catalogue for p in c.principles}
    assert all(re.search(finding["code"]["pattern"], c.code) for c in catalogue)
    counts = SCHEMAS["check"]["definitions"]["counts"]
    assert counts["required"] == list(dpup.check(dpup.load(AFTER)).counts())
    assert SCHEMAS["notice"]["properties"]["version"]["enum"] == list(dpup.NOTICE_VERSIONS)


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (
            FINGERPRINT_PATTERN,
            ["0123456789abcdef"],
            ["0123456789ABCDEF", "0123456789abcde", "0123456789abcdef\n"],
        ),
        (JSON_PATH_PATTERN, ["$", "$.flows[3]"], ["flows[3]", ""]),
    ],
)
def test_the_patterns_read_alike_in_python_and_in_other_languages(
    pattern: str, good: list[str], bad: list[str]
) -> None:
    """Programs in other languages read patterns as ECMAScript does: checked with Node.js
    where it is installed."""
    read_alike(pattern, good, bad)


def test_each_call_gives_a_new_schema() -> None:
    first = dpup.output_schema("check")
    first["definitions"]["finding"]["required"].clear()
    first["properties"].clear()
    assert dpup.output_schema("check") == SCHEMAS["check"]
    assert "code" in dpup.output_schema("check")["definitions"]["finding"]["required"]


@pytest.mark.parametrize(
    ("given", "meant"),
    [("chek", "check"), ("Notice", "notice"), ("agreement", None), ("", None), (None, None)],
)
def test_a_command_without_json_output_is_a_value_error_naming_the_commands(
    given: Any, meant: str | None
) -> None:
    with pytest.raises(ValueError, match=f"^no command {re.escape(repr(given))} writes JSON output") as e:
        dpup.output_schema(given)
    message = str(e.value)
    assert message.endswith("; the commands that do: validate, check, compare, diff, holders, notice, checks")
    assert ("did you mean" in message) == (meant is not None)
    if meant is not None:
        assert f"(did you mean {meant!r}?)" in message


# -- the command line and the docs ---------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_dpup_schema_command_prints_it(command: str, tmp_path: Path) -> None:
    code, out, err = run("schema", command)
    assert (code, err) == (EXIT_OK, "")
    assert out == json.dumps(dpup.output_schema(command), indent=2, ensure_ascii=False) + "\n"
    assert (
        main(["schema", command, "-o", str(tmp_path / "s.json")], out=io.StringIO(), err=io.StringIO()) == 0
    )
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == out


def test_dpup_schema_alone_is_the_agreements_still() -> None:
    code, out, _ = run("schema")
    assert code == EXIT_OK
    assert out == json.dumps(dpup.json_schema(), indent=2, ensure_ascii=False) + "\n"
    assert run("schema", "agreement") == (EXIT_OK, out, "")
    assert out == (ROOT / "docs" / "agreement.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("chek", " (did you mean check?)"),
        ("agrement", " (did you mean agreement?)"),
        ("diagram", ""),
        ("x", ""),
        ("examples", " (dpup schema takes no files)"),
        ("draft.toml", " (dpup schema takes no files)"),
    ],
)
def test_dpup_schema_of_something_else_is_a_usage_error(given: str, hint: str, tmp_path: Path) -> None:
    code, out, err = run("schema", given, "-o", str(tmp_path / "s.json"))
    assert (code, out) == (EXIT_USAGE, "")
    assert f"argument DOCUMENT: no schema is named {given!r}{hint}; name agreement, or a command" in err
    assert err.rstrip().endswith("validate, check, compare, diff, holders, notice, checks")
    assert not (tmp_path / "s.json").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_the_published_schema_is_the_current_one(command: str) -> None:
    published = (ROOT / "docs" / "output" / f"{command}.schema.json").read_text(encoding="utf-8")
    assert published == json.dumps(SCHEMAS[command], indent=2, ensure_ascii=False) + "\n", (
        f"run: dpup schema {command} > docs/output/{command}.schema.json"
    )


def test_the_docs_say_how_to_get_a_schema_and_link_each() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    tools = page.split("## Output for tools", 1)[1].split("\n## ", 1)[0]
    assert "dpup schema check > check-output.schema.json" in tools
    for command in COMMANDS:
        assert f"(output/{command}.schema.json)" in tools, command
    usage = page.split("## `dpup schema`", 1)[1].split("\n## ", 1)[0]
    assert "dpup schema [DOCUMENT]" in usage
