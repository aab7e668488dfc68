"""SARIF 2.1.0 logs, for code-review systems: GitHub code scanning, Azure DevOps, the SARIF
viewers of editors.

A log has one run, whose tool (``dpup``) lists every check of the catalogue as a rule (its
code, name, what it finds, how to fix it, its DPUP Principles and Guideline, the seed text it
rests on and its Privacy Act note) and one result per finding. A result points at the
finding's file and line (once :meth:`~dpup.Report.located` has found them, as ``dpup check``
does), carries the finding's fingerprint (so a code-review system follows a finding from one
revision of a draft to the next), and an accepted finding is a result suppressed in the
source, with its acceptance as the justification.

Files that are not valid agreements are checked for nothing; :func:`problems_to_sarif` gives
the log ``dpup check --format sarif`` writes for them: a result per problem under the rule
:data:`LOAD_RULE`, at the problem's file and line, and an invocation that did not succeed.
"""

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from dpup.checks import Check, catalogue
from dpup.errors import Problem, format_path
from dpup.report import Finding, Report, Severity

__all__ = ["LOAD_RULE", "SARIF_SCHEMA", "SARIF_VERSION", "problems_to_sarif", "render_sarif", "to_sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
"""The OASIS schema of the SARIF version written (the log's ``$schema``)."""

FINGERPRINT = "dpup/v1"
"""The name of the finding's :attr:`~dpup.Finding.fingerprint` among a result's
``partialFingerprints``."""

_LEVELS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}
"""SARIF's level for each severity (SARIF calls information a note)."""

LOAD_RULE = "DPUP-LOAD"
"""The id of the rule whose results are the problems of files that are not valid agreements
(the last of every log's rules, after the check catalogue)."""

_LOAD_HELP = (
    "correct what the result says at the line and field path it names (the syntax, a value "
    "of the wrong type, an unknown or misspelt key, a missing field, an id used twice, a "
    "reference to something the agreement does not declare), or give files that exist and "
    "can be read and agreements with different ids. `dpup validate FILE` lists the same "
    "problems. Until every file given loads, dpup checks none of them, so the run has no "
    "findings."
)


def to_sarif(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log, as JSON-ready data.

    Parameters
    ----------
    report : Report
        Findings located in their files (:meth:`~dpup.Report.located`) point at a file and
        line; others carry only the agreement and the place in it (a logical location).

    Returns
    -------
    dict
        The log: ``version``, ``$schema`` and one run, with the catalogue (and, last,
        :data:`LOAD_RULE`) as the tool's rules and a result per finding, in the report's order.

    Examples
    --------
    >>> import dpup
    >>> report = dpup.check(dpup.examples.load("best-foot-forward-before"))
    >>> log = to_sarif(report.located({"best-foot-forward-before": "agreement.yaml"}))
    >>> result = log["runs"][0]["results"][0]
    >>> result["ruleId"], result["level"]
    ('PM002', 'error')
    >>> result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    'agreement.yaml'
    """
    rules = catalogue()
    index = {c.code: i for i, c in enumerate(rules)}
    return _log([_result(f, index.get(f.code)) for f in report])


def problems_to_sarif(
    problems: Sequence[Problem], *, omitted: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The SARIF 2.1.0 log of files that are not valid agreements, as JSON-ready data: what
    ``dpup check --format sarif`` writes when it exits 2.

    Each problem is a result of the rule :data:`LOAD_RULE`, at level ``error``, pointing at
    its file and line (a code-review system shows it there, as it shows a finding), with its
    field path as a logical location and in its properties, with ``expected``, ``found`` and
    ``hint``. The run's one invocation has ``executionSuccessful`` false and exit code 2,
    since nothing was checked: GitHub code scanning still shows the results of a tool other
    than CodeQL, and marks the analysis as one whose tool exited with errors.

    Parameters
    ----------
    problems : sequence of Problem
        The problems, each with the file it is in (a problem with no file has only a logical
        location, which code scanning does not show).
    omitted : mapping of str to int, optional
        For a file with more problems than are listed, how many more there are; each is a
        tool execution notification.

    Examples
    --------
    >>> import dpup
    >>> try:
    ...     dpup.loads("dpup: 1\\nagreement: {id: demo, titel: Demo}\\n")
    ... except dpup.AgreementError as error:
    ...     log = problems_to_sarif(error.with_source("demo.yaml").problems)
    >>> run = log["runs"][0]
    >>> [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]]
    [('DPUP-LOAD', 2), ('DPUP-LOAD', 2)]
    >>> run["invocations"][0]["executionSuccessful"]
    False
    """
    omitted = dict(omitted or {})
    rule = len(catalogue())
    n = len(problems) + sum(omitted.values())
    files = {p.file for p in problems if p.file is not None} | set(omitted)
    summary = (
        f"{n:,} problem{'s' if n != 1 else ''} in {len(files):,} file{'s' if len(files) != 1 else ''}; "
        "dpup checks nothing until every file given loads"
    )
    notifications: list[dict[str, Any]] = [{"level": "error", "message": {"text": summary}}]
    for file, more in omitted.items():
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{file}: and {more:,} more problem{'s' if more != 1 else ''}, not listed "
                    "(only the first of a file are)"
                },
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _file_uri(file)}}}],
            }
        )
    invocation = {
        "executionSuccessful": False,
        "exitCode": 2,
        "exitCodeDescription": summary,
        "toolExecutionNotifications": notifications,
    }
    return _log([_problem_result(p, rule) for p in problems], invocation)


