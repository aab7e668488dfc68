"""Deeply nested files are refused before anything recurses that deep.

libyaml's composer recurses in C and overflows the stack (a segfault, the process gone) at
some tens of thousands of levels, so a YAML text is measured first
(:mod:`dpup._private.nesting`); tomllib and json recurse in Python and raise RecursionError,
which is reported like a syntax error. Files that would crash are loaded in a fresh process
here, so that a regression fails one test rather than killing the run.
"""

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

import dpup
from dpup._private import nesting
from dpup.cli import EXIT_INVALID

_C_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def deepest(text: str) -> int:
    """How deep libyaml's events nest before the end of the text or its first error: what its
    composer would recurse to."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=_C_LOADER):
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return deepest


_PREFIX = re.compile("(?:^|(?<=[\r\n\x85\u2028\u2029]))[ \t?:\\-\ufeff]*")


def bound(text: str) -> int:
    """The bound the module's docstring argues for, with the longest line prefix measured
    exactly (the module only checks that it is short)."""
    prefix = max(len(m.group()) for m in _PREFIX.finditer(text))
    opens = text.count("[") + text.count("{") - len(nesting._CLOSED_PAIR.findall(text))
    return 2 * opens + 2 + 2 * (prefix + 1)


FRAGMENTS = [
    "[", "]", "{", "}", ",", "- ", "-", "? ", ": ", ":", "a", "b: ", " ", "  ", "\n", "\t",
    '"', "'", "#", " #", "!", "!t ", "&a ", "*a", "|", ">", "\r", "\u2028", "\\", "[a]", "{a: b}",
]  # fmt: skip


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join))
@example("- - - - - - a")
@example("a:\n- b:\n  - c:\n    - d")
@example('[ "]", ' * 10 + "x" + "]" * 10)  # a quoted ] closes nothing
@example("[ #]\n" * 10 + "x" + "]" * 10)  # nor does one in a comment
@example("? x\n: a: [b: [c: d]]")
@example("x: 1\r- - - a")  # \r ends a line for libyaml
def test_the_cheap_bound_is_never_below_what_libyaml_nests(text: str) -> None:
    assert deepest(text) <= bound(text)
    cheap = nesting.depth_bound(text)
    assert cheap is None or deepest(text) <= cheap


_TRICKY = st.text(alphabet="[]{}\"'#:-! ab\n", max_size=6)
_DOCUMENTS = st.recursive(
    st.one_of(_TRICKY, st.integers(), st.none()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=40,
)


@given(
    data=_DOCUMENTS,
    flow=st.sampled_from([None, True, False]),
    width=st.integers(2, 80),
    indent=st.integers(2, 8),
)
def test_the_bound_holds_for_documents_as_yaml_writes_them(
    data: object, flow: bool | None, width: int, indent: int
) -> None:
    # Text full of brackets, quotes and comment signs, in every style PyYAML writes.
    text = yaml.safe_dump(data, default_flow_style=flow, width=width, indent=indent)
    assert deepest(text) <= bound(text)


def deep_flow(levels: int) -> str:
    return "dpup: 1\nagreement: {id: d, title: " + "[" * levels + "]" * levels + "}\n"


def deep_block(levels: int) -> str:
    return "dpup: 1\nagreement:\n  id: d\n  title:\n" + "".join(
        f"{'  ' * (i + 2)}- \n" for i in range(levels)
    )


@pytest.mark.parametrize(("make", "line"), [(deep_flow, 2), (deep_block, 1003)])
def test_nesting_just_past_the_limit_is_refused_with_its_line(make: Callable[[int], str], line: int) -> None:
    text = make(nesting.MAX_DEPTH)  # with the root mapping: one too many
    with pytest.raises(dpup.AgreementError) as info:
        dpup.loads(text)
    (p,) = info.value.problems
    assert p.message == "lists and mappings nested more than 1000 deep"
    assert (dpup.errors.format_path(p.path), p.line) == ("$", line)  # where the 1001st level starts


@pytest.mark.parametrize("make", [deep_flow, deep_block])
def test_nesting_at_the_limit_is_read_and_reported_as_what_it_is(make: Callable[[int], str]) -> None:
    text = make(nesting.MAX_DEPTH - 2)
    with pytest.raises(dpup.AgreementError) as info:
        dpup.loads(text)
    (p,) = info.value.problems
    assert (dpup.errors.format_path(p.path), p.message) == ("$.agreement.title", "must be text")


def test_a_large_well_formed_file_is_not_measured_event_by_event() -> None:
    # Hundreds of flow lists ([a, b]) on their lines: the cheap bound suffices.
    agreement = dpup.Agreement(
        id="big",
        title="Big",
        holders=[dpup.Provider(id=f"h{i}", name="H") for i in range(10)],
        information=[dpup.Information(id="record")],
        flows=[
            dpup.DataFlow(id=f"f{i}", from_=f"h{i % 10}", to=f"h{(i + 1) % 10}", carries=["record"])
            for i in range(700)
        ],
    )
    text = dpup.dumps(agreement)
    assert text.count("[") > 600
    assert nesting.depth_bound(text) is not None


def run_dpup(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "dpup", "validate", str(path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "text",
    [
        deep_flow(25_000),
        '[ "]", ' * 25_000,  # brackets in strings must not hide the real ones
        "dpup: 1\nagreement:\n" + "".join(f"{' ' * i}- \n" for i in range(2, 12_000)),
        "dpup: 1\nagreement:\n  title:\n    " + "- " * 20_000 + "a\n",
    ],
    ids=["flow", "flow with quoted brackets", "block", "block on one line"],
)
def test_yaml_nested_tens_of_thousands_deep_is_refused_not_a_crash(tmp_path: Path, text: str) -> None:
    result = run_dpup(tmp_path, "deep.yaml", text)
    assert result.returncode == EXIT_INVALID, result.stderr[-2000:]
    assert "nested more than 1000 deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_toml_nested_hundreds_deep_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    result = run_dpup(
        tmp_path, "deep.toml", 'dpup = 1\n[agreement]\nid = "d"\ntitle = ' + "[" * 800 + "]" * 800
    )
    assert result.returncode == EXIT_INVALID
    assert "Traceback" not in result.stderr
    assert result.stderr.endswith(
        "deep.toml: $: not valid TOML: arrays and tables nested too deeply to read "
        "(expected arrays and inline tables nested a few levels deep, found hundreds of levels)\n"
    )


def test_json_nested_too_deeply_says_where() -> None:
    # deeper than any Python's json module reads (3.13 reads 5,000 levels; 3.11 does not)
    text = '{"dpup": 1,\n"agreement": {"id": "d", "title":\n' + "[" * 100_000 + "]" * 100_000 + "}}"
    with pytest.raises(dpup.AgreementError) as info:
        dpup.loads(text, format="json")
    (p,) = info.value.problems
    assert (p.message, p.line) == ("not valid JSON: arrays and objects nested too deeply to read", 3)
