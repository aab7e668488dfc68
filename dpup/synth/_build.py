"""Planning and building the synthetic sector (internal).

The sector is made in three steps:

1. **Plan** the organisations and contracts with one ``random.Random(seed)``: agencies with
   teams, contractors, providers, and for each provider one to three contracts with distinct
   agencies. A contract plan says which groups, intake items and blocks of flows it has; the
   last plan is trimmed so the flows add up to exactly the number asked for.
2. **Assign faults** to plans with a second generator seeded from the seed, so the clean
   structure of a sector is the same whatever the fault rates.
3. **Build** each plan into an :class:`~dpup.Agreement`: flows first, then a fault that
   changes flows, then explanations, purposes, access and engagement computed from the flows
   (so a clean agreement is consistent by construction), then a fault that changes those.
"""

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import attrs

from dpup.model import (
    CHECKLIST_ITEMS,
    AccessArrangement,
    Agency,
    Agreement,
    Checklist,
    DataFlow,
    Engagement,
    Explanation,
    Identifiability,
    Information,
    Names,
    Provider,
    Purpose,
    Sensitivity,
    ServiceUser,
    Team,
)
from dpup.synth import _vocab as v
from dpup.synth._faults import FAULT_KINDS, Fault

__all__ = ["Plan", "assign_faults", "build", "plan_sector"]

IDENTIFYING = Identifiability.IDENTIFYING
DE_IDENTIFIED = Identifiability.DE_IDENTIFIED
AGGREGATE = Identifiability.AGGREGATE


# -- plans ---------------------------------------------------------------------------------


@attrs.define
class GroupPlan:
    key: str
    id: str
    name: str
    care: str | None
    maori: bool
    items: list[str]


@attrs.define
class Plan:
    """One provider-agency contract, before it becomes an agreement."""

    n: int
    id: str
    portfolio: v.Portfolio
    provider: Provider
    agency: Agency
    teams: frozenset[str]
    groups: list[GroupPlan]
    report: bool
    evaluation: bool
    case: bool
    reporting_insights: bool
    evaluation_insights: bool
    contractor: Provider | None
    contractor_from: str
    contractor_results: bool
    split: bool
    review_by: datetime.date
    provider_contracts: int = 1
    fault: str | None = None

    def size(self) -> int:
        """How many flows the clean agreement has."""
        s = sum(len(g.items) for g in self.groups)
        if self.report:
            s += 2 + self.reporting_insights
        if self.evaluation:
            s += 2 + self.evaluation_insights
        if self.case:
            s += 2
        if self.contractor is not None:
            s += 1 + self.contractor_results
        return s

    def trim(self, target: int) -> None:
        """Drop optional flows (then pad intake) until the plan has exactly ``target`` flows."""
        steps: list[Callable[[], None]] = [
            lambda: setattr(self, "contractor_results", False),
            lambda: setattr(self, "contractor", None),
            lambda: setattr(self, "evaluation_insights", False),
            lambda: setattr(self, "reporting_insights", False),
            lambda: setattr(self, "case", False),
            lambda: setattr(self, "evaluation", False),
        ]
        for step in steps:
            if self.size() <= target:
                break
            step()
        while self.size() > target and any(len(g.items) > 1 for g in self.groups):
            max(reversed(self.groups), key=lambda g: len(g.items)).items.pop()
        while self.size() > target and len(self.groups) > 1:
            self.groups.pop()
        if self.size() > target:
            self.report = False
            self.reporting_insights = False
        while self.size() > target:
            self.groups[0].items.pop()
        while self.size() < target:
            g = min(self.groups, key=lambda g: len(g.items))
            g.items.append(v.INTAKE_ITEMS[len(g.items)][0])

    @property
    def has_care(self) -> bool:
        return any(g.care for g in self.groups)

    @property
    def has_maori(self) -> bool:
        return any(g.maori for g in self.groups)


def _agencies(rng: random.Random, count: int) -> list[tuple[Agency, v.Portfolio, frozenset[str]]]:
    out = []
    npf = len(v.PORTFOLIOS)
    for i in range(count):
        portfolio = v.PORTFOLIOS[i % npf]
        name = portfolio.agency
        if count > npf:
            name += f", {v.REGIONS[(i // npf) % len(v.REGIONS)]}"
            if i >= npf * len(v.REGIONS):
                name += f" {i // (npf * len(v.REGIONS)) + 1}"
        keys = ["reporting", "evaluation"]
        if i == 0 or rng.random() < 0.7:
            keys.append("insights")
        if i == 0 or rng.random() < 0.5:
            keys.append("case-management")
        aid = f"agency-{i + 1:03d}"
        teams = [
            Team(id=f"{aid}.{k}", name=v.TEAMS[k][0], purposes=(v.TEAMS[k][1],))
            for k in ("reporting", "evaluation", "insights", "case-management")
            if k in keys
        ]
        out.append((Agency(id=aid, name=name, teams=tuple(teams)), portfolio, frozenset(keys)))
    return out


