"""The JSON documents the commands write with ``--format json``: the version of each command's
output, and a JSON Schema of each (internal: :func:`dpup.output_schema` is the public face).

Every document is ``dpup`` (what wrote it), the command's own keys, then ``problems`` and
``omitted`` (always empty in ``dpup checks``'s, which reads no file). The command's own keys are there exactly when every file loaded (``problems`` is
empty); when one did not, nothing was checked, compared or listed, and they are absent, so
that a program reading ``findings`` fails rather than taking a draft nobody could check for
one with nothing to fix. ``validate`` is the exception: it lists the files that did load
either way. The schemas say so with ``if``/``then``/``else`` on ``problems`` being empty, and
list those keys under ``properties`` but not ``required``: a validator holds a document to
both cases, and a type generated from the schema (which generators make from ``properties``
and ``required`` and leave ``if`` aside) has them optional, as a program must treat them.

No schema sets ``additionalProperties``: dpup may add a key without a new output version, and
a program should ignore keys it does not know. The tests hold the schemas exact all the same
(every key written is described, every key described is written).
"""

import functools
from collections.abc import Mapping
from typing import Any, Final, get_args

from dpup.checks._registry import GUIDELINES, PRINCIPLES, SEED_TITLES, LawLevel
from dpup.diff import _SECTION_NAMES
from dpup.errors import MAX_PROBLEMS
from dpup.render.notice import _SECTIONS as _NOTICE_SECTIONS
from dpup.render.notice import NOTICE_VERSIONS
from dpup.report import Family, Severity
from dpup.schema import CODE_PATTERN, DESCRIPTIONS, DIALECT, _nullable, _ref

__all__ = ["COMMANDS", "OUTPUT_VERSIONS", "output_schema"]

OUTPUT_VERSIONS: Final[Mapping[str, int]] = {
    "check": 1,
    "checks": 1,
    "compare": 1,
    "diff": 1,
    "holders": 1,
    "notice": 1,
    "validate": 1,
}
"""The version of each command's JSON output, written in every document as
``"dpup": {"version": ..., "command": ..., "output": N}``. A command's number goes up when a
key of its output is removed or renamed, or changes what it means; adding a key leaves it as
it is, so a tool should ignore keys it does not know."""

COMMANDS: Final = ("validate", "check", "compare", "diff", "holders", "notice", "checks")
"""The commands with JSON output, in the order the command line's help and docs list them."""

NAME_PATTERN: Final = "^[a-z0-9]+(-[a-z0-9]+)*$(?![\\n])"
"""A check's name: lowercase words joined by hyphens (``identity-not-needed``)."""

FINGERPRINT_PATTERN: Final = "^[0-9a-f]{16}$(?![\\n])"
"""A finding's fingerprint: 16 lowercase hexadecimal digits."""

JSON_PATH_PATTERN: Final = "^\\$"
"""A JSON path as dpup writes one: ``$``, then keys and indexes (``$.flows[2].to``)."""

