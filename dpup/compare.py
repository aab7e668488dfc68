"""Comparing two drafts: which findings a revision fixed, which it brought, which remain.

A contract team negotiating an agreement checks each draft; what they want to know of a
revision is what it changed in DPUP's terms. :func:`compare` matches the findings of two
reports as :attr:`Finding.fingerprint <dpup.Finding.fingerprint>` does (code, agreement,
subject and related ids), so rewording, reordering or moving a declaration in the file does
not make a finding look new.
"""

import json
from collections import Counter
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

import attrs
import networkx as nx

from dpup.checks import check
from dpup.model import Agreement
from dpup.report import Finding, Report, Severity

__all__ = ["Comparison", "compare"]


@attrs.frozen(kw_only=True)
class Comparison:
    """What changed between the findings of two drafts: see :func:`compare`.

    Parameters
    ----------
    fixed : Report
        The findings of the earlier draft that the later one no longer has.
    new : Report
        The findings of the later draft that the earlier one did not have.
    remaining : Report
        The findings of the later draft that the earlier one had too.
    by_agreement : bool
        Whether findings were matched with the agreement they are in (``False`` when two
        versions of one agreement were compared, whatever their ids).
    """

    fixed: Report
    new: Report
    remaining: Report
    by_agreement: bool = True

    def fails(self, threshold: str | Severity | None = "warning") -> bool:
        """Whether a *new* open finding is at or above ``threshold`` (a severity, or
        ``"never"``/``None``): a revision that brings no new problem passes, however many it
        leaves to fix."""
        return self.new.fails(threshold)

    def filter(
        self, predicate: Callable[[Finding], object] | None = None, /, **criteria: Any
    ) -> "Comparison":
        """The comparison of only the findings that meet every criterion given, fixed, new and
        remaining alike, as :meth:`Report.filter <dpup.Report.filter>` takes them (and raises
        for): what ``dpup compare --select`` compares.

        Examples
        --------
        >>> import dpup
        >>> before = dpup.examples.load("best-foot-forward-before")
        >>> dpup.compare(before, dpup.examples.load("best-foot-forward")).filter(code="PM004").summary()
        '4 fixed, 0 new, 0 still open'
        """
        return attrs.evolve(
            self,
            fixed=self.fixed.filter(predicate, **criteria),
            new=self.new.filter(predicate, **criteria),
            remaining=self.remaining.filter(predicate, **criteria),
        )

    def counts(self) -> dict[str, int]:
        """How many findings were fixed, are new and remain."""
        return {"fixed": len(self.fixed), "new": len(self.new), "remaining": len(self.remaining)}

    def summary(self) -> str:
        """One line: ``"42 fixed, 1 new, 0 still open"``."""
        c = self.counts()
        return f"{c['fixed']} fixed, {c['new']} new, {c['remaining']} still open"

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready data: ``fixed``, ``new`` and ``remaining`` (each a
        list of findings, as in :meth:`Report.to_dict <dpup.Report.to_dict>`), ``counts`` and
        ``by_agreement``."""
        return {
            "fixed": [f.to_dict() for f in self.fixed],
            "new": [f.to_dict() for f in self.new],
            "remaining": [f.to_dict() for f in self.remaining],
            "counts": self.counts(),
            "by_agreement": self.by_agreement,
        }

    def to_json(self, *, indent: int | None = 2, ascii: bool = False) -> str:
        """The comparison as JSON text (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=ascii)

    def to_markdown(self, *, title: str | None = None) -> str:
        """The comparison as Markdown, as ``dpup compare --format markdown`` writes it for the
        pull request that revises a draft (see :meth:`to_text`; ``title`` names the drafts)."""
        from dpup.render.markdown import render_comparison_markdown

        return render_comparison_markdown(self, title=title)

    def to_html(
        self,
        *,
        title: str | None = None,
        fail_on: str | Severity | None = "warning",
        note: str | None = None,
        ascii: bool = False,
    ) -> str:
        """The comparison as a web page of its own, as ``dpup compare --format html`` writes
        it: a heading (naming ``title``, the two drafts), the verdict at ``fail_on`` (of the
        new findings, as :meth:`fails`), the counts, the new findings in full, the fixed ones
        with where they were and what they said, the ones still open a line each, and why each
        check with a new finding matters. ``note`` is a sentence shown under the summary;
        ``ascii`` writes every character past ASCII as a character reference. See
        :func:`dpup.render.html.render_comparison_html`.

        Examples
        --------
        >>> import dpup
        >>> before = dpup.examples.load("best-foot-forward-before")
        >>> page = dpup.compare(before, dpup.examples.load("best-foot-forward")).to_html(title="the drafts")
        >>> print(page.splitlines()[6])
        <title>dpup compare: the drafts</title>
        """
        from dpup.render.html import render_comparison_html  # dpup.render imports dpup.report

        return render_comparison_html(self, title=title, fail_on=fail_on, note=note, ascii=ascii)

    def to_text(self, *, width: int = 100) -> str:
        """The comparison as ``dpup compare`` prints it: the new findings in full, the fixed
        ones with where they were and what they said, the remaining ones a line each, then
        the summary."""
        from dpup.render.text import render_comparison  # dpup.render imports dpup.report

        return render_comparison(self, width=width)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        """The comparison as Jupyter shows it: the summary, then a table each of the new, the
        fixed and the still-open findings (as a :class:`~dpup.Report` shows itself)."""
        parts = [f"<p><b>{escape(self.summary())}</b></p>"]
        for name, report in (("New", self.new), ("Fixed", self.fixed), ("Still open", self.remaining)):
            parts.append(f"<h4>{name} ({len(report)})</h4>")
            if len(report):
                parts.append(report._repr_html_())
        return "".join(parts)