def _log(results: list[dict[str, Any]], invocation: dict[str, Any] | None = None) -> dict[str, Any]:
    from dpup import __version__  # dpup imports this module as it starts

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dpup",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [*(_rule(c) for c in catalogue()), _load_rule()],
            }
        },
    }
    if invocation is not None:
        run["invocations"] = [invocation]
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = results
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: Report, *, indent: int | None = 2, ascii: bool = False) -> str:
    """The report as SARIF 2.1.0 JSON text (see :func:`to_sarif`); with ``ascii``, every
    character past ASCII is written as a JSON escape.

    Examples
    --------
    >>> import json, dpup
    >>> log = json.loads(render_sarif(dpup.check(dpup.examples.load("best-foot-forward"))))
    >>> log["version"], [r["ruleId"] for r in log["runs"][0]["results"]]
    ('2.1.0', ['ME008'])
    """
    return json.dumps(to_sarif(report), indent=indent, ensure_ascii=ascii)


def _rule(c: Check) -> dict[str, Any]:
    basis = [f"{s.title} ({s.section}): “{s.quote}”" for s in c.seeds]
    law = [] if c.law is None else [f"Privacy Act 2020 ({c.law.ipp}, {c.law.level}): {c.law.note}"]
    serves = f"Serves the DPUP Guideline {c.guideline}; Principles: {', '.join(c.principles)}."
    return {
        "id": c.code,
        "name": c.name,
        "shortDescription": {"text": _first_sentence(c.finds)},
        "fullDescription": {"text": c.finds},
        "help": {
            "text": "\n\n".join([f"How to fix: {c.remediation}", serves, *basis, *law]),
            "markdown": "\n\n".join(
                [
                    f"**How to fix:** {c.remediation}",
                    serves,
                    *(f"> {s.quote}\n>\n> — *{s.title}*, {s.section}" for s in c.seeds),
                    *law,
                ]
            ),
        },
        "defaultConfiguration": {"level": _LEVELS[c.severity]},
        "properties": {
            "tags": ["dpup", c.family.value, *c.principles],
            "family": c.family.value,
            "guideline": c.guideline,
            "principles": list(c.principles),
        },
    }


