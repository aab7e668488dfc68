"""Words for the synthetic sector: portfolios, places, groups, purposes and plain-language texts.

Everything here is invented. Names are built from generic words and New Zealand place names so
that a synthetic agreement reads like a real one without describing any real organisation.
"""

from typing import NamedTuple

from dpup.model import Purpose


class GroupKind(NamedTuple):
    """A kind of service-user group a programme works with."""

    key: str
    name: str
    care: str | None  # the explanation version the group needs, if any


class Portfolio(NamedTuple):
    """What an agency funds: its name, the programme providers deliver, and who it serves."""

    key: str
    agency: str
    programme: str
    groups: tuple[GroupKind, ...]


PORTFOLIOS: tuple[Portfolio, ...] = (
    Portfolio(
        "parenting",
        "Families and Parenting Agency",
        "Positive parenting",
        (GroupKind("parents", "Parents and caregivers", None), GroupKind("children", "Children", "child")),
    ),
    Portfolio(
        "housing",
        "Housing Support Agency",
        "Sustaining tenancies",
        (
            GroupKind("tenants", "Tenants and applicants", None),
            GroupKind("children", "Children in the household", "child"),
        ),
    ),
    Portfolio(
        "youth",
        "Youth Development Agency",
        "Youth transitions",
        (
            GroupKind("young-people", "Young people aged 16 to 24", "youth"),
            GroupKind("whanau", "Whānau of the young people", None),
        ),
    ),
    Portfolio(
        "employment",
        "Employment and Skills Agency",
        "Into work",
        (
            GroupKind("job-seekers", "Job seekers", None),
            GroupKind("partners", "Partners of job seekers", None),
        ),
    ),
    Portfolio(
        "disability",
        "Disability Support Agency",
        "Good lives support",
        (
            GroupKind("disabled-people", "Disabled people", "easy-read"),
            GroupKind("carers", "Family carers", None),
        ),
    ),
    Portfolio(
        "family-violence",
        "Family Violence Prevention Agency",
        "Safe at home",
        (
            GroupKind("adults", "Adults affected by family violence", None),
            GroupKind("children", "Children affected by family violence", "child"),
        ),
    ),
    Portfolio(
        "reintegration",
        "Reintegration Agency",
        "Out of the gate",
        (
            GroupKind("people", "People leaving prison", None),
            GroupKind("whanau", "Whānau of people leaving prison", None),
        ),
    ),
    Portfolio(
        "wellbeing",
        "Community Wellbeing Agency",
        "Community connectors",
        (
            GroupKind("participants", "Programme participants", None),
            GroupKind("kaumatua", "Kaumātua and older people", "easy-read"),
        ),
    ),
)

REGIONS: tuple[str, ...] = (
    "Northland",
    "Auckland",
    "Waikato",
    "Bay of Plenty",
    "Tairāwhiti",
    "Hawke's Bay",
    "Taranaki",
    "Manawatū-Whanganui",
    "Wellington",
    "Nelson Tasman",
    "Marlborough",
    "West Coast",
    "Canterbury",
    "Otago",
    "Southland",
)

PLACES: tuple[str, ...] = (
    "Kaitaia",
    "Whangārei",
    "Dargaville",
    "Warkworth",
    "Manukau",
    "Waitākere",
    "Papakura",
    "Thames",
    "Hamilton",
    "Huntly",
    "Te Awamutu",
    "Tokoroa",
    "Tauranga",
    "Rotorua",
    "Whakatāne",
    "Ōpōtiki",
    "Gisborne",
    "Wairoa",
    "Napier",
    "Hastings",
    "New Plymouth",
    "Hāwera",
    "Whanganui",
    "Palmerston North",
    "Levin",
    "Masterton",
    "Porirua",
    "Lower Hutt",
    "Wellington",
    "Nelson",
    "Blenheim",
    "Greymouth",
    "Christchurch",
    "Ashburton",
    "Timaru",
    "Ōamaru",
    "Dunedin",
    "Alexandra",
    "Gore",
    "Invercargill",
)

PROVIDER_KINDS: tuple[str, ...] = (
    "Community Trust",
    "Family Centre",
    "Social Services",
    "Support Network",
    "Youth Trust",
    "Housing Trust",
    "Community Law and Advocacy",
)

MAORI_PROVIDER_KINDS: tuple[str, ...] = (
    "Kaupapa Māori Services",
    "Whānau Ora Collective",
    "Iwi Social Services",
)

CONTRACTORS: tuple[str, ...] = (
    "Insights Ltd",
    "Evaluation Partners",
    "Outcomes Research Ltd",
    "Data Analytics Aotearoa",
    "Social Research Associates",
    "Impact Measurement Co",
)

INTAKE_ITEMS: tuple[tuple[str, str], ...] = (
    ("record", "Contact details, needs assessment and case notes"),
    ("assessment", "Needs and strengths assessment"),
    ("session-notes", "Notes from sessions with a worker"),
    ("attendance", "Attendance at sessions and appointments"),
    ("goals", "Goals and plans agreed with a worker"),
    ("contact", "Contact details and preferred contact method"),
)

TEAMS: dict[str, tuple[str, str]] = {
    # team key: (team name, the purpose it is set up for)
    "reporting": ("Service delivery reporting team", "service-reporting"),
    "evaluation": ("Evaluation team", "evaluation"),
    "insights": ("Sector insights team", "sector-insights"),
    "case-management": ("Case management team", "care-coordination"),
}

_AUTHORITY = "Privacy Act 2020, IPP 1; the programme contract"

PURPOSES: dict[str, Purpose] = {
    p.id: p
    for p in (
        Purpose(
            id="service-delivery",
            description="Support each person in the programme",
            benefit="People get support that fits their situation",
            needs_identity=True,
            authority=_AUTHORITY + ", service delivery clause",
        ),
        Purpose(
            id="service-reporting",
            description="Report people and sessions served each quarter",
            benefit="Keeps the programme funded and sized to demand",
            needs_identity=False,
            authority="The programme contract, reporting clause",
        ),
        Purpose(
            id="evaluation",
            description="Find out whether the programme improves outcomes",
            benefit="Future participants get a programme shown to work, designed with them",
            needs_identity=False,
            authority="The programme contract, evaluation clause; evaluation plan co-designed with providers",
        ),
        Purpose(
            id="sector-insights",
            description="Combine reports and evaluations across programmes to plan services",
            benefit="Services across the region are planned around what people need",
            needs_identity=False,
            authority="The programme contract, insights clause",
            compatible_with=("service-reporting", "evaluation"),
        ),
        Purpose(
            id="independent-analysis",
            description="Independent analysis of evaluation information by a contracted analyst",
            benefit="Evaluation findings people and providers can trust",
            needs_identity=False,
            authority="The programme contract, evaluation clause; the analyst's contract",
            compatible_with=("evaluation", "sector-insights", "service-reporting"),
        ),
        Purpose(
            id="care-coordination",
            description="Coordinate support with the agency's case managers when a person asks for it",
            benefit="People do not have to tell their story twice and get joined-up support",
            needs_identity=True,
            authority=_AUTHORITY + ", referral clause; the person's agreement to the referral",
        ),
    )
}
"""The sector's purposes: every agreement declares the ones its flows use and the ones its
holders' teams are set up for, identically."""

UNDECLARED_PURPOSE = "analytics"
"""A purpose some faulty agreements use without declaring it."""
