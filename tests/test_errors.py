"""Every way a file can fail to load, and what dpup says about it.

Each test asserts the message a person reads, the field path and, for YAML and JSON, the line.
"""

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
import yaml
from hypothesis import given
from hypothesis import strategies as st

import dpup
from dpup import AgreementError, Problem
from dpup._private.converter import make_converter
from dpup._private.fastpath import structure_agreement
from dpup.errors import Path as FieldPath
from dpup.errors import format_path
from tests.strategies import agreements

BASE = """\
dpup: 1
agreement:
  id: demo
  title: Demo
  parties: [ccss]
service_users:
  - id: parents
    name: Parents
holders:
  - id: ccss
    kind: provider
    name: CCSS
  - id: agency
    kind: agency
    name: The agency
    teams:
      - id: agency.reporting
        name: Reporting
information:
  - id: record
    about: [parents]
    identifiability: identifying
flows:
  - id: intake
    from: parents
    to: ccss
    carries: [record]
    purpose: delivery
"""


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(text: str, format: dpup.files.Format = "yaml") -> list[Problem]:
    with pytest.raises(AgreementError) as info:
        dpup.loads(text, format=format)
    return list(info.value.problems)


def one(text: str, format: dpup.files.Format = "yaml") -> Problem:
    found = problems(text, format)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def where(p: Problem) -> tuple[str, int | None]:
    return format_path(p.path), p.line


def test_base_is_valid() -> None:
    assert dpup.loads(BASE).flows[0].to == "ccss"


# -- the error itself ------------------------------------------------------------------------


def test_agreement_error_is_a_value_error_listing_every_problem() -> None:
    text = edit("    to: ccss\n", "    to: nowhere\n", edit("  title: Demo\n", "  title: 7\n"))
    with pytest.raises(ValueError, match="2 problems in the agreement") as info:
        dpup.loads(text)
    assert isinstance(info.value, AgreementError)
    assert [where(p) for p in info.value.problems] == [("$.agreement.title", 4), ("$.flows[0].to", 26)]
    lines = str(info.value).splitlines()
    assert lines[1] == (
        "  - line 4: $.agreement.title: must be text (expected text, found 7); put it in quotes to make it text"
    )


def test_problem_text_names_file_line_path_expected_and_found(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(edit("    to: ccss\n", "    to: ccs\n"), encoding="utf-8")
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    (p,) = info.value.problems
    assert str(p) == (
        f"{path}:26: $.flows[0].to: flow 'intake' refers to 'ccs', which is not a service-user group "
        "or holder in this agreement (expected a service-user group or holder, found 'ccs'); "
        "did you mean 'ccss'?"
    )
    assert (p.file, p.line, p.path) == (str(path), 26, ("flows", 0, "to"))
    assert str(info.value).startswith(f"1 problem in {path}:\n")


# -- the three-error file (issue #2, "done when") --------------------------------------------

THREE_ERRORS = edit(
    "    identifiability: identifying\n",
    "    identifiability: personal\n",
    edit(
        "    to: ccss\n",
        "    to: agency.evaluation\n",
        edit("    name: Parents\n", "    name: Parents\n    nmae: x\n"),
    ),
)


@pytest.mark.parametrize("format", ["yaml", "json"])
def test_three_different_load_errors_are_reported_together_with_lines_and_paths(format: str) -> None:
    text = THREE_ERRORS if format == "yaml" else json.dumps(yaml.safe_load(THREE_ERRORS), indent=2)
    found = problems(text, format)  # type: ignore[arg-type]
    assert len(found) == 3, "\n".join(map(str, found))
    unknown, identifiability, reference = found
    lines = text.splitlines()

    assert format_path(unknown.path) == "$.service_users[0].nmae"
    assert unknown.message == "unknown key 'nmae' in a service-user group"
    assert unknown.hint == "did you mean 'name'?"
    assert unknown.expected == (
        "one of the keys id, name, needs_extra_care, maori_data_interest, description"
    )
    assert "nmae" in lines[unknown.line - 1]  # type: ignore[operator]

    assert format_path(identifiability.path) == "$.information[0].identifiability"
    assert identifiability.message == "'personal' is not an identifiability dpup knows"
    assert identifiability.expected == "one of identifying, de-identified, aggregate"
    assert identifiability.found == "'personal'"
    assert "personal" in lines[identifiability.line - 1]  # type: ignore[operator]

    assert format_path(reference.path) == "$.flows[0].to"
    assert reference.message == (
        "flow 'intake' refers to 'agency.evaluation', which is not a service-user group or holder "
        "in this agreement"
    )
    assert reference.hint == "did you mean 'agency.reporting'?"
    assert "agency.evaluation" in lines[reference.line - 1]  # type: ignore[operator]

    if format == "yaml":
        assert [p.line for p in found] == [9, 23, 27]


def test_three_errors_in_toml_have_paths_in_file_order_and_no_lines() -> None:
    text = tomli_w.dumps(yaml.safe_load(THREE_ERRORS))
    found = problems(text, "toml")
    assert [format_path(p.path) for p in found] == [
        "$.service_users[0].nmae",
        "$.information[0].identifiability",
        "$.flows[0].to",
    ]
    assert all(p.line is None for p in found)


# -- syntax ------------------------------------------------------------------------------------


def test_yaml_syntax_error_has_its_line() -> None:
    p = one(edit("    name: CCSS\n", "    name: [CCSS\n"))
    assert p.message.startswith("not valid YAML: ")
    assert p.path == ()
    assert p.line is not None
    assert 12 <= p.line <= 14


def test_yaml_tab_indentation_is_a_syntax_error() -> None:
    p = one("dpup: 1\nagreement:\n\tid: x\n")
    assert p.message.startswith("not valid YAML: ")
    assert p.line == 3


def test_yaml_with_two_documents_is_an_error() -> None:
    p = one(BASE + "---\ndpup: 1\n")
    assert "expected a single document" in p.message
    assert p.line == 29


def test_yaml_never_runs_code_from_the_file() -> None:
    p = one(edit("  title: Demo\n", "  title: !!python/object/apply:os.system ['echo hi']\n"))
    assert p.message.startswith("not valid YAML: ")
    assert "python/object/apply:os.system" in p.message
    assert p.line == 4


def test_text_that_starts_with_an_ampersand_is_not_silently_cut() -> None:
    # YAML reads "&co" as an anchor, a name for the value, and the title loaded as "and
    # others": the ampersand and the word after it were lost, without a word.
    p = one(edit("  title: Demo\n", "  title: &co and others\n"))
    assert (format_path(p.path), p.line) == ("$.agreement.title", 4)
    assert p.message == "YAML reads &co as an anchor, a name no alias (*co) uses, not as part of the text"
    assert (p.expected, p.found) == ("text", "'and others', after the anchor &co")
    assert p.hint == "put the text in quotes: '&co and others'"


def test_an_anchor_an_alias_uses_or_on_a_list_or_mapping_is_fine() -> None:
    text = edit("    name: Parents\n", "    name: &p Parents\n")
    text = edit("    name: CCSS\n", "    name: *p\n", text)
    text = edit("holders:\n", "holders:\n  - &unused {id: x, kind: provider, name: X}\n", text)
    a = dpup.loads(text)
    assert a.holders[1].name == a.service_users[0].name == "Parents"


def test_yaml_control_character_has_its_line() -> None:
    p = one(edit("    name: CCSS\n", "    name: CC\x07SS\n"))
    assert (p.message, p.line) == (
        "not valid YAML: control characters are not allowed (character #x0007)",
        12,
    )


def test_yaml_binary_is_not_text() -> None:
    p = one(edit("  title: Demo\n", "  title: !!binary RGVtbw==\n"))
    assert (p.message, p.found, p.line) == ("must be text", "binary data", 4)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("!!float abc", "a number"),
        ("!!float ''", "a number"),
        ("!!float 0x10", "a number"),
        ("!!bool maybe", "true or false"),
        ("!!bool ''", "true or false"),
        ("!!int abc", "a whole number"),
        ("!!int ''", "a whole number"),
        ("!!int 1.5", "a whole number"),
        ("!!timestamp soon", "a date"),
        ("!!null text", "null"),
        ("!<tag:yaml.org,2002:float> abc", "a number"),
    ],
)
def test_yaml_text_tagged_as_what_it_cannot_be_is_a_problem_at_its_line(value: str, expected: str) -> None:
    # PyYAML's constructors raise ValueError, KeyError, IndexError or AttributeError for
    # these (or, for !!null, drop the text): a traceback, or "a number of 3 digits" for !!int.
    for text in (
        edit("  title: Demo\n", f"  title: {value}\n"),
        edit("  title: Demo\n", f"  title: [{value}]\n"),
    ):
        p = one(text)
        assert p.message.startswith("not valid YAML: ")
        assert f"but is not {expected}" in p.message
        assert (p.line, p.expected) == (4, f"{expected}, or text in quotes without a tag")


