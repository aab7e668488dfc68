"""The catalogue's metadata: every check cites real seed text and is documented."""

import re
from pathlib import Path

import pytest

import dpup
from dpup.checks._registry import SEED_FILES, Seed
from dpup.render.catalogue import render_catalogue

SEEDS = Path(__file__).parent / "seeds"


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("check", dpup.catalogue(), ids=lambda c: c.code)
def test_every_seed_quote_is_in_its_seed(check: dpup.checks.Check) -> None:
    assert check.seeds, f"{check.code} cites no seed"
    for seed in check.seeds:
        text = _normalise((SEEDS / SEED_FILES[seed.doc]).read_text(encoding="utf-8"))
        assert _normalise(seed.quote) in text, (
            f"{check.code}: quote not found in seed {seed.doc}: {seed.quote!r}"
        )


def _headings(text: str) -> dict[str, int]:
    """Each line of a seed, as a heading a section may name, and where it first occurs."""
    out: dict[str, int] = {}
    at = 0
    for line in text.splitlines(keepends=True):
        heading = _normalise(line.lstrip("#! ")).rstrip(":")
        if heading:
            out.setdefault(heading, len(_normalise(text[:at])))
        at += len(line)
    return out


@pytest.mark.parametrize("check", dpup.catalogue(), ids=lambda c: c.code)
def test_every_seed_says_where_in_its_document_the_quote_sits(check: dpup.checks.Check) -> None:
    """A section is never blank, and each part of it (between " › ", less a bracketed gloss)
    that is a line of the seed, a heading, comes before the quote: so a section cannot put a
    quote under a heading that follows it."""
    for seed in check.seeds:
        assert seed.section.strip(), f"{check.code}: no section for {seed.quote!r}"
        text = (SEEDS / SEED_FILES[seed.doc]).read_text(encoding="utf-8")
        quote_at = _normalise(text).index(_normalise(seed.quote))
        headings = _headings(text)
        for part in seed.section.split(" › "):
            name = _normalise(re.sub(r"\s*\([^)]*\)$", "", part)).rstrip(":")
            if name in headings:
                assert headings[name] < quote_at, (
                    f"{check.code}: heading {name!r} comes after the quote {seed.quote!r} in seed {seed.doc}"
                )


def test_a_seed_section_is_never_blank() -> None:
    with pytest.raises(ValueError, match="section"):
        Seed(doc="001", quote="If they don't have a choice, why.", section=" ")


def test_sections_name_headings_of_their_seeds() -> None:
    """Every section names at least one line of its document verbatim as a heading, so the
    test above checks something for each seed."""
    named = [
        seed
        for c in dpup.catalogue()
        for seed in c.seeds
        if any(
            _normalise(re.sub(r"\s*\([^)]*\)$", "", part)).rstrip(":")
            in _headings((SEEDS / SEED_FILES[seed.doc]).read_text(encoding="utf-8"))
            for part in seed.section.split(" › ")
        )
    ]
    assert len(named) == sum(len(c.seeds) for c in dpup.catalogue())


def test_codes_are_unique_stable_and_prefixed_by_family() -> None:
    prefixes = {
        "purpose-mismatch": "PM",
        "missing-explanation": "ME",
        "untraceable-holder": "UH",
        "sharing-value": "SV",
    }
    codes = [c.code for c in dpup.catalogue()]
    assert len(codes) == len(set(codes))
    for c in dpup.catalogue():
        assert re.fullmatch(r"(PM|ME|UH|SV)\d{3}", c.code)
        assert c.code.startswith(prefixes[c.family.value])
        assert c.finds
        assert c.remediation
        assert c.guideline
        assert c.principles


def test_catalogue_page_lists_every_check_with_its_parts() -> None:
    page = render_catalogue()
    for c in dpup.catalogue():
        assert f"### {c.code}: {c.name}" in page
        entry = page.split(f"### {c.code}: {c.name}")[1].split("\n### ")[0]
        assert c.finds in entry
        assert c.remediation in entry
        assert c.guideline in entry
        assert c.seeds[0].quote in entry
        if c.law is not None:
            assert c.law.ipp in entry
            assert c.law.level in entry


def test_copied_seeds_match_the_shared_ones() -> None:
    shared = Path(__file__).parents[2] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no ../shared/seeds beside the project")
    for name in SEED_FILES.values():
        assert (SEEDS / name).read_bytes() == (shared / name).read_bytes()


def test_the_catalogue_committed_in_the_checks_page_is_current() -> None:
    """The build writes the catalogue afresh; the copy in the page source (what GitHub shows)
    must match the registry: `python docs/hooks/catalogue.py docs/checks.md` refreshes it."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("catalogue_hook", root / "docs" / "hooks" / "catalogue.py")
    assert spec is not None
    assert spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    page = (root / "docs" / "checks.md").read_text(encoding="utf-8")
    assert hook.END in page
    assert hook.refresh(page) == page
    assert page.count("\n### ") == len(dpup.catalogue())
