"""Sharing value and partnership (Sharing Value; Mahitahitanga).

Work together as equals, share what is learned back, and engage the people (and Māori, where
they have an interest) in how their information is used.
"""

from collections.abc import Iterator

from dpup.checks._context import Context, blank, missing, quoted
from dpup.checks._registry import Hit, Seed, register
from dpup.model import Identifiability, Sensitivity
from dpup.report import Family, Severity

F = Family.SHARING_VALUE


@register(
    code="SV001",
    name="nothing-shared-back",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "An agency that receives a provider's information and sends nothing back (outcomes, insights, "
        "findings): no flow from the agency to the provider carries information that identifies no one "
        "(aggregate or de-identified), or serves a purpose the provider's information was sent for. "
        "A flow of someone's record for another purpose, a referral say, is not sharing back."
    ),
    remediation=(
        "Add a flow from the agency (or the team that uses the information) back to the provider, "
        "carrying the outcomes of its use: decisions, advice, reports or evaluation findings."
    ),
    seeds=[
        Seed(
            doc="003",
            quote="The agency tells CCSS any outcomes of information use (for example, decisions, advice or reports it informed).",
            section="Thinking about DPUP › Sharing learnings and insights",
        ),
        Seed(
            doc="001",
            quote="If any of your work results in new insights, then share it in an easy-to-understand way.",
            section="Share value",
        ),
    ],
)
def nothing_shared_back(ctx: Context) -> Iterator[Hit]:
    received: dict[tuple[str, str], str | None] = {}
    sent_for: dict[tuple[str, str], set[str | None]] = {}  # the purposes the provider's information went for
    returned: set[tuple[str, str]] = set()  # shared back what identifies no one
    returned_for: dict[tuple[str, str], set[str]] = {}  # other flows back, by purpose
    org, providers, agencies = ctx.orgs, ctx.providers, ctx.agencies
    identifying = Identifiability.IDENTIFYING
    for e in ctx.declared:
        src, dst = org.get(e.source), org.get(e.target)
        if src is None or dst is None or src == dst:
            continue
        if src in providers and dst in agencies:
            received.setdefault((dst, src), e.agreement)
            sent_for.setdefault((dst, src), set()).add(e.purpose_id)
        elif src in agencies and dst in providers:
            # Outcomes and insights identify no one; an item that does not say how identifying
            # it is counts only by its purpose, as identifying information does.
            if any(i.identifiability is not identifying and i.identifiability is not None for i in e.info):
                returned.add((src, dst))
            elif e.purpose_id is not None:
                returned_for.setdefault((src, dst), set()).add(e.purpose_id)
    silent = [
        pair
        for pair in received
        if pair not in returned and sent_for[pair].isdisjoint(returned_for.get(pair, ()))
    ]
    involved: dict[tuple[str, str], dict[str | None, None]] = {
        pair: {} for pair in silent if ("SV001", pair[0]) in ctx.accepting
    }
    if involved:  # read only for findings some agreement accepts
        for e in ctx.declared:
            pair = (org.get(e.target) or "", org.get(e.source) or "")
            if pair in involved:
                involved[pair][e.agreement] = None
    for agency, provider in silent:
        yield Hit(
            subject=agency,
            related=[provider],
            message=f"{agency!r} receives information from {provider!r} and shares nothing back.",
            agreement=received[(agency, provider)],
            agreements=tuple(involved.get((agency, provider), ())),
        )


@register(
    code="SV002",
    name="sensitive-without-engagement",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "Sensitive information flowing with no engagement recorded with the people it is about "
        "or the providers that handle it. An engagement record counts for those it names in "
        "`with`, so one that names no one counts for no one."
    ),
    remediation=(
        "Engage the people (or their representatives) and the providers on what is collected, "
        "shared and why, and record it under `engagement`."
    ),
    seeds=[
        Seed(
            doc="001",
            quote="Sometimes it will be a simple check that you're using the right numbers in the right way, other times co-design and rich engagement might be needed.",
            section="Work as equal partners and involve service users",
        ),
        Seed(
            doc="001",
            quote="Example 1 would suggest less collaboration than Example 2, where the information is more sensitive and the impact greater.",
            section="Work as equal partners and involve service users",
        ),
    ],
)
def sensitive_without_engagement(ctx: Context) -> Iterator[Hit]:
    return _unengaged(ctx, Sensitivity.HIGH, "sensitive information {info!r} flows")


def _unengaged(ctx: Context, level: Sensitivity | None, what: str) -> Iterator[Hit]:
    """A finding for each item of ``level`` that flows with no engagement recorded."""
    for aid, by_info in ctx.unengaged[level].items():
        for info_id, who in by_info.items():
            yield Hit(
                subject=info_id,
                related=sorted(who),
                message=(
                    f"{what.format(info=info_id)} with no engagement recorded with "
                    f"{'any of ' if len(who) > 1 else ''}{quoted(sorted(who), 'or')}."
                ),
                agreement=aid,
            )


@register(
    code="SV004",
    name="sensitivity-unknown-without-engagement",
    family=F,
    severity=Severity.INFO,
    finds=(
        "Information that does not say how sensitive it is, flowing with no engagement recorded "
        "with the people it is about or the providers that handle it: whether it needed "
        "engagement (SV002) cannot be told, so it is reported rather than passed."
    ),
    remediation=(
        "Say how sensitive the information is (`sensitivity`: low, medium or high); if it is "
        "high, engage the people and the providers and record it under `engagement`."
    ),
    seeds=[
        Seed(
            doc="001",
            quote="Example 1 would suggest less collaboration than Example 2, where the information is more sensitive and the impact greater.",
            section="Work as equal partners and involve service users",
        ),
    ],
)
def sensitivity_unknown_without_engagement(ctx: Context) -> Iterator[Hit]:
    return _unengaged(ctx, None, "{info!r} does not say how sensitive it is, and flows")


