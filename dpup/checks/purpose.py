"""Purpose mismatches (Purpose Matters; He Tāngata, Kaitiakitanga).

Be clear why information is used, use identifying information only when the purpose needs
it, and think hard before using information for a purpose it was not collected for.
"""

from collections.abc import Iterator

from dpup.checks._context import Context, blank, did_you_mean, flow_text, quoted
from dpup.checks._registry import Hit, Law, Seed, register
from dpup.model import Agency, Agreement, Identifiability, Provider, Team
from dpup.report import Family, Severity

F = Family.PURPOSE_MISMATCH

_WRITE_DOWN = Seed(
    doc="001",
    quote="Write down what data or information you plan to use and why it's needed.",
    section="Be clear about the purpose",
)

_CLEAR = Seed(
    doc="001",
    quote=(
        "The purpose must be absolutely clear and understood by all involved and should be "
        "communicated to service users."
    ),
    section="Be clear about the purpose",
)

_ONE_PART = Seed(
    doc="003",
    quote=(
        "Information and data used for the evaluation is sent to one part of the agency. "
        "Information and data used to report on service delivery is sent to another part "
        "because they have different purposes and uses."
    ),
    section="Thinking about DPUP › Reporting",
)
_KEPT_TO_ONE_PART = Law(
    ipp="IPP 5",
    level="good practice",
    note=(
        "Keeping information to the part of an agency that needs it supports the security safeguards "
        "IPP 5 asks for; DPUP goes further."
    ),
)


@register(
    code="PM001",
    name="flow-without-purpose",
    family=F,
    severity=Severity.ERROR,
    finds="A flow that moves information with no purpose at all.",
    remediation="Give the flow a `purpose`: one the agreement declares under `purposes`.",
    seeds=[_WRITE_DOWN],
    law=Law(
        ipp="IPP 1, IPP 3",
        level="good practice",
        note=(
            "Personal information may be collected only for a lawful purpose connected with the agency's "
            "functions (IPP 1), and people must be told that purpose (IPP 3). The Act does not ask for the "
            "purpose to be written into an agreement; DPUP does, since a flow with no purpose leaves "
            "nobody able to show that it has a lawful one."
        ),
    ),
)
def flow_without_purpose(ctx: Context) -> Iterator[Hit]:
    for e in ctx.declared:
        if e.purpose_id is None:
            yield Hit(
                subject=e.id,
                related=[i.id for i in e.info],
                message=f"{flow_text(e)} has no purpose: nobody can say why the information moves.",
                agreement=e.agreement,
            )


@register(
    code="PM002",
    name="undeclared-purpose",
    family=F,
    severity=Severity.ERROR,
    finds="A flow whose purpose is not one the agreement declares.",
    remediation=(
        "Declare the purpose under `purposes` with its description, benefit, need for identity and "
        "authority, or change the flow to a purpose the agreement declares."
    ),
    seeds=[_WRITE_DOWN],
    law=Law(
        ipp="IPP 1, IPP 3",
        level="good practice",
        note=(
            "Personal information may be collected only for a lawful purpose connected with the agency's "
            "functions (IPP 1), and people must be told that purpose (IPP 3). The Act does not ask the parties "
            "to declare it; DPUP does, since a purpose nobody has set out (its benefit, its authority, its "
            "need for identity) cannot be checked or explained."
        ),
    ),
)
def undeclared_purpose(ctx: Context) -> Iterator[Hit]:
    for e in ctx.declared:
        if e.purpose_id is not None and e.purpose is None:
            close = did_you_mean(e.purpose_id, (p.id for p in ctx.agreements[e.agreement].purposes))
            yield Hit(
                subject=e.id,
                related=[e.purpose_id],
                message=(
                    f"{flow_text(e)} is for purpose {e.purpose_id!r}, which agreement "
                    f"{e.agreement!r} does not declare" + (f"; did you mean {close!r}?" if close else ".")
                ),
                agreement=e.agreement,
                remediation=(
                    f"Change the flow's purpose to {close!r}, or declare {e.purpose_id!r} under `purposes` "
                    "with its description, benefit, need for identity and authority."
                    if close
                    else None
                ),
            )


