"""HTML reports: the page ``dpup check --format html`` writes, its shape, what it says about
each finding and check, and escaping whatever an agreement or a file name holds."""

import itertools
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup.cli import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK
from dpup.render.html import problems_to_html, render_html
from tests.examples import AFTER, BEFORE, ascii_run, run
from tests.strategies import agreements

# -- reading a page -------------------------------------------------------------------------

VOID = {"meta"}
"""The only void element the page has."""

TAGS = {
    *("html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section", "footer"),
    *("h1", "h2", "h3", "p", "ol", "ul", "li", "a", "strong", "code", "span", "cite"),
    *("table", "caption", "thead", "tbody", "tr", "th", "td"),
    *("article", "dl", "dt", "dd", "figure", "blockquote", "figcaption"),
}
"""Every element the page is made of: nothing else may appear in it."""


@dataclass
class Node:
    """An element of a parsed page, or the document."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: "list[Node | str]" = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> Iterator["Node"]:
        if tag is None or self.tag == tag:
            yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter(tag)

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def find(self, tag: str, cls: str | None = None) -> list["Node"]:
        return [n for n in self.iter(tag) if cls is None or cls in n.classes()]

    def by_id(self, id: str) -> "Node":
        (node,) = (n for n in self.iter() if n.attrs.get("id") == id)
        return node

    def fields(self) -> dict[str, str]:
        """The terms of the element's first ``<dl>`` -> the text of their definitions."""
        dl = self.find("dl")[0]
        items = [c for c in dl.children if isinstance(c, Node)]
        assert [n.tag for n in items] == ["dt", "dd"] * (len(items) // 2)
        return {dt.text(): dd.text() for dt, dd in zip(items[::2], items[1::2], strict=True)}


class _Tree(HTMLParser):
    """A page as a tree, refusing one whose every element is not closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Node("#document")
        self.stack = [self.document]
        self.declarations: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise AssertionError(f"<{tag} ... />: the page writes no self-closing tag")

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}>"
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment: <!--{data}-->")

    def handle_pi(self, data: str) -> None:
        raise AssertionError(f"a processing instruction: <?{data}>")

    def unknown_decl(self, data: str) -> None:
        raise AssertionError(f"a declaration: <![{data}]>")


def parse(page: str) -> Node:
    """The page as a tree: a document type, then one ``<html>`` holding every element, each
    closed where it should be, and only the elements dpup writes."""
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert tree.stack == [tree.document], [n.tag for n in tree.stack]  # every element closed
    assert tree.declarations == ["DOCTYPE html"]
    assert [c.tag for c in tree.document.children if isinstance(c, Node)] == ["html"]
    assert {n.tag for n in tree.document.iter()} - {"#document"} <= TAGS
    return tree.document


def visible(text: str) -> str:
    """``text`` as a page shows it: the characters HTML must not hold as escapes (an oracle
    written apart from the renderer's, from Unicode's categories)."""

    def shown(c: str) -> str:
        n = ord(c)
        forbidden = (
            (unicodedata.category(c) == "Cc" and c not in "\t\n")
            or unicodedata.category(c) == "Cs"
            or 0xFDD0 <= n <= 0xFDEF
            or n & 0xFFFE == 0xFFFE
        )
        if not forbidden:
            return c
        return f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"

    return "".join(shown(c) for c in text)


def findings_of(document: Node) -> list[Node]:
    return document.find("article", "finding")


def page_of(*argv: str) -> tuple[int, str, Node]:
    code, out, err = run("check", "--format", "html", *argv)
    assert err == ""
    return code, out, parse(out)


# -- the first draft and the revision ---------------------------------------------------------


def test_the_first_draft_has_every_finding_in_full() -> None:
    code, _, document = page_of(str(BEFORE))
    assert code == EXIT_FINDINGS
    report = dpup.check_files(BEFORE)
    assert len(report) == 42
    articles = findings_of(document)
    assert len(articles) == len(report)
    for n, (f, article) in enumerate(zip(report, articles, strict=True), 1):
        assert article.attrs["id"] == f"finding-{n}"
        assert f.severity.value in article.classes()
        assert article.find("h3")[0].text() == f"{f.code} {f.severity.value}: {f.subject}"
        expected = {
            "Where": f.location,
            "Finding": f.message,
            **({"Path": " → ".join(f.path)} if f.path else {}),
            "Fix": f.remediation.replace("`", ""),  # its marks made <code>
        }
        assert article.fields() == expected
        assert f.location is not None
        assert f.location.startswith(f"{BEFORE}:")  # located, with its line
    # PM005 follows the information's path
    assert any(a.fields().get("Path") == "parents → ccss → agency.reporting" for a in articles)
    h1 = document.find("h1")[0].text()
    assert h1 == f"dpup check: {BEFORE}"
    assert document.find("title")[0].text() == h1
    verdict = document.find("p", "verdict")[0]
    assert verdict.classes() == ["verdict", "fails"]
    assert (
        verdict.text() == "Fails: 42 open findings are warnings or errors (the threshold: --fail-on warning)."
    )
    assert document.find("p", "summary")[0].text() == report.summary()
    assert document.find("p", "note") == []  # nothing was left out


def test_the_revision_the_dpup_way_passes() -> None:
    code, _, document = page_of(str(AFTER))
    assert code == EXIT_OK
    assert (
        document.find("p", "verdict")[0].text()
        == "Passes: no open finding is a warning or an error (the threshold: --fail-on warning)."
    )
    (article,) = findings_of(document)
    assert article.find("h3")[0].text() == "ME008 info: programme-findings"
    code, _, document = page_of(str(AFTER), "--fail-on", "info")
    assert code == EXIT_FINDINGS  # near miss: info reaches info
    assert (
        document.find("p", "verdict")[0].text() == "Fails: 1 finding is open (the threshold: --fail-on info)."
    )


def test_the_verdict_follows_the_threshold() -> None:
    report = dpup.check_files(BEFORE)

    def verdict(fail_on: str | None) -> str:
        return parse(render_html(report, fail_on=fail_on)).find("p", "verdict")[0].text()

    assert verdict("error") == "Fails: 24 open findings are errors (the threshold: --fail-on error)."
    assert (
        verdict("never") == verdict(None) == "Passes: no finding fails it (the threshold: --fail-on never)."
    )
    with pytest.raises(ValueError, match="bogus"):
        render_html(report, fail_on="bogus")


def test_the_counts_are_the_reports() -> None:
    report = dpup.check_files(BEFORE)
    document = parse(report.to_html())
    severity, family = document.find("table")
    rows = {tr.find("th")[0].text(): [td.text() for td in tr.find("td")] for tr in severity.find("tr")[1:]}
    counts = report.counts()
    assert rows == {s: [str(counts[s]), "0"] for s in ("error", "warning", "info")}
    rows = {tr.find("th")[0].text(): [td.text() for td in tr.find("td")] for tr in family.find("tr")[1:]}
    assert rows == {
        "Purpose mismatches": [str(counts["purpose-mismatch"]), "0"],
        "Missing explanations": [str(counts["missing-explanation"]), "0"],
        "Untraceable holders": [str(counts["untraceable-holder"]), "0"],
        "Sharing value": [str(counts["sharing-value"]), "0"],
    }
    assert counts["purpose-mismatch"] > 0  # near miss: not all zero


def test_each_family_says_its_guideline_and_principles() -> None:
    document = parse(dpup.check_files(BEFORE).to_html())
    families = document.find("section", "family")
    assert [s.find("h2")[0].text() for s in families] == [
        "Purpose mismatches",
        "Missing explanations",
        "Untraceable holders",
        "Sharing value",
    ]
    assert (
        families[0].find("p", "serves")[0].text()
        == "Purpose Matters Guideline; Principles: He Tāngata, Kaitiakitanga"
    )
    assert families[3].find("p", "serves")[0].text() == "Sharing Value Guideline; Principles: Mahitahitanga"


def test_an_accepted_finding_is_marked_with_who_and_why() -> None:
    a = dpup.load(AFTER)
    acc = dpup.Acceptance(code="ME008", subject="programme-findings", reason="counts <only>", by="Aroha & co")
    report = dpup.check(attrs.evolve(a, accepted=[acc]))
    document = parse(report.to_html())
    (article,) = findings_of(document)
    assert article.classes() == ["finding", "info", "accepted"]
    assert article.find("h3")[0].text() == "ME008 info (accepted): programme-findings"
    assert article.fields()["Accepted"] == "by Aroha & co: counts <only>"
    assert document.find("p", "summary")[0].text() == "1 finding: 0 errors, 0 warnings, 0 info, 1 accepted"
    severity, _ = document.find("table")
    assert [td.text() for td in severity.find("tr")[3].find("td")] == ["0", "1"]  # info: 0 open, 1 accepted
    verdict = parse(report.to_html(fail_on="info")).find("p", "verdict")[0]
    assert (
        verdict.text() == "Passes: no finding is open (the threshold: --fail-on info)."
    )  # accepted: not open
    open_ = parse(dpup.check(a).to_html(fail_on="info"))
    assert "Accepted" not in findings_of(open_)[0].fields()  # near miss: an open one is not
    assert open_.find("p", "verdict")[0].text() == "Fails: 1 finding is open (the threshold: --fail-on info)."


def test_select_says_what_it_left_out() -> None:
    code, _, document = page_of(str(BEFORE), "--select", "PM")
    assert code == EXIT_FINDINGS
    assert [n.text() for n in document.find("p", "note")] == [
        "26 findings of checks left out by --select not shown."
    ]
    assert {a.find("code")[0].text()[:2] for a in findings_of(document)} == {"PM"}
    _, _, document = page_of(str(BEFORE), "--ignore", "PM", "--select", "PM,SV")
    assert [n.text() for n in document.find("p", "note")] == [
        "39 findings of checks left out by --select and --ignore not shown."
    ]


# -- why it matters ---------------------------------------------------------------------------


def test_each_finding_links_to_why_its_check_matters() -> None:
    report = dpup.check_files(BEFORE)
    document = parse(report.to_html())
    about = document.find("section", "check")
    fired = [c for c in dpup.catalogue() if any(f.code == c.code for f in report)]
    assert [s.attrs["id"] for s in about] == [f"check-{c.code}" for c in fired]  # each once, in order
    for f, article in zip(report, findings_of(document), strict=True):
        (link,) = article.find("p", "why")[0].find("a")
        assert link.attrs["href"] == f"#check-{f.code}"
    pm004 = document.by_id("check-PM004")
    (check,) = (c for c in dpup.catalogue() if c.code == "PM004")
    assert check.law is not None
    assert pm004.find("h3")[0].text() == "PM004 identity-not-needed"
    terms = pm004.fields()
    assert terms["Severity"] == "error"
    assert terms["Guideline"] == "Purpose Matters"
    assert terms["Principles"] == "He Tāngata, Kaitiakitanga"
    assert terms["Privacy Act 2020"] == f"{check.law.ipp}, legal minimum: {check.law.note}"
    assert terms["What it finds"] == check.finds
    assert terms["How to fix it"] == check.remediation.replace("`", "")
    quotes = pm004.find("figure")
    assert len(quotes) == len(check.seeds) > 0
    for figure, seed in zip(quotes, check.seeds, strict=True):
        assert figure.find("blockquote")[0].text() == seed.quote
        assert figure.find("figcaption")[0].text() == f"— {seed.title} (seed {seed.doc}), {seed.section}"
    # its findings: how many, and a link to the first
    (back,) = pm004.find("p")[-1].find("a")
    first = next(i for i, f in enumerate(report, 1) if f.code == "PM004")
    assert back.attrs["href"] == f"#finding-{first}"
    assert pm004.find("p")[-1].text() == "Its findings in this report: 4."


def test_a_check_no_law_applies_to_says_so() -> None:
    plain = next(c for c in dpup.catalogue() if c.law is None)
    f = dpup.Finding(code=plain.code, family=plain.family, severity=plain.severity, subject="x")
    terms = parse(dpup.Report.of([f]).to_html()).by_id(f"check-{plain.code}").fields()
    assert terms["Privacy Act 2020"] == "none applies directly: this is DPUP's good practice"


def test_a_finding_of_no_check_in_the_catalogue_has_no_why() -> None:
    f = dpup.Finding(code="XX001", family="sharing-value", severity="warning", subject="x", message="m")
    document = parse(dpup.Report.of([f]).to_html())
    (article,) = findings_of(document)
    assert article.find("p", "why") == []
    assert document.find("section", "check") == []
    assert "about" not in [n.attrs.get("id") for n in document.iter()]
    assert "#about" not in [a.attrs["href"] for a in document.find("a")]
    assert document.find("p", "serves") == []  # made by hand: it cites no Guideline or Principles


# -- the page itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "report",
    [
        dpup.check_files(BEFORE),
        dpup.check_files(AFTER),
        dpup.Report.of([]),
    ],
    ids=["before", "after", "empty"],
)
def test_the_page_is_sound(report: dpup.Report) -> None:
    page = render_html(report, title="agreements/")
    sound(page)
    assert page == render_html(report, title="agreements/")  # the same every time: no clock


def sound(page: str) -> Node:
    """The page parsed, having checked it is one a browser reads as dpup means it: every
    element closed, headings in order, every link to an id on the page, nothing fetched, the
    sections labelled by their headings and listed in the table of contents, no time."""
    document = parse(page)  # every element closed, in order, and only dpup's
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-NZ">\n<head>\n<meta charset="utf-8">\n')
    assert page.endswith("</html>\n")
    # headings: one <h1>, and none a level below the one before it
    levels = [int(n.tag[1]) for n in document.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    # every id is one, and every link goes to one of them: nothing outside the page
    ids = [n.attrs["id"] for n in document.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    hrefs = [a.attrs["href"] or "" for a in document.find("a")]
    assert hrefs
    assert all(h.startswith("#") and h[1:] in ids for h in hrefs), hrefs
    for node in document.iter():  # nothing fetched: no source, style sheet or script
        assert not {"src", "srcset", "style", "background", "action"} & set(node.attrs)
    (style,) = document.find("style")
    assert "url(" not in style.text()
    assert "@import" not in style.text()
    assert "@media print" in style.text()
    # the labels of the sections are their headings
    for section in document.find("section"):
        if "check" in section.classes():  # within "About the checks": its link's target
            assert section.attrs["id"] == f"check-{section.find('code')[0].text()}"
            continue
        label = section.attrs["aria-labelledby"]
        assert label in ids
        assert section.find("h2")[0].attrs["id"] == label
    # the table of contents lists every section
    contents = [a.attrs["href"] for a in document.find("nav")[0].find("a")]
    sections = [
        f"#{s.attrs['aria-labelledby']}" for s in document.find("main")[0].children if isinstance(s, Node)
    ]
    assert contents == sections
    assert page.encode("utf-8")  # strict: nothing UTF-8 cannot hold
    assert not re.search(r"[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?\b", page)
    return document


def test_the_page_names_dpups_version_not_a_time() -> None:
    document = parse(dpup.check_files(AFTER).to_html())
    (meta,) = [m for m in document.find("meta") if m.attrs.get("name") == "generator"]
    assert meta.attrs["content"] == f"dpup {dpup.__version__}"
    assert f"dpup {dpup.__version__}" in document.find("footer")[0].text()
    assert "not legal advice" in document.find("footer")[0].text()


def test_report_to_html_is_the_commands_page() -> None:
    report = dpup.check_files(BEFORE)
    for argv, fail_on in (
        ((), "warning"),
        (("--fail-on", "error"), "error"),
        (("--fail-on", "never"), "never"),
    ):
        _, out, _ = page_of(str(BEFORE), *argv)
        checked = [dpup.load(BEFORE)]
        assert out == report.to_html(title=str(BEFORE), fail_on=fail_on, agreements=checked)
        assert out == render_html(report, title=str(BEFORE), fail_on=fail_on, agreements=checked)
    assert report.to_html(title=str(BEFORE)) != report.to_html(
        title=str(BEFORE), fail_on="never"
    )  # near miss
    assert dpup.render.render_html is render_html
    assert "render_html" in dpup.render.__all__


def test_a_directory_is_titled_with_how_many_agreements(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(BEFORE.read_bytes())
    (tmp_path / "b.yaml").write_bytes(AFTER.read_bytes())
    _, _, document = page_of(str(tmp_path))
    assert document.find("h1")[0].text() == f"dpup check: {tmp_path} (2 agreements)"


# -- files that do not load -------------------------------------------------------------------

BAD = "dpup: 1\nagreement: {id: a, title: T}\nflow: []\n"


def test_files_that_do_not_load_are_listed_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad <b>.yaml"
    bad.write_text(BAD, encoding="utf-8")
    code, out, err = run("check", "--format", "html", str(bad))
    assert code == EXIT_INVALID
    assert "unknown key 'flow'" in err  # on standard error, as ever
    document = parse(out)
    assert document.find("h1")[0].text() == f"dpup check: {bad}"
    verdict = document.find("p", "verdict")[0]
    assert verdict.classes() == ["verdict", "unchecked"]
    assert verdict.text() == (
        "Not checked: 1 problem in 1 file; dpup checks nothing until every file given loads."
    )
    (item,) = document.find("li")
    assert item.text() == err.splitlines()[0]
    assert item.text().startswith(f"{bad}:3: $.flow: unknown key 'flow'")
    assert document.find("article") == []


def test_problems_more_than_are_listed_and_no_title() -> None:
    try:
        dpup.loads(BAD)
    except dpup.AgreementError as e:
        problems = e.problems
    document = parse(problems_to_html(problems, omitted={"b.yaml": 1, "c\x1b.yaml": 2}))
    assert document.find("h1")[0].text() == "dpup check"
    assert document.find("p", "verdict")[0].text().startswith("Not checked: 4 problems in 2 files; ")
    assert [li.text() for li in document.find("li")][1:] == [
        "b.yaml: and 1 more problem, not listed",
        "c\\u001b.yaml: and 2 more problems, not listed",
    ]


def test_the_command_lists_a_file_with_too_many_problems(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    flows = "".join(f"  - {{id: f{i}, from: nowhere, to: nobody}}\n" for i in range(150))
    path.write_text(f"dpup: 1\nagreement: {{id: a, title: T}}\nflows:\n{flows}", encoding="utf-8")
    code, out, _ = run("check", "--format", "html", str(path))
    assert code == EXIT_INVALID
    items = [li.text() for li in parse(out).find("li")]
    assert len(items) == 101
    assert re.fullmatch(rf"{re.escape(str(path))}: and [0-9,]+ more problems, not listed", items[-1])


# -- writing it -------------------------------------------------------------------------------


def test_o_writes_the_page_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "review.html"
    code, printed, _ = run("check", "--format", "html", str(BEFORE))
    assert run("check", "--format", "html", str(BEFORE), "-o", str(path)) == (code, "", "")
    data = path.read_bytes()
    assert data == printed.encode("utf-8")
    assert "Tāngata".encode() in data  # as it is, not a character reference
    assert b"\r\n" not in data


def test_a_stream_that_is_not_utf8_gets_character_references(tmp_path: Path) -> None:
    bad = tmp_path / "whānau.yaml"
    bad.write_text(BAD, encoding="utf-8")
    for path, status in ((BEFORE, EXIT_FINDINGS), (bad, EXIT_INVALID)):
        code, written = ascii_run("check", "--format", "html", str(path))
        assert code == status
        assert "&#257;" in written  # ā
        assert "\\u0101" not in written  # not the stream's escape
        _, out, _ = run("check", "--format", "html", str(path))
        assert "ā" in out  # near miss: a UTF-8 stream gets it as it is
        assert parse(written).text() == parse(out).text()


def test_a_file_name_that_is_not_utf8_is_escaped(tmp_path: Path) -> None:
    latin1 = os.path.join(os.fsencode(tmp_path), b"caf\xe9.yaml")
    with open(latin1, "wb") as f:
        f.write(BEFORE.read_bytes())
    name = os.fsdecode(latin1)
    code, out, document = page_of(name)
    assert code == EXIT_FINDINGS
    assert out.encode("utf-8")  # strict: the lone surrogate is not in it
    shown = f"{tmp_path}/caf\\udce9.yaml"
    assert document.find("h1")[0].text() == f"dpup check: {shown}"
    assert findings_of(document)[0].fields()["Where"].startswith(f"{shown}:")


# -- escaping ---------------------------------------------------------------------------------

NASTY = [
    "<script>alert(1)</script>",
    "</article></section>",
    "<!--",
    "-->",
    "<![CDATA[x]]>",
    "&amp;",
    "&lt;",
    "&#0;",
    '" onmouseover="x',
    "'",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\x0c",
    "\x7f",
    "\x85",
    "\ud800",
    "\udce9",
    "\ufdd0",
    "\ufffe",
    "\U0010ffff",
    "\t\n",
    "é",
    "𝐀",
]

_hostile = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(st.characters(exclude_categories=()), max_size=4)), max_size=5
).map("".join)
"""Text an agreement or a file name may hold: any character, lone surrogates too (which stand
for the bytes of a file name that is not UTF-8)."""

_whole = _hostile.map(lambda t: re.sub("[\ud800-\udfff]", "", t))
"""Text an agreement may hold, which is whole Unicode characters (an acceptance refuses a lone
surrogate)."""


@settings(max_examples=80)
@given(
    code=_hostile,
    subject=_hostile,
    message=_hostile,
    remediation=_hostile.map(lambda t: t.replace("`", "")),
    path=st.lists(_hostile, max_size=3),
    file=_hostile,
    where=_hostile,
    by=_whole,
    reason=_whole,
    title=_hostile,
    guideline=_hostile,
)
def test_no_text_becomes_markup_and_all_of_it_comes_back(
    code: str,
    subject: str,
    message: str,
    remediation: str,
    path: list[str],
    file: str,
    where: str,
    by: str,
    reason: str,
    title: str,
    guideline: str,
) -> None:
    def finding(text: "dict[str, str]", path: list[str]) -> dpup.Finding:
        return dpup.Finding(
            code=text["code"],
            family="missing-explanation",
            severity="warning",
            subject=text["subject"],
            message=text["message"],
            remediation=text["remediation"],
            path=path,
            file=text["file"],
            where=text["where"],
            line=7,
            guideline=text["guideline"],
            principles=(text["guideline"], "P"),
            accepted=dpup.Acceptance(code="ME001", subject="s", by=text["by"], reason=text["reason"]),
        )

    texts = {
        "code": code,
        "subject": subject,
        "message": message,
        "remediation": remediation,
        "file": file,
        "where": where,
        "by": by,
        "reason": reason,
        "guideline": guideline,
    }
    f = finding(texts, path)
    page = render_html(dpup.Report.of([f]), title=title)
    page.encode("utf-8")  # strict: no lone surrogate
    document = parse(page)
    # the same elements, in the same order, as the page of a finding of plain words
    plain = finding(dict.fromkeys(texts, "x"), ["x"] * len(path))
    assert [n.tag for n in document.iter()] == [
        n.tag for n in parse(render_html(dpup.Report.of([plain]), title="x")).iter()
    ]
    # and every text as it was, but for what HTML must not hold, written as an escape
    (article,) = findings_of(document)
    assert article.find("h3")[0].text() == f"{visible(code)} warning (accepted): {visible(subject)}"
    expected = {
        "Where": visible(f"{file}:7: {where}"),
        "Finding": visible(message),
        **({"Path": visible(" → ".join(path))} if path else {}),
        "Fix": visible(remediation),
        "Accepted": visible(f"by {by}: {reason}"),
    }
    assert article.fields() == expected
    assert document.find("h1")[0].text() == (f"dpup check: {visible(title)}" if title else "dpup check")
    assert document.find("title")[0].text() == document.find("h1")[0].text()
    serves = (
        f"{guideline} Guideline; Principles: {guideline}, P" if guideline else f"Principles: {guideline}, P"
    )
    assert document.find("p", "serves")[0].text() == visible(serves)
    # nothing HTML forbids is left anywhere in the page
    assert visible(page) == page


def test_the_escapes_are_those_dpup_writes_to_a_terminal() -> None:
    f = dpup.Finding(
        code="XX001",
        family="sharing-value",
        severity="error",
        subject="a\x1eb",
        message="<&>\x00\r\n\t\x7f\x9f\ud83d\ufffe\U0001ffff",
        file="caf\udce9.yaml",
        where="$",
    )
    (article,) = findings_of(parse(dpup.Report.of([f]).to_html()))
    assert article.find("h3")[0].text() == "XX001 error: a\\u001eb"
    assert article.fields()["Finding"] == "<&>\\u0000\\u000d\n\t\\u007f\\u009f\\ud83d\\ufffe\\U0001ffff"
    assert article.fields()["Where"] == "caf\\udce9.yaml: $"


def test_code_marks_in_a_fix_are_code_and_a_lone_backtick_is_kept() -> None:
    def fix(text: str) -> Node:
        f = dpup.Finding(code="XX001", family="sharing-value", severity="info", subject="s", remediation=text)
        (article,) = findings_of(parse(dpup.Report.of([f]).to_html()))
        return next(dd for dd in article.find("dd") if dd.text() in (text, text.replace("`", "")))

    dd = fix("set `needs_identity: true` and `authority`")
    assert [c.text() for c in dd.find("code")] == ["needs_identity: true", "authority"]
    assert dd.text() == "set needs_identity: true and authority"
    dd = fix("a ` b `c` d")  # three: not pairs
    assert dd.find("code") == []
    assert dd.text() == "a ` b `c` d"
    dd = fix("`<b>`")
    assert [c.text() for c in dd.find("code")] == ["<b>"]


@settings(max_examples=10)
@given(agreement=agreements(max_flows=6))
def test_any_agreement_makes_a_sound_page(agreement: dpup.Agreement) -> None:
    report = dpup.check(agreement)
    document = parse(report.to_html(title=agreement.title))
    articles = findings_of(document)
    assert len(articles) == len(report)
    for f, article in zip(report, articles, strict=True):
        message = visible(f.message)  # backticks in pairs mark code, as in a fix
        assert article.fields()["Finding"] in (message, message.replace("`", ""))


def test_code_a_message_marks_is_shown_as_code() -> None:
    from importlib import resources

    starter = resources.files("dpup._private").joinpath("starter.yaml").read_text(encoding="utf-8")
    report = dpup.check(dpup.loads(starter)).filter(code="UH005")
    assert "`if_not_corrected`" in report[0].message  # the near miss: the text report keeps the marks
    (article,) = findings_of(parse(report.to_html()))
    finding = next(
        dd for dt, dd in zip(article.find("dt"), article.find("dd"), strict=True) if dt.text() == "Finding"
    )
    assert [c.text() for c in finding.find("code")] == ["if_not_corrected"]
    assert "`" not in finding.text()


def test_the_heading_lists_the_agreements_checked(tmp_path: Path) -> None:
    _, out, _ = page_of(str(BEFORE))
    document = parse(out)
    (table,) = document.find("table", "checked")
    assert table.find("caption")[0].text() == "Agreement checked"
    before = dpup.load(BEFORE)
    cells = [td.text() for td in table.find("td")]
    assert cells == [before.id, before.title, ", ".join(before.parties), ""]
    # a register: the first 20, and how many more; each title escaped
    agreements = [
        attrs.evolve(before, id=f"a-{i:02}", title=f"<b>Agreement {i}</b> & co", review_by=None)
        for i in range(23)
    ]
    page = render_html(dpup.check(before), agreements=agreements)
    (table,) = parse(page).find("table", "checked")
    assert table.find("caption")[0].text() == "Agreements checked (23)"
    assert len(table.find("tr")) == 1 + 20
    assert "<b>" not in page.split("<main>")[0].replace("<body>", "")
    assert "&lt;b&gt;Agreement 0&lt;/b&gt; &amp; co" in page
    assert "<p>and 3 more agreements.</p>" in page
    assert parse(render_html(dpup.check(before))).find("table", "checked") == []  # near miss: none given
