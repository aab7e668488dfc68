"""Findings and reports: what the checks say, in DPUP's terms.

A :class:`Finding` is one thing a draft gets wrong or leaves out, citing the DPUP
Principle(s) and Guideline it serves and saying how to fix it. A :class:`Report` holds the
findings of one run in a deterministic order, counts them, and answers whether anything
reaches a threshold.
"""

import difflib
import enum
import hashlib
import json
import os
import re
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

import attrs

from dpup.errors import Error
from dpup.files import _lines_in_file
from dpup.model import Acceptance, Agreement, _found

__all__ = ["HTML_ROWS", "CheckError", "Family", "Finding", "Report", "Severity"]


class Severity(enum.StrEnum):
    """How much a finding matters: ``error`` > ``warning`` > ``info``.

    Severities compare by how much they matter, not as the text they are (which would put
    ``error`` before ``info`` before ``warning``), with each other or with their values.

    Examples
    --------
    >>> from dpup import Severity
    >>> Severity.ERROR > Severity.WARNING > Severity.INFO
    True
    >>> sorted([Severity.WARNING, Severity.ERROR, Severity.INFO])
    [<Severity.INFO: 'info'>, <Severity.WARNING: 'warning'>, <Severity.ERROR: 'error'>]
    >>> Severity.INFO >= "warning"
    False
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for error, 2 for warning, 1 for info."""
        return _RANKS[self.value]

    def __lt__(self, other: object) -> bool:
        return self.rank < _rank_of(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= _rank_of(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > _rank_of(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= _rank_of(other)


_RANKS = {"error": 3, "warning": 2, "info": 1}


def _rank_of(other: object) -> int:
    """The rank of a severity, or of its value, for comparing; anything else cannot be compared."""
    if isinstance(other, str) and other in _RANKS:
        return _RANKS[other]
    raise TypeError(
        f"a severity can be compared only with a severity ('error', 'warning' or 'info'), not {other!r}"
    )


class Family(enum.StrEnum):
    """The four families of checks, one per DPUP Guideline."""

    PURPOSE_MISMATCH = "purpose-mismatch"
    MISSING_EXPLANATION = "missing-explanation"
    UNTRACEABLE_HOLDER = "untraceable-holder"
    SHARING_VALUE = "sharing-value"


FAMILY_ORDER: tuple[Family, ...] = tuple(Family)


class CheckError(Error, RuntimeError):
    """A check raised instead of returning findings: never read as "no finding".

    The exception the check raised is the ``__cause__`` (in the process that raised it:
    pickling keeps the message, which quotes it, but not the cause itself).

    Attributes
    ----------
    code : str or None
        The code of the check that failed, such as ``"SV001"``.
    name : str or None
        Its name, such as ``"nothing-shared-back"``.
    """

    def __init__(self, message: str, *, code: str | None = None, name: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.name = name

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.args[0],), self.__dict__)


def _fingerprint(code: str, agreement: str | None, subject: str, related: tuple[str, ...]) -> str:
    key = "\x1f".join([code, agreement or "", subject, *sorted(related)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _strs(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _family(value: str | Family) -> Family:
    return value if isinstance(value, Family) else Family(value)


def _severity(value: str | Severity) -> Severity:
    return value if isinstance(value, Severity) else Severity(value)


@attrs.frozen(kw_only=True)
class Finding:
    """One finding of one check.

    Parameters
    ----------
    code : str
        The check's stable code, such as ``"PM004"``.
    family : Family
    severity : Severity
    subject : str
        The id of the flow, holder, purpose, information, explanation or group it is about.
    related : tuple of str
        Other ids involved (groups, purposes, flows, checklist items ...).
    principles : tuple of str
        The DPUP Principles the check serves.
    guideline : str
        The DPUP Guideline the check serves.
    message : str
        What is wrong, naming the things involved.
    remediation : str
        How to fix it.
    path : tuple of str
        The holders the information passed through, where the check follows flows; where
        several routes lead there, the one through the first flow written at each step.
    agreement : str, optional
        The id of the agreement the finding is in.
    accepted : Acceptance, optional
        The acceptance recorded for this finding, if any: an accepted finding does not
        fail a run.
    where : str, optional
        Where in the agreement to look: the JSON path of the declaration of the subject, such
        as ``"$.flows[3]"``, ``"$.purposes[1]"`` or ``"$.holders[1].teams[0]"`` (for a stale
        acceptance, the acceptance: ``"$.accepted[2]"``; for a reference to an undeclared
        purpose, PM012, the reference itself: ``"$.holders[1].teams[0].purposes[1]"``; for an
        access arrangement, UH005 and UH006, whose subject is its contact, the arrangement:
        ``"$.access[0]"``). A finding about something the subject leaves out (a purpose with no
        benefit, an unanswered checklist item) points at the subject, where the missing key
        belongs. ``None`` for a finding with no agreement
        (a flow added to the graph by hand) or about an id its agreement does not declare.
        :func:`dpup.check` fills it in; it is not part of the :attr:`fingerprint`.
    file : str, optional
        The file the agreement was read from: filled in by :meth:`Report.located` (and so by
        ``dpup check``), ``None`` otherwise.
    line : int, optional
        The 1-based line of ``where`` in ``file``: where the flow, purpose or other
        declaration starts. ``None`` for a TOML file (Python's TOML reader gives no lines),
        a file that cannot be read, or a finding that is not located.
    """

    code: str
    family: Family = attrs.field(converter=_family)
    severity: Severity = attrs.field(converter=_severity)
    subject: str
    related: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    principles: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    guideline: str = ""
    message: str = ""
    remediation: str = ""
    path: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    agreement: str | None = None
    accepted: Acceptance | None = None
    where: str | None = None
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        """One line, as a compiler reports a problem: where (when known), the code and
        severity, and the message; ``(accepted)`` after the severity of an accepted finding.

        Examples
        --------
        >>> import dpup
        >>> report = dpup.check(dpup.examples.load("best-foot-forward-before"))
        >>> print(next(f for f in report if f.code == "PM003"))  # doctest: +ELLIPSIS
        $.flows[4]: PM003 error: flow 'outcomes-report' (ccss -> agency.reporting) sends ...
        """
        state = f"{self.severity} (accepted)" if self.accepted is not None else str(self.severity)
        line = f"{self.code} {state}: {self.message}"
        where = self.location
        return line if where is None else f"{where}: {line}"

    @property
    def location(self) -> str | None:
        """``file:line: $.path`` with whatever of those is known, as a load error's
        :attr:`dpup.Problem.where` says it (``"agreement.yaml:87: $.flows[3]"``, or
        ``"$.flows[3]"`` for a finding that is not located in a file); ``None`` when
        :attr:`where` is."""
        if self.where is None:
            return None
        if self.file is None:
            return self.where
        return f"{self.file if self.line is None else f'{self.file}:{self.line}'}: {self.where}"

    @property
    def fingerprint(self) -> str:
        """A short hash of code, agreement, subject and related ids.

        It stays the same across edits that do not change what the finding is about
        (wording, other flows, order in the file: it leaves out :attr:`where`, :attr:`file`
        and :attr:`line`). A finding about a holder that several
        agreements' flows reach is attributed to the first of them as given (or to one that
        accepts it), so giving the same files in another order can change its agreement, and
        with it the fingerprint; a directory is always read in name order.
        """
        return _fingerprint(self.code, self.agreement, self.subject, self.related)

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return {
            "code": self.code,
            "family": self.family.value,
            "severity": self.severity.value,
            "subject": self.subject,
            "related": list(self.related),
            "principles": list(self.principles),
            "guideline": self.guideline,
            "message": self.message,
            "remediation": self.remediation,
            "path": list(self.path),
            "agreement": self.agreement,
            "where": self.where,
            "file": self.file,
            "line": self.line,
            "fingerprint": self.fingerprint,
            "accepted": None
            if self.accepted is None
            else {"reason": self.accepted.reason, "by": self.accepted.by},
        }

    def sort_key(self) -> tuple[Any, ...]:
        """Family order, then code, agreement, subject, related ids, and the rest: a total order."""
        return (
            FAMILY_ORDER.index(self.family),
            self.code,
            self.agreement or "",
            self.subject,
            self.related,
            -self.severity.rank,
            self.principles,
            self.guideline,
            self.message,
            self.path,
            self.remediation,
            self.accepted is not None,
            "" if self.accepted is None else f"{self.accepted.by}\x1f{self.accepted.reason}",
            self.where or "",
            self.file or "",
            self.line or 0,
        )


_E = typing.TypeVar("_E", Family, Severity)


def _one_or_many(value: object, field: str) -> set[str]:
    """A criterion of :meth:`Report.filter` as a set: one text (or enum member) or several."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, Iterable):
        raise TypeError(f"{field}: expected text or an iterable of text, found {type(value).__name__}")
    out = set()
    for v in values:
        if not isinstance(v, str):
            raise TypeError(f"{field}: expected text, found {type(v).__name__} {v!r}")
        out.add(str(v))
    return out


def _member(kind: type[_E], value: str, field: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(repr(m.value) for m in kind)
        raise ValueError(f"{field}: expected one of {names}, found {value!r}") from None


def threshold_of(value: "str | Severity | None", field: str) -> Severity | None:
    """A threshold of failure (``fail_on``): the severity, or ``None`` for ``"never"`` or
    ``None``; a ``ValueError`` naming ``field`` and the choices for anything else."""
    if value is None or value == "never":
        return None
    if isinstance(value, Severity):
        return value
    try:
        return Severity(value)
    except ValueError:
        names = ", ".join(repr(m.value) for m in Severity)
        raise ValueError(f"{field}: expected one of {names}, 'never' or None, found {value!r}") from None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    if isinstance(findings, str) or not isinstance(findings, Iterable):
        shown = f"the single string {findings!r}" if isinstance(findings, str) else _found(findings)
        raise TypeError(f"Report.findings must be a list of Finding objects, not {shown}")
    items = tuple(findings)
    for f in items:
        if not isinstance(f, Finding):  # it failed in the sort, with an AttributeError
            raise TypeError(f"Report.findings must hold Finding objects, not {_found(f)}")
    return tuple(sorted(items, key=Finding.sort_key))


HTML_ROWS = 200
"""The most findings a :class:`Report` shows as rows in Jupyter; the rest are counted. Set
``dpup.report.HTML_ROWS`` to see more."""


@attrs.frozen(kw_only=True)
class Report:
    """The findings of one run, in a deterministic order.

    Examples
    --------
    >>> import dpup
    >>> report = dpup.check(dpup.examples.load("best-foot-forward"))
    >>> report.fails("warning")
    False
    >>> before = dpup.check(dpup.examples.load("best-foot-forward-before"))
    >>> before.fails("warning"), before.counts()["purpose-mismatch"] > 0
    (True, True)
    """

    findings: tuple[Finding, ...] = attrs.field(converter=_sorted_findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> "Report": ...

    def __getitem__(self, index: int | slice) -> "Finding | Report":
        """The finding at ``index`` in the report's order; a slice is a report of those findings,
        which keeps the report's order (so ``report[::-1]`` is in that order too: iterate
        ``reversed(report)`` for the findings last first)."""
        if isinstance(index, slice):
            return Report(findings=self.findings[index])
        return self.findings[index]

    def filter(
        self,
        predicate: Callable[[Finding], object] | None = None,
        /,
        *,
        code: str | Iterable[str] | None = None,
        family: str | Iterable[str] | None = None,
        severity: str | Iterable[str] | None = None,
        at_least: str | None = None,
        agreement: str | Iterable[str] | None = None,
        subject: str | Iterable[str] | None = None,
        accepted: bool | None = None,
    ) -> "Report":
        """The findings that meet every criterion given, as a report.

        Parameters
        ----------
        predicate : callable, optional
            A function of a :class:`Finding`: the findings for which it is true.
        code, family, severity, agreement, subject : str or iterable of str, optional
            The findings with this value (or any of these values) of the field: codes such as
            ``"PM004"``, families such as ``"purpose-mismatch"`` and severities such as
            ``"error"`` (or the :class:`Family` and :class:`Severity` members), agreement ids and
            subject ids.
        at_least : str or Severity, optional
            The findings at least this severe: ``"warning"`` keeps warnings and errors.
        accepted : bool, optional
            ``True`` for the accepted findings only, ``False`` for the open ones only.

        Returns
        -------
        Report
            A new report, in the same order; this one is left as it is.

        Raises
        ------
        ValueError
            For a family or severity that does not exist, or a code that is neither in the
            catalogue nor in the report (naming the closest code), so that a misspelt
            criterion does not quietly keep nothing.

        Examples
        --------
        >>> import dpup
        >>> report = dpup.check(dpup.examples.load("best-foot-forward-before"))
        >>> [f.subject for f in report.filter(code="PM003")]
        ['outcomes-report']
        >>> report.filter(at_least="error").summary()
        '24 findings: 24 errors, 0 warnings, 0 info, 0 accepted'
        >>> [f.code for f in report.filter(family="untraceable-holder", subject="insights-ltd")]
        ['UH001', 'UH002', 'UH003']
        >>> [f.subject for f in report.filter(lambda f: "agency.evaluation" in f.path, code="UH001")]
        ['agency.evaluation', 'insights-ltd']
        >>> report.filter(code="PM04")
        Traceback (most recent call last):
        ...
        ValueError: code: no check has the code 'PM04' (did you mean 'PM004'?)
        """
        tests: list[Callable[[Finding], bool]] = []
        if code is not None:
            codes = _one_or_many(code, "code")
            self._known_codes(codes)
            tests.append(lambda f: f.code in codes)
        if family is not None:
            families = {_member(Family, v, "family") for v in _one_or_many(family, "family")}
            tests.append(lambda f: f.family in families)
        if severity is not None:
            severities = {_member(Severity, v, "severity") for v in _one_or_many(severity, "severity")}
            tests.append(lambda f: f.severity in severities)
        if at_least is not None:
            rank = _member(Severity, at_least, "at_least").rank
            tests.append(lambda f: f.severity.rank >= rank)
        if agreement is not None:
            agreements = _one_or_many(agreement, "agreement")
            tests.append(lambda f: f.agreement in agreements)
        if subject is not None:
            subjects = _one_or_many(subject, "subject")
            tests.append(lambda f: f.subject in subjects)
        if accepted is not None:
            if not isinstance(accepted, bool):
                raise TypeError(f"accepted: expected True, False or None, found {accepted!r}")
            tests.append(lambda f: (f.accepted is not None) is accepted)
        if predicate is not None:
            tests.append(lambda f: bool(predicate(f)))
        return Report(findings=tuple(f for f in self.findings if all(t(f) for t in tests)))

    def _known_codes(self, codes: set[str]) -> None:
        from dpup.checks import catalogue  # dpup.checks imports this module

        known = {c.code for c in catalogue()} | {f.code for f in self.findings}
        for c in sorted(codes - known):
            close = difflib.get_close_matches(c.upper(), sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"code: no check has the code {c!r}{hint}")

    def counts(self) -> dict[str, int]:
        """Open (not accepted) findings counted by family and by severity, plus ``accepted``.

        Examples
        --------
        >>> import dpup
        >>> counts = dpup.check(dpup.examples.load("best-foot-forward-before")).counts()
        >>> counts["purpose-mismatch"], counts["error"], counts["warning"], counts["accepted"]
        (16, 24, 18, 0)
        """
        c: Counter[str] = Counter()
        for f in self.findings:
            if f.accepted is not None:
                c["accepted"] += 1
                continue
            c[f.family.value] += 1
            c[f.severity.value] += 1
        keys = [*(f.value for f in Family), *(s.value for s in Severity), "accepted"]
        return {k: c[k] for k in keys}

    def summary(self) -> str:
        """One line: how many findings, by severity, and how many are accepted.

        Examples
        --------
        >>> import dpup
        >>> dpup.check(dpup.examples.load("best-foot-forward")).summary()
        '1 finding: 0 errors, 0 warnings, 1 info, 0 accepted'
        """
        c = self.counts()
        return (
            f"{_plural(len(self.findings), 'finding')}: {_plural(c['error'], 'error')}, "
            f"{_plural(c['warning'], 'warning')}, {c['info']} info, {c['accepted']} accepted"
        )

    def by_family(self) -> dict[Family, tuple[Finding, ...]]:
        """The findings of each family, in family order (families with none are left out).

        Examples
        --------
        >>> import dpup
        >>> report = dpup.check(dpup.examples.load("best-foot-forward-before"))
        >>> {family.value: len(found) for family, found in report.by_family().items()}
        {'purpose-mismatch': 16, 'missing-explanation': 15, 'untraceable-holder': 8, 'sharing-value': 3}
        """
        out: dict[Family, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.family, []).append(f)
        return {fam: tuple(fs) for fam, fs in out.items()}

    def open(self) -> tuple[Finding, ...]:
        """The findings not accepted.

        Examples
        --------
        >>> import dpup
        >>> report = dpup.check(dpup.examples.load("best-foot-forward-before"))
        >>> len(report.open()) == len(report) - report.counts()["accepted"]
        True
        """
        return tuple(f for f in self.findings if f.accepted is None)

    def fails(self, threshold: str | Severity | None = "warning") -> bool:
        """Whether any open finding is at or above ``threshold``.

        ``threshold`` is a severity or ``"never"``/``None`` (never fails).

        Examples
        --------
        >>> import dpup
        >>> report = dpup.check(dpup.examples.load("best-foot-forward"))
        >>> report.fails(), report.fails("info"), report.fails("never")
        (False, True, False)
        """
        severity = threshold_of(threshold, "threshold")
        if severity is None:
            return False
        rank = severity.rank
        return any(f.severity.rank >= rank for f in self.open())

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``findings`` and ``counts``.

        Examples
        --------
        >>> import dpup
        >>> data = dpup.check(dpup.examples.load("best-foot-forward-before")).to_dict()
        >>> sorted(data), data["findings"][0]["code"], data["counts"]["error"]
        (['counts', 'findings'], 'PM002', 24)
        """
        return {"findings": [f.to_dict() for f in self.findings], "counts": self.counts()}

    def to_json(self, *, indent: int | None = 2, ascii: bool = False) -> str:
        """The report as JSON text; with ``ascii``, every character past ASCII is written as a
        JSON escape (``\\u00e9``), for a stream that cannot hold it as it is.

        Examples
        --------
        >>> import dpup, json
        >>> text = dpup.check(dpup.examples.load("best-foot-forward-before")).to_json()
        >>> json.loads(text)["counts"]["warning"]
        18
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=ascii)

    def to_sarif(self, *, indent: int | None = 2, ascii: bool = False) -> str:
        """The report as a SARIF 2.1.0 log, as ``dpup check --format sarif`` writes it, for
        code-review systems such as GitHub code scanning: one result per finding, pointing at
        its file and line once :meth:`located` has found them, with its fingerprint, and
        suppressed (in the source) where the finding is accepted; the tool's rules are the
        check catalogue, then ``DPUP-LOAD``, the rule ``dpup check`` reports files that do not
        load under.

        Examples
        --------
        >>> import json, dpup
        >>> log = json.loads(dpup.check(dpup.examples.load("best-foot-forward")).to_sarif())
        >>> [(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]]
        [('ME008', 'note')]
        """
        from dpup.render.sarif import render_sarif  # dpup.render imports this module

        return render_sarif(self, indent=indent, ascii=ascii)

    def to_github(self) -> str:
        """The open findings as GitHub Actions workflow commands, as ``dpup check --format
        github`` writes them (less its summary and verdict): one line each, which a job's log
        turns into an annotation on the finding's file and line once :meth:`located` has found
        them; accepted findings are left out (see :func:`dpup.render.ci.to_github`).

        Examples
        --------
        >>> import dpup
        >>> print(dpup.check(dpup.examples.load("best-foot-forward")).to_github().split("::")[1])
        notice title=ME008 aggregate-about-no-one%3A programme-findings
        """
        from dpup.render.ci import to_github  # dpup.render imports this module

        return to_github(self)

    def to_gitlab(self, *, indent: int | None = 2, ascii: bool = False) -> str:
        """The open findings as a GitLab Code Quality report (JSON), as ``dpup check --format
        gitlab`` writes it: an issue per open finding, at its file and line, with its
        fingerprint; accepted findings are left out (see :func:`dpup.render.ci.to_gitlab`).

        Raises
        ------
        ValueError
            If an open finding is in no file: GitLab places every issue in a file, so call
            :meth:`located` first (``dpup check`` and :func:`dpup.check_files` do).

        Examples
        --------
        >>> import json, dpup
        >>> report = dpup.check_files("examples/best-foot-forward.yaml")
        >>> [(i["check_name"], i["severity"], i["location"]) for i in json.loads(report.to_gitlab())]
        [('ME008', 'info', {'path': 'examples/best-foot-forward.yaml', 'lines': {'begin': 65}})]
        """
        from dpup.render.ci import to_gitlab  # dpup.render imports this module

        return json.dumps(to_gitlab(self), indent=indent, ensure_ascii=ascii)

    def to_junit(
        self, *, fail_on: str | Severity | None = "warning", files: Sequence[str] = (), ascii: bool = False
    ) -> str:
        """The report as JUnit XML, as ``dpup check --format junit`` writes it, for the test
        reports of Jenkins, Azure Pipelines, GitLab, Bitbucket and other CI systems: a test
        suite per file (each of ``files``, and the file of every finding), a test case per
        finding, failed when it reaches ``fail_on``, skipped when accepted (see
        :func:`dpup.render.ci.to_junit`).

        Examples
        --------
        >>> import dpup
        >>> xml = dpup.check_files("examples/best-foot-forward-before.yaml").to_junit(fail_on="error")
        >>> print(xml.splitlines()[1])
        <testsuites name="dpup check" tests="42" failures="24" errors="0" skipped="0">
        """
        from dpup.render.ci import to_junit  # dpup.render imports this module

        return to_junit(self, fail_on=fail_on, files=files, ascii=ascii)

    def to_markdown(self, *, title: str | None = None) -> str:
        """The report as Markdown, as ``dpup check --format markdown`` writes it, for a
        pull-request comment, a CI job's summary page or a wiki: a heading (naming ``title``,
        what was checked), the summary, then each family's findings as a list, with what was
        taken from the agreements escaped.

        Examples
        --------
        >>> import dpup
        >>> print(dpup.check(dpup.examples.load("best-foot-forward")).to_markdown().splitlines()[2])
        1 finding: 0 errors, 0 warnings, 1 info, 0 accepted
        """
        from dpup.render.markdown import render_markdown  # dpup.render imports this module

        return render_markdown(self, title=title)

    def to_html(
        self,
        *,
        title: str | None = None,
        fail_on: str | Severity | None = "warning",
        note: str | None = None,
        ascii: bool = False,
        agreements: "Sequence[Agreement]" = (),
    ) -> str:
        """The report as a web page of its own, as ``dpup check --format html`` writes it, to
        open in a browser, attach to an email or print: a heading (naming ``title``, what was
        checked), the verdict at ``fail_on``, the summary and counts, each family's findings,
        and, once for each check that found something, why it matters (the Guideline,
        Principles, Privacy Act 2020 principle and the DPUP text it rests on). One UTF-8 file,
        no script, nothing fetched; what was taken from the agreements is escaped. ``note`` is a
        sentence shown under the summary (``dpup check`` says there what ``--select`` left
        out); ``ascii`` writes every character past ASCII as a character reference;
        ``agreements``, the agreements checked, are listed under the heading. See
        :func:`dpup.render.html.render_html`.

        Examples
        --------
        >>> import dpup
        >>> page = dpup.check(dpup.examples.load("best-foot-forward")).to_html(title="ccss.yaml")
        >>> print(page.splitlines()[6])
        <title>dpup check: ccss.yaml</title>
        """
        from dpup.render.html import render_html  # dpup.render imports this module

        return render_html(self, title=title, fail_on=fail_on, note=note, ascii=ascii, agreements=agreements)

    def to_text(self, *, width: int = 100) -> str:
        """The report as the text ``dpup check`` prints (less its title and verdict): findings
        grouped by family, each with its code, severity, subject, message, path and fix, then
        the one-line summary; lines are wrapped to ``width`` at spaces, never inside an id.
        ``str(report)`` (and so ``print(report)``) is the same.

        Examples
        --------
        >>> import dpup
        >>> report = dpup.check(dpup.examples.load("best-foot-forward"))
        >>> print(report.to_text().splitlines()[1])
          ME008  info     programme-findings
        >>> str(report) == report.to_text()
        True
        """
        from dpup.render.text import render_text  # dpup.render imports this module

        return render_text(self, width=width)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        """The report as an HTML table for Jupyter: its counts, then a row per finding, the
        first :data:`HTML_ROWS` of a long report (a sector's can hold thousands)."""
        from html import escape

        from dpup._private.html import table

        shown = self.findings[:HTML_ROWS]
        rows = (
            (
                escape(f.code),
                f"{escape(f.severity.value)}{' (accepted)' if f.accepted is not None else ''}",
                escape(f.family.value),
                escape(f.subject),
                escape(f.agreement or ""),
                escape(f.location or ""),
                escape(f.message),
                escape(f.remediation),
            )
            for f in shown
        )
        head = ("code", "severity", "family", "subject", "agreement", "where", "message", "remediation")
        more = ""
        if len(self.findings) > len(shown):
            more = (
                f"<p>The first {len(shown)} of {len(self.findings)} findings; iterate the report, "
                "or use <code>report.to_json()</code>, for all of them.</p>"
            )
        return table(head, rows, caption=escape(self.summary())) + more

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> "Report":
        """A report of these findings."""
        return cls(findings=findings)  # the converter makes it a tuple, or says what it is not

    def located(self, sources: Mapping[str, "str | os.PathLike[str]"]) -> "Report":
        """The report with its findings placed in the files their agreements were read from,
        as ``dpup check`` shows them.

        Each finding whose agreement is in ``sources`` gets that file as its
        :attr:`Finding.file`, and, where it has a :attr:`Finding.where` and the file is YAML or
        JSON, the line the declaration starts on as its :attr:`Finding.line` (a TOML file
        gives no lines: Python's TOML reader does not say where a value is). Each file is read
        again, once, and only if a finding is in it; one that cannot be read, or that no
        longer holds the declaration, gives no line. Nothing else changes, the
        :attr:`Finding.fingerprint` included.

        Parameters
        ----------
        sources : mapping of str to str or os.PathLike
            Each agreement's id -> the file it was loaded from, its format told by its suffix
            as :func:`dpup.load` tells it.

        Returns
        -------
        Report
            A new report; this one is left as it is.

        Examples
        --------
        >>> import dpup
        >>> path = "examples/best-foot-forward-before.yaml"
        >>> agreement = dpup.load(path)
        >>> report = dpup.check(agreement).located({agreement.id: path})
        >>> f = next(f for f in report if (f.code, f.subject) == ("PM004", "quarterly-report"))
        >>> f.where, f.file, f.line
        ('$.flows[3]', 'examples/best-foot-forward-before.yaml', 89)
        >>> f.location
        'examples/best-foot-forward-before.yaml:89: $.flows[3]'
        """
        if not isinstance(sources, Mapping):
            # a file name alone, or a list of them, would match nothing (or, by `in`, a part)
            raise TypeError(
                "located takes a mapping of each agreement's id to the file it was loaded from "
                f"({{agreement.id: path}}), not {_found(sources)}"
            )
        wanted: dict[str, list[int]] = {}  # agreement id -> the findings in its file
        for i, f in enumerate(self.findings):
            if f.agreement is not None and f.agreement in sources:
                wanted.setdefault(f.agreement, []).append(i)
        if not wanted:
            return self
        findings = list(self.findings)
        for aid, indexes in wanted.items():
            file = os.fspath(sources[aid])
            placed = [i for i in indexes if findings[i].where is not None]
            found = _lines_in_file(file, [_field_path(findings[i].where or "") for i in placed])
            line = dict(zip(placed, found, strict=True))
            for i in indexes:
                findings[i] = attrs.evolve(findings[i], file=file, line=line.get(i))
        return Report(findings=tuple(findings))


_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]")


def _field_path(where: str) -> tuple[str | int, ...]:
    """The field path of a finding's :attr:`~Finding.where`: ``("flows", 3)`` for
    ``"$.flows[3]"`` (the keys of a declaration's path are plain names)."""
    path: list[str | int] = []
    for m in _PART.finditer(where, 1):
        key, index = m.groups()
        path.append(int(index) if index is not None else key)
    return tuple(path)
