"""The JSON Schema of the agreement file format: for editors, and for other tools.

An editor that knows the schema checks an agreement file as it is typed: it completes keys,
shows what each one holds, and underlines a misspelt key, a missing ``id`` or a ``kind`` of
``charity`` before the file is ever loaded. The schema is made from the same model classes
the loader builds (:mod:`dpup.model`), so it cannot drift from what :func:`dpup.load` reads.

It describes the shape of a file, which is all a schema can: keys, types, required keys,
the form of ids and codes, the values of ``kind``, ``identifiability`` and ``sensitivity``, and
the lists where an id may appear only once. Ids that are unique across the agreement and
references that resolve are checked by :func:`dpup.load` (and ``dpup validate``), and what
a draft lacks in DPUP's terms by :func:`dpup.check`. The JSON form of a file the schema
refuses does not load; a file it accepts may still have a load error of that kind.

:func:`output_schema` gives the other JSON Schemas dpup has: those of the documents the
commands write with ``--format json``, for the programs that read them (built in
:mod:`dpup._private.output`, from the definitions here and the classes whose ``to_dict`` the
commands write).
"""

import copy
import datetime
import difflib
import enum
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, Final

import attrs

from dpup import model as m
from dpup._private.converter import FORMAT_VERSION, HEADER, _id_kind, allowed_keys

__all__ = ["json_schema", "output_schema"]

DIALECT: Final = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the newest draft that every editor's YAML and JSON support reads in full."""

_DEFINITIONS: Final[Mapping[type, str]] = {
    m.ServiceUser: "service_user",
    m.Provider: "holder",
    m.Team: "team",
    m.Purpose: "purpose",
    m.Information: "information",
    m.DataFlow: "flow",
    m.Explanation: "explanation",
    m.Names: "names",
    m.Checklist: "says",
    m.AccessArrangement: "access",
    m.Engagement: "engagement",
    m.Acceptance: "acceptance",
}
"""The name of each model class's definition in the schema (an agency is a holder too)."""

_ONCE: Final[Mapping[type, frozenset[str]]] = {
    m.Agreement: frozenset({"parties"}),
    m.Information: frozenset({"about"}),
    m.DataFlow: frozenset({"carries"}),
    m.Explanation: frozenset({"for_", "covers"}),
    m.Names: frozenset({"holders", "purposes"}),
    m.AccessArrangement: frozenset({"covers"}),
    m.Engagement: frozenset({"with_"}),
}
"""The lists of ids in which an id listed twice is a load error (``carries: [record, record]``
would count it twice); the model checks them in :func:`dpup.model._build_index`."""

