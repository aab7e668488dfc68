"""Plain-language notices for service users, generated from an agreement.

DPUP asks that people are told what happens to their information "in a way they understand"
(seed 001), and seed 003's CCSS gives families "copies of any written work or records about
them in both adult and child versions". A notice is what one group of service users is told
under one agreement, in the order of seed 001's "What service users need to know":

- the agreement's own answers to each item of that checklist (the ``says`` of every
  explanation for the group), as written: dpup does not reword them;
- beside them, what dpup can say from the agreement itself: what information about the group
  moves, who holds it and for which purposes (as :func:`dpup.who_holds` finds it), how each
  purpose helps and what allows it, whom to ask for access and correction, and the choice
  people have about each flow, or why they have none;
- wherever the agreement leaves something unsaid, a placeholder that says what is missing, so
  a notice with gaps cannot be mistaken for a finished one.

The ``child`` version says the same things with dpup's simpler headings and sentences; the
``adult`` version uses seed 001's wording. The agreement's answers appear in both as written
(the file format holds one text per answer), so an explanation that declares a ``child``
version should be written in words a child understands.
"""

import difflib
import html
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import networkx as nx

from dpup.checks import check
from dpup.holding import Holding, who_holds
from dpup.model import Agreement, DataFlow, Identifiability, ServiceUser
from dpup.render.markdown import _escape
from dpup.report import Family, Finding

__all__ = ["NOTICE_VERSIONS", "Notice", "NoticeSection", "notice"]

NOTICE_VERSIONS: tuple[str, ...] = ("adult", "child")
"""The versions dpup can write a notice in."""

QUESTIONS: dict[str, str] = {
    "what": "what is collected or used",
    "why": "why it is needed",
    "how_used": "how it will be used",
    "benefit": "how that will help you or others",
    "linking": "if and why it will be linked with other information about you",
    "not_used_for": "what it will not be used for",
    "who_sees": "who will not see it",
    "shared_with": "if it will be shared with other agencies or professionals, and why",
    "laws": "what laws allow the collection or use",
    "access_and_correction": "your right to see it and ask for corrections",
    "if_not_corrected": "what will happen if it is not changed when you ask",
    "choices": "what choices you have about who sees it or how it is used",
    "no_choice_why": "if you do not have a choice, why",
    "involvement": "how you can be involved in decisions about its use",
}
"""Each checklist item as seed 001 words it (to the reader), for a placeholder."""

_SECTIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "collected",
        "What is collected and used, and why",
        "What we write down about you, and why",
        ("what", "why", "how_used", "benefit"),
    ),
    ("linking", "Linking it with other information", "Joining it with other information", ("linking",)),
    (
        "limits",
        "What it will not be used for, and who will not see it",
        "What it is never used for, and who never sees it",
        ("not_used_for", "who_sees"),
    ),
    ("holders", "Who has it, and why", "Who gets it, and why", ("shared_with",)),
    ("law", "The law that allows it", "The rules that allow it", ("laws",)),
    (
        "access",
        "Seeing and correcting your information",
        "Seeing it, and fixing mistakes",
        ("access_and_correction", "if_not_corrected"),
    ),
    ("choices", "Your choices", "What you can choose", ("choices", "no_choice_why", "involvement")),
)
"""Each section: its key, its heading in the adult and the child version, and the checklist
items it answers, in seed 001's order."""

_IDENTIFIES = {
    "adult": {
        Identifiability.IDENTIFYING: "identifies you",
        Identifiability.DE_IDENTIFIED: "with what identifies you removed",
        Identifiability.AGGREGATE: "totals only, which identify no one",
    },
    "child": {
        Identifiability.IDENTIFYING: "has your name on it",
        Identifiability.DE_IDENTIFIED: "without your name",
        Identifiability.AGGREGATE: "just numbers, not your name",
    },
}


