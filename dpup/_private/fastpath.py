"""The fast path for loading a well-formed agreement (internal).

Most files a user loads are valid, and a sector holds tens of thousands of them. The
converter in :mod:`dpup._private.converter` is built for finding *every* problem in a file
and naming each one's place, and pays for that on every field of every object: cattrs'
detailed validation wraps each field in its own ``try`` and calls a hook for it.

This module generates (once, on import, as attrs and cattrs generate their code) one plain
function per model class that reads a mapping straight into the class. It makes each field's
check inline, the same check the field's validator makes (:func:`_kind` reads which one off
the validator): a ``dict`` with no key the class does not have, a list where a list belongs,
text that is text, ids of the right form (and interned), enums looked up by value. A class
whose every validator it knows, and which runs nothing else when built, is then built field
by field without calling its validators a second time; any other class
(:class:`~dpup.Acceptance`, :class:`~dpup.Agreement` with its reference checks) is called as
usual. Anything at all that is wrong raises (:class:`NotFast`, or whatever a lookup raised),
and the caller then loads the same data again through the converter, which says exactly
what is wrong and where. So the fast path never decides what a file means: it either builds
what the converter would build, or gives up. A property test (``tests/test_fastpath.py``)
holds it to that, in both directions, on agreements with random faults.

Sharing: within one :func:`sharing` block (``dpup.load_all`` opens one), a purpose or an
organisation read from a mapping equal to one read before is the object read before. Across
a sector's agreements the same agency, with its teams, and the same purposes are declared
again and again; sharing them saves building them again and the memory to hold copies. The
objects are frozen, so sharing cannot be seen except by ``is``. Equal mappings could hold a
``1`` where the first held ``true`` (``1 == True`` in Python), so a true-or-false field is
compared by identity too.
"""

import contextlib
import contextvars
import datetime
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from dpup import model as m
from dpup._private import converter as cv

__all__ = ["NotFast", "sharing", "structure_agreement"]

_SHARED: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar("dpup_shared", default=None)

_SHARED_CLASSES = (m.Purpose, m.Provider, m.Agency)
"""The classes whose objects are shared within a :func:`sharing` block: those a sector's
agreements repeat (an agency with its teams, its purposes)."""


@contextlib.contextmanager
def sharing() -> Iterator[None]:
    """Share equal purposes and organisations among everything loaded inside the block."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


class NotFast(Exception):
    """The fast path cannot read this; the converter will say why."""


def _date(value: Any) -> datetime.date:
    return cv._structure_date(value, datetime.date)


_KNOWN_CONVERTERS = (None, m._to_strs, m._objects)


def _converter(a: "attrs.Attribute[Any]") -> Any:
    return a.converter


def _kind(a: "attrs.Attribute[Any]") -> str | None:
    """What a field holds, read off its validator: the fast path checks the same itself.

    ``None`` for a validator this module does not know; the class is then built by calling
    it, so that its own validators run.
    """
    v: Any = a.validator
    t: Any = a.type
    ids = cv._id_kind(a)
    if ids is not None:
        return ids
    if v is m._req_text:
        return "text"
    if v is m._opt_text:
        return "optional text"
    if v is m._req_bool:
        return "bool"
    if v is m._opt_bool:
        return "optional bool"
    if v is m._opt_date:
        return "optional date"
    if v is m._text_list and _converter(a) is m._to_strs:
        return "texts"
    if isinstance(v, m._InstanceOf) and v.type is t and attrs.has(t):
        return "object"
    qualname = getattr(v, "__qualname__", "")
    if qualname == "_opt_enum.<locals>.validate":
        return "optional enum"
    if qualname == "_tuple_of.<locals>.validate" and cv._is_homogeneous_tuple(t):
        return "objects"
    return None


def _trusted(cls: type) -> bool:
    """Whether ``cls`` can be built field by field, its checks made by the fast path: every
    field's validator is one :func:`_kind` knows, and nothing else runs when it is built."""
    return (
        not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and all(a.init and _kind(a) is not None for a in attrs.fields(cls))
        and all(_converter(a) in _KNOWN_CONVERTERS or _kind(a) == "optional enum" for a in attrs.fields(cls))
    )


_NO_DEFAULT = object()


