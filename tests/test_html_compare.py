"""The page ``dpup compare --format html`` writes: what a revision fixed, brought and kept, in
the style of the check page and with its guarantees."""

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import dpup
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK
from dpup.render.html import render_comparison_html
from tests.examples import AFTER, BEFORE, ascii_run, run
from tests.test_html import BAD, Node, _hostile, parse, sound, visible


def page_of(*argv: str) -> tuple[int, str, Node]:
    code, out, err = run("compare", "--format", "html", *argv)
    assert err == ""
    return code, out, sound(out)


def section(document: Node, id: str) -> Node:
    node = document.by_id(id)  # the section's heading
    (parent,) = (s for s in document.find("section") if s.attrs.get("aria-labelledby") == id)
    assert parent.find("h2")[0] is node
    return parent


def findings_of(document: Node) -> list[Node]:
    return section(document, "new").find("article")


def fixed_of(document: Node) -> list[Node]:
    return section(document, "fixed").find("article")


def full(f: dpup.Finding) -> dict[str, str]:
    """A finding's terms as the check page shows them."""
    assert f.location is not None
    return {
        "Where": f.location,
        "Finding": f.message,
        **({"Path": " → ".join(f.path)} if f.path else {}),
        "Fix": f.remediation.replace("`", ""),  # its marks made <code>
    }


def test_the_revision_the_dpup_way() -> None:
    code, _, document = page_of(str(BEFORE), str(AFTER))
    assert code == EXIT_OK
    comparison = dpup.compare(dpup.check_files(BEFORE), dpup.check_files(AFTER))
    assert comparison.summary() == "42 fixed, 1 new, 0 still open"
    h1 = document.find("h1")[0].text()
    assert h1 == f"dpup compare: {BEFORE} -> {AFTER}"
    assert document.find("title")[0].text() == h1
    verdict = document.find("p", "verdict")[0]
    assert verdict.classes() == ["verdict", "passes"]
    assert verdict.text() == (
        "Passes: no new open finding is a warning or an error (the threshold: --fail-on warning)."
    )
    assert document.find("p", "summary")[0].text() == "42 fixed, 1 new, 0 still open"
    assert document.find("p", "note") == []
    # the sections, in order, each headed with its name
    assert [s.find("h2")[0].text() for s in document.find("section", "compared")] == [
        "New",
        "Fixed",
        "Still open",
    ]
    contents = [li.text() for li in document.find("nav")[0].find("li")]
    assert contents == ["Summary", "New (1)", "Fixed (42)", "Still open (0)", "About the checks"]
    # the new finding in full, with why it matters
    (article,) = findings_of(document)
    (f,) = comparison.new
    assert article.attrs["id"] == "finding-1"
    assert article.find("h3")[0].text() == "ME008 info: programme-findings"
    assert article.fields() == full(f)
    assert str(f.location).startswith(f"{AFTER}:")
    (link,) = article.find("p", "why")[0].find("a")
    assert link.attrs["href"] == "#check-ME008"
    # each fixed one: where it was, in the earlier draft, and what it said
    fixed = fixed_of(document)
    assert len(fixed) == len(comparison.fixed) == 42
    for g, node in zip(comparison.fixed, fixed, strict=True):
        assert node.find("h3")[0].text() == f"{g.code} {g.severity.value}: {g.subject}"
        assert node.fields() == {"Where": g.location, "Finding": g.message}
        assert str(g.location).startswith(f"{BEFORE}:")
        assert node.find("p", "why") == []
    assert [p.text() for p in section(document, "still-open").find("p")] == ["None."]
    assert section(document, "still-open").find("li") == []
    # about the checks: only those with a new finding
    assert [s.attrs["id"] for s in document.find("section", "check")] == ["check-ME008"]
    back = document.by_id("check-ME008").find("p")[-1]
    assert back.find("a")[0].attrs["href"] == "#finding-1"
    assert back.text() == "Its new findings in this comparison: 1."


