"""Untraceable holders (Access to Information; Mana Whakahaere, Kaitiakitanga).

Track who holds information so people can find out, and make access and correction easy
wherever their identifying information goes.
"""

from collections.abc import Iterator

from dpup.checks._context import Context, Declared, blank, flow_text, missing, quoted
from dpup.checks._registry import Hit, Law, Seed, register
from dpup.model import Agreement, DataFlow, Identifiability
from dpup.report import Family, Severity

F = Family.UNTRACEABLE_HOLDER

_TRACK = Seed(
    doc="001",
    quote="How will data or information be tracked so it's easy for services users to know what organisations have it?",
    section="Be transparent and support choices (access and correction)",
)


@register(
    code="UH001",
    name="holder-never-named",
    family=F,
    severity=Severity.ERROR,
    finds=(
        "A holder that a group's information reaches, through any chain of flows, and that no "
        "explanation to the group names. The holder that collects straight from the group is "
        "the one people gave it to; every holder after it must be named."
    ),
    remediation=(
        "Name the holder (or its organisation) in `names.holders` of an explanation for the group, "
        "and say in plain words what it does with the information."
    ),
    seeds=[_TRACK],
    law=Law(
        ipp="IPP 3",
        level="good practice",
        note="IPP 3 asks for the intended recipients at collection; DPUP asks that people can find every holder.",
    ),
)
def holder_never_named(ctx: Context) -> Iterator[Hit]:
    groups, orgs, told = ctx.groups, ctx.orgs, ctx.told
    untold: dict[str, dict[str, tuple[str, ...]]] = {}  # holder -> group -> path
    agreement: dict[str, dict[str | None, None]] = {}  # holder -> the agreements of the flows, in order
    collected: set[tuple[str, str]] | None = None  # (holder, group) it collects from: told at collection
    for e in ctx.flows:
        v = e.target
        if v in groups:
            continue
        org = orgs.get(v)
        for info in e.info:
            for g in info.about:
                holders = told.get(g)
                if holders is not None and (v in holders or org in holders):
                    continue  # the usual case, so it is judged first and cheaply
                found = untold.get(v)
                if found is not None and g in found:
                    agreement[v][e.agreement] = None
                    continue
                if collected is None:
                    collected = {(f.target, f.source) for f in ctx.flows if f.source in groups}
                if (v, g) in collected:
                    continue
                untold.setdefault(v, {})[g] = ctx.path_to(v, info.id)
                agreement.setdefault(v, {})[e.agreement] = None
    for holder, found in untold.items():
        names = sorted(found)
        explanations = sorted({ex for g in found for ex in ctx.explanations_for.get(g, ())})
        fix = None
        if explanations:
            fix = (
                f"Add {holder!r} (or its organisation) to `names.holders` of {quoted(explanations)}, "
                f"and say in plain words what it does with the information."
            )
        yield Hit(
            remediation=fix,
            subject=holder,
            related=names,
            path=found[names[0]],
            message=(
                f"{holder!r} holds information about {quoted(names)}, and no explanation to them "
                f"names {holder!r}."
            ),
            agreement=next(iter(agreement[holder])),
            agreements=tuple(agreement[holder]),
        )


@register(
    code="UH002",
    name="holder-not-a-party",
    family=F,
    severity=Severity.ERROR,
    finds="A holder reached by flows whose organisation is not a party to any agreement in the graph.",
    remediation=(
        "Make the holder's organisation a party to the agreement (add it to `parties`, with its "
        "obligations), or stop the flows to it."
    ),
    seeds=[
        Seed(
            doc="000",
            quote=(
                "agree with other agencies you work closely with on what information you share, why "
                "and how — for example, through Memorandum of Understandings, agreements and "
                "joined-up referral and assessment forms."
            ),
            section=(
                "Work as equals to create and share valuable knowledge. (Mahitahitanga) › "
                "This Principle is upheld when you"
            ),
        )
    ],
    law=Law(
        ipp="IPP 11",
        level="good practice",
        note="IPP 11 limits disclosure; holding every recipient to the agreement is DPUP's good practice.",
    ),
)
def holder_not_a_party(ctx: Context) -> Iterator[Hit]:
    seen: dict[str, dict[str, None]] = {}  # holder -> the ids of the flows to it, once each
    path: dict[str, tuple[str, ...]] = {}
    agreement: dict[str, dict[str | None, None]] = {}  # holder -> the agreements of the flows, in order
    for e in ctx.flows:
        v = e.target
        if ctx.is_group(v) or v in ctx.parties or ctx.org(v) in ctx.parties:  # a team of a party is one
            continue
        seen.setdefault(v, {})[e.id] = None
        agreement.setdefault(v, {})[e.agreement] = None
        if v not in path:
            info = e.info
            path[v] = (*ctx.path_to(e.source, info[0].id), v) if info else (e.source, v)
    for holder, keys in seen.items():
        ids = sorted(keys)
        yield Hit(
            subject=holder,
            related=ids,
            path=path[holder],
            message=(
                f"{holder!r} receives information ({quoted(ids)}) but is not a party to any agreement here."
            ),
            agreement=next(iter(agreement[holder])),
            agreements=tuple(agreement[holder]),
        )


