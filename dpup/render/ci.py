"""Findings for CI systems: GitHub Actions annotations and GitLab's Code Quality report.

A CI job that runs ``dpup check`` shows its findings where the people revising a draft
look: on the lines of the agreement file, in the pull or merge request.

- :func:`to_github` writes GitHub Actions *workflow commands* (``::error file=...,line=...``),
  which a job's log turns into annotations on the file's lines, with no upload step and in a
  private repository too (SARIF code scanning needs GitHub Advanced Security there).
- :func:`to_gitlab` gives a GitLab *Code Quality* report (a JSON list of issues), which a job
  publishes with ``artifacts: reports: codequality:``; GitLab shows the issues a merge request
  brings or fixes in its widget, telling them apart by their fingerprints.

Both leave out accepted findings, which the agreement has settled with a reason for all to
read, and both have a ``problems_to_`` counterpart for files that are not valid agreements,
which ``dpup check`` writes instead when it exits 2.
"""

import hashlib
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

import attrs

from dpup.checks import catalogue
from dpup.errors import Problem
from dpup.render.sarif import LOAD_RULE, problem_fingerprint
from dpup.report import Finding, Report, Severity

__all__ = [
    "GITHUB_LEVELS",
    "GITLAB_LOAD_SEVERITY",
    "GITLAB_SEVERITIES",
    "problems_to_github",
    "problems_to_gitlab",
    "to_github",
    "to_gitlab",
]

GITHUB_LEVELS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}
"""The workflow command, and so the kind of annotation, for each severity."""

GITLAB_SEVERITIES: dict[Severity, str] = {
    Severity.ERROR: "major",
    Severity.WARNING: "minor",
    Severity.INFO: "info",
}
"""The Code Quality severity (``info``, ``minor``, ``major``, ``critical`` or ``blocker``) of
each severity of finding."""

GITLAB_LOAD_SEVERITY = "blocker"
"""The Code Quality severity of a problem that keeps a file from loading: until every file
loads, nothing is checked."""


def _repository_path(file: str) -> str:
    """A file as GitHub and GitLab find it in the repository: relative to the current
    directory, where a CI job runs (the repository's root), when it is under it, and with
    ``/`` between its parts ("agreements/a.yaml", not "./agreements/a.yaml",
    "agreements\\a.yaml" or "/builds/team/repo/agreements/a.yaml")."""
    path = PurePath(file)
    if path.is_absolute():
        try:
            path = PurePath(os.path.relpath(path))
        except ValueError:  # another drive, on Windows
            return path.as_posix()
        if path.parts[:1] == ("..",):
            return PurePath(file).as_posix()
    return path.as_posix()


def _data(text: str) -> str:
    # the escapes of GitHub's own toolkit (@actions/core): a command is one line
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, *, title: str, file: str | None, line: int | None) -> str:
    props = []
    if file is not None:
        props.append(f"file={_property(_repository_path(file))}")
        if line is not None:
            props.append(f"line={line}")
    props.append(f"title={_property(title)}")
    return f"::{level} {','.join(props)}::{_data(message)}"


def _names() -> dict[str, str]:
    return {c.code: c.name for c in catalogue()}


def _label(f: Finding, names: Mapping[str, str]) -> str:
    """The check's code and name (a finding of no check in the catalogue has only its code)."""
    name = names.get(f.code)
    return f"{f.code} {name}" if name else f.code


def _body(f: Finding) -> list[str]:
    """What an annotation or an issue says of a finding after its message."""
    lines = []
    if f.path:
        lines.append("path: " + " -> ".join(f.path))
    lines.append("fix: " + f.remediation)
    dpup = f.guideline + (f" ({', '.join(f.principles)})" if f.principles else "")
    if dpup:
        lines.append(f"DPUP: {dpup}")
    if f.where is not None:
        lines.append(f"at {f.where}" + (f" of agreement {f.agreement!r}" if f.agreement else ""))
    return lines


