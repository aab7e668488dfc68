"""Hypothesis strategies that build valid dpup agreements, for this and later work.

``agreements()`` draws an :class:`~dpup.Agreement` of any size that loads: ids unique, every
reference resolving (flows between existing groups and holders, carrying existing information,
explanations covering existing flows, ...). It is *valid*, not *good*: purposes may be
undeclared, answers missing, choices absent, so the check catalogue finds things in it.

The parts are strategies too (``ids``, ``texts``, ``dates``), and ``agreements`` takes
size limits::

    from tests.strategies import agreements

    @given(agreements(max_flows=20))
    def test_something(agreement): ...
"""

import datetime
import string
from typing import Any

from hypothesis import strategies as st

from dpup import (
    CHECKLIST_ITEMS,
    Acceptance,
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

__all__ = ["acceptance_codes", "agreements", "dates", "ids", "texts"]

_MACRONS = "āēīōūĀĒĪŌŪ"
_ID_FIRST = string.ascii_lowercase + string.digits + _MACRONS
_ID_REST = _ID_FIRST + string.ascii_uppercase + "._-:/+"

_WORDS = (
    "Whānau",
    "tamariki",
    "mātua",
    "Ōtautahi",
    "kaupapa Māori",
    "te reo Māori",
    "City Centre Social Services",
    "Parents and caregivers",
    "yes",
    "no",
    "null",
    "2027-06-30",
    "123",
    "1.5",
    "~",
    "- dash",
    "key: value",
    "# not a comment",
    "'quoted'",
    '"double"',
    "line one\nline two",
    "trailing space ",
    " leading space",
    "",
)


def ids() -> st.SearchStrategy[str]:
    """Ids as people choose them: letters (macrons too), digits and ``. _ - : / +``."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_ID_FIRST),
        st.text(alphabet=_ID_REST, max_size=12),
    )


def texts() -> st.SearchStrategy[str]:
    """Any text, with Māori words and strings that YAML likes to read as something else."""
    return st.one_of(st.sampled_from(_WORDS), st.text(max_size=40))


def dates() -> st.SearchStrategy[datetime.date]:
    """Any date a TOML or YAML file can hold (years 1 to 9999)."""
    return st.dates()


def acceptance_codes() -> st.SearchStrategy[str]:
    """Check codes such as ``PM004``."""
    return st.builds(
        lambda family, n: f"{family}{n:03d}",
        st.sampled_from(("PM", "ME", "UH", "SV")),
        st.integers(0, 999),
    )


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


# Built once: hypothesis validates each new strategy object when it is first drawn from.
_TEXT = texts()
_OPT_TEXT = _optional(_TEXT)
_OPT_BOOL = _optional(st.booleans())
_BOOL = st.booleans()
_ID = ids()
_OPT_DATE = _optional(dates())
_CODE = acceptance_codes()
_EXTRA_CARE = _optional(st.sampled_from(("child", "easy-read", "te reo Māori")))
_FREQUENCY = _optional(st.sampled_from(("quarterly", "monthly", "once")) | _TEXT)
_VERSIONS = st.lists(st.sampled_from(("adult", "child", "easy-read")) | _TEXT, max_size=3)
_IDENTIFIABILITY = _optional(st.sampled_from(Identifiability))
_SENSITIVITY = _optional(st.sampled_from(Sensitivity))
_KIND = st.sampled_from((Provider, Agency))


def _pick(draw: st.DrawFn, pool: tuple[str, ...]) -> str:
    return pool[draw(st.integers(0, len(pool) - 1))]


def _subset(draw: st.DrawFn, pool: tuple[str, ...], max_size: int = 4) -> list[str]:
    if not pool:
        return []
    return draw(st.lists(st.sampled_from(pool), max_size=max_size, unique=True))


@st.composite
def agreements(
    draw: st.DrawFn,
    *,
    max_groups: int = 4,
    max_organisations: int = 4,
    max_teams: int = 3,
    max_purposes: int = 4,
    max_information: int = 5,
    max_flows: int = 8,
    max_explanations: int = 3,
    max_access: int = 2,
    max_engagement: int = 2,
    max_accepted: int = 2,
) -> Agreement:
    """A valid agreement, each part up to the given size (any part may be empty)."""
    n_groups = draw(st.integers(0, max_groups))
    n_orgs = draw(st.integers(0, max_organisations))
    teams_per_org = [draw(st.integers(0, max_teams)) for _ in range(n_orgs)]
    n_purposes = draw(st.integers(0, max_purposes))
    n_info = draw(st.integers(0, max_information))
    n_explanations = draw(st.integers(0, max_explanations))
    n_nodes = n_groups + n_orgs + sum(teams_per_org)
    n_flows = draw(st.integers(0, max_flows)) if n_nodes else 0
    total = n_nodes + n_purposes + n_info + n_flows + n_explanations
    pool = iter(draw(st.lists(ids(), min_size=total, max_size=total, unique=True)))

    group_ids = tuple(next(pool) for _ in range(n_groups))
    org_ids = tuple(next(pool) for _ in range(n_orgs))
    team_ids = [tuple(next(pool) for _ in range(n)) for n in teams_per_org]
    purpose_ids = tuple(next(pool) for _ in range(n_purposes))
    info_ids = tuple(next(pool) for _ in range(n_info))
    flow_ids = tuple(next(pool) for _ in range(n_flows))
    explanation_ids = tuple(next(pool) for _ in range(n_explanations))
    holder_ids = org_ids + tuple(t for teams in team_ids for t in teams)
    node_ids = group_ids + holder_ids
    # A purpose named somewhere may be declared or not: that is a finding, not a load error.
    any_purpose = st.sampled_from(purpose_ids) | _ID if purpose_ids else _ID
    purpose_lists = st.lists(any_purpose, max_size=3, unique=True)
    flow_purpose = _optional(any_purpose)

    service_users = [
        ServiceUser(
            id=gid,
            name=draw(_TEXT),
            needs_extra_care=draw(_EXTRA_CARE),
            maori_data_interest=draw(_BOOL),
            description=draw(_OPT_TEXT),
        )
        for gid in group_ids
    ]
    holders = []
    for oid, tids in zip(org_ids, team_ids, strict=True):
        cls = draw(_KIND)
        teams = [
            Team(id=tid, name=draw(_TEXT), purposes=draw(purpose_lists), description=draw(_OPT_TEXT))
            for tid in tids
        ]
        holders.append(cls(id=oid, name=draw(_TEXT), teams=teams, description=draw(_OPT_TEXT)))
    purposes = [
        Purpose(
            id=pid,
            description=draw(_OPT_TEXT),
            benefit=draw(_OPT_TEXT),
            needs_identity=draw(_OPT_BOOL),
            authority=draw(_OPT_TEXT),
            compatible_with=draw(purpose_lists),
        )
        for pid in purpose_ids
    ]
    information = [
        Information(
            id=iid,
            description=draw(_OPT_TEXT),
            about=_subset(draw, group_ids),
            identifiability=draw(_IDENTIFIABILITY),
            sensitivity=draw(_SENSITIVITY),
        )
        for iid in info_ids
    ]
    flows = [
        DataFlow(
            id=fid,
            from_=_pick(draw, node_ids),
            to=_pick(draw, node_ids),
            carries=_subset(draw, info_ids),
            purpose=draw(flow_purpose),
            frequency=draw(_FREQUENCY),
            choice=draw(_OPT_TEXT),
            no_choice_reason=draw(_OPT_TEXT),
            description=draw(_OPT_TEXT),
        )
        for fid in flow_ids
    ]
    explanations = [
        Explanation(
            id=eid,
            for_=_subset(draw, group_ids),
            versions=draw(_VERSIONS),
            covers=_subset(draw, flow_ids, max_size=6),
            names=Names(holders=_subset(draw, holder_ids), purposes=draw(purpose_lists)),
            says=Checklist(**{item: draw(_OPT_TEXT) for item in CHECKLIST_ITEMS}),
            title=draw(_OPT_TEXT),
        )
        for eid in explanation_ids
    ]
    access = (
        [
            AccessArrangement(
                contact=_pick(draw, holder_ids),
                covers=_subset(draw, holder_ids),
                copies=draw(_OPT_TEXT),
                if_not_corrected=draw(_OPT_TEXT),
            )
            for _ in range(draw(st.integers(0, max_access)))
        ]
        if holder_ids
        else []
    )
    engagement = [
        Engagement(with_=_subset(draw, node_ids), about=draw(_OPT_TEXT), maori=draw(_BOOL))
        for _ in range(draw(st.integers(0, max_engagement)))
    ]
    subjects = node_ids + flow_ids
    accepted: list[Acceptance] = []
    for _ in range(draw(st.integers(0, max_accepted))):
        code, subject = draw(_CODE), _pick(draw, subjects) if subjects and draw(_BOOL) else draw(_ID)
        if all((acc.code, acc.subject) != (code, subject) for acc in accepted):  # each finding once
            accepted.append(Acceptance(code=code, subject=subject, reason=draw(_TEXT), by=draw(_TEXT)))
    return Agreement(
        id=draw(_ID),
        title=draw(_TEXT),
        parties=_subset(draw, org_ids),
        review_by=draw(_OPT_DATE),
        service_users=service_users,
        holders=holders,
        purposes=purposes,
        information=information,
        flows=flows,
        explanations=explanations,
        access=access,
        engagement=engagement,
        accepted=accepted,
    )
