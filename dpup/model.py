"""The agreement model: small, frozen, validated attrs classes.

A data-sharing agreement names the people the information is about (service-user groups),
the organisations that hold it (providers and agencies, and their teams), the purposes it is
used for, the information itself, the flows that move it, what people are told
(explanations), how they get access, and the engagement behind it.

Construction checks only what would stop the agreement becoming a graph: wrong types, empty
or badly formed ids, ids used twice, and references to groups, holders, information, flows or
explanations that do not exist. Everything a draft can lack in DPUP's terms (a benefit, an
authority, an answer to the checklist, a choice, an access arrangement, engagement, even a
purpose it never declares) is allowed here and reported by :func:`dpup.check` instead.

Examples
--------
>>> from dpup import Agreement, Agency, Provider, ServiceUser, Team
>>> a = Agreement(
...     id="demo",
...     title="Demo",
...     parties=["ccss", "agency"],
...     service_users=[ServiceUser(id="parents", name="Parents")],
...     holders=[
...         Provider(id="ccss", name="City Centre Social Services"),
...         Agency(id="agency", name="The agency",
...                teams=[Team(id="agency.evaluation", name="Evaluation", purposes=["evaluation"])]),
...     ],
... )
>>> a.node("agency.evaluation").name
'Evaluation'
>>> a.organisation_of("agency.evaluation")
'agency'
"""

import collections
import datetime
import difflib
import enum
import functools
import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

import attrs

if TYPE_CHECKING:
    import networkx as nx

from dpup.errors import SHOWN_CHARACTERS, AgreementError, Path, Problem, format_path, quote

__all__ = [
    "CHECKLIST_ITEMS",
    "Acceptance",
    "AccessArrangement",
    "Agency",
    "Agreement",
    "Checklist",
    "DataFlow",
    "Engagement",
    "Explanation",
    "Holder",
    "Identifiability",
    "Information",
    "Names",
    "Provider",
    "Purpose",
    "Sensitivity",
    "ServiceUser",
    "Team",
]

_T = TypeVar("_T")

_ID = re.compile(r"[^\W][\w.\-:/+]*\Z")  # with match: the whole string, no final line break

_ID_RULE = "letters, digits and . - _ : / +, starting with a letter, digit or underscore"
"""The form of an id, in words (it is :data:`_ID`)."""


@functools.lru_cache(maxsize=1 << 16)
def _is_id(value: str) -> bool:
    # Ids repeat (every reference repeats one), so a cache saves most regex matches.
    return _ID.match(value) is not None


# -- validators ---------------------------------------------------------------------------
#
# Every validator says what is wrong in one sentence that names the class and field, what
# it must be and what it was given: "Agreement.review_by must be a date (datetime.date) or
# None, not '2026-01-01' (a str)". The file loader runs them with no instance (see
# dpup._private.converter), where the field path says where, so the class is left out then.
# The loader's fast path (dpup._private.fastpath) recognises each of them by identity and
# makes the same check inline: a new validator must be taught to it too.


def _found(value: Any) -> str:
    """A value as an error message shows it: its repr (shortened) and, where that does not
    say, its type."""
    if value is None or isinstance(value, bool):
        return repr(value)
    kind = type(value).__name__
    try:
        shown = quote(value) if isinstance(value, str) else repr(value)
    except ValueError:  # an integer with too many digits to show
        shown = "a number too long to show"
    if len(shown) > 2 * SHOWN_CHARACTERS:
        shown = shown[:SHOWN_CHARACTERS] + "…"
    return f"{shown} ({'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind})"


def _field_name(inst: Any, attribute: "attrs.Attribute[Any]") -> str:
    return attribute.name if inst is None else f"{type(inst).__name__}.{attribute.name}"


def _wrong(
    inst: Any,
    attribute: "attrs.Attribute[Any]",
    expected: str,
    value: Any,
    error: type[Exception] = TypeError,
) -> Exception:
    """The error for a field given a value it cannot hold (the file loader, which passes no
    instance, says itself what was found, and where)."""
    if inst is None:
        return error(f"{attribute.name} must be {expected}")
    return error(f"{_field_name(inst, attribute)} must be {expected}, not {_found(value)}")


