"""What changed between two drafts of an agreement: the declarations added, removed and
changed, field by field.

A contract team negotiating an agreement trades drafts; DESIGN's users ask for "a diff of two
drafts". A text diff of two files shows every moved line and reindented block; this compares
what the drafts *declare*. Declarations are matched by id (a group, organisation, team,
purpose, information item, flow or explanation), an access arrangement by its contact, an
engagement record by whom it is with (in any order; ``(no one)`` for a record with nobody),
and an acceptance by its code and subject, so moving a flow, reordering a list of ids or
rewording a comment changes nothing. Fields are compared as the file holds them, by their
file keys (``from``, ``for``), with each answer of an explanation's ``says`` and each list of
its ``names`` a field of its own (``says.why``). :func:`diff` returns a :class:`Diff`, the
changes in order, which renders them as ``dpup diff`` does. :func:`dpup.compare` says which
findings the change fixed or brought.
"""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, SupportsIndex, overload

import attrs

from dpup import report
from dpup.files import _converter
from dpup.model import Agreement

__all__ = ["Change", "Diff", "FieldChange", "diff"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@attrs.frozen(kw_only=True)
class FieldChange:
    """One field of a declaration, before and after.

    Parameters
    ----------
    key : str
        The field's file key (``"carries"``, ``"no_choice_reason"``, ``"says.why"``).
    before, after
        Its value in each draft, as the file holds it (text, a list of ids, true or false, a
        date), or ``None`` where that draft does not set it.
    """

    key: str
    before: Any = None
    after: Any = None

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data (dates as ISO text)."""
        return {"key": self.key, "before": _jsonable(self.before), "after": _jsonable(self.after)}


@attrs.frozen(kw_only=True)
class Change:
    """A declaration added, removed or changed between two drafts.

    Parameters
    ----------
    kind : {"added", "removed", "changed"}
    section : str
        Where it is declared: ``"agreement"`` (the header: id, title, parties, review date),
        ``"service_users"``, ``"holders"``, ``"teams"``, ``"purposes"``, ``"information"``,
        ``"flows"``, ``"explanations"``, ``"access"``, ``"engagement"`` or ``"accepted"``.
    id : str
        What it is: its id; an access arrangement's contact; the ids an engagement record is
        with, joined by ``", "``; an acceptance's code and subject (``"ME008 programme-findings"``).
        The second declaration with the same key in its draft (the one ``where`` is in) gets
        ``" (2)"`` after it, the third ``" (3)"``.
    where : str
        Its JSON path: in the later draft, or for a removed one in the earlier
        (``"$.flows[3]"``, ``"$.holders[1].teams[0]"``).
    fields : tuple of FieldChange
        For a changed declaration, each field that differs, in the file's key order; for an
        added or removed one, every field it sets but its id. A team's ``organisation`` (the
        holder it is declared under) is a field of it.
    """

    kind: str = attrs.field(validator=attrs.validators.in_(("added", "removed", "changed")))
    section: str
    id: str
    where: str
    fields: tuple[FieldChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        return {
            "kind": self.kind,
            "section": self.section,
            "id": self.id,
            "where": self.where,
            "fields": [f.to_dict() for f in self.fields],
        }


def _changes(items: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(items)


_SECTION_NAMES = (
    "agreement",
    "service_users",
    "holders",
    "teams",
    "purposes",
    "information",
    "flows",
    "explanations",
    "access",
    "engagement",
    "accepted",
)
"""The sections a change can be in (:attr:`Change.section`), in the order :func:`diff` gives
them: the file's keys, ``"agreement"`` for its header and ``"teams"`` for its holders' teams."""


@attrs.frozen(kw_only=True)
class Diff:
    """What changed from one draft of an agreement to the next: see :func:`diff`.

    A diff is a sequence of its changes: iterate it, index or slice it, count it with
    ``len()``, ask whether a change is ``in`` it. It is false when nothing changed, so
    ``if dpup.diff(before, after):`` asks whether anything did. ``print(diff)`` shows the text
    ``dpup diff`` prints, and Jupyter shows it as a table.

    Parameters
    ----------
    changes : tuple of Change
        The declarations added, removed and changed, in the order :func:`diff` gives them
        (any iterable of changes is made a tuple).
    before : str
        The id of the earlier draft (its ``agreement.id``): the text, the Markdown and Jupyter
        name the drafts by their ids, unless given a title.
    after : str
        The id of the later draft.

    Examples
    --------
    >>> import dpup
    >>> d = dpup.diff(dpup.examples.load("best-foot-forward-before"), dpup.examples.load("best-foot-forward"))
    >>> d.summary()
    '7 changed, 9 added, 10 removed'
    >>> len(d), d[0].section, len(d.added())
    (26, 'agreement', 9)
    >>> print(d.in_section("flows").to_text())  # doctest: +ELLIPSIS
    best-foot-forward-before -> best-foot-forward: 3 changed, 2 added, 4 removed
    <BLANKLINE>
    flows
      ~ intake-parents  ($.flows[0])
    ...
    >>> bool(dpup.diff(dpup.examples.load("best-foot-forward"), dpup.examples.load("best-foot-forward")))
    False
    """

    changes: tuple[Change, ...] = attrs.field(converter=_changes)
    before: str
    after: str

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @overload
    def __getitem__(self, index: SupportsIndex) -> Change: ...

    @overload
    def __getitem__(self, index: slice) -> "Diff": ...

    def __getitem__(self, index: SupportsIndex | slice) -> "Change | Diff":
        """The change at ``index``; a slice is a diff of those changes, of the same drafts."""
        if isinstance(index, slice):
            return self._of(self.changes[index])
        return self.changes[index]

    def _of(self, changes: Iterable[Change]) -> "Diff":
        return Diff(changes=tuple(changes), before=self.before, after=self.after)

    def added(self) -> "Diff":
        """The declarations the later draft added, section by section, in its order."""
        return self._of(c for c in self.changes if c.kind == "added")

    def removed(self) -> "Diff":
        """The declarations the later draft removed, section by section, in the earlier
        draft's order."""
        return self._of(c for c in self.changes if c.kind == "removed")

    def changed(self) -> "Diff":
        """The declarations both drafts have that differ, section by section, in the later
        draft's order."""
        return self._of(c for c in self.changes if c.kind == "changed")

    def in_section(self, section: str) -> "Diff":
        """The changes to one section of the agreement, such as ``"flows"``, as a diff of the
        same drafts (which renders as this one does).

        Raises
        ------
        ValueError
            If ``section`` is not a section a change can be in (see :attr:`Change.section`:
            the file's keys, ``"agreement"`` for its header and ``"teams"`` for its holders'
            teams).

        Examples
        --------
        >>> import dpup
        >>> d = dpup.diff(dpup.examples.load("best-foot-forward-before"), dpup.examples.load("best-foot-forward"))
        >>> [(c.kind, c.id) for c in d.in_section("teams")]
        [('removed', 'agency.procurement')]
        """
        if section not in _SECTION_NAMES:
            raise ValueError(
                f"no section {section!r} in an agreement; the sections: {', '.join(_SECTION_NAMES)}"
            )
        return self._of(c for c in self.changes if c.section == section)

    def summary(self) -> str:
        """One line: ``"3 changed, 2 added, 1 removed"`` (kinds with none left out), or
        ``"no changes"``."""
        from dpup.render.changes import changes_summary  # dpup.render.changes imports this module

        return changes_summary(self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON-ready data: ``before`` and ``after`` (each with the draft's ``id``)
        and ``changes`` (each as :meth:`Change.to_dict` gives it); ``dpup diff --format json``
        writes this for each pair of drafts, with each draft's ``file`` beside its id."""
        return {
            "before": {"id": self.before},
            "after": {"id": self.after},
            "changes": [c.to_dict() for c in self.changes],
        }

    def to_json(self, *, indent: int | None = 2, ascii: bool = False) -> str:
        """The diff as JSON text (see :meth:`to_dict`); with ``ascii``, every character past
        ASCII is written as a JSON escape (``\\u00e9``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=ascii)

    def _title(self, title: str | None) -> str:
        return f"{self.before} -> {self.after}" if title is None else title

    def to_text(self, *, title: str | None = None) -> str:
        """The diff as ``dpup diff`` prints it: ``title`` and the summary, then under each
        section that changed a line per declaration (``~`` changed, ``+`` added, ``-``
        removed, with its id and JSON path) and a line per field, its values as JSON.
        ``title`` names the drafts: by default their ids
        (``"best-foot-forward-before -> best-foot-forward"``); an empty one leaves the summary
        alone on the first line. ``str(diff)`` (and so ``print(diff)``) is the same.

        Examples
        --------
        >>> import dpup
        >>> import attrs
        >>> a = dpup.examples.load("best-foot-forward")
        >>> print(dpup.diff(a, attrs.evolve(a, review_by=None)).to_text(title="v1 -> v2"), end="")
        v1 -> v2: 1 changed
        <BLANKLINE>
        agreement
          ~ best-foot-forward  ($.agreement)
              review_by: "2027-06-30" -> (not set)
        """
        from dpup.render.changes import render_changes_text  # dpup.render.changes imports this module

        return render_changes_text(self.changes, title=self._title(title))

    def __str__(self) -> str:
        return self.to_text()

    def to_markdown(self, *, title: str | None = None) -> str:
        """The diff as Markdown, as ``dpup diff --format markdown`` writes it for the pull
        request that revises a draft: a heading (naming ``title``, as :meth:`to_text` does),
        the summary, then a list per section, with what was taken from the drafts escaped."""
        from dpup.render.changes import render_changes_markdown  # dpup.render.changes imports this module

        return render_changes_markdown(self.changes, title=self._title(title))

    def _repr_html_(self) -> str:
        """The diff as Jupyter shows it: the drafts and the summary, then a row per change
        (kind, section, id, JSON path and the fields that differ), the first
        :data:`dpup.report.HTML_ROWS` of a long diff."""
        from html import escape

        from dpup._private.html import table
        from dpup.render.changes import _field  # dpup.render.changes imports this module

        caption = escape(f"{self._title(None)}: {self.summary()}")
        if not self.changes:
            return f"<p>{caption}</p>"
        shown = self.changes[: report.HTML_ROWS]
        rows = (
            (
                escape(c.kind),
                escape(c.section),
                escape(c.id),
                f"{escape(c.where)}{' in the earlier draft' if c.kind == 'removed' else ''}",
                "<br>".join(escape(_field(f, c.kind)) for f in c.fields),
            )
            for c in shown
        )
        more = ""
        if len(self.changes) > len(shown):
            more = (
                f"<p>The first {len(shown)} of {len(self.changes)} changes; iterate the diff, "
                "or use <code>diff.to_json()</code>, for all of them.</p>"
            )
        return table(("kind", "section", "id", "where", "fields"), rows, caption=caption) + more


def diff(before: Agreement, after: Agreement) -> Diff:
    """The declarations added, removed and changed from one draft of an agreement to the next.

    Parameters
    ----------
    before, after : Agreement
        The earlier and the later draft.

    Returns
    -------
    Diff
        The changes, section by section in the file's order (the header first); within a
        section, the changed and added declarations in the later draft's order, then the
        removed ones in the earlier draft's. Empty, and false, when the drafts declare the same
        things, in whatever order.

    Raises
    ------
    TypeError
        If ``before`` or ``after`` is not an :class:`~dpup.Agreement`.

    Examples
    --------
    >>> import dpup
    >>> changes = dpup.diff(dpup.examples.load("best-foot-forward-before"), dpup.examples.load("best-foot-forward"))
    >>> [(c.kind, c.id) for c in changes if c.section == "flows"][:3]
    [('changed', 'intake-parents'), ('changed', 'intake-children'), ('changed', 'quarterly-report')]
    >>> report = next(c for c in changes if c.id == "quarterly-report")
    >>> report.fields[0]
    FieldChange(key='carries', before=['family-record'], after=['quarterly-counts'])
    >>> len(dpup.diff(dpup.examples.load("best-foot-forward"), dpup.examples.load("best-foot-forward")))
    0
    """
    for name, value in (("before", before), ("after", after)):
        if not isinstance(value, Agreement):
            raise TypeError(f"dpup.diff compares two Agreements; {name} is a {type(value).__name__}")
    old, new = _converter.unstructure(before), _converter.unstructure(after)
    header = after.id  # the header is matched whatever its id, and named by the later one
    changes = list(
        _compare(
            "agreement",
            {header: [_entry(old["agreement"], "$.agreement")]},
            {header: [_entry(new["agreement"], "$.agreement")]},
        )
    )
    for section, key in _SECTIONS:
        changes += _compare(section, _declared(old, section, key), _declared(new, section, key))
        if section == "holders":
            changes += _compare("teams", _teams(old), _teams(new))
    return Diff(changes=changes, before=before.id, after=after.id)


_Entry = tuple[dict[str, Any], str, int]
"""A declaration's fields (flattened), its JSON path and its place among its kind."""


def _id(d: dict[str, Any]) -> str:
    return str(d["id"])


def _with(d: dict[str, Any]) -> str:
    return ", ".join(sorted(d.get("with", ()))) or "(no one)"


def _accepted(d: dict[str, Any]) -> str:
    return f"{d['code']} {d['subject']}"


def _contact(d: dict[str, Any]) -> str:
    return str(d["contact"])


_SECTIONS: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("service_users", _id),
    ("holders", _id),
    ("purposes", _id),
    ("information", _id),
    ("flows", _id),
    ("explanations", _id),
    ("access", _contact),
    ("engagement", _with),
    ("accepted", _accepted),
)
"""Each list of declarations in the file's order, and what matches a declaration in one draft
to one in the other."""


def _entry(d: dict[str, Any], where: str, place: int = 0) -> _Entry:
    """A declaration's fields, a mapping such as ``says`` or ``names`` spread into one field per
    key (``says.why``), and a holder's teams left out (they are declarations of their own)."""
    fields: dict[str, Any] = {}
    for k, v in d.items():
        if k == "teams":
            continue
        if isinstance(v, dict):
            fields.update((f"{k}.{sub}", value) for sub, value in v.items())
        else:
            fields[k] = v
    return fields, where, place


def _keyed(items: Iterator[tuple[str, _Entry]]) -> dict[str, list[_Entry]]:
    """The declarations by key, those that share one (two arrangements with one contact) in
    their order."""
    out: dict[str, list[_Entry]] = {}
    for key, entry in items:
        out.setdefault(key, []).append(entry)
    return out


def _declared(
    data: dict[str, Any], section: str, key: Callable[[dict[str, Any]], str]
) -> dict[str, list[_Entry]]:
    return _keyed((key(d), _entry(d, f"$.{section}[{i}]", i)) for i, d in enumerate(data.get(section, ())))


def _teams(data: dict[str, Any]) -> dict[str, list[_Entry]]:
    teams = [
        (i, h["id"], j, t)
        for i, h in enumerate(data.get("holders", ()))
        for j, t in enumerate(h.get("teams", ()))
    ]
    return _keyed(
        (_id(t), _entry({"organisation": org, **t}, f"$.holders[{i}].teams[{j}]", place))
        for place, (i, org, j, t) in enumerate(teams)
    )


def _differ(a: Any, b: Any) -> bool:
    """Whether two values of a field differ: a list (of ids, of versions) by what it holds,
    whatever its order, and ``true`` never equal to ``1``."""
    if type(a) is list and type(b) is list:
        return sorted(a) != sorted(b)
    return bool(a != b or type(a) is not type(b))


def _pairs(old: list[_Entry], new: list[_Entry]) -> Iterator[tuple[_Entry | None, _Entry | None]]:
    """Declarations that share a key, paired: each later one with an equal earlier one if
    there is one, the rest in order; an unpaired later one is added, an earlier one removed."""
    left = list(old)
    paired: list[tuple[_Entry | None, _Entry]] = []
    for entry in new:
        same = next(
            (o for o in left if not any(_differ(o[0].get(k), entry[0].get(k)) for k in {*o[0], *entry[0]})),
            None,
        )
        if same is not None:
            left.remove(same)
        paired.append((same, entry))
    rest = iter(left)
    for i, (same, entry) in enumerate(paired):
        if same is None:
            paired[i] = (next(rest, None), entry)
    yield from paired
    for entry in rest:
        yield entry, None


def _compare(section: str, old: dict[str, list[_Entry]], new: dict[str, list[_Entry]]) -> Iterator[Change]:
    removed: list[tuple[int, Change]] = []
    for key in dict.fromkeys([*new, *old]):  # the later draft's order, then keys it does not have
        earlier, later = old.get(key, []), new.get(key, [])
        # the nth declaration with this key in its draft (the later one's, but for one removed)
        nth = {id(entry): n for entries in (earlier, later) for n, entry in enumerate(entries, 1)}
        for before_entry, after_entry in _pairs(earlier, later):
            n = nth[id(after_entry if after_entry is not None else before_entry)]
            name = key if n == 1 else f"{key} ({n})"
            if after_entry is None:
                assert before_entry is not None
                fields, where, place = before_entry
                removed.append(
                    (
                        place,
                        Change(
                            kind="removed",
                            section=section,
                            id=name,
                            where=where,
                            fields=tuple(
                                FieldChange(key=k, before=v) for k, v in fields.items() if k != "id"
                            ),
                        ),
                    )
                )
                continue
            fields, where, _ = after_entry
            if before_entry is None:
                yield Change(
                    kind="added",
                    section=section,
                    id=name,
                    where=where,
                    fields=tuple(FieldChange(key=k, after=v) for k, v in fields.items() if k != "id"),
                )
                continue
            before = before_entry[0]
            keys = list(dict.fromkeys([*fields, *before]))  # the later draft's order, then removed keys
            changed = tuple(
                FieldChange(key=k, before=before.get(k), after=fields.get(k))
                for k in keys
                if _differ(before.get(k), fields.get(k))
            )
            if changed:
                yield Change(kind="changed", section=section, id=name, where=where, fields=changed)
    yield from (change for _, change in sorted(removed, key=lambda r: r[0]))  # the earlier draft's order