def compare(
    before: "Report | Agreement | nx.MultiDiGraph[str]",
    after: "Report | Agreement | nx.MultiDiGraph[str]",
    *,
    by_agreement: bool | None = None,
) -> Comparison:
    """Compare the findings of two drafts: which the later one fixed, brought or kept.

    Parameters
    ----------
    before, after : Report, Agreement or networkx.MultiDiGraph
        The reports of the earlier and the later draft (from :func:`dpup.check`), or the
        drafts themselves (agreements, or graphs from :func:`dpup.graph`), which are checked.
    by_agreement : bool, optional
        Match findings with the agreement they are in, as their
        :attr:`~dpup.Finding.fingerprint` does. By default, yes, unless each report's
        findings are all in one agreement: then the reports are of two versions of one
        agreement, and a draft saved under a new id still matches its revision.

    Returns
    -------
    Comparison
        A finding of ``before`` that ``after`` has too (the same check, about the same
        subject, with the same related ids) is *remaining*, given as ``after`` has it; the
        rest of ``before``'s are *fixed* and the rest of ``after``'s *new*. Where one report
        has the same finding more than once, each is matched once. Accepting a finding does
        not fix it: an accepted finding is remaining, or new, and marked accepted.

    Raises
    ------
    TypeError
        If ``before`` or ``after`` is none of these.

    Examples
    --------
    >>> import dpup
    >>> before = dpup.check(dpup.examples.load("best-foot-forward-before"))
    >>> after = dpup.check(dpup.examples.load("best-foot-forward"))
    >>> comparison = dpup.compare(before, after)
    >>> comparison.summary()
    '42 fixed, 1 new, 0 still open'
    >>> [(f.code, f.subject) for f in comparison.new]
    [('ME008', 'programme-findings')]
    >>> comparison.fails("warning")
    False
    >>> dpup.compare(*map(dpup.examples.load, ["best-foot-forward-before", "best-foot-forward"])) == comparison
    True
    """
    before, after = _report(before), _report(after)
    if by_agreement is None:
        by_agreement = len(_agreements(before)) > 1 or len(_agreements(after)) > 1
    key = _key if by_agreement else _key_in_any_agreement
    unmatched = Counter(key(f) for f in before)
    remaining, new = [], []
    for f in after:
        k = key(f)
        if unmatched[k] > 0:
            unmatched[k] -= 1
            remaining.append(f)
        else:
            new.append(f)
    fixed = []
    for f in before:
        k = key(f)
        if unmatched[k] > 0:
            unmatched[k] -= 1
            fixed.append(f)
    return Comparison(
        fixed=Report.of(fixed), new=Report.of(new), remaining=Report.of(remaining), by_agreement=by_agreement
    )


def _report(draft: Any) -> Report:
    """A draft's report: a report as it is, an agreement or a graph checked."""
    if isinstance(draft, Report):
        return draft
    if isinstance(draft, Agreement | nx.MultiDiGraph):
        return check(draft)
    raise TypeError(
        "compare takes two reports (from dpup.check), agreements or graphs (from dpup.graph), "
        f"not {type(draft).__name__}"
    )


def _agreements(report: Iterable[Finding]) -> set[str]:
    return {f.agreement for f in report if f.agreement is not None}


def _key(f: Finding) -> tuple[str, str | None, str, tuple[str, ...]]:
    return (f.code, f.agreement, f.subject, tuple(sorted(f.related)))


def _key_in_any_agreement(f: Finding) -> tuple[str, str | None, str, tuple[str, ...]]:
    return (f.code, None, f.subject, tuple(sorted(f.related)))
