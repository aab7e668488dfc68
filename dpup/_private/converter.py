"""The one cattrs converter for the agreement file format (internal).

:func:`make_converter` builds a :class:`cattrs.Converter` that turns the plain data of an
agreement file (mappings, lists, strings, numbers, dates, as any of the three formats gives
them) into an :class:`~dpup.Agreement` and back. The file layout is::

    dpup: 1                 # the format version
    agreement: {id, title, parties, review_by}
    service_users: [...]
    holders: [...]          # each tagged ``kind: provider`` or ``kind: agency``
    purposes, information, flows, explanations, access, engagement, accepted: [...]

Structuring is strict: a string is never split into a list, ``"no"`` never becomes ``True``,
a number is never silently made into text, and every key must be known. The one leniency:
a list given as null (in YAML, a key with nothing after it, as a template's empty section
is) has no items, as if it were left out. The hooks raise
:class:`Invalid` (or let cattrs raise its own errors), and cattrs' detailed validation gathers
them into exception groups whose notes say where each one happened. :func:`problems_from`
walks such a group into :class:`~dpup.Problem` objects with field paths as the file spells
them (``$.flows[2].from``, ``$.agreement.title``).

The happy path is kept lean (a large sector loads tens of thousands of objects): the model's
own validators check what only they check (an id's form, an acceptance's code) once, when
each object is built. Only when an object fails does its hook run those checks field by
field (``pinpoint`` in :func:`_class_hook`), so each problem still names its field and item,
and problems in other fields of the same object are not hidden by the first.

When the file has structural problems the :class:`~dpup.Agreement` is never built, so its own
reference checks never run. The agreement hook then checks references on what it could read
(:func:`_salvage` + :func:`dpup.model._build_index`), so that one error lists both kinds of
problem.
"""

import datetime
import difflib
import enum
import itertools
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from dpup import model as m
from dpup.errors import SHOWN_CHARACTERS, AgreementError, Path, Problem, quote

__all__ = [
    "BODY",
    "FORMAT_VERSION",
    "HEADER",
    "KNOWN_KEYS",
    "TEXT_KEYS",
    "HugeNumber",
    "Invalid",
    "count_problems",
    "describe",
    "first_problems",
    "make_converter",
    "problems_from",
    "read_int",
    "unknown_key",
]

FORMAT_VERSION: Final = 1
"""The value of the ``dpup`` key this version of dpup reads and writes."""

HEADER: Final = ("id", "title", "parties", "review_by")
"""The :class:`~dpup.Agreement` fields that the file keeps under ``agreement:``."""

BODY: Final = tuple(a.name for a in attrs.fields(m.Agreement) if a.init and a.name not in HEADER)
"""The :class:`~dpup.Agreement` fields that are top-level keys of the file, in file order."""

_TOP: Final = ("dpup", "agreement", *BODY)

_RENAMES: Final[Mapping[type, Mapping[str, str]]] = {
    m.DataFlow: {"from_": "from"},
    m.Explanation: {"for_": "for"},
    m.Engagement: {"with_": "with"},
}

_CLASSES: Final = (
    m.ServiceUser,
    m.Team,
    m.Provider,
    m.Agency,
    m.Purpose,
    m.Information,
    m.DataFlow,
    m.Checklist,
    m.Names,
    m.Explanation,
    m.AccessArrangement,
    m.Engagement,
    m.Acceptance,
)

_HOLDER_KINDS: Final[Mapping[str, type[m.Provider] | type[m.Agency]]] = {
    m.Provider.kind: m.Provider,
    m.Agency.kind: m.Agency,
}

_WHAT: Final[Mapping[type, str]] = {
    m.Agreement: "the agreement",
    m.ServiceUser: "a service-user group",
    m.Team: "a team",
    m.Provider: "a holder",
    m.Agency: "a holder",
    m.Purpose: "a purpose",
    m.Information: "an information item",
    m.DataFlow: "a flow",
    m.Checklist: "an explanation's says",
    m.Names: "an explanation's names",
    m.Explanation: "an explanation",
    m.AccessArrangement: "an access arrangement",
    m.Engagement: "an engagement record",
    m.Acceptance: "an accepted finding",
}

_ID_WORDS: Final = f"an id ({m._ID_RULE})"


