"""HTML reports: a page of its own, to open in a browser, attach to an email or print.

``dpup check --format html`` writes it for the people a draft's review goes to who do not run
dpup or read CI logs. It is one file: UTF-8, its style inline, no script, and nothing fetched
from anywhere (no font, image or style sheet), so it reads the same offline, in a mail reader
and on paper. It is the same for the same findings: it names dpup's version, never a time.

The page has a heading naming what was checked, the verdict at ``--fail-on``, the summary
and a table of contents; the counts by severity and by family; each family's findings (its
title, Guideline and Principles, then each finding's code, severity, subject, where it is,
message, path, fix and acceptance); and last, "About the checks": each check that found
something, once, with the Guideline and Principles it serves, the Privacy Act 2020 principle
behind it and whether it asks for the legal minimum or good practice, what it finds, the
words of the DPUP documents it rests on and how to fix what it finds. Each finding links to
its check's entry there ("Why this matters"): the reasons are the same for every finding of a
check, so a report of thousands of findings carries them once per check rather than once per
finding, and a printout has them in full, where a closed ``<details>`` would not print.

Everything taken from an agreement or a file name is escaped: ``&``, ``<`` and ``>`` as
character references, and the characters HTML must not hold (control characters other than
tab and line feed, lone surrogates, which stand for the bytes of a file name that is not
UTF-8, and noncharacters) as visible escapes, ``\\u001b``, as ``dpup check`` writes control
characters to a terminal. So no draft can add markup to the page, and the page is always one
a browser reads without error.

This module is :mod:`dpup.render.html`; :mod:`dpup._private.html` is the table Jupyter shows
for a report (:meth:`~dpup.Report._repr_html_`).
"""

import functools
import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from dpup.checks import Check, catalogue
from dpup.render.text import _TITLES
from dpup.report import Family, Finding, Report, Severity, threshold_of

if TYPE_CHECKING:
    from dpup.compare import Comparison
    from dpup.errors import Problem
    from dpup.model import Agreement

__all__ = ["problems_to_html", "render_comparison_html", "render_html"]


@functools.cache
def _not_html() -> "re.Pattern[str]":
    """What a page must not hold as it is: control characters but tab and line feed (the
    characters ``dpup check`` escapes for a terminal; HTML forbids the rest of C0 and C1, and
    reads a carriage return as a line feed), lone surrogates (which UTF-8 cannot encode) and
    noncharacters (compiled when first needed)."""
    nonchars = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    return re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{nonchars}]")


def _visible(m: "re.Match[str]") -> str:
    """A character the page must not hold, as its escape: ``\\u001b``, or ``\\U0001fffe`` past
    the Basic Multilingual Plane."""
    n = ord(m[0])
    return f"\\u{n:04x}" if n <= 0xFFFF else f"\\U{n:08x}"


def _e(text: str) -> str:
    """``text`` as the content of an element: what HTML must not hold as visible escapes, then
    ``&``, ``<`` and ``>`` as character references. (Nothing taken from an agreement is ever
    written in an attribute, so quotes stay as they are.)"""
    return html.escape(_not_html().sub(_visible, text), quote=False)


def _marked(text: str) -> str:
    """``text`` escaped, and what it marks as code with backticks in pairs (dpup's own fix
    texts do: `` `purposes` ``) as ``<code>``; a lone backtick is written as it is."""
    escaped = _e(text)
    parts = escaped.split("`")
    if len(parts) < 3 or len(parts) % 2 == 0:
        return escaped
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


