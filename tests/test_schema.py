"""The JSON Schema of the file format: valid, true to the loader, and the same as the docs."""

import io
import json
import re
import typing
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dpup
from dpup import model as m
from dpup.cli import main
from dpup.schema import CODE_PATTERN, DATE_PATTERN, DESCRIPTIONS, ID_PATTERN, _nullable, _of_type, _ref
from tests.examples import at, places, read_alike
from tests.strategies import agreements

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = dpup.json_schema()
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
EXAMPLES = dpup.examples.names()


def as_json(agreement: dpup.Agreement) -> Any:
    """An agreement as its JSON file holds it."""
    return json.loads(dpup.dumps(agreement, format="json"))


def schema_errors(document: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def loads(document: Any) -> dpup.AgreementError | None:
    """What loading a document as a JSON file raises, if anything."""
    try:
        dpup.loads(json.dumps(document), format="json")
    except dpup.AgreementError as e:
        return e
    return None


# -- the schema itself --------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_each_call_gives_a_new_schema() -> None:
    first = dpup.json_schema()
    first["definitions"]["flow"]["required"].append("purpose")
    first["properties"].clear()
    assert dpup.json_schema() == SCHEMA
    assert dpup.json_schema()["definitions"]["flow"]["required"] == ["id", "from", "to"]


def test_every_key_the_loader_reads_is_in_the_schema_and_no_other() -> None:
    from dpup._private.converter import HEADER, allowed_keys

    assert list(SCHEMA["properties"]) == list(allowed_keys(dpup.Agreement))
    definitions = SCHEMA["definitions"]
    assert list(definitions["agreement"]["properties"]) == list(HEADER)
    classes = {
        "service_user": m.ServiceUser,
        "holder": m.Provider,
        "team": m.Team,
        "purpose": m.Purpose,
        "information": m.Information,
        "flow": m.DataFlow,
        "explanation": m.Explanation,
        "names": m.Names,
        "says": m.Checklist,
        "access": m.AccessArrangement,
        "engagement": m.Engagement,
        "acceptance": m.Acceptance,
    }
    assert set(definitions) == {"id", "agreement", *classes}
    for name, cls in classes.items():
        assert list(definitions[name]["properties"]) == list(allowed_keys(cls)), name
        assert definitions[name]["additionalProperties"] is False
        required = [attrs.fields_dict(cls)[k].default is attrs.NOTHING for k in _field_names(cls)]
        if cls is m.Provider:
            required.insert(0, True)  # its kind
        assert definitions[name].get("required", []) == [
            k for k, r in zip(_keys(cls), required, strict=True) if r
        ], name


def _field_names(cls: type) -> list[str]:
    return [a.name for a in attrs.fields(cls) if a.init]


def _keys(cls: type) -> list[str]:
    renames = {"from_": "from", "for_": "for", "with_": "with"}
    keys = [renames.get(n, n) for n in _field_names(cls)]
    return ["kind", *keys] if cls is m.Provider else keys


def test_a_holder_must_say_its_kind() -> None:
    holder = SCHEMA["definitions"]["holder"]
    assert holder["required"][0] == "kind"
    assert holder["properties"]["kind"]["enum"] == ["provider", "agency"]


# -- true to the loader -------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_examples_are_valid(name: str) -> None:
    assert schema_errors(as_json(dpup.examples.load(name))) == []


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(agreement=agreements())
def test_every_agreement_saved_as_json_is_valid(agreement: dpup.Agreement) -> None:
    assert schema_errors(as_json(agreement)) == []


REPLACEMENTS = (
    None,
    True,
    False,
    0,
    7,
    2.5,
    "not an id",
    "fresh-id",
    "",
    [],
    ["not an id"],
    ["fresh-id", "fresh-id"],
    {},
    {"k": 1},
)
"""What a value may be replaced with: every JSON type, ids of the right and wrong form, an id
listed twice."""


_SECTIONS = {
    "service_users": "service_user",
    "holders": "holder",
    "purposes": "purpose",
    "information": "information",
    "flows": "flow",
    "explanations": "explanation",
    "access": "access",
    "engagement": "engagement",
    "accepted": "acceptance",
}


def _keys_at(path: tuple[Any, ...]) -> list[str]:
    """The keys of the format for the mapping at ``path`` in an agreement's JSON form."""
    if not path:
        return list(SCHEMA["properties"])
    if path == ("agreement",):
        name = "agreement"
    elif len(path) == 2:
        name = _SECTIONS[path[0]]
    elif path[0] == "holders":
        name = "team"
    else:
        name = path[2]  # an explanation's names or says
    return list(SCHEMA["definitions"][name]["properties"])


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Any, str]:
    """The JSON form of an agreement with one thing changed: a value replaced, a key removed
    or added, or a list's first item listed again."""
    document = as_json(draw(agreements(max_flows=4)))
    path = draw(st.sampled_from(places(document)))
    how = draw(st.sampled_from(("replace", "remove", "add key", "set key", "repeat item")))
    if how == "replace" or not path:
        value = draw(st.sampled_from(REPLACEMENTS))
        if not path:
            return value, f"the whole document replaced with {value!r}"
        at(document, path[:-1])[path[-1]] = value
        return document, f"{path} replaced with {value!r}"
    target = at(document, path)
    if how == "remove" and isinstance(at(document, path[:-1]), dict):
        del at(document, path[:-1])[path[-1]]
        return document, f"{path} removed"
    if how == "set key" and isinstance(target, dict):  # a key of the format, there or not
        key = draw(st.sampled_from(_keys_at(path)))
        value = draw(st.sampled_from(REPLACEMENTS))
        target[key] = value
        return document, f"{path}[{key!r}] set to {value!r}"
    if how == "add key" and isinstance(target, dict):
        target[draw(st.sampled_from(("extra", "kind", "id", "from_", "Id")))] = "x"
        return document, f"a key added at {path}"
    if isinstance(target, list) and target:
        target.append(target[0])
        return document, f"{path}[0] listed again"
    assume(False)
    raise AssertionError  # unreachable: assume(False) stops the example