def _contractors(count: int) -> list[Provider]:
    out = []
    for j in range(count):
        name = v.CONTRACTORS[j % len(v.CONTRACTORS)]
        if j >= len(v.CONTRACTORS):
            name += f" ({j // len(v.CONTRACTORS) + 1})"
        out.append(
            Provider(
                id=f"contractor-{j + 1:02d}",
                name=name,
                description="Analytics contractor engaged for independent evaluation analysis",
            )
        )
    return out


def _weights(n: int) -> list[float]:
    """Cumulative Zipf-like weights: a few large agencies and contractors, many small ones."""
    cum, acc = [], 0.0
    for i in range(n):
        acc += 1.0 / (i + 1) ** 0.8
        cum.append(acc)
    return cum


def plan_sector(rng: random.Random, flows: int, agencies: int, contractors: int) -> list[Plan]:
    """Plan contracts until their flows add up to ``flows`` exactly."""
    agency_list = _agencies(rng, agencies)
    contractor_list = _contractors(contractors)
    agency_cum = _weights(agencies)
    contractor_cum = _weights(contractors)
    plans: list[Plan] = []
    total = 0
    p = 0
    while total < flows:
        p += 1
        maori_provider = rng.random() < 0.2
        kinds = v.MAORI_PROVIDER_KINDS if maori_provider else v.PROVIDER_KINDS
        provider = Provider(id=f"provider-{p:05d}", name=f"{rng.choice(v.PLACES)} {rng.choice(kinds)}")
        k = min(rng.choices((1, 2, 3), weights=(5, 3, 2))[0], agencies)
        chosen: list[int] = []
        while len(chosen) < k:
            a = rng.choices(range(agencies), cum_weights=agency_cum)[0]
            if a not in chosen:
                chosen.append(a)
        mine: list[Plan] = []
        for a in chosen:
            if total >= flows:
                break
            agency, portfolio, teams = agency_list[a]
            plan = _plan_contract(
                rng,
                len(plans) + 1,
                provider,
                agency,
                portfolio,
                teams,
                maori_provider,
                contractor_list,
                contractor_cum,
            )
            if plan.size() > flows - total:
                plan.trim(flows - total)
            total += plan.size()
            plans.append(plan)
            mine.append(plan)
        for plan in mine:
            plan.provider_contracts = len(mine)
    return plans


def _plan_contract(
    rng: random.Random,
    n: int,
    provider: Provider,
    agency: Agency,
    portfolio: v.Portfolio,
    teams: frozenset[str],
    maori_provider: bool,
    contractors: Sequence[Provider],
    contractor_cum: Sequence[float],
) -> Plan:
    cid = f"contract-{n:06d}"
    n_groups = 1 if len(portfolio.groups) == 1 else rng.choices((1, 2), weights=(2, 3))[0]
    maori = maori_provider or rng.random() < 0.1
    groups = []
    for gk in portfolio.groups[:n_groups]:
        n_items = rng.choices((1, 2, 3), weights=(4, 3, 2))[0]
        groups.append(
            GroupPlan(
                key=gk.key,
                id=f"{cid}.{gk.key}",
                name=f"{gk.name} in {portfolio.programme} at {provider.name}",
                care=gk.care,
                maori=maori,
                items=[key for key, _ in v.INTAKE_ITEMS[:n_items]],
            )
        )
    evaluation = rng.random() < 0.8
    evaluation_insights = evaluation and "insights" in teams and rng.random() < 0.5
    contractor = None
    if evaluation and contractors and rng.random() < 0.3:
        contractor = contractors[rng.choices(range(len(contractors)), cum_weights=contractor_cum)[0]]
    return Plan(
        n=n,
        id=cid,
        portfolio=portfolio,
        provider=provider,
        agency=agency,
        teams=teams,
        groups=groups,
        report=True,
        evaluation=evaluation,
        case="case-management" in teams and rng.random() < 0.4,
        reporting_insights="insights" in teams and rng.random() < 0.6,
        evaluation_insights=evaluation_insights,
        contractor=contractor,
        contractor_from="insights" if evaluation_insights and rng.random() < 0.3 else "evaluation",
        contractor_results=rng.random() < 0.7,
        split=n_groups > 1 and rng.random() < 0.3,
        review_by=datetime.date(2027, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365)),
    )


# -- fault assignment ------------------------------------------------------------------------