def _version(inst: Any, attribute: "attrs.Attribute[Any]", value: Any) -> None:
    if value not in NOTICE_VERSIONS:
        raise ValueError(
            f"{attribute.name} must be one of {', '.join(map(repr, NOTICE_VERSIONS))}, not {value!r}"
        )


@attrs.frozen(kw_only=True)
class NoticeSection:
    """One part of a notice.

    Parameters
    ----------
    key : str
        Which part: ``about``, ``collected``, ``linking``, ``limits``, ``holders``, ``law``,
        ``access`` or ``choices``.
    heading : str
    said : tuple of str
        The agreement's own answers, as written in its explanations.
    facts : tuple of str
        What dpup says from the agreement's declarations: its information, holders, purposes,
        access arrangements and flows.
    unsaid : tuple of str
        What this part should say and the agreement does not, each worded for the notice's
        writer (``"why it is needed"``).
    """

    key: str
    heading: str
    said: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    unsaid: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The section as JSON-ready data."""
        return {
            "key": self.key,
            "heading": self.heading,
            "said": list(self.said),
            "facts": list(self.facts),
            "unsaid": list(self.unsaid),
        }


@attrs.frozen(kw_only=True)
class Notice:
    """What one group of service users is told under one agreement, in one version.

    Made by :func:`notice`; shown as text (:meth:`to_text`), Markdown (:meth:`to_markdown`),
    a web page (:meth:`to_html`) or, in Jupyter, itself with what it still lacks.

    Parameters
    ----------
    agreement : str
        The agreement's id.
    title : str
        The notice's title.
    group : str
        The id of the group it is for.
    version : str
        ``"adult"`` or ``"child"``.
    sections : tuple of NoticeSection
        The introduction (``about``), then the parts of seed 001's checklist in its order.
    findings : tuple of Finding
        The open findings of :func:`dpup.check` on the agreement that concern what this
        notice tells: missing explanations and untraceable holders for this group, for its
        flows, its explanations and the holders of its information, its flows with no purpose
        or one the agreement does not declare, and purposes of its flows with no stated benefit
        or authority.
    """

    agreement: str
    title: str
    group: str
    version: str = attrs.field(validator=_version)
    sections: tuple[NoticeSection, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def unsaid(self) -> tuple[str, ...]:
        """Everything the notice should say and the agreement does not, section by section."""
        return tuple(u for s in self.sections for u in s.unsaid)

    @property
    def ready(self) -> bool:
        """Whether the notice can be given as it is: nothing unsaid, and no open finding
        about what it tells."""
        return not self.unsaid and not self.findings

    def section(self, key: str) -> NoticeSection:
        """The section with this key (``KeyError``, naming the sections, if none)."""
        for s in self.sections:
            if s.key == key:
                return s
        keys = [s.key for s in self.sections]
        close = difflib.get_close_matches(key, keys, n=1) if isinstance(key, str) else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise KeyError(f"no section {key!r} in the notice{hint}; its sections: {', '.join(map(repr, keys))}")

    def to_dict(self) -> dict[str, Any]:
        """The notice as JSON-ready data (its findings as :meth:`dpup.Finding.to_dict` gives them)."""
        return {
            "agreement": self.agreement,
            "title": self.title,
            "group": self.group,
            "version": self.version,
            "ready": self.ready,
            "sections": [s.to_dict() for s in self.sections],
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_text(self, *, width: int = 80) -> str:
        """The notice as plain text, wrapped to ``width`` columns."""
        return render_notice_text(self, width=width)

    def to_markdown(self) -> str:
        """The notice as Markdown, everything taken from the agreement escaped."""
        return render_notice_markdown(self)

    def to_html(self) -> str:
        """The notice as a web page of its own (to print, or to put on a website)."""
        return render_notice_html(self)

    def _repr_html_(self) -> str:
        """The notice as Jupyter shows it: what it still lacks, then the notice."""
        return _lacks_html(self) + _body_html(self)

    def __str__(self) -> str:
        return self.to_text()


def notice(agreement: Agreement, group: str, *, version: str = "adult") -> Notice:
    """The plain-language notice for one group of service users under an agreement.

    Parameters
    ----------
    agreement : Agreement
    group : str
        The id of a service-user group the agreement declares.
    version : {"adult", "child"}
        Seed 001's wording (``adult``), or dpup's simpler headings and sentences (``child``).

    Returns
    -------
    Notice
        Its sections in seed 001's order, each with the agreement's own answers, what dpup
        can say from the agreement's declarations, and what is left unsaid.

    Raises
    ------
    TypeError
        If ``agreement`` is not an :class:`~dpup.Agreement` (a graph, say).
    KeyError
        If the agreement declares no such group (the message names the groups it declares).
    ValueError
        If ``version`` is not one dpup can write.

    Examples
    --------
    >>> import dpup
    >>> n = dpup.notice(dpup.examples.load("best-foot-forward"), "children", version="child")
    >>> n.ready, n.section("access").facts[0].split(". ")[0]
    (True, 'Ask City Centre Social Services if you want to see it or get a mistake fixed')
    >>> first = dpup.notice(dpup.examples.load("best-foot-forward-before"), "children")
    >>> first.ready, first.section("linking").unsaid
    (False, ('if and why it will be linked with other information about you',))
    """
    if not isinstance(agreement, Agreement):
        hint = ""
        if isinstance(agreement, nx.Graph):
            hint = " (a notice is one agreement's: dpup.agreements_of(G)[agreement_id] gives it)"
        raise TypeError(f"expected a dpup Agreement, not {type(agreement).__name__}{hint}")
    if version not in NOTICE_VERSIONS:
        raise ValueError(f"version must be one of {', '.join(map(repr, NOTICE_VERSIONS))}, not {version!r}")
    users = {u.id: u for u in agreement.service_users}
    if group not in users:
        raise KeyError(
            f"agreement {agreement.id!r} declares no service-user group {group!r} "
            f"(it declares {', '.join(map(repr, users)) or 'none'})"
        )
    return _Writer(agreement, users[group], version).notice()


class _Writer:
    """Writes one notice: the facts it needs, gathered once."""

    def __init__(self, agreement: Agreement, group: ServiceUser, version: str) -> None:
        self.a = agreement
        self.group = group
        self.version = version
        self.child = version == "child"
        self.explanations = [e for e in agreement.explanations if group.id in e.for_]
        self.flows = [f for f in agreement.flows if self._about(f)]
        self.held: dict[str, Holding] = who_holds(agreement, group.id)
        self.purposes = list(dict.fromkeys(f.purpose for f in self.flows if f.purpose is not None))

    def _about(self, flow: DataFlow) -> bool:
        return flow.from_ == self.group.id or any(self.group.id in self.a.info(i).about for i in flow.carries)

    # -- names ---------------------------------------------------------------------------

    def holder(self, id: str) -> str:
        """A holder as people know it: its name, and a team's organisation's name."""
        node: Any = self.a.node(id)
        org = self.a.organisation_of(id)
        if org is not None and org != id:
            return f"{node.name} at {self.a.node(org).name}"
        return str(node.name)

    def thing(self, info: str) -> str:
        item = self.a.info(info)
        text = _written(item.description) or info
        if item.identifiability is not None:
            text += f" ({_IDENTIFIES[self.version][item.identifiability]})"
        return text

    def why(self, purpose: str) -> str:
        p = self.a.purpose(purpose)
        return (_written(p.description) if p is not None else None) or purpose

    # -- the notice ----------------------------------------------------------------------

    def notice(self) -> Notice:
        title = f"Your information: {self.a.title}"
        sections = [self.about()]
        for key, adult, child, items in _SECTIONS:
            said, unsaid = self.answers(items)
            facts, more = getattr(self, f"_{key}")()
            sections.append(
                NoticeSection(
                    key=key,
                    heading=child if self.child else adult,
                    said=said,
                    facts=tuple(dict.fromkeys(facts)),
                    unsaid=(*unsaid, *more),
                )
            )
        return Notice(
            agreement=self.a.id,
            title=title,
            group=self.group.id,
            version=self.version,
            sections=tuple(sections),
            findings=tuple(self.findings()),
        )

    def about(self) -> NoticeSection:
        name = self.group.name
        parties = _and([self.holder(p) for p in self.a.parties])
        if self.child:
            facts = [
                f"This is for {name}. It tells you what happens to information about you in {self.a.title}."
            ]
        else:
            between = f", an agreement between {parties}" if parties else ""
            facts = [
                f"This notice is for {name}. It explains what happens to information about you "
                f"under {self.a.title}{between}."
            ]
        unsaid = []
        made = {v for e in self.explanations for v in e.versions}
        if not self.flows:  # nothing to tell, and nothing owed
            facts.append("No information about you moves under this agreement.")
        elif not self.explanations:
            unsaid.append("an explanation: the agreement has none for this group")
        elif self.child and "child" not in made:  # the answers serve adults whatever versions are listed
            unsaid.append("a child version: no explanation to this group is made in one")
        return NoticeSection(
            key="about",
            heading="About this" if self.child else "About this notice",
            facts=tuple(facts),
            unsaid=tuple(unsaid),
        )

    def answers(self, items: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The explanations' answers to ``items``, as written, and the questions none answers."""
        said: dict[str, None] = {}
        unsaid = []
        no_choice = any(_written(f.no_choice_reason) and not _written(f.choice) for f in self.flows)
        for item in items:
            answers = [
                text
                for e in self.explanations
                if (text := getattr(e.says, item)) is not None and text.strip()
            ]
            said.update(dict.fromkeys(answers))
            if not answers and self.flows and (item != "no_choice_why" or no_choice):
                unsaid.append(QUESTIONS[item])
        return tuple(said), tuple(unsaid)

    def _collected(self) -> tuple[list[str], list[str]]:
        items = dict.fromkeys(i for h in self.held.values() for i in h.information)
        items.update(
            dict.fromkeys(i for f in self.flows for i in f.carries if self.group.id in self.a.info(i).about)
        )
        facts = [self.thing(i) for i in items]
        for pid in self.purposes:
            p = self.a.purpose(pid)
            if p is not None and _written(p.benefit):
                how = "How this helps" if not self.child else "How this helps you"
                facts.append(f"{self.why(pid)}. {how}: {p.benefit}")
        return facts, []

    def _linking(self) -> tuple[list[str], list[str]]:
        return [], []

    def _limits(self) -> tuple[list[str], list[str]]:
        return [], []

    def _holders(self) -> tuple[list[str], list[str]]:
        facts = []
        verb = "gets" if self.child else "holds"
        for h in self.held.values():
            what = "; ".join(self.thing(i) for i in h.information)
            why = "; ".join(self.why(p) for p in h.purposes)
            facts.append(f"{self.holder(h.holder)} {verb}: {what}." + (f" Why: {why}." if why else ""))
        return facts, []

    def _law(self) -> tuple[list[str], list[str]]:
        facts = []
        for pid in self.purposes:
            p = self.a.purpose(pid)
            if p is not None and _written(p.authority):
                facts.append(f"{self.why(pid)}: {p.authority}")
        return facts, []

    def _access(self) -> tuple[list[str], list[str]]:
        facts: list[str] = []
        unsaid: list[str] = []
        by_contact: dict[str, list[str]] = {}
        for h in self.held.values():
            if h.ask:
                for contact in h.ask:  # every arrangement that covers it: any of them will do
                    by_contact.setdefault(contact, []).append(h.holder)
            elif any(self.a.info(i).identifiability == Identifiability.IDENTIFYING for i in h.information):
                unsaid.append(f"whom to ask to see or correct what {self.holder(h.holder)} holds")
        for contact, holders in by_contact.items():
            them = "; ".join(self.holder(h) for h in holders)
            if self.child:
                facts.append(
                    f"Ask {self.holder(contact)} if you want to see it or get a mistake fixed. "
                    f"They can do this for {them}."
                )
            else:
                facts.append(f"To see or correct what is held by {them}, ask {self.holder(contact)}.")
        for acc in self.a.access:
            if acc.contact in by_contact:
                facts += filter(None, (_written(acc.copies), _written(acc.if_not_corrected)))
        return facts, unsaid

    def _choices(self) -> tuple[list[str], list[str]]:
        facts: list[str] = []
        unsaid: list[str] = []
        for f in self.flows:
            choice = _written(f.choice)
            if choice is not None:
                facts.append(choice)
                continue
            what = "; ".join(self.thing(i) for i in f.carries) or "information"
            to = self.holder(f.to)
            if _written(f.no_choice_reason):
                if self.child:
                    facts.append(
                        f"You cannot choose whether {to} gets {what}. This is why: {f.no_choice_reason}"
                    )
                else:
                    facts.append(f"You have no choice about {to} getting {what}: {f.no_choice_reason}")
            else:
                unsaid.append(
                    f"what choice you have about {to} getting {what} (flow {f.id!r}), or why you have none"
                )
        return facts, unsaid

    # -- findings ------------------------------------------------------------------------

    def findings(self) -> Iterator[Finding]:
        """The open findings of the agreement that concern what this notice tells."""
        g = self.group.id
        mine = {e.id for e in self.explanations} | {f.id for f in self.flows}
        holders = {*self.held, *(h.organisation for h in self.held.values() if h.organisation)}
        for f in check(self.a).open():
            if f.code in ("PM006", "PM007"):  # its purposes, with no benefit or authority to tell
                if f.subject in self.purposes:
                    yield f
                continue
            if f.code in ("PM001", "PM002"):  # its flows, with no purpose or an undeclared one:
                if f.subject in mine:  # no why, benefit or authority to tell
                    yield f
                continue
            if f.family is not Family.MISSING_EXPLANATION and f.family is not Family.UNTRACEABLE_HOLDER:
                continue
            about = _GROUPS_OF.get(f.code)
            if about is not None:  # a finding about groups: this one?
                if g in about(f):
                    yield f
            elif f.family is Family.MISSING_EXPLANATION:
                if f.subject in mine:  # its explanations and flows
                    yield f
            elif f.subject in holders or f.subject in mine:  # the holders of its information
                yield f


