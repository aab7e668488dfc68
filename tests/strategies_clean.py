"""A hypothesis strategy for agreements that are consistent with DPUP by construction.

:func:`clean_agreements` draws agreements of varying size in which ``dpup.check`` must find
nothing, because every rule the checks enforce is built in:

- every purpose is declared, with a benefit, an authority and whether it needs identity;
- every flow carries something, has a declared purpose whose ``needs_identity`` matches the
  information it carries (identifying information only for purposes that need identity,
  other information only for purposes that do not), and offers a choice or says why not;
- a flow into a team is for a purpose the team is set up for, and an agency with teams
  receives information through them, never as a whole;
- information leaves a holder only for purposes declared compatible with every purpose it
  arrived there for (holders are ordered, and flows between holders only go forward in that
  order, so a holder's out-flows are drawn once everything that reaches it is known);
- every agency sends findings back to each provider it receives information from;
- each group has an explanation that covers every flow owed to it, names every holder its
  information reaches and every recipient and purpose of those flows, answers every checklist item, and has the version the group needs;
- every organisation is a party and covered by an access arrangement, which says how people
  get copies and what happens when a correction is refused;
- engagement is recorded with every group and provider, and with Māori where a group has a
  Māori data interest; every information item says which groups it is about.

The helpers below (:func:`arrivals`, :func:`compatible`, :func:`told`, ...) describe an
agreement in the same terms, so that tests can inject one fault and say exactly which
findings it must add.
"""

from collections.abc import Iterable

from hypothesis import strategies as st

import dpup
from dpup import (
    Agency,
    Agreement,
    Checklist,
    DataFlow,
    Engagement,
    Explanation,
    Information,
    Names,
    Provider,
    Purpose,
    ServiceUser,
    Team,
)
from dpup.model import CHECKLIST_ITEMS

__all__ = [
    "arrivals",
    "clean_agreements",
    "compatible",
    "groups_to_tell",
    "org_of",
    "returns",
    "told",
]

IDENTIFYING = dpup.Identifiability.IDENTIFYING
ANSWERS = Checklist(**{item: f"A plain answer about {item.replace('_', ' ')}" for item in CHECKLIST_ITEMS})


# -- describing an agreement -----------------------------------------------------------------


def org_of(a: Agreement, holder: str) -> str | None:
    return a.organisation_of(holder)


def is_group(a: Agreement, node: str) -> bool:
    return node in {g.id for g in a.service_users}


def compatible(a: Agreement, arrived: str, leaves: str) -> bool:
    """Onward use for ``leaves`` of information that arrived for ``arrived`` is declared
    compatible: the same purpose, or ``leaves`` lists ``arrived`` in its ``compatible_with``
    (one way)."""
    if arrived == leaves:
        return True
    q = a.purpose(leaves)
    return q is not None and arrived in q.compatible_with


def arrivals(a: Agreement) -> dict[tuple[str, str], set[str]]:
    """(holder, information id) -> the purposes it arrives there for."""
    out: dict[tuple[str, str], set[str]] = {}
    for f in a.flows:
        for i in f.carries:
            if f.purpose is not None:
                out.setdefault((f.to, i), set()).add(f.purpose)
    return out


def groups_to_tell(a: Agreement, f: DataFlow) -> tuple[str, ...]:
    """A flow from a group is owed to that group; any other to every group its information is about."""
    if is_group(a, f.from_):
        return (f.from_,)
    return tuple(sorted({g for i in f.carries for g in a.info(i).about}))


def told(a: Agreement, group: str) -> set[str]:
    """The holders named to a group by its explanations (an organisation names its teams)."""
    names = {h for ex in a.explanations if group in ex.for_ for h in ex.names.holders}
    teams = {t.id for org, t in a.teams() if org.id in names}
    return names | teams


def returns(a: Agreement) -> set[tuple[str, str]]:
    """(agency, provider) pairs where the agency sends something back to the provider."""
    kinds = {o.id: o.kind for o in a.holders}
    out = set()
    for f in a.flows:
        src, dst = org_of(a, f.from_), org_of(a, f.to)
        if src and dst and src != dst and (kinds[src], kinds[dst]) == ("agency", "provider"):
            out.add((src, dst))
    return out


def access_covers(a: Agreement) -> set[str]:
    return {h for acc in a.access for h in acc.covers}


# -- the strategy ----------------------------------------------------------------------------


