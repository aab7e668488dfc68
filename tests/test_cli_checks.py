"""``dpup checks``: the check catalogue on the command line, and ``Check.to_dict``."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup.cli import EXIT_OK, EXIT_USAGE
from dpup.render.catalogue import render_catalogue, render_catalogue_text
from tests.examples import ROOT, payload, run

CODES = [c.code for c in dpup.catalogue()]
BY_CODE = {c.code: c for c in dpup.catalogue()}


def listed(text: str) -> list[str]:
    """The codes a ``dpup checks`` text lists, in order (each check's first line)."""
    return re.findall(r"^  ([A-Z]{2}\d{3})  ", text, flags=re.MULTILINE)


# -- the list -------------------------------------------------------------------------------


def test_alone_it_lists_every_check_once_in_catalogue_order() -> None:
    code, out, err = run("checks")
    assert (code, err) == (EXIT_OK, "")
    assert listed(out) == CODES
    lines = out.splitlines()
    assert lines[-2] == f"{len(CODES)} checks"
    assert lines[-1] == "Explain a check, or a family of them: dpup checks PM004, dpup checks UH"
    for c in dpup.catalogue():
        at = lines.index(f"  {c.code}  {c.severity.value:<8} {c.name}")
        first = lines[at + 1].strip()
        assert c.finds.startswith(first), c.code  # the gist, from its start
    assert "What it rests on" not in out  # the list, not the entries


def test_the_list_groups_checks_under_their_family_headings() -> None:
    out = run("checks")[1]
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")][:-2]
    assert headings == [
        "Purpose mismatches (Purpose Matters; He Tāngata, Kaitiakitanga)",
        "Missing explanations (Transparency and Choice; Mana Whakahaere, Manaakitanga)",
        "Untraceable holders (Access to Information; Mana Whakahaere, Kaitiakitanga)",
        "Sharing value (Sharing Value; Mahitahitanga)",
    ]
    sections = [s for s in re.split(r"^(?=\S)", out, flags=re.MULTILINE) if s]
    for section in sections[:4]:
        prefixes = {code[:2] for code in listed(section)}
        assert len(prefixes) == 1, section.splitlines()[0]


def test_the_list_gives_the_first_sentence_of_a_longer_description() -> None:
    long = BY_CODE["PM005"]
    assert long.finds.count(". ") >= 2  # the near miss below is a description of one sentence
    text = render_catalogue_text([long, BY_CODE["PM004"]], full=False, width=1000)
    first = long.finds.split(". ")[0] + "."
    assert f"      {first}\n" in text
    assert long.finds not in text
    assert f"      {BY_CODE['PM004'].finds}\n" in text  # one sentence: the whole of it


def test_every_first_sentence_is_a_whole_sentence() -> None:
    text = render_catalogue_text(full=False, width=10_000)
    for c in dpup.catalogue():
        lines = text.splitlines()
        gist = lines[lines.index(f"  {c.code}  {c.severity.value:<8} {c.name}") + 1].strip()
        assert gist.endswith("."), c.code
        assert c.finds.startswith(gist), c.code


# -- explaining checks --------------------------------------------------------------------------


def test_a_code_is_explained_in_full() -> None:
    code, out, err = run("checks", "PM004")
    assert (code, err) == (EXIT_OK, "")
    assert listed(out) == ["PM004"]
    pm004 = BY_CODE["PM004"]
    flat = " ".join(out.split())
    assert pm004.law is not None
    for part in (
        "Purpose Matters Guideline; He Tāngata, Kaitiakitanga",
        f"Privacy Act 2020: {pm004.law.ipp} ({pm004.law.level}): {pm004.law.note}",
        f"What it finds: {pm004.finds}",
        f"How to fix it: {pm004.remediation}",
        *(f"“{seed.quote}” — {seed.title} (seed {seed.doc}), {seed.section}" for seed in pm004.seeds),
    ):
        assert " ".join(part.split()) in flat, part
    assert out.splitlines()[-1] == "1 check"
    assert out == render_catalogue_text([pm004], width=100)  # a pipe: 100 columns


def test_a_check_without_a_law_says_so_and_every_seed_is_shown() -> None:
    plain = next(c for c in dpup.catalogue() if c.law is None)
    many = next(c for c in dpup.catalogue() if len(c.seeds) > 1)
    out = run("checks", plain.code, many.code)[1]
    assert "Privacy Act 2020: none applies directly: this is DPUP's good practice" in out
    flat = " ".join(out.split())
    for seed in many.seeds:
        assert f"“{' '.join(seed.quote.split())}”" in flat


@pytest.mark.parametrize(
    ("names", "codes"),
    [
        (["pm004"], ["PM004"]),
        (["UH"], [c for c in CODES if c.startswith("UH")]),
        (["sharing-value"], [c for c in CODES if c.startswith("SV")]),
        (["identity-not-needed"], ["PM004"]),
        (["SV001,pm001"], ["PM001", "SV001"]),  # in the catalogue's order, not the order given
        (["SV001", "PM001", "sv001"], ["PM001", "SV001"]),  # once each
        (["PM", "PM004"], [c for c in CODES if c.startswith("PM")]),
    ],
)
def test_checks_are_named_as_select_names_them(names: list[str], codes: list[str]) -> None:
    code, out, _ = run("checks", *names)
    assert code == EXIT_OK
    assert listed(out) == codes
    assert out.splitlines()[-1] == f"{len(codes)} check{'s' if len(codes) > 1 else ''}"


def test_the_docs_show_what_dpup_checks_prints() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    shown = page.split("$ dpup checks PM004\n", 1)[1].split("```", 1)[0]
    assert shown == run("checks", "PM004")[1]


# -- what is not a check --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("PM04", "no check is named 'PM04' (did you mean PM004?)"),
        ("identity-not-neded", "no check is named 'identity-not-neded' (did you mean identity-not-needed?)"),
        ("XX", "no check is named 'XX'"),
        (
            "draft.yaml",
            "'draft.yaml' is not a check: dpup checks explains checks; to check an agreement "
            "file, run dpup check draft.yaml",
        ),
        (",", "',' names no check"),
        ("copies", "no check is named 'copies' (checks that mention 'copies': UH006); name codes"),
        (
            "correction",
            "no check is named 'correction' (checks that mention 'correction': UH003, UH005); name",
        ),
        ("flow", "no check is named 'flow'; name codes"),  # in too many checks to help
        ("frequency", "no check is named 'frequency'; name codes"),  # in none
    ],
)
def test_a_name_that_is_no_check_is_a_usage_error(given: str, says: str, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    code, out, err = run("checks", given, "-o", str(target))
    assert (code, out) == (EXIT_USAGE, "")
    assert says in err
    assert "Traceback" not in err
    assert not target.exists()


def test_an_existing_file_is_told_to_go_to_dpup_check(tmp_path: Path) -> None:
    agreement = tmp_path / "agreement"  # no suffix: known as a file by being there
    agreement.write_text("dpup: 1\n", encoding="utf-8")
    code, _, err = run("checks", str(agreement))
    assert code == EXIT_USAGE
    assert f"run dpup check {agreement}" in err


# -- JSON and Markdown ------------------------------------------------------------------------


def test_json_lists_every_check_in_full() -> None:
    code, out, err = run("checks", "--format", "json")
    assert (code, err) == (EXIT_OK, "")
    assert payload(out, "checks") == {"checks": [c.to_dict() for c in dpup.catalogue()]}


def test_json_of_checks_named_lists_those() -> None:
    data = payload(run("checks", "--format", "json", "SV001", "PM004")[1], "checks")
    assert [entry["code"] for entry in data["checks"]] == ["PM004", "SV001"]
    sv001 = data["checks"][1]
    assert sv001["law"] is None
    assert sv001["family"] == "sharing-value"
    assert sv001["principles"] == ["Mahitahitanga"]


def test_to_dict_holds_every_field_of_the_check() -> None:
    for c in dpup.catalogue():
        entry = c.to_dict()
        assert entry["code"] == c.code
        assert entry["name"] == c.name
        assert (entry["family"], entry["severity"]) == (c.family.value, c.severity.value)
        assert (entry["guideline"], entry["principles"]) == (c.guideline, list(c.principles))
        assert (entry["finds"], entry["remediation"]) == (c.finds, c.remediation)
        law = c.law
        assert entry["law"] == (
            None if law is None else {"ipp": law.ipp, "level": law.level, "note": law.note}
        )
        assert entry["seeds"] == [
            {"doc": s.doc, "title": s.title, "section": s.section, "quote": s.quote} for s in c.seeds
        ]
        assert json.loads(json.dumps(entry)) == entry  # plain data


def test_markdown_is_the_catalogue_page() -> None:
    code, out, _ = run("checks", "--format", "markdown")
    assert code == EXIT_OK
    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    catalogue = page.split("<!-- catalogue -->\n", 1)[1].split("<!-- /catalogue -->", 1)[0]
    assert out.strip() == catalogue.strip() == render_catalogue().strip()
    some = run("checks", "--format", "markdown", "UH003")[1]
    assert some == render_catalogue([BY_CODE["UH003"]])
    assert "### UH003: no-access-arrangement" in some
    assert "### UH004" not in some


def test_output_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "checks.txt"
    code, out, _ = run("checks", "PM004", "-o", str(target))
    assert (code, out) == (EXIT_OK, "")
    assert target.read_text(encoding="utf-8") == run("checks", "PM004")[1]


# -- wrapping ------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(width=st.integers(min_value=60, max_value=160), full=st.booleans())  # dpup: at least 60
def test_lines_wrap_at_spaces_within_the_width(width: int, full: bool) -> None:
    text = render_catalogue_text(full=full, width=width)
    whole = render_catalogue_text(full=full, width=100_000)
    assert text.split() == whole.split()  # nothing lost, no word broken
    for line in text.splitlines():
        if not line.startswith("      "):  # a heading or a check's code, severity and name
            continue  # not wrapped, as in a report
        assert len(line) <= width or " " not in line.strip(), line  # too long only if one word