@register(
    code="PM003",
    name="team-not-set-up-for-purpose",
    family=F,
    severity=Severity.ERROR,
    finds=(
        "A flow into a team that is not set up for the flow's purpose, such as evaluation "
        "information sent to the service-reporting team."
    ),
    remediation=(
        "Send the information to the team set up for this purpose, or, if this team really "
        "does this work, add the purpose to the team's `purposes`."
    ),
    seeds=[
        _ONE_PART,
    ],
    law=_KEPT_TO_ONE_PART,
)
def team_not_set_up(ctx: Context) -> Iterator[Hit]:
    team_nodes = ctx.teams
    for e in ctx.declared:
        purpose = e.purpose_id
        if e.target not in team_nodes or purpose is None:
            continue
        # Judge the team as the flow's own agreement declares it.
        agreement = ctx.agreements[e.agreement]
        team = agreement.node(e.target)
        if isinstance(team, Team) and purpose not in team.purposes:
            set_up = quoted(team.purposes) if team.purposes else "no purpose"
            org = agreement.node(agreement.organisation_of(e.target) or "")
            teams = org.teams if isinstance(org, Provider | Agency) else ()
            right = [t.id for t in teams if purpose in t.purposes]
            if right:
                fix = (
                    f"Send {e.id!r} to {quoted(right)}, set up for {purpose!r}, or add "
                    f"{purpose!r} to the purposes of {e.target!r} if it really does this work."
                )
            else:
                fix = (
                    f"No team of {org.id!r} is set up for "
                    f"{purpose!r}: add {purpose!r} to the purposes of {e.target!r} if it really does "
                    f"this work, or set up a team for it and send {e.id!r} there."
                )
            yield Hit(
                subject=e.id,
                related=[e.target, purpose],
                message=(
                    f"{flow_text(e)} sends information for {purpose!r} to team {e.target!r}, "
                    f"which is set up for {set_up}."
                ),
                agreement=e.agreement,
                remediation=fix,
            )


@register(
    code="PM004",
    name="identity-not-needed",
    family=F,
    severity=Severity.ERROR,
    finds="Identifying information flowing for a purpose that does not need to identify people.",
    remediation=(
        "Send de-identified or aggregate information instead (for example counts rather than "
        "records), or, if the purpose truly needs identity, say so with `needs_identity: true` "
        "and the authority for it."
    ),
    seeds=[
        Seed(
            doc="001",
            quote="If identifying information is not needed, it should not be collected. 'Just in case' is not an okay reason to collect data or information.",
            section="Be clear about the purpose",
        )
    ],
    law=Law(
        ipp="IPP 1",
        level="legal minimum",
        note="If the purpose does not require identifying information, the agency must not require it.",
    ),
)
def identity_not_needed(ctx: Context) -> Iterator[Hit]:
    for e in ctx.declared:
        purpose = e.purpose
        if purpose is None or purpose.needs_identity is not False:
            continue
        identifying = [i.id for i in e.info if i.identifiability is Identifiability.IDENTIFYING]
        if identifying:
            yield Hit(
                subject=e.id,
                related=[*identifying, purpose.id],
                message=(
                    f"{flow_text(e)} carries identifying {quoted(identifying)} for {purpose.id!r}, "
                    "a purpose that does not need to identify people."
                ),
                agreement=e.agreement,
            )