def test_the_counts_are_the_comparisons() -> None:
    _, _, document = page_of(str(AFTER), str(BEFORE))
    comparison = dpup.compare(dpup.check_files(AFTER), dpup.check_files(BEFORE))
    (table,) = section(document, "summary").find("table")
    head = [th.text() for th in table.find("thead")[0].find("th")]
    assert head == ["Which", "error", "warning", "info", "All"]
    rows = {
        tr.find("th")[0].text(): [td.text() for td in tr.find("td")]
        for tr in table.find("tbody")[0].find("tr")
    }
    expected = {}
    for name, report in (
        ("New", comparison.new),
        ("Fixed", comparison.fixed),
        ("Still open", comparison.remaining),
    ):
        counts = report.counts()
        expected[name] = [str(counts[s]) for s in ("error", "warning", "info")] + [str(len(report))]
    assert rows == expected
    assert rows["New"][-1] == "42"  # near miss: not all zero
    assert rows["Fixed"] == ["0", "0", "1", "1"]


def test_the_revision_reversed_fails_with_every_new_finding_in_full() -> None:
    code, _, document = page_of(str(AFTER), str(BEFORE))
    assert code == EXIT_FINDINGS
    comparison = dpup.compare(dpup.check_files(AFTER), dpup.check_files(BEFORE))
    assert comparison.summary() == "1 fixed, 42 new, 0 still open"
    reaching = sum(f.severity.value != "info" for f in comparison.new)
    assert document.find("p", "verdict")[0].text() == (
        f"Fails: {reaching} new open findings are warnings or errors (the threshold: --fail-on warning)."
    )
    articles = findings_of(document)
    assert len(articles) == len(comparison.new) == 42
    for n, (f, article) in enumerate(zip(comparison.new, articles, strict=True), 1):
        assert article.attrs["id"] == f"finding-{n}"
        assert article.find("h3")[0].text() == f"{f.code} {f.severity.value}: {f.subject}"
        assert article.fields() == full(f)
        (link,) = article.find("p", "why")[0].find("a")
        assert link.attrs["href"] == f"#check-{f.code}"
    fired = [c.code for c in dpup.catalogue() if any(f.code == c.code for f in comparison.new)]
    assert [s.attrs["id"] for s in document.find("section", "check")] == [f"check-{c}" for c in fired]
    pm004 = document.by_id("check-PM004").find("p")[-1]
    assert pm004.text() == "Its new findings in this comparison: 4."
    first = next(i for i, f in enumerate(comparison.new, 1) if f.code == "PM004")
    assert pm004.find("a")[0].attrs["href"] == f"#finding-{first}"
    (fixed,) = fixed_of(document)
    assert fixed.find("h3")[0].text() == "ME008 info: programme-findings"


def test_what_is_still_open_is_a_line_each() -> None:
    code, _, document = page_of(str(BEFORE), str(BEFORE))
    assert code == EXIT_OK  # nothing new: however much is still open
    report = dpup.check_files(BEFORE)
    items = section(document, "still-open").find("li")
    assert [li.text() for li in items] == [
        f"{f.code} {f.severity.value}: {f.subject} ({f.location})" for f in report
    ]
    assert len(items) == 42
    assert findings_of(document) == []
    assert fixed_of(document) == []
    assert document.find("section", "check") == []
    assert "#about" not in [a.attrs["href"] for a in document.find("a")]
    assert document.find("p", "summary")[0].text() == "0 fixed, 0 new, 42 still open"
    # an accepted finding is still open, marked accepted (accepting is not fixing)
    a = dpup.load(AFTER)
    acc = dpup.Acceptance(code="ME008", subject="programme-findings", reason="counts", by="Aroha")
    comparison = dpup.compare(dpup.check(a), dpup.check(attrs.evolve(a, accepted=[acc])))
    (item,) = section(sound(comparison.to_html()), "still-open").find("li")
    assert item.text() == "ME008 info (accepted): programme-findings ($.information[3])"  # no file: the path