@register(
    code="SV003",
    name="maori-interest-without-engagement",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "Information about a group with a Māori data interest flowing with no recorded Māori "
        "engagement or partnership: a record with `maori: true` counts only if it names whom "
        "the engagement was with (`with`). Its basis is not a DPUP Guideline but the Privacy Maturity "
        'Assessment Framework (seed 004), expectation 5, "Be a capable Treaty partner", and its '
        'criterion "Partnering with Māori"; it is aligned with DPUP\'s Mahitahitanga Principle, '
        "and so sits with the Sharing Value checks."
    ),
    remediation=(
        "Engage with Māori (iwi, hapū, Māori providers or the whānau themselves) about the "
        "collection, use and sharing, and record it under `engagement` with `maori: true`."
    ),
    seeds=[
        Seed(
            doc="004",
            quote="This includes the need to engage with Māori about collection, use or sharing of personal information",
            section="5. Be a capable Treaty partner › Guidance note",
        ),
        Seed(
            doc="004",
            quote="When Māori privacy interests have been identified a partnership approach is used",
            section="5. Be a capable Treaty partner › Criteria 2: Partnering with Māori › Managed",
        ),
    ],
)
def maori_interest_without_engagement(ctx: Context) -> Iterator[Hit]:
    # Each agreement's own declaration of its groups decides, whatever order they are combined in.
    interest = {
        aid: {g.id for g in a.service_users if g.maori_data_interest} for aid, a in ctx.agreements.items()
    }
    if not any(interest.values()):
        return
    flowing: dict[tuple[str, str], set[str]] = {}
    for e in ctx.declared:
        mine = interest[e.agreement]
        if not mine:
            continue
        groups = set(e.tell)
        for info in e.info:
            groups.update(info.about)
        for g in groups & mine:
            flowing.setdefault((e.agreement, g), set()).add(e.id)
    for (aid, group), keys in flowing.items():
        engagement = ctx.agreements[aid].engagement
        # A record of Māori engagement with no one in it (`with: []`) is no engagement.
        if any(eng.maori and eng.with_ for eng in engagement):
            continue
        empty = [i for i, eng in enumerate(engagement) if eng.maori]
        yield Hit(
            subject=group,
            related=sorted(keys),
            message=(
                f"information about {group!r}, a group with a Māori data interest, flows "
                f"({quoted(sorted(keys))}) with no Māori engagement recorded"
                + (
                    f": {_records(empty)}, marked Māori, {'names' if len(empty) == 1 else 'name'} "
                    "no one it was with."
                    if empty
                    else "."
                )
            ),
            agreement=aid,
            remediation=(
                f"List under `with` of {_records(empty)} whom the Māori engagement was with (the "
                "whānau themselves, or a Māori provider, iwi or hapū the agreement declares), or "
                "engage with Māori about the collection, use and sharing and record it under "
                "`engagement` with `maori: true`."
                if empty
                else None
            ),
        )


def _records(indexes: list[int]) -> str:
    """``engagement[2]``, or ``engagement[0] and engagement[2]``, for messages."""
    names = [f"engagement[{i}]" for i in indexes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@register(
    code="SV005",
    name="engagement-not-described",
    family=F,
    severity=Severity.INFO,
    finds=(
        "An engagement record that does not say what the engagement was about (`about` missing "
        "or blank), so nothing shows what the people and providers it names were engaged on. "
        "SV002 and SV003 still count the record for those it names in `with`; this says that "
        "the record cannot show what it covered. One finding per agreement, about the agreement, "
        "pointing at its first such record and naming the others."
    ),
    remediation=(
        "Say in each engagement record's `about` what the engagement was about: where, how and "
        "why information is collected, used or shared, and what was decided (for example, "
        '"Co-design of what is collected, why, and what is reported to the agency").'
    ),
    seeds=[
        Seed(
            doc="003",
            quote=(
                "The agency invites providers like CCSS (and potential service users) to co-design the "
                "programme including where, how and why data or information about families is "
                "collected or used."
            ),
            section="Thinking about DPUP › Design",
        ),
        Seed(
            doc="004",
            quote="This includes the need to engage with Māori about collection, use or sharing of personal information",
            section="5. Be a capable Treaty partner › Guidance note",
        ),
    ],
)
def engagement_not_described(ctx: Context) -> Iterator[Hit]:
    for aid, a in ctx.agreements.items():
        silent = [i for i, eng in enumerate(a.engagement) if blank(eng.about)]
        if not silent:
            continue
        one = len(silent) == 1
        texts = [a.engagement[i].about for i in silent]
        yield Hit(
            subject=aid,
            related=sorted({n for i in silent for n in a.engagement[i].with_}),
            message=(
                f"{_records(silent)} of agreement {aid!r} {'does' if one else 'do'} not say what the "
                f"engagement was about ({missing('about', texts)})."
            ),
            agreement=aid,
            where=f"$.engagement[{silent[0]}]",
            remediation=(
                f"Say in `about` of {_records(silent)} what the engagement was about: where, how and "
                "why information is collected, used or shared, and what was decided."
            ),
        )