def eligible(kind: str, plan: Plan) -> bool:
    """Whether a plan offers the opportunity for a fault of this kind."""
    if kind in (
        "undeclared-purpose",
        "team-not-set-up",
        "identifying-not-needed",
        "onward-incompatible",
        "holder-not-party",
        "sends-nothing-back",
        "identifiability-unknown",
        "carries-nothing",
    ):
        return plan.report
    if kind == "about-no-one":
        return plan.evaluation
    if kind == "no-extra-care-version":
        return plan.has_care
    if kind in ("no-access", "no-engagement"):
        # Graph-wide checks see a provider's other contracts: only a provider with one
        # contract can be left without access or engagement everywhere.
        return plan.provider_contracts == 1
    if kind == "no-maori-engagement":
        return plan.has_maori and plan.provider_contracts == 1
    if kind == "holder-not-named":
        # A holder after the provider that collects: the provider itself is named to people
        # by collecting from them (UH001), so a contract that sends nothing on has none.
        return plan.report or plan.evaluation or plan.case or plan.contractor is not None
    return True


def assign_faults(plans: Sequence[Plan], rates: dict[str, float], rng: random.Random) -> None:
    """Give each plan at most one fault, by rate, and each kind with a rate at least one."""
    active = [k for k in FAULT_KINDS if rates[k] > 0]
    if not active:
        return
    for plan in plans:
        kinds = [k for k in active if eligible(k, plan)]
        if not kinds:
            continue
        scale = max(1.0, sum(rates[k] for k in kinds))
        u = rng.random()
        acc = 0.0
        for k in kinds:
            acc += rates[k] / scale
            if u < acc:
                plan.fault = k
                break
    for k in active:
        counts = Counter(p.fault for p in plans)
        if counts[k]:
            continue
        free = [p for p in plans if p.fault is None and eligible(k, p)]
        if not free:
            free = [p for p in plans if p.fault is not None and counts[p.fault] > 1 and eligible(k, p)]
        if free:
            rng.choice(free).fault = k


# -- building --------------------------------------------------------------------------------


@attrs.define
class _Flow:
    id: str
    from_: str
    to: str
    carries: list[str]
    purpose: str | None
    frequency: str
    choice: str | None = None
    no_choice_reason: str | None = None
    description: str | None = None


@attrs.define
class _Exp:
    id: str
    title: str
    for_: list[str]
    versions: list[str]
    covers: list[str]
    holders: list[str]
    purposes: list[str]
    says: dict[str, str | None]


@attrs.define
class _Draft:
    plan: Plan
    holders: list[Provider | Agency]
    parties: list[str]
    items: dict[str, Information]
    flows: list[_Flow]
    explanations: list[_Exp] = attrs.Factory(list)
    purposes: list[Purpose] = attrs.Factory(list)
    access: list[AccessArrangement] = attrs.Factory(list)
    engagement: list[Engagement] = attrs.Factory(list)

    def flow(self, id: str) -> _Flow | None:
        return next((f for f in self.flows if f.id == id), None)

    def about(self, f: _Flow) -> set[str]:
        return {g for i in f.carries for g in self.items[i].about}


_INTAKE = dict(v.INTAKE_ITEMS)
_HIGH = {"record", "assessment", "session-notes"}
_INTAKE_FREQUENCY = {
    "record": "at enrolment",
    "assessment": "at enrolment and each review",
    "session-notes": "each session",
    "attendance": "each session",
    "goals": "each review",
    "contact": "at enrolment",
}
_INTAKE_CHOICE = {
    "record": "People choose which optional questions to answer",
    "session-notes": "People can ask for anything they say in a session to stay between them and their worker",
}


def build(plan: Plan, rng: random.Random) -> tuple[Agreement, Fault | None]:
    """Build one plan into an agreement, injecting its fault if it has one."""
    d = _flows(plan)
    fault: Fault | None = None
    if plan.fault in _PRE:
        fault = _PRE[plan.fault](d, rng)
    _explain(d)
    _declare(d)
    if plan.fault in _POST:
        fault = _POST[plan.fault](d, rng)
    return _freeze(d), fault


