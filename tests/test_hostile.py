"""Files that are valid YAML, JSON or TOML but odd, huge or hostile: each is a problem named
at its field, never a crash or a traceback, and reporting stays quick however many problems
a file stands for. (Deep nesting has its own module, ``test_nesting.py``.)"""

import difflib
import json
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import dpup
from dpup import AgreementError, Problem, model
from dpup._private import fastpath
from dpup._private.converter import HugeNumber
from dpup.errors import MAX_PROBLEMS, format_path
from dpup.files import _parse_yaml
from tests.strategies import agreements
from tests.test_errors import BASE, edit, one, problems, where


def as_json(text: str = BASE) -> str:
    """BASE as indented JSON."""
    return json.dumps(yaml.safe_load(text), indent=2, ensure_ascii=False)


def line_of(text: str, needle: str) -> int:
    (n,) = [i for i, line in enumerate(text.split("\n"), 1) if needle in line]  # JSON's lines
    return n


# -- integers with more digits than Python reads -----------------------------------------------


DIGITS = "1" * 4301  # one more than sys.get_int_max_str_digits() allows by default


def test_a_yaml_integer_too_long_to_read_is_a_problem_at_its_field() -> None:
    p = one(edit("  title: Demo\n", f"  title: {DIGITS}\n"))
    assert where(p) == ("$.agreement.title", 4)
    assert (p.message, p.found) == ("must be text", "a number of 4301 digits")
    assert p.hint == "put it in quotes to make it text"


def test_a_yaml_integer_in_base_16_too_long_to_show_is_a_problem_too() -> None:
    p = one(edit("  title: Demo\n", f"  title: 0x{'f' * 4000}\n"))
    assert (where(p), p.found) == (("$.agreement.title", 4), "a number of 4000 digits")


def test_an_integer_python_can_read_stays_an_integer() -> None:
    data, _ = _parse_yaml(f"a: {'1' * 4300}\nb: {DIGITS}\n")
    assert data["a"] == int("1" * 4300)
    assert data["b"] == HugeNumber(DIGITS)


def test_a_json_integer_too_long_to_read_is_a_problem_at_its_field() -> None:
    text = as_json().replace('"title": "Demo"', f'"title": {DIGITS}')
    p = one(text, "json")
    assert where(p) == ("$.agreement.title", line_of(text, '"title"'))
    assert p.found == "a number of 4301 digits"


def test_a_format_version_too_long_to_read() -> None:
    p = one(edit("dpup: 1\n", f"dpup: {DIGITS}\n"))
    assert where(p) == ("$.dpup", 1)
    assert p.message == "format version a number of 4301 digits is not one this dpup reads"


def test_a_toml_integer_too_long_to_read_is_a_problem_at_its_line() -> None:
    text = f'dpup = 1\n[agreement]\nid = "d"\ntitle = {DIGITS}\n'
    p = one(text, "toml")
    assert (p.message, p.found, p.line) == (
        "a number with too many digits to read",
        "a number of 4301 digits",
        4,
    )


def test_a_long_number_python_can_read_is_shown_by_its_length() -> None:
    p = one(edit("  title: Demo\n", f"  title: {'9' * 100}\n"))
    assert p.found == "a number of 100 digits"


# -- text that is not Unicode ----------------------------------------------------------------


def test_a_lone_surrogate_in_json_is_a_problem_at_its_field() -> None:
    text = as_json().replace('"name": "CCSS"', '"name": "CCSS \\ud83d"')
    p = one(text, "json")
    assert where(p) == ("$.holders[0].name", line_of(text, "CCSS"))
    assert p.message == (
        "the text holds half of a character (\\ud83d, a lone surrogate), which is not Unicode text"
    )
    assert p.found == "'CCSS \\ud83d'"
    str(p).encode("utf-8")  # printable


def test_a_surrogate_pair_in_json_is_one_character() -> None:
    text = as_json().replace('"name": "CCSS"', '"name": "CCSS \\ud83d\\ude00"')
    assert dpup.loads(text, "json").holders[0].name == "CCSS 😀"


def test_an_escaped_backslash_before_u_is_text() -> None:
    text = as_json().replace('"name": "CCSS"', '"name": "CCSS \\\\ud83d"')
    assert dpup.loads(text, "json").holders[0].name == "CCSS \\ud83d"