@register(
    code="PM005",
    name="incompatible-onward-use",
    family=F,
    severity=Severity.ERROR,
    finds=(
        "Onward use: information that reached a holder for one purpose leaves it for another "
        "purpose not declared compatible, followed along whole chains of flows. What reached an "
        "organisation or one of its teams from outside it counts as reaching a holder of it that no "
        "flow brought it to: an organisation holds what its teams hold, and each team can send it "
        "on. A copy of information about one group, given back to that group, is access to it, not "
        "onward use; information about others too (a family record, about the parents and their "
        "children, given to the parents) is judged as any other."
    ),
    remediation=(
        "Either stop the onward flow, or add the purpose the information arrived for to "
        "`compatible_with` of the purpose it leaves for, once you have checked that the new use is "
        "legal, ethical, respectful, fair and reasonable, and explained to the people it is about."
    ),
    seeds=[
        Seed(
            doc="001",
            quote=(
                "If the data or information was not collected for this purpose, is it legal, ethical, "
                "respectful, fair and reasonable to use it? Just because it exists does not mean it "
                "should be used."
            ),
            section="Be clear about the purpose",
        )
    ],
    law=Law(
        ipp="IPP 10, IPP 11",
        level="legal minimum",
        note=(
            "Personal information obtained for one purpose may not be used (IPP 10) or disclosed to another "
            "agency (IPP 11) for another unless an exception applies, such as a directly related purpose, "
            "so an onward use the agreement does not declare compatible needs one; for de-identified or "
            "aggregate information the check is DPUP's good practice."
        ),
    ),
)
def incompatible_onward_use(ctx: Context) -> Iterator[Hit]:
    arrivals, flows, groups, orgs, shared = ctx.arrivals, ctx.flows, ctx.groups, ctx.orgs, ctx.shared
    outside: dict[tuple[str, str], dict[str | None, int]] | None = None  # read only if needed
    compatible: dict[tuple[str, str, str, str | None], bool] = {}  # many flows ask the same

    def clashes(arrived: dict[str | None, int], leaves: str, agreement: str) -> list[str]:
        out = []
        for p, idx in arrived.items():
            if p is None or p == leaves:
                continue
            ask = (p, leaves, agreement, flows[idx].agreement)
            ok = compatible.get(ask)
            if ok is None:
                ok = compatible[ask] = ctx.compatible(p, leaves, ask[2:])
            if not ok:
                out.append(p)
        return sorted(out)

    for e in ctx.declared:
        u, v, key = e.source, e.target, e.id
        leaves = e.purpose_id
        if leaves is None or u in groups:
            continue
        for info in e.info:
            arrived = arrivals.get((u, info.id))
            if not arrived:
                # what no flow brought to the holder itself: what reached its organisation
                # (the organisation or one of its teams) from outside, if it has teams
                org = orgs.get(u)
                if org not in shared:
                    continue
                if outside is None:
                    outside = ctx.arrivals_from_outside
                arrived = outside.get((org, info.id))
                if not arrived:
                    continue
            if v in groups and info.about and all(g == v for g in info.about):
                continue  # a copy of a group's own information, given back to it, is access to it
            clash = clashes(arrived, leaves, e.agreement)
            if clash:
                # the route by which it first arrived for the first clashing purpose: to the
                # holder itself, or to another part of its organisation
                first = flows[arrived[clash[0]]]
                came, reached = first.source, first.target
                if ctx.agreements[e.agreement].purpose(leaves) is not None:
                    edit = f"add {quoted(clash)} to `compatible_with` of purpose {leaves!r}"
                else:  # PM002 reports it: the declaration comes first
                    edit = (
                        f"declare purpose {leaves!r} under `purposes` (see PM002) with {quoted(clash)} "
                        "in its `compatible_with`"
                    )
                yield Hit(
                    remediation=(
                        f"Either stop flow {key!r}, or {edit}, once you have checked that using for "
                        f"{leaves!r} what arrived for {quoted(clash, 'or')} is legal, ethical, respectful, "
                        "fair and reasonable, and explained to the people it is about."
                    ),
                    subject=key,
                    related=[info.id, *clash],
                    path=(*ctx.path_to(came, info.id), *((reached,) if reached != u else ()), u, v),
                    message=(
                        f"{info.id!r} reached {u!r} for {quoted(clash)} and {flow_text(e)} takes it on "
                        f"for {leaves!r}, which is not declared compatible."
                        if reached == u
                        else f"{info.id!r} reached {reached!r} for {quoted(clash)}, and {flow_text(e)} takes "
                        f"it on from {u!r}, of the same organisation, for {leaves!r}, which is not "
                        "declared compatible."
                    ),
                    agreement=e.agreement,
                )