DESCRIPTIONS: Final[Mapping[str, Mapping[str, str]]] = {
    "top": {
        "dpup": "the format version: `1`",
        "agreement": "the agreement's header",
        "service_users": "the groups of people the information is about",
        "holders": "the organisations that hold information, with their teams",
        "purposes": "why information is used",
        "information": "what is collected, moved or held",
        "flows": "each movement of information",
        "explanations": "what each group is told",
        "access": "how people ask for access and correction",
        "engagement": "who was involved in deciding",
        "accepted": "findings considered and accepted",
    },
    "agreement": {
        "id": "the agreement's id (its own namespace: it may equal another id in the file)",
        "title": "the agreement's title",
        "parties": "the organisations that are party to the agreement",
        "review_by": "when the agreement is due for review",
    },
    "service_user": {
        "id": "the group's id",
        "name": 'who the group is, such as "Parents and caregivers in the programme"',
        "needs_extra_care": "the group needs extra care; names the version of an explanation made "
        "for them: `child`, `easy-read`, a language...",
        "maori_data_interest": "information about this group is of interest to Māori (iwi, hapū, "
        "whānau), so its use calls for Māori engagement or partnership",
        "description": "more about the group",
    },
    "holder": {
        "id": "the organisation's id",
        "kind": "a service provider, or a government agency",
        "name": "the organisation's name",
        "teams": "parts of the organisation with purposes of their own",
        "description": "more about the organisation",
    },
    "team": {
        "id": "the team's id (by convention `organisation.team`)",
        "name": "the team's name",
        "purposes": "the purposes the team is set up for; information sent to it for another "
        "purpose is a finding",
        "description": "more about the team",
    },
    "purpose": {
        "id": "the purpose's id",
        "description": "what the purpose is, in words; missing is a finding",
        "benefit": "how the use benefits the people the information is about; missing is a finding",
        "needs_identity": "whether the purpose needs information that identifies people; not "
        "stated is a finding",
        "authority": "the law, agreement clause or other authority that allows the use; missing is a finding",
        "compatible_with": "purposes this one is declared compatible with: information that "
        "arrived for one of them may be used onward for this one",
    },
    "information": {
        "id": "the item's id",
        "description": "what the information is",
        "about": "the groups it is about; empty is a finding (ME007, or ME008, info, for `aggregate` "
        "information), whether or not a flow carries the item",
        "identifiability": "how far it identifies the people it is about; not stated is a finding",
        "sensitivity": "how sensitive it is; `high` counts as sensitive; not stated, where it flows with "
        "no engagement recorded, is a finding (SV004)",
    },
    "flow": {
        "id": "the flow's id",
        "from": "where the information comes from",
        "to": "where it goes",
        "carries": "the information it carries",
        "purpose": "what it is for; missing, or not declared in `purposes`, is a finding",
        "frequency": "how often, such as `quarterly`",
        "choice": "what choice people have about this flow",
        "no_choice_reason": "why people have no choice; with neither `choice` nor this, a finding",
        "description": "more about the flow",
    },
    "explanation": {
        "id": "the explanation's id",
        "for": "the groups it is for",
        "versions": "the versions made: `adult`, `child`, a language...",
        "covers": "the flows it is meant to explain",
        "names": "what it tells people about, checkably",
        "says": "its plain-language answer to each item of what service users need to know",
        "title": "the explanation's title",
    },
    "names": {
        "holders": "the holders it tells people about; naming an organisation names its teams",
        "purposes": "the purposes it tells people about",
    },
    "says": {
        "what": "what is collected or used",
        "why": "why it is needed",
        "how_used": "how it will be used",
        "benefit": "how that will help them or others",
        "linking": "if and why it will be linked with other information about them",
        "not_used_for": "what it will not be used for",
        "who_sees": "who will not see it (and, if it helps, who will)",
        "shared_with": "if it will be shared with other agencies or professionals, and why",
        "laws": "what laws allow the collection or use",
        "access_and_correction": "their right to access it and ask for corrections",
        "if_not_corrected": "what happens if it is not changed at their request",
        "choices": "what choices they have about who sees it or how it is used",
        "no_choice_why": "if they don't have a choice, why: owed where a flow it covers offers none",
        "involvement": "how they can be involved in decisions about its use",
    },
    "access": {
        "contact": "the holder people ask (what it holds itself is covered too)",
        "covers": "the holders one request reaches; naming an organisation covers its teams",
        "copies": "what copies people get, and in which versions",
        "if_not_corrected": "what happens when a correction is refused",
    },
    "engagement": {
        "with": "who was engaged",
        "about": "what it was about; missing or blank is a finding (SV005, info)",
        "maori": "engagement or partnership with Māori about information in which they have an interest",
    },
    "acceptance": {
        "code": "the finding's code: `PM`, `ME`, `UH` or `SV` and three digits, such as `PM003`; "
        "anything else (`pm003`, `XX001`) is a load error",
        "subject": "the finding's subject: the id of the flow, holder, purpose, information item, "
        "explanation or group it is about",
        "reason": "why it is accepted",
        "by": "who accepted it",
    },
}
"""What each key of the file holds, by definition: the "what it holds" column of the file
format's reference page (``docs/file-format.md``), word for word (a test holds them equal).
Editors show these beside the keys."""

_ASCII_ID_START: Final = "A-Za-z0-9_"
_ASCII_ID_REST: Final = "A-Za-z0-9_.:/+\\-"

ID_PATTERN: Final = f"^(?:[{_ASCII_ID_START}]|[^\\x00-\\x7F])(?:[{_ASCII_ID_REST}]|[^\\x00-\\x7F])*$(?![\\n])"
"""The form of an id, as a regular expression that Python and ECMAScript read alike.

Exact for ASCII ids. dpup takes Unicode letters and digits too (``whānau-ora``), as Python's
``\\w`` does; an editor's ECMAScript ``\\w`` knows only ASCII, so here any character beyond
ASCII is let through, and :func:`dpup.load` refuses those that are not letters or digits.
The final ``(?![\\n])`` keeps Python's ``$`` from matching before a last line break."""