class Invalid(ValueError):
    """A value the file format does not allow, raised by the converter's hooks.

    ``at`` is where the problem is below the place the exception is caught (empty when the
    cattrs notes already say where).
    """

    def __init__(
        self,
        message: str,
        *,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
        at: Path = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.found = found
        self.hint = hint
        self.at = at


class HugeNumber:
    """An integer in a file with too many digits for Python to read as a number (more than
    ``sys.get_int_max_str_digits()``, 4300 by default): kept as its text, so that the field
    holding it is reported as holding a number of that many digits, not a traceback.

    Examples
    --------
    >>> describe(HugeNumber("1" * 5000))
    'a number of 5000 digits'
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def digits(self) -> int:
        """How many digits it has (not counting a sign, a base such as ``0x``, or ``_``)."""
        body = self.text.lstrip("+-")
        if body[:2].lower() in ("0x", "0o", "0b"):
            body = body[2:]
        return sum(c.isalnum() for c in body)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HugeNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash((HugeNumber, self.text))

    def __repr__(self) -> str:
        return f"HugeNumber({quote(self.text)})"


def read_int(text: str, convert: Callable[[], int] | None = None) -> "int | HugeNumber":
    """The integer ``text`` stands for (made by ``convert``, by default ``int(text)``), or a
    :class:`HugeNumber` if it has too many digits to read or to show."""
    try:
        value = convert() if convert is not None else int(text)
        str(value)  # a number read in base 16 may still have too many digits to show
    except ValueError:
        return HugeNumber(text)
    return value


def describe(value: Any) -> str:
    """How a value from a file reads in a message: ``'abc'``, ``42``, ``a list``, ``null``.

    Examples
    --------
    >>> describe("very"), describe(None), describe(True), describe([1]), describe({})
    ("'very'", 'null', 'true', 'a list', 'a mapping')
    >>> import datetime
    >>> describe(datetime.date(2027, 6, 30))
    'the date 2027-06-30'
    >>> describe("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (100 characters)"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, int | float):
        try:
            shown = repr(value)
        except ValueError:  # too many digits to show
            return "a number too long to show"
        return shown if len(shown) <= SHOWN_CHARACTERS else f"a number of {len(shown.lstrip('-'))} digits"
    if isinstance(value, HugeNumber):
        return f"a number of {value.digits} digits"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, datetime.time):
        return f"the time {value.isoformat()}"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def _did_you_mean(value: Any, choices: Sequence[str]) -> str | None:
    close = _meant(value, choices)
    return f"did you mean {close[0]!r}?" if close else None


def _meant(value: Any, choices: Sequence[str]) -> list[str]:
    """The one choice ``value`` (a misspelt key) was probably meant to be, or none."""
    if not isinstance(value, str):
        return []
    return difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)


TEXT_KEYS: Final = "keys that are text"
"""What a problem with a key that is not text (YAML's ``1:``, ``true:``) expects."""

KNOWN_KEYS: Final = "one of the keys"
"""What an unknown key's problem expects (its ``found`` is the key, not the value under it)."""


def unknown_key(key: Any, allowed: Sequence[str], what: str) -> Invalid:
    """The problem for a key that ``what`` (``"a flow"``) does not have.

    A key that is not text (YAML reads ``1:`` as a number) is reported at its mapping: a
    path such as ``$.holders[0][1]`` would read as a list index.
    """
    if not isinstance(key, str):
        return Invalid(
            f"key {describe(key)} in {what} is not text",
            expected=f"{TEXT_KEYS}: one of {', '.join(allowed)}",
            found=describe(key),
        )
    hint = _did_you_mean(key, allowed)
    if hint is None and "consent" in key.lower() and "choice" in allowed:
        hint = (
            "DPUP speaks of the choice people have, not of consent: did you mean 'choice' "
            "(or 'no_choice_reason', why they have none)?"
        )
    return Invalid(
        f"unknown key {describe(key)} in {what}",
        expected=f"{KNOWN_KEYS} {', '.join(allowed)}",
        found=describe(key),
        hint=hint,
        at=(key,),
    )


# -- scalar hooks ------------------------------------------------------------------------


def _structure_text(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    return _not_text(value)


def _structure_optional_text(value: Any, _: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    return _not_text(value)


def _not_text(value: Any) -> str:
    if isinstance(value, str):  # a subclass of str
        return str(value)
    raise Invalid("must be text", expected="text", found=describe(value), hint=_quote_hint(value))


def _structure_texts(value: Any, t: Any) -> tuple[str, ...]:
    """A list of text (ids included: the model checks their form when it is built)."""
    if type(value) is list and all(type(item) is str for item in value):
        return tuple(value)
    items = _require_list(value)
    errors: list[Exception] = []
    for i, item in enumerate(items):
        try:
            _structure_text(item, str)
        except Invalid as e:
            e.__notes__ = [IterableValidationNote(f"@ index {i}", i, str)]
            errors.append(e)
    if errors:
        raise IterableValidationError("While structuring a list of text", errors, t)
    return tuple(str(item) for item in items)


def _quote_hint(value: Any) -> str | None:
    if isinstance(value, bool | int | float | datetime.date | HugeNumber) or value is None:
        return "put it in quotes to make it text"
    return None


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid("must be true or false", expected="true or false", found=describe(value))


def _structure_date(value: Any, _: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):  # not 20270630 or 2027W263, which
        try:  # Python 3.11 reads as dates too
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(
        "must be a date", expected="a date (YYYY-MM-DD)", found=describe(value), hint=_date_hint(value)
    )


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})\Z")