_GROUPS_OF: dict[str, Callable[[Finding], tuple[str, ...]]] = {
    "ME001": lambda f: f.related,  # a flow not explained to these groups
    "ME005": lambda f: (f.subject,),  # this group's version is not made (related: the version)
    "ME009": lambda f: f.related[:1],  # a flow not explained to this group in its version
    "UH001": lambda f: f.related,  # a holder never named to these groups
}
"""The findings about service-user groups, and which groups each is about. Other findings'
related ids are checklist items, versions, purposes or holders, which may have a group's id
(a group called ``why`` or ``child``): they concern a notice through its flows, explanations
and holders instead."""


def _written(text: str | None) -> str | None:
    """``text``, or ``None`` when it is missing or only white space (as :func:`dpup.check`
    takes it: a blank answer is no answer)."""
    return text if text is not None and text.strip() else None


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# -- rendering -----------------------------------------------------------------------------

_NOT_WRITTEN = "Not written yet"


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped to ``width``, breaking only at spaces: a hyphenated id, a long word or
    an address stays whole on its line (longer than ``width`` if it must be)."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def render_notice_text(n: Notice, *, width: int = 80) -> str:
    """The notice as plain text, wrapped to ``width`` columns."""
    title = _wrap(n.title, width)
    out = [*title, "=" * max(map(len, title)), ""]
    for s in n.sections:
        if s.key != "about":
            heading = _wrap(s.heading, width)
            out += [*heading, "-" * max(map(len, heading)), ""]
        for text in s.said:
            out += [*_wrap(text, width), ""]
        if s.key == "about":
            for text in s.facts:
                out += [*_wrap(text, width), ""]
        else:
            for text in s.facts:
                out += _wrap(text, width, "- ", "  ")
            if s.facts:
                out.append("")
        for text in s.unsaid:
            out += [*_wrap(f"[{_NOT_WRITTEN}: {text}]", width), ""]
    return "\n".join(out).rstrip("\n") + "\n"