def _default(a: "attrs.Attribute[Any]") -> Any:
    default: Any = a.default
    if default is attrs.NOTHING:
        return _NO_DEFAULT
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory  # called for each object, as attrs would
    return default


class _Generator:
    """Writes the reading function of each class, into one namespace."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "NotFast": NotFast,
            "_dict": dict,
            "_list": list,
            "_str": str,
            "_str_only": frozenset([str]),
            "_intern": cv._intern,
            "_is_id": m._is_id,
            "_date": _date,
            "_new": object.__new__,
            "_set": object.__setattr__,
            "_SHARED": _SHARED,
        }
        self.readers: dict[Any, str] = {}
        self.source: list[str] = []

    def bind(self, name: str, value: Any) -> str:
        self.namespace[name] = value
        return name

    def reader(self, t: Any) -> str:
        """The name of the function that reads a mapping into ``t``."""
        if t in self.readers:
            return self.readers[t]
        if typing.get_args(t) and all(attrs.has(arg) for arg in typing.get_args(t)):
            return self._holder(t)
        return self._class(t)

    def _read(self, cls: type, a: "attrs.Attribute[Any]", v: str) -> list[str]:
        """Statements that set ``v`` to the field's value, or raise."""
        kind = _kind(a)
        t: Any = a.type
        if kind == "id":
            return [f"{v} = _intern({v})", f"if not _is_id({v}): raise NotFast"]
        if kind == "optional id":
            return [
                f"if {v} is not None:",
                f"    {v} = _intern({v})",
                f"    if not _is_id({v}): raise NotFast",
            ]
        # A list given as null has no items, as the converter reads it (_require_list).
        if kind == "ids":
            return [
                f"if type({v}) is _list:",
                f"    {v} = tuple(map(_intern, {v}))",
                f"    if not all(map(_is_id, {v})): raise NotFast",
                f"elif {v} is None: {v} = ()",
                "else: raise NotFast",
            ]
        if kind == "texts":
            return [
                f"if type({v}) is _list:",
                f"    if not set(map(type, {v})) <= _str_only: raise NotFast",
                f"    {v} = tuple({v})",
                f"elif {v} is None: {v} = ()",
                "else: raise NotFast",
            ]
        if kind == "text":
            return [f"if type({v}) is not _str: raise NotFast"]
        if kind == "optional text":
            return [f"if {v} is not None and type({v}) is not _str: raise NotFast"]
        if kind == "bool":
            return [f"if {v} is not True and {v} is not False: raise NotFast"]
        if kind == "optional bool":
            return [f"if {v} is not None and {v} is not True and {v} is not False: raise NotFast"]
        if kind == "optional date":
            return [f"if {v} is not None: {v} = _date({v})"]
        if kind == "optional enum":
            inner = typing.get_args(t)[0]
            values = self.bind(f"_enum_{inner.__name__}", {member.value: member for member in inner})
            return [f"if {v} is not None: {v} = {values}[{v}]"]
        if kind == "object":
            return [f"{v} = {self.reader(t)}({v})"]
        if kind == "objects":
            elem = typing.get_args(t)[0]
            return [
                f"if type({v}) is _list: {v} = tuple(map({self.reader(elem)}, {v}))",
                f"elif {v} is None: {v} = ()",
                "else: raise NotFast",
            ]
        return []  # the class checks it when it is built

    def _field(self, cls: type, a: "attrs.Attribute[Any]", v: str) -> list[str]:
        key = cv._file_key(cls, a.name)
        read = self._read(cls, a, v)
        default = _default(a)
        if default is _NO_DEFAULT:
            return [f"{v} = o[{key!r}]", *read]
        if default is None and read and read[0].startswith(f"if {v} is not None"):
            return [f"{v} = o.get({key!r})", *read]  # None is the default and needs no check
        if default is tuple:
            fallback = "()"
        elif default is None or default is True or default is False:
            fallback = repr(default)
        elif callable(default):
            fallback = f"{self.bind(f'_factory_{cls.__name__}_{a.name}', default)}()"
        else:
            fallback = self.bind(f"_default_{cls.__name__}_{a.name}", default)
        if not read:
            return [f"{v} = o.get({key!r}, {fallback})"]
        return [
            f"if {key!r} in o:",
            f"    {v} = o[{key!r}]",
            *("    " + line for line in read),
            "else:",
            f"    {v} = {fallback}",
        ]

    def _class(self, cls: type) -> str:
        name = f"_read_{cls.__name__}"
        self.readers[cls] = name
        allowed = (*cv.HEADER, *cv.BODY) if cls is m.Agreement else cv.allowed_keys(cls)
        keys = self.bind(f"_keys_{cls.__name__}", frozenset(allowed))
        target = self.bind(f"_cls_{cls.__name__}", cls)
        fields = [a for a in attrs.fields(cls) if a.init]
        body: list[str] = []
        for a in fields:
            body += self._field(cls, a, f"v_{a.name}")
        if _trusted(cls):
            body.append(f"self = _new({target})")
            for a in fields:  # through the slot itself: frozen classes refuse setattr
                slot = getattr(cls, a.name)
                if isinstance(slot, types.MemberDescriptorType):
                    body.append(
                        f"{self.bind(f'_slot_{cls.__name__}_{a.name}', slot.__set__)}(self, v_{a.name})"
                    )
                else:
                    body.append(f"_set(self, {a.name!r}, v_{a.name})")
        else:
            body.append(f"self = {target}({', '.join(f'{a.name}=v_{a.name}' for a in fields)})")
        lines = [
            f"def {name}(o):",
            f"    if type(o) is not _dict or not o.keys() <= {keys}:",
            "        raise NotFast",
        ]
        if cls in _SHARED_CLASSES:
            bools = [a for a in fields if a.type in (bool, bool | None)]
            same = "".join(
                f" and o.get({cv._file_key(cls, a.name)!r}, {_default(a)!r}) is hit[1].{a.name}"
                for a in bools
            )
            lines += [
                "    shared = _SHARED.get()",
                "    if shared is not None:",
                f"        hit = shared.get(({target}, o.get('id')))",
                f"        if hit is not None and hit[0] == o{same}:",
                "            return hit[1]",
                *("    " + line for line in body),
                "    if shared is not None:",
                f"        shared[{target}, self.id] = (o, self)",
            ]
        else:
            lines += ["    " + line for line in body]
        lines.append("    return self")
        self.source.append("\n".join(lines))
        return name

    def _holder(self, union: Any) -> str:
        name = "_read_holder"
        self.readers[union] = name
        kinds = {cls.kind: self.reader(cls) for cls in typing.get_args(union)}
        self.source.append(
            "\n".join(
                [
                    f"def {name}(o):",
                    "    if type(o) is not _dict:",
                    "        raise NotFast",
                    "    kind = o['kind']",
                    *(
                        f"    if kind == {kind!r}:\n        return {reader}(o)"
                        for kind, reader in kinds.items()
                    ),
                    "    raise NotFast",
                ]
            )
        )
        return name

    def compile_reader(self, cls: type) -> Callable[[Any], Any]:
        """Write the readers for ``cls`` and everything it holds, and return its reader."""
        name = self.reader(cls)
        code = compile("\n\n".join(self.source), "<dpup fast path>", "exec")
        exec(code, self.namespace)  # our own generated source, never the file's
        return self.namespace[name]  # type: ignore[no-any-return]


def _make() -> Callable[[Any], m.Agreement]:
    generator = _Generator()
    read = generator.compile_reader(m.Agreement)
    top = frozenset(("dpup", "agreement", *cv.BODY))
    header_keys = frozenset(cv.HEADER)
    version = cv.FORMAT_VERSION

    def structure(data: Any) -> m.Agreement:
        if type(data) is not dict or not data.keys() <= top:
            raise NotFast
        header = data["agreement"]
        if type(data["dpup"]) is not int or data["dpup"] != version or type(header) is not dict:
            raise NotFast
        if not header.keys() <= header_keys:
            raise NotFast
        flat = dict(header)
        flat.update((k, v) for k, v in data.items() if k != "dpup" and k != "agreement")
        return read(flat)  # type: ignore[no-any-return]

    return structure


structure_agreement: Callable[[Any], m.Agreement] = _make()
"""Read an agreement file's data into an :class:`~dpup.Agreement`, or raise (anything)."""