def test_a_lone_surrogate_in_a_json_key_is_printable_in_the_path() -> None:
    text = as_json().replace('"name": "CCSS"', '"name": "CCSS", "x\\udc00": 1')
    found = problems(text, "json")
    assert {format_path(p.path) for p in found} == {"$.holders[0]['x\\udc00']"}
    for p in found:
        str(p).encode("utf-8")


@pytest.mark.parametrize(
    ("format", "path"),
    [("yaml", "$"), ("json", "$.holders[0].name"), ("toml", "$.holders[0].name")],
)
def test_text_given_to_loads_with_a_lone_surrogate_is_refused(format: dpup.files.Format, path: str) -> None:
    # libyaml cannot read such text at all: YAML says the line, JSON and TOML the field.
    text = dpup.dumps(dpup.loads(BASE), format).replace("CCSS", "CCSS\ud83d")
    p = one(text, format)
    assert "(\\ud83d, a lone surrogate)" in p.message
    assert (format_path(p.path), p.line) == (path, None if format == "toml" else line_of(text, "CCSS"))


# -- ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("  id: demo\n", '  id: "demo\\n"\n', "$.agreement.id"),
        ("  - id: ccss\n", "  - id: >\n      ccss\n", "$.holders[0].id"),  # a folded scalar ends in \n
    ],
    ids=["quoted", "folded"],
)
def test_an_id_ending_in_a_line_break_is_not_an_id(old: str, new: str, path: str) -> None:
    bad = [p for p in problems(edit(old, new)) if p.message == "must be an id"]
    assert [format_path(p.path) for p in bad] == [path]
    assert bad[0].found is not None
    assert bad[0].found.endswith("\\n'")


def test_the_fast_path_refuses_an_id_ending_in_a_line_break() -> None:
    data = yaml.safe_load(BASE)
    data["flows"][0]["id"] = "intake\n"
    with pytest.raises(Exception):  # noqa: B017, PT011  # anything: the converter then says what
        fastpath.structure_agreement(data)
    data["flows"][0]["id"] = "intake"
    assert fastpath.structure_agreement(data).flows[0].id == "intake"


def test_the_model_refuses_an_id_ending_in_a_line_break() -> None:
    with pytest.raises(ValueError, match="must be an id"):
        dpup.ServiceUser(id="parents\n", name="Parents")
    assert dpup.ServiceUser(id="parents", name="Parents").id == "parents"


# -- how many problems, and how quickly ---------------------------------------------------------


def test_a_file_lists_its_first_hundred_problems_and_counts_the_rest() -> None:
    keys = "".join(f"    extra{i:03}: x\n" for i in range(150))
    text = edit("    purpose: delivery\n", "    purpose: delivery\n" + keys)
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    error = info.value
    assert (len(error.problems), error.omitted) == (MAX_PROBLEMS, 50)
    assert [p.line for p in error.problems] == list(range(29, 129))  # the first hundred, in order
    assert str(error).startswith("150 problems in the agreement (the first 100 listed):\n")
    assert str(error).endswith("\n  - and 50 more, not listed")


def test_load_all_lists_each_files_first_hundred_and_counts_the_rest(tmp_path: Path) -> None:
    keys = "".join(f"    extra{i:03}: x\n" for i in range(150))
    text = edit("    purpose: delivery\n", "    purpose: delivery\n" + keys)
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(AgreementError) as info:
        dpup.load_all(tmp_path)
    assert (len(info.value.problems), info.value.omitted) == (200, 100)
    assert str(info.value).startswith("300 problems in 2 files (the first 200 listed):\n")


def test_a_file_with_a_hundred_problems_lists_them_all() -> None:
    keys = "".join(f"    extra{i:03}: x\n" for i in range(MAX_PROBLEMS))
    with pytest.raises(AgreementError) as info:
        dpup.loads(edit("    purpose: delivery\n", "    purpose: delivery\n" + keys))
    assert (len(info.value.problems), info.value.omitted) == (MAX_PROBLEMS, 0)
    assert "not listed" not in str(info.value)


def test_problems_multiplied_by_aliases_are_counted_not_made() -> None:
    # One mapping with 300 unknown keys, used 300 times: 90,000 problems.
    keys = ", ".join(f"k{i}: x" for i in range(300))
    text = edit("flows:\n", f"purposes:\n  - &p {{id: p, {keys}}}\n" + "  - *p\n" * 299 + "flows:\n")
    start = time.perf_counter()
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    assert time.perf_counter() - start < 30  # minutes, and gigabytes, before
    problems = info.value.problems
    assert len(problems) == MAX_PROBLEMS
    assert len(problems) + info.value.omitted == 300 * 300 + 299  # and the id used 300 times
    assert {p.line for p in problems} == {24}  # where the mapping is written