def _flows(plan: Plan) -> _Draft:
    P, A = plan.provider.id, plan.agency.id
    reporting, evaluation = f"{A}.reporting", f"{A}.evaluation"
    insights, case = f"{A}.insights", f"{A}.case-management"
    everyone = [g.id for g in plan.groups]
    items: dict[str, Information] = {}
    flows: list[_Flow] = []

    def item(id: str, description: str, about: list[str], ident: Identifiability, sens: Sensitivity) -> None:
        items[id] = Information(
            id=id, description=description, about=tuple(about), identifiability=ident, sensitivity=sens
        )

    for g in plan.groups:
        for key in g.items:
            iid = f"{g.key}-{key}"
            sens = Sensitivity.HIGH if key in _HIGH else Sensitivity.MEDIUM
            item(iid, f"{_INTAKE[key]} ({g.key})", [g.id], IDENTIFYING, sens)
            flows.append(
                _Flow(
                    id=f"intake-{g.key}-{key}",
                    from_=g.id,
                    to=P,
                    carries=[iid],
                    purpose="service-delivery",
                    frequency=_INTAKE_FREQUENCY[key],
                    choice=_INTAKE_CHOICE.get(
                        key, "People choose what to share and can ask for it to be removed"
                    ),
                )
            )
    if plan.report:
        item(
            "quarterly-counts",
            "Numbers of people, sessions and completions",
            everyone,
            AGGREGATE,
            Sensitivity.LOW,
        )
        item(
            "performance-feedback",
            "How the programme compares with others, and what the agency changed because of the reports",
            everyone,
            AGGREGATE,
            Sensitivity.LOW,
        )
        flows.append(
            _Flow(
                "quarterly-report",
                P,
                reporting,
                ["quarterly-counts"],
                "service-reporting",
                "quarterly",
                no_choice_reason="Counts identify no one and the contract requires them",
            )
        )
        flows.append(
            _Flow(
                "feedback-to-provider",
                reporting,
                P,
                ["performance-feedback"],
                "service-reporting",
                "quarterly",
                no_choice_reason="Feedback to the provider identifies no one",
            )
        )
        if plan.reporting_insights:
            flows.append(
                _Flow(
                    "reporting-to-insights",
                    reporting,
                    insights,
                    ["quarterly-counts"],
                    "sector-insights",
                    "quarterly",
                    no_choice_reason="Counts identify no one; people are told how they inform regional planning",
                )
            )
    if plan.evaluation:
        item(
            "outcome-survey",
            "Before-and-after survey answers with names and contact details removed",
            everyone,
            DE_IDENTIFIED,
            Sensitivity.HIGH,
        )
        item(
            "programme-findings",
            "Evaluation findings and the decisions they informed",
            everyone,
            AGGREGATE,
            Sensitivity.LOW,
        )
        flows.append(
            _Flow(
                "evaluation-data",
                P,
                evaluation,
                ["outcome-survey"],
                "evaluation",
                "six-monthly",
                choice="People can leave the outcome survey out without affecting their support",
            )
        )
        flows.append(
            _Flow(
                "findings-back",
                evaluation,
                P,
                ["programme-findings"],
                "evaluation",
                "yearly",
                no_choice_reason="Findings identify no one and are shared back with everyone in the programme",
            )
        )
        if plan.evaluation_insights:
            flows.append(
                _Flow(
                    "evaluation-to-insights",
                    evaluation,
                    insights,
                    ["outcome-survey"],
                    "sector-insights",
                    "yearly",
                    choice="People who leave the survey out are in no insight work either",
                )
            )
    if plan.case:
        first = plan.groups[0]
        item(
            "referral",
            "Referral to the agency's case managers, with the person's agreement",
            [first.id],
            IDENTIFYING,
            Sensitivity.HIGH,
        )
        item(
            "case-plan",
            "The joined-up support plan agreed with the case manager",
            [first.id],
            IDENTIFYING,
            Sensitivity.HIGH,
        )
        flows.append(
            _Flow(
                "case-referral",
                P,
                case,
                ["referral"],
                "care-coordination",
                "when a person asks for a referral",
                choice="A referral is made only when the person asks for one, and they choose what is passed on",
            )
        )
        flows.append(
            _Flow(
                "case-plan-back",
                case,
                P,
                ["case-plan"],
                "care-coordination",
                "after each case review",
                choice="The person decides with their worker whether the plan is shared",
            )
        )
    holders: list[Provider | Agency] = [plan.provider, plan.agency]
    parties = [P, A]
    if plan.contractor is not None:
        K = plan.contractor.id
        holders.append(plan.contractor)
        parties.append(K)
        source = insights if plan.contractor_from == "insights" else evaluation
        source_purpose = "sector-insights" if plan.contractor_from == "insights" else "evaluation"
        flows.append(
            _Flow(
                "to-contractor",
                source,
                K,
                ["outcome-survey"],
                "independent-analysis",
                "yearly",
                choice="People who leave the survey out are in no analysis either",
            )
        )
        if plan.contractor_results:
            item(
                "analysis-results",
                "The contractor's analysis and findings",
                everyone,
                AGGREGATE,
                Sensitivity.LOW,
            )
            flows.append(
                _Flow(
                    "contractor-results",
                    K,
                    source,
                    ["analysis-results"],
                    source_purpose,
                    "yearly",
                    no_choice_reason="Results identify no one",
                )
            )
    return _Draft(plan=plan, holders=holders, parties=parties, items=items, flows=flows)