def _date_hint(value: Any) -> str | None:
    """A date written day first (``30/06/2027``, as New Zealand writes it; month first where
    it can only be that), written year first: ``2027-06-30``."""
    found = _DAY_FIRST.match(value) if isinstance(value, str) else None
    if found is None:
        return None
    first, second, year = (int(part) for part in found.groups())
    for day, month in ((first, second), (second, first)):
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        return f"write it year first: {date.isoformat()} for {date.day} {_MONTHS[date.month - 1]} {date.year}"
    return None


_is_id = m._ID.match


def _check_id(value: Any) -> str:
    if type(value) is str and _is_id(value):
        return value
    raise Invalid(
        "must be an id" if isinstance(value, str) else "must be an id, not " + describe(value),
        expected=_ID_WORDS,
        found=describe(value),
    )


def _structure_code(value: Any, _: Any) -> str:
    if type(value) is str and m._CODE.match(value):
        return value
    raise Invalid("must be a check code", expected=m._CODE_RULE, found=describe(value))


def _is_id_text(value: Any) -> bool:
    return type(value) is str and _is_id(value) is not None


def _structure_id(value: Any, _: Any) -> str:
    return _check_id(value)


def _structure_optional_id(value: Any, _: Any) -> str | None:
    return None if value is None else _check_id(value)


# On the happy path an id field only needs to be text: the model checks an id's form when it
# is built (once, not twice). When something is wrong, the _ID_CHECKS say which item and why.


# Ids are interned: an id stands in many places (every reference repeats one), so one string
# object per id saves memory, and the checks' many lookups by id compare by identity.
_intern = sys.intern


def _id_text(value: Any, _: Any) -> str:
    return _intern(value) if type(value) is str else _check_id(value)


def _optional_id_text(value: Any, _: Any) -> str | None:
    return value if value is None else _intern(value) if type(value) is str else _check_id(value)


def _id_texts(value: Any, t: Any) -> tuple[str, ...]:
    if type(value) is list:
        try:
            return tuple([_intern(item) for item in value])
        except TypeError:  # an item that is not a string
            pass
    return _structure_ids(value, t)


def _require_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if value is None:  # a key with nothing after it (``access:``), or JSON's null: no items
        return []
    raise Invalid("must be a list", expected="a list", found=describe(value), hint=_list_hint(value))


def _list_hint(value: Any) -> str | None:
    """How to write text given where a list belongs as the list it was probably meant to be:
    ``households, tamariki`` as ``[households, tamariki]``."""
    if not isinstance(value, str) or not value.strip() or "\n" in value or len(value) > 80:
        return None
    items = [item.strip() for item in value.split(",") if item.strip()]
    return f"write a list, such as [{', '.join(items)}]"


def _structure_ids(value: Any, t: Any) -> tuple[str, ...]:
    if type(value) is list:
        try:
            if all(_is_id(item) for item in value):
                return tuple(value)
        except TypeError:  # an item that is not a string
            pass
    items = _require_list(value)
    out: list[str] = []
    errors: list[Exception] = []
    for i, item in enumerate(items):
        try:
            out.append(_check_id(item))
        except Invalid as e:
            e.__notes__ = [IterableValidationNote(f"Structuring id @ index {i}", i, str)]
            errors.append(e)
    if errors:
        raise IterableValidationError("While structuring a list of ids", errors, t)
    return tuple(out)