@register(
    code="PM006",
    name="no-benefit",
    family=F,
    severity=Severity.WARNING,
    finds="A purpose with no stated benefit to the people the information is about.",
    remediation="Add a `benefit`: how this use helps the people, their whānau or community.",
    seeds=[
        Seed(
            doc="001",
            quote=(
                "Make sure it's clear how any collection or use of data or information will benefit "
                "service users, people in similar situations or the wider community."
            ),
            section="Be clear about the purpose",
        )
    ],
)
def no_benefit(ctx: Context) -> Iterator[Hit]:
    for aid, p in ctx.unclear_purposes:
        if blank(p.benefit):
            yield Hit(
                subject=p.id,
                message=f"purpose {p.id!r} does not say how it benefits the people the information is about.",
                agreement=aid,
            )


@register(
    code="PM007",
    name="no-authority",
    family=F,
    severity=Severity.WARNING,
    finds="A purpose with no stated authority: the law, agreement clause or mandate that allows it.",
    remediation="Add an `authority` naming the law or agreement clause that allows this use.",
    seeds=[
        Seed(
            doc="001",
            quote="This helps check that it's fair, reasonable, ethical and legal to use it or require it to be collected.",
            section="Be clear about the purpose",
        ),
        Seed(
            doc="001",
            quote="What laws allow the collection or use.",
            section="What service users need to know › Collection and use",
        ),
    ],
    law=Law(
        ipp="IPP 1",
        level="good practice",
        note="The law needs a lawful purpose; writing down the authority for it is DPUP's good practice.",
    ),
)
def no_authority(ctx: Context) -> Iterator[Hit]:
    for aid, p in ctx.unclear_purposes:
        if blank(p.authority):
            yield Hit(
                subject=p.id,
                message=f"purpose {p.id!r} does not say what law or authority allows it.",
                agreement=aid,
            )


@register(
    code="PM008",
    name="identity-need-unknown",
    family=F,
    severity=Severity.WARNING,
    finds="A purpose that does not say whether it needs to identify people, so identity checks cannot judge its flows.",
    remediation="Add `needs_identity: true` or `needs_identity: false` to the purpose.",
    seeds=[
        Seed(
            doc="001",
            quote="Any use of information that identifies service users needs careful thinking and thorough checking.",
            section="Be clear about the purpose",
        )
    ],
)
def identity_need_unknown(ctx: Context) -> Iterator[Hit]:
    for aid, p in ctx.unclear_purposes:
        if p.needs_identity is None:
            yield Hit(
                subject=p.id,
                message=f"purpose {p.id!r} does not say whether it needs information that identifies people.",
                agreement=aid,
            )


@register(
    code="PM009",
    name="identifiability-unknown",
    family=F,
    severity=Severity.WARNING,
    finds="Information that does not say how identifying it is, so identity and access checks cannot judge it.",
    remediation="Add `identifiability`: identifying, de-identified or aggregate.",
    seeds=[
        Seed(
            doc="001",
            quote=(
                "People often think of information they have supplied, or that is about them, as personal, "
                "even when it has been de-identified or anonymised and is being used in a non-personal form."
            ),
            section="Keep in mind",
        )
    ],
)
def identifiability_unknown(ctx: Context) -> Iterator[Hit]:
    for aid, info in ctx.unclear_information:
        if info.identifiability is None:
            yield Hit(
                subject=info.id,
                message=f"information {info.id!r} does not say whether it identifies people.",
                agreement=aid,
            )


@register(
    code="PM010",
    name="flow-carries-nothing",
    family=F,
    severity=Severity.WARNING,
    finds="A flow that does not say what information it carries, so no check can judge it.",
    remediation="List the information items the flow carries in `carries`.",
    seeds=[_WRITE_DOWN],
)
def flow_carries_nothing(ctx: Context) -> Iterator[Hit]:
    for e in ctx.declared:
        if not e.flow.carries:
            yield Hit(
                subject=e.id,
                message=f"{flow_text(e)} does not say what information it carries.",
                agreement=e.agreement,
            )


