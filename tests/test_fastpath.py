"""The fast path for loading well-formed files builds exactly what the converter builds, and
gives up (for the converter to explain) on anything the converter would not accept."""

import datetime
import json
import tomllib
from typing import Any

import pytest
import yaml
from cattrs.errors import BaseValidationError
from hypothesis import event, given
from hypothesis import strategies as st

import dpup
from dpup import Agreement, synth
from dpup._private import fastpath
from dpup._private.converter import Invalid, make_converter, problems_from
from tests.examples import at, places
from tests.strategies import agreements

DETAILED = make_converter(fast=False)

ODD_VALUES = (
    None,
    True,
    False,
    0,
    1,
    1.0,
    "",
    "x",
    "not an id!",
    "identifying",
    "high",
    "provider",
    "agency",
    "2027-06-30",
    datetime.date(2027, 6, 30),
    datetime.datetime(2027, 6, 30, 9, 0),
    [],
    ["x"],
    [1],
    [["id", "x"]],
    {},
    {"id": "x"},
    {"id": "x", "name": "X"},
)


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """An agreement's file data with one thing changed: a value replaced by an odd one, a key
    added or a key removed."""
    data = DETAILED.unstructure(draw(agreements(max_flows=4)))
    path = draw(st.sampled_from(places(data)))
    how = draw(st.sampled_from(["replace", "add key", "remove key"]))
    if how == "replace" and path:
        at(data, path[:-1])[path[-1]] = draw(st.sampled_from(ODD_VALUES))
    else:
        target = at(data, path)
        if isinstance(target, dict) and how == "add key":
            target[draw(st.sampled_from(["kind", "id", "extra", "from", "flows", "teams"]))] = draw(
                st.sampled_from(ODD_VALUES)
            )
        elif isinstance(target, dict) and target:
            del target[draw(st.sampled_from(sorted(target, key=str)))]
    return data


def _read(structure: Any, data: Any) -> Agreement | None:
    try:
        result: Agreement = structure(data)
    except Exception:
        return None
    return result


@given(agreement=agreements())
def test_the_fast_path_reads_every_valid_agreement_as_the_converter_does(agreement: Agreement) -> None:
    data = DETAILED.unstructure(agreement)
    fast = fastpath.structure_agreement(data)  # no fallback: it must read it itself
    assert fast == agreement
    assert repr(fast) == repr(DETAILED.structure(data, Agreement))


@given(data=mutated())
def test_the_fast_path_builds_what_the_converter_builds_or_gives_up(data: Any) -> None:
    fast = _read(fastpath.structure_agreement, data)
    detailed = _read(lambda d: DETAILED.structure(d, Agreement), data)
    event("loads" if detailed is not None else "does not load")
    # Never more lenient: what it builds, the converter builds too, the same to the last type
    # (repr tells True from 1 where == does not).
    if fast is not None:
        assert detailed is not None
        assert repr(fast) == repr(detailed)
    # And not needlessly strict: what the converter accepts, it reads itself.
    if detailed is not None:
        assert fast is not None


FAST = make_converter()


def _problems(converter: Any, data: Any) -> list[Any] | None:
    try:
        converter.structure(data, Agreement)
    except (BaseValidationError, Invalid) as e:
        return problems_from(e)
    return None


_REFERENCES = (
    ("agreement", "parties"),
    ("information", "about"),
    ("flows", "from"),
    ("flows", "to"),
    ("flows", "carries"),
    ("explanations", "for"),
    ("explanations", "covers"),
    ("access", "contact"),
    ("access", "covers"),
    ("engagement", "with"),
)


@st.composite
def dangling(draw: st.DrawFn) -> Any:
    """An agreement's file data with some references changed to ids it does not declare."""
    data = DETAILED.unstructure(draw(agreements(max_flows=6)))
    places = []
    for section, key in _REFERENCES:
        items = [data[section]] if section == "agreement" else data.get(section, [])
        for item in items:
            if key in item:
                places.append((item, key))
    if not places:
        data["agreement"]["parties"] = ["Ω"]
        return data
    for item, key in draw(st.lists(st.sampled_from(places), min_size=1, max_size=3)):
        missing = draw(st.sampled_from(["Ω-nowhere", "Ω-nowher", "Ω"]))  # not in ids()
        item[key] = [missing] if isinstance(item[key], list) else missing
    return data