def _explain(d: _Draft) -> None:
    plan = d.plan
    group_ids = {g.id for g in plan.groups}
    sets = [[g] for g in plan.groups] if plan.split else [plan.groups]
    for groups in sets:
        ids = {g.id for g in groups}
        covered = [f for f in d.flows if d.about(f) & ids]
        holders = list(dict.fromkeys(f.to for f in covered if f.to not in group_ids))
        purposes = list(dict.fromkeys(f.purpose for f in covered if f.purpose is not None))
        cares = list(dict.fromkeys(g.care for g in groups if g.care))
        d.explanations.append(
            _Exp(
                id="notice" if len(sets) == 1 else f"notice-{groups[0].key}",
                title=f"What happens to your information in {plan.portfolio.programme}",
                for_=[g.id for g in groups],
                versions=["adult", *cares],
                covers=[f.id for f in covered],
                holders=holders,
                purposes=purposes,
                says=_says(d, holders),
            )
        )


def _names(d: _Draft) -> dict[str, str]:
    out: dict[str, str] = {d.plan.provider.id: d.plan.provider.name}
    for h in d.holders:
        out[h.id] = h.name
        for t in h.teams:
            out[t.id] = f"{h.name}'s {t.name[0].lower()}{t.name[1:]}"
    return out


def _says(d: _Draft, holders: Sequence[str]) -> dict[str, str | None]:
    plan = d.plan
    names = _names(d)
    provider, agency, programme = plan.provider.name, plan.agency.name, plan.portfolio.programme
    others = [names[h] for h in holders if h != plan.provider.id]
    sees = f"Your worker at {provider}" + (f"; also {', '.join(others)}" if others else "")
    outside = [h.name for h in d.holders if h.id not in (plan.provider.id, plan.agency.id)]
    shared = agency + (
        f", and {' and '.join(outside)} for independent analysis without names" if outside else ""
    )
    how = "Your worker uses your record to plan support; the agency gets counts and answers without names"
    if plan.case:
        how += ", and its case managers get what they need to coordinate support only when you ask for a referral"
    return {
        "what": f"Your contact details, what you need from {provider} and notes from sessions"
        + (", and survey answers if you choose to give them" if plan.evaluation else ""),
        "why": f"So {provider} can support you and report to {agency} how many people {programme} helps"
        + (", and to learn whether it works" if plan.evaluation else ""),
        "how_used": how,
        "benefit": "Support that fits your situation, and a better programme for the people after you",
        "linking": "Your information is not linked with anything else about you",
        "not_used_for": "It is never used to decide benefits, housing or any other entitlement",
        "who_sees": sees,
        "shared_with": f"{shared}, for the reasons above and nothing else",
        "laws": f"The Privacy Act 2020 and the {programme} contract between {provider} and {agency}",
        "access_and_correction": f"You can see and get a copy of anything held about you and ask for it to be "
        f"corrected; ask {provider} and they will get what {agency} holds too",
        "if_not_corrected": "If it is not changed, you are told why and your view is kept with the record",
        "choices": "You choose which optional questions to answer"
        + (" and whether to take part in the survey" if plan.evaluation else ""),
        "no_choice_why": f"Counts and findings go to {agency} whatever you choose, because they identify no one",
        "involvement": (
            "People in the programme help plan the evaluation and are invited to discuss the results"
            if plan.evaluation
            else f"People in the programme help design it and review what is reported to {agency}"
        ),
    }


def _declare(d: _Draft) -> None:
    plan = d.plan
    used = [f.purpose for f in d.flows if f.purpose in v.PURPOSES]
    # and the purposes its holders' teams are set up for, so that the agreement says what each
    # of them is (PM012), though the agency is declared alike, teams and all, in every contract
    used += [p for h in d.holders for t in h.teams for p in t.purposes]
    declared: dict[str, Purpose] = {}
    todo = list(dict.fromkeys(p for p in used if p is not None))
    while todo:
        pid = todo.pop(0)
        if pid in declared or pid not in v.PURPOSES:
            continue
        declared[pid] = v.PURPOSES[pid]
        todo.extend(declared[pid].compatible_with)
    d.purposes = list(declared.values())
    P = plan.provider.id
    care = " in adult and child versions" if any(g.care == "child" for g in plan.groups) else ""
    d.access = [
        AccessArrangement(
            contact=P,
            covers=tuple(h.id for h in d.holders),
            copies=f"People get copies of records about them{care}",
            if_not_corrected="The record keeps a statement of the person's view",
        )
    ]
    groups = [g.id for g in plan.groups]
    d.engagement = [
        Engagement(
            with_=(P, *groups),
            about=f"Co-design of what is collected, why, and what is reported to {plan.agency.name}",
        )
    ]
    if plan.evaluation:
        d.engagement.append(
            Engagement(
                with_=(P, *groups),
                about="Evaluation workshops to analyse the information and report findings",
            )
        )
    maori = [g.id for g in plan.groups if g.maori]
    if maori:
        d.engagement.append(
            Engagement(
                with_=(P, *maori),
                about="Partnership with local iwi and hapū on how information about whānau is collected, "
                "used and reported",
                maori=True,
            )
        )


