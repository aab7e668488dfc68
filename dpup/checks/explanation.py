"""Missing explanations (Transparency and Choice; Mana Whakahaere, Manaakitanga).

No surprises: people are told what happens to their information, in a way they understand,
and offered as many choices as possible, or told why there are none.
"""

from collections.abc import Iterator

from dpup.checks._context import Context, blank, flow_text, quoted
from dpup.checks._registry import Hit, Law, Seed, register
from dpup.model import Agreement, DataFlow, Identifiability, ServiceUser
from dpup.report import Family, Severity

F = Family.MISSING_EXPLANATION

_EXPLAIN = Seed(
    doc="001",
    quote=(
        "Even if you do not meet service users, you still need to provide an explanation about the "
        "use of their data or information in a way they understand."
    ),
    section="Be clear about the purpose",
)
_DESCRIBE = Seed(
    doc="003",
    quote=(
        "The agency and CCSS work together to describe for parents and children what data and "
        "information will be used, by whom and why."
    ),
    section="Thinking about DPUP › Reporting",
)


@register(
    code="ME001",
    name="flow-not-explained",
    family=F,
    severity=Severity.ERROR,
    finds=(
        "A flow of information about a group that no explanation to that group covers. A flow "
        "that collects from a group is owed to that group; any other flow to every group its "
        "information is about."
    ),
    remediation=(
        "Add the flow to the `covers` of an explanation for the group (or write one), naming "
        "the flow's recipient and purpose."
    ),
    seeds=[_EXPLAIN],
    law=Law(
        ipp="IPP 3",
        level="legal minimum",
        note=(
            "People must be told at collection the purpose and the intended recipients of their personal "
            "information; for aggregate information the check is DPUP's good practice."
        ),
    ),
)
def flow_not_explained(ctx: Context) -> Iterator[Hit]:
    covered, groups = ctx.covered, ctx.groups
    aid: str | None = None
    mine: dict[str, set[str]] = {}
    for e in ctx.declared:
        if not e.tell:
            continue
        if e.agreement != aid:  # the flows come agreement by agreement
            aid = e.agreement
            mine = covered.get(aid, {})
        told = mine.get(e.id)
        if told is None:
            untold = list(e.tell)
        elif told.issuperset(e.tell):
            continue
        else:
            untold = [g for g in e.tell if g not in told]
        if untold:
            how = "collects information from" if e.source in groups else "moves information about"
            yield Hit(
                subject=e.id,
                related=untold,
                message=f"{flow_text(e)} {how} {quoted(untold)}, and no explanation to them covers it.",
                agreement=aid,
                remediation=_cover_it(ctx, ctx.agreements[aid], e.id, untold),
            )


def _cover_it(ctx: Context, a: Agreement, fid: str, untold: list[str]) -> str | None:
    """ME001's remediation naming the explanations of the flow's agreement for the groups not
    told of it; ``None`` (the check's general advice) when it has none for any of them."""
    for_group = {g: [ex for ex in a.explanations if g in ex.for_] for g in untold}
    if not any(for_group.values()):
        return None
    flow = a.flow(fid)
    # What an explanation covering the flow must name too, or ME002 and ME003 follow (an
    # undeclared purpose is not: PM002 says to declare or correct it first).
    to = flow.to if flow.to not in ctx.groups else None
    purpose = flow.purpose if flow.purpose is not None and a.purpose(flow.purpose) is not None else None
    whole = [ex for ex in a.explanations if set(untold) <= set(ex.for_)]
    if len(whole) == 1:
        (ex,) = whole
        names = []
        if to is not None and not ctx.named(ex.names.holders, to):
            names.append(f"{to!r} to its `names.holders`")
        if purpose is not None and purpose not in ex.names.purposes:
            names.append(f"{purpose!r} to its `names.purposes`")
        also = f", and {' and '.join(names)}" if names else ""
        return f"Add {fid!r} to `covers` of explanation {ex.id!r}{also}."
    if whole:
        where = f"one of explanations {quoted(sorted(ex.id for ex in whole), 'or')}"
    else:
        where = " and of ".join(
            f"explanation {quoted(sorted(ex.id for ex in exs), 'or')} (for {g!r})"
            for g, exs in for_group.items()
            if exs
        )
        lacking = [g for g, exs in for_group.items() if not exs]
        if lacking:
            where += f", and write an explanation for {quoted(lacking)} that covers it"
    named = [f"{to!r} (the recipient)" if to else "", f"{purpose!r} (the purpose)" if purpose else ""]
    named = [n for n in named if n]
    also = f"; each must also name {' and '.join(named)}" if named else ""
    return f"Add {fid!r} to `covers` of {where}{also}."


