"""Findings for CI systems: GitHub Actions annotations, GitLab's Code Quality report and JUnit XML.

A CI job that runs ``dpup check`` shows its findings where the people revising a draft
look: in the pull or merge request, on the lines of the agreement file where the system shows
them there.

- :func:`to_github` writes GitHub Actions *workflow commands* (``::error file=...,line=...``),
  which a job's log turns into annotations on the file's lines, with no upload step and in a
  private repository too (SARIF code scanning needs GitHub Advanced Security there).
- :func:`to_gitlab` gives a GitLab *Code Quality* report (a JSON list of issues), which a job
  publishes with ``artifacts: reports: codequality:``; GitLab shows the issues a merge request
  brings or fixes in its widget, telling them apart by their fingerprints.
- :func:`to_junit` gives JUnit XML, the test report that Jenkins, Azure Pipelines, GitLab,
  Bitbucket and most other CI systems read: a test suite per file, a test case per finding.

The first two leave out accepted findings, which the agreement has settled with a reason for
all to read (JUnit marks them skipped). Each has a ``problems_to_`` counterpart for files that
are not valid agreements, which ``dpup check`` writes instead when it exits 2.
"""

import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import attrs

from dpup.checks import catalogue
from dpup.errors import Problem, format_path
from dpup.render.sarif import LOAD_RULE, problem_fingerprint
from dpup.report import Finding, Report, Severity, threshold_of

if TYPE_CHECKING:  # imported where JUnit XML is written, so that importing dpup does not
    import xml.etree.ElementTree as ET