def _load_rule() -> dict[str, Any]:
    finds = (
        "A file that is not a valid agreement: its syntax, a value of the wrong type, an unknown "
        "key, a missing field, an id used twice or a reference to something the agreement does "
        "not declare; or a file or directory that does not exist or cannot be read, a directory "
        "with no agreement file, or two files holding agreements with the same id (or with one "
        "id meaning different things). Nothing is checked until every file given loads."
    )
    return {
        "id": LOAD_RULE,
        "name": "not-a-valid-agreement",
        "shortDescription": {"text": "A file is not a valid agreement, so nothing was checked."},
        "fullDescription": {"text": finds},
        "help": {"text": f"How to fix: {_LOAD_HELP}", "markdown": f"**How to fix:** {_LOAD_HELP}"},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["dpup", "load-error"]},
    }


def problem_fingerprint(p: Problem) -> str:
    """A problem's fingerprint: its file, field path and message, not its line, so that it
    stays the same problem when lines are added above it (SARIF's and GitLab's alike)."""
    key = "\x1f".join([LOAD_RULE, p.file or "", format_path(p.path), p.message])
    return hashlib.sha256(key.encode(errors="surrogatepass")).hexdigest()[:16]


def _problem_result(p: Problem, rule: int) -> dict[str, Any]:
    where = format_path(p.path)
    location: dict[str, Any] = {}
    if p.file is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _file_uri(p.file)}}
        if p.line is not None:
            physical["region"] = {"startLine": p.line}
        location["physicalLocation"] = physical
    location["logicalLocations"] = [{"fullyQualifiedName": where}]
    return {
        "ruleId": LOAD_RULE,
        "ruleIndex": rule,
        "level": "error",
        "message": {"text": str(p)[len(p.where) + 2 :]},  # what the line on stderr says after the place
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: problem_fingerprint(p)},
        "properties": {"path": where, "expected": p.expected, "found": p.found, "hint": p.hint},
    }


def _first_sentence(text: str) -> str:
    """The first sentence of a check's description, for the short description a code-review
    system shows at the top of an alert."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _result(f: Finding, rule: int | None) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": f.code}
    if rule is not None:  # a finding made by hand may have a code no check has
        result["ruleIndex"] = rule
    result["level"] = _LEVELS[f.severity]
    text = f"{f.message} How to fix: {f.remediation}" if f.remediation else f.message
    result["message"] = {"text": text}
    location = _location(f)
    if location:
        result["locations"] = [location]
    result["partialFingerprints"] = {FINGERPRINT: f.fingerprint}
    if f.accepted is not None:
        result["suppressions"] = [
            {
                "kind": "inSource",
                "status": "accepted",
                "justification": f"accepted by {f.accepted.by}: {f.accepted.reason}",
            }
        ]
    result["properties"] = {
        "family": f.family.value,
        "subject": f.subject,
        "related": list(f.related),
        "path": list(f.path),
        "agreement": f.agreement,
        "where": f.where,
    }
    return result


def _location(f: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {}
    if f.file is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _file_uri(f.file)}}
        if f.line is not None:
            physical["region"] = {"startLine": f.line}
        location["physicalLocation"] = physical
    if f.agreement is not None:
        name = f.agreement if f.where is None else f"{f.agreement}:{f.where}"
        location["logicalLocations"] = [{"name": f.subject, "fullyQualifiedName": name, "kind": "object"}]
    return location


def _file_uri(file: str) -> str:
    """A file's path as a SARIF artifact URI: a relative path stays relative (a code-review
    system reads it from the root of the checkout), with ``/`` between its parts and every
    other character that a URI cannot hold percent-encoded; an absolute path becomes a
    ``file:`` URI.

    Examples
    --------
    >>> _file_uri("agreements/city centre.yaml")
    'agreements/city%20centre.yaml'
    >>> _file_uri("/srv/agreements/ccss.yaml")
    'file:///srv/agreements/ccss.yaml'
    """
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri()
    # bytes, so that a name that is not UTF-8 (held by Python as lone surrogates) is
    # encoded byte for byte rather than refused
    return quote(os.fsencode(path.as_posix()), safe="/")