DESCRIPTIONS_OUT: Final[Mapping[str, Mapping[str, str]]] = {
    "dpup": {
        "version": "the version of dpup that wrote the document, as `dpup --version` prints it",
        "command": "the command that wrote it",
        "output": "the version of the command's output: it goes up when a key is removed or renamed, "
        "or comes to mean something else, and stays as it is when a key is added",
    },
    "problem": {
        "file": "the file or directory the problem is in; null where it is not known",
        "line": "the 1-based line of the field in the file; null in a TOML file (but for a syntax "
        "error), and for a file or directory as a whole",
        "path": "the field path, as the message writes it (`$.flows[2].to`); `$` for a file or "
        "directory as a whole",
        "message": "what is wrong, in plain words naming the things involved",
        "expected": "what the field should hold; null where there is nothing to say",
        "found": "what it holds; null where there is nothing to say",
        "hint": "a suggestion, such as the key that was probably meant; null where there is none",
        "text": "the line printed for the problem on standard error",
    },
    "omitted": {
        "file": "the file",
        "problems": "how many more problems it has than are listed",
    },
    "finding": {
        "code": "the check's code: `PM`, `ME`, `UH` or `SV` and three digits, such as `PM004` "
        "(the check catalogue lists them)",
        "family": "the check's family: one for each DPUP Guideline",
        "severity": "how much the finding matters: `error`, `warning` or `info`",
        "subject": "the id of the flow, holder, purpose, information item, explanation or group it is about",
        "related": "other ids involved: groups, purposes, flows, checklist items...",
        "principles": "the DPUP Principles the check serves",
        "guideline": "the DPUP Guideline the check serves",
        "message": "what is wrong, naming the things involved",
        "remediation": "how to fix it",
        "path": "the holders the information passed through, where the check follows flows; empty "
        "where it does not",
        "agreement": "the id of the agreement the finding is in; null for a finding outside every agreement",
        "where": "the JSON path of the declaration the finding is about in its agreement "
        "(`$.flows[3]`, `$.holders[1].teams[0]`, `$.accepted[2]` for a stale acceptance); "
        "a finding about something a declaration leaves out points at the declaration; null for a "
        "finding outside every agreement, or about an id its agreement does not declare",
        "file": "the file the agreement was read from; null where the finding is not placed in a file",
        "line": "the 1-based line `where` starts on in `file`; null in a TOML file, and where `file` is null",
        "fingerprint": "a hash of the code, agreement, subject and related ids: the same from one "
        "revision of a file to the next while the finding is about the same thing, however it is "
        "worded or wherever it is",
        "accepted": "null for an open finding; for an accepted one, the agreement's acceptance of "
        "it: an accepted finding does not fail a run",
    },
    "acceptance": {
        "reason": DESCRIPTIONS["acceptance"]["reason"],
        "by": DESCRIPTIONS["acceptance"]["by"],
    },
    "counts": {
        **{f.value: f"how many open findings are of the family `{f.value}`" for f in Family},
        **{s.value: f"how many open findings are of severity `{s.value}`" for s in Severity},
        "accepted": "how many findings are accepted (counted here only)",
    },
    "comparison_counts": {
        "fixed": "how many findings are in `fixed`",
        "new": "how many findings are in `new`",
        "remaining": "how many findings are in `remaining`",
    },
    "loaded": {
        "file": "the file",
        "id": "its agreement's id",
        "flows": "how many flows the agreement declares",
    },
    "draft": {
        "id": "the agreement's id (`agreement.id`)",
        "file": "the file it was read from",
    },
    "pair": {
        "before": "the earlier draft",
        "after": "the later draft",
        "changes": "the declarations added, removed and changed, section by section in the file's "
        "order (the header first); empty when the drafts declare the same things",
    },
    "change": {
        "kind": "`added` (in the later draft only), `removed` (in the earlier draft only) or "
        "`changed` (in both, and different)",
        "section": "where it is declared: a list of the file (`flows`), `agreement` for the header, "
        "or `teams` for a holder's teams",
        "id": "what it is: its id; an access arrangement's contact; the ids an engagement record "
        "is with, joined by `, ` (`(no one)` for nobody); an acceptance's code and subject. The "
        "second declaration with the same key in its draft has ` (2)` after it",
        "where": "its JSON path: in the later draft, or for a removed one in the earlier "
        "(`$.flows[3]`, `$.holders[1].teams[0]`)",
        "fields": "for a changed declaration, each field that differs, in the file's key order; for "
        "an added or removed one, every field it sets but its id",
    },
    "field": {
        "key": "the field's key in the file (`carries`); an explanation's answers and lists are "
        "fields of their own (`says.why`, `names.holders`), and a team's `organisation` is the "
        "holder it is declared under",
        "before": "its value in the earlier draft as the file holds it (text, a list of ids, true "
        "or false, a date as `YYYY-MM-DD`); null where that draft does not set it",
        "after": "its value in the later draft, as `before`; null where that draft does not set it",
    },
    "holding": {
        "holder": "the holder's id: an organisation or a team",
        "name": "its name (its id, where it has none)",
        "organisation": "the id of its organisation: its own id for an organisation, for a team the "
        "organisation it is declared under",
        "information": "the ids of the information items about the group that it receives or "
        "sends, in the order first met",
        "purposes": "the purposes of the flows that bring it that information, in the order first "
        "met (a flow with no purpose adds none)",
        "flows": "the ids of the flows that bring it that information or take it on, in the order "
        "first met: `received_by` and `sent_by` together",
        "ask": "whom people ask to see or correct what it holds: the contacts of the access and "
        "correction arrangements that cover it (directly, or by being the contact, first; then "
        "through its organisation); empty when none does",
        "received_by": "the ids of the flows that bring it that information",
        "sent_by": "the ids of the flows by which it sends that information on",
    },
    "section": {
        "key": "which part: `about` (the introduction), then the parts of DPUP's 'what service "
        "users need to know', in its order",
        "heading": "the part's heading, in the notice's version",
        "said": "the agreement's own answers, as written in its explanations for the group",
        "facts": "what dpup says from the agreement's declarations: its information, holders, "
        "purposes, access arrangements and flows",
        "unsaid": "what the part should say and the agreement does not, each worded for the "
        "notice's writer (`why it is needed`); empty when nothing is missing",
    },
    "validate": {
        "agreements": "each file that loaded, in the order given (a directory's agreement files in "
        "name order); there whether or not other files did",
    },
    "check": {
        "findings": "every finding of the agreements checked together, accepted ones too, by family, "
        "then code, agreement, subject and related ids",
        "counts": "the open (not accepted) findings counted by family and by severity, every family "
        "and severity always present, and the accepted ones apart: an open finding is counted once "
        "in its family and once in its severity, an accepted one only under `accepted`",
        "not_shown": "how many findings of the checks `--select` and `--ignore` left out are not "
        "shown (nor counted); there only when either option is given, 0 included",
    },
    "compare": {
        "fixed": "the findings of the earlier draft that the later one no longer has, as the earlier "
        "draft has them",
        "new": "the findings of the later draft that the earlier one did not have",
        "remaining": "the findings of the later draft that the earlier one had too (an accepted "
        "finding is still open: accepting is not fixing)",
        "counts": "how many findings were fixed, are new and remain",
        "by_agreement": "how findings were matched: `true` within the agreement they are in, "
        "`false` across agreement ids (each draft one agreement, so a draft saved under a new id "
        "still matches its revision)",
        "not_shown": "how many findings of the two drafts, of the checks `--select` and `--ignore` "
        "left out, are not compared; there only when either option is given, 0 included",
    },
    "diff": {
        "agreements": "each pair of drafts compared, with what changed: the two drafts when each "
        "side is one agreement, whatever their ids; otherwise the agreements with the same id on "
        "both sides, in the earlier side's order",
        "added": "the agreements only the later side has, each with its file",
        "removed": "the agreements only the earlier side has, each with its file",
    },
    "holders": {
        "group": "the id of the service-user group, as given",
        "holders": "every holder of information about the group, however it got there, in the "
        "order of the flows; empty when no flow carries information said to be about it",
    },
    "checks": {
        "checks": "the checks named (every check, when none was), in the catalogue's order",
    },
    "check_entry": {
        "code": "the check's stable code: `PM`, `ME`, `UH` or `SV` and three digits; a code never "
        "changes meaning once released",
        "name": "the check's name, in lowercase words joined by hyphens",
        "family": "the check's family: one for each DPUP Guideline",
        "severity": "the severity of its findings: `error`, `warning` or `info`",
        "guideline": "the DPUP Guideline the check serves",
        "principles": "the DPUP Principles the check serves",
        "law": "the Privacy Act 2020 information privacy principle behind the check; null where "
        "none applies directly and the check is DPUP's good practice alone",
        "finds": "what the check finds, in plain words",
        "remediation": "how to fix what it finds (a finding may say more particularly)",
        "seeds": "the words of the DPUP documents the check rests on",
    },
    "law": {
        "ipp": "the information privacy principles, such as `IPP 1` or `IPP 6, IPP 7`",
        "level": "`legal minimum` when the check asks what the law requires; `good practice` when "
        "it asks what DPUP adds beyond it",
        "note": "how the law bears on what the check finds",
    },
    "seed": {
        "doc": "the DPUP document, by number: `000` to `004`",
        "title": "the document's title",
        "section": "where in the document the words are, outermost first, joined by ` › `",
        "quote": "the words, as the document has them",
    },
    "notice": {
        "agreement": "the agreement's id",
        "title": "the notice's title",
        "group": "the id of the group it is for",
        "version": "the notice's version: `adult` (DPUP's wording) or `child` (simpler headings "
        "and sentences)",
        "ready": "whether the notice can be given as it is: nothing unsaid, and no open finding "
        "about what it tells (the command exits 0)",
        "sections": "the introduction (`about`), then the parts of DPUP's 'what service users need "
        "to know', in its order",
        "findings": "the open findings of `dpup check` on the agreement that concern what the "
        "notice tells (so `accepted` is null)",
    },
}
"""What each key of each command's document holds: by definition (a finding, a problem...) or,
for a command's own keys, by command. Tools show these beside the keys."""