_REFERENCES = re.compile(r"refers to|is used twice|which is not|is accepted twice")
"""The problems that only loading can find: ids used twice, references that do not resolve,
and a finding accepted twice (but for an exact repeat of an acceptance, which the schema's
``uniqueItems`` refuses too)."""


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(case=mutated())
def test_the_schema_refuses_exactly_what_the_loader_refuses_for_its_shape(case: tuple[Any, str]) -> None:
    document, what = case
    errors = schema_errors(document)
    refused = loads(document)
    if errors:  # never a false alarm in an editor: a file the schema refuses does not load
        assert refused is not None, f"{what}: the schema refuses a file that loads: {errors}"
    elif refused is not None:  # a file refused for its shape is refused by the schema too
        shape = [p for p in refused.problems if not _REFERENCES.search(p.message)]
        assert shape == [], f"{what}: loading refuses, the schema does not: {shape}"


def _places(document: Any) -> dict[str, tuple[Any, ...]]:
    """The path of the first mapping of each definition in an agreement's JSON form."""
    places: dict[str, tuple[Any, ...]] = {"top": (), "agreement": ("agreement",)}
    for section, name in _SECTIONS.items():
        for i, item in enumerate(document.get(section) or ()):
            places.setdefault(name, (section, i))
            for j, _team in enumerate(item.get("teams") or ()) if section == "holders" else ():
                places.setdefault("team", (section, i, "teams", j))
            if section == "explanations":
                for part in ("names", "says"):
                    if part in item:
                        places.setdefault(part, (section, i, part))
    return places


def test_every_key_set_to_every_kind_of_value_is_judged_as_the_loader_judges_it() -> None:
    """Exhaustive for one change: each key of each mapping of the example, given each value."""
    example = as_json(dpup.examples.load("best-foot-forward"))
    example["accepted"] = [{"code": "SV001", "subject": "agency", "reason": "in hand", "by": "both"}]
    places = _places(example)
    assert set(places) == {"top", *SCHEMA["definitions"]} - {"id"}, "the example lacks a definition"
    judged = 0
    for path in places.values():
        for key in _keys_at(path):
            for value in REPLACEMENTS:
                document = json.loads(json.dumps(example))
                at(document, path)[key] = value
                errors, refused = schema_errors(document), loads(document)
                what = f"{path}[{key!r}] = {value!r}"
                if errors:
                    assert refused is not None, f"{what}: the schema refuses a file that loads: {errors}"
                elif refused is not None:
                    shape = [p for p in refused.problems if not _REFERENCES.search(p.message)]
                    assert shape == [], f"{what}: loading refuses, the schema does not: {shape}"
                judged += 1
    assert judged > 900