_STYLE = """\
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
line-height:1.5;color:#1a1a1a;background:#fff;max-width:54em;margin:0 auto;padding:1em 1.25em}
h1{font-size:1.6em;line-height:1.25}
h1,h2,h3,dd,li,td{overflow-wrap:anywhere}
h2{font-size:1.3em;border-bottom:1px solid #bbb;margin-top:2em}
h3{font-size:1.05em;margin:0 0 .25em}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
a{color:#0b4f9c}
.verdict{font-size:1.15em;padding:.5em .75em;border:2px solid #444;background:#f4f4f4}
.verdict.fails,.verdict.unchecked{border-color:#a4161a;background:#fdecea}
.verdict.passes{border-color:#1e6b34;background:#eaf6ec}
.note{font-style:italic}
table{border-collapse:collapse;margin:.5em 1.5em 1em 0;display:inline-table;vertical-align:top}
caption{font-weight:600;text-align:left}
th,td{border:1px solid #bbb;padding:.15em .6em;text-align:left}
td.n{text-align:right}
.serves{color:#333}
.finding{border-left:.4em solid #767676;padding:.25em 0 .25em .75em;margin:1.25em 0}
.finding.error{border-left-color:#a4161a}
.finding.warning{border-left-color:#a35200}
.finding.info{border-left-color:#1d4f91}
.finding.accepted{border-left-style:dashed}
.severity{padding:0 .35em;border:1px solid;border-radius:.25em;font-size:.9em}
.severity.error{color:#8a1116;background:#fdecea}
.severity.warning{color:#6b3500;background:#fff1dc}
.severity.info{color:#173f73;background:#e8f0fb}
dl{margin:.25em 0}
dt{font-weight:600;color:#333;float:left;clear:left;width:6.5em}
dd{margin:0 0 .15em 7em}
.check dt{width:9.5em}
.check dd{margin-left:10em}
blockquote{margin:.25em 0 0;padding-left:.75em;border-left:3px solid #bbb}
figure{margin:0 0 .75em}
.why{margin:.25em 0 0}
footer{margin-top:3em;border-top:1px solid #bbb;color:#333;font-size:.9em}
@media print{body{max-width:none;font-size:10pt;padding:0}nav{display:none}
a{color:inherit;text-decoration:none}.finding,figure{break-inside:avoid}
h2,h3{break-after:avoid}}
"""
"""The page's style. The page reads without it too (it is headings, lists and tables, in
order); with it, text is dark on light, at a contrast of at least 8:1 (WCAG AAA asks 7:1), and
the coloured borders at least 4.5:1; a severity is said in words as well as in colour; and
printed, the page has no table of contents and splits no finding across pages."""