_BLOCK_START = re.compile(r"([#>+=-]|\d+[.)])")


def _block(text: str) -> str:
    """``text`` escaped to start a Markdown paragraph or list item: as :func:`_escape` does,
    with its leading white space left out (four spaces would start code, fewer let what
    follows start a block), and a first character that would start a heading, quote, list or
    rule escaped too."""
    escaped = _escape(text).lstrip()
    m = _BLOCK_START.match(escaped)
    if m is None:
        return escaped
    mark = m.group(1)
    return f"{mark[:-1]}\\{mark[-1]}{escaped[len(mark) :]}"


def _heading(text: str) -> str:
    """``text`` escaped for a Markdown heading: as :func:`_escape` does, and a final ``#``,
    which would close the heading and be dropped, escaped too."""
    escaped = _escape(text).strip()
    return f"{escaped[:-1]}\\#" if escaped.endswith("#") else escaped


def render_notice_markdown(n: Notice) -> str:
    """The notice as Markdown: a heading, then a section per part."""
    out = [f"# {_heading(n.title)}", ""]
    for s in n.sections:
        if s.key != "about":
            out += [f"## {_heading(s.heading)}", ""]
        for text in s.said:
            out += [_block(text), ""]
        if s.key == "about":
            for text in s.facts:
                out += [_block(text), ""]
        else:
            out += [f"- {_block(text)}" for text in s.facts]
            if s.facts:
                out.append("")
        for text in s.unsaid:
            out += [f"**{_NOT_WRITTEN}:** {_escape(text)}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;"
    "line-height:1.5}.unsaid{border:2px dashed #b00;padding:.25em .5em;color:#b00}"
)