@register(
    code="ME002",
    name="recipient-not-named",
    family=F,
    severity=Severity.ERROR,
    finds="An explanation that covers a flow but does not name the flow's recipient (the holder or its organisation).",
    remediation="Add the recipient to the explanation's `names.holders`, and say in plain words who sees what.",
    seeds=[_DESCRIBE],
    law=Law(
        ipp="IPP 3",
        level="legal minimum",
        note=(
            "People must be told the intended recipients of their personal information; for aggregate "
            "information the check is DPUP's good practice."
        ),
    ),
)
def recipient_not_named(ctx: Context) -> Iterator[Hit]:
    for aid, ex, missing, _ in ctx.unnamed:
        for holder, fids in missing.items():
            yield Hit(
                subject=ex.id,
                related=[holder],
                message=(
                    f"explanation {ex.id!r} covers {quoted(fids)} but never names {holder!r}, "
                    "who receives the information."
                ),
                agreement=aid,
                remediation=f"Add {holder!r} to `names.holders` of explanation {ex.id!r}.",
            )


@register(
    code="ME003",
    name="purpose-not-named",
    family=F,
    severity=Severity.ERROR,
    finds="An explanation that covers a flow but does not name the flow's purpose.",
    remediation="Add the purpose to the explanation's `names.purposes`, and say in plain words why.",
    seeds=[_DESCRIBE],
    law=Law(
        ipp="IPP 3",
        level="legal minimum",
        note=(
            "People must be told the purpose for which their personal information is collected; for "
            "aggregate information the check is DPUP's good practice."
        ),
    ),
)
def purpose_not_named(ctx: Context) -> Iterator[Hit]:
    for aid, ex, _, missing in ctx.unnamed:
        declared = ctx.agreements[aid].purpose
        for purpose, fids in missing.items():
            their = "its" if len(fids) == 1 else "their"
            if declared(purpose) is None:  # PM002 reports it: naming a misspelt id would spread it
                remediation = (
                    f"First declare {purpose!r} under `purposes`, or correct the purpose of "
                    f"{quoted(fids)} (see PM002); then name it in `names.purposes` of explanation {ex.id!r}."
                )
            else:
                remediation = f"Add {purpose!r} to `names.purposes` of explanation {ex.id!r}."
            yield Hit(
                subject=ex.id,
                related=[purpose],
                message=f"explanation {ex.id!r} covers {quoted(fids)} but never names {their} purpose {purpose!r}.",
                agreement=aid,
                remediation=remediation,
            )