_ID: Final[Mapping[str, Any]] = {"type": "string", "pattern": ID_PATTERN}

CODE_PATTERN: Final = "^(?:PM|ME|UH|SV)[0-9]{3}$(?![\\n])"
"""The form of a check code in an acceptance."""

DATE_PATTERN: Final = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?![\\n])"
"""A date as the file writes it: ``YYYY-MM-DD``."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of the agreement file format, as a new dict.

    Point an editor at it (saved with ``dpup schema > agreement.schema.json``) to have keys
    completed, described and checked as an agreement file is written; or validate the JSON
    form of an agreement with it in another tool. It describes a file's shape: whether its
    ids are unique and its references resolve is for :func:`dpup.load` to say.

    Returns
    -------
    dict
        The schema: a mapping that :func:`json.dumps` writes as it is. Each call returns a
        new one, so changing it changes nothing else.

    Examples
    --------
    >>> import dpup
    >>> schema = dpup.json_schema()
    >>> schema["required"]
    ['dpup', 'agreement']
    >>> sorted(schema["definitions"]["holder"]["properties"]["kind"]["enum"])
    ['agency', 'provider']
    >>> schema["definitions"]["flow"]["required"]
    ['id', 'from', 'to']
    >>> schema["definitions"]["flow"]["properties"]["to"]["description"]
    'where it goes'
    """
    return copy.deepcopy(_schema())


def output_schema(command: str) -> dict[str, Any]:
    """The JSON Schema (draft 7) of what a command writes with ``--format json``, as a new dict.

    A program that reads dpup's output (a case-management system, a register, a privacy
    portal) validates a document with it, or generates its types from it: each key is
    described, and finding codes, families, severities and fingerprints have their forms. It
    is what ``dpup schema COMMAND`` prints. ``dpup`` (what wrote the document), ``problems``
    and ``omitted`` are always there; the command's own keys only when every file loaded
    (``problems`` is empty), which the schema says with ``if``/``then``/``else``, so they are
    not listed as required. No schema forbids other keys: dpup may add one without a new
    output version (its title's), and a program should ignore keys it does not know.

    Parameters
    ----------
    command : {"validate", "check", "compare", "diff", "holders", "notice", "checks"}
        The command whose output to describe.

    Returns
    -------
    dict
        The schema: a mapping that :func:`json.dumps` writes as it is. Each call returns a
        new one, so changing it changes nothing else.

    Raises
    ------
    ValueError
        If ``command`` is not one with JSON output (naming those that are, and the closest).

    Examples
    --------
    >>> import dpup
    >>> schema = dpup.output_schema("check")
    >>> schema["title"]
    'dpup check output (version 1)'
    >>> schema["required"], schema["then"]["required"]
    (['dpup', 'problems', 'omitted'], ['findings', 'counts'])
    >>> schema["definitions"]["finding"]["properties"]["severity"]["enum"]
    ['error', 'warning', 'info']
    >>> dpup.output_schema("chek")
    Traceback (most recent call last):
    ...
    ValueError: no command 'chek' writes JSON output (did you mean 'check'?); the commands that do: validate, check, compare, diff, holders, notice, checks
    """
    from dpup._private import output  # it builds on this module's definitions

    if not isinstance(command, str) or command not in output.COMMANDS:
        close = difflib.get_close_matches(command, output.COMMANDS, n=1) if isinstance(command, str) else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"no command {command!r} writes JSON output{hint}; the commands that do: "
            + ", ".join(output.COMMANDS)
        )
    return copy.deepcopy(output.output_schema(command))


@functools.cache
def _schema() -> dict[str, Any]:
    definitions: dict[str, Any] = {
        "id": {**_ID, "description": f"an id: {m._ID_RULE}"},
        "agreement": _object(m.Agreement, "agreement", keys=HEADER),
    }
    for cls, name in _DEFINITIONS.items():
        definitions[name] = _object(cls, name)
    definitions["agreement"]["description"] = "what the agreement is, and who is party to it"
    top = DESCRIPTIONS["top"]
    properties: dict[str, Any] = {
        "dpup": {"const": FORMAT_VERSION, "description": top["dpup"]},
        "agreement": {**_ref("agreement"), "description": top["agreement"]},
    }
    for a in attrs.fields(m.Agreement):
        if a.init and a.name not in HEADER:
            properties[a.name] = {**_field(m.Agreement, a), "description": top[a.name]}
    return {
        "$schema": DIALECT,
        "title": f"dpup agreement file (format {FORMAT_VERSION})",
        "description": "A data-sharing agreement as a checkable contract, built on New Zealand's "
        "Data Protection and Use Policy (DPUP). The schema checks a file's shape; `dpup validate` "
        "checks that its ids are unique and its references resolve, and `dpup check` what it "
        "lacks in DPUP's terms.",
        "type": "object",
        "required": ["dpup", "agreement"],
        "additionalProperties": False,
        "properties": properties,
        "definitions": definitions,
    }