__all__ = [
    "GITHUB_LEVELS",
    "GITLAB_LOAD_SEVERITY",
    "GITLAB_SEVERITIES",
    "problems_to_github",
    "problems_to_gitlab",
    "problems_to_junit",
    "to_github",
    "to_gitlab",
    "to_junit",
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


_WORKSPACES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")
"""The variables GitHub Actions and GitLab CI set to the directory the repository is checked
out in, the root its files' paths are written from."""


def _root() -> str:
    """The repository's root: the CI's workspace where it says (a job may run a step in a
    directory below it), or else the current directory."""
    return next((os.environ[v] for v in _WORKSPACES if os.environ.get(v)), "") or os.getcwd()


def _repository_path(file: str) -> str:
    """A file as GitHub and GitLab find it in the repository: relative to the repository's root
    (:func:`_root`) when it is under it, and with ``/`` between its parts ("agreements/a.yaml",
    not "./agreements/a.yaml", "agreements\\a.yaml" or "/builds/team/repo/agreements/a.yaml");
    a file outside it as an absolute path; any file as it is given when the current directory
    was removed (there is then no root to write it from)."""
    path = PurePath(file)
    try:
        root, cwd = _root(), os.getcwd()
    except FileNotFoundError:
        return path.as_posix()
    if not path.is_absolute() and os.path.abspath(root) == cwd:
        return path.as_posix()  # as given, from the root
    try:
        relative = PurePath(os.path.relpath(os.path.abspath(file), root))
    except ValueError:  # another drive, on Windows
        return PurePath(os.path.abspath(file)).as_posix()
    if relative.parts[:1] == ("..",):
        return PurePath(os.path.abspath(file) if not path.is_absolute() else file).as_posix()
    return relative.as_posix()


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


# -- JUnit XML -----------------------------------------------------------------------------


@functools.cache
def _not_xml() -> "re.Pattern[str]":
    """What XML 1.0 cannot hold: control characters, and the lone surrogates that stand for the
    bytes of a file name that is not UTF-8 (compiled when first needed)."""
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    """Text that XML can hold: each character it cannot written as a Python escape (``\\x1e``)."""
    return _not_xml().sub(lambda m: ascii(m[0])[1:-1], text)


def _element(parent: "ET.Element", tag: str, text: str | None = None, **attributes: str) -> "ET.Element":
    import xml.etree.ElementTree as ET

    element = ET.SubElement(parent, tag, {k: _xml(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _serialised(root: "ET.Element", ascii: bool) -> str:
    import xml.etree.ElementTree as ET

    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    if ascii:  # a character reference stands for anything past ASCII, in text and attributes
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _distinct(names: Sequence[str]) -> list[str]:
    """The test cases' names, each of a suite made its own by a number after the first
    (``... [2]``): GitLab takes test cases of one suite with the same class name and name for
    one, and would count, and show, one finding of several."""
    taken: set[str] = set()
    out = []
    for name in names:
        unique, n = name, 1
        while unique in taken:
            n += 1
            unique = f"{name} [{n}]"
        taken.add(unique)
        out.append(unique)
    return out


def _case_names(findings: Sequence[Finding], names: Mapping[str, str]) -> list[str]:
    """Each finding's test case name, ``CODE check-name: subject``; findings of one check on one
    subject (PM012 on a purpose naming two undeclared ones) are told apart by their related ids
    where those differ, and by a number where they do not."""
    plain = [f"{_label(f, names)}: {f.subject}" for f in findings]
    shared = Counter(plain)
    told = [
        f"{name} ({', '.join(f.related)})" if shared[name] > 1 and f.related else name
        for name, f in zip(plain, findings, strict=True)
    ]
    return _distinct(told)


def _class_name(file: str) -> str:
    """A file's test cases' ``classname``: its name less its suffix, since Jenkins takes what
    follows the last dot of a class name for the class (``agreements/a.yaml`` would show as a
    class ``yaml`` of a package ``agreements/a``), as ESLint's JUnit output does."""
    return PurePath(file).with_suffix("").as_posix() if PurePath(file).suffix else file


def _counted(element: "ET.Element") -> None:
    """Set an element's ``tests``, ``failures``, ``errors`` and ``skipped`` from its test cases."""
    cases = list(element.iter("testcase"))
    counts = (
        len(cases),
        sum(c.find("failure") is not None for c in cases),
        sum(c.find("error") is not None for c in cases),
        sum(c.find("skipped") is not None for c in cases),
    )
    for key, n in zip(("tests", "failures", "errors", "skipped"), counts, strict=True):
        element.set(key, str(n))


def to_junit(
    report: Report,
    *,
    fail_on: str | Severity | None = "warning",
    files: Sequence[str] = (),
    ascii: bool = False,
) -> str:
    """The report as JUnit XML, the test report Jenkins, Azure Pipelines, GitLab, Bitbucket
    and most CI systems show: what ``dpup check --format junit`` writes.

    Each file is a test suite (``testsuite``) and each finding a test case (``testcase``),
    named with the check's code and name and the finding's subject
    (``PM004 identity-not-needed: quarterly-report``; findings of one check on one subject in a
    file are told apart by their related ids, ``(nope-a)``, or else by a number, ``[2]``, as
    GitLab counts test cases of one name as one), with the file less its suffix as its
    ``classname`` (Jenkins reads what follows a class name's last dot as the class) and
    ``file`` and the finding's ``line``. A finding that reaches ``fail_on`` is a ``failure``
    (its ``message`` the finding's message, its text the message, path, fix, DPUP Guideline and
    place), so the report fails exactly when ``dpup check --fail-on`` does; an open finding below
    it is a test case that passes, with the same text as its ``system-out``; an accepted one is
    ``skipped``, with its acceptance as the message. A file with no finding has one test case
    that passes, ``no findings``.

    Parameters
    ----------
    report : Report
        Findings placed in their files by :meth:`~dpup.Report.located`; a finding in no file
        is in a suite named for its agreement (or ``dpup``, for a finding of no agreement).
    fail_on : {"error", "warning", "info", "never"} or Severity or None
        The severity from which a finding is a failure (``"never"`` or ``None``: none is).
    files : sequence of str
        Every file checked, so that a file with no finding has its suite too, in this order
        (the files of findings not among them follow, in the report's order).
    ascii : bool
        Write every character past ASCII as a character reference (for a stream that is not
        UTF-8).

    Returns
    -------
    str
        The XML document.

    Examples
    --------
    >>> import dpup
    >>> report = dpup.check_files("examples/best-foot-forward.yaml")
    >>> print(to_junit(report, files=["examples/best-foot-forward.yaml"]))  # doctest: +ELLIPSIS
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="dpup check" tests="1" failures="0" errors="0" skipped="0">
      <testsuite name="examples/best-foot-forward.yaml" tests="1" failures="0" errors="0" skipped="0">
        <testcase name="ME008 aggregate-about-no-one: programme-findings" classname="examples/best-foot-forward" file="examples/best-foot-forward.yaml" line="65">
          <system-out>info: aggregate information 'programme-findings' is not said to be about any group; ...
    """
    threshold = threshold_of(fail_on, "fail_on")
    rank = None if threshold is None else threshold.rank
    if isinstance(files, str):
        raise TypeError(f"files must be a sequence of file names, not the single string {files!r}")
    names = _names()
    suites: dict[str, list[Finding]] = {_repository_path(f): [] for f in files}
    for f in report:
        key = _repository_path(f.file) if f.file is not None else (f.agreement or "dpup")
        suites.setdefault(key, []).append(f)
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", {"name": "dpup check"})
    in_files = {_repository_path(f) for f in files} | {
        _repository_path(f.file) for f in report if f.file is not None
    }
    for name, findings in suites.items():
        suite = _element(root, "testsuite", name=name)
        classname = _class_name(name) if name in in_files else name
        if not findings:
            _element(suite, "testcase", name="no findings", classname=classname)
        for f, case_name in zip(findings, _case_names(findings, names), strict=True):
            where = {"file": name} if f.file is not None else {}
            if f.line is not None:
                where["line"] = str(f.line)
            case = _element(suite, "testcase", name=case_name, classname=classname, **where)
            text = "\n".join([f"{f.severity.value}: {f.message}", *_body(f)])
            if f.accepted is not None:
                _element(case, "skipped", message=f"accepted by {f.accepted.by}: {f.accepted.reason}")
            elif rank is not None and f.severity.rank >= rank:
                _element(case, "failure", text, message=f.message, type=f.severity.value)
            else:
                _element(case, "system-out", text)
        _counted(suite)
    _counted(root)
    return _serialised(root, ascii)


def problems_to_junit(
    problems: Sequence[Problem], *, omitted: Mapping[str, int] | None = None, ascii: bool = False
) -> str:
    """JUnit XML for files that are not valid agreements: what ``dpup check --format junit``
    writes when it exits 2. Each file is a test suite and each of its problems a test case in
    ``error`` (JUnit's word for a test that could not run: nothing was checked), named
    ``DPUP-LOAD invalid agreement: $.path`` (numbered, ``[2]``, after the first at one path),
    with the file and line; a file with more problems than are listed has one more, saying how
    many.

    Examples
    --------
    >>> import dpup
    >>> try:
    ...     dpup.loads("dpup: 1\\nagreement: {id: a, title: T}\\nflow: []\\n")
    ... except dpup.AgreementError as e:
    ...     print(problems_to_junit(e.with_source("a.yaml").problems))  # doctest: +ELLIPSIS
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="dpup check" tests="1" failures="0" errors="1" skipped="0">
      <testsuite name="a.yaml" tests="1" failures="0" errors="1" skipped="0">
        <testcase name="DPUP-LOAD invalid agreement: $.flow" classname="a" file="a.yaml" line="3">
          <error message="unknown key 'flow' in an agreement file" type="DPUP-LOAD">$.flow: unknown key 'flow' ...</error>
    ...
    """
    suites: dict[str, list[tuple[str, str | None, int | None, str, str]]] = {}
    for p in problems:  # suite -> (place, file, line, message, text) of each case
        file = _repository_path(p.file) if p.file is not None else None
        suites.setdefault(file or "dpup", []).append(
            (format_path(p.path), file, p.line, p.message, _problem_text(p))
        )
    for given, more in (omitted or {}).items():
        file = _repository_path(given)
        text = _omitted_text(given, more)
        suites.setdefault(file, []).append(("more problems", file, None, text, text))
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", {"name": "dpup check"})
    for name, cases in suites.items():
        suite = _element(root, "testsuite", name=name)
        case_names = _distinct([f"{LOAD_RULE} invalid agreement: {place}" for place, *_ in cases])
        for (_, file, line, message, text), case_name in zip(cases, case_names, strict=True):
            where = {"file": file} if file is not None else {}
            if line is not None:
                where["line"] = str(line)
            classname = _class_name(name) if file is not None else name
            case = _element(suite, "testcase", name=case_name, classname=classname, **where)
            _element(case, "error", text, message=message, type=LOAD_RULE)
        _counted(suite)
    _counted(root)
    return _serialised(root, ascii)