@pytest.mark.parametrize("tag", ["!!float", "!!bool", "!!int", "!!timestamp", "!!null"])
@pytest.mark.parametrize("value", ["[x]", "{a: b}"])
def test_a_list_or_mapping_tagged_as_a_scalar_is_a_yaml_problem(tag: str, value: str) -> None:
    p = one(edit("  title: Demo\n", f"  title: {tag} {value}\n"))
    assert p.message.startswith("not valid YAML: expected a scalar node")
    assert p.line == 4


def test_json_syntax_error_has_its_line() -> None:
    text = '{\n  "dpup": 1,\n  "agreement": {"id": "x", "title": "y",}\n}\n'
    p = one(text, "json")
    # the json module's own words, which differ between Python versions (3.13: "Illegal
    # trailing comma before end of object")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    assert p.message == f"not valid JSON: {expected.value.msg}"
    assert p.line == expected.value.lineno == 3


@pytest.mark.parametrize(
    ("text", "line", "found", "hint"),
    [
        ('{"dpup": 1,\n "agreement": {"id": "x",}\n}', 2, "'}' at column 26", "JSON allows no comma"),
        (
            '{"dpup": 1, "agreement": {"parties": ["a", "b", ]}}',
            1,
            "']' at column 49",
            "JSON allows no comma",
        ),
        ('// a comment\n{"dpup": 1}', 1, "'/' at column 1", "JSON has no comments"),
        ("{'dpup': 1}", 1, '"\'" at column 2', "JSON puts text and keys in double quotes"),
        (
            '{"dpup": 1, "agreement": {"title": "abc',
            1,
            "the end of the file, with no double quote closing the text begun at column 36",
            None,
        ),
        ('{"dpup": 1,\n "title": "a\x00b"}', 2, "'\\x00' at column 13", None),
        ('{"dpup": 1,\n "title": "a\nb"}', 2, "'\\n' at column 13", "write a line break in text as \\n"),
        ('{"dpup": 1}\n{"dpup": 1}', 2, "'{' at column 1", None),
        ('{"a": "C:\\Users"}', 1, "'\\\\' at column 10", "write a backslash itself as \\\\"),
    ],
)
def test_a_json_syntax_error_says_what_it_found_where(
    text: str, line: int, found: str, hint: str | None
) -> None:
    # It was the json module's message alone, some cut short ("Unterminated string starting
    # at", "Invalid control character at"), with nothing found and no column.
    p = one(text, "json")
    assert p.message.startswith("not valid JSON: ")
    assert not p.message.endswith(" at")
    assert (p.line, p.found) == (line, found)
    assert p.hint is None if hint is None else (p.hint or "").startswith(hint)


@pytest.mark.parametrize(
    ("text", "format"), [("", "json"), (" \n\n", "json"), ("", "toml"), ("# nothing\n", "toml")]
)
def test_an_empty_json_or_toml_file_says_so_as_yaml_does(text: str, format: dpup.files.Format) -> None:
    # JSON said "not valid JSON: Expecting value", TOML that 'dpup' and the header were missing.
    p = one(text, format)
    assert (p.message, p.found, p.path) == (
        "the top level of an agreement file must be a mapping",
        "an empty file",
        (),
    )


def test_toml_syntax_error_has_its_line() -> None:
    p = one('dpup = 1\n[agreement]\nid = "x"\ntitle = \n', "toml")
    assert p.message == "not valid TOML: Invalid value"
    assert p.line == 4


def test_toml_key_given_twice_is_a_syntax_error() -> None:
    p = one('dpup = 1\n[agreement]\nid = "x"\nid = "y"\ntitle = "t"\n', "toml")
    assert p.message == "not valid TOML: Cannot overwrite a value"
    assert p.line == 4


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.replace("Parents", "P\xe2rents").encode("latin-1"))
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    (p,) = info.value.problems
    assert (p.message, p.line, p.file) == ("the file is not UTF-8 text", 8, str(path))
    assert p.found == "the byte 0xE2, which UTF-8 cannot have there"


def test_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    for suffix, text in ((".yaml", BASE), (".json", json.dumps(yaml.safe_load(BASE)))):
        path = tmp_path / f"bom{suffix}"
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        assert dpup.load(path).id == "demo"


# -- top level, version, header ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- dpup: 1\n", "a list"),
        ("just text\n", "'just text'"),
        ("", "an empty file"),
        ("# nothing\n", "an empty file"),
    ],
)
def test_top_level_must_be_a_mapping(text: str, found: str) -> None:
    p = one(text)
    assert p.message == "the top level of an agreement file must be a mapping"
    assert p.found == found
    assert p.path == ()


def test_a_json_file_of_null_is_found_as_null_not_as_an_empty_file() -> None:
    p = one("null\n", "json")
    assert (p.message, p.found, p.line) == ("the top level of an agreement file must be a mapping", "null", 1)


def test_json_top_level_must_be_a_mapping() -> None:
    p = one("[1, 2]", "json")
    assert (p.message, p.found, p.line) == (
        "the top level of an agreement file must be a mapping",
        "a list",
        1,
    )


def test_missing_format_version() -> None:
    p = one(edit("dpup: 1\n", ""))
    assert p.message == "the format version key 'dpup' is missing"
    assert (format_path(p.path), p.expected, p.found, p.line) == (
        "$.dpup",
        "dpup: 1 as the first line",
        "nothing",
        1,
    )


@pytest.mark.parametrize(
    ("text", "format", "expected"),
    [
        ('[agreement]\nid = "x"\ntitle = "t"\n', "toml", "dpup = 1 as the first line"),
        ('{"agreement": {"id": "x", "title": "t"}}', "json", '"dpup": 1 as the first key'),
    ],
)
def test_the_missing_version_is_asked_for_in_the_files_own_syntax(
    text: str, format: dpup.files.Format, expected: str
) -> None:
    # It was "dpup: 1" whatever the format: YAML's syntax, which is not TOML or JSON.
    p = one(text, format)
    assert (p.message, p.expected) == ("the format version key 'dpup' is missing", expected)


@pytest.mark.parametrize(("value", "found"), [("2", "2"), ("'1'", "'1'"), ("true", "true"), ("1.0", "1.0")])
def test_unsupported_format_version(value: str, found: str) -> None:
    p = one(edit("dpup: 1\n", f"dpup: {value}\n"))
    assert p.message == f"format version {found} is not one this dpup reads"
    assert (format_path(p.path), p.expected, p.found, p.line) == ("$.dpup", "1", found, 1)


def test_missing_header_is_one_problem() -> None:
    text = edit("agreement:\n  id: demo\n  title: Demo\n  parties: [ccss]\n", "")
    p = one(text)
    assert p.message == "the agreement header is missing"
    assert format_path(p.path) == "$.agreement"
    assert p.expected == "a mapping with the keys id, title, parties, review_by"


def test_header_must_be_a_mapping() -> None:
    p = one(edit("agreement:\n  id: demo\n  title: Demo\n  parties: [ccss]\n", "agreement: [demo]\n"))
    assert (p.message, format_path(p.path), p.found, p.line) == (
        "must be a mapping",
        "$.agreement",
        "a list",
        2,
    )


def test_missing_header_field() -> None:
    p = one(edit("  title: Demo\n", ""))
    assert p.message == "required field 'title' is missing from the agreement"
    assert (format_path(p.path), p.expected, p.found, p.line) == ("$.agreement.title", "text", "nothing", 2)


def test_unknown_header_key() -> None:
    p = one(edit("  title: Demo\n", "  title: Demo\n  reviewby: 2027-01-01\n"))
    assert p.message == "unknown key 'reviewby' in the agreement header"
    assert (format_path(p.path), p.hint, p.line) == ("$.agreement.reviewby", "did you mean 'review_by'?", 5)
    assert p.expected == "one of the keys id, title, parties, review_by"


def test_header_field_at_the_top_level_says_where_it_belongs() -> None:
    p = one(edit("dpup: 1\n", "dpup: 1\nreview_by: 2027-01-01\n"))
    assert p.message == "unknown key 'review_by' in an agreement file"
    assert (format_path(p.path), p.hint, p.line) == (
        "$.review_by",
        "'review_by' belongs under 'agreement:'",
        2,
    )


def test_unknown_top_level_key_suggests_the_right_one() -> None:
    p = one(edit("flows:\n", "flow:\n"))
    assert p.message == "unknown key 'flow' in an agreement file"
    assert (format_path(p.path), p.hint, p.line) == ("$.flow", "did you mean 'flows'?", 23)
    assert p.expected is not None
    assert p.expected.startswith("one of the keys dpup, agreement, service_users, holders, purposes,")


# -- unknown keys ----------------------------------------------------------------------------