def _page(heading: str, body: list[str], *, ascii: bool) -> str:
    """A whole page: ``heading`` (escaped already) its title, ``body`` (the lines of
    ``<body>``, escaped already) and a footer naming dpup's version."""
    from dpup import __version__  # as sarif does: dpup sets it after importing the renderers

    out = [
        "<!DOCTYPE html>",
        '<html lang="en-NZ">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="dpup {_e(__version__)}">',
        f"<title>{heading}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        *body,
        "<footer>",
        f"<p>Written by dpup {_e(__version__)}, which checks data-sharing agreements against "
        "New Zealand's Data Protection and Use Policy (DPUP). It checks them against good "
        "practice: what it reports is not legal advice.</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    page = "\n".join(out) + "\n"
    if ascii:  # a character reference stands for anything past ASCII
        page = page.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return page


def _heading(title: str | None, command: str = "check") -> str:
    return f"dpup {command}: {_e(title)}" if title else f"dpup {command}"


def _threshold(fail_on: str | Severity | None) -> str:
    threshold = threshold_of(fail_on, "fail_on")
    return "never" if threshold is None else threshold.value


_REACHING: Mapping[str, tuple[str, str, str]] = {
    "error": (
        "1 {new}open finding is an error",
        "{n} {new}open findings are errors",
        "no {new}open finding is an error",
    ),
    "warning": (
        "1 {new}open finding is a warning or an error",
        "{n} {new}open findings are warnings or errors",
        "no {new}open finding is a warning or an error",
    ),
    "info": ("1 {new}finding is open", "{n} {new}findings are open", "no {new}finding is open"),
}
"""What reaching each threshold means, in words: for one finding, several, none (``{new}``,
"new " in a comparison, whose verdict is of the new findings only)."""


def _verdict(report: Report, fail_on: str | Severity | None, *, new: bool = False) -> str:
    """The verdict at ``fail_on``, in words first, then the option that set the threshold;
    ``new``, of a comparison's new findings (``report``)."""
    threshold = _threshold(fail_on)
    at = f"(the threshold: <code>--fail-on {threshold}</code>)"
    if threshold == "never":
        return f'<p class="verdict passes"><strong>Passes</strong>: no finding fails it {at}.</p>'
    rank = Severity(threshold).rank
    reaching = sum(f.severity.rank >= rank for f in report.open())
    one, many, none = (words.replace("{new}", "new " if new else "") for words in _REACHING[threshold])
    if not reaching:
        return f'<p class="verdict passes"><strong>Passes</strong>: {none} {at}.</p>'
    which = one if reaching == 1 else many.format(n=f"{reaching:,}")
    return f'<p class="verdict fails"><strong>Fails</strong>: {which} {at}.</p>'


AGREEMENTS_LISTED = 20
"""How many of the agreements checked the page's heading lists (a register's are thousands)."""


def _checked(agreements: "Sequence[Agreement]") -> list[str]:
    """The table of the agreements checked: each one's id, title, parties and review date."""
    if not agreements:
        return []
    rows = []
    for a in agreements[:AGREEMENTS_LISTED]:
        review = a.review_by.isoformat() if a.review_by is not None else ""
        rows.append(
            f"<tr><td><code>{_e(a.id)}</code></td><td>{_e(a.title)}</td>"
            f"<td>{_e(', '.join(a.parties))}</td><td>{review}</td></tr>"
        )
    more = len(agreements) - len(rows)
    caption = "Agreement checked" if len(agreements) == 1 else f"Agreements checked ({len(agreements):,})"
    return [
        '<table class="checked">',
        f"<caption>{caption}</caption>",
        "<tr><th>Id</th><th>Title</th><th>Parties</th><th>Review by</th></tr>",
        *rows,
        "</table>",
        *([f"<p>and {_plural(more, 'more agreement')}.</p>"] if more else []),
    ]


def _counts(report: Report) -> list[str]:
    """The summary's tables: open and accepted findings by severity, and by family."""
    by_severity: Counter[tuple[str, bool]] = Counter()
    by_family: Counter[tuple[Family, bool]] = Counter()
    for f in report:
        by_severity[(f.severity.value, f.accepted is not None)] += 1
        by_family[(f.family, f.accepted is not None)] += 1
    head = '<thead><tr><th scope="col">{}</th><th scope="col">Open</th><th scope="col">Accepted</th></tr></thead>'
    out = ["<table>", "<caption>By severity</caption>", head.format("Severity"), "<tbody>"]
    for s in Severity:
        out.append(
            f'<tr><th scope="row">{s.value}</th><td class="n">{by_severity[(s.value, False)]:,}</td>'
            f'<td class="n">{by_severity[(s.value, True)]:,}</td></tr>'
        )
    out += [
        "</tbody>",
        "</table>",
        "<table>",
        "<caption>By family</caption>",
        head.format("Family"),
        "<tbody>",
    ]
    for family in Family:
        name = _TITLES[family]
        if by_family[(family, False)] or by_family[(family, True)]:
            name = f'<a href="#{family.value}">{name}</a>'
        out.append(
            f'<tr><th scope="row">{name}</th><td class="n">{by_family[(family, False)]:,}</td>'
            f'<td class="n">{by_family[(family, True)]:,}</td></tr>'
        )
    out += ["</tbody>", "</table>"]
    return out


def _classes(f: Finding) -> str:
    """A finding's classes: ``finding``, its severity and whether it is accepted."""
    return f"finding {f.severity.value}" + (" accepted" if f.accepted is not None else "")


def _named(f: Finding) -> str:
    """A finding's code, severity in words (and whether it is accepted) and subject: the
    heading of its ``<article>``, or a line of its own."""
    state = f.severity.value if f.accepted is None else f"{f.severity.value} (accepted)"
    return (
        f'<code>{_e(f.code)}</code> <span class="severity {f.severity.value}">{state}</span>: {_e(f.subject)}'
    )


def _finding(f: Finding, n: int, checks: Mapping[str, Check]) -> list[str]:
    """A finding as an ``<article>``: its heading (code, severity in words, subject), then
    where, what, path, fix and acceptance, and a link to its check in "About the checks"."""
    out = [f'<article class="{_classes(f)}" id="finding-{n}">', f"<h3>{_named(f)}</h3>", "<dl>"]
    if f.location is not None:
        out.append(f"<dt>Where</dt><dd>{_e(f.location)}</dd>")
    out.append(f"<dt>Finding</dt><dd>{_marked(f.message)}</dd>")
    if f.path:
        out.append(f"<dt>Path</dt><dd>{_e(' → '.join(f.path))}</dd>")
    out.append(f"<dt>Fix</dt><dd>{_marked(f.remediation)}</dd>")
    if f.accepted is not None:
        out.append(f"<dt>Accepted</dt><dd>by {_e(f.accepted.by)}: {_e(f.accepted.reason)}</dd>")
    out.append("</dl>")
    check = checks.get(f.code)
    if check is not None:
        out.append(
            f'<p class="why"><a href="#check-{check.code}">Why this matters: {check.code} {_e(check.name)}</a></p>'
        )
    out.append("</article>")
    return out


def _about(
    c: Check, found: int, first: int, which: str = "findings", within: str = "this report"
) -> list[str]:
    """A check's entry in "About the checks": what it serves, the law behind it, what it
    finds, the DPUP text it rests on and how to fix it, and how many of its findings
    (``which``, "new findings" in a comparison) are ``within`` the page, with a link to the
    first."""
    if c.law is None:
        law = "none applies directly: this is DPUP's good practice"
    else:
        law = f"{_e(c.law.ipp)}, <strong>{_e(c.law.level)}</strong>: {_e(c.law.note)}"
    out = [
        f'<section class="check" id="check-{c.code}">',
        f"<h3><code>{c.code}</code> {_e(c.name)}</h3>",
        "<dl>",
        f'<dt>Severity</dt><dd><span class="severity {c.severity.value}">{c.severity.value}</span></dd>',
        f"<dt>Guideline</dt><dd>{_e(c.guideline)}</dd>",
        f"<dt>Principles</dt><dd>{_e(', '.join(c.principles))}</dd>",
        f"<dt>Privacy Act 2020</dt><dd>{law}</dd>",
        f"<dt>What it finds</dt><dd>{_marked(c.finds)}</dd>",
        "<dt>What it rests on</dt><dd>",
    ]
    for seed in c.seeds:
        out += [
            "<figure>",
            f"<blockquote><p>{_e(seed.quote)}</p></blockquote>",
            f"<figcaption>— <cite>{_e(seed.title)}</cite> (seed {_e(seed.doc)}), {_e(seed.section)}</figcaption>",
            "</figure>",
        ]
    out += [
        "</dd>",
        f"<dt>How to fix it</dt><dd>{_marked(c.remediation)}</dd>",
        "</dl>",
        f'<p><a href="#finding-{first}">Its {which}</a> in {within}: {found:,}.</p>',
        "</section>",
    ]
    return out


def render_html(
    report: Report,
    *,
    title: str | None = None,
    fail_on: str | Severity | None = "warning",
    note: str | None = None,
    ascii: bool = False,
    agreements: "Sequence[Agreement]" = (),
) -> str:
    """The report as a web page of its own, to open in a browser, attach to an email or print.

    The page names what was checked, gives the verdict at ``fail_on`` and the summary, a
    table of contents and the counts by severity and by family, then each family's findings:
    each with its code, severity (in words), subject, where it is, message, the path its
    information took, how to fix it and, for an accepted finding, who accepted it and why.
    Each links to its check's entry under "About the checks", at the end, which says once for
    every check that found something why it matters: the Guideline and Principles, the Privacy
    Act 2020 principle and whether the check asks for the legal minimum or good practice, and
    the words of the DPUP documents it rests on. Everything taken from an agreement or a file
    name is escaped; see :mod:`dpup.render.html`.

    Parameters
    ----------
    report : Report
    title : str, optional
        What was checked, for the heading (``dpup check`` gives the files).
    fail_on : str or Severity or None
        The threshold of the verdict: ``"error"``, ``"warning"`` (the default, as ``dpup
        check``'s), ``"info"``, or ``"never"`` or ``None``, which nothing fails.
    note : str, optional
        A sentence to show under the summary: ``dpup check`` says there how many findings
        ``--select`` and ``--ignore`` left out.
    ascii : bool
        Write every character past ASCII as a character reference (``&#257;``), for a stream
        that cannot hold it as it is; the page reads the same.
    agreements : sequence of Agreement
        The agreements checked, for a table under the heading of each one's id, title, parties
        and review date (the first :data:`AGREEMENTS_LISTED` of more), so that a reader who
        did not run dpup knows what the page is about.

    Returns
    -------
    str
        The page, as UTF-8 text: it says so (``<meta charset="utf-8">``), so write it to a
        file in UTF-8.

    Examples
    --------
    >>> import dpup
    >>> page = render_html(dpup.check(dpup.examples.load("best-foot-forward")), title="ccss.yaml")
    >>> print(page.splitlines()[6])
    <title>dpup check: ccss.yaml</title>
    >>> print(next(line for line in page.splitlines() if 'class="verdict' in line))
    <p class="verdict passes"><strong>Passes</strong>: no open finding is a warning or an error (the threshold: <code>--fail-on warning</code>).</p>
    >>> print(next(line for line in page.splitlines() if line.startswith("<h3><code>ME")))
    <h3><code>ME008</code> <span class="severity info">info</span>: programme-findings</h3>
    >>> '<section class="check" id="check-ME008">' in page
    True
    """
    threshold_of(fail_on, "fail_on")  # a threshold that is none is refused here, as by report.fails
    checks = {c.code: c for c in catalogue()}
    families = report.by_family()  # in the report's order: it is sorted by family first
    about = any(f.code in checks for f in report)
    heading = _heading(title)
    body = [
        "<header>",
        f"<h1>{heading}</h1>",
        *_checked(agreements),
        _verdict(report, fail_on),
        f'<p class="summary">{_e(report.summary())}</p>',
        *([f'<p class="note">{_e(note)}</p>'] if note else []),
        "</header>",
        '<nav aria-labelledby="contents">',
        '<h2 id="contents">Contents</h2>',
        "<ol>",
        '<li><a href="#summary">Summary</a></li>',
        *(
            f'<li><a href="#{family.value}">{_TITLES[family]}</a> ({len(findings):,})</li>'
            for family, findings in families.items()
        ),
        *(['<li><a href="#about">About the checks</a></li>'] if about else []),
        "</ol>",
        "</nav>",
        "<main>",
        '<section aria-labelledby="summary">',
        '<h2 id="summary">Summary</h2>',
        *([] if report else ["<p>No findings.</p>"]),
        *_counts(report),
        "</section>",
    ]
    fired: dict[str, tuple[int, int]] = {}  # a check's code -> how many findings, the first's number
    n = 0
    for family, findings in families.items():
        body += [
            f'<section class="family" aria-labelledby="{family.value}">',
            f'<h2 id="{family.value}">{_TITLES[family]}</h2>',
        ]
        serves = [f"{_e(findings[0].guideline)} Guideline"] if findings[0].guideline else []
        serves += [f"Principles: {_e(', '.join(findings[0].principles))}"] if findings[0].principles else []
        if serves:  # a finding made by hand may cite neither
            body.append(f'<p class="serves">{"; ".join(serves)}</p>')
        n = _findings(findings, n, checks, fired, body)
        body.append("</section>")
    if about:
        body += _about_checks(checks, fired, "Each check that found something", "findings", "this report")
    body.append("</main>")
    return _page(heading, body, ascii=ascii)


def _findings(
    findings: Iterable[Finding],
    n: int,
    checks: Mapping[str, Check],
    fired: dict[str, tuple[int, int]],
    body: list[str],
) -> int:
    """Add each finding's ``<article>`` to ``body``, numbered on from ``n``, and count it for
    its check in ``fired`` (a check's code -> how many findings, the first's number); give
    the last number."""
    for f in findings:
        n += 1
        body += _finding(f, n, checks)
        if f.code in checks:
            found, first = fired.get(f.code, (0, n))
            fired[f.code] = (found + 1, first)
    return n


def _about_checks(
    checks: Mapping[str, Check], fired: Mapping[str, tuple[int, int]], each: str, which: str, within: str
) -> list[str]:
    """The section "About the checks": ``each`` (which checks it has), then each check in
    ``fired``, in the catalogue's order (by family, then code), with how many of its
    findings (``which``) are ``within`` the page."""
    out = [
        '<section aria-labelledby="about">',
        '<h2 id="about">About the checks</h2>',
        f"<p>{each}, once: why what it finds matters, and how to fix it.</p>",
    ]
    for code, check in checks.items():
        if code in fired:
            out += _about(check, *fired[code], which, within)
    out.append("</section>")
    return out


_COMPARED = (("new", "New"), ("fixed", "Fixed"), ("still-open", "Still open"))
"""The sections of a comparison's page: each one's id and heading."""


def render_comparison_html(
    comparison: "Comparison",
    *,
    title: str | None = None,
    fail_on: str | Severity | None = "warning",
    note: str | None = None,
    ascii: bool = False,
) -> str:
    """A comparison of two drafts as a web page of its own, as ``dpup compare --format html``
    writes it: the page :func:`render_html` writes for a report, for a revision.

    The page names the two drafts, gives the verdict at ``fail_on`` (of the *new* findings
    only, as :meth:`Comparison.fails <dpup.Comparison.fails>` decides it), the summary and
    the counts; then the new findings, each in full as :func:`render_html` shows one, with
    its link to why its check matters; the fixed ones, each with where it was (in the earlier
    draft) and what it said; the ones still open, a line each (code, severity, subject and
    where); and "About the checks" for each check with a new finding. It is one UTF-8 file,
    with no script and nothing fetched, and everything taken from an agreement or a file name
    is escaped, as :func:`render_html`'s page is.

    Parameters
    ----------
    comparison : Comparison
    title : str, optional
        The two drafts, for the heading (``dpup compare`` gives ``BEFORE -> AFTER``).
    fail_on : str or Severity or None
        The threshold of the verdict, for new findings: ``"error"``, ``"warning"`` (the
        default, as ``dpup compare``'s), ``"info"``, or ``"never"`` or ``None``.
    note : str, optional
        A sentence to show under the summary (``dpup compare`` says there what ``--select``
        and ``--ignore`` left out).
    ascii : bool
        Write every character past ASCII as a character reference.

    Returns
    -------
    str
        The page, as UTF-8 text.

    Examples
    --------
    >>> import dpup
    >>> before = dpup.check(dpup.examples.load("best-foot-forward-before"))
    >>> after = dpup.check(dpup.examples.load("best-foot-forward"))
    >>> page = render_comparison_html(dpup.compare(before, after), title="before.yaml -> after.yaml")
    >>> print(page.splitlines()[6])
    <title>dpup compare: before.yaml -&gt; after.yaml</title>
    >>> print(next(line for line in page.splitlines() if 'class="verdict' in line))
    <p class="verdict passes"><strong>Passes</strong>: no new open finding is a warning or an error (the threshold: <code>--fail-on warning</code>).</p>
    >>> print(next(line for line in page.splitlines() if line.startswith('<p class="summary">')))
    <p class="summary">42 fixed, 1 new, 0 still open</p>
    """
    threshold_of(fail_on, "fail_on")  # a threshold that is none is refused here, as by comparison.fails
    checks = {c.code: c for c in catalogue()}
    sections = {"new": comparison.new, "fixed": comparison.fixed, "still-open": comparison.remaining}
    about = any(f.code in checks for f in comparison.new)
    heading = _heading(title, "compare")
    body = [
        "<header>",
        f"<h1>{heading}</h1>",
        _verdict(comparison.new, fail_on, new=True),
        f'<p class="summary">{_e(comparison.summary())}</p>',
        *([f'<p class="note">{_e(note)}</p>'] if note else []),
        "</header>",
        '<nav aria-labelledby="contents">',
        '<h2 id="contents">Contents</h2>',
        "<ol>",
        '<li><a href="#summary">Summary</a></li>',
        *(f'<li><a href="#{key}">{name}</a> ({len(sections[key]):,})</li>' for key, name in _COMPARED),
        *(['<li><a href="#about">About the checks</a></li>'] if about else []),
        "</ol>",
        "</nav>",
        "<main>",
        '<section aria-labelledby="summary">',
        '<h2 id="summary">Summary</h2>',
        "<table>",
        "<caption>Findings</caption>",
        '<thead><tr><th scope="col">Which</th>',
        *(f'<th scope="col">{s.value}</th>' for s in Severity),
        '<th scope="col">All</th></tr></thead>',
        "<tbody>",
    ]
    for key, name in _COMPARED:
        by_severity = Counter(f.severity for f in sections[key])
        body += [
            f'<tr><th scope="row"><a href="#{key}">{name}</a></th>',
            *(f'<td class="n">{by_severity[s]:,}</td>' for s in Severity),
            f'<td class="n">{len(sections[key]):,}</td></tr>',
        ]
    body += ["</tbody>", "</table>", "</section>"]
    fired: dict[str, tuple[int, int]] = {}
    for key, name in _COMPARED:
        findings = sections[key]
        body += [f'<section class="compared" aria-labelledby="{key}">', f'<h2 id="{key}">{name}</h2>']
        if not findings:
            body.append("<p>None.</p>")
        elif key == "new":
            _findings(findings, 0, checks, fired, body)
        elif key == "fixed":
            for n, f in enumerate(findings, 1):
                body += [f'<article class="{_classes(f)}" id="fixed-{n}">', f"<h3>{_named(f)}</h3>", "<dl>"]
                if f.location is not None:
                    body.append(f"<dt>Where</dt><dd>{_e(f.location)}</dd>")
                body += [f"<dt>Finding</dt><dd>{_marked(f.message)}</dd>", "</dl>", "</article>"]
        else:
            body.append('<ul class="open">')
            for f in findings:
                where = f" ({_e(f.location)})" if f.location is not None else ""
                body.append(f"<li>{_named(f)}{where}</li>")
            body.append("</ul>")
        body.append("</section>")
    if about:
        body += _about_checks(
            checks, fired, "Each check with a new finding", "new findings", "this comparison"
        )
    body.append("</main>")
    return _page(heading, body, ascii=ascii)


def problems_to_html(
    problems: "Sequence[Problem]",
    *,
    omitted: Mapping[str, int] | None = None,
    title: str | None = None,
    ascii: bool = False,
    command: str = "check",
) -> str:
    """Files that did not load, as a web page: what ``dpup check --format html`` (and ``dpup
    compare``) writes instead of findings (and exits 2), so the page sent round says why
    nothing was checked.

    Parameters
    ----------
    problems : sequence of Problem
        The load errors, each listed as it is printed (``file:line: $.path: ...``).
    omitted : mapping of str to int, optional
        For each file with more problems than are listed, how many more.
    title : str, optional
        What was checked, for the heading.
    ascii : bool
        Write every character past ASCII as a character reference.
    command : str
        The command whose page it is, for the heading: ``"check"`` or ``"compare"``.

    Examples
    --------
    >>> import dpup
    >>> try:
    ...     dpup.loads("dpup: 1\\nagreement: {id: a, title: T}\\nflow: []\\n")
    ... except dpup.AgreementError as e:
    ...     page = problems_to_html(e.problems, title="a.yaml")
    >>> print(page.splitlines()[6])
    <title>dpup check: a.yaml</title>
    >>> print(next(line for line in page.splitlines() if 'class="verdict' in line))
    <p class="verdict unchecked"><strong>Not checked</strong>: 1 problem; dpup checks nothing until every file given loads.</p>
    >>> print(next(line for line in page.splitlines() if line.startswith("<li>")))  # doctest: +ELLIPSIS
    <li>line 3: $.flow: unknown key 'flow' in an agreement file (expected ...); did you mean 'flows'?</li>
    """
    more = dict(omitted or {})
    n = len(problems) + sum(more.values())
    files = {p.file for p in problems if p.file is not None} | set(more)
    where = f" in {_plural(len(files), 'file')}" if files else ""
    heading = _heading(title, command)
    body = [
        "<header>",
        f"<h1>{heading}</h1>",
        f'<p class="verdict unchecked"><strong>Not checked</strong>: {_plural(n, "problem")}{where}; dpup checks '
        "nothing until every file given loads.</p>",
        "</header>",
        "<main>",
        '<section aria-labelledby="problems">',
        '<h2 id="problems">Problems</h2>',
        "<ul>",
        *(f"<li>{_e(str(p))}</li>" for p in problems),
        *(f"<li>{_e(file)}: and {_plural(k, 'more problem')}, not listed</li>" for file, k in more.items()),
        "</ul>",
        "</section>",
        "</main>",
    ]
    return _page(heading, body, ascii=ascii)