def _enum_hook(cls: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    values = [str(member.value) for member in cls]
    by_value = {member.value: member for member in cls}
    words = cls.__name__.lower()
    article = "an" if words[0] in "aeiou" else "a"

    def structure(value: Any, _: Any) -> enum.Enum:
        try:
            return by_value[value]
        except (KeyError, TypeError):
            pass
        raise Invalid(
            f"{describe(value)} is not {article} {words} dpup knows",
            expected=f"one of {', '.join(values)}",
            found=describe(value),
            hint=_did_you_mean(value, values),
        )

    return structure


# -- collection hooks ---------------------------------------------------------------------


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook_factory(c: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], tuple[Any, ...]]]:
    def factory(t: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        elem = typing.get_args(t)[0]
        if elem is str:
            return _structure_texts
        hook = c.get_structure_hook(elem)

        def structure(value: Any, _: Any) -> tuple[Any, ...]:
            items = _require_list(value)
            try:  # the happy path, without a try per item
                return tuple([hook(item, elem) for item in items])
            except Exception:  # gather every item's problem below
                pass
            out = []
            errors: list[Exception] = []
            for i, item in enumerate(items):
                try:
                    out.append(hook(item, elem))
                except Exception as e:
                    e.__notes__ = [
                        *getattr(e, "__notes__", []),
                        IterableValidationNote(f"@ index {i}", i, elem),
                    ]
                    errors.append(e)
            if errors:
                raise IterableValidationError(f"While structuring a list of {elem!r}", errors, t)
            return tuple(out)

        return structure

    return factory


def _unstructure_tuple_factory(c: cattrs.Converter) -> Callable[[Any], Callable[[Any], list[Any]]]:
    def factory(t: Any) -> Callable[[Any], list[Any]]:
        elem = typing.get_args(t)[0]
        if elem is str:
            return list
        hook = c.get_unstructure_hook(elem)
        return lambda value: [hook(item) for item in value]

    return factory


# -- classes ------------------------------------------------------------------------------


def _file_key(cls: type, name: str) -> str:
    return _RENAMES.get(cls, {}).get(name, name)


def allowed_keys(cls: type) -> tuple[str, ...]:
    """The keys a mapping for ``cls`` may have, in the order the file writes them."""
    keys = tuple(_file_key(cls, a.name) for a in attrs.fields(cls) if a.init)
    if cls in (m.Provider, m.Agency):
        return ("kind", *keys)
    if cls is m.Agreement:
        return _TOP
    return keys


def _id_kind(a: "attrs.Attribute[Any]") -> str | None:
    """Whether a model field holds an id (``"id"``), a list of ids (``"ids"``) or neither.

    Read off the field's validator, so the converter knows ids exactly where the model does.
    Loading a good file leaves the form of ids to the model's validators (checked once);
    when something is wrong, :data:`_ID_CHECKS` say which field and which item, and why.
    """
    v = a.validator
    if v is m._check_id:
        return "id"
    if v is m._id_list:
        return "ids"
    if v is m._opt_id:
        return "optional id"
    if getattr(v, "validator", None) is m._check_id:  # attrs.validators.optional(_check_id)
        return "optional id"
    return None


_ID_TEXT: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "id": _id_text,
    "ids": _id_texts,
    "optional id": _optional_id_text,
}

_ID_CHECKS: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "id": _structure_id,
    "ids": _structure_ids,
    "optional id": _structure_optional_id,
}


def _is_optional(t: Any) -> bool:
    args = typing.get_args(t)
    return isinstance(t, types.UnionType) and len(args) == 2 and args[1] is type(None)