# -- a case that fails and a near miss that does not, for each rule -------------------------


@pytest.fixture
def document() -> Any:
    return as_json(dpup.examples.load("best-foot-forward"))


def _both_refuse(document: Any, fragment: str) -> None:
    errors = schema_errors(document)
    assert any(fragment in e for e in errors), errors
    assert loads(document) is not None


def _both_accept(document: Any) -> None:
    assert schema_errors(document) == []
    assert loads(document) is None


def test_an_unknown_key_is_refused_where_it_is(document: Any) -> None:
    document["flows"][2]["purpsoe"] = "evaluation"
    _both_refuse(document, "$.flows[2]: Additional properties are not allowed ('purpsoe' was unexpected)")


def test_a_missing_required_key(document: Any) -> None:
    del document["flows"][0]["to"]
    _both_refuse(document, "$.flows[0]: 'to' is a required property")
    del document["agreement"]["title"]
    _both_refuse(document, "$.agreement: 'title' is a required property")


def test_a_kind_of_holder_that_is_not_one(document: Any) -> None:
    document["holders"][0]["kind"] = "charity"
    _both_refuse(document, "$.holders[0].kind: 'charity' is not one of ['provider', 'agency']")


def test_a_bad_id_and_a_good_one(document: Any) -> None:
    document["purposes"][0]["compatible_with"] = ["my purpose"]
    _both_refuse(document, "$.purposes[0].compatible_with[0]: 'my purpose' does not match")
    document["purposes"][0]["compatible_with"] = ["ipp:3/a+b_c.d-e"]
    _both_accept(document)


def test_text_where_a_flag_belongs(document: Any) -> None:
    document["service_users"][0]["maori_data_interest"] = "yes"
    _both_refuse(document, "$.service_users[0].maori_data_interest: 'yes' is not of type 'boolean'")


def test_a_number_where_text_belongs(document: Any) -> None:
    document["flows"][0]["frequency"] = 4
    _both_refuse(document, "$.flows[0].frequency: 4 is not of type 'string', 'null'")


def test_an_id_listed_twice_where_that_is_an_error_and_where_it_is_not(document: Any) -> None:
    flow = document["flows"][0]
    flow["carries"] = [*flow["carries"], flow["carries"][0]]
    _both_refuse(document, "$.flows[0].carries: ")
    flow["carries"] = flow["carries"][:-1]
    document["explanations"][0]["versions"] = ["adult", "adult"]  # a version made twice: allowed
    _both_accept(document)


def test_an_empty_list_may_be_null_but_a_mapping_may_not(document: Any) -> None:
    document["access"] = None
    document["holders"][0]["teams"] = None
    document["flows"][0]["purpose"] = None
    document["information"][0]["identifiability"] = None
    document["purposes"][0]["needs_identity"] = None
    _both_accept(document)
    document["explanations"][0]["says"] = None
    _both_refuse(document, "$.explanations[0].says: None is not of type 'object'")


def test_the_format_version(document: Any) -> None:
    document["dpup"] = 2
    _both_refuse(document, "$.dpup: 1 was expected")
    document["dpup"] = True
    _both_refuse(document, "$.dpup: 1 was expected")
    del document["dpup"]
    _both_refuse(document, "$: 'dpup' is a required property")


def test_an_acceptance_code(document: Any) -> None:
    document["accepted"] = [{"code": "pm003", "subject": "x", "reason": "r", "by": "b"}]
    _both_refuse(document, "$.accepted[0].code: 'pm003' does not match")
    document["accepted"][0]["code"] = "PM003"
    assert schema_errors(document) == []  # a stale acceptance is a finding, not a load error


def test_a_date(document: Any) -> None:
    document["agreement"]["review_by"] = "30/06/2027"
    _both_refuse(document, "$.agreement.review_by: '30/06/2027' does not match")
    document["agreement"]["review_by"] = "2027-06-30"
    _both_accept(document)