def _check_id(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if not isinstance(value, str):
        raise _wrong(inst, attribute, "an id (text)", value)
    if not _is_id(value):
        raise _wrong(inst, attribute, f"an id ({_ID_RULE})", value, ValueError)


def _opt_id(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value is not None:
        _check_id(inst, attribute, value)


# -- converters -----------------------------------------------------------------------------
#
# Plain functions of the value alone, typed with what they accept, so that the attrs mypy
# plugin types each ``__init__`` parameter with it (a list where a tuple is stored, an enum's
# value where the enum is). A value they cannot convert is passed on as it is, for the
# field's validator, which names the class and field, to refuse.


_NOT_STRS = (str, AbstractSet, Mapping)
_NOT_OBJECTS = (AbstractSet, Mapping)


def _to_strs(value: Iterable[str]) -> tuple[str, ...]:
    """A list of ids (or of text): any iterable but a string, a set or a mapping, to a tuple."""
    if type(value) is list or type(value) is tuple:  # what a file gives, and most callers: no more to ask
        return tuple(value)
    if isinstance(value, _NOT_STRS):
        # refused by the validator: a string is not split into letters, a set's order (which
        # varies from run to run) is not made up, a mapping's values are not dropped
        return value  # type: ignore[return-value]
    try:
        return tuple(value)
    except TypeError:
        return value  # type: ignore[return-value]  # not a list: the validator says so


def _objects(value: Iterable[_T]) -> tuple[_T, ...]:
    """A list of model objects: any iterable but a set or a mapping, to a tuple."""
    if type(value) is list or type(value) is tuple:
        return tuple(value)
    if isinstance(value, _NOT_OBJECTS):
        return value  # type: ignore[return-value]  # refused by the validator, as by _to_strs
    try:
        return tuple(value)
    except TypeError:
        return value  # type: ignore[return-value]  # not a list: the validator says so


def _not_a_list(inst: Any, attribute: "attrs.Attribute[Any]", value: Any, what: str) -> Exception:
    if isinstance(value, str):
        # A single id where a list belongs: refused rather than split into letters.
        return TypeError(
            f"{_field_name(inst, attribute)} must be {what}, not the single string {quote(value)}"
        )
    error = _wrong(inst, attribute, what, value)
    if isinstance(value, AbstractSet) and inst is not None:
        sort = ", such as sorted(...)" if what != "a list" else ""
        return TypeError(
            f"{error}: a set has no order, and an agreement keeps the order it is given (pass a list{sort})"
        )
    return error


def _id_list(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if not isinstance(value, tuple):
        raise _not_a_list(inst, attribute, value, "a list of ids")
    for item in value:
        if not (isinstance(item, str) and _is_id(item)):
            _check_id(inst, attribute, item)


_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a character written as a surrogate pair, on its own (a lone surrogate): what
``os.fsdecode`` or ``errors="surrogateescape"`` make of bytes that are not UTF-8. It is not
Unicode text, so no agreement file can hold it."""

_WHOLE = "text of whole Unicode characters (no lone surrogate such as '\\udce9')"


def _whole(inst: Any, attribute: "attrs.Attribute[Any]", value: str) -> None:
    """Refuse text holding a lone surrogate (called only for text that is not ASCII)."""
    if _SURROGATE.search(value) is not None:
        raise _wrong(inst, attribute, _WHOLE, value, ValueError)


def _text_list(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if not isinstance(value, tuple):
        raise _not_a_list(inst, attribute, value, "a list of text")
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"{_field_name(inst, attribute)} must hold only text, not {_found(item)}")
        if not item.isascii() and _SURROGATE.search(item) is not None:
            raise ValueError(f"{_field_name(inst, attribute)} must hold only {_WHOLE}, not {_found(item)}")


def _req_text(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if type(value) is not str and not isinstance(value, str):
        raise _wrong(inst, attribute, "text (a str)", value)
    if not value.isascii():
        _whole(inst, attribute, value)


def _opt_text(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    # One plain function rather than optional(instance_of(str)): this runs for every text
    # field of every object loaded.
    if value is None:
        return
    if type(value) is not str and not isinstance(value, str):
        raise _wrong(inst, attribute, "text (a str) or None", value)
    if not value.isascii():
        _whole(inst, attribute, value)


def _req_bool(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if not isinstance(value, bool):
        raise _wrong(inst, attribute, "True or False", value)


def _opt_bool(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise _wrong(inst, attribute, "True, False or None", value)


def _opt_date(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    # A datetime is a date to isinstance, but an agreement file cannot hold one as a date.
    if value is not None and (not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)):
        raise _wrong(inst, attribute, "a date (a datetime.date, without a time) or None", value)


@attrs.frozen
class _InstanceOf:
    """A validator: the field holds an object of one model class (such as :class:`Names`)."""

    type: type

    def __call__(self, inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
        if not isinstance(value, self.type):
            raise _wrong(inst, attribute, f"a {self.type.__name__} object", value)


def _text() -> Any:
    return attrs.field(default=None, validator=_opt_text)


def _tuple_of(cls: type | tuple[type, ...]) -> Any:
    """The validator of a list of model objects of ``cls`` (a class, or a tuple of them)."""
    names = cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls)

    def validate(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
        if not isinstance(value, tuple):
            raise _not_a_list(inst, attribute, value, "a list")
        for item in value:
            if not isinstance(item, cls):
                raise TypeError(
                    f"{_field_name(inst, attribute)} must hold {names} objects, not {_found(item)}"
                )

    return validate


class Identifiability(enum.StrEnum):
    """How far information identifies the people it is about."""

    IDENTIFYING = "identifying"
    DE_IDENTIFIED = "de-identified"
    AGGREGATE = "aggregate"


class Sensitivity(enum.StrEnum):
    """How sensitive information is; ``high`` counts as sensitive for the checks."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def _opt_enum(cls: type[enum.StrEnum]) -> Any:
    """The validator of an optional enum field."""

    def validate(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
        if value is not None and not isinstance(value, cls):
            choices = ", ".join(m.value for m in cls)
            raise _wrong(inst, attribute, f"one of {choices}", value, ValueError)

    return validate


def _enum_value(cls: type[enum.StrEnum], value: Any) -> Any:
    if value is None or isinstance(value, cls):
        return value
    try:
        return cls(value)
    except (ValueError, TypeError):
        return value  # left for the validator, which names the field


def _to_identifiability(value: "Identifiability | str | None") -> "Identifiability | None":
    """An identifiability, or its value (``"aggregate"``), to an :class:`Identifiability`."""
    return _enum_value(Identifiability, value)  # type: ignore[no-any-return]


def _to_sensitivity(value: "Sensitivity | str | None") -> "Sensitivity | None":
    """A sensitivity, or its value (``"high"``), to a :class:`Sensitivity`."""
    return _enum_value(Sensitivity, value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class ServiceUser:
    """A group of people the information is about, such as parents in a programme.

    Parameters
    ----------
    id, name : str
    needs_extra_care : str, optional
        The group needs extra care, and this names the version of an explanation made for
        them (``"child"`` for children, ``"easy-read"``, a language, ...).
    maori_data_interest : bool
        Information about this group is of interest to Māori (iwi, hapū, whānau), so its use
        calls for Māori engagement or partnership.
    description : str, optional
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_req_text)
    needs_extra_care: str | None = _text()
    maori_data_interest: bool = attrs.field(default=False, validator=_req_bool)
    description: str | None = _text()


@attrs.frozen(kw_only=True)
class Team:
    """A part of an organisation with purposes of its own; a holder in its own right.

    ``purposes`` lists the purposes the team is set up for: information sent to it for any
    other purpose is a purpose mismatch.
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_req_text)
    purposes: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    description: str | None = _text()


if TYPE_CHECKING:  # the converter of a list of teams, typed for the attrs mypy plugin

    def _teams(value: Iterable[Team]) -> tuple[Team, ...]:
        return tuple(value)

else:
    _teams = _objects


@attrs.frozen(kw_only=True)
class _Organisation:
    kind: ClassVar[str]

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_req_text)
    teams: tuple[Team, ...] = attrs.field(factory=tuple, converter=_teams, validator=_tuple_of(Team))
    description: str | None = _text()


@attrs.frozen(kw_only=True)
class Provider(_Organisation):
    """An organisation that delivers services, such as City Centre Social Services."""

    kind: ClassVar[str] = "provider"


@attrs.frozen(kw_only=True)
class Agency(_Organisation):
    """A government agency, such as the one funding a programme."""

    kind: ClassVar[str] = "agency"


Holder: TypeAlias = Provider | Agency
"""An organisation that holds information (its teams are holders too)."""


@attrs.frozen(kw_only=True)
class Purpose:
    """Why information is used.

    Parameters
    ----------
    id : str
    description : str, optional
    benefit : str, optional
        How the use benefits the people the information is about (He Tāngata).
    needs_identity : bool, optional
        Whether the purpose needs information that identifies people. Unknown (``None``)
        is reported by the checks rather than assumed either way.
    authority : str, optional
        The law, agreement clause or other authority that allows the use.
    compatible_with : tuple of str
        Purposes this one is declared compatible with: information that arrived for one of
        them may be used onward for this purpose.
    """

    id: str = attrs.field(validator=_check_id)
    description: str | None = _text()
    benefit: str | None = _text()
    needs_identity: bool | None = attrs.field(default=None, validator=_opt_bool)
    authority: str | None = _text()
    compatible_with: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)


@attrs.frozen(kw_only=True)
class Information:
    """An item of information: what is collected, moved or held.

    ``about`` names the service-user groups it is about; ``identifiability`` is one of
    ``identifying``, ``de-identified`` or ``aggregate``.
    """

    id: str = attrs.field(validator=_check_id)
    description: str | None = _text()
    about: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    identifiability: Identifiability | None = attrs.field(
        default=None, converter=_to_identifiability, validator=_opt_enum(Identifiability)
    )
    sensitivity: Sensitivity | None = attrs.field(
        default=None, converter=_to_sensitivity, validator=_opt_enum(Sensitivity)
    )


@attrs.frozen(kw_only=True)
class DataFlow:
    """One movement of information from one holder (or group) to another.

    ``from_`` and ``to`` are the ids of service-user groups, organisations or teams (the
    file keys are ``from`` and ``to``). ``purpose`` may name a purpose the agreement never
    declares: that is a finding, not a load error. ``choice`` says what choice people have;
    ``no_choice_reason`` says why they have none.
    """

    id: str = attrs.field(validator=_check_id)
    from_: str = attrs.field(validator=_check_id)
    to: str = attrs.field(validator=_check_id)
    carries: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    purpose: str | None = attrs.field(default=None, validator=_opt_id)
    frequency: str | None = _text()
    choice: str | None = _text()
    no_choice_reason: str | None = _text()
    description: str | None = _text()


CHECKLIST_ITEMS: tuple[str, ...] = (
    "what",
    "why",
    "how_used",
    "benefit",
    "linking",
    "not_used_for",
    "who_sees",
    "shared_with",
    "laws",
    "access_and_correction",
    "if_not_corrected",
    "choices",
    "no_choice_why",
    "involvement",
)
"""The items of DPUP's "what service users need to know" (seed 001), in its order.

Seed 001's "What it will not be used for, and who will not see it" is two items:
``not_used_for`` says what it will not be used for, and ``who_sees`` who will not see it
(saying who will, too, if that helps people understand). ``choices`` answers "what choices
they have about who sees it or how it's used", and ``no_choice_why`` "if they don't have a
choice, why": it is owed only by an explanation that covers a flow people have no choice
about (one with a ``no_choice_reason`` and no ``choice``), see :meth:`Checklist.missing`."""

_ALL = CHECKLIST_ITEMS
_UNCONDITIONAL = tuple(item for item in CHECKLIST_ITEMS if item != "no_choice_why")
_ALL_ANSWERS = operator.attrgetter(*_ALL)  # every answer in one call, for Checklist.missing
_UNCONDITIONAL_ANSWERS = operator.attrgetter(*_UNCONDITIONAL)


@attrs.frozen(kw_only=True)
class Checklist:
    """An explanation's plain-language answer to each item of "what service users need to know".

    Every item is optional; an unanswered (or blank) item is a finding.
    """

    what: str | None = _text()
    why: str | None = _text()
    how_used: str | None = _text()
    benefit: str | None = _text()
    linking: str | None = _text()
    not_used_for: str | None = _text()
    who_sees: str | None = _text()
    shared_with: str | None = _text()
    laws: str | None = _text()
    access_and_correction: str | None = _text()
    if_not_corrected: str | None = _text()
    choices: str | None = _text()
    no_choice_why: str | None = _text()
    involvement: str | None = _text()

    def missing(self, *, no_choice: bool = False) -> tuple[str, ...]:
        """The checklist items left unanswered or blank, in checklist order.

        Parameters
        ----------
        no_choice : bool
            Whether people have no choice about something the explanation covers. Only then
            is ``no_choice_why`` ("if they don't have a choice, why") owed, and reported
            when it is missing.

        Examples
        --------
        >>> says = Checklist(what="Your record", why="To support you")
        >>> says.missing()[:3]
        ('how_used', 'benefit', 'linking')
        >>> "no_choice_why" in says.missing(), "no_choice_why" in says.missing(no_choice=True)
        (False, True)
        """
        items, answers = (_ALL, _ALL_ANSWERS) if no_choice else (_UNCONDITIONAL, _UNCONDITIONAL_ANSWERS)
        return tuple(
            item for item, text in zip(items, answers(self), strict=True) if not text or text.isspace()
        )


@attrs.frozen(kw_only=True)
class Names:
    """What an explanation tells people, checkably: the holders and purposes it names.

    Naming an organisation names its teams.
    """

    holders: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    purposes: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)


@attrs.frozen(kw_only=True)
class Explanation:
    """What a group of service users is told about the flows of their information.

    ``for_`` (file key ``for``) lists the groups, ``versions`` the versions made (``adult``,
    ``child``, languages), ``covers`` the flows it is meant to explain.
    """

    id: str = attrs.field(validator=_check_id)
    for_: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    versions: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_text_list)
    covers: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    names: Names = attrs.field(factory=Names, validator=_InstanceOf(Names))
    says: Checklist = attrs.field(factory=Checklist, validator=_InstanceOf(Checklist))
    title: str | None = _text()