def to_github(report: Report) -> str:
    """The report's open findings as GitHub Actions workflow commands, one line each.

    A job that prints them gets an annotation for each finding, on its file and line once
    :meth:`~dpup.Report.located` has found them (as ``dpup check --format github`` does): an
    ``error``, ``warning`` or ``notice`` (:data:`GITHUB_LEVELS`), titled with the check's code
    and name and the finding's subject, saying the message, the path the information took,
    how to fix it, the DPUP Guideline and Principles, and where in its agreement it is.
    Accepted findings are left out. Text from the agreements is escaped as GitHub's toolkit
    escapes it, so no name can end a command or start another.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
        One line per open finding, in the report's order; empty when there is none.

    Examples
    --------
    >>> import dpup
    >>> path = "examples/best-foot-forward-before.yaml"
    >>> report = dpup.check(dpup.load(path)).located({"best-foot-forward-before": path})
    >>> command, message = to_github(report).splitlines()[0][2:].split("::")
    >>> print(command)
    error file=examples/best-foot-forward-before.yaml,line=106,title=PM002 undeclared-purpose%3A evaluation-to-contractor
    >>> print(message.split("%0A")[0])
    flow 'evaluation-to-contractor' (agency.evaluation -> insights-ltd) is for purpose 'analytics', which agreement 'best-foot-forward-before' does not declare.
    """
    names = _names()
    out = []
    for f in report.open():
        message = "\n".join([f.message, *_body(f)])
        out.append(
            _command(
                GITHUB_LEVELS[f.severity],
                message,
                title=f"{_label(f, names)}: {f.subject}",
                file=f.file,
                line=f.line,
            )
        )
    return "".join(line + "\n" for line in out)


def _problem_text(p: Problem) -> str:
    """A problem as its annotation or issue says it: ``$.path: message (expected ..., found ...)``."""
    return str(attrs.evolve(p, file=None, line=None))


def _omitted_text(file: str, more: int) -> str:
    return f"and {more:,} more problem{'s' if more != 1 else ''} in {file}, not listed (only the first of a file are)"


def problems_to_github(problems: Sequence[Problem], *, omitted: Mapping[str, int] | None = None) -> str:
    """Workflow commands for files that are not valid agreements: an ``error`` annotation per
    problem, at its file and line, titled ``DPUP-LOAD``; what ``dpup check --format github``
    writes when it exits 2.

    Parameters
    ----------
    problems : sequence of Problem
    omitted : mapping of str to int, optional
        For a file with more problems than are listed, how many more: one more annotation on
        the file says so.

    Examples
    --------
    >>> import dpup
    >>> try:
    ...     dpup.loads("dpup: 1\\nagreement: {id: a, title: T}\\nflow: []\\n")
    ... except dpup.AgreementError as e:
    ...     print(problems_to_github(e.with_source("a.yaml").problems), end="")
    ::error file=a.yaml,line=3,title=DPUP-LOAD invalid agreement::$.flow: unknown key 'flow' ...
    """
    title = f"{LOAD_RULE} invalid agreement"
    out = [_command("error", _problem_text(p), title=title, file=p.file, line=p.line) for p in problems]
    for file, more in (omitted or {}).items():
        out.append(_command("error", _omitted_text(file, more), title=title, file=file, line=None))
    return "".join(line + "\n" for line in out)


def _unique(fingerprint: str, seen: Counter[str]) -> str:
    """The fingerprint, made unique within one report: GitLab takes issues with the same one
    for one issue."""
    seen[fingerprint] += 1
    n = seen[fingerprint]
    return fingerprint if n == 1 else hashlib.sha256(f"{fingerprint}\x1f{n}".encode()).hexdigest()[:16]