def _subset(draw: st.DrawFn, items: list[str], min_size: int = 1) -> list[str]:
    return draw(st.lists(st.sampled_from(items), min_size=min_size, max_size=len(items), unique=True))


@st.composite
def clean_agreements(
    draw: st.DrawFn,
    *,
    max_groups: int = 3,
    max_purposes: int = 5,
    max_providers: int = 2,
    max_agencies: int = 2,
    max_teams: int = 3,
    min_agency_teams: int = 0,
    max_out_flows: int = 2,
    max_team_purposes: int | None = None,
) -> Agreement:
    """An agreement in which dpup finds nothing (see the module docstring)."""
    # groups
    groups = [
        ServiceUser(
            id=f"group{k}",
            name=f"Group {k}",
            needs_extra_care=draw(st.sampled_from([None, None, "child", "easy-read"])),
            maori_data_interest=draw(st.booleans()),
        )
        for k in range(draw(st.integers(1, max_groups)))
    ]
    gids = [g.id for g in groups]

    # purposes: the first needs identity, the second does not; each may be declared
    # compatible with earlier ones
    n_purposes = draw(st.integers(2, max_purposes))
    purposes: list[Purpose] = []
    for k in range(n_purposes):
        earlier = [p.id for p in purposes]
        purposes.append(
            Purpose(
                id=f"use{k}",
                description=f"Use {k}",
                benefit=f"How use {k} helps people",
                needs_identity=True if k == 0 else False if k == 1 else draw(st.booleans()),
                authority=f"Agreement clause {k}",
                compatible_with=draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else [],
            )
        )
    pids = [p.id for p in purposes]
    needs = {p.id: p.needs_identity for p in purposes}

    # organisations and teams
    def teams_of(org: str, n: int) -> list[Team]:
        return [
            Team(id=f"{org}.t{k}", name=f"Team {k}", purposes=_subset(draw, pids)[:max_team_purposes])
            for k in range(n)
        ]

    providers = [
        Provider(id=f"prov{k}", name=f"Provider {k}", teams=teams_of(f"prov{k}", draw(st.integers(0, 1))))
        for k in range(draw(st.integers(1, max_providers)))
    ]
    agencies = [
        Agency(
            id=f"agency{k}",
            name=f"Agency {k}",
            teams=teams_of(
                f"agency{k}", draw(st.integers(min_agency_teams, max(max_teams, min_agency_teams)))
            ),
        )
        for k in range(draw(st.integers(1, max_agencies)))
    ]
    orgs: list[Provider | Agency] = [*providers, *agencies]
    order: list[str] = []  # holders, in the order flows go forward
    team_purposes: dict[str, tuple[str, ...]] = {}
    org: dict[str, str] = {}
    kind: dict[str, str] = {}
    for o in orgs:
        order.append(o.id)
        org[o.id] = o.id
        kind[o.id] = o.kind
        for t in o.teams:
            order.append(t.id)
            org[t.id] = o.id
            team_purposes[t.id] = t.purposes

    agencies_with_teams = {a.id for a in agencies if a.teams}

    def accepts(holder: str, purpose: str) -> bool:
        if holder in agencies_with_teams:  # information goes to the team that uses it (PM011)
            return False
        return holder not in team_purposes or purpose in team_purposes[holder]

    # information
    def info(id: str, identifiability: str | None = None) -> Information:
        return Information(
            id=id,
            description=f"Information {id}",
            about=_subset(draw, gids),
            identifiability=identifiability
            or draw(st.sampled_from(["identifying", "de-identified", "aggregate"])),
            sensitivity=draw(st.sampled_from([None, "low", "medium", "high"])),
        )

    collected = [info(f"collected{k}") for k in range(draw(st.integers(1, 4)))]
    derived = [info(f"derived{k}") for k in range(draw(st.integers(0, 3)))]
    origin = {d.id: draw(st.sampled_from(order)) for d in derived}
    insights = {a.id: info(f"insight-{a.id}", "aggregate") for a in agencies}
    items = {i.id: i for i in [*collected, *derived, *insights.values()]}

    def matching(carried: Iterable[str]) -> list[str]:
        identifying = any(items[i].identifiability == IDENTIFYING for i in carried)
        return [p for p in pids if needs[p] == identifying]

    flows: list[DataFlow] = []
    arrived: dict[tuple[str, str], set[str]] = {}

    def add(frm: str, to: str, carried: list[str], purpose: str) -> None:
        choice = draw(st.booleans())
        flows.append(
            DataFlow(
                id=f"flow{len(flows)}",
                from_=frm,
                to=to,
                carries=carried,
                purpose=purpose,
                choice="People can say no" if choice else None,
                no_choice_reason=None if choice else "The law requires it, and people are told why",
            )
        )
        for i in carried:
            arrived.setdefault((to, i), set()).add(purpose)

    # collection: each collected item from a group it is about, to a provider
    provider_holders = [h for h in order if kind[org[h]] == "provider"]
    for c in collected:
        allowed = matching([c.id])
        to = draw(st.sampled_from([h for h in provider_holders if any(accepts(h, p) for p in allowed)]))
        add(
            draw(st.sampled_from(c.about)),
            to,
            [c.id],
            draw(st.sampled_from([p for p in allowed if accepts(to, p)])),
        )

    # onward flows, forward in holder order
    for idx, h in enumerate(order):
        later = order[idx + 1 :]
        for _ in range(draw(st.integers(0, max_out_flows))):
            carriable = sorted(
                {i for (holder, i) in arrived if holder == h} | {d for d, o in origin.items() if o == h}
            )
            if not carriable or not later:
                break
            carried = draw(st.lists(st.sampled_from(carriable), min_size=1, max_size=2, unique=True))
            allowed = [
                q
                for q in matching(carried)
                if all(compatible_ids(purposes, p, q) for i in carried for p in arrived.get((h, i), ()))
            ]
            recipients = [r for r in later if any(accepts(r, q) for q in allowed)]
            if not recipients:
                continue
            to = draw(st.sampled_from(recipients))
            add(h, to, carried, draw(st.sampled_from([q for q in allowed if accepts(to, q)])))

    # every agency sends findings back to each provider it receives from
    received = sorted(
        {
            (org[f.to], org[f.from_])
            for f in flows
            if f.from_ in org and kind[org[f.from_]] == "provider" and kind[org[f.to]] == "agency"
        }
    )
    for agency, provider in received:
        sender = draw(st.sampled_from([h for h in order if org[h] == agency]))
        add(sender, provider, [insights[agency].id], draw(st.sampled_from(matching([insights[agency].id]))))

    used = {i for f in flows for i in f.carries}
    information = [i for i in items.values() if i.id in used or draw(st.booleans())]

    # explanations: one per group
    def owed(f: DataFlow) -> set[str]:
        if f.from_ in gids:
            return {f.from_}
        return {g for i in f.carries for g in items[i].about}

    explanations = []
    for g in groups:
        covers = [f for f in flows if g.id in owed(f)]
        # every holder the group's information reaches, and every recipient of a flow owed to it
        reached = [f for f in flows if any(g.id in items[i].about for i in f.carries)]
        holders = set()
        for f in [*covers, *reached]:
            if f.to in org:
                # name the team itself or its organisation (which names its teams)
                holders.add(org[f.to] if draw(st.booleans()) else f.to)
        explanations.append(
            Explanation(
                id=f"notice-{g.id}",
                for_=[g.id],
                versions=["adult", *([g.needs_extra_care] if g.needs_extra_care else [])],
                covers=[f.id for f in covers],
                names=Names(
                    holders=sorted(holders), purposes=sorted({f.purpose for f in covers if f.purpose})
                ),
                says=ANSWERS,
            )
        )

    maori = any(g.maori_data_interest for g in groups)
    engagement = [
        Engagement(
            with_=[*gids, *(p.id for p in providers)],
            about="Co-design of what is collected and shared",
            maori=maori or draw(st.booleans()),
        )
    ]
    return Agreement(
        id="clean",
        title="A clean agreement",
        parties=[o.id for o in orgs],
        service_users=groups,
        holders=orgs,
        purposes=purposes,
        information=information,
        flows=flows,
        explanations=explanations,
        access=[
            dpup.AccessArrangement(
                contact=providers[0].id,
                covers=[o.id for o in orgs],
                copies="People get copies of the records about them, in the versions they need",
                if_not_corrected="They are told why, and a statement of their view is kept with the record",
            )
        ],
        engagement=engagement,
    )


def compatible_ids(purposes: list[Purpose], arrived: str, leaves: str) -> bool:
    """:func:`compatible` over a list of purposes still being built."""
    if arrived == leaves:
        return True
    by_id = {p.id: p for p in purposes}
    return arrived in by_id[leaves].compatible_with