@register(
    code="PM011",
    name="sent-to-the-whole-agency",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "A flow of information about people into an agency as a whole, from outside it, when the "
        'agency has teams: nobody can say which part of it uses the information (the "black hole" '
        "of the first draft)."
    ),
    remediation=(
        "Send the information to the team that uses it, with the flow's purpose among the team's "
        "`purposes`, or set up a team for it."
    ),
    seeds=[
        Seed(
            doc="003",
            quote=(
                "This information is just going into a black hole. Who sees it? "
                "Who at the agency is using what parts of it?"
            ),
            section="Not thinking about DPUP › Reporting › CCSS thinking / feeling",
        ),
        _ONE_PART,
    ],
    law=_KEPT_TO_ONE_PART,
)
def sent_to_the_whole_agency(ctx: Context) -> Iterator[Hit]:
    with_teams = {ctx.orgs[t] for t in ctx.teams} & ctx.agencies
    for e in ctx.declared:
        if e.target not in with_teams or not e.tell or ctx.orgs.get(e.source) == e.target:
            continue
        # Judge the agency as the flow's own agreement declares it.
        org = ctx.agreements[e.agreement].node(e.target)
        if not isinstance(org, Agency) or not org.teams:
            continue
        purpose = e.purpose_id
        right = [t.id for t in org.teams if purpose is not None and purpose in t.purposes]
        if right:
            fix = f"Send {e.id!r} to {quoted(right, 'or')}, set up for {purpose!r}."
        else:
            fix = (
                f"Send {e.id!r} to the team of {org.id!r} that uses it, with "
                + (
                    f"{purpose!r} among its `purposes`"
                    if purpose is not None
                    else "the flow's purpose among its `purposes`"
                )
                + ", or set up a team for it."
            )
        yield Hit(
            subject=e.id,
            related=[org.id, *right],
            message=(
                f"{flow_text(e)} sends information about people to {org.id!r} as a whole, though "
                f"{org.id!r} has teams ({quoted(t.id for t in org.teams)}): nobody can say which part "
                "of it uses the information."
            ),
            agreement=e.agreement,
            remediation=fix,
        )


@register(
    code="PM012",
    name="reference-to-undeclared-purpose",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "A purpose named in an explanation's `names.purposes`, a purpose's `compatible_with` or a "
        "team's `purposes` that the agreement does not declare. Most often it is a misspelling: the "
        "explanation tells people of a purpose the agreement never sets out, and the compatibility "
        "or the team's set-up does not apply to the purpose meant, so onward use (PM005) or a flow "
        "into the team (PM003) is reported with no word of why. The finding is about the "
        "explanation, purpose or team that names the purpose, and points at the reference itself; "
        "the agreement's own declarations decide, in a graph of several agreements too. An "
        "undeclared purpose that a flow of the agreement is for is left to PM002."
    ),
    remediation=(
        "Correct the reference to a purpose the agreement declares under `purposes`, or declare "
        "the purpose there with its description, benefit, need for identity and authority."
    ),
    seeds=[
        _CLEAR,
        _WRITE_DOWN,
    ],
)
def reference_to_undeclared_purpose(ctx: Context) -> Iterator[Hit]:
    agreements = ctx.agreements
    # The undeclared purposes PM002 reports, agreement by agreement: a flow of it is for them.
    flows_for: dict[str, set[str]] = {}
    for e in ctx.declared:
        if e.purpose_id is not None and e.purpose is None:
            flows_for.setdefault(e.agreement, set()).add(e.purpose_id)
    declaring: dict[str, list[str]] | None = None  # purpose -> the agreements declaring it
    for aid, a in agreements.items():
        # Each agreement is judged by its own declarations, whatever else the graph holds.
        known = {q.id for q in a.purposes}
        known.update(flows_for.get(aid, ()))  # reported by PM002
        refs = list(_purpose_references(a, known))
        if not refs:
            continue
        if declaring is None and len(agreements) > 1:
            declaring = {}
            for o, b in agreements.items():
                for q in b.purposes:
                    declaring.setdefault(q.id, []).append(o)
        hints: dict[str, tuple[str, str]] = {}  # purpose -> the end of the message, the remediation
        for subject, where, kind, pid in refs:
            what, field = _REFERENCE[kind]
            field = field.format(subject=subject)
            if pid not in hints:
                # Another agreement that declares the purpose is named, as its likely source;
                # failing that, the declared purpose closest to a misspelling.
                elsewhere = [o for o in (declaring or {}).get(pid, ()) if o != aid]
                close = None if elsewhere else did_you_mean(pid, (p.id for p in a.purposes))
                hints[pid] = _undeclared_hint(pid, aid, elsewhere, close)
            note, fix = hints[pid]
            yield Hit(
                subject=subject,
                related=[pid],
                message=f"{what.format(subject=subject)} {pid!r}, which agreement {aid!r} does not declare{note}",
                agreement=aid,
                where=where,
                remediation=fix.format(field=field),
            )