def to_gitlab(report: Report) -> list[dict[str, Any]]:
    """The report's open findings as a GitLab Code Quality report, as JSON-ready data.

    Each open finding is an issue: its ``check_name`` the check's code, its ``description``
    the code, the check's name, the message and how to fix it, its ``severity`` from
    :data:`GITLAB_SEVERITIES`, its ``location`` the finding's file and line (line 1 where the
    file gives no lines, as TOML does), and its ``fingerprint`` the finding's :attr:`~dpup.Finding.fingerprint`, which
    does not change when the file is reworded or reordered, so GitLab tells the issues a merge
    request brings from the ones it fixes. Accepted findings are left out.

    Parameters
    ----------
    report : Report
        Findings placed in their files (:meth:`~dpup.Report.located`, as ``dpup check``
        places them): GitLab shows an issue only in a file of the repository.

    Returns
    -------
    list of dict
        One issue per open finding, in the report's order.

    Raises
    ------
    ValueError
        If an open finding is in no file (call :meth:`~dpup.Report.located` first).

    Examples
    --------
    >>> import dpup
    >>> path = "examples/best-foot-forward-before.yaml"
    >>> report = dpup.check(dpup.load(path)).located({"best-foot-forward-before": path})
    >>> issue = to_gitlab(report)[0]
    >>> issue["check_name"], issue["severity"], issue["location"]["lines"]
    ('PM002', 'major', {'begin': 106})
    """
    names = _names()
    seen: Counter[str] = Counter()
    issues = []
    for f in report.open():
        if f.file is None:
            raise ValueError(
                f"finding {f.code} on {f.subject!r} is in no file: GitLab shows an issue only in a "
                "file, so place the findings in their files first with report.located({agreement "
                "id: file}) (dpup check does)"
            )
        issues.append(
            {
                "type": "issue",
                "check_name": f.code,
                "description": f"{_label(f, names)}: {f.message} Fix: {f.remediation}",
                "severity": GITLAB_SEVERITIES[f.severity],
                "fingerprint": _unique(f.fingerprint, seen),
                "location": {"path": _repository_path(f.file), "lines": {"begin": f.line or 1}},
            }
        )
    return issues


def problems_to_gitlab(
    problems: Sequence[Problem], *, omitted: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """A GitLab Code Quality report of files that are not valid agreements: an issue per
    problem, of severity :data:`GITLAB_LOAD_SEVERITY` and check name ``DPUP-LOAD``, at its file
    and line; what ``dpup check --format gitlab`` writes when it exits 2.

    A problem with no file (there is none when files are loaded by ``dpup check``) is left
    out, since GitLab places every issue in a file.

    Parameters
    ----------
    problems : sequence of Problem
    omitted : mapping of str to int, optional
        For a file with more problems than are listed, how many more: one more issue on the
        file says so.

    Examples
    --------
    >>> import dpup
    >>> try:
    ...     dpup.loads("dpup: 1\\nagreement: {id: a, title: T}\\nflow: []\\n")
    ... except dpup.AgreementError as e:
    ...     issues = problems_to_gitlab(e.with_source("a.yaml").problems)
    >>> [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues]
    [('DPUP-LOAD', 'blocker', 3)]
    """
    seen: Counter[str] = Counter()

    def issue(file: str, line: int | None, text: str, fingerprint: str) -> dict[str, Any]:
        return {
            "type": "issue",
            "check_name": LOAD_RULE,
            "description": f"{LOAD_RULE} invalid agreement: {text}",
            "severity": GITLAB_LOAD_SEVERITY,
            "fingerprint": _unique(fingerprint, seen),
            "location": {"path": _repository_path(file), "lines": {"begin": line or 1}},
        }

    issues = [
        issue(p.file, p.line, _problem_text(p), problem_fingerprint(p))
        for p in problems
        if p.file is not None
    ]
    for file, more in (omitted or {}).items():
        more_of = Problem(path=(), message="more problems, not listed", file=file)  # one a file
        issues.append(issue(file, None, _omitted_text(file, more), problem_fingerprint(more_of)))
    return issues