def test_unknown_key_in_a_flow_names_the_allowed_keys() -> None:
    p = one(edit("    purpose: delivery\n", "    purpose: delivery\n    purpse: x\n"))
    assert str(p) == (
        "line 29: $.flows[0].purpse: unknown key 'purpse' in a flow (expected one of the keys id, "
        "from, to, carries, purpose, frequency, choice, no_choice_reason, description, found "
        "'purpse'); did you mean 'purpose'?"
    )


def test_python_attribute_name_is_not_a_file_key() -> None:
    found = problems(edit("    from: parents\n", "    from_: parents\n"))
    assert [(format_path(p.path), p.message, p.hint, p.line) for p in found] == [
        ("$.flows[0].from", "required field 'from' is missing from a flow", None, 24),
        ("$.flows[0].from_", "unknown key 'from_' in a flow", "did you mean 'from'?", 25),
    ]


def test_unknown_key_with_no_close_match_has_no_hint() -> None:
    p = one(edit("    name: CCSS\n", "    name: CCSS\n    zzzzzz: 1\n"))
    assert (format_path(p.path), p.hint, p.line) == ("$.holders[0].zzzzzz", None, 13)
    assert p.expected == "one of the keys kind, id, name, teams, description"


def test_unknown_keys_in_nested_mappings() -> None:
    text = BASE + (
        "explanations:\n"
        "  - id: notice\n"
        "    names: {holders: [ccss], purpose: [x]}\n"
        "    says: {what: Your record, wy: To help}\n"
    )
    found = problems(text)
    assert [(format_path(p.path), p.hint, p.line) for p in found] == [
        ("$.explanations[0].names.purpose", "did you mean 'purposes'?", 31),
        ("$.explanations[0].says.wy", "did you mean 'why'?", 32),
    ]
    assert found[0].message == "unknown key 'purpose' in an explanation's names"


def test_a_key_that_is_not_text_is_reported_at_its_mapping_and_line() -> None:
    # $.holders[0][1] would read as a list index: the problem is the mapping's, on the key's line.
    p = one(edit("    name: CCSS\n", "    name: CCSS\n    1: one\n"))
    assert (format_path(p.path), p.message, p.line) == (
        "$.holders[0]",
        "key 1 is read as a number, not text",
        13,
    )
    assert (p.expected, p.found) == ("keys that are text, each a name such as 'id'", "a number as a key")


def test_a_key_that_is_a_list_or_a_mapping_is_reported_at_its_mapping_and_line() -> None:
    # Valid YAML, and it was "not valid YAML: while constructing a mapping found unhashable
    # key", with no field path.
    text = edit("    name: CCSS\n", "    name: CCSS\n    [a, b]: one\n    ? {c: d}\n    : two\n")
    found = problems(text)
    assert [(format_path(p.path), p.message, p.line, p.found) for p in found] == [
        ("$.holders[0]", "a key is read as a list, not text", 13, "a list as a key"),
        ("$.holders[0]", "a key is read as a mapping, not text", 14, "a mapping as a key"),
    ]


def test_every_key_that_is_not_text_is_reported_even_when_two_are_equal_to_python() -> None:
    # true == 1 in Python, so the loaded mapping holds one of them: each is still reported.
    text = edit("dpup: 1\n", "dpup: 1\n1: x\nnull: y\ntrue: z\n2027-01-01: d\n1.5: f\n")
    found = problems(text)
    assert [(format_path(p.path), p.message, p.line) for p in found] == [
        ("$", "key 1 is read as a number, not text", 2),
        ("$", "key null is read as null, not text", 3),
        ("$", "key true is read as true or false, not text", 4),
        ("$", "key 2027-01-01 is read as a date, not text", 5),
        ("$", "key 1.5 is read as a number, not text", 6),
    ]


def test_a_number_key_in_quotes_is_an_unknown_key() -> None:
    p = one(edit("    name: CCSS\n", "    name: CCSS\n    '1': one\n"))
    assert (format_path(p.path), p.message, p.line) == (
        "$.holders[0]['1']",
        "unknown key '1' in a holder",
        13,
    )


# -- keys given twice ----------------------------------------------------------------------------


def test_yaml_key_given_twice_is_an_error_not_a_silent_overwrite() -> None:
    p = one(edit("    purpose: delivery\n", "    purpose: delivery\n    purpose: reporting\n"))
    assert p.message == "key 'purpose' appears twice in the same mapping (first on line 28)"
    assert (format_path(p.path), p.line, p.expected) == (
        "$.flows[0].purpose",
        29,
        "each key once in a mapping",
    )


@pytest.mark.parametrize("value", ["true", "1", "null", "1:30", "2027-06-30"])
def test_a_key_given_twice_is_found_as_the_key_whatever_its_value(value: str) -> None:
    # It said "found true, which YAML reads as 'needs_identity' again": the value, as if it
    # were the key.
    text = BASE + (
        f"purposes:\n  - id: delivery\n    description: D\n    needs_identity: {value}\n"
        f"    needs_identity: {value}\n"
    )
    (p,) = [p for p in problems(text) if p.expected == "each key once in a mapping"]
    assert (format_path(p.path), p.line, p.found) == (
        "$.purposes[0].needs_identity",
        33,
        "'needs_identity' again",
    )


def test_json_key_given_twice_is_an_error() -> None:
    text = '{\n  "dpup": 1,\n  "agreement": {\n    "id": "x",\n    "title": "a",\n    "title": "b"\n  }\n}\n'
    p = one(text, "json")
    assert p.message == "key 'title' appears twice in the same mapping (first on line 5)"
    assert (format_path(p.path), p.line) == ("$.agreement.title", 6)


def test_top_level_key_given_twice() -> None:
    found = problems(BASE + "flows: []\n")
    assert [(format_path(p.path), p.line) for p in found] == [("$.flows", 29)]


def test_yaml_merge_keys_may_override() -> None:
    text = BASE + (
        "purposes:\n"
        "  - &base {id: delivery, description: Support, needs_identity: true}\n"
        "  - <<: *base\n"
        "    id: reporting\n"
    )
    a = dpup.loads(text)
    assert [(p.id, p.description) for p in a.purposes] == [("delivery", "Support"), ("reporting", "Support")]


# -- wrong types -------------------------------------------------------------------------------


def test_number_where_text_belongs() -> None:
    p = one(edit("    name: Parents\n", "    name: 2024\n"))
    assert str(p) == (
        "line 8: $.service_users[0].name: must be text (expected text, found 2024); put it in quotes to make it text"
    )


def test_date_where_text_belongs() -> None:
    p = one(edit("    name: Parents\n", "    name: 2024-01-01\n"))
    assert (p.found, p.hint) == ("the date 2024-01-01", "put it in quotes to make it text")


def test_yes_is_not_true() -> None:
    p = one(edit("    name: Parents\n", "    name: Parents\n    maori_data_interest: 'yes'\n"))
    assert (p.message, p.expected, p.found, p.line) == ("must be true or false", "true or false", "'yes'", 9)
    assert format_path(p.path) == "$.service_users[0].maori_data_interest"


def test_a_string_is_never_split_into_a_list() -> None:
    p = one(edit("    carries: [record]\n", "    carries: record\n"))
    assert (p.message, p.expected, p.found, p.line) == ("must be a list", "a list", "'record'", 27)
    assert format_path(p.path) == "$.flows[0].carries"


def test_a_mapping_is_not_a_list() -> None:
    p = one(edit("    carries: [record]\n", "    carries: {record: true}\n"))
    assert (p.message, p.found) == ("must be a list", "a mapping")


def test_a_list_item_that_is_not_a_mapping() -> None:
    # A bare id still declares it: references to it are not reported as well.
    p = one(edit("  - id: parents\n    name: Parents\n", "  - parents\n"))
    assert p.message == "a service-user group must be a mapping of keys to values"
    assert (format_path(p.path), p.found, p.line) == ("$.service_users[0]", "'parents'", 7)


NULL_LISTS = """\
dpup: 1
agreement:
  id: demo
  title: Demo
  parties:
service_users:
holders:
  - {id: ccss, kind: provider, name: CCSS, teams: }
purposes:
  - {id: delivery, compatible_with: }
information:
  - {id: record, about: }
flows:
  - {id: intake, from: ccss, to: ccss, carries: }
explanations:
  - {id: leaflet, for: , versions: , covers: , names: {holders: , purposes: }}
access:
  - {contact: ccss, covers: }
engagement:
  - {with: }
accepted:
"""

EMPTY_LISTS = """\
dpup: 1
agreement:
  id: demo
  title: Demo
  parties: []
service_users: []
holders:
  - {id: ccss, kind: provider, name: CCSS, teams: []}
purposes:
  - {id: delivery, compatible_with: []}
information:
  - {id: record, about: []}
flows:
  - {id: intake, from: ccss, to: ccss, carries: []}
explanations:
  - {id: leaflet, for: [], versions: [], covers: [], names: {holders: [], purposes: []}}
access:
  - {contact: ccss, covers: []}
engagement:
  - {with: []}
accepted: []
"""