_SUMMARIES: Final[Mapping[str, str]] = {
    "validate": "the agreement files that loaded, and the problems of those that did not",
    "check": "the findings of the agreement files, checked together against DPUP",
    "compare": "the findings two drafts fixed, brought and kept",
    "diff": "the declarations two drafts added, removed and changed",
    "holders": "who holds information about a group of service users, and whom they ask",
    "notice": "the plain-language notice for a group of service users",
    "checks": "the checks dpup runs: what each finds, the DPUP Guideline and Principles it serves, "
    "the law behind it, the DPUP text it rests on and how to fix what it finds",
}
"""What each command's document reports, for its schema's description."""

_GRAPH: Final = frozenset({"check", "compare", "holders"})
"""The commands that build one graph of their files, and so report two agreements that
disagree about what an id is as a problem."""

_DEFINITION_TEXT: Final[Mapping[str, str]] = {
    "dpup": "what wrote the document: always its first key",
    "problem": "a problem that stopped a file being read, or the files being taken together",
    "omitted": f"a file with more problems than are listed (only the first {MAX_PROBLEMS} of a file are)",
    "finding": "a finding of one check",
    "acceptance": "the agreement's acceptance of a finding (its entry in `accepted`)",
    "counts": "findings counted",
    "comparison_counts": "findings counted",
    "loaded": "a file that loaded",
    "draft": "an agreement, and the file it was read from",
    "pair": "two drafts of one agreement, and what changed between them",
    "change": "a declaration added, removed or changed",
    "field": "one field of a declaration, before and after",
    "holding": "what one holder has of the group's information, and whom to ask about it",
    "section": "one part of the notice",
    "check_entry": "one check of the catalogue",
    "law": "the Privacy Act 2020 behind a check",
    "seed": "words of a DPUP document a check rests on",
}
"""What each definition is."""