def _object(cls: type, name: str, *, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The schema of a mapping that becomes an object of ``cls``."""
    described = DESCRIPTIONS[name]
    fields = {a.name: a for a in attrs.fields(cls) if a.init}
    order = keys if keys is not None else tuple(fields)
    properties: dict[str, Any] = {}
    required: list[str] = []
    if cls is m.Provider:
        kinds = [m.Provider.kind, m.Agency.kind]
        properties["kind"] = {"enum": kinds, "description": described["kind"]}
        required.append("kind")
    for field_name in order:
        a = fields[field_name]
        key = _file_keys(cls)[field_name]
        properties[key] = {**_field(cls, a), "description": described[key]}
        if a.default is attrs.NOTHING:
            required.append(key)
    out: dict[str, Any] = {"type": "object"}
    if required:
        out["required"] = sorted(required, key=list(properties).index)
    out["additionalProperties"] = False
    out["properties"] = properties
    return out


@functools.cache
def _file_keys(cls: type) -> dict[str, str]:
    """Each init field's key in the file (``from_`` is ``from``), by field name."""
    init = [a.name for a in attrs.fields(cls) if a.init]
    keys = [k for k in allowed_keys(cls) if k != "kind" or cls not in (m.Provider, m.Agency)]
    if cls is m.Agreement:
        return {name: name for name in init}
    return dict(zip(init, keys, strict=True))


def _nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema``, or null (a key written with nothing after it in YAML)."""
    if isinstance(schema.get("type"), str):  # items, pattern and format apply to their type only
        return {**schema, "type": [schema["type"], "null"]}
    if set(schema) == {"enum"}:
        return {"enum": [*schema["enum"], None]}
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> dict[str, Any]:
    """A reference to a definition, in ``allOf`` so that a description can sit beside it
    (draft 7 ignores every keyword beside a bare ``$ref``)."""
    return {"allOf": [{"$ref": f"#/definitions/{name}"}]}


def _field(cls: type, a: "attrs.Attribute[Any]") -> dict[str, Any]:
    """The schema of one field's value, from its type and validator."""
    kind = _id_kind(a)
    if kind == "id":
        return dict(_ID)
    if kind == "optional id":
        return _nullable(_ID)
    if kind == "ids":
        ids: dict[str, Any] = {"type": "array", "items": {"$ref": "#/definitions/id"}}
        if a.name in _ONCE.get(cls, ()):
            ids["uniqueItems"] = True
        return _nullable(ids)
    if a.validator is m._check_code:
        return {"type": "string", "pattern": CODE_PATTERN}
    if cls is m.Agreement and a.name == "accepted":
        # a finding accepted twice is refused on load; the schema sees the exact repeat of an
        # acceptance (two with one code and subject but different reasons is left to loading)
        return {**_of_type(a.type), "uniqueItems": True}
    return _of_type(a.type)


def _of_type(t: Any) -> dict[str, Any]:
    args = typing.get_args(t)
    if isinstance(t, types.UnionType) and type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        return _nullable(_of_type(inner))
    if t is str:
        return {"type": "string"}
    if t is bool:
        return {"type": "boolean"}
    if t is datetime.date:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return {"enum": [member.value for member in t]}
    if isinstance(t, type) and t in _DEFINITIONS:
        return _ref(_DEFINITIONS[t])
    if typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if typing.get_origin(item) is typing.Union or isinstance(item, types.UnionType):
            item = m.Provider  # a holder: a provider or an agency, told apart by its kind
        items = _of_type(item)
        if "allOf" in items:  # an array of objects: its items refer to their definition
            items = items["allOf"][0]
        return _nullable({"type": "array", "items": items})
    raise TypeError(f"no JSON Schema for the type {t!r}")  # a new field type: teach it here