def _body_html(n: Notice) -> str:
    e = html.escape
    out = [f"<h1>{e(n.title)}</h1>"]
    for s in n.sections:
        out.append(f'<section class="{e(s.key)}">')
        if s.key != "about":
            out.append(f"<h2>{e(s.heading)}</h2>")
        out += [f"<p>{e(text)}</p>" for text in s.said]
        if s.key == "about":
            out += [f"<p>{e(text)}</p>" for text in s.facts]
        elif s.facts:
            out.append("<ul>" + "".join(f"<li>{e(text)}</li>" for text in s.facts) + "</ul>")
        out += [f'<p class="unsaid"><strong>{_NOT_WRITTEN}:</strong> {e(text)}</p>' for text in s.unsaid]
        out.append("</section>")
    return "\n".join(out) + "\n"


def _lacks_html(n: Notice) -> str:
    if n.ready:
        return ""
    e = html.escape
    items = [f"<li>{_NOT_WRITTEN}: {e(u)}</li>" for u in n.unsaid]
    items += [f"<li>{e(f.code)}: {e(f.message)}</li>" for f in n.findings]
    return f"<div><p><b>Not ready to give</b> ({e(_lacking(n))}):</p><ul>{''.join(items)}</ul></div>\n"


def _lacking(n: Notice) -> str:
    """How much a notice lacks, in words: ``"2 items not written yet, 3 findings"``."""
    parts = []
    if n.unsaid:
        parts.append(f"{len(n.unsaid)} item{'s' if len(n.unsaid) != 1 else ''} not written yet")
    if n.findings:
        parts.append(f"{len(n.findings)} finding{'s' if len(n.findings) != 1 else ''}")
    return ", ".join(parts)


def render_notice_html(n: Notice) -> str:
    """The notice as a web page of its own, everything taken from the agreement escaped."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(n.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{_body_html(n)}</body>\n</html>\n"
    )