_STRINGS: Final = {"type": "array", "items": {"type": "string"}}
"""A list of text: ids, or sentences."""


def _text(schema: Mapping[str, Any], text: str) -> dict[str, Any]:
    return {**schema, "description": text}


def _object(name: str, properties: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """An object whose keys are always all there, each described from :data:`DESCRIPTIONS_OUT`."""
    described = DESCRIPTIONS_OUT[name]
    return {
        "type": "object",
        "description": _DEFINITION_TEXT[name],
        "required": list(properties),
        "properties": {key: _text(schema, described[key]) for key, schema in properties.items()},
    }


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/definitions/{name}"}}


def _count() -> dict[str, Any]:
    return {"type": "integer", "minimum": 0}


def _line() -> dict[str, Any]:
    return _nullable({"type": "integer", "minimum": 1})


@functools.cache
def _definitions() -> dict[str, dict[str, Any]]:
    """Every definition a document may refer to: each schema carries those it uses."""
    string, text_or_null = {"type": "string"}, _nullable({"type": "string"})
    json_path = {"type": "string", "pattern": JSON_PATH_PATTERN}
    principles = sorted({p for ps in PRINCIPLES.values() for p in ps})
    value = {"type": ["string", "boolean", "array", "null"], "items": {"type": "string"}}
    return {
        "problem": _object(
            "problem",
            {
                "file": text_or_null,
                "line": _line(),
                "path": json_path,
                "message": string,
                "expected": text_or_null,
                "found": text_or_null,
                "hint": text_or_null,
                "text": string,
            },
        ),
        "omitted": _object("omitted", {"file": string, "problems": {"type": "integer", "minimum": 1}}),
        "acceptance": _object("acceptance", {"reason": string, "by": string}),
        "finding": _object(
            "finding",
            {
                "code": {"type": "string", "pattern": CODE_PATTERN},
                "family": {"enum": [f.value for f in Family]},
                "severity": {"enum": [s.value for s in Severity]},
                "subject": string,
                "related": _STRINGS,
                "principles": {"type": "array", "items": {"enum": principles}},
                "guideline": {"enum": list(GUIDELINES.values())},
                "message": string,
                "remediation": string,
                "path": _STRINGS,
                "agreement": text_or_null,
                "where": _nullable(json_path),
                "file": text_or_null,
                "line": _line(),
                "fingerprint": {"type": "string", "pattern": FINGERPRINT_PATTERN},
                "accepted": _nullable(_ref("acceptance")),
            },
        ),
        "check_entry": _object(
            "check_entry",
            {
                "code": {"type": "string", "pattern": CODE_PATTERN},
                "name": {"type": "string", "pattern": NAME_PATTERN},
                "family": {"enum": [f.value for f in Family]},
                "severity": {"enum": [s.value for s in Severity]},
                "guideline": {"enum": list(GUIDELINES.values())},
                "principles": {"type": "array", "items": {"enum": principles}},
                "law": _nullable(_ref("law")),
                "finds": string,
                "remediation": string,
                "seeds": {**_list_of("seed"), "minItems": 1},
            },
        ),
        "law": _object(
            "law",
            {"ipp": string, "level": {"enum": list(get_args(LawLevel))}, "note": string},
        ),
        "seed": _object(
            "seed",
            {
                "doc": {"enum": list(SEED_TITLES)},
                "title": {"enum": list(SEED_TITLES.values())},
                "section": string,
                "quote": string,
            },
        ),
        "counts": _object("counts", {key: _count() for key in DESCRIPTIONS_OUT["counts"]}),
        "comparison_counts": _object(
            "comparison_counts", {key: _count() for key in DESCRIPTIONS_OUT["comparison_counts"]}
        ),
        "loaded": _object("loaded", {"file": string, "id": string, "flows": _count()}),
        "draft": _object("draft", {"id": string, "file": string}),
        "field": _object("field", {"key": string, "before": value, "after": value}),
        "change": _object(
            "change",
            {
                "kind": {"enum": ["added", "removed", "changed"]},
                "section": {"enum": list(_SECTION_NAMES)},
                "id": string,
                "where": json_path,
                "fields": _list_of("field"),
            },
        ),
        "pair": _object(
            "pair", {"before": _ref("draft"), "after": _ref("draft"), "changes": _list_of("change")}
        ),
        "holding": _object(
            "holding",
            {
                "holder": string,
                "name": string,
                "organisation": text_or_null,
                "information": _STRINGS,
                "purposes": _STRINGS,
                "flows": _STRINGS,
                "ask": _STRINGS,
                "received_by": _STRINGS,
                "sent_by": _STRINGS,
            },
        ),
        "section": _object(
            "section",
            {
                "key": {"enum": ["about", *(key for key, *_ in _NOTICE_SECTIONS)]},
                "heading": string,
                "said": _STRINGS,
                "facts": _STRINGS,
                "unsaid": _STRINGS,
            },
        ),
    }


def _own_keys(command: str) -> dict[str, dict[str, Any]]:
    """The schema of each of the command's own keys (those between ``dpup`` and ``problems``)."""
    string = {"type": "string"}
    findings = _list_of("finding")
    match command:
        case "validate":
            return {"agreements": _list_of("loaded")}
        case "check":
            return {"findings": findings, "counts": _ref("counts"), "not_shown": _count()}
        case "compare":
            return {
                "fixed": findings,
                "new": findings,
                "remaining": findings,
                "counts": _ref("comparison_counts"),
                "by_agreement": {"type": "boolean"},
                "not_shown": _count(),
            }
        case "diff":
            return {"agreements": _list_of("pair"), "added": _list_of("draft"), "removed": _list_of("draft")}
        case "holders":
            return {"group": string, "holders": _list_of("holding")}
        case "checks":
            return {"checks": _list_of("check_entry")}
        case "notice":
            never_accepted = {"type": "null", "description": "null: a notice's findings are open ones"}
            open_finding = {
                "allOf": [{"$ref": "#/definitions/finding"}, {"properties": {"accepted": never_accepted}}]
            }
            return {
                "agreement": string,
                "title": string,
                "group": string,
                "version": {"enum": list(NOTICE_VERSIONS)},
                "ready": {"type": "boolean"},
                "sections": _list_of("section"),
                "findings": {"type": "array", "items": open_finding},
            }
    raise AssertionError(command)  # output_schema checks the name first


_NO_FILES: Final = frozenset({"checks"})
"""The commands that read no file: their own keys are always there, and ``problems`` and
``omitted`` always empty (there, as in every document, for a program that reads any)."""

_OPTIONAL: Final = frozenset({"not_shown"})
"""Own keys a document may lack even when every file loaded: ``not_shown`` is there only with
``--select`` or ``--ignore``."""


def _uses(schema: Any) -> set[str]:
    """The definitions a schema refers to, directly."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        found = {ref.rsplit("/", 1)[1]} if isinstance(ref, str) else set()
        return found.union(*(_uses(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_uses(v) for v in schema))
    return set()


@functools.cache
def output_schema(command: str) -> dict[str, Any]:
    """The schema of one command's document (shared: :func:`dpup.output_schema` copies it)."""
    version = OUTPUT_VERSIONS[command]
    own = _own_keys(command)
    described = DESCRIPTIONS_OUT[command]
    causes = [
        "a file that is not a valid agreement, does not exist or cannot be read",
        "a directory that cannot be read or holds no agreement file",
        "two files holding one agreement id",
        *(["two agreements that disagree about what an id is"] if command in _GRAPH else []),
    ]
    header = _object(
        "dpup",
        {
            "version": {"type": "string"},
            "command": {"const": command},
            "output": {"const": version},
        },
    )
    properties: dict[str, Any] = {
        "dpup": header,
        **{key: _text(schema, described[key]) for key, schema in own.items()},
        "problems": _text(
            _list_of("problem"),
            f"every problem that stopped the files being taken together: {'; '.join(causes[:-1])}; "
            f"or {causes[-1]}; empty when every file loaded",
        ),
        "omitted": _text(
            _list_of("omitted"),
            "each file with more problems than `problems` lists, and how many more; empty when "
            "every file loaded",
        ),
    }
    always = ["agreements"] if command == "validate" else []
    if command in _NO_FILES:  # nothing read, so nothing can fail to load
        always = list(own)
        for key in ("problems", "omitted"):
            properties[key] = _text(
                {**properties[key], "maxItems": 0}, f"always empty: dpup {command} reads no file"
            )
    loaded = [key for key in own if key not in _OPTIONAL and key not in always]
    then: dict[str, Any] = {"properties": {"omitted": {"maxItems": 0}}}
    if command == "validate":  # every file loaded, and there was at least one
        then["properties"]["agreements"] = {"minItems": 1}
    if loaded:
        then["required"] = loaded
    conditions: dict[str, Any] = {}
    if command not in _NO_FILES:
        conditions = {
            "if": {"required": ["problems"], "properties": {"problems": {"maxItems": 0}}},
            "then": then,
        }
    description = (
        f"What `dpup {command} --format json` writes: {_SUMMARIES[command]}. Keys may be added "
        "without a new output version (`dpup.output`): a program should ignore keys it does not know."
    )
    if loaded:
        conditions["else"] = {"properties": dict.fromkeys(own, False)}
        description += (
            f" The command's own keys ({', '.join(f'`{key}`' for key in own)}) are there only "
            "when every file loaded (`problems` is empty); when one did not, the command "
            "reports nothing, and the document holds `dpup`, `problems` and `omitted` alone. So they are "
            "not `required`: `if`/`then`/`else` on `problems` says when they are there, and a "
            "type generated from the schema has them optional, as a program must treat them."
        )
    definitions = _definitions()
    used: set[str] = set()
    todo = _uses(properties)
    while todo:
        name = todo.pop()
        used.add(name)
        todo |= _uses(definitions[name]) - used
    return {
        "$schema": DIALECT,
        "title": f"dpup {command} output (version {version})",
        "description": description,
        "type": "object",
        "required": ["dpup", *always, "problems", "omitted"],
        "properties": properties,
        **conditions,
        "definitions": {name: definitions[name] for name in definitions if name in used},
    }