def _optional(hook: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def structure(value: Any, t: Any) -> Any:
        return None if value is None else hook(value, t)

    return structure


def _field_hook(c: cattrs.Converter, a: "attrs.Attribute[Any]") -> Callable[[Any, Any], Any] | None:
    """The hook for one field when it is not simply the hook for its type."""
    kind = _id_kind(a)
    if kind is not None:
        return _ID_TEXT[kind]
    if a.validator is m._check_code:
        return _structure_code
    if _is_optional(a.type):
        inner = typing.get_args(a.type)[0]
        if inner is str:
            return _structure_optional_text
        return _optional(c.get_structure_hook(inner))
    return None


def _holds_model_objects(t: Any) -> bool:
    if attrs.has(t):
        return True
    return any(_holds_model_objects(arg) for arg in typing.get_args(t) if arg is not Ellipsis)


def _class_hook(c: cattrs.Converter, cls: type) -> Callable[[Any, Any], Any]:
    overrides: dict[str, Any] = {}
    hooks: dict[str, Callable[[Any, Any], Any]] = {}
    for a in attrs.fields(cls):
        if not a.init:
            continue
        kw: dict[str, Any] = {}
        if a.name in _RENAMES.get(cls, {}):
            kw["rename"] = _RENAMES[cls][a.name]
        hook = _field_hook(c, a)
        if hook is not None:
            kw["struct_hook"] = hook
        if kw:
            overrides[a.name] = override(**kw)
        hooks[a.name] = hook if hook is not None else c.get_structure_hook(a.type)
    generated: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, c, _cattrs_forbid_extra_keys=True, **overrides
    )
    what = _WHAT.get(cls, "this")

    def pinpoint(value: dict[str, Any], e: ClassValidationError) -> ClassValidationError:
        """Add what the model's own validators say about the fields that did structure.

        A validator the hooks do not repeat (such as an acceptance's check code) runs only
        when the class is built, which does not happen when another field failed, and then
        says which field only in words. So each field that structured runs its validator
        here, on its own, to be named in the problem's path.
        """
        failed = {note.name for note in map(_note, e.exceptions) if isinstance(note, AttributeValidationNote)}
        found: list[Exception] = []
        for a in attrs.fields(cls):
            key = _file_key(cls, a.name)
            if a.validator is None or not a.init or key not in value or a.name in failed:
                continue
            if _holds_model_objects(a.type):  # they validated themselves when built
                continue
            note = AttributeValidationNote(f"@ attribute {a.name}", a.name, a.type)
            kind = _id_kind(a)
            try:
                structured = hooks[a.name](value[key], a.type)
                if kind is not None:  # the same check as the validator, item by item
                    _ID_CHECKS[kind](value[key], a.type)
                else:
                    a.validator(None, a, structured)
            except (Invalid, IterableValidationError) as problem:
                problem.__notes__ = [note]
                found.append(problem)
            except Exception as problem:
                pinned = Invalid(str(problem), found=describe(value[key]))
                pinned.__notes__ = [note]
                found.append(pinned)
        if not found:
            return e
        kept = [x for x in e.exceptions if _note(x) is not None or isinstance(x, AgreementError)]
        return ClassValidationError(e.message, [*kept, *found], cls)

    def structure(value: Any, t: Any) -> Any:
        if not isinstance(value, dict):
            raise Invalid(
                f"{what} must be a mapping of keys to values",
                expected=f"a mapping with the keys {', '.join(allowed_keys(cls))}",
                found=describe(value),
                hint=_mapping_hint(cls, value),
            )
        try:
            return generated(value, t)
        except ClassValidationError as e:
            raise pinpoint(value, e) from None

    return structure


def _mapping_hint(cls: type, value: Any) -> str | None:
    """How to write a list given where a mapping belongs: an explanation's ``names: [ccss]``
    as ``names: {holders: [ccss], purposes: [...]}``."""
    if not isinstance(value, list):
        return None
    keys = allowed_keys(cls)
    if cls is m.Names and all(isinstance(item, str) for item in value):
        return f"put each id under its key: {{holders: [{', '.join(value)}], purposes: [...]}}"
    return f"write its keys under it, such as {{{keys[0]}: ..., {keys[1]}: ...}}" if len(keys) > 1 else None


def _holder_hook(c: cattrs.Converter) -> Callable[[Any, Any], m.Holder]:
    kinds = tuple(_HOLDER_KINDS)

    def structure(value: Any, _: Any) -> m.Holder:
        if not isinstance(value, dict):
            raise Invalid(
                "a holder must be a mapping of keys to values",
                expected=f"a mapping with the keys {', '.join(allowed_keys(m.Provider))}",
                found=describe(value),
            )
        errors: list[Exception] = []
        kind = value.get("kind")
        cls = _HOLDER_KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:
            if "kind" not in value:
                problem = Invalid(
                    "required field 'kind' is missing",
                    expected=f"one of {', '.join(kinds)}",
                    found="nothing",
                )
            else:
                problem = Invalid(
                    f"{describe(kind)} is not a kind of holder",
                    expected=f"one of {', '.join(kinds)}",
                    found=describe(kind),
                    hint=_did_you_mean(kind, kinds),
                )
            problem.__notes__ = [
                AttributeValidationNote("Structuring a holder @ attribute kind", "kind", str)
            ]
            errors.append(problem)
            cls = m.Provider  # read on, to report what else is wrong with it
        body = {k: v for k, v in value.items() if k != "kind"}
        try:
            holder: m.Holder = c.structure(body, cls)
        except ClassValidationError as e:
            errors.extend(e.exceptions)
        if errors:
            raise ClassValidationError("While structuring a holder", errors, cls)
        return holder

    return structure


def _unstructure_holder(c: cattrs.Converter, cls: type) -> Callable[[Any], dict[str, Any]]:
    generated: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls, c, _cattrs_omit_if_default=True
    )

    def unstructure(org: Any) -> dict[str, Any]:
        return {"kind": org.kind, **generated(org)}

    return unstructure