@pytest.mark.parametrize(
    "read",
    [structure_agreement, lambda data: make_converter(fast=False).structure(data, dpup.Agreement)],
    ids=["fast path", "converter"],
)
def test_a_list_given_as_null_has_no_items(read: Any) -> None:
    # A template's empty section (`access:` with nothing after it) is YAML's null: no items,
    # in every list of every kind (ids, text, objects), as if it were left out or [].
    empty, null = read(yaml.safe_load(EMPTY_LISTS)), read(yaml.safe_load(NULL_LISTS))
    assert null == empty
    assert null.parties == null.service_users == null.access[0].covers == null.explanations[0].versions == ()
    assert dpup.loads(NULL_LISTS) == empty


def test_a_list_given_as_null_in_json() -> None:
    text = json.dumps(
        {"dpup": 1, "agreement": {"id": "demo", "title": "Demo", "parties": None}, "flows": None}
    )
    assert dpup.loads(text, format="json") == dpup.Agreement(id="demo", title="Demo")


@pytest.mark.parametrize(
    ("value", "found"), [("''", "''"), ("{}", "a mapping"), ("0", "0"), ("false", "false")]
)
def test_only_null_stands_for_no_items(value: str, found: str) -> None:
    # The near misses: an empty string, an empty mapping, a zero or false is not a list.
    p = one(edit("    about: [parents]\n", f"    about: {value}\n"))
    assert (format_path(p.path), p.message, p.found, p.line) == (
        "$.information[0].about",
        "must be a list",
        found,
        21,
    )


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("2027-13-01", "'2027-13-01'"),
        ("soon", "'soon'"),
        ("2027-06-30 10:00:00", "the date and time 2027-06-30T10:00:00"),
    ],
)
def test_bad_date(value: str, found: str) -> None:
    p = one(edit("  parties: [ccss]\n", f"  parties: [ccss]\n  review_by: {value}\n"))
    assert (p.message, p.expected, p.found) == ("must be a date", "a date (YYYY-MM-DD)", found)
    assert (format_path(p.path), p.line) == ("$.agreement.review_by", 6)


def test_date_as_iso_text_is_a_date() -> None:
    a = dpup.loads(edit("  parties: [ccss]\n", "  parties: [ccss]\n  review_by: '2027-06-30'\n"))
    assert str(a.review_by) == "2027-06-30"


# -- values outside their set ---------------------------------------------------------------


def test_identifiability_outside_its_set() -> None:
    p = one(edit("    identifiability: identifying\n", "    identifiability: identifing\n"))
    assert p.message == "'identifing' is not an identifiability dpup knows"
    assert (p.expected, p.found, p.hint) == (
        "one of identifying, de-identified, aggregate",
        "'identifing'",
        "did you mean 'identifying'?",
    )
    assert (format_path(p.path), p.line) == ("$.information[0].identifiability", 22)


def test_sensitivity_outside_its_set() -> None:
    p = one(
        edit("    identifiability: identifying\n", "    identifiability: identifying\n    sensitivity: 3\n")
    )
    assert p.message == "3 is not a sensitivity dpup knows"
    assert (p.expected, p.found, p.hint) == ("one of low, medium, high", "3", None)


@pytest.mark.parametrize(
    ("kind", "message"), [("agncy", "'agncy' is not a kind of holder"), ("3", "3 is not a kind of holder")]
)
def test_holder_kind_outside_its_set(kind: str, message: str) -> None:
    p = one(edit("    kind: agency\n", f"    kind: {kind}\n"))
    assert (p.message, p.expected, format_path(p.path), p.line) == (
        message,
        "one of provider, agency",
        "$.holders[1].kind",
        14,
    )


def test_holder_kind_missing_and_more_wrong_with_it() -> None:
    found = problems(edit("    kind: agency\n    name: The agency\n", "    name: 5\n"))
    assert [(format_path(p.path), p.message) for p in found] == [
        ("$.holders[1].kind", "required field 'kind' is missing"),
        ("$.holders[1].name", "must be text"),
    ]


def test_acceptance_code_must_be_a_check_code() -> None:
    text = BASE + "accepted:\n  - {code: XX1, subject: intake, reason: Agreed, by: 5}\n"
    found = problems(text)
    # Both on one line: in the order they are written.
    assert [(format_path(p.path), p.line) for p in found] == [
        ("$.accepted[0].code", 30),
        ("$.accepted[0].by", 30),
    ]
    assert found[0].message == "must be a check code"
    assert found[0].expected == "a check code such as 'PM004' (PM, ME, UH or SV and three digits)"
    assert found[0].found == "'XX1'"


@pytest.mark.parametrize("code", ["PM004\\n", "pm004", "PM٠٠٤", "PM0044"])
def test_a_check_code_is_exactly_two_letters_and_three_digits(code: str) -> None:
    text = BASE + f'accepted:\n  - {{code: "{code}", subject: intake, reason: Agreed, by: Aroha}}\n'
    p = one(text)
    assert (format_path(p.path), p.message, p.line) == ("$.accepted[0].code", "must be a check code", 30)
    assert dpup.loads(text.replace(code, "PM004")).accepted[0].code == "PM004"


# -- ids -----------------------------------------------------------------------------------------


def test_bad_id() -> None:
    text = edit(
        "  - id: parents\n", "  - id: the parents\n", edit("about: [parents]", "about: [the parents]")
    )
    found = problems(edit("    from: parents\n", "    from: the parents\n", text))
    assert [(format_path(p.path), p.line) for p in found] == [
        ("$.service_users[0].id", 7),
        ("$.information[0].about[0]", 21),
        ("$.flows[0].from", 25),
    ]
    p = found[0]
    assert (p.message, p.found) == ("must be an id", "'the parents'")
    assert (
        p.expected == "an id (letters, digits and . - _ : / +, starting with a letter, digit or underscore)"
    )


@pytest.mark.parametrize("id", ["_parents", "parents_", "9parents", "pārents", "p.a-r:e/n+ts"])
def test_ids_follow_the_rule_their_error_states(id: str) -> None:
    # "starting with a letter, digit or underscore", then letters, digits and . - _ : / +
    text = edit("  - id: parents\n", f"  - id: {id}\n", edit("about: [parents]", f"about: ['{id}']"))
    assert dpup.loads(edit("    from: parents\n", f"    from: '{id}'\n", text)).service_users[0].id == id


@pytest.mark.parametrize("id", ["-parents", ".parents", "/parents", "+parents", "par ents", "parents!"])
def test_ids_that_break_the_rule(id: str) -> None:
    text = edit("  - id: parents\n", f"  - id: '{id}'\n", edit("about: [parents]", "about: []"))
    p = problems(edit("    from: parents\n", "    from: nobody\n", text))[0]
    assert (format_path(p.path), p.message, p.found) == ("$.service_users[0].id", "must be an id", repr(id))


def test_reference_to_an_undeclared_id_suggests_a_badly_formed_one() -> None:
    text = edit("  - id: parents\n", "  - id: the parents\n", edit("about: [parents]", "about: []"))
    found = problems(text)
    assert [(format_path(p.path), p.hint) for p in found] == [
        ("$.service_users[0].id", None),
        ("$.flows[0].from", "did you mean 'the parents'?"),
    ]


def test_bad_id_in_a_list_names_its_index() -> None:
    p = one(edit("    carries: [record]\n", "    carries: [record, -x]\n"))
    assert (format_path(p.path), p.found, p.line) == ("$.flows[0].carries[1]", "'-x'", 27)


def test_every_bad_id_in_one_object_is_reported() -> None:
    text = edit("  - id: intake\n    from: parents\n", "  - id: in take\n    from: the parents\n")
    text = edit("    carries: [record]\n", "    carries: [record, a b]\n", text)
    assert [(format_path(p.path), p.found, p.line) for p in problems(text)] == [
        ("$.flows[0].id", "'in take'", 24),
        ("$.flows[0].from", "'the parents'", 25),
        ("$.flows[0].carries[1]", "'a b'", 27),
    ]


def test_bad_ids_beside_other_problems_in_the_same_object() -> None:
    text = edit("  - id: intake\n", "  - id: in take\n    frequency: 4\n")
    assert [(format_path(p.path), p.message) for p in problems(text)] == [
        ("$.flows[0].id", "must be an id"),
        ("$.flows[0].frequency", "must be text"),
    ]


def test_number_as_id() -> None:
    p = one(edit("  - id: intake\n", "  - id: 42\n"))
    assert (p.message, format_path(p.path), p.line) == ("must be an id, not 42", "$.flows[0].id", 24)