def _freeze(d: _Draft) -> Agreement:
    plan = d.plan
    service_users = [
        ServiceUser(id=g.id, name=g.name, needs_extra_care=g.care, maori_data_interest=g.maori)
        for g in plan.groups
    ]
    flows = [
        DataFlow(
            id=f.id,
            from_=f.from_,
            to=f.to,
            carries=tuple(f.carries),
            purpose=f.purpose,
            frequency=f.frequency,
            choice=f.choice,
            no_choice_reason=f.no_choice_reason,
            description=f.description,
        )
        for f in d.flows
    ]
    explanations = [
        Explanation(
            id=e.id,
            title=e.title,
            for_=tuple(e.for_),
            versions=tuple(e.versions),
            covers=tuple(e.covers),
            names=Names(holders=tuple(e.holders), purposes=tuple(e.purposes)),
            says=Checklist(**e.says),
        )
        for e in d.explanations
    ]
    return Agreement(
        id=plan.id,
        title=f"{plan.portfolio.programme}: {plan.provider.name} and {plan.agency.name}",
        parties=tuple(d.parties),
        review_by=plan.review_by,
        service_users=tuple(service_users),
        holders=tuple(d.holders),
        purposes=tuple(d.purposes),
        information=tuple(d.items.values()),
        flows=tuple(flows),
        explanations=tuple(explanations),
        access=tuple(d.access),
        engagement=tuple(d.engagement),
    )


# -- faults ------------------------------------------------------------------------------------


def _fault(d: _Draft, kind: str, subjects: Iterable[str], description: str) -> Fault:
    return Fault(
        kind=kind,
        family=FAULT_KINDS[kind],
        agreement=d.plan.id,
        subjects=tuple(subjects),
        description=description,
    )


def _no_purpose(d: _Draft, rng: random.Random) -> Fault:
    f = rng.choice([f for f in d.flows if f.id.startswith("intake-")])
    f.purpose = None
    return _fault(d, "no-purpose", [f.id], f"flow {f.id!r} says no purpose")


def _undeclared_purpose(d: _Draft, rng: random.Random) -> Fault:
    f = d.flow("to-contractor") or d.flow("findings-back") or d.flow("feedback-to-provider")
    assert f is not None
    f.purpose = v.UNDECLARED_PURPOSE
    return _fault(
        d,
        "undeclared-purpose",
        [f.id, v.UNDECLARED_PURPOSE],
        f"flow {f.id!r} is for {v.UNDECLARED_PURPOSE!r}, a purpose the agreement never declares",
    )


def _team_not_set_up(d: _Draft, rng: random.Random) -> Fault:
    P, A = d.plan.provider.id, d.plan.agency.id
    if d.plan.evaluation:
        f = _Flow(
            "outcomes-report",
            P,
            f"{A}.reporting",
            ["outcome-survey"],
            "evaluation",
            "quarterly",
            choice="People can leave the outcome survey out",
        )
    else:
        f = _Flow(
            "counts-to-evaluation",
            P,
            f"{A}.evaluation",
            ["quarterly-counts"],
            "service-reporting",
            "quarterly",
            no_choice_reason="Counts identify no one",
        )
    d.flows.append(f)
    return _fault(
        d,
        "team-not-set-up",
        [f.id, f.to],
        f"flow {f.id!r} goes to {f.to!r}, a team not set up for {f.purpose!r}",
    )


def _identifying_not_needed(d: _Draft, rng: random.Random) -> Fault:
    f = d.flow("quarterly-report")
    assert f is not None
    record = f"{d.plan.groups[0].key}-record"
    f.carries.append(record)
    return _fault(
        d,
        "identifying-not-needed",
        [f.id, record],
        f"flow {f.id!r} carries identifying {record!r} for service-reporting, which does not need identity",
    )


def _onward_incompatible(d: _Draft, rng: random.Random) -> Fault:
    A = d.plan.agency.id
    if d.flow("reporting-to-insights") is not None and "case-management" in d.plan.teams:
        f = _Flow(
            "insights-to-case-management",
            f"{A}.insights",
            f"{A}.case-management",
            ["quarterly-counts"],
            "care-coordination",
            "quarterly",
            no_choice_reason="Counts identify no one",
        )
    else:
        f = _Flow(
            "reporting-to-evaluation",
            f"{A}.reporting",
            f"{A}.evaluation",
            ["quarterly-counts"],
            "evaluation",
            "quarterly",
            no_choice_reason="Counts identify no one",
        )
    d.flows.append(f)
    return _fault(
        d,
        "onward-incompatible",
        [f.id, f.from_],
        f"flow {f.id!r} takes quarterly-counts on from {f.from_!r} for {f.purpose!r}, "
        "which is not declared compatible with the purpose it arrived for",
    )


