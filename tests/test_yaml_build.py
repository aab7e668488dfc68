"""The YAML loader builds plain nodes itself: it must give exactly what PyYAML's safe
constructor gives, for every document, and fail where and how that fails."""

import datetime
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import dpup
from dpup import synth
from dpup._private import nesting
from dpup.files import _parse_yaml, _YamlBase, _YamlLoader


def pyyaml(text: str) -> tuple[Any, bool]:
    """What loading gives with PyYAML's own construction, errors reported the same way."""
    with mock.patch.object(_YamlLoader, "get_single_data", _YamlBase.get_single_data):
        return _parse_yaml(text)


def outcome(parse: Any, text: str) -> tuple[str, Any]:
    try:
        return "ok", parse(text)
    except Exception as exc:  # the error's kind and what it says must match too
        return type(exc).__name__, getattr(exc, "problem", str(exc))


scalars = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["yes", "no", "~", "null", "0x1f", "1e3", "2027-13-01", "<<", "=", ".inf", ""]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.dates()), inner, max_size=4),
    ),
    max_leaves=25,
)


@given(data=documents, flow=st.sampled_from([None, True, False]), unicode=st.booleans())
def test_any_dumped_document_loads_as_pyyaml_loads_it(data: Any, flow: bool | None, unicode: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False)
    assert _parse_yaml(text) == pyyaml(text)


CASES = {
    "empty": "",
    "comment only": "# nothing\n",
    "scalar": "just text\n",
    "numbers and dates": "a: 1\nb: 2.5\nc: 2027-01-31\nd: 2027-13-01\ne: true\nf: ~\ng: 0o17\n",
    "repeated key": "a: 1\nb: 2\na: 3\n",
    "repeated key deep": "top:\n  - {x: 1, x: 2}\n",
    "merge": "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n",
    "merge list": "a: &a {x: 1}\nb: &b {y: 2}\nc: {<<: [*a, *b], z: 3}\n",
    "merge overriding in place": "a: &a {x: 1}\nb: {x: 0, <<: *a}\n",
    "value key": "a: {=: 1}\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "alias of mapping": "a: &x {k: v}\nb: [*x, *x]\n",
    "non-text key": "1: one\n~: none\n2027-01-01: date\ntrue: yes\n",
    "complex key": "? [a, b]\n: c\n",
    "mapping key": "? {a: b}\n: c\n",
    "explicit str": "a: !!str 123\nb: !!int '7'\n",
    "str on a list": "a: !!str [1]\n",
    "map on a scalar": "a: !!map x\n",
    "seq on a mapping": "a: !!seq {x: 1}\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "set": "a: !!set {x, y}\n",
    "omap": "a: !!omap [x: 1, y: 2]\n",
    "pairs": "a: !!pairs [x: 1, x: 2]\n",
    "local tag": "a: !thing x\n",
    "python tag": "a: !!python/object/apply:os.system ['echo hi']\n",
    "python name": "a: !!python/name:os.system\n",
    "block text": "a: |\n  two\n  lines\nb: >\n  folded\n  text\n",
    "quoted numbers": "a: '1'\nb: \"2027-01-01\"\n",
    "nested": "a:\n  - b: [c, {d: e}]\n    f: [[], {}]\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_every_kind_of_node_loads_as_pyyaml_loads_it(text: str) -> None:
    assert outcome(_parse_yaml, text) == outcome(pyyaml, text)


def test_a_document_that_holds_itself_loads_as_pyyaml_loads_it() -> None:
    (items, _), (ref, _) = _parse_yaml("&a [1, *a]\n"), pyyaml("&a [1, *a]\n")
    assert items[0] == ref[0] == 1
    assert items[1] is items
    assert ref[1] is ref
    (mapping, _), (ref, _) = _parse_yaml("&m {self: *m, x: 1}\n"), pyyaml("&m {self: *m, x: 1}\n")
    assert mapping["x"] == ref["x"] == 1
    assert mapping["self"] is mapping
    assert ref["self"] is ref


def test_an_alias_stays_one_object() -> None:
    data, _ = _parse_yaml("a: &x [1, 2]\nb: *x\nc: &y {k: v}\nd: [*y]\n")
    assert data["a"] is data["b"]
    assert data["c"] is data["d"][0]


def test_unsafe_tags_are_refused_not_run() -> None:
    with pytest.raises(dpup.AgreementError, match="not valid YAML"):
        dpup.loads("dpup: 1\nagreement: !!python/object/apply:os.system ['echo pwned']\n")


def test_deep_nesting_loads_as_pyyaml_loads_it() -> None:
    depth = nesting.MAX_DEPTH  # as deep as a file may nest: deeper than building by recursion allows
    text = "[" * depth + "]" * depth
    with mock.patch.object(
        _YamlLoader, "construct_document", autospec=True, side_effect=_YamlBase.construct_document
    ) as spy:
        got = outcome(_parse_yaml, text)
    assert spy.called  # built PyYAML's way, afresh
    assert got[0] == outcome(pyyaml, text)[0] == "ok"  # (comparing the data would recurse)
    data = got[1][0]
    for _ in range(depth - 1):
        data = data[0]
    assert data == []


def test_nesting_deeper_than_a_file_may_is_refused_as_pyyaml_would_crash_on_it() -> None:
    depth = nesting.MAX_DEPTH + 1
    with pytest.raises(Exception, match="nested more than 1000 deep"):
        _parse_yaml("[" * depth + "]" * depth)


@pytest.mark.parametrize("name", dpup.examples.names())
def test_examples_load_as_pyyaml_loads_them(name: str) -> None:
    text = dpup.examples.path(name).read_text(encoding="utf-8")
    assert _parse_yaml(text) == pyyaml(text)


def test_a_sector_loads_as_pyyaml_loads_it() -> None:
    for a in synth.sector(flows=300, seed=3, faults=0.2):
        text = dpup.dumps(a, format="yaml")
        assert _parse_yaml(text) == pyyaml(text)


def test_dates_stay_dates_and_impossible_dates_stay_text() -> None:
    data, _ = _parse_yaml("ok: 2027-01-31\nbad: 2027-02-30\n")
    assert data == {"ok": datetime.date(2027, 1, 31), "bad": "2027-02-30"}