def test_missing_required_id() -> None:
    p = one(edit("  - id: intake\n    from: parents\n", "  - from: parents\n"))
    assert p.message == "required field 'id' is missing from a flow"
    assert (format_path(p.path), p.expected, p.found, p.line) == ("$.flows[0].id", "an id", "nothing", 24)


def test_id_used_twice_names_both_places() -> None:
    p = one(edit("  - id: agency\n", "  - id: ccss\n", edit("  parties: [ccss]\n", "  parties: []\n")))
    assert p.message == "id 'ccss' is used twice: here and at $.holders[0].id"
    assert (format_path(p.path), p.line) == ("$.holders[1].id", 13)


def test_team_id_clashing_with_a_group() -> None:
    p = one(edit("      - id: agency.reporting\n", "      - id: parents\n"))
    assert p.message == "id 'parents' is used twice: here and at $.service_users[0].id"
    assert (format_path(p.path), p.line) == ("$.holders[1].teams[0].id", 17)


# -- references -------------------------------------------------------------------------------

REFERENCES = BASE + (
    "explanations:\n"
    "  - id: notice\n"
    "    for: [parents]\n"
    "    covers: [intake]\n"
    "    names: {holders: [ccss]}\n"
    "access:\n"
    "  - contact: ccss\n"
    "    covers: [agency]\n"
    "engagement:\n"
    "  - with: [parents, ccss]\n"
)


@pytest.mark.parametrize(
    ("old", "new", "path", "line", "message"),
    [
        ("  parties: [ccss]\n", "  parties: [cccs]\n", "$.agreement.parties[0]", 5,
         "agreement 'demo' refers to 'cccs', which is not an organisation (a holder) in this agreement"),
        ("  parties: [ccss]\n", "  parties: [agency.reporting]\n", "$.agreement.parties[0]", 5,
         "agreement 'demo' refers to 'agency.reporting', which is not an organisation (a holder) in this agreement"),
        ("    about: [parents]\n", "    about: [ccss]\n", "$.information[0].about[0]", 21,
         "information 'record' refers to 'ccss', which is not a service-user group in this agreement"),
        ("    from: parents\n", "    from: parent\n", "$.flows[0].from", 25,
         "flow 'intake' refers to 'parent', which is not a service-user group or holder in this agreement"),
        ("    carries: [record]\n", "    carries: [records]\n", "$.flows[0].carries[0]", 27,
         "flow 'intake' refers to 'records', which is not an information item in this agreement"),
        ("    for: [parents]\n", "    for: [children]\n", "$.explanations[0].for[0]", 31,
         "explanation 'notice' refers to 'children', which is not a service-user group in this agreement"),
        ("    covers: [intake]\n", "    covers: [intake2]\n", "$.explanations[0].covers[0]", 32,
         "explanation 'notice' refers to 'intake2', which is not a flow in this agreement"),
        ("    names: {holders: [ccss]}\n", "    names: {holders: [parents]}\n", "$.explanations[0].names.holders[0]", 33,
         "explanation 'notice' refers to 'parents', which is not a holder in this agreement"),
        ("  - contact: ccss\n", "  - contact: families\n", "$.access[0].contact", 35,
         "access[0] refers to 'families', which is not a holder in this agreement"),
        ("    covers: [agency]\n", "    covers: [agencies]\n", "$.access[0].covers[0]", 36,
         "access[0] refers to 'agencies', which is not a holder in this agreement"),
        ("  - with: [parents, ccss]\n", "  - with: [parents, cs]\n", "$.engagement[0].with[1]", 38,
         "engagement[0] refers to 'cs', which is not a service-user group or holder in this agreement"),
    ],
)  # fmt: skip
def test_every_kind_of_reference_must_resolve(old: str, new: str, path: str, line: int, message: str) -> None:
    assert dpup.loads(REFERENCES).explanations[0].covers == ("intake",)
    p = one(edit(old, new, REFERENCES))
    assert (format_path(p.path), p.line, p.message) == (path, line, message)


PURPOSES = "purposes:\n  - id: delivery\n"


def test_a_reference_to_an_id_a_purpose_took_first_says_the_id_is_used_twice() -> None:
    text = edit("engagement:\n", PURPOSES + "engagement:\n", REFERENCES).replace("intake", "delivery")
    used_twice, covers = problems(text)
    assert (str(used_twice), used_twice.line) == (
        "line 24: $.flows[0].id: id 'delivery' is used twice: here and at $.purposes[0].id "
        "(expected an id used once in the agreement, found 'delivery')",
        24,
    )
    assert (format_path(covers.path), covers.message, covers.hint) == (
        "$.explanations[0].covers[0]",
        "explanation 'notice' refers to 'delivery', an id used twice: its first use, at $.purposes[0], "
        "is a purpose, not a flow",
        "give one of the two another id (the second is at $.flows[0])",
    )


def test_a_reference_an_id_used_twice_cannot_satisfy_either_way_is_not_blamed_on_the_repeat() -> None:
    # near miss: the id is used twice, but by a purpose and a group, neither of them a flow
    text = edit("engagement:\n", PURPOSES + "engagement:\n", REFERENCES)
    text = edit("    covers: [intake]\n", "    covers: [delivery]\n", text)
    text = edit("    name: Parents\n", "    name: Parents\n  - id: delivery\n    name: D\n", text)
    covers, used_twice = problems(text)
    assert format_path(used_twice.path) == "$.purposes[0].id"
    assert (
        covers.message == "explanation 'notice' refers to 'delivery', which is not a flow in this agreement"
    )


@pytest.mark.parametrize(
    ("key", "section"),
    [
        ("flow", "flows"),
        ("service_user", "service_users"),
        ("holder", "holders"),
        ("informaton", "information"),
    ],
)
def test_a_misspelt_section_key_is_the_one_problem_not_every_reference_into_it(
    key: str, section: str
) -> None:
    text = REFERENCES.replace(f"\n{section}:\n", f"\n{key}:\n")
    assert text != REFERENCES
    p = one(text)
    assert (format_path(p.path), p.hint) == (f"$.{key}", f"did you mean {section!r}?")


def test_references_into_a_section_are_checked_when_a_misspelt_key_is_beside_it() -> None:
    # near miss: 'flow:' is misspelt, but 'flows:' is there too, so its references are checked
    text = edit("    covers: [intake]\n", "    covers: [intake2]\n", REFERENCES) + "flow: []\n"
    assert [format_path(p.path) for p in problems(text)] == ["$.explanations[0].covers[0]", "$.flow"]
    # and a key that is no section's misspelling hides nothing
    text = REFERENCES.replace("\nflows:\n", "\nstuff:\n")
    assert [format_path(p.path) for p in problems(text)][:2] == ["$.stuff", "$.explanations[0].covers[0]"]


def test_undeclared_purpose_is_not_a_load_error() -> None:
    a = dpup.loads(BASE)
    assert a.flows[0].purpose == "delivery"
    assert a.purpose("delivery") is None


def test_references_are_checked_even_when_the_file_has_other_problems() -> None:
    text = edit("    to: ccss\n", "    to: nowhere\n", edit("    name: CCSS\n", "    name: [CCSS]\n"))
    assert [(format_path(p.path), p.line) for p in problems(text)] == [
        ("$.holders[0].name", 12),
        ("$.flows[0].to", 26),
    ]


def test_a_holder_with_other_problems_still_counts_as_declared() -> None:
    # The flow goes to ccss; ccss has a bad name. Only the name is a problem.
    found = problems(edit("    name: CCSS\n", "    name: 5\n"))
    assert [format_path(p.path) for p in found] == ["$.holders[0].name"]


def test_a_reference_that_is_not_text_is_reported_once() -> None:
    found = problems(edit("    to: ccss\n", "    to: [ccss]\n"))
    assert [(format_path(p.path), p.message) for p in found] == [
        ("$.flows[0].to", "must be an id, not a list")
    ]


# -- JSON lines, and when they cannot be found -----------------------------------------------------


def test_json_problems_have_lines_even_with_tabs() -> None:
    data = yaml.safe_load(edit("    to: ccss\n", "    to: nowhere\n"))
    text = json.dumps(data, indent="\t")
    (p,) = problems(text, "json")
    assert text.splitlines()[p.line - 1].strip() == '"to": "nowhere",'  # type: ignore[operator]


def test_json_compact_on_one_line() -> None:
    data = yaml.safe_load(edit("    to: ccss\n", "    to: nowhere\n"))
    (p,) = problems(json.dumps(data), "json")
    assert p.line == 1


def test_json_lines_of_keys_longer_than_yaml_reads() -> None:
    # PyYAML cannot read keys over 1024 characters; JSON's own lines do not need it.
    data = yaml.safe_load(BASE)
    data["flows"][0]["x" * 1100] = 1
    text = json.dumps(data, indent=2)
    (p,) = problems(text, "json")
    assert p.message == f"unknown key {'x' * 60 + '…'!r} (1,100 characters) in a flow"
    assert text.splitlines()[p.line - 1].startswith('      "xxx')  # type: ignore[operator]
    assert format_path(p.path) == f"$.flows[0][{'x' * 60 + '…'!r} (1,100 characters)]"