def _holder_not_party(d: _Draft, rng: random.Random) -> Fault:
    A = d.plan.agency.id
    sub = Provider(
        id=f"subcontractor-{d.plan.n:06d}",
        name=f"{rng.choice(v.PLACES)} Data Services",
        description="Subcontracted analysts",
    )
    d.holders.append(sub)
    if d.plan.evaluation:
        f = _Flow(
            "to-subcontractor",
            f"{A}.evaluation",
            sub.id,
            ["outcome-survey"],
            "independent-analysis",
            "yearly",
            choice="People who leave the survey out are in no analysis either",
        )
    else:
        f = _Flow(
            "to-subcontractor",
            f"{A}.reporting",
            sub.id,
            ["quarterly-counts"],
            "independent-analysis",
            "yearly",
            no_choice_reason="Counts identify no one",
        )
    d.flows.append(f)
    return _fault(d, "holder-not-party", [sub.id], f"{sub.id!r} receives flow {f.id!r} but is not a party")


def _sends_nothing_back(d: _Draft, rng: random.Random) -> Fault:
    P, A = d.plan.provider.id, d.plan.agency.id
    dropped = [f.id for f in d.flows if f.to == P and (f.from_ == A or f.from_.startswith(A + "."))]
    d.flows = [f for f in d.flows if f.id not in dropped]
    return _fault(
        d, "sends-nothing-back", [A], f"{A!r} receives {P!r}'s information and sends nothing back ({dropped})"
    )


def _no_choice(d: _Draft, rng: random.Random) -> Fault:
    f = rng.choice(d.flows)
    f.choice = f.no_choice_reason = None
    return _fault(d, "no-choice", [f.id], f"flow {f.id!r} offers no choice and gives no reason")


def _identifiability_unknown(d: _Draft, rng: random.Random) -> Fault:
    i = d.items["quarterly-counts"]
    d.items[i.id] = attrs.evolve(i, identifiability=None)
    return _fault(
        d, "identifiability-unknown", [i.id], f"information {i.id!r} does not say how identifying it is"
    )


def _carries_nothing(d: _Draft, rng: random.Random) -> Fault:
    f = d.flow("feedback-to-provider")
    assert f is not None
    f.carries = []
    return _fault(d, "carries-nothing", [f.id], f"flow {f.id!r} does not say what it carries")


def _about_no_one(d: _Draft, rng: random.Random) -> Fault:
    i = d.items["outcome-survey"]
    d.items[i.id] = attrs.evolve(i, about=())
    return _fault(d, "about-no-one", [i.id], f"de-identified {i.id!r} does not say who it is about")


_PRE: dict[str, Callable[[_Draft, random.Random], Fault]] = {
    "no-purpose": _no_purpose,
    "undeclared-purpose": _undeclared_purpose,
    "team-not-set-up": _team_not_set_up,
    "identifying-not-needed": _identifying_not_needed,
    "onward-incompatible": _onward_incompatible,
    "holder-not-party": _holder_not_party,
    "sends-nothing-back": _sends_nothing_back,
    "no-choice": _no_choice,
    "identifiability-unknown": _identifiability_unknown,
    "carries-nothing": _carries_nothing,
    "about-no-one": _about_no_one,
}


def _purpose_unjustified(d: _Draft, rng: random.Random) -> Fault:
    i = rng.randrange(len(d.purposes))
    p = d.purposes[i]
    field = rng.choice(("benefit", "authority"))
    if field == "benefit":
        d.purposes[i] = attrs.evolve(p, benefit=None)
    else:
        d.purposes[i] = attrs.evolve(p, authority=None)
    return _fault(d, "purpose-unjustified", [p.id], f"purpose {p.id!r} states no {field}")


def _identity_need_unknown(d: _Draft, rng: random.Random) -> Fault:
    i = rng.randrange(len(d.purposes))
    p = d.purposes[i]
    d.purposes[i] = attrs.evolve(p, needs_identity=None)
    return _fault(
        d, "identity-need-unknown", [p.id], f"purpose {p.id!r} does not say whether it needs identity"
    )


def _flow_not_covered(d: _Draft, rng: random.Random) -> Fault:
    later = [f for f in d.flows if not f.id.startswith("intake-")]
    f = rng.choice(later or d.flows)
    for e in d.explanations:
        if f.id in e.covers:
            e.covers.remove(f.id)
    return _fault(d, "flow-not-covered", [f.id], f"no explanation covers flow {f.id!r}")