def test_did_you_mean_is_looked_for_once_per_value_and_for_the_first_hundred(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    original = difflib.get_close_matches

    def counted(word: str, possibilities: Any, *args: Any, **kwargs: Any) -> list[str]:
        calls.append(word)
        return original(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(model.difflib, "get_close_matches", counted)
    holders = "".join(f"  - {{id: holder-{i}, kind: provider, name: H}}\n" for i in range(300))
    flows = "".join(f"  - {{id: f{i}, from: holder-{i}, to: holdr-{i}}}\n" for i in range(300))
    flows += "".join(f"  - {{id: g{i}, from: holder-0, to: holdr-0}}\n" for i in range(50))
    text = f"dpup: 1\nagreement: {{id: d, title: D}}\nholders:\n{holders}flows:\n{flows}"
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    assert len(calls) == model.HINTS == len(set(calls))
    assert [p.hint for p in info.value.problems[:3]] == [
        "did you mean 'holder-0'?",
        "did you mean 'holder-1'?",
        "did you mean 'holder-2'?",
    ]


def test_a_reference_found_missing_is_looked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    build = model._build_index

    def counted(a: Any) -> Any:
        calls.append(a)
        return build(a)

    monkeypatch.setattr(model, "_build_index", counted)
    p = one(edit("    to: ccss\n", "    to: ccs\n"))
    assert (where(p), p.hint) == (("$.flows[0].to", 26), "did you mean 'ccss'?")
    assert len(calls) == 1


def test_many_unknown_keys_in_one_mapping_each_have_their_line() -> None:
    keys = "".join(f"    extra{i:05}: x\n" for i in range(20_000))
    text = edit("    purpose: delivery\n", "    purpose: delivery\n" + keys)
    start = time.perf_counter()
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    assert time.perf_counter() - start < 30  # 25 s for the lines alone, before
    assert [p.line for p in info.value.problems] == list(range(29, 129))
    assert info.value.omitted == 19_900


def test_a_very_long_value_is_shortened_in_messages() -> None:
    long = "q" * 100_000
    p = one(edit("    to: ccss\n", f"    to: {long}\n"))
    assert len(str(p)) < 400
    assert p.found == f"'{'q' * 60}…' (100,000 characters)"


# -- JSON's own lines ------------------------------------------------------------------------------

TITLES = {
    "an escaped surrogate pair": "Kia ora \\ud83d\\ude00",
    "raw line and paragraph separators": "a\u2028b\u2029c\x85d",
    "DEL and C1 controls": "a\x7fb\x80c\x9fd",
    "a tab escaped": "a\\tb",
}


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_json_problems_have_their_lines_whatever_the_strings_hold(title: str) -> None:
    text = as_json(edit("    to: ccss\n", "    to: nowhere\n")).replace('"Demo"', f'"{title}"')
    assert json.loads(text)  # valid JSON
    (p,) = problems(text, "json")
    assert where(p) == ("$.flows[0].to", line_of(text, '"to": "nowhere"'))


def test_a_json_key_given_twice_after_an_escaped_emoji_is_named_with_its_line() -> None:
    text = '{\n  "dpup": 1,\n  "agreement": {"id": "d", "title": "Kia ora \\ud83d\\ude00"},\n'
    text += '  "holders": [\n    {"id": "h", "kind": "provider", "name": "H", "name": "H2"}\n  ]\n}\n'
    p = one(text, "json")
    assert where(p) == ("$.holders[0].name", 5)
    assert p.message == "key 'name' appears twice in the same mapping (first on line 5)"


def test_json_lines_with_carriage_returns_alone() -> None:
    text = as_json(edit("    to: ccss\n", "    to: nowhere\n"))
    (p,) = problems(text.replace("\n", "\r"), "json")
    assert p.line == line_of(text, '"to": "nowhere"')


# -- agreements built in Python save and load ---------------------------------------------------------


class Text(str):
    """A subclass of str, as some libraries hand out."""


def with_text_subclass(value: Any) -> Any:
    """The same model object with every piece of text (ids too) a :class:`Text`."""
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, tuple):
        return tuple(map(with_text_subclass, value))
    if attrs.has(type(value)):
        fields = {
            a.name: with_text_subclass(getattr(value, a.name)) for a in attrs.fields(type(value)) if a.init
        }
        return type(value)(**fields)
    return value


@given(agreement=agreements(max_flows=4), format=st.sampled_from(dpup.files.FORMATS))
def test_any_agreement_holding_str_subclasses_saves_and_loads_equal(
    agreement: dpup.Agreement, format: dpup.files.Format
) -> None:
    subclassed = with_text_subclass(agreement)
    assert type(subclassed.title) is Text
    assert dpup.loads(dpup.dumps(subclassed, format), format) == agreement


@pytest.mark.parametrize("format", dpup.files.FORMATS)
def test_text_of_a_str_subclass_saves_and_loads_as_text(format: dpup.files.Format) -> None:
    a = dpup.Agreement(
        id=Text("d"),
        title=Text("Kia ora"),
        parties=[Text("h")],
        holders=[dpup.Provider(id=Text("h"), name=Text("H\nline two"))],
    )
    back = dpup.loads(dpup.dumps(a, format), format)
    assert back == a
    assert type(back.title) is str


# -- what people see ----------------------------------------------------------------------------


def test_a_utf16_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE, encoding="utf-16")
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    (p,) = info.value.problems
    assert (p.message, p.line) == ("the file is UTF-16 text; save it as UTF-8", 1)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_a_utf16_file_without_a_byte_order_mark_says_so_too(
    encoding: str, suffix: str, tmp_path: Path
) -> None:
    # Its ASCII is UTF-8 with a NUL byte beside each character: it was "control characters
    # are not allowed (character #x0000)" in YAML, "Expecting value" in JSON.
    path = tmp_path / f"a{suffix}"
    path.write_text(
        as_json() if suffix == ".json" else 'dpup = 1\n[agreement]\nid = "x"\n', encoding=encoding
    )
    if suffix == ".yaml":
        path.write_text(BASE, encoding=encoding)
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    (p,) = info.value.problems
    assert (p.message, p.line) == ("the file is UTF-16 text; save it as UTF-8", 1)
    assert p.found == "UTF-16 (a zero byte beside each character of ASCII)"