@pytest.mark.parametrize(
    ("fail_on", "verdict"),
    [
        ("error", "Fails: {e} new open findings are errors (the threshold: --fail-on error)."),
        (
            "warning",
            "Fails: {w} new open findings are warnings or errors (the threshold: --fail-on warning).",
        ),
        ("info", "Fails: 42 new findings are open (the threshold: --fail-on info)."),
        ("never", "Passes: no finding fails it (the threshold: --fail-on never)."),
    ],
)
def test_the_verdict_at_each_threshold_is_the_commands(fail_on: str, verdict: str) -> None:
    comparison = dpup.compare(dpup.check_files(AFTER), dpup.check_files(BEFORE))
    counts = comparison.new.counts()
    expected = verdict.format(e=counts["error"], w=counts["error"] + counts["warning"])
    code, out, document = page_of(str(AFTER), str(BEFORE), "--fail-on", fail_on)
    assert document.find("p", "verdict")[0].text() == expected
    assert code == (EXIT_FINDINGS if expected.startswith("Fails") else EXIT_OK)
    assert code == run("compare", str(AFTER), str(BEFORE), "--fail-on", fail_on)[0]  # as the text says
    assert out == comparison.to_html(title=f"{AFTER} -> {BEFORE}", fail_on=fail_on)


def test_the_verdict_in_words_for_one_and_none() -> None:
    comparison = dpup.compare(dpup.check_files(BEFORE), dpup.check_files(AFTER))  # 1 new: info

    def verdict(fail_on: str | None) -> str:
        return parse(render_comparison_html(comparison, fail_on=fail_on)).find("p", "verdict")[0].text()

    assert verdict("info") == "Fails: 1 new finding is open (the threshold: --fail-on info)."
    assert verdict("error") == "Passes: no new open finding is an error (the threshold: --fail-on error)."
    assert verdict(None) == "Passes: no finding fails it (the threshold: --fail-on never)."
    assert (
        run("compare", "--format", "html", str(BEFORE), str(AFTER), "--fail-on", "info")[0] == EXIT_FINDINGS
    )
    one_error = comparison.filter(code="ME008")
    one_error = attrs.evolve(
        one_error, new=dpup.Report.of([attrs.evolve(f, severity=dpup.Severity.ERROR) for f in one_error.new])
    )
    assert parse(one_error.to_html(fail_on="error")).find("p", "verdict")[0].text() == (
        "Fails: 1 new open finding is an error (the threshold: --fail-on error)."
    )
    with pytest.raises(ValueError, match="bogus"):
        render_comparison_html(comparison, fail_on="bogus")


def test_select_says_what_it_left_out() -> None:
    code, _, document = page_of(str(BEFORE), str(AFTER), "--select", "PM")
    assert code == EXIT_OK
    (note,) = document.find("p", "note")
    assert note.text() == "27 findings of checks left out by --select not shown (in the two drafts)."
    _, text, _ = run("compare", str(BEFORE), str(AFTER), "--select", "PM")
    assert f"{note.text()[0].lower()}{note.text()[1:-1]}" in text.splitlines()  # as the text says it
    assert findings_of(document) == []
    assert {n.find("code")[0].text()[:2] for n in fixed_of(document)} == {"PM"}
    assert document.find("p", "summary")[0].text() == "16 fixed, 0 new, 0 still open"
    _, _, document = page_of(str(BEFORE), str(AFTER), "--ignore", "PM", "--select", "PM,SV")
    assert [n.text() for n in document.find("p", "note")] == [
        "40 findings of checks left out by --select and --ignore not shown (in the two drafts)."
    ]