# -- the agreement: the file layout -----------------------------------------------------------


def _noted(e: Exception, name: str) -> Exception:
    e.__notes__ = [AttributeValidationNote(f"Structuring an agreement @ attribute {name}", name, object)]
    return e


def _agreement_hooks(
    c: cattrs.Converter, fast: bool
) -> tuple[Callable[[Any, Any], m.Agreement], Callable[[m.Agreement], dict[str, Any]]]:
    generated = _class_hook(c, m.Agreement)
    unstructure_flat = make_dict_unstructure_fn(m.Agreement, c, _cattrs_omit_if_default=True)

    from dpup._private.fastpath import structure_agreement

    def structure(data: Any, _: Any) -> m.Agreement:
        if fast:
            try:  # a well-formed file, quickly; anything wrong is found and named below
                return structure_agreement(data)
            except AgreementError as references:
                # Every field was read, and the agreement's own reference check failed:
                # reading it all again would find the same, at twice the cost.
                raise ClassValidationError(
                    "While structuring an agreement", [references], m.Agreement
                ) from None
            except Exception:
                pass
        if not isinstance(data, dict):
            raise Invalid(
                "the top level of an agreement file must be a mapping",
                expected=f"a mapping with dpup: {FORMAT_VERSION}, agreement: and the agreement's lists",
                found=describe(data) if data is not None else "an empty file",
            )
        errors: list[Exception] = []
        version = data.get("dpup")
        if "dpup" not in data:
            errors.append(
                _noted(
                    Invalid(
                        "the format version key 'dpup' is missing",
                        expected=f"dpup: {FORMAT_VERSION} as the first line",
                        found="nothing",
                    ),
                    "dpup",
                )
            )
        elif type(version) is not int or version != FORMAT_VERSION:
            errors.append(
                _noted(
                    Invalid(
                        f"format version {describe(version)} is not one this dpup reads",
                        expected=str(FORMAT_VERSION),
                        found=describe(version),
                    ),
                    "dpup",
                )
            )
        header = data.get("agreement")
        header_ok = isinstance(header, dict)
        if not isinstance(header, dict):
            errors.append(
                _noted(
                    Invalid(
                        "the agreement header is missing"
                        if "agreement" not in data
                        else "the agreement header is empty"
                        if header is None
                        else "must be a mapping",
                        expected=f"a mapping with the keys {', '.join(HEADER)}",
                        found="nothing" if header is None else describe(header),
                    ),
                    "agreement",
                )
            )
            header = {}
        for key in header:
            if key not in HEADER:
                e = unknown_key(key, HEADER, "the agreement header")
                e.at = ("agreement", *e.at)
                errors.append(e)
        unread: set[str] = set()  # sections whose key is misspelt: references into them are not reported
        for key in data:
            if key not in _TOP:
                e = unknown_key(key, _TOP, "an agreement file")
                if key in HEADER:
                    e.hint = f"{key!r} belongs under 'agreement:'"
                else:
                    unread.update(section for section in _meant(key, BODY) if section not in data)
                errors.append(e)
        flat = {k: header[k] for k in HEADER if k in header}
        flat.update((k, data[k]) for k in BODY if k in data)
        structural = True
        try:
            agreement: m.Agreement = generated(flat, m.Agreement)
        except ClassValidationError as e:
            inner = list(e.exceptions)
            structural = not any(isinstance(x, AgreementError) for x in inner)
            if unread and not structural:  # its reference problems again, less those into unread sections
                inner = [x for x in inner if not isinstance(x, AgreementError)]
                structural = True
            if not header_ok:  # already reported as one problem, not one per header field
                inner = [x for x in inner if not (isinstance(x, KeyError) and _note_name(x) in HEADER)]
            errors.extend(inner)
        else:
            if not errors:
                return agreement
            structural = False  # the agreement was built, so its references are sound
        if structural:
            _, reference_problems = m._build_index(
                _salvage(m.Agreement, flat), unread=unread, unread_ids=_teams_under_misspelt_keys(data)
            )
            if reference_problems:
                errors.append(AgreementError(reference_problems))
        raise ClassValidationError("While structuring an agreement", errors, m.Agreement)

    def unstructure(agreement: m.Agreement) -> dict[str, Any]:
        flat = unstructure_flat(agreement)
        out: dict[str, Any] = {"dpup": FORMAT_VERSION}
        out["agreement"] = {k: flat.pop(k) for k in HEADER if k in flat}
        out.update(flat)
        return out

    return structure, unstructure