@register(
    code="ME004",
    name="checklist-incomplete",
    family=F,
    severity=Severity.WARNING,
    finds=(
        'An explanation that leaves out items of "what service users need to know", named one by one; '
        '"if they don\'t have a choice, why" is owed only by one that covers a flow offering no choice.'
    ),
    remediation="Answer each missing item under `says`, in plain words the people will understand.",
    seeds=[
        Seed(
            doc="001",
            quote="What's collected or used, why it's needed, how it will be used, and how that will help them or others.",
            section="What service users need to know › Collection and use",
        ),
        Seed(
            doc="001",
            quote="What will happen if the information will not be changed in response to their request.",
            section="What service users need to know › Access and corrections",
        ),
        Seed(
            doc="001",
            quote="If they don't have a choice, why.",
            section="What service users need to know › Choices",
        ),
    ],
    law=Law(
        ipp="IPP 3",
        level="good practice",
        note=(
            "IPP 3 sets the legal minimum people are told. DPUP's checklist overlaps it and adds items "
            "(linking, what it will not be used for, involvement); IPP 3 also asks for things the checklist "
            "does not, which dpup does not check: the names and addresses of the agencies collecting and "
            "holding the information, what happens if it is not supplied, and, where a law authorises or "
            "requires the collection, whether supplying it is voluntary."
        ),
    ),
)
def checklist_incomplete(ctx: Context) -> Iterator[Hit]:
    for aid, a, ex in ctx.explanations():
        missing = ex.says.missing(no_choice=True)
        # "If they don't have a choice, why" is owed only where a flow covered offers none and says why.
        if "no_choice_why" in missing and not any(
            blank(f.choice) and not blank(f.no_choice_reason) for f in map(a.flow, ex.covers)
        ):
            missing = tuple(item for item in missing if item != "no_choice_why")
        if missing:
            yield Hit(
                subject=ex.id,
                related=missing,
                message=f"explanation {ex.id!r} does not say: {', '.join(missing)}.",
                agreement=aid,
                remediation=f"Add answers for {', '.join(missing)} under `says` of explanation {ex.id!r}.",
            )


@register(
    code="ME005",
    name="no-version-for-extra-care",
    family=F,
    severity=Severity.WARNING,
    finds="A group that needs extra care (children, for example) with no explanation in a version made for them.",
    remediation=(
        "Make a version of the explanation for the group (for children, a child version) and list it in `versions`."
    ),
    seeds=[
        _DESCRIBE,
        Seed(
            doc="000",
            quote=(
                "provide staff with guidance about specific responsibilities for vulnerable groups you work "
                "with and how to uphold their data and personal information rights, for example, children, "
                "or people with dementia"
            ),
            section="Empower people’s choices and enable access to and oversight of their data and information. (Mana Whakahaere) › This Principle is upheld when you",
        ),
    ],
)
def no_version_for_extra_care(ctx: Context) -> Iterator[Hit]:
    versions = ctx.versions
    for aid, a in ctx.agreements.items():
        for group in a.service_users:
            need = group.needs_extra_care
            if need is not None and not blank(need) and need not in versions.get(group.id, set()):
                yield Hit(
                    subject=group.id,
                    related=[need],
                    message=f"group {group.id!r} needs extra care and no explanation to them has a {need!r} version.",
                    agreement=aid,
                )


@register(
    code="ME006",
    name="no-choice-no-reason",
    family=F,
    severity=Severity.WARNING,
    finds="A flow of information about people that offers no choice and gives no reason why not.",
    remediation=(
        "Say what choice people have (`choice`) or, if they have none, why (`no_choice_reason`): why "
        "having none is fair, reasonable and respectful."
    ),
    seeds=[
        Seed(
            doc="001",
            quote="People should have as many choices as possible about what data or information they provide, who gets to see or use it and why.",
            section="Be transparent and support choices",
        ),
        Seed(
            doc="001",
            quote="There may be times when it's not safe or appropriate to offer choices. If this is the case, it should be made clear why this is fair, reasonable and respectful.",
            section="Be transparent and support choices",
        ),
    ],
    law=Law(
        ipp="IPP 3",
        level="good practice",
        note=(
            "Where a law authorises or requires the collection, IPP 3 requires telling people whether "
            "supplying the information is voluntary or required; DPUP asks for real choices, or a reason "
            "there are none, whatever the law."
        ),
    ),
)
def no_choice_no_reason(ctx: Context) -> Iterator[Hit]:
    for e in ctx.declared:
        flow = e.flow
        if blank(flow.choice) and blank(flow.no_choice_reason) and e.tell:
            yield Hit(
                subject=e.id,
                message=f"{flow_text(e)} offers people no choice and gives no reason why not.",
                agreement=e.agreement,
            )