def _checklist_gaps(d: _Draft, rng: random.Random) -> Fault:
    e = rng.choice(d.explanations)
    # "If they don't have a choice, why" is owed only where a flow covered offers no choice.
    no_choice = any(f.no_choice_reason and not f.choice for f in d.flows if f.id in e.covers)
    items = [i for i in CHECKLIST_ITEMS if no_choice or i != "no_choice_why"]
    missing = [items[i] for i in sorted(rng.sample(range(len(items)), rng.randint(1, 4)))]
    for item in missing:
        e.says[item] = None
    return _fault(d, "checklist-gaps", [e.id], f"explanation {e.id!r} leaves out {', '.join(missing)}")


def _purpose_not_named(d: _Draft, rng: random.Random) -> Fault:
    e = rng.choice(d.explanations)
    p = rng.choice(e.purposes)
    e.purposes.remove(p)
    return _fault(d, "purpose-not-named", [e.id, p], f"explanation {e.id!r} does not name purpose {p!r}")


def _no_extra_care_version(d: _Draft, rng: random.Random) -> Fault:
    g = next(g for g in d.plan.groups if g.care)
    assert g.care is not None
    for e in d.explanations:
        if g.id in e.for_ and g.care in e.versions:
            e.versions.remove(g.care)
    return _fault(
        d, "no-extra-care-version", [g.id], f"{g.id!r} needs a {g.care!r} version and no explanation has one"
    )


def _holder_not_named(d: _Draft, rng: random.Random) -> Fault:
    P = d.plan.provider.id
    named = list(dict.fromkeys(h for e in d.explanations for h in e.holders))
    h = rng.choice([h for h in named if h != P] or named)
    groups: list[str] = []
    for e in d.explanations:
        if h in e.holders:
            e.holders.remove(h)
            groups.extend(e.for_)
    return _fault(
        d, "holder-not-named", [h, *groups], f"{h!r} holds people's information and no explanation names it"
    )


def _no_access(d: _Draft, rng: random.Random) -> Fault:
    d.access = []
    holders = list(
        dict.fromkeys(
            f.to for f in d.flows if any(d.items[i].identifiability is IDENTIFYING for i in f.carries)
        )
    )
    return _fault(d, "no-access", holders, "no access and correction arrangement at all")


def _correction_refusal_unstated(d: _Draft, rng: random.Random) -> Fault:
    d.access = [attrs.evolve(acc, if_not_corrected=None) for acc in d.access]
    contacts = [acc.contact for acc in d.access]
    return _fault(
        d,
        "correction-refusal-unstated",
        contacts,
        "the access arrangement does not say what happens when a correction is refused",
    )


def _copies_not_offered(d: _Draft, rng: random.Random) -> Fault:
    d.access = [attrs.evolve(acc, copies=None) for acc in d.access]
    contacts = [acc.contact for acc in d.access]
    return _fault(d, "copies-not-offered", contacts, "the access arrangement says nothing of copies")


def _no_engagement(d: _Draft, rng: random.Random) -> Fault:
    d.engagement = []
    sensitive = [i.id for i in d.items.values() if i.sensitivity is Sensitivity.HIGH]
    return _fault(d, "no-engagement", sensitive, "no engagement recorded with people or the provider")


def _engagement_not_described(d: _Draft, rng: random.Random) -> Fault:
    d.engagement = [attrs.evolve(e, about=None) for e in d.engagement]
    return _fault(
        d,
        "engagement-not-described",
        [d.plan.id],
        "the engagement records do not say what the engagement was about",
    )


def _no_maori_engagement(d: _Draft, rng: random.Random) -> Fault:
    d.engagement = [e for e in d.engagement if not e.maori]
    groups = [g.id for g in d.plan.groups if g.maori]
    about = [i.id for i in d.items.values() if set(i.about) & set(groups)]
    return _fault(
        d,
        "no-maori-engagement",
        [*groups, *about],
        "information about Māori with no Māori engagement recorded",
    )


_POST: dict[str, Callable[[_Draft, random.Random], Fault]] = {
    "purpose-unjustified": _purpose_unjustified,
    "identity-need-unknown": _identity_need_unknown,
    "flow-not-covered": _flow_not_covered,
    "checklist-gaps": _checklist_gaps,
    "purpose-not-named": _purpose_not_named,
    "no-extra-care-version": _no_extra_care_version,
    "holder-not-named": _holder_not_named,
    "no-access": _no_access,
    "correction-refusal-unstated": _correction_refusal_unstated,
    "copies-not-offered": _copies_not_offered,
    "no-engagement": _no_engagement,
    "no-maori-engagement": _no_maori_engagement,
    "engagement-not-described": _engagement_not_described,
}

assert set(_PRE) | set(_POST) == set(FAULT_KINDS)