def test_what_only_loading_finds_the_schema_leaves_to_it(document: Any) -> None:
    document["flows"][0]["to"] = "agency.reportng"  # a reference that does not resolve
    assert schema_errors(document) == []
    assert loads(document) is not None


# -- the patterns -------------------------------------------------------------------------


def test_the_id_pattern_is_the_models_rule_for_every_ascii_character() -> None:
    """Every ASCII character, first and later in an id: exhaustive, as the rule is one class
    of characters for the first and one for the rest."""
    for c in map(chr, range(128)):
        for text in (c, f"a{c}", f"{c}a", f"a{c}a"):
            assert (re.search(ID_PATTERN, text) is not None) == m._is_id(text), repr(text)


@given(text=st.text(max_size=6))
def test_the_id_pattern_lets_through_every_id_the_model_takes(text: str) -> None:
    if m._is_id(text):
        assert re.search(ID_PATTERN, text)  # whānau-ora: never refused in an editor


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (ID_PATTERN, ["agency.evaluation", "whānau-ora", "ipp:3"], ["my team", "-x", "x\n", ""]),
        (CODE_PATTERN, ["PM003", "SV900"], ["pm003", "XX001", "PM03", "PM003\n"]),
        (DATE_PATTERN, ["2027-06-30"], ["20270630", "2027-06-30\n", "2027-06-30T00:00"]),
    ],
)
def test_the_patterns_read_alike_in_python_and_in_an_editor(
    pattern: str, good: list[str], bad: list[str]
) -> None:
    """Editors read patterns as ECMAScript: checked with Node.js where it is installed."""
    read_alike(pattern, good, bad)


# -- the docs and the command line ----------------------------------------------------------


def _reference_tables() -> dict[str, dict[str, str]]:
    """The "what it holds" column of each table on the file format page, by anchor and key."""
    page = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    parts = re.split(r"^#+ .*\{ #([\w-]+) \}$", page, flags=re.M)
    tables: dict[str, dict[str, str]] = {}
    for anchor, body in zip(parts[1::2], parts[2::2], strict=True):
        rows = [line.strip("|").split("|") for line in body.splitlines() if line.startswith("| `")]
        tables[anchor] = {cells[0].strip().strip("`"): cells[3].strip() for cells in rows}
    return tables


_ANCHORS = {
    "top-level": "top",
    "agreement": "agreement",
    "serviceuser": "service_user",
    "holder": "holder",
    "team": "team",
    "purpose": "purpose",
    "information": "information",
    "dataflow": "flow",
    "explanation": "explanation",
    "names": "names",
    "checklist": "says",
    "accessarrangement": "access",
    "engagement": "engagement",
    "acceptance": "acceptance",
}


def _plain(text: str) -> str:
    """A docs cell as plain text: pointers down the page left out, links to their words."""
    text = re.sub(r", \[below\]\(#[\w-]+\)", "", text)
    return re.sub(r"\[([^]]+)\]\([^)]+\)", r"\1", text)


def test_every_description_is_the_file_format_pages_own_words() -> None:
    tables = _reference_tables()
    assert set(_ANCHORS) <= set(tables)
    for anchor, name in _ANCHORS.items():
        documented = {key: _plain(what) for key, what in tables[anchor].items()}
        assert documented == dict(DESCRIPTIONS[name]), anchor
        schema = SCHEMA if name == "top" else SCHEMA["definitions"][name]
        shown = {key: prop["description"] for key, prop in schema["properties"].items()}
        assert shown == documented, anchor


def test_the_published_schema_is_the_current_one() -> None:
    published = (ROOT / "docs" / "agreement.schema.json").read_text(encoding="utf-8")
    assert json.loads(published) == SCHEMA, "run: dpup schema > docs/agreement.schema.json"
    assert published == json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"


def test_dpup_schema_prints_it() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["schema"], out=out, err=err) == 0
    assert json.loads(out.getvalue()) == SCHEMA
    assert out.getvalue().endswith("}\n")
    assert "whānau" in out.getvalue()  # written as UTF-8 text, not escaped
    assert err.getvalue() == ""