@register(
    code="UH003",
    name="no-access-arrangement",
    family=F,
    severity=Severity.ERROR,
    finds="An organisation holding identifying information that no access and correction arrangement covers.",
    remediation=(
        "Add the organisation (which covers its teams) to the `covers` of an access arrangement, "
        "so people can ask one contact for everything held about them."
    ),
    seeds=[
        Seed(
            doc="001",
            quote=(
                "People have a legal right to access their personal information (that does or can identify "
                "them) and ask for corrections to be made (except in specific situations covered by the "
                "Privacy Act 2020)."
            ),
            section="Be transparent and support choices (access and correction)",
        ),
        Seed(
            doc="003",
            quote="Service users only have to ask CCSS who then accesses the information the agency holds on their behalf.",
            section="Thinking about DPUP › Service user requests",
        ),
    ],
    law=Law(
        ipp="IPP 6, IPP 7",
        level="good practice",
        note=(
            "People have the right to ask every agency holding their personal information for access "
            "and correction, with or without an arrangement; one arrangement covering every holder, "
            "so people need ask only one contact, is DPUP's proactive good practice."
        ),
    ),
)
def no_access_arrangement(ctx: Context) -> Iterator[Hit]:
    covers = ctx.access_covers
    uncovered: dict[str, set[str]] = {}  # organisation -> the holders in it: itself, its teams
    agreement: dict[str, str | None] = {}
    for h, aid in ctx.identifying_holders.items():  # each with its first agreement
        if ctx.named(covers, h):
            continue
        org = ctx.org(h) or h
        uncovered.setdefault(org, set()).add(h)
        agreement.setdefault(org, aid)
    involved = _agreements_holding(
        ctx, [org for org in uncovered if ("UH003", org) in ctx.accepting], uncovered
    )
    for org, within in uncovered.items():
        holders = sorted(within - {org})
        where = ""
        if holders:
            where = f" ({'itself, and ' if org in within else ''}in {quoted(holders)})"
        yield Hit(
            subject=org,
            related=holders,
            message=(
                f"{org!r} holds identifying information{where} and no access and correction "
                "arrangement covers it."
            ),
            agreement=agreement[org],
            agreements=tuple(involved.get(org, ())),
        )


def _agreements_holding(
    ctx: Context, orgs: list[str], uncovered: dict[str, set[str]]
) -> dict[str, dict[str | None, None]]:
    """For each of ``orgs``: the agreements whose flows of identifying information reach or
    leave its uncovered holders, in order. Read only for findings some agreement accepts."""
    out: dict[str, dict[str | None, None]] = {org: {} for org in orgs}
    if not orgs:
        return out
    owner = {h: org for org in orgs for h in uncovered[org]}
    identifying = Identifiability.IDENTIFYING
    for e in ctx.flows:
        if any(i.identifiability is identifying for i in e.info):
            for h in (e.source, e.target):
                if h in owner:
                    out[owner[h]][e.agreement] = None
    return out


@register(
    code="UH004",
    name="undeclared-flow",
    family=F,
    severity=Severity.ERROR,
    finds=(
        "Information leaving a holder by a flow no agreement in the graph declares (for example, "
        "a flow an analyst added from an audit of what really happens)."
    ),
    remediation="Declare the flow in the agreement that governs it, or stop it.",
    seeds=[
        Seed(
            doc="003",
            quote=(
                "The agency advisor sets up a time to talk with CCSS about a draft contract. They come "
                "to a mutual agreement about what data or information will be shared, when, how and why."
            ),
            section="Thinking about DPUP › Tender and agreement",
        ),
        Seed(
            doc="003",
            quote="We have a clear understanding about what information flows where and who sees it.",
            section="Thinking about DPUP › Reporting › CCSS thinking / feeling",
        ),
    ],
    law=Law(
        ipp="IPP 10, IPP 11",
        level="good practice",
        note=(
            "Using personal information within an agency (IPP 10) or disclosing it to another (IPP 11) "
            "needs a basis the Act recognises; an agreement that declares every flow shows it."
        ),
    ),
)
def undeclared_flow(ctx: Context) -> Iterator[Hit]:
    for e in ctx.flows:
        if isinstance(e, Declared):
            continue
        tagged = ""
        if e.agreement in ctx.agreements:
            try:
                own: DataFlow | None = ctx.agreements[e.agreement].flow(e.id)
            except KeyError:
                own = None
            if own is None or own != e.flow:
                tagged = f" (its edge names agreement {e.agreement!r}, which declares no such flow)"
            elif (own.from_, own.to) != (e.source, e.target):
                tagged = (
                    f" (its edge names agreement {e.agreement!r}, which declares it from {own.from_!r} "
                    f"to {own.to!r})"
                )
            else:
                tagged = (
                    f" (its edge names agreement {e.agreement!r}, which declares it, but another edge "
                    "already stands for that flow)"
                )
        yield Hit(
            subject=e.id,
            related=[i.id for i in e.info],
            path=(e.source, e.target),
            message=f"{flow_text(e)} is not declared by any agreement here{tagged}.",
            agreement=None,
        )


