"""Markdown reports: their shape, escaping what agreements say, and the CLI's --format markdown."""

import attrs
import markdown as md  # Python-Markdown, to see what a Markdown renderer makes of the output

import dpup
from dpup.cli import EXIT_FINDINGS, EXIT_OK
from dpup.render.markdown import _escape, render_markdown
from tests.examples import AFTER, BEFORE, run

HOSTILE = "*bold* _it_ `code` [link](http://x) <script>x</script> a|b ~~gone~~ \\ end\nnext line"


def test_findings_are_grouped_by_family_each_a_list_item_with_its_fix() -> None:
    report = dpup.check(dpup.load(BEFORE))
    text = report.to_markdown(title="ccss.yaml")
    lines = text.splitlines()
    assert lines[:3] == ["## dpup check: ccss.yaml", "", report.summary()]
    assert [line for line in lines if line.startswith("### ")] == [
        "### Purpose mismatches",
        "### Missing explanations",
        "### Untraceable holders",
        "### Sharing value",
    ]
    items = [line.rstrip() for line in lines if line.startswith("- ")]
    assert items == [f"- **{f.code}** {f.severity.value}: {_escape(f.subject)}" for f in report]
    assert sum(line.startswith("  **fix:** ") for line in lines) == len(report)
    assert "  path: parents -> ccss -> agency.reporting -> agency.evaluation -> insights-ltd  " in lines
    assert "*Purpose Matters; He Tāngata, Kaitiakitanga*" in lines
    # every line of an item but its last ends with two spaces: a line break, not a new paragraph
    for i, line in enumerate(lines):
        if line.startswith(("- ", "  ")) and i + 1 < len(lines) and lines[i + 1].startswith("  "):
            assert line.endswith("  ")
    assert render_markdown(report) == report.to_markdown()
    assert render_markdown(report).splitlines()[0] == "## dpup check"


def test_what_an_agreement_says_cannot_become_markup() -> None:
    f = dpup.Finding(
        code="SV002",
        family="sharing-value",
        severity="warning",
        subject=HOSTILE,
        message=HOSTILE,
        remediation="Record it under `engagement` for " + HOSTILE.replace("`", ""),
        path=("a_b", "c*d"),
    )
    text = render_markdown(dpup.Report.of([f]))
    assert (
        "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](http://x) &lt;script>x&lt;/script> a&#124;b &#126;&#126;gone&#126;&#126; \\\\ end next line"
        in text
    )
    assert "**fix:** Record it under `engagement` for \\*bold\\*" in text  # dpup's own code marks kept
    assert "path: a\\_b -> c\\*d" in text
    assert "\nnext line" not in text
    assert "*; *" not in text  # a finding made by hand cites no Guideline: no empty line for it


def test_rendered_html_has_no_markup_from_the_agreement() -> None:
    f = dpup.Finding(
        code="SV002", family="sharing-value", severity="warning", subject=HOSTILE, message=HOSTILE
    )
    html = md.markdown(render_markdown(dpup.Report.of([f])))
    for tag in ("<em>", "<a ", "<script>", "<del>", "<code>code"):
        assert tag not in html
    assert "*bold*" in html
    assert "&lt;script&gt;" in html
    assert "a&#124;b &#126;&#126;gone&#126;&#126;" in html  # a browser shows a|b ~~gone~~
    assert "\\|" not in html  # Python-Markdown keeps a backslash before | and ~
    assert "\\~" not in html


def test_an_accepted_finding_says_so() -> None:
    a = dpup.load(AFTER)
    acc = dpup.Acceptance(code="ME008", subject="programme-findings", reason="counts *only*", by="Aroha")
    text = dpup.check(attrs.evolve(a, accepted=[acc])).to_markdown()
    assert "- **ME008** info (accepted): programme-findings  " in text.splitlines()
    assert "  accepted by Aroha: counts \\*only\\*" in text.splitlines()


def test_the_cli_writes_markdown_with_its_verdict() -> None:
    code, out, err = run("check", "--format", "markdown", str(BEFORE))
    assert (code, err) == (EXIT_FINDINGS, "")
    lines = out.splitlines()
    assert lines[0] == f"## dpup check: {_escape(str(BEFORE))}"
    assert lines[-1] == "**Fails** at `--fail-on warning`."
    assert f"  at {_escape(str(BEFORE))}:106: $.flows\\[6\\]  " in lines  # located, as text is
    code, out, _ = run("check", "--format", "markdown", str(AFTER))
    assert code == EXIT_OK
    assert out.splitlines()[-1] == "**Passes** at `--fail-on warning`."


def test_files_that_do_not_load_as_markdown_with_no_title_have_the_plain_heading() -> None:
    from dpup.render.markdown import problems_to_markdown

    try:
        dpup.loads("dpup: 1\nagreement: {id: a, title: T}\nflow: []\n")
    except dpup.AgreementError as e:
        problems = e.problems
    text = problems_to_markdown(problems)
    assert text.startswith("## dpup check\n\n**Not checked**: 1 problem; dpup checks nothing")
    # near miss: a title is written after the command, escaped
    assert problems_to_markdown(problems, title="a_b.yaml").startswith("## dpup check: a\\_b.yaml\n\n")
    # files with more problems than are listed: one more is one problem, two are problems
    lines = problems_to_markdown(problems, omitted={"b.yaml": 1, "c.yaml": 2}).splitlines()
    assert (
        lines[2]
        == "**Not checked**: 4 problems in 2 files; dpup checks nothing until every file given loads."
    )
    assert lines[-2:] == [
        "- b.yaml: and 1 more problem, not listed",
        "- c.yaml: and 2 more problems, not listed",
    ]