def test_files_that_do_not_load_are_listed_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad <b>.yaml"
    bad.write_text(BAD, encoding="utf-8")
    code, out, err = run("compare", "--format", "html", str(bad), str(AFTER))
    assert code == EXIT_INVALID
    assert "unknown key 'flow'" in err  # on standard error, as ever
    document = parse(out)
    assert document.find("h1")[0].text() == f"dpup compare: {bad} -> {AFTER}"
    verdict = document.find("p", "verdict")[0]
    assert verdict.classes() == ["verdict", "unchecked"]
    assert (
        verdict.text()
        == "Not checked: 1 problem in 1 file; dpup checks nothing until every file given loads."
    )
    (item,) = document.find("li")
    assert item.text() == err.splitlines()[0]
    assert document.find("article") == []
    code, out, _ = run("compare", "--format", "html", str(AFTER), str(bad))  # the later one, too
    assert code == EXIT_INVALID
    assert parse(out).find("h1")[0].text() == f"dpup compare: {AFTER} -> {bad}"


def test_comparison_to_html_is_the_commands_page() -> None:
    comparison = dpup.compare(dpup.check_files(BEFORE), dpup.check_files(AFTER))
    title = f"{BEFORE} -> {AFTER}"
    for argv, fail_on in (
        ((), "warning"),
        (("--fail-on", "info"), "info"),
        (("--fail-on", "never"), "never"),
    ):
        _, out, _ = page_of(str(BEFORE), str(AFTER), *argv)
        assert out == comparison.to_html(title=title, fail_on=fail_on)
        assert out == render_comparison_html(comparison, title=title, fail_on=fail_on)
    assert comparison.to_html(title=title) != comparison.to_html(title=title, fail_on="info")  # near miss
    assert comparison.to_html() == comparison.to_html()  # the same every time
    assert dpup.render.render_comparison_html is render_comparison_html
    assert "render_comparison_html" in dpup.render.__all__
    assert "render_comparison_html" in dpup.render.html.__all__


def test_a_stream_that_is_not_utf8_gets_character_references(tmp_path: Path) -> None:
    bad = tmp_path / "whānau.yaml"
    bad.write_text(BAD, encoding="utf-8")
    for argv, status in (((AFTER, BEFORE), EXIT_FINDINGS), ((bad, AFTER), EXIT_INVALID)):
        code, written = ascii_run("compare", "--format", "html", *map(str, argv))
        assert code == status
        assert "&#257;" in written  # ā
        _, out, _ = run("compare", "--format", "html", *map(str, argv))
        assert "ā" in out  # near miss: a UTF-8 stream gets it as it is
        assert parse(written).text() == parse(out).text()


@settings(max_examples=60)
@given(code=_hostile, subject=_hostile, message=_hostile, file=_hostile, where=_hostile, title=_hostile)
def test_no_text_becomes_markup_and_all_of_it_comes_back(
    code: str, subject: str, message: str, file: str, where: str, title: str
) -> None:
    def finding(code: str, subject: str, message: str, file: str, where: str) -> dpup.Finding:
        return dpup.Finding(
            code=code,
            family="missing-explanation",
            severity="warning",
            subject=subject,
            message=message,
            file=file,
            where=where,
            line=7,
        )

    f = finding(code, subject, message, file, where)
    one = dpup.Report.of([f])
    page = render_comparison_html(dpup.Comparison(fixed=one, new=one, remaining=one), title=title)
    page.encode("utf-8")  # strict: no lone surrogate
    document = sound(page)
    plain = dpup.Report.of([finding(*"xxxxx")])
    assert [n.tag for n in document.iter()] == [
        n.tag
        for n in parse(
            render_comparison_html(dpup.Comparison(fixed=plain, new=plain, remaining=plain), title="x")
        ).iter()
    ]
    named = f"{visible(code)} warning: {visible(subject)}"
    (article,) = findings_of(document)
    assert article.find("h3")[0].text() == named
    assert article.fields()["Finding"] == visible(message)
    (fixed,) = fixed_of(document)
    assert fixed.fields() == {"Where": visible(f"{file}:7: {where}"), "Finding": visible(message)}
    (item,) = section(document, "still-open").find("li")
    assert item.text() == f"{named} ({visible(f'{file}:7: {where}')})"
    assert document.find("h1")[0].text() == (f"dpup compare: {visible(title)}" if title else "dpup compare")
    assert visible(page) == page  # nothing HTML forbids is left anywhere in the page