# -- formats and files ----------------------------------------------------------------------------


def test_unknown_format_name() -> None:
    with pytest.raises(ValueError, match="format must be one of yaml, json, toml, not 'yml'"):
        dpup.loads(BASE, format="yml")  # type: ignore[arg-type]


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "agreement.txt"
    path.write_text(BASE, encoding="utf-8")
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    (p,) = info.value.problems
    assert p.message == "cannot tell the file's format from its name"
    assert (p.expected, p.found, p.file) == (
        "a name ending in .yaml, .yml, .json, .toml",
        "'.txt'",
        str(path),
    )
    assert dpup.load(path, format="yaml").id == "demo"


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        dpup.load(tmp_path / "missing.yaml")


def test_every_problem_of_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(yaml.safe_load(THREE_ERRORS), indent=2), encoding="utf-8")
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    assert {p.file for p in info.value.problems} == {str(path)}
    assert re.match(rf"3 problems in {re.escape(str(path))}:\n", str(info.value))


def test_toml_has_no_null_so_an_empty_table_is_fine() -> None:
    text = tomli_w.dumps({"dpup": 1, "agreement": {"id": "x", "title": "t"}, "engagement": [{}]})
    assert tomllib.loads(text)["engagement"] == [{}]
    assert dpup.loads(text, "toml").engagement[0] == dpup.Engagement()


# -- any field, any agreement -----------------------------------------------------------------

_NOT_TEXT = {"id", "from", "to", "purpose", "contact", "code", "kind", "identifiability", "sensitivity"}


def _text_leaves(data: object, path: FieldPath = ()) -> list[FieldPath]:
    if isinstance(data, dict):
        return [
            leaf
            for key, value in data.items()
            for leaf in (
                [(*path, key)]
                if isinstance(value, str) and key not in _NOT_TEXT
                else _text_leaves(value, (*path, key))
            )
        ]
    if isinstance(data, list):
        return [leaf for i, item in enumerate(data) for leaf in _text_leaves(item, (*path, i))]
    return []


@given(agreement=agreements(max_flows=4), choice=st.data())
def test_a_number_in_any_text_field_is_one_problem_at_its_path_and_line(
    agreement: dpup.Agreement, choice: st.DataObject
) -> None:
    data = yaml.safe_load(dpup.dumps(agreement))
    leaves = _text_leaves(data)
    if not leaves:
        return
    path = choice.draw(st.sampled_from(leaves))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = 12345
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6)
    (p,) = problems(text)
    assert p.path == path
    assert (p.message, p.found) == ("must be text", "12345")
    assert "12345" in text.splitlines()[p.line - 1]  # type: ignore[operator]


REPEATS = [
    (
        "agreement: {parties: [prov, agency, prov]}",
        "$.agreement.parties[2]",
        "agreement 'base' lists 'prov' twice",
    ),
    (
        "information: [{id: record, about: [parents, kids, parents]}]",
        "$.information[0].about[2]",
        "'parents'",
    ),
    (
        "flows: [{id: report, carries: [counts, counts]}]",
        "$.flows[2].carries[1]",
        "flow 'report' lists 'counts'",
    ),
    ("explanations: [{id: notice, for: [parents, parents, kids]}]", "$.explanations[0].for[1]", "'parents'"),
    (
        "explanations: [{id: notice, names: {holders: [prov, agency, prov]}}]",
        "$.explanations[0].names.holders[2]",
        "'prov'",
    ),
    ("access: [{contact: prov, covers: [prov, prov]}]", "$.access[0].covers[1]", "access[0] lists"),
    ("engagement: [{with: [kids, kids]}]", "$.engagement[0].with[1]", "engagement[0] lists"),
]


def _without_repeats(patch: str) -> str:
    """The patch with each bracketed list's repeated items dropped."""

    def once(match: re.Match[str]) -> str:
        items = [i.strip() for i in match.group(1).split(",")]
        return "[" + ", ".join(dict.fromkeys(items)) + "]"

    return re.sub(r"\[([^\[\]{}]*)\]", once, patch)


@pytest.mark.parametrize(("patch", "where", "says"), REPEATS, ids=[w for _, w, _ in REPEATS])
def test_an_id_listed_twice_in_one_list_is_a_problem_at_the_second(patch: str, where: str, says: str) -> None:
    """A repeated reference would count its flow or group twice (two identical findings, a
    finding listing one id twice): refused, at the repeat, naming the first."""
    from tests.test_checks import patched

    with pytest.raises(dpup.AgreementError) as caught:
        dpup.loads(patched(patch))
    (problem,) = caught.value.problems
    assert format_path(problem.path) == where
    assert says in problem.message
    assert "twice: here and at" in problem.message
    # near miss: the same lists without the repeats load
    near = _without_repeats(patch)
    assert near != patch
    dpup.loads(patched(near))


# -- hints that show the fix --------------------------------------------------------------

_SMALL = """dpup: 1
agreement: {id: a, title: T}
service_users:
  - {id: households, name: H}
  - {id: tamariki, name: T}
holders:
  - {id: org, kind: provider, name: O}
information:
  - {id: rec, about: [households]}
flows:
  - {id: f, from: households, to: org, carries: [rec]}
explanations:
  - {id: e, for: [tamariki]}
"""


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("about: [households]", "about: households", "write a list, such as [households]"),
        (
            "{id: rec, about: [households]}",
            "{id: rec, about: 'households, tamariki'}",
            "write a list, such as [households, tamariki]",
        ),
        ("for: [tamariki]", "for: tamariki", "write a list, such as [tamariki]"),
        ("for: [tamariki]", "for: 7", None),  # near miss: not text, nothing to show
        (
            "{id: rec, about: [households]}",
            "{id: rec, about: 'households,tamariki'}",
            "write a list, such as [households, tamariki]",  # each item as YAML would read it
        ),
        ("about: [households]", "about: '  '", None),  # blank: nothing to show
        ("about: [households]", 'about: "households\\ntamariki"', None),  # several lines are no inline list
        ("about: [households]", "about: " + "h" * 80, "write a list, such as [" + "h" * 80 + "]"),
        ("about: [households]", "about: " + "h" * 81, None),  # too long to repeat
        ("for: [tamariki]", "for: [tamariki], names: org", None),  # text where a mapping belongs
        (
            "for: [tamariki]",
            "for: [tamariki], names: [org, tamariki]",
            "put each id under its key: {holders: [org, tamariki], purposes: [...]}",
        ),
        (
            "for: [tamariki]",
            "for: [tamariki], names: [org, 7]",  # not all ids: the keys, as for any mapping
            "write its keys under it, such as {holders: ..., purposes: ...}",
        ),
        (
            "for: [tamariki]",
            "for: [tamariki], names: [org]",
            "put each id under its key: {holders: [org], purposes: [...]}",
        ),
        (
            "for: [tamariki]",
            "for: [tamariki], says: [a, b]",
            "write its keys under it, such as {what: ..., why: ...}",
        ),
        ("for: [tamariki]", "for: [tamariki], names: 3", None),
        ("title: T}", "title: T, review_by: 30/06/2027}", "write it year first: 2027-06-30 for 30 June 2027"),
        ("title: T}", "title: T, review_by: 06/30/2027}", "write it year first: 2027-06-30 for 30 June 2027"),
        (
            "title: T}",
            "title: T, review_by: 1.2.2027}",
            "write it year first: 2027-02-01 for 1 February 2027",
        ),
        ("title: T}", "title: T, review_by: 31/02/2027}", None),  # no such date either way
        ("title: T}", "title: T, review_by: 2027/06/30}", None),
        (
            "carries: [rec]}",
            "carries: [rec], consent: yes}",
            "DPUP speaks of the choice people have, not of consent: did you mean 'choice' (or 'no_choice_reason', why they have none)?",
        ),
        (
            "carries: [rec]}",
            "carries: [rec], parental_consent: yes}",
            "DPUP speaks of the choice people have, not of consent: did you mean 'choice' (or 'no_choice_reason', why they have none)?",
        ),
        ("carries: [rec]}", "carries: [rec], choise: yes}", "did you mean 'choice'?"),  # a misspelling first
        ("carries: [rec]}", "carries: [rec], no_choice_consent: x}", "did you mean 'no_choice_reason'?"),
        ("carries: [rec]}", "carries: [rec], remarks: yes}", None),  # near miss: no consent in it
        ("name: O}", "name: O, consent: yes}", None),  # a holder has no choice to offer
    ],
)
def test_a_hint_shows_how_to_write_what_was_meant(old: str, new: str, hint: str | None) -> None:
    p = one(edit(old, new, _SMALL))
    assert p.hint == hint, p