def _teams_under_misspelt_keys(data: dict[str, Any]) -> set[str]:
    """The ids of the teams a holder declares under a misspelt key (``team:`` for
    ``teams:``): that key is reported, so references to its teams are not."""
    holders = data.get("holders")
    keys = allowed_keys(m.Provider)
    ids: set[str] = set()
    for holder in holders if isinstance(holders, list) else ():
        if not isinstance(holder, dict) or "teams" in holder:
            continue
        for key, value in holder.items():
            if key not in keys and _meant(key, keys) == ["teams"] and isinstance(value, list):
                ids.update(t["id"] for t in value if isinstance(t, dict) and isinstance(t.get("id"), str))
    return ids


def _salvage(t: Any, raw: Any) -> Any:
    """What can be read of ``raw`` as a ``t``, field by field, never failing.

    Used only after structuring failed, to check the references of a file that could not
    become an :class:`~dpup.Agreement`: the result has the model's attribute names, lists
    keep their length, and a value of the wrong type is kept as it is (the reference check
    skips anything that is not a string).
    """
    if attrs.has(t):
        if isinstance(raw, str) and "id" in attrs.fields_dict(t):
            raw = {"id": raw}  # a bare id where a mapping belongs (reported): it still declares the id
        fields = raw if isinstance(raw, dict) else {}
        values = {}
        for a in attrs.fields(t):
            if not a.init:
                continue
            value = _salvage(a.type, fields.get(_file_key(t, a.name)))
            if a.name != "id" and _id_kind(a) is not None:
                # A reference that is not a well-formed id is reported as such already.
                value = tuple(v for v in value if _is_id_text(v)) if isinstance(value, tuple) else value
                value = value if isinstance(value, tuple) or _is_id_text(value) else None
            values[a.name] = value
        return types.SimpleNamespace(**values)
    if _is_homogeneous_tuple(t):
        elem = typing.get_args(t)[0]
        return tuple(_salvage(elem, item) for item in raw) if isinstance(raw, list) else ()
    args = [arg for arg in typing.get_args(t) if attrs.has(arg)]
    if args:  # a union of model classes, such as a holder
        return _salvage(args[0], raw)
    return raw


# -- the converter ------------------------------------------------------------------------


def make_converter(*, fast: bool = True) -> cattrs.Converter:
    """Build the converter: strict (unknown keys and wrong types are errors), omitting
    defaults on output, with detailed validation so that every problem is found.

    With ``fast`` (the default) an agreement is first read by
    :func:`dpup._private.fastpath.structure_agreement`, and only data it cannot read goes
    through cattrs' detailed validation; ``fast=False`` always takes the detailed path (the
    tests compare the two)."""
    c = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True, detailed_validation=True)
    c.register_structure_hook(str, _structure_text)
    c.register_structure_hook(bool, _structure_bool)
    c.register_structure_hook(datetime.date, _structure_date)
    c.register_unstructure_hook(datetime.date, lambda d: d)
    for enum_cls in (m.Identifiability, m.Sensitivity):
        c.register_structure_hook(enum_cls, _enum_hook(enum_cls))
        c.register_unstructure_hook(enum_cls, lambda e: e.value)
    c.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook_factory(c))
    c.register_unstructure_hook_factory(_is_homogeneous_tuple, _unstructure_tuple_factory(c))
    for cls in _CLASSES:
        c.register_structure_hook(cls, _class_hook(c, cls))
        if cls in (m.Provider, m.Agency):
            c.register_unstructure_hook(cls, _unstructure_holder(c, cls))
        else:
            renames: dict[str, Any] = {k: override(rename=v) for k, v in _RENAMES.get(cls, {}).items()}
            c.register_unstructure_hook(
                cls, make_dict_unstructure_fn(cls, c, _cattrs_omit_if_default=True, **renames)
            )
    c.register_structure_hook(m.Provider | m.Agency, _holder_hook(c))
    structure, unstructure = _agreement_hooks(c, fast)
    c.register_structure_hook(m.Agreement, structure)
    c.register_unstructure_hook(m.Agreement, unstructure)
    return c


# -- from exceptions to problems ----------------------------------------------------------


def _note(e: BaseException) -> AttributeValidationNote | IterableValidationNote | None:
    for note in reversed(getattr(e, "__notes__", ())):
        if isinstance(note, AttributeValidationNote | IterableValidationNote):
            return note
    return None


def _note_name(e: BaseException) -> str | None:
    note = _note(e)
    return note.name if isinstance(note, AttributeValidationNote) else None