@attrs.frozen(kw_only=True)
class AccessArrangement:
    """How people ask for access to and correction of their information.

    ``contact`` is the holder people ask (what it holds itself is covered too); ``covers``
    the holders whose information that one request reaches (naming an organisation covers
    its teams).
    """

    contact: str = attrs.field(validator=_check_id)
    covers: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    copies: str | None = _text()
    if_not_corrected: str | None = _text()


@attrs.frozen(kw_only=True)
class Engagement:
    """A record of working with people or providers on the use of information.

    ``with_`` (file key ``with``) names groups and holders; ``maori`` marks engagement or
    partnership with Māori about information in which they have an interest.
    """

    with_: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    about: str | None = _text()
    maori: bool = attrs.field(default=False, validator=_req_bool)


_CODE = re.compile(r"(PM|ME|UH|SV)[0-9]{3}\Z")


_CODE_RULE = "a check code such as 'PM004' (PM, ME, UH or SV and three digits)"
"""The form of an acceptance's code, in words (it is :data:`_CODE`)."""


def _check_code(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if not isinstance(value, str) or not _CODE.match(value):
        raise _wrong(inst, attribute, _CODE_RULE, value, ValueError)


@attrs.frozen(kw_only=True)
class Acceptance:
    """A finding the parties have considered and accepted, with the reason and who accepted it.

    It matches findings by ``code`` (a check code such as ``PM004``) and ``subject`` within
    its agreement; an acceptance that matches nothing is itself reported.
    """

    code: str = attrs.field(validator=_check_code)
    subject: str = attrs.field(validator=_req_text)
    reason: str = attrs.field(validator=_req_text)
    by: str = attrs.field(validator=_req_text)


Node: TypeAlias = ServiceUser | Provider | Agency | Team

if TYPE_CHECKING:
    # The converters of the agreement's lists of objects, typed one by one for the attrs mypy
    # plugin (which cannot read a generic one); at run time each is _objects itself, so the
    # loader's fast path knows them by identity.

    def _service_users(value: Iterable[ServiceUser]) -> tuple[ServiceUser, ...]:
        return tuple(value)

    def _holders(value: Iterable[Provider | Agency]) -> tuple[Holder, ...]:
        return tuple(value)

    def _purposes(value: Iterable[Purpose]) -> tuple[Purpose, ...]:
        return tuple(value)

    def _information(value: Iterable[Information]) -> tuple[Information, ...]:
        return tuple(value)

    def _flows(value: Iterable[DataFlow]) -> tuple[DataFlow, ...]:
        return tuple(value)

    def _explanations(value: Iterable[Explanation]) -> tuple[Explanation, ...]:
        return tuple(value)

    def _access(value: Iterable[AccessArrangement]) -> tuple[AccessArrangement, ...]:
        return tuple(value)

    def _engagement(value: Iterable[Engagement]) -> tuple[Engagement, ...]:
        return tuple(value)

    def _accepted(value: Iterable[Acceptance]) -> tuple[Acceptance, ...]:
        return tuple(value)

else:
    _service_users = _holders = _purposes = _information = _flows = _objects
    _explanations = _access = _engagement = _accepted = _objects


@attrs.frozen(kw_only=True)
class Agreement:
    """A data-sharing agreement: the unit a contract team writes and checks.

    Building one checks that ids are unique and every reference resolves, and raises
    :class:`dpup.AgreementError` listing every problem otherwise.

    Use :meth:`graph` for the networkx graph of its flows and :func:`dpup.check` for the
    findings.
    """

    id: str = attrs.field(validator=_check_id)
    title: str = attrs.field(validator=_req_text)
    parties: tuple[str, ...] = attrs.field(factory=tuple, converter=_to_strs, validator=_id_list)
    review_by: datetime.date | None = attrs.field(default=None, validator=_opt_date)
    service_users: tuple[ServiceUser, ...] = attrs.field(
        factory=tuple, converter=_service_users, validator=_tuple_of(ServiceUser)
    )
    holders: tuple[Holder, ...] = attrs.field(
        factory=tuple, converter=_holders, validator=_tuple_of((Provider, Agency))
    )
    purposes: tuple[Purpose, ...] = attrs.field(
        factory=tuple, converter=_purposes, validator=_tuple_of(Purpose)
    )
    information: tuple[Information, ...] = attrs.field(
        factory=tuple, converter=_information, validator=_tuple_of(Information)
    )
    flows: tuple[DataFlow, ...] = attrs.field(factory=tuple, converter=_flows, validator=_tuple_of(DataFlow))
    explanations: tuple[Explanation, ...] = attrs.field(
        factory=tuple, converter=_explanations, validator=_tuple_of(Explanation)
    )
    access: tuple[AccessArrangement, ...] = attrs.field(
        factory=tuple, converter=_access, validator=_tuple_of(AccessArrangement)
    )
    engagement: tuple[Engagement, ...] = attrs.field(
        factory=tuple, converter=_engagement, validator=_tuple_of(Engagement)
    )
    accepted: tuple[Acceptance, ...] = attrs.field(
        factory=tuple, converter=_accepted, validator=_tuple_of(Acceptance)
    )

    def __attrs_post_init__(self) -> None:
        index, problems = _build_index(self)
        if problems:
            raise AgreementError(problems)
        object.__setattr__(self, "_index", index)  # the slot of the cached property below

    @functools.cached_property
    def _index(self) -> dict[str, Any]:
        """The lookups by id, built when the agreement is (in ``__attrs_post_init__``, which
        checks its references). Not an attrs field, so ``attrs.fields``, ``attrs.asdict`` and
        ``attrs.evolve`` see only the agreement's own fields; a copy or an unpickled agreement
        (whose state is its fields alone) builds it again on first use."""
        index, problems = _build_index(self)
        if problems:  # pragma: no cover (only an agreement that was built is copied)
            raise AgreementError(problems)
        return index

    # -- lookups -------------------------------------------------------------------------

    def node(self, id: str) -> Node:
        """The service-user group, organisation or team with this id (``KeyError`` if none)."""
        return self._index["nodes"][id]  # type: ignore[no-any-return]

    def organisation_of(self, holder: str) -> str | None:
        """The organisation a holder belongs to: itself for an organisation, its
        organisation for a team, ``None`` for a service-user group."""
        return self._index["org_of"].get(holder)  # type: ignore[no-any-return]

    def purpose(self, id: str) -> Purpose | None:
        """The declared purpose with this id, or ``None`` when the agreement never declares it."""
        return self._index["purposes"].get(id)  # type: ignore[no-any-return]

    def info(self, id: str) -> Information:
        """The information item with this id."""
        return self._index["information"][id]  # type: ignore[no-any-return]

    def flow(self, id: str) -> DataFlow:
        """The flow with this id."""
        return self._index["flows"][id]  # type: ignore[no-any-return]

    def explanation(self, id: str) -> Explanation:
        """The explanation with this id."""
        return self._index["explanations"][id]  # type: ignore[no-any-return]

    def where(self, id: str) -> str | None:
        """The JSON path of the declaration of ``id`` in this agreement, such as
        ``"$.flows[3]"`` or ``"$.holders[1].teams[0]"``; ``None`` when the agreement declares
        nothing with that id.

        Every kind of declaration with an id is found: a service-user group, an organisation,
        a team, a purpose, an information item, a flow or an explanation. The path is the
        same in the agreement's YAML, JSON or TOML file, so it says where to look there, as a
        load error's path does. The positions of one kind of declaration are indexed the first
        time one of them is asked for (in time linear in their number, once per agreement);
        each call after that costs a few dict lookups.

        Examples
        --------
        >>> import dpup
        >>> a = dpup.examples.load("best-foot-forward-before")
        >>> a.where("quarterly-report"), a.where("agency.evaluation"), a.where("nothing")
        ('$.flows[3]', '$.holders[1].teams[0]', None)
        """
        index = self._index
        for section in _SECTIONS_BY_ID:  # the kinds of declaration by how many a draft has
            if id in index[section]:
                return f"$.{section}[{self._position(section, id)}]"
        org = index["org_of"].get(id)
        if org is None:
            return f"$.service_users[{self._position('service_users', id)}]" if id in index["nodes"] else None
        if org == id:
            return f"$.holders[{self._position('holders', id)}]"
        return f"$.holders[{self._position('holders', org)}].teams[{self._position('teams', id)}]"

    def _position(self, section: str, id: str) -> int:
        """Where the declaration of ``id`` is in its list: ``section`` is a key of the
        agreement, or ``"teams"`` for a team's place among its organisation's teams."""
        positions = self._positions.get(section)
        if positions is None:
            if section == "teams":
                positions = {t.id: j for org in self.holders for j, t in enumerate(org.teams)}
            else:
                objects = getattr(self, section)
                positions = dict(zip(map(_get_id, objects), range(len(objects)), strict=True))
            self._positions[section] = positions
        return positions[id]

    @functools.cached_property
    def _positions(self) -> dict[str, dict[str, int]]:
        """For :meth:`where`: each kind of declaration (``"flows"``) -> id -> its place in its
        list, filled in a kind at a time as it is asked for, so a check with no findings
        never builds any of it. Like :attr:`_index`, not an attrs field."""
        return {}

    def teams(self) -> Iterator[tuple[Holder, Team]]:
        """Every team with its organisation."""
        for org in self.holders:
            for team in org.teams:
                yield org, team

    def graph(self) -> "nx.MultiDiGraph[str]":
        """The networkx ``MultiDiGraph`` of this agreement's flows (see :func:`dpup.graph`)."""
        from dpup.graph import graph

        return graph(self)

    def _repr_html_(self) -> str:
        """The agreement as Jupyter shows it: its id and title, what it declares, counted, and
        a table of its flows (who sends what to whom, for which purpose), the first
        :data:`HTML_FLOWS` of a long one."""
        from html import escape

        from dpup._private.html import table

        counts = ", ".join(
            f"{len(getattr(self, section))} {label}"
            for section, label in (
                ("service_users", "service-user groups"),
                ("holders", "organisations"),
                ("purposes", "purposes"),
                ("information", "information items"),
                ("flows", "flows"),
                ("explanations", "explanations"),
                ("access", "access arrangements"),
            )
        )
        parties = ", ".join(self.parties) or "none named"
        shown = self.flows[:HTML_FLOWS]
        rows = (
            (
                escape(f.id),
                escape(f.from_),
                escape(f.to),
                escape(", ".join(f.carries)),
                escape(f.purpose or ""),
            )
            for f in shown
        )
        more = ""
        if len(self.flows) > len(shown):
            more = f"<p>The first {len(shown)} of {len(self.flows)} flows.</p>"
        return (
            f"<p><b>{escape(self.id)}</b>: {escape(self.title)}<br>parties: {escape(parties)}<br>"
            f"{counts}</p>" + table(("flow", "from", "to", "carries", "purpose"), rows) + more
        )


HTML_FLOWS = 50
"""How many flows an agreement shows in Jupyter (:meth:`Agreement._repr_html_`)."""


def _build_index(
    a: Any, *, unread: Iterable[str] = (), unread_ids: Iterable[str] = ()
) -> tuple[dict[str, Any], list[Problem]]:
    """Index an agreement's ids and check that they are unique and every reference resolves.

    ``a`` is an :class:`Agreement`, or anything with its attribute names: the file loader
    also calls this on what it could read of a file that failed to load (see
    ``dpup._private.converter``), so that reference problems are reported together with the
    file's other problems. Ids and references that are not strings there are skipped: the
    loader reports them already. ``unread`` names sections (``"flows"``, ``"service_users"``)
    the loader could not read because their key is misspelt: a reference that could be to
    something in one of them is not reported, since the misspelt key is; ``unread_ids`` are
    ids declared under a misspelt key deeper in (a holder's ``team:`` for ``teams:``), and a
    reference to one of them is not reported either.

    A reference to an id used twice, whose first use is not what the reference needs (a
    flow's id that a purpose took first), says so, rather than that the id is not there.
    """
    if isinstance(a, Agreement):
        index = _sound_index(a)
        if index is not None:
            return index, []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    again: dict[str, list[Path]] = {}  # an id used more than once: where it is used after the first
    nodes: dict[str, Node] = {}
    org_of: dict[str, str] = {}
    purposes: dict[str, Purpose] = {}
    information: dict[str, Information] = {}
    flows: dict[str, DataFlow] = {}
    explanations: dict[str, Explanation] = {}

    def declare(id: Any, path: Path) -> bool:
        if not isinstance(id, str):
            return False
        if id in seen:
            problems.append(
                Problem(
                    path=(*path, "id"),
                    message=f"id {quote(id)} is used twice: here and at {format_path((*seen[id], 'id'))}",
                    expected="an id used once in the agreement",
                    found=quote(id),
                )
            )
            again.setdefault(id, []).append(path)
            return False
        seen[id] = path
        return True

    for i, g in enumerate(a.service_users):
        if declare(g.id, ("service_users", i)):
            nodes[g.id] = g
    for i, org in enumerate(a.holders):
        if declare(org.id, ("holders", i)):
            nodes[org.id] = org
            org_of[org.id] = org.id
        for j, team in enumerate(org.teams):
            if declare(team.id, ("holders", i, "teams", j)):
                nodes[team.id] = team
                org_of[team.id] = org.id
    for i, p in enumerate(a.purposes):
        if declare(p.id, ("purposes", i)):
            purposes[p.id] = p
    for i, info in enumerate(a.information):
        if declare(info.id, ("information", i)):
            information[info.id] = info
    for i, f in enumerate(a.flows):
        if declare(f.id, ("flows", i)):
            flows[f.id] = f
    for i, e in enumerate(a.explanations):
        if declare(e.id, ("explanations", i)):
            explanations[e.id] = e

    groups = {g.id for g in a.service_users if isinstance(g.id, str)}
    orgs = {o.id for o in a.holders if isinstance(o.id, str)}
    holders = set(org_of)

    hints = _Hints()
    skipped = frozenset(unread)
    hidden = frozenset(unread_ids)

    def ref(path: Path, value: Any, pool: Iterable[str] | dict[str, Any], what: str, owner: str) -> None:
        if not isinstance(value, str) or value in pool or not skipped.isdisjoint(_SECTIONS[what]):
            return
        if value in hidden:
            return  # declared under a misspelt key, which is reported
        later = next((at for at in again.get(value, ()) if _declared_as(at) in _ACCEPTS[what]), None)
        if later is not None:
            # a later use would do, but the first use of the id took it
            first, uses = seen[value], 1 + len(again[value])
            message = (
                f"{owner} refers to {quote(value)}, an id used {'twice' if uses == 2 else f'{uses} times'}: "
                f"its first use, at {format_path(first)}, is {_declared_as(first)}, not {what}"
            )
            hint: str | None = (
                f"give one of the two another id (the second is at {format_path(later)})"
                if uses == 2
                else f"give each use its own id (the use that is {what} is at {format_path(later)})"
            )
        else:
            message = f"{owner} refers to {quote(value)}, which is not {what} in this agreement"
            hint = hints.did_you_mean(value, pool)
        problems.append(Problem(path=path, message=message, expected=what, found=quote(value), hint=hint))

    for i, party in enumerate(a.parties):
        ref(("parties", i), party, orgs, "an organisation (a holder)", f"agreement {_shown_id(a.id)}")
    for i, info in enumerate(a.information):
        if _resolves(info.about, groups):
            continue
        for j, grp in enumerate(info.about):
            ref(
                ("information", i, "about", j),
                grp,
                groups,
                "a service-user group",
                f"information {_shown_id(info.id)}",
            )
    for i, f in enumerate(a.flows):
        if _resolves((f.from_, f.to), nodes) and _resolves(f.carries, information):
            continue  # the common case, without building messages
        owner = f"flow {_shown_id(f.id)}"
        ref(("flows", i, "from"), f.from_, nodes, "a service-user group or holder", owner)
        ref(("flows", i, "to"), f.to, nodes, "a service-user group or holder", owner)
        for j, item in enumerate(f.carries):
            ref(("flows", i, "carries", j), item, information, "an information item", owner)
    for i, e in enumerate(a.explanations):
        if _resolves(e.for_, groups) and _resolves(e.covers, flows) and _resolves(e.names.holders, holders):
            continue
        owner = f"explanation {_shown_id(e.id)}"
        for j, grp in enumerate(e.for_):
            ref(("explanations", i, "for", j), grp, groups, "a service-user group", owner)
        for j, fl in enumerate(e.covers):
            ref(("explanations", i, "covers", j), fl, flows, "a flow", owner)
        for j, h in enumerate(e.names.holders):
            ref(("explanations", i, "names", "holders", j), h, holders, "a holder", owner)
    for i, acc in enumerate(a.access):
        owner = f"access[{i}]"
        ref(("access", i, "contact"), acc.contact, holders, "a holder", owner)
        for j, h in enumerate(acc.covers):
            ref(("access", i, "covers", j), h, holders, "a holder", owner)
    for i, eng in enumerate(a.engagement):
        for j, w in enumerate(eng.with_):
            ref(("engagement", i, "with", j), w, nodes, "a service-user group or holder", f"engagement[{i}]")

    def once(path: Path, values: Any, owner: str) -> None:
        first: dict[str, int] = {}
        for j, value in enumerate(values):
            if not isinstance(value, str):
                continue
            if value in first:
                problems.append(
                    Problem(
                        path=(*path, j),
                        message=f"{owner} lists {quote(value)} twice: here and at {format_path((*path, first[value]))}",
                        expected="each id once",
                        found=quote(value),
                    )
                )
            else:
                first[value] = j

    once(("parties",), a.parties, f"agreement {_shown_id(a.id)}")
    for i, info in enumerate(a.information):
        once(("information", i, "about"), info.about, f"information {_shown_id(info.id)}")
    for i, f in enumerate(a.flows):
        once(("flows", i, "carries"), f.carries, f"flow {_shown_id(f.id)}")
    for i, e in enumerate(a.explanations):
        owner = f"explanation {_shown_id(e.id)}"
        once(("explanations", i, "for"), e.for_, owner)
        once(("explanations", i, "covers"), e.covers, owner)
        once(("explanations", i, "names", "holders"), e.names.holders, owner)
        once(("explanations", i, "names", "purposes"), e.names.purposes, owner)
    for i, acc in enumerate(a.access):
        once(("access", i, "covers"), acc.covers, f"access[{i}]")
    for i, eng in enumerate(a.engagement):
        once(("engagement", i, "with"), eng.with_, f"engagement[{i}]")
    accepted: dict[tuple[str, str], int] = {}  # (code, subject) -> where it is first accepted
    for i, acc in enumerate(a.accepted):
        key = (acc.code, acc.subject)
        if not (isinstance(acc.code, str) and isinstance(acc.subject, str)):
            continue
        if key in accepted:
            problems.append(
                Problem(
                    path=("accepted", i),
                    message=f"{acc.code} for {quote(acc.subject)} is accepted twice: here and at "
                    f"{format_path(('accepted', accepted[key]))}",
                    expected="each finding accepted once",
                    found=f"a second acceptance of {acc.code} for {quote(acc.subject)}",
                    hint="delete one; if both reasons still hold, put both in the one you keep",
                )
            )
        else:
            accepted[key] = i

    return _index(nodes, org_of, purposes, information, flows, explanations), problems


def _index(
    nodes: dict[str, Node],
    org_of: dict[str, str],
    purposes: dict[str, Purpose],
    information: dict[str, Information],
    flows: dict[str, DataFlow],
    explanations: dict[str, Explanation],
) -> dict[str, Any]:
    return {
        "nodes": nodes,
        "org_of": org_of,
        "purposes": purposes,
        "information": information,
        "flows": flows,
        "explanations": explanations,
    }


_get_id = operator.attrgetter("id")
_chain = itertools.chain.from_iterable

_SECTIONS_BY_ID = ("flows", "purposes", "information", "explanations")
"""The lists of an agreement :meth:`Agreement.where` finds an id in through :attr:`_index`
directly (groups, organisations and teams are its ``nodes``)."""


def _by_id(objects: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(map(_get_id, objects), objects, strict=True))


def _sound_index(a: Agreement) -> dict[str, Any] | None:
    """The index of an agreement whose ids are unique and whose references all resolve, or
    ``None`` if they are not (then :func:`_build_index` says where): the common case, checked
    with set operations (in C, no Python call per id) rather than id by id."""
    holders = a.holders
    nodes: dict[str, Node] = _by_id(a.service_users)
    org_of: dict[str, str] = {}
    teams = 0
    for org in holders:  # in the order _build_index declares them
        nodes[org.id] = org
        org_of[org.id] = org.id
        if org.teams:
            nodes.update(_by_id(org.teams))
            org_of.update(dict.fromkeys(map(_get_id, org.teams), org.id))
            teams += len(org.teams)
    purposes = _by_id(a.purposes)
    information = _by_id(a.information)
    flows = _by_id(a.flows)
    explanations = _by_id(a.explanations)
    declared = len(a.service_users) + len(holders) + teams
    declared += len(a.purposes) + len(a.information) + len(a.flows) + len(a.explanations)
    ids = set(nodes)
    ids.update(purposes, information, flows, explanations)
    if len(ids) != declared:
        return None  # an id declared twice
    in_groups = set(map(_get_id, a.service_users)).__contains__
    in_nodes, in_org_of = nodes.__contains__, org_of.__contains__
    f, e = a.flows, a.explanations
    sound = (
        all(map(set(map(_get_id, holders)).__contains__, a.parties))
        and all(map(in_groups, _chain(map(_about, a.information))))
        and all(map(in_nodes, map(_from, f)))
        and all(map(in_nodes, map(_to, f)))
        and all(map(information.__contains__, _chain(map(_carries, f))))
        and all(map(in_groups, _chain(map(_for, e))))
        and all(map(flows.__contains__, _chain(map(_covers, e))))
        and all(map(in_org_of, _chain(map(_named_holders, e))))
        and all(map(in_org_of, map(_contact, a.access)))
        and all(map(in_org_of, _chain(map(_covers, a.access))))
        and all(map(in_nodes, _chain(map(_with, a.engagement))))
        and _accepted_once(a.accepted)
        and _once(
            [
                a.parties,
                *map(_about, a.information),
                *map(_carries, f),
                *map(_for, e),
                *map(_covers, e),
                *map(_named_holders, e),
                *map(_named_purposes, e),
                *map(_covers, a.access),
                *map(_with, a.engagement),
            ]
        )
    )
    return _index(nodes, org_of, purposes, information, flows, explanations) if sound else None


_about = operator.attrgetter("about")
_from = operator.attrgetter("from_")
_to = operator.attrgetter("to")
_carries = operator.attrgetter("carries")
_for = operator.attrgetter("for_")
_covers = operator.attrgetter("covers")
_named_holders = operator.attrgetter("names.holders")
_contact = operator.attrgetter("contact")
_with = operator.attrgetter("with_")
_named_purposes = operator.attrgetter("names.purposes")


def _once(lists: list[tuple[str, ...]]) -> bool:
    """Whether no id repeats within any of these lists of references: counted in C, over the
    few lists of more than one id (a Python call per list would cost more than the lists)."""
    longer = list(itertools.compress(lists, map(_more_than_one, map(len, lists))))
    return sum(map(len, longer)) == sum(map(len, map(set, longer)))


_more_than_one = (1).__lt__


def _accepted_once(accepted: tuple["Acceptance", ...]) -> bool:
    """Whether no finding (a code and subject) is accepted twice."""
    return len(accepted) < 2 or len({(acc.code, acc.subject) for acc in accepted}) == len(accepted)


def _resolves(values: Any, pool: dict[str, Any] | set[str]) -> bool:
    """Whether every value is in the pool; ``False`` when that cannot be told (a value
    that is not hashable, in what a loader could read of a bad file)."""
    try:
        return all(v in pool for v in values)
    except TypeError:
        return False


def _shown_id(id: Any) -> str:
    return quote(id) if isinstance(id, str) else repr(id)


HINTS = 100
"""How many references that do not resolve get a did-you-mean hint (each value once)."""

_CANDIDATES = 32
"""How many ids of a large pool a hint compares closely (:class:`_Pool`)."""


class _Pool:
    """The ids a reference may name, for finding the one closest to a misspelling.

    ``difflib`` compares a value with every id it is given, at some microseconds each, so a
    large pool is first narrowed to the :data:`_CANDIDATES` ids sharing the most runs of
    three characters with the value (runs that most ids share, such as a common prefix, say
    nothing and are not counted): the time for a hint stays about the same however many ids
    there are, where comparing with all of them made a file of thousands of misspelt
    references (an organisation renamed) take minutes.
    """

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self._index: dict[str, list[int]] | None = None

    @staticmethod
    def _runs(text: str) -> set[str]:
        padded = f"\0{text}\0"
        return {padded[i : i + 3] for i in range(len(padded) - 2)}

    def candidates(self, value: str) -> list[str]:
        if len(self.ids) <= 4 * _CANDIDATES:
            return self.ids
        if self._index is None:
            self._index = {}
            for i, id in enumerate(self.ids):
                for run in self._runs(id):
                    self._index.setdefault(run, []).append(i)
        common = len(self.ids) // 2
        shared: collections.Counter[int] = collections.Counter()
        for run in self._runs(value):
            holders = self._index.get(run, ())
            if len(holders) <= common:
                shared.update(holders)
        return [self.ids[i] for i, _ in shared.most_common(_CANDIDATES)]


_SECTIONS: dict[str, tuple[str, ...]] = {
    "an organisation (a holder)": ("holders",),
    "a service-user group": ("service_users",),
    "a service-user group or holder": ("service_users", "holders"),
    "a holder": ("holders",),
    "an information item": ("information",),
    "a flow": ("flows",),
}
"""The sections a reference that expects this may point into."""

_ACCEPTS: dict[str, frozenset[str]] = {
    "an organisation (a holder)": frozenset({"an organisation"}),
    "a service-user group": frozenset({"a service-user group"}),
    "a service-user group or holder": frozenset({"a service-user group", "an organisation", "a team"}),
    "a holder": frozenset({"an organisation", "a team"}),
    "an information item": frozenset({"an information item"}),
    "a flow": frozenset({"a flow"}),
}
"""What each kind of reference can name, as :func:`_declared_as` says it."""

_DECLARED_AS: dict[str, str] = {
    "service_users": "a service-user group",
    "holders": "an organisation",
    "purposes": "a purpose",
    "information": "an information item",
    "flows": "a flow",
    "explanations": "an explanation",
}


def _declared_as(path: Path) -> str:
    """What the id declared at ``path`` (``("purposes", 1)``) names: ``"a purpose"``."""
    return "a team" if len(path) > 2 else _DECLARED_AS[str(path[0])]


class _Hints:
    """Did-you-mean hints for the references of one agreement: the first :data:`HINTS`
    values get one, and each value is looked for once."""

    def __init__(self) -> None:
        self.given: dict[tuple[str, int], str | None] = {}
        self.pools: dict[int, _Pool] = {}

    def did_you_mean(self, value: str, pool: Iterable[str]) -> str | None:
        key = (value, id(pool))
        if key in self.given:
            return self.given[key]
        if len(self.given) >= HINTS:
            return None
        choices = self.pools.get(id(pool))
        if choices is None:
            choices = self.pools[id(pool)] = _Pool(list(pool))
        close = difflib.get_close_matches(value, choices.candidates(value), n=1)
        hint = self.given[key] = f"did you mean {quote(close[0])}?" if close else None
        return hint