def test_dpup_schema_takes_no_files() -> None:
    err = io.StringIO()
    assert main(["schema", "examples/best-foot-forward.yaml"], out=io.StringIO(), err=err) == 64
    assert (
        "no schema is named 'examples/best-foot-forward.yaml' (dpup schema takes no files)" in err.getvalue()
    )
    err = io.StringIO()
    assert main(["schema", "agreement", "examples/"], out=io.StringIO(), err=err) == 64
    assert "unrecognized arguments: examples/" in err.getvalue()


@pytest.mark.parametrize(
    ("format", "first_line"),
    [
        ("yaml", "# yaml-language-server: $schema=agreement.schema.json"),
        ("toml", "#:schema ./agreement.schema.json"),
    ],
)
def test_a_file_that_names_its_schema_as_the_docs_say_still_loads(format: str, first_line: str) -> None:
    page = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    assert f"`{first_line}`" in page
    agreement = dpup.examples.load("best-foot-forward")
    text = first_line + "\n" + dpup.dumps(agreement, format=format)  # type: ignore[arg-type]
    assert dpup.loads(text, format=format) == agreement  # type: ignore[arg-type]


def test_a_schema_saved_beside_the_agreements_is_not_taken_for_one(tmp_path: Path) -> None:
    """The docs say to save the schema beside the agreements: checking the directory still works."""
    agreement = dpup.examples.load("best-foot-forward")
    dpup.dump(agreement, tmp_path / "best-foot-forward.yaml")
    out = io.StringIO()
    assert main(["schema"], out=out, err=io.StringIO()) == 0
    (tmp_path / "agreement.schema.json").write_text(out.getvalue(), encoding="utf-8")
    (tmp_path / "Other.Schema.JSON").write_text("{}", encoding="utf-8")
    (tmp_path / "schema.json").write_text("{}", encoding="utf-8")  # not a schema's name: an agreement
    assert [Path(p).name for p in dpup.agreement_files(tmp_path)] == ["best-foot-forward.yaml", "schema.json"]
    (tmp_path / "schema.json").unlink()
    err = io.StringIO()
    assert main(["check", str(tmp_path)], out=io.StringIO(), err=err) == 0, err.getvalue()
    code = main(["validate", str(tmp_path / "agreement.schema.json")], out=io.StringIO(), err=err)
    assert code == 2  # given itself, a file is taken as it is


# -- how types become schemas, for types the model does not use (yet) ----------------------


@pytest.mark.parametrize(
    ("t", "shown"),
    [
        (int, "<class 'int'>"),
        (str | int, "str | int"),  # a union that is not optional
        ("str", "'str'"),  # a string annotation, as `from __future__ import annotations` leaves it
        (tuple[str], "tuple[str]"),  # one item, not any number of them
        (tuple[str, str], "tuple[str, str]"),
        (list[str], "list[str]"),
    ],
)
def test_a_field_type_the_schema_cannot_describe_is_a_type_error(t: Any, shown: str) -> None:
    """A new field type fails loudly, rather than giving a schema that says something else."""
    with pytest.raises(TypeError, match=re.escape(f"no JSON Schema for the type {shown}") + "$"):
        _of_type(t)


def test_the_types_the_schema_describes_near_those_it_cannot() -> None:
    assert _of_type(str | None) == {"type": ["string", "null"]}
    assert _of_type(tuple[str, ...]) == {"type": ["array", "null"], "items": {"type": "string"}}
    # a holder written with typing.Union is a holder too
    holders = {"type": ["array", "null"], "items": {"$ref": "#/definitions/holder"}}
    assert _of_type(tuple[m.Provider | m.Agency, ...]) == holders
    assert _of_type(tuple[typing.Union[m.Provider, m.Agency], ...]) == holders  # noqa: UP007


def test_an_object_that_may_be_null_is_either() -> None:
    """No field is an optional object today; one that becomes one is described as either."""
    schema = {**_nullable(_ref("names")), "definitions": SCHEMA["definitions"]}
    validator = jsonschema.Draft7Validator(schema)
    assert validator.is_valid(None)
    assert validator.is_valid({"holders": ["ccss"]})
    assert not validator.is_valid({"holderz": ["ccss"]})  # near miss: the object's own rules hold
    assert not validator.is_valid([])