def test_a_tab_where_indentation_belongs_says_tab() -> None:
    p = one(edit("  id: demo\n", "\tid: demo\n"))
    assert p.line == 3
    assert p.message.endswith("found character that cannot start any token (a tab)")
    assert p.hint == "YAML indents with spaces, never tabs"
    p = one(edit("  title: Demo\n", "\ttitle: Demo\n"))  # libyaml names the tab itself here
    assert p.message.endswith("found a tab character that violates indentation")
    assert p.hint == "YAML indents with spaces, never tabs"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  title: Demo\n", "  title: Schedule 2: Demo\n"),  # text with ': ' in it
        ("    name: Parents\n", "    name: Parents\n      description: x\n"),  # indented too far
    ],
)
def test_mapping_values_not_allowed_says_to_quote_or_check_the_indentation(old: str, new: str) -> None:
    p = one(edit(old, new))
    assert "mapping values are not allowed" in p.message
    assert p.hint == "if this is text containing ': ', put it in quotes; otherwise check the indentation"


@pytest.mark.parametrize(
    "title",
    [
        "*important* review",
        "!urgent review",
        "@ccss team",
        "`code` names",
        "%50 share",
        "| pipe",
        "> quote",
        "[draft] title",
        "{x} title",
    ],
)
def test_text_that_starts_with_what_yaml_reads_as_syntax_says_to_quote_it(title: str) -> None:
    # It was PyYAML's words alone ("found character that cannot start any token").
    p = one(edit("  title: Demo\n", f"  title: {title}\n"))
    assert p.message.startswith("not valid YAML: ")
    assert p.line == 4
    assert p.hint == f"if this is text that starts with {title[0]!r}, put it in quotes"


@pytest.mark.parametrize(
    ("old", "new", "space"),
    [
        ("  id: demo\n", "\u00a0\u00a0id: demo\n", "a no-break space (U+00A0)"),  # pasted from a web page
        ("  title: Demo\n", "  title:\u00a0Demo\n", "a no-break space (U+00A0)"),
        ("  title: Demo\n", "\u3000 title: Demo\n", "an ideographic space (U+3000)"),
    ],
)
def test_a_space_yaml_does_not_take_for_one_is_named_with_its_line(old: str, new: str, space: str) -> None:
    # It was PyYAML's words alone, on another line ("mapping values are not allowed", "could not
    # find expected ':'"), or the hint to check the indentation, which looks right.
    p = one(edit(old, new))
    assert p.message.startswith("not valid YAML: ")
    assert (
        p.hint
        == f"line {BASE.split(chr(10)).index(old[:-1]) + 1} has {space} where YAML needs an ordinary space: retype it"
    )