# -- what an access arrangement says -----------------------------------------------------------

_COPIES = Seed(
    doc="000",
    quote=(
        "develop ways for service users to access, request correction of, and have copies of their "
        "information, and proactively enable frontline staff to provide service users with copies of "
        "key forms / data entry screens"
    ),
    section=(
        "Empower people’s choices and enable access to and oversight of their data and information. "
        "(Mana Whakahaere) › This Principle is upheld when you"
    ),
)


@register(
    code="UH005",
    name="correction-refusal-unstated",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "An access and correction arrangement that covers a holder of identifying information (its "
        "contact, a holder it names, or a team of an organisation it names) and does not say what "
        "happens when a correction is refused (`if_not_corrected` missing or blank). An arrangement "
        "that reaches only de-identified or aggregate information is left alone. The finding is about "
        "the arrangement's contact and points at the arrangement; two arrangements of one agreement "
        "with the same contact make one finding, at the first of them."
    ),
    remediation=(
        "Say in the arrangement's `if_not_corrected` what happens when a correction is refused: for "
        "example, that the person is told why, and that a statement of the correction they asked for "
        "is kept with the record, so that it is always read with it. (That is what the parties do; "
        "an explanation's `says.if_not_corrected` is what people are told of it.)"
    ),
    seeds=[
        Seed(
            doc="001",
            quote="What will happen if the information will not be changed in response to their request.",
            section="What service users need to know › Access and corrections",
        ),
        _COPIES,
    ],
    law=Law(
        ipp="IPP 7",
        level="good practice",
        note=(
            "An agency that will not correct personal information as asked must, if the person asks, "
            "take reasonable steps to attach their statement of the correction sought, so that it is "
            "always read with the information (IPP 7); the Act's procedure for correction requests "
            "also has it give the person its reasons. The Act asks this of the agency whether or not "
            "an agreement says so; writing it into the arrangement, so that the parties agree on it "
            "and people can be told, is DPUP's good practice."
        ),
    ),
)
def correction_refusal_unstated(ctx: Context) -> Iterator[Hit]:
    for aid, contact, places, texts, held in _unstated(ctx, "if_not_corrected"):
        they, one = _arrangements(contact, places), len(places) == 1
        yield Hit(
            subject=contact,
            related=sorted(held - {contact}),
            message=(
                f"{they} {'covers' if one else 'cover'} identifying information held by "
                f"{_holders(contact, held)}, but {'does not say' if one else 'none says'} what happens "
                f"when a correction is refused ({missing('if_not_corrected', texts)})."
            ),
            agreement=aid,
            where=f"$.access[{places[0]}]",
            remediation=(
                f"Say in `if_not_corrected` of {_each(they, places)} what happens when a correction is "
                "refused: for example, that the person is told why, and that a statement of the "
                "correction they asked for is kept with the record, so that it is always read with it. "
                "(That is what the parties do; an explanation's `says.if_not_corrected` is what people "
                "are told of it.)"
            ),
        )