_REFERENCE: dict[str, tuple[str, str]] = {
    # kind of reference: (the start of the message, the field the remediation names)
    "names": ("explanation {subject!r} names purpose", "`names.purposes` of explanation {subject!r}"),
    "compatible": (
        "purpose {subject!r} is declared compatible with",
        "`compatible_with` of purpose {subject!r}",
    ),
    "team": ("team {subject!r} is set up for purpose", "`purposes` of team {subject!r}"),
}


def _purpose_references(a: Agreement, known: set[str]) -> Iterator[tuple[str, str, str, str]]:
    """Every reference to a purpose not in ``known`` in an agreement, but a flow's: (the id of
    the explanation, purpose or team that makes it, its place, its kind (a key of
    :data:`_REFERENCE`), the purpose it names). A list of references that all resolve, the
    common case, is passed over with one set operation."""
    fine = known.issuperset
    for i, ex in enumerate(a.explanations):
        if not fine(ex.names.purposes):
            for j, pid in enumerate(ex.names.purposes):
                if pid not in known:
                    yield ex.id, f"$.explanations[{i}].names.purposes[{j}]", "names", pid
    for i, p in enumerate(a.purposes):
        if not fine(p.compatible_with):
            for j, pid in enumerate(p.compatible_with):
                if pid not in known:
                    yield p.id, f"$.purposes[{i}].compatible_with[{j}]", "compatible", pid
    for i, org in enumerate(a.holders):
        for k, team in enumerate(org.teams):
            if not fine(team.purposes):
                for j, pid in enumerate(team.purposes):
                    if pid not in known:
                        yield team.id, f"$.holders[{i}].teams[{k}].purposes[{j}]", "team", pid


def _undeclared_hint(pid: str, aid: str, elsewhere: list[str], close: str | None) -> tuple[str, str]:
    """The end of PM012's message and its remediation, with ``{field}`` to fill in."""
    if elsewhere:
        n = len(elsewhere)
        if n == 1:
            others = f"agreement {elsewhere[0]!r} does"
        elif n <= 3:
            others = f"agreements {quoted(elsewhere)} do"
        else:
            others = f"agreements {elsewhere[0]!r}, {elsewhere[1]!r} and {n - 2} others do"
        return (
            f" ({others}).",
            f"Declare {pid!r} under `purposes` of agreement {aid!r} too, as {others}, so that its "
            "parties can read what it is; or remove it from {field}.",
        )
    if close is not None:
        return (
            f"; did you mean {close!r}?",
            f"Change {pid!r} to {close!r} in {{field}}, or declare {pid!r} under `purposes` with its "
            "description, benefit, need for identity and authority.",
        )
    return (
        ".",
        f"Declare {pid!r} under `purposes` with its description, benefit, need for identity and "
        "authority, or remove it from {field}.",
    )


@register(
    code="PM013",
    name="purpose-not-described",
    family=F,
    severity=Severity.WARNING,
    finds=(
        "A purpose with no `description`: nothing says in words what the use is, so the parties "
        "cannot agree on it, nor an explanation tell people of it, beyond its id."
    ),
    remediation=(
        "Add a `description`: what the information is used for, in words the parties and the "
        "people it is about can understand."
    ),
    seeds=[
        _WRITE_DOWN,
        _CLEAR,
    ],
    law=Law(
        ipp="IPP 3",
        level="good practice",
        note=(
            "People must be told the purpose their personal information is collected for (IPP 3); a "
            "purpose the agreement does not describe leaves nothing to tell them but its id."
        ),
    ),
)
def purpose_not_described(ctx: Context) -> Iterator[Hit]:
    for aid, p in ctx.unclear_purposes:
        if blank(p.description):
            yield Hit(
                subject=p.id,
                message=(
                    f"purpose {p.id!r} does not say in words what the use is "
                    f"({'no' if p.description is None else 'a blank'} `description`)."
                ),
                agreement=aid,
            )