def test_a_no_break_space_in_quoted_text_is_not_blamed_for_a_syntax_error() -> None:
    text = edit("  title: Demo\n", '  title: "Demo:\u00a0one"\n')
    text = edit("    name: Parents\n", "    name: Parents\n      description: x\n", text)
    assert (
        one(text).hint == "if this is text containing ': ', put it in quotes; otherwise check the indentation"
    )


def test_text_with_a_colon_in_quotes_loads() -> None:
    dpup.loads(edit("  title: Demo\n", '  title: "Schedule 2: Demo"\n'))


def test_a_syntax_error_that_is_not_a_tab_says_nothing_of_tabs() -> None:
    p = one(edit("  title: Demo\n", "  title: [Demo\n"))
    assert "tab" not in p.message
    assert p.hint is None


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("1:30", "1:30, which YAML reads as 90"),
        ("1_000", "1_000, which YAML reads as 1000"),
        ("yes", "yes, which YAML reads as true"),
        ("0x1F", "0x1F, which YAML reads as 31"),
        ("~", "~, which YAML reads as null"),
        ("12", "12"),
        ("2.5", "2.5"),
    ],
)
def test_what_yaml_reads_as_a_number_is_shown_as_written(written: str, found: str) -> None:
    p = one(edit("  title: Demo\n", f"  title: {written}\n"))
    assert (where(p), p.found) == (("$.agreement.title", 4), found)


@pytest.mark.parametrize("value", ["false", "3", "null", "1:30", "hello"])
def test_an_unknown_key_is_found_as_the_key_whatever_its_value(value: str) -> None:
    p = one(edit("    name: Parents\n", f"    name: Parents\n    need_extra_care: {value}\n"))
    assert (where(p), p.found, p.hint) == (
        ("$.service_users[0].need_extra_care", 9),
        "'need_extra_care'",
        "did you mean 'needs_extra_care'?",
    )


def test_a_known_key_beside_an_unknown_one_still_says_what_yaml_read() -> None:
    found = problems(edit("    name: Parents\n", "    name: yes\n    need_extra_care: no\n"))
    assert [p.found for p in found] == ["yes, which YAML reads as true", "'need_extra_care'"]


def test_an_empty_agreement_header_says_it_is_empty() -> None:
    p = one(edit("agreement:\n  id: demo\n  title: Demo\n  parties: [ccss]\n", "agreement:\n"))
    assert (p.message, p.found, where(p)) == ("the agreement header is empty", "nothing", ("$.agreement", 2))


@pytest.mark.parametrize("date", ["2027W263", "20270630", "2027-W26-3", "2027-06-30T10:00"])
@pytest.mark.parametrize("format", ["json", "yaml"])
def test_a_date_is_written_yyyy_mm_dd(date: str, format: dpup.files.Format) -> None:
    text = edit("  parties: [ccss]\n", f'  parties: [ccss]\n  review_by: "{date}"\n')
    if format == "json":
        text = as_json(text)
    p = one(text, format)
    assert (format_path(p.path), p.message, p.found) == (
        "$.agreement.review_by",
        "must be a date",
        repr(date),
    )
    good = text.replace(date, "2027-06-30")
    assert str(dpup.loads(good, format).review_by) == "2027-06-30"


def test_problem_text_is_unchanged_for_an_ordinary_mistake() -> None:
    # The changes above leave the common case as it was.
    p: Problem = one(edit("    to: ccss\n", "    to: ccs\n"))
    assert str(p) == (
        "line 26: $.flows[0].to: flow 'intake' refers to 'ccs', which is not a service-user group "
        "or holder in this agreement (expected a service-user group or holder, found 'ccs'); "
        "did you mean 'ccss'?"
    )


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_a_file_of_zero_bytes_is_not_called_utf16(suffix: str, tmp_path: Path) -> None:
    # Both bytes of every pair are zero: not the ASCII of UTF-16, whose every other byte is a
    # character. It is reported as the syntax error it is, not as a file to save as UTF-8.
    path = tmp_path / f"zeros{suffix}"
    path.write_bytes(b"\x00" * 64)
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    (p,) = info.value.problems
    assert "UTF-16" not in p.message
    assert p.message.startswith("not valid ")
    # The near miss: UTF-16 text of the same length is UTF-16.
    path.write_text("ab" * 32, encoding="utf-16-le")
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    assert [p.message for p in info.value.problems] == ["the file is UTF-16 text; save it as UTF-8"]