def _file_path(path: Path) -> Path:
    """A model path (``("parties", 0)``) as the file spells it (``("agreement", "parties", 0)``)."""
    if path and path[0] in HEADER:
        return ("agreement", *path)
    return path


def _attr_segment(cls: type, name: str) -> Path:
    if cls is m.Agreement:
        return _file_path((name,))
    return (_file_key(cls, name),)


def _expected_for(cls: type, name: str) -> str | None:
    fields = attrs.fields_dict(cls)
    if name not in fields:
        return None
    a = fields[name]
    kind = _id_kind(a)
    if kind == "ids":
        return "a list of ids"
    if kind is not None:
        return "an id"
    t: Any = a.type
    args = [x for x in typing.get_args(t) if x is not type(None)]
    if args and not _is_homogeneous_tuple(t):
        t = args[0]
    if t is str:
        return "text"
    if t is bool:
        return "true or false"
    if t is datetime.date:
        return "a date (YYYY-MM-DD)"
    if _is_homogeneous_tuple(t):
        return "a list"
    if attrs.has(t):
        return "a mapping"
    return None


def problems_from(exc: BaseException, path: Path = ()) -> list[Problem]:
    """Every problem an exception from the converter stands for, with its field path.

    Walks cattrs' exception groups by their notes; hooks' :class:`Invalid` errors, missing
    and unknown keys and the model's own :class:`~dpup.AgreementError` become problems in
    plain words. Anything else (which would be a bug) still becomes a problem, never a
    traceback.
    """
    return list(_problems(exc, path))


def first_problems(exc: BaseException, limit: int) -> tuple[list[Problem], int]:
    """The first ``limit`` problems of :func:`problems_from`, and how many more there are,
    counted without making them (a file whose list of a thousand bad mappings is one
    mapping with a thousand unknown keys, aliased, stands for a million problems)."""
    first = list(itertools.islice(_problems(exc, ()), limit))
    return first, count_problems(exc) - len(first)


def count_problems(exc: BaseException) -> int:
    """How many problems :func:`problems_from` makes of an exception."""
    if isinstance(exc, BaseValidationError):
        return sum(map(count_problems, exc.exceptions))
    if isinstance(exc, ForbiddenExtraKeysError):
        return len(exc.extra_fields)
    if isinstance(exc, AgreementError):
        return len(exc.problems) + exc.omitted
    return 1


def count_keys_not_text(exc: BaseException) -> int:
    """How many of the problems :func:`problems_from` makes of an exception are about a key
    that is not text (those whose ``expected`` starts with :data:`TEXT_KEYS`), counted as
    :func:`count_problems` counts."""
    if isinstance(exc, BaseValidationError):
        return sum(map(count_keys_not_text, exc.exceptions))
    if isinstance(exc, ForbiddenExtraKeysError):
        return sum(not isinstance(key, str) for key in exc.extra_fields)
    if isinstance(exc, Invalid):
        return int((exc.expected or "").startswith(TEXT_KEYS))
    return 0


def _problems(exc: BaseException, path: Path) -> Iterator[Problem]:
    if isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            note = _note(sub)
            sub_path = path
            if isinstance(note, AttributeValidationNote):
                sub_path = (*path, *_attr_segment(exc.cl, note.name))
                if isinstance(sub, KeyError) and not isinstance(sub, Invalid):
                    yield _missing(exc.cl, note.name, sub_path)
                    continue
            elif isinstance(note, IterableValidationNote):
                sub_path = (*path, note.index)
            yield from _problems(sub, sub_path)
    elif isinstance(exc, Invalid):
        yield Problem(
            path=(*path, *exc.at),
            message=exc.message,
            expected=exc.expected,
            found=exc.found,
            hint=exc.hint,
        )
    elif isinstance(exc, ForbiddenExtraKeysError):
        allowed = allowed_keys(exc.cl)
        for key in sorted(exc.extra_fields, key=_key_order):
            yield from _problems(unknown_key(key, allowed, _WHAT.get(exc.cl, "this")), path)
    elif isinstance(exc, AgreementError):
        for p in exc.problems:
            yield attrs.evolve(p, path=(*path, *_file_path(p.path)))
    else:
        yield Problem(path=path, message=str(exc) or type(exc).__name__)


def _key_order(key: Any) -> tuple[bool, str]:
    return (not isinstance(key, str), key if isinstance(key, str) else describe(key))


def _missing(cls: type, name: str, path: Path) -> Problem:
    key = _file_key(cls, name)
    return Problem(
        path=path,
        message=f"required field {key!r} is missing from {_WHAT.get(cls, 'this')}",
        expected=_expected_for(cls, name),
        found="nothing",
    )