def test_a_misspelt_teams_key_is_the_one_problem_not_every_reference_to_its_teams() -> None:
    text = """dpup: 1
agreement: {id: a, title: T}
service_users:
  - {id: households, name: H}
holders:
  - id: city-council
    kind: agency
    name: C
    team:
      - {id: city-council.housing, name: Housing}
flows:
  - {id: f, from: households, to: city-council.housing}
"""
    p = one(text)
    assert (format_path(p.path), p.hint, p.line) == ("$.holders[0].team", "did you mean 'teams'?", 9)
    # near miss: a reference to something that is not there at all is still reported
    found = problems(text + "  - {id: g, from: households, to: city-councl}\n")
    assert [(format_path(p.path), p.hint) for p in found] == [
        ("$.holders[0].team", "did you mean 'teams'?"),
        ("$.flows[1].to", "did you mean 'city-council'?"),
    ]
    # and a key that is no misspelling of teams hides nothing
    found = problems(text.replace("    team:", "    squads:"))
    assert [format_path(p.path) for p in found] == ["$.holders[0].squads", "$.flows[0].to"]


def test_a_misspelt_teams_key_hides_its_teams_only_in_a_holder_with_no_teams_key() -> None:
    text = """dpup: 1
agreement: {id: a, title: T}
service_users:
  - {id: households, name: H}
holders:
  - id: city-council
    kind: agency
    name: C
    teams:
      - {id: city-council.rates, name: Rates}
  - id: trust
    kind: provider
    name: T
    team:
      - {id: trust.housing, name: Housing}
flows:
  - {id: f, from: households, to: trust.housing}
"""
    # a holder with its teams before one with a misspelt key: the misspelt key's teams are still hidden
    assert [format_path(p.path) for p in problems(text)] == ["$.holders[1].team"]
    # near miss: beside a teams key, a team key is one more unknown key, and what is under it
    # declares nothing, so a reference to it is reported
    both = text.replace("    team:\n", "    teams: []\n    team:\n")
    assert [format_path(p.path) for p in problems(both)] == ["$.holders[1].team", "$.flows[0].to"]
    # a holder that is not a mapping is its own problem, and hides nothing
    bare = text.replace("  - id: city-council\n", "  - someone\n  - id: city-council\n")
    assert [format_path(p.path) for p in problems(bare)] == ["$.holders[0]", "$.holders[2].team"]
    # under the misspelt key, only mappings with an id declare a team: anything else hides nothing
    for odd in ("3", "[trust.housing]", "[{name: Housing}]", "[{id: 7}]"):
        found = problems(
            text.replace("    team:\n      - {id: trust.housing, name: Housing}\n", f"    team: {odd}\n")
        )
        assert [format_path(p.path) for p in found] == ["$.holders[1].team", "$.flows[0].to"], odd