_ABOUT_SEED = Seed(
    doc="001",
    quote="Keep in mind that just because it does not identify them, does not mean they will not want a say.",
    section="Be transparent and support choices",
)


@register(
    code="ME007",
    name="about-no-one",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "Identifying or de-identified information (or information of unknown identifiability) "
        "that names no group it is about, so no check can tell who must be told."
    ),
    remediation="List the service-user groups the information is about in `about`.",
    seeds=[_ABOUT_SEED],
)
def about_no_one(ctx: Context) -> Iterator[Hit]:
    for aid, info in ctx.unclear_information:
        if not info.about and info.identifiability is not Identifiability.AGGREGATE:
            yield Hit(
                subject=info.id,
                message=f"information {info.id!r} does not say which groups it is about.",
                agreement=aid,
            )


@register(
    code="ME008",
    name="aggregate-about-no-one",
    family=F,
    severity=Severity.INFO,
    finds="Aggregate information that names no group it is about: checks that follow groups skip it.",
    remediation=(
        "If the information comes from people's information, list their groups in `about`: the flows "
        "carrying it are then owed an explanation to those groups (ME001), and a choice or the reason "
        "there is none (ME006), as any other flow about them is."
    ),
    seeds=[_ABOUT_SEED],
)
def aggregate_about_no_one(ctx: Context) -> Iterator[Hit]:
    for aid, info in ctx.unclear_information:
        if not info.about and info.identifiability is Identifiability.AGGREGATE:
            yield Hit(
                subject=info.id,
                message=(
                    f"aggregate information {info.id!r} is not said to be about any group; "
                    "checks that follow groups skip it."
                ),
                agreement=aid,
            )


@register(
    code="ME009",
    name="flow-not-explained-in-version",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "A flow owed to a group that needs extra care which only explanations without the group's "
        "version cover, though the group has that version of another explanation (with none at all, "
        "ME005 reports the group)."
    ),
    remediation=(
        "Cover the flow with an explanation to the group in the version it needs, or make that "
        "version of the explanation that covers it and list it in `versions`."
    ),
    seeds=[_DESCRIBE],
)
def flow_not_explained_in_version(ctx: Context) -> Iterator[Hit]:
    versions = ctx.versions
    for aid, a in ctx.agreements.items():
        needs = {
            g.id: g.needs_extra_care
            for g in a.service_users
            if g.needs_extra_care is not None
            and not blank(g.needs_extra_care)
            and g.needs_extra_care in versions.get(g.id, ())
        }
        if not needs:
            continue
        plain: dict[str, list[str]] = {}  # flow -> groups an explanation covers it for without their version
        for ex in a.explanations:
            for g in ex.for_:
                need = needs.get(g)
                if need is not None and need not in ex.versions:
                    for fid in ex.covers:
                        plain.setdefault(fid, []).append(g)
        if not plain:  # the usual case: every explanation to them has their version
            continue
        made: set[tuple[str, str]] = set()  # (flow, group) covered in the group's version
        for ex in a.explanations:
            for g in ex.for_:
                if needs.get(g) in ex.versions:
                    made.update((fid, g) for fid in ex.covers if fid in plain)
        for fid, groups in plain.items():
            flow = a.flow(fid)
            owed = _owed(a, flow)
            missing = sorted({g for g in groups if (fid, g) not in made and g in owed})
            for g in missing:
                yield Hit(
                    subject=fid,
                    related=[g, needs[g]],
                    message=(
                        f"flow {fid!r} ({flow.from_} -> {flow.to}) is explained to {g!r} only by explanations "
                        f"with no {needs[g]!r} version, which {g!r} need."
                    ),
                    agreement=aid,
                )


def _owed(a: Agreement, flow: DataFlow) -> set[str]:
    """The groups a flow must be explained to, as :attr:`Flow.tell` says: the group it
    collects from, or else every group its information is about."""
    if isinstance(a.node(flow.from_), ServiceUser):
        return {flow.from_}
    return {g for i in flow.carries for g in a.info(i).about}