@given(data=dangling())
def test_references_the_fast_path_finds_missing_are_the_problems_the_converter_finds(data: Any) -> None:
    # When every field reads and only the references fail, the converter takes the fast
    # path's error rather than reading everything again: it must be the same problems.
    with pytest.raises(dpup.AgreementError):
        fastpath.structure_agreement(data)
    fast = _problems(FAST, data)
    assert fast
    assert fast == _problems(DETAILED, data)


@pytest.mark.parametrize("name", dpup.examples.names())
def test_the_examples_load_by_the_fast_path(name: str) -> None:
    data = DETAILED.unstructure(dpup.examples.load(name))
    assert fastpath.structure_agreement(data) == dpup.examples.load(name)


@pytest.mark.parametrize("format", dpup.files.FORMATS)
def test_every_format_loads_by_the_fast_path(format: dpup.files.Format) -> None:
    # JSON gives the review date as text, YAML and TOML as a date: both are read.
    agreement = dpup.examples.load("best-foot-forward")
    text = dpup.dumps(agreement, format)
    data = {"json": json.loads, "yaml": yaml.safe_load, "toml": tomllib.loads}[format](text)
    assert fastpath.structure_agreement(data) == agreement


def test_a_synthetic_sector_loads_by_the_fast_path() -> None:
    for agreement in synth.sector(flows=300, seed=5, faults=0.3):
        assert fastpath.structure_agreement(DETAILED.unstructure(agreement)) == agreement


def _two_agreements_sharing_a_purpose(needs_identity: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    first = DETAILED.unstructure(dpup.examples.load("best-foot-forward"))
    second = DETAILED.unstructure(dpup.examples.load("best-foot-forward"))
    second["agreement"]["id"] = "another"
    second["purposes"][0]["needs_identity"] = needs_identity
    return first, second


def test_within_a_sharing_block_equal_purposes_and_organisations_are_one_object() -> None:
    first, second = _two_agreements_sharing_a_purpose(first_value := True)
    first["purposes"][0]["needs_identity"] = first_value
    with fastpath.sharing():
        a = fastpath.structure_agreement(first)
        b = fastpath.structure_agreement(second)
    assert a.purposes[0] is b.purposes[0]
    assert all(x is y for x, y in zip(a.holders, b.holders, strict=True))
    # Outside the block nothing is shared.
    c = fastpath.structure_agreement(first)
    assert c == a
    assert c.purposes[0] is not a.purposes[0]


def test_sharing_tells_true_from_1() -> None:
    # 1 == True in Python, so equal mappings are not enough: 1 is not true-or-false.
    first, second = _two_agreements_sharing_a_purpose(1)
    first["purposes"][0]["needs_identity"] = True
    with fastpath.sharing():
        fastpath.structure_agreement(first)
        with pytest.raises(fastpath.NotFast):
            fastpath.structure_agreement(second)


def test_sharing_never_shares_what_differs() -> None:
    first, second = _two_agreements_sharing_a_purpose(None)
    first["purposes"][0]["needs_identity"] = None
    second["holders"][0]["name"] = "Another name"
    with fastpath.sharing():
        a = fastpath.structure_agreement(first)
        b = fastpath.structure_agreement(second)
    assert a.purposes[0] is b.purposes[0]
    assert a.holders[0] is not b.holders[0]
    assert b.holders[0].name == "Another name"


def test_load_all_shares_and_still_reports_a_bad_file(tmp_path: Any) -> None:
    good = dpup.examples.load("best-foot-forward")
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    dpup.dump(good, paths[0])
    text = dpup.dumps(good, "json").replace('"needs_identity": true', '"needs_identity": 1', 1)
    assert text != dpup.dumps(good, "json")
    paths[1].write_text(text, encoding="utf-8")
    with pytest.raises(dpup.AgreementError) as e:
        dpup.load_all(paths)
    assert [(p.file, dpup.errors.format_path(p.path)) for p in e.value.problems] == [
        (str(paths[1]), "$.purposes[0].needs_identity")
    ]