@register(
    code="UH006",
    name="copies-not-offered",
    family=F,
    severity=Severity.INFO,
    finds=(
        "An access arrangement that covers a holder of identifying information (its contact, a "
        "holder it names, or a team of an organisation it names) and says nothing of copies "
        "(`copies` missing or blank): how people get copies of the records about them. The finding "
        "is about the arrangement's contact and points at the arrangement."
    ),
    remediation=(
        "Say in the arrangement's `copies` how people get copies of the records about them, in "
        "versions made for them where a group needs extra care (a child version for children, for "
        "example)."
    ),
    seeds=[
        _COPIES,
        Seed(
            doc="003",
            quote=(
                "CCSS has a policy of giving families copies of any written work or records about them "
                "in both adult and child versions."
            ),
            section="Thinking about DPUP › Service user requests",
        ),
    ],
    law=Law(
        ipp="IPP 6",
        level="good practice",
        note=(
            "People are entitled to access their personal information on request, and may ask for it "
            "in the way they prefer, a copy among them; offering copies without being asked, in "
            "versions people can read, is DPUP's good practice."
        ),
    ),
)
def copies_not_offered(ctx: Context) -> Iterator[Hit]:
    for aid, contact, places, texts, held in _unstated(ctx, "copies"):
        they, one = _arrangements(contact, places), len(places) == 1
        care = _needing_care(ctx.agreements[aid], held)
        versions = ""
        if care:
            versions = (
                ", in versions made for them ("
                + ", ".join(f"a {need!r} version for {g!r}" for g, need in care)
                + ")"
            )
        yield Hit(
            subject=contact,
            related=sorted(held - {contact}),
            message=(
                f"{they} {'covers' if one else 'cover'} identifying information held by "
                f"{_holders(contact, held)}, but {'says nothing' if one else 'none says anything'} of "
                f"copies ({missing('copies', texts)})."
            ),
            agreement=aid,
            where=f"$.access[{places[0]}]",
            remediation=(
                f"Say in `copies` of {_each(they, places)} how people get copies of the records about "
                f"them{versions}."
            ),
        )


def _unstated(ctx: Context, field: str) -> Iterator[tuple[str, str, list[int], list[str | None], set[str]]]:
    """Each agreement and contact whose access arrangements leave ``field`` unsaid (missing or
    blank) though they cover a holder of identifying information (:attr:`Context.identifying_holders`:
    the contact, a holder named in ``covers``, or a team of an organisation named there): the
    agreement, the contact, where those arrangements are in the agreement's ``access``, what
    they say for ``field``, and the holders of identifying information they cover. An agreement's
    arrangements with one contact make one finding, so that the code and subject of a finding,
    which an acceptance names, are never two findings in one agreement."""
    holding = ctx.identifying_holders
    # a holder named in an arrangement -> the holders of identifying information that naming it
    # covers: itself, and an organisation's teams
    within: dict[str, list[str]] | None = None
    for aid, a in ctx.agreements.items():
        found: dict[str, tuple[list[int], list[str | None], set[str]]] = {}
        for i, acc in enumerate(a.access):
            text: str | None = getattr(acc, field)
            if not blank(text):
                continue
            if within is None:  # read only when an arrangement leaves the field out
                within = {}
                for h in holding:
                    within.setdefault(ctx.org(h) or h, []).append(h)
            held: set[str] = set()
            for named in (acc.contact, *acc.covers):
                held.update(within.get(named, ()))
                if named in holding:
                    held.add(named)
            if held:
                places, texts, reach = found.setdefault(acc.contact, ([], [], set()))
                places.append(i)
                texts.append(text)
                reach |= held
        for contact, (places, texts, held) in found.items():
            yield aid, contact, places, texts, held


def _needing_care(a: Agreement, held: set[str]) -> list[tuple[str, str]]:
    """The groups of the agreement that need extra care and whose identifying information its
    flows bring to or take from the holders ``held``, each with the version it needs, by id:
    read from the agreement's own flows, so that a finding costs its agreement's size."""
    needs = {
        g.id: g.needs_extra_care for g in a.service_users if g.needs_extra_care and g.needs_extra_care.strip()
    }
    if not needs:
        return []
    identifying = Identifiability.IDENTIFYING
    care: set[str] = set()
    for f in a.flows:
        if f.from_ in held or f.to in held:
            for item in f.carries:
                info = a.info(item)
                if info.identifiability is identifying:
                    care.update(g for g in info.about if g in needs)
    return [(g, needs[g]) for g in sorted(care)]


def _arrangements(contact: str, places: list[int]) -> str:
    """``the access arrangement with contact 'prov'``, or, for several, ``the 2 access
    arrangements with contact 'prov' (access[0] and access[2])``, as a load error names them."""
    if len(places) == 1:
        return f"the access arrangement with contact {contact!r}"
    where = ", ".join(f"access[{i}]" for i in places[:-1]) + f" and access[{places[-1]}]"
    return f"the {len(places)} access arrangements with contact {contact!r} ({where})"


def _each(they: str, places: list[int]) -> str:
    """The arrangements of :func:`_arrangements` as a remediation names them: each of several."""
    return they if len(places) == 1 else "each of " + they


def _holders(contact: str, held: set[str]) -> str:
    """The holders of identifying information an arrangement covers, its contact first."""
    return quoted([contact, *sorted(held - {contact})] if contact in held else sorted(held))
