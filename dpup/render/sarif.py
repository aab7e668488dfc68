"""SARIF 2.1.0 logs, for code-review systems: GitHub code scanning, Azure DevOps, the SARIF
viewers of editors.

A log has one run, whose tool (``dpup``) lists every check of the catalogue as a rule (its
code, name, what it finds, how to fix it, its DPUP Principles and Guideline, the seed text it
rests on and its Privacy Act note) and one result per finding. A result points at the
finding's file and line (once :meth:`~dpup.Report.located` has found them, as ``dpup check``
does), carries the finding's fingerprint (so a code-review system follows a finding from one
revision of a draft to the next), and an accepted finding is a result suppressed in the
source, with its acceptance as the justification.
"""

import json
import os
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from dpup.checks import Check, catalogue
from dpup.report import Finding, Report, Severity

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "render_sarif", "to_sarif"]

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
        The log: ``version``, ``$schema`` and one run, with the catalogue as the tool's rules
        and a result per finding, in the report's order.

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
    from dpup import __version__  # dpup imports this module as it starts

    rules = catalogue()
    index = {c.code: i for i, c in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dpup",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(c) for c in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index.get(f.code)) for f in report],
            }
        ],
    }


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