@pytest.mark.parametrize(
    ("old", "new", "path"), [('"title": "Demo"', '"title": "Demo \\ud83d"', "$.agreement.title")]
)
def test_a_lone_surrogate_in_a_field_the_model_checks_is_said_once(old: str, new: str, path: str) -> None:
    # The agreement's own validator refuses the title too: the problem is said once, as the
    # text's, not again in the model's words.
    text = as_json().replace(old, new)
    assert text != as_json()
    p = one(text, "json")
    assert where(p) == (path, line_of(text, "Demo"))
    assert (
        p.message
        == "the text holds half of a character (\\ud83d, a lone surrogate), which is not Unicode text"
    )
    # The near miss: the pair whole is one character, and loads.
    assert (
        dpup.loads(as_json().replace(old, new.replace("\\ud83d", "\\ud83d\\ude00")), "json").title
        == "Demo 😀"
    )


def test_problems_found_in_the_files_nodes_are_counted_with_the_converters() -> None:
    # 150 wrong values (the converter lists 100 and counts 50) and a key given twice, which
    # only the file's nodes show: 151 problems, 100 listed, 51 counted.
    items = "".join(f"  - {{id: i{i}, identifiability: bad}}\n" for i in range(150))
    head = "dpup: 1\nagreement: {id: demo, title: Demo}\ninformation:\n" + items
    with pytest.raises(AgreementError) as info:
        dpup.loads(head + "holders: []\nholders: []\n")
    assert (len(info.value.problems), info.value.omitted) == (MAX_PROBLEMS, 51)
    assert str(info.value).startswith("151 problems in the agreement (the first 100 listed):\n")
    # The near miss: without the key given twice, 150.
    with pytest.raises(AgreementError) as info:
        dpup.loads(head)
    assert (len(info.value.problems), info.value.omitted) == (MAX_PROBLEMS, 50)


@pytest.mark.parametrize("count", [150, MAX_PROBLEMS + 1, MAX_PROBLEMS])
def test_keys_that_are_not_text_beyond_the_hundredth_are_counted_once(count: int) -> None:
    # Each key that is not text is one problem, said from the file's nodes (with its line) in
    # place of the converter's: those the converter counted but did not list are not counted
    # again (150 keys were 100 listed and 100 more).
    text = "dpup: 1\nagreement: {id: demo, title: Demo}\n" + "".join(f"{i}: x\n" for i in range(count))
    with pytest.raises(AgreementError) as info:
        dpup.loads(text)
    problems = info.value.problems
    assert (len(problems), info.value.omitted) == (MAX_PROBLEMS, count - MAX_PROBLEMS)
    assert [p.line for p in problems] == list(range(3, 3 + MAX_PROBLEMS))
    assert problems[0].found == "a number as a key"


def test_long_text_tagged_as_an_integer_is_not_taken_for_a_long_number() -> None:
    # Only an integer written as one (digits, a sign, a base) of too many digits is kept as a
    # number too long to read; letters tagged !!int are not a whole number, however many.
    p = one(edit("  title: Demo\n", "  title: !!int " + "z" * 5000 + "\n"))
    assert p.message.startswith("not valid YAML: ")
    assert "but is not a whole number" in p.message
    assert (p.line, p.expected) == (4, "a whole number, or text in quotes without a tag")
    # The near miss: digits.
    p = one(edit("  title: Demo\n", "  title: !!int " + "9" * 5000 + "\n"))
    assert (p.path, p.line, p.found) == (("agreement", "title"), 4, "a number of 5000 digits")


def test_a_utf16_file_whose_first_character_is_not_ascii_is_utf16_too(tmp_path: Path) -> None:
    # U+014C (Ō) is the bytes 0x4C 0x01 in UTF-16-LE, which are UTF-8 ("L\x01"): the zero bytes
    # of the ASCII after it still say what the file is.
    path = tmp_path / "a.yaml"
    path.write_text("\u014c" + BASE, encoding="utf-16-le")
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    (p,) = info.value.problems
    assert (p.message, p.line) == ("the file is UTF-16 text; save it as UTF-8", 1)