def test_the_errors_first_line_names_the_file_the_files_or_the_agreement(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(dpup.AgreementError) as info:
        dpup.load_all(empty)
    assert str(info.value).startswith(f"1 problem in {empty}:\n")  # a directory is not an agreement
    broken = tmp_path / "broken.yaml"
    broken.write_text("dpup: 1\n", encoding="utf-8")
    with pytest.raises(dpup.AgreementError) as info:
        dpup.load_all([empty, broken])
    assert str(info.value).startswith(f"{len(info.value.problems)} problems in 2 files:\n")
    with pytest.raises(dpup.AgreementError) as info:
        dpup.loads("dpup: 1\n", format="yaml")
    assert str(info.value).startswith("1 problem in the agreement:\n")


_ACCEPTING = """dpup: 1
agreement: {id: a, title: T}
holders:
  - {id: p, kind: provider, name: P}
accepted:
  - {code: UH002, subject: p, reason: Not a party by design, by: Legal}
  - {code: PM004, subject: p, reason: Counts only, by: Legal}
  - {code: %s, subject: %s, reason: Said again, by: Privacy}
"""


def test_one_finding_accepted_twice_is_a_problem_at_the_second() -> None:
    """Two acceptances of one finding: whose reason holds is unclear, and once the finding
    is fixed both would be stale, two findings with one fingerprint."""
    with pytest.raises(dpup.AgreementError) as caught:
        dpup.loads(_ACCEPTING % ("UH002", "p"))
    (problem,) = caught.value.problems
    assert format_path(problem.path) == "$.accepted[2]"
    assert problem.line == 8
    assert problem.message == "UH002 for 'p' is accepted twice: here and at $.accepted[0]"
    assert problem.found == "a second acceptance of UH002 for 'p'"
    assert problem.hint == "delete one; if both reasons still hold, put both in the one you keep"
    # near misses: another code for the subject, another subject for the code
    for code, subject in (("UH001", "p"), ("UH002", "q")):
        assert len(dpup.loads(_ACCEPTING % (code, subject)).accepted) == 3


def test_acceptances_twice_are_reported_with_the_files_other_problems() -> None:
    text = (_ACCEPTING % ("UH002", "p")).replace("kind: provider", "kind: charity")
    with pytest.raises(dpup.AgreementError) as caught:
        dpup.loads(text)
    paths = sorted(format_path(p.path) for p in caught.value.problems)
    assert paths == ["$.accepted[2]", "$.holders[0].kind"]


def test_the_model_refuses_one_finding_accepted_twice() -> None:
    a = dpup.loads(_ACCEPTING % ("UH001", "p"))
    again = attrs.evolve(a.accepted[0], reason="Another reason")
    with pytest.raises(dpup.AgreementError, match=r"UH002 for 'p' is accepted twice"):
        attrs.evolve(a, accepted=(*a.accepted, again))


@pytest.mark.parametrize(
    ("format", "text", "hint"),
    [
        (
            "yaml",
            "dpup: 1\nagreement: {id: x, title: X}\nexplanations:\n  - {id: e, names: [ccss, agency]}\n",
            "put each id under its key: {holders: [ccss, agency], purposes: [...]}",
        ),
        (
            "json",
            '{"dpup": 1, "agreement": {"id": "x", "title": "X"}, '
            '"explanations": [{"id": "e", "names": ["ccss", "agency"]}]}',
            'put each id under its key: {"holders": ["ccss", "agency"], "purposes": [...]}',
        ),
        (
            "toml",
            'dpup = 1\n[agreement]\nid = "x"\ntitle = "X"\n[[explanations]]\nid = "e"\nnames = ["ccss", "agency"]\n',
            'put each id under its key: {holders = ["ccss", "agency"], purposes = [...]}',
        ),
        (
            "json",
            '{"dpup": 1, "agreement": {"id": "x", "title": "X"}, "explanations": [{"id": "e", "says": ["a"]}]}',
            'write its keys under it, such as {"what": ..., "why": ...}',
        ),
    ],
)
def test_a_hint_shows_a_mapping_in_the_files_own_syntax(format: str, text: str, hint: str) -> None:
    # The hint was YAML's flow style whatever the file, which is not valid JSON or TOML.
    with pytest.raises(dpup.AgreementError) as caught:
        dpup.loads(text, format)  # type: ignore[arg-type]
    assert [p.hint for p in caught.value.problems if p.hint] == [hint]


@pytest.mark.parametrize(
    ("text", "line", "expected", "found", "hint"),
    [
        (
            "dpup = 1\n[agreement]\nid = x\n",
            3,
            "a value: text in double quotes, a number, true, false, a date, an array [...] or an inline table {...}",
            "'x' at column 6",
            'put text in double quotes: key = "text"',
        ),
        (
            'dpup = 1\n[agreement]\nid = "x",\n',
            3,
            "a line break after each key = value",
            "',' at column 9",
            "TOML puts no comma at the end of a line, only between the items of an array or inline table",
        ),
        (
            'dpup = 1\nagreement = {id = "x",}\n',
            2,
            "a key: a name such as id, or text in double quotes",
            "'}' at column 23",
            "TOML allows no comma after the last item of an inline table: take it out",
        ),
        (
            'dpup = 1\n[agreement]\ntitle = "a\n',
            3,
            'text closed by its quote on the same line (""" opens text of several lines)',
            "the end of line 3",
            None,
        ),
        (
            "dpup = 1\n[agreement]\n[agreement]\n",
            3,
            "each table declared once",
            "the table declared again",
            None,
        ),
        ("dpup = 1\n[agreement]\nid = 'x\n", None, None, "the end of the file", None),
        # near miss: no hint of a comma where what follows a value is no comma
        (
            "dpup = 1\n[agreement]\nid = 1x\n",
            3,
            "a line break after each key = value",
            "'x' at column 7",
            None,
        ),
    ],
)
def test_a_toml_syntax_error_says_what_was_expected_and_found_where(
    text: str, line: int | None, expected: str | None, found: str, hint: str | None
) -> None:
    # tomllib's words alone, "Invalid value", said neither.
    with pytest.raises(dpup.AgreementError) as caught:
        dpup.loads(text, "toml")
    (p,) = caught.value.problems
    assert p.message.startswith("not valid TOML: ")
    assert "(at line" not in p.message
    assert (p.line, p.found, p.hint) == (line, found, hint)
    if expected is not None:
        assert p.expected == expected


def test_problems_without_lines_or_on_one_line_come_in_the_files_order() -> None:
    # The converter finds unknown keys before wrong values; the problems are listed as the
    # file has them: by line, then (TOML has no lines; a flow mapping is one line) by place.
    toml = 'dpup = 1\n\n[agreement]\nid = "demo"\ntitle = 5\n\n[bogus]\nx = 1\n'
    with pytest.raises(AgreementError) as info:
        dpup.loads(toml, "toml")
    assert [(p.path, p.line) for p in info.value.problems] == [
        (("agreement", "title"), None),
        (("bogus",), None),
    ]
    with pytest.raises(AgreementError) as info:
        dpup.loads("dpup: 1\nagreement: {id: demo, title: 5, x: 1}\nbogus: 1\n")
    assert [(p.path, p.line) for p in info.value.problems] == [
        (("agreement", "title"), 2),
        (("agreement", "x"), 2),
        (("bogus",), 3),
    ]
    # The near miss: written the other way round, they are listed the other way round.
    with pytest.raises(AgreementError) as info:
        dpup.loads("dpup: 1\nagreement: {x: 1, id: demo, title: 5}\n")
    assert [p.path for p in info.value.problems] == [("agreement", "x"), ("agreement", "title")]


def test_a_problem_that_knows_its_line_keeps_it() -> None:
    # An anchor on text written on the line after its key is on that line, not the key's.
    text = "dpup: 1\nagreement:\n  id: demo\n  title:\n    &co and others\n"
    p = one(text)
    assert (p.path, p.line) == (("agreement", "title"), 5)
    # The near miss: on the key's line.
    p = one("dpup: 1\nagreement:\n  id: demo\n  title: &co and others\n")
    assert (p.path, p.line) == (("agreement", "title"), 4)


def test_a_missing_field_comes_after_the_fields_its_mapping_has() -> None:
    # TOML has no lines: a missing field is placed at the end of its mapping, after a wrong
    # value written in it (the converter finds the missing id first).
    with pytest.raises(AgreementError) as info:
        dpup.loads("dpup = 1\n[agreement]\ntitle = 5\n", "toml")
    assert [(p.path, p.found) for p in info.value.problems] == [
        (("agreement", "title"), "5"),
        (("agreement", "id"), "nothing"),
    ]


def test_a_section_written_under_the_agreement_header_is_not_read_as_the_section() -> None:
    # holders: under agreement: is an unknown key of the header, not the agreement's holders
    # (by the fast path as by the converter).
    text = (
        "dpup: 1\nagreement:\n  id: demo\n  title: Demo\n  parties: [ccss]\n"
        "  holders:\n    - {id: ccss, kind: provider, name: CCSS}\n"
    )
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    assert [(p.path, p.line) for p in info.value.problems] == [
        (("agreement", "parties", 0), 5),
        (("agreement", "holders"), 6),
    ]
    # The near miss: at the top level, it is the agreement's.
    assert dpup.loads(text.replace("\n  holders:\n    - ", "\nholders:\n  - ")).holders[0].id == "ccss"


def test_a_holders_kind_that_is_a_list_is_a_problem_at_its_kind() -> None:
    p = one(edit("    kind: provider\n", "    kind: [provider]\n"))
    assert (p.path, p.message, p.expected, p.found) == (
        ("holders", 0, "kind"),
        "a list is not a kind of holder",
        "one of provider, agency",
        "a list",
    )
    # The near miss: text that is not a kind.
    p = one(edit("    kind: provider\n", "    kind: providr\n"))
    assert (p.path, p.found, p.hint) == (("holders", 0, "kind"), "'providr'", "did you mean 'provider'?")


def test_a_long_negative_number_counts_its_digits_not_its_sign() -> None:
    p = one(edit("  title: Demo\n", "  title: -1" + "0" * 100 + "\n"))
    assert (p.path, p.found) == (("agreement", "title"), "a number of 101 digits")
    p = one(edit("  title: Demo\n", "  title: 1" + "0" * 100 + "\n"))
    assert (p.path, p.found) == (("agreement", "title"), "a number of 101 digits")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_json_lines_are_counted_with_any_of_its_line_breaks(newline: str) -> None:
    text = json.dumps(
        {
            "dpup": 1,
            "agreement": {"id": "demo", "title": "Demo"},
            "information": [{"id": "i", "identifiability": "x"}],
        },
        indent=2,
    )
    lines = text.split("\n")
    p = one(newline.join(lines), "json")
    assert (p.path, p.line) == (
        ("information", 0, "identifiability"),
        lines.index('      "identifiability": "x"') + 1,
    )


_WITH_A_TEAM = (
    "dpup: 1\nagreement: {id: demo, title: Demo, parties: [ccss]}\n"
    "holders:\n  - {id: ccss, kind: provider, name: CCSS, teams: [{id: x, name: X}]}\n"
)


def test_a_reference_to_an_id_a_team_took_first_says_it_is_a_team() -> None:
    text = (
        _WITH_A_TEAM + "flows:\n  - {id: x, from: ccss, to: ccss}\nexplanations:\n  - {id: e, covers: [x]}\n"
    )
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    p = info.value.problems[-1]
    assert (p.path, p.line) == (("explanations", 0, "covers", 0), 8)
    assert p.message == (
        "explanation 'e' refers to 'x', an id used twice: its first use, at $.holders[0].teams[0], "
        "is a team, not a flow"
    )
    assert p.hint == "give one of the two another id (the second is at $.flows[0])"


def test_an_explanation_naming_a_purpose_twice_is_a_problem_at_the_second() -> None:
    text = _WITH_A_TEAM + "purposes:\n  - {id: p}\nexplanations:\n  - {id: e, names: {purposes: [p, p]}}\n"
    p = one(text)
    assert (p.path, p.line) == (("explanations", 0, "names", "purposes", 1), 8)
    assert p.message == "explanation 'e' lists 'p' twice: here and at $.explanations[0].names.purposes[0]"
    # The near miss: each once.
    assert dpup.loads(text.replace("[p, p]", "[p]")).explanations[0].names.purposes == ("p",)


def test_a_key_written_as_text_and_as_true_is_not_a_key_given_twice() -> None:
    # YAML's true and 'true' are different keys (true or false, and text): each is its own
    # problem, and neither is the other given again.
    with pytest.raises(AgreementError) as info:
        dpup.loads(_WITH_A_TEAM + "true: 1\n'true': 2\n")
    assert [(p.path, p.line, p.found) for p in info.value.problems] == [
        ((), 5, "true or false as a key"),
        (("true",), 6, "'true'"),
    ]
    # The near miss: 'true' twice is.
    with pytest.raises(AgreementError) as info:
        dpup.loads(_WITH_A_TEAM + "'true': 1\n'true': 2\n")
    assert [p.found for p in info.value.problems] == ["'true'", "'true' again"]


def test_json_nested_too_deeply_is_placed_where_it_first_gets_that_deep() -> None:
    deep = "[" * 5000 + "]" * 5000
    p = one('{"dpup": 1,\n"a": ' + deep + ',\n"b": ' + deep + "}", "json")
    assert (p.message, p.line) == ("not valid JSON: arrays and objects nested too deeply to read", 2)


def test_a_reference_to_an_id_used_three_times_finds_the_use_that_would_do() -> None:
    # Only the second use was remembered: with a purpose, an information item and a flow all
    # 'x', covers: [x] was told 'x' is not a flow in this agreement, though a flow 'x' exists.
    text = (
        _WITH_A_TEAM.replace("teams: [{id: x, name: X}]", "teams: []")
        + "purposes:\n  - {id: x}\ninformation:\n  - {id: x}\n"
        + "flows:\n  - {id: x, from: ccss, to: ccss}\nexplanations:\n  - {id: e, covers: [x]}\n"
    )
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    p = info.value.problems[-1]
    assert p.path == ("explanations", 0, "covers", 0)
    assert p.message == (
        "explanation 'e' refers to 'x', an id used 3 times: its first use, at $.purposes[0], "
        "is a purpose, not a flow"
    )
    assert p.hint == "give each use its own id (the use that is a flow is at $.flows[0])"
    # near miss: with no flow among the three uses, the reference is to no flow at all
    text = text.replace(
        "flows:\n  - {id: x, from: ccss, to: ccss}\n", "service_users:\n  - {id: x, name: X}\n"
    )
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    p = info.value.problems[-1]
    assert p.message == "explanation 'e' refers to 'x', which is not a flow in this agreement"
