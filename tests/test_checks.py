"""Every check in the catalogue, through the whole path: YAML text -> dpup.loads -> dpup.check.

Each case is one minimal edit of ``tests/checkcases/base.yaml``, a small agreement in which
dpup finds nothing. A *fire* case lists every finding the edit must produce (the check under
test first, then anything the edit inevitably triggers as well); a *near miss* is the closest
edit that must produce no open finding at all. A meta-test makes sure every code in
``dpup.catalogue()`` has both, so a new check without tests fails the suite.

Edits are YAML patches merged into the base: mappings merge key by key (``null`` deletes a
key), lists of mappings with ``id`` merge item by item (``_delete: true`` removes one, a new
id is appended), any other list is replaced whole.
"""

import copy
import io
import json
import os
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import attrs
import networkx as nx
import pytest
import yaml

import dpup
from dpup.checks._registry import CATALOGUE as REGISTRY
from dpup.checks._registry import Seed, register
from dpup.cli import EXIT_FINDINGS, EXIT_OK, main

HERE = Path(__file__).parent
BASE_TEXT = (HERE / "checkcases" / "base.yaml").read_text(encoding="utf-8")
BASE = yaml.safe_load(BASE_TEXT)
CHECKS = {c.code: c for c in dpup.catalogue()}

Patch = str | Callable[[dict[str, Any]], None]
Triple = tuple[str, str, tuple[str, ...]]


# -- building agreements from patches ------------------------------------------------------


def merge(base: Any, patch: Any) -> Any:
    """Merge a YAML patch into loaded YAML (see the module docstring for the rules)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v)
            else:
                out[k] = v
        return out
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and base
        and patch
        and all(isinstance(x, dict) and "id" in x for x in [*base, *patch])
    ):
        items = {x["id"]: x for x in base}
        for p in patch:
            if p.get("_delete"):
                del items[p["id"]]
            elif p["id"] in items:
                items[p["id"]] = merge(items[p["id"]], p)
            else:
                items[p["id"]] = p
        return list(items.values())
    return patch


def patched(*patches: Patch) -> str:
    """The base agreement with the patches applied, as YAML text."""
    data = copy.deepcopy(BASE)
    for patch in patches:
        if callable(patch):
            patch(data)
        elif patch.strip():
            data = merge(data, yaml.safe_load(textwrap.dedent(patch)))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def load(*patches: Patch) -> dpup.Agreement:
    return dpup.loads(patched(*patches))


def run(*patches: Patch, graph_edit: Callable[[Any], None] | None = None) -> dpup.Report:
    agreement = load(*patches)
    if graph_edit is None:
        return dpup.check(agreement)
    G = agreement.graph()
    graph_edit(G)
    return dpup.check(G)


def triples(findings: Iterable[dpup.Finding]) -> set[Triple]:
    return {(f.code, f.subject, f.related) for f in findings}


def codes(findings: Iterable[dpup.Finding]) -> set[str]:
    return {f.code for f in findings}


# -- patches used by several cases ---------------------------------------------------------


def split_notice(data: dict[str, Any]) -> None:
    """One explanation for parents and one for kids, both covering every flow."""
    notice = data["explanations"][0]
    kids = copy.deepcopy(notice)
    notice["for"] = ["parents"]
    notice["versions"] = ["adult"]
    kids["id"] = "notice-kids"
    kids["for"] = ["kids"]
    data["explanations"].append(kids)


def kids_not_told_of_report(data: dict[str, Any]) -> None:
    data["explanations"][1]["covers"].remove("report")


REP_TO_EVAL = """
flows:
  - id: rep-to-eval
    from: agency.rep
    to: agency.eval
    carries: [counts]
    purpose: evaluation
    no_choice_reason: Counts identify no one
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data, findings-back, rep-to-eval]
"""

SURVEY_ON_TO_REP = """
purposes: [{id: reporting, compatible_with: [evaluation]}]
flows:
  - {id: eval-to-rep, from: agency.eval, to: agency.rep, carries: [survey], purpose: reporting,
     no_choice_reason: Answers identify no one}
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data, findings-back, eval-to-rep]
"""

INSIGHTS = """
holders:
  - id: insights
    kind: provider
    name: Insights Ltd
flows:
  - id: to-insights
    from: agency.eval
    to: insights
    carries: [survey]
    purpose: evaluation
    choice: Families can ask that their answers stay with the agency
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-insights]
    names:
      holders: [prov, agency.rep, agency.eval, insights]
"""

NO_FINDINGS_BACK = """
flows:
  - {id: findings-back, _delete: true}
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data]
"""


PROV_ONLY = (
    "access: [{contact: prov, covers: [prov], copies: Copies in adult and child versions, "
    "if_not_corrected: The record keeps the family's view}]"
)
"""An access arrangement through the provider that covers only what the provider holds, and
says how people get copies and what happens when a correction is refused."""


NO_IF_NOT_CORRECTED = (
    "access: [{contact: prov, covers: [prov, agency], copies: Copies in adult and child versions}]"
)
"""The base's access arrangement, saying nothing of what happens when a correction is refused."""

NO_COPIES = (
    "access: [{contact: prov, covers: [prov, agency], if_not_corrected: The record keeps the family's view}]"
)
"""The base's access arrangement, saying nothing of copies."""

SURVEY_IDENTIFIES = (
    "information: [{id: survey, identifiability: identifying}]",
    "purposes: [{id: evaluation, needs_identity: true}]",
)
"""The survey answers identify people (and the evaluation needs them to): the evaluation team
holds identifying information."""

AGENCY_ARRANGEMENT = """
access:
  - {contact: prov, covers: [prov], copies: Copies in adult and child versions, if_not_corrected: Kept}
  - {contact: agency, covers: [agency]}
"""
"""A second arrangement, through the agency, for the agency and its teams, saying nothing of
copies or corrections refused."""


def accept(code: str, subject: str) -> str:
    return f"""
    accepted:
      - code: {code}
        subject: {subject}
        reason: Considered by both parties
        by: Contract manager
    """


def audit_edge(
    agreement: str | None,
    *,
    to: str = "agency.eval",
    fid: str = "audit-survey",
    carries: str = "survey",
    purpose: str = "evaluation",
) -> Callable[[Any], None]:
    """Add to the graph a flow seen in an audit that ``agreement`` is said to declare."""

    def edit(G: Any) -> None:
        base = G.graph["agreements"]["base"]
        flow = dpup.DataFlow(id=fid, from_="prov", to=to, carries=[carries], purpose=purpose)
        G.add_edge(
            "prov",
            to,
            key=fid,
            flow=flow,
            agreement=agreement,
            information=(base.info(carries),),
            purpose=base.purpose(purpose),
        )

    return edit


def copy_edge(to: str, key: str) -> Callable[[Any], None]:
    """Copy the declared flow eval-data's edge, attributes and all, to ``to`` under ``key``:
    what an analyst does in networkx to record that the survey also goes somewhere else."""

    def edit(G: Any) -> None:
        if to not in G:
            G.add_node(to, kind="provider", name="Leaky Ltd", organisation=to, declared_in=[], party_to=[])
        G.add_edge("prov", to, key=key, **G.edges["prov", "agency.eval", "eval-data"])

    return edit


AUDIT_DECLARED = """
flows:
  - id: audit-survey
    from: prov
    to: agency.eval
    carries: [survey]
    purpose: evaluation
    choice: Families can leave the survey out
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data, findings-back, audit-survey]
"""


TALLY = """
information:
  - {id: tally, description: How many families gave, about: [], identifiability: aggregate}
purposes:
  - {id: fundraising, description: Ask families to give, benefit: Funds the programme,
     needs_identity: false, authority: Programme agreement clause 9}
flows:
  - {id: findings-back, carries: [findings, tally]}
  - {id: appeal, from: prov, to: parents, carries: [tally], purpose: fundraising, choice: c}
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data, findings-back, appeal]
    names: {purposes: [delivery, reporting, evaluation, fundraising]}
"""
"""A tally that names no group it is about reaches the provider for evaluation, and the provider
gives it to the parents for fundraising."""


# -- the cases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fire:
    code: str
    why: str
    patches: tuple[Patch, ...]
    findings: tuple[Triple, ...]
    """Every finding the edit produces; the first is the one the case is about."""
    mentions: tuple[str, ...]
    path: tuple[str, ...] | None = None
    graph_edit: Callable[[Any], None] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.code}-{self.why}"


@dataclass(frozen=True)
class Near:
    code: str
    why: str
    patches: tuple[Patch, ...]
    accepted: tuple[tuple[str, str], ...] = ()
    """(code, subject) of findings expected, all accepted."""
    graph_edit: Callable[[Any], None] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.code}-{self.why}"


SURVEY_CARD = """
explanations:
  - {id: notice, covers: [intake-parents, intake-kids, report, findings-back]}
  - id: survey-card
    title: Survey card
    for: [parents, kids]
    versions: [adult]
    covers: [eval-data]
    names: {holders: [prov, agency.eval], purposes: [evaluation]}
    says: {what: a, why: b, how_used: c, benefit: d, linking: e, not_used_for: f, who_sees: g,
           shared_with: h, laws: i, access_and_correction: j, if_not_corrected: k, choices: l,
           no_choice_why: n, involvement: m}
"""
"""A second explanation, in an adult version only, takes over the survey flow from the notice."""


FIRES: list[Fire] = [
    # -- purpose mismatches ----------------------------------------------------------------
    Fire(
        "PM001",
        "flow-without-purpose",
        ("flows: [{id: report, purpose: null}]",),
        (("PM001", "report", ("counts",)),),
        ("report", "prov", "agency.rep", "no purpose"),
    ),
    # An onward flow with no purpose is PM001's alone: PM005 cannot judge a flow with no purpose.
    Fire(
        "PM001",
        "onward-flow-without-purpose",
        (
            """
            flows:
              - {id: eval-to-rep, from: agency.eval, to: agency.rep, carries: [survey], no_choice_reason: n}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, eval-to-rep]
            """,
        ),
        (("PM001", "eval-to-rep", ("survey",)),),
        ("eval-to-rep", "agency.eval", "no purpose"),
    ),
    # Information that arrived for no purpose clashes with nothing when it goes on for one.
    Fire(
        "PM001",
        "arrived-without-purpose-then-taken-on",
        (
            """
            flows:
              - {id: survey-in, from: parents, to: prov, carries: [survey], choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, survey-in]
            """,
        ),
        (("PM001", "survey-in", ("survey",)),),
        ("survey-in", "no purpose"),
    ),
    Fire(
        "PM002",
        "purpose-never-declared",
        (
            """
            flows: [{id: findings-back, purpose: analytics}]
            explanations:
              - id: notice
                names: {purposes: [delivery, reporting, evaluation, analytics]}
            """,
        ),
        (("PM002", "findings-back", ("analytics",)),),
        ("findings-back", "analytics", "base"),
    ),
    Fire(
        "PM002",
        "purpose-never-declared-nor-explained",
        ("flows: [{id: findings-back, purpose: analytics}]",),
        (("PM002", "findings-back", ("analytics",)), ("ME003", "notice", ("analytics",))),
        ("findings-back", "analytics"),
    ),
    Fire(
        "PM003",
        "evaluation-to-reporting-team",
        ("flows: [{id: eval-data, to: agency.rep}]",),
        (("PM003", "eval-data", ("agency.rep", "evaluation")),),
        ("eval-data", "agency.rep", "evaluation", "reporting"),
    ),
    Fire(
        "PM004",
        "identifying-for-purpose-without-identity",
        ("information: [{id: survey, identifiability: identifying}]",),
        (("PM004", "eval-data", ("survey", "evaluation")),),
        ("eval-data", "survey", "evaluation", "identif"),
    ),
    Fire(
        "PM005",
        "onward-use-not-declared-compatible",
        (REP_TO_EVAL,),
        (("PM005", "rep-to-eval", ("counts", "reporting")),),
        ("counts", "agency.rep", "rep-to-eval", "reporting", "evaluation"),
        path=("prov", "agency.rep", "agency.eval"),
    ),
    # Two clashing arrival purposes, arriving reporting first: related lists them sorted.
    Fire(
        "PM005",
        "two-clashing-arrivals",
        (
            """
            holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, delivery]}]}]
            flows:
              - {id: s-rep, from: prov, to: agency.rep, carries: [survey], purpose: reporting, choice: c}
              - {id: s-del, from: prov, to: agency.rep, carries: [survey], purpose: delivery, choice: c}
              - {id: s-on, from: agency.rep, to: agency.eval, carries: [survey], purpose: evaluation, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, s-rep, s-del, s-on]
            """,
        ),
        (("PM005", "s-on", ("survey", "delivery", "reporting")),),
        ("'delivery' and 'reporting'", "s-on", "evaluation"),
        path=("prov", "agency.rep", "agency.eval"),
    ),
    # What reached a team, its organisation sends on: the organisation holds it too.
    Fire(
        "PM005",
        "sent-on-from-the-organisation-of-the-team-it-reached",
        (
            """
            flows:
              - {id: agency-on, from: agency, to: agency.rep, carries: [survey], purpose: reporting, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, agency-on]
            """,
        ),
        (("PM005", "agency-on", ("survey", "evaluation")),),
        ("'survey' reached 'agency.eval' for 'evaluation'", "from 'agency', of the same organisation"),
        path=("prov", "agency.eval", "agency", "agency.rep"),
    ),
    # What reached an organisation, a team of it sends on.
    Fire(
        "PM005",
        "sent-on-from-a-team-of-the-organisation-it-reached",
        (
            """
            holders: [{id: prov, teams: [{id: prov.unit, name: Reporting unit, purposes: [reporting]}]}]
            flows:
              - {id: unit-on, from: prov.unit, to: agency.rep, carries: [record], purpose: reporting, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, unit-on]
            """,
        ),
        (
            ("PM005", "unit-on", ("record", "delivery")),
            ("PM004", "unit-on", ("record", "reporting")),
        ),
        ("'record' reached 'prov' for 'delivery'", "from 'prov.unit', of the same organisation"),
        path=("parents", "prov", "prov.unit", "agency.rep"),
    ),
    # Information about others too (the family record is about the children as well) given to
    # one group is judged as any other onward flow: only a group's own information is its copy.
    Fire(
        "PM005",
        "given-back-to-one-of-the-groups-it-is-about",
        (
            """
            purposes:
              - {id: fundraising, description: Ask families to give, benefit: Funds the programme,
                 needs_identity: true, authority: Programme agreement clause 9}
            flows:
              - {id: appeal, from: prov, to: parents, carries: [record], purpose: fundraising, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, appeal]
                names: {purposes: [delivery, reporting, evaluation, fundraising]}
            """,
        ),
        (("PM005", "appeal", ("record", "delivery")),),
        ("'record' reached 'prov' for 'delivery'", "'fundraising'"),
        path=("parents", "prov", "parents"),
    ),
    # Given to people it is not about, information is used for another purpose.
    Fire(
        "PM005",
        "given-to-a-group-it-is-not-about",
        (
            """
            information:
              - {id: kid-notes, description: Notes a child asked to keep, about: [kids], identifiability: identifying}
            purposes:
              - {id: access, description: Give families their records, benefit: Families see what is held,
                 needs_identity: true, authority: Privacy Act 2020 IPP 6}
            flows:
              - {id: intake-kids, carries: [record, kid-notes]}
              - {id: to-parents, from: prov, to: parents, carries: [kid-notes], purpose: access, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-parents]
                names: {purposes: [delivery, reporting, evaluation, access]}
            """,
        ),
        (("PM005", "to-parents", ("kid-notes", "delivery")),),
        ("'kid-notes' reached 'prov' for 'delivery'", "'access'"),
        path=("kids", "prov", "parents"),
    ),
    # Information about no one is no group's own: given to a group for another purpose, it is
    # onward use like any other (a near miss gives the parents a tally about them).
    Fire(
        "PM005",
        "information-about-no-one-given-to-a-group",
        (TALLY,),
        (("PM005", "appeal", ("tally", "evaluation")), ("ME008", "tally", ())),
        ("'tally' reached 'prov' for 'evaluation'", "'fundraising'"),
        path=("agency.eval", "prov", "parents"),
    ),
    Fire(
        "PM006",
        "no-benefit",
        ("purposes: [{id: reporting, benefit: null}]",),
        (("PM006", "reporting", ()),),
        ("reporting", "benefit"),
    ),
    Fire(
        "PM006",
        "blank-benefit",
        ("purposes: [{id: reporting, benefit: '   '}]",),
        (("PM006", "reporting", ()),),
        ("reporting", "benefit"),
    ),
    Fire(
        "PM007",
        "no-authority",
        ("purposes: [{id: reporting, authority: null}]",),
        (("PM007", "reporting", ()),),
        ("reporting", "authority"),
    ),
    Fire(
        "PM007",
        "blank-authority",
        ("purposes: [{id: evaluation, authority: ''}]",),
        (("PM007", "evaluation", ()),),
        ("evaluation", "authority"),
    ),
    # Fail closed: identifying information for a purpose that does not say whether it needs
    # identity cannot be judged by PM004, so the gap itself is the finding.
    Fire(
        "PM008",
        "identity-need-unknown",
        (
            "information: [{id: survey, identifiability: identifying}]",
            "purposes: [{id: evaluation, needs_identity: null}]",
        ),
        (("PM008", "evaluation", ()),),
        ("evaluation", "identif"),
    ),
    Fire(
        "PM009",
        "identifiability-unknown",
        ("information: [{id: survey, identifiability: null}]",),
        (("PM009", "survey", ()),),
        ("survey", "identif"),
    ),
    Fire(
        "PM010",
        "flow-carries-nothing",
        ("flows: [{id: report, carries: []}]",),
        (("PM010", "report", ()),),
        ("report", "carries"),
    ),
    # nothing about people goes into the agency as a whole: PM010 only, not PM011
    Fire(
        "PM010",
        "carries-nothing-into-an-agency-as-a-whole",
        (
            "flows: [{id: eval-data, to: agency, carries: []}]",
            "explanations: [{id: notice, names: {holders: [prov, agency]}}]",
        ),
        (("PM010", "eval-data", ()),),
        ("eval-data", "carries"),
    ),
    Fire(
        "PM011",
        "sent-past-the-team-set-up-for-it",
        (
            "flows: [{id: eval-data, to: agency}]",
            "explanations: [{id: notice, names: {holders: [prov, agency]}}]",
        ),
        (("PM011", "eval-data", ("agency", "agency.eval")),),
        ("eval-data", "agency", "as a whole", "agency.rep"),
    ),
    Fire(
        "PM011",
        "no-team-set-up-for-it",
        (
            "flows: [{id: eval-data, to: agency}]",
            "explanations: [{id: notice, names: {holders: [prov, agency]}}]",
            "holders: [{id: agency, teams: [{id: agency.eval, purposes: [reporting]}]}]",
        ),
        (("PM011", "eval-data", ("agency",)),),
        ("eval-data", "agency", "as a whole"),
    ),
    Fire(
        "PM012",
        "explanation-names-a-purpose-never-declared",
        ("explanations: [{id: notice, names: {purposes: [delivery, reporting, evaluation, research]}}]",),
        (("PM012", "notice", ("research",)),),
        ("explanation 'notice' names purpose 'research'", "'base' does not declare."),
    ),
    # A misspelt compatibility declares nothing: PM005 still fires, and PM012 says why.
    Fire(
        "PM012",
        "compatible-with-a-misspelt-purpose",
        (REP_TO_EVAL, "purposes: [{id: evaluation, compatible_with: [reportng]}]"),
        (("PM012", "evaluation", ("reportng",)), ("PM005", "rep-to-eval", ("counts", "reporting"))),
        ("purpose 'evaluation' is declared compatible with 'reportng'", "did you mean 'reporting'?"),
    ),
    # A misspelt team purpose: PM003 reports the flow, PM012 the misspelling.
    Fire(
        "PM012",
        "team-set-up-for-a-misspelt-purpose",
        ("holders: [{id: agency, teams: [{id: agency.rep, purposes: [reportng]}]}]",),
        (("PM012", "agency.rep", ("reportng",)), ("PM003", "report", ("agency.rep", "reporting"))),
        ("team 'agency.rep' is set up for purpose 'reportng'", "did you mean 'reporting'?"),
    ),
    Fire(
        "PM013",
        "purpose-not-described",
        ("purposes: [{id: reporting, description: null}]",),
        (("PM013", "reporting", ()),),
        ("purpose 'reporting'", "(no `description`)"),
    ),
    Fire(
        "PM013",
        "purpose-described-by-blanks",
        ("purposes: [{id: evaluation, description: '  '}]",),
        (("PM013", "evaluation", ()),),
        ("purpose 'evaluation'", "(a blank `description`)"),
    ),
    Fire(
        "PM013",
        "purpose-described-by-an-empty-string",
        ("purposes: [{id: evaluation, description: ''}]",),
        (("PM013", "evaluation", ()),),
        ("purpose 'evaluation'", "(a blank `description`)"),
    ),
    Fire(
        "PM900",
        "acceptance-of-a-code-no-check-has",
        (accept("PM099", "report"),),
        (("PM900", "report", ("PM099",)),),
        ("PM099", "report"),
    ),
    Fire(
        "PM900",
        "acceptance-matches-nothing",
        (accept("PM006", "nothing-here"),),
        (("PM900", "nothing-here", ("PM006",)),),
        ("PM006", "nothing-here", "Contract manager"),
    ),
    # -- missing explanations --------------------------------------------------------------
    Fire(
        "ME001",
        "flow-not-covered",
        ("explanations: [{id: notice, covers: [intake-parents, intake-kids, eval-data, findings-back]}]",),
        (("ME001", "report", ("kids", "parents")),),
        ("report", "kids", "parents"),
    ),
    Fire(
        "ME001",
        "one-group-not-told",
        (split_notice, kids_not_told_of_report),
        (("ME001", "report", ("kids",)),),
        ("report", "kids"),
    ),
    Fire(
        "ME001",
        "collection-not-explained-to-the-group-giving-it",
        ("explanations: [{id: notice, covers: [intake-parents, report, eval-data, findings-back]}]",),
        (("ME001", "intake-kids", ("kids",)),),
        ("intake-kids", "kids"),
    ),
    Fire(
        "ME002",
        "recipient-not-named",
        ("explanations: [{id: notice, names: {holders: [prov, agency.eval]}}]",),
        (("ME002", "notice", ("agency.rep",)), ("UH001", "agency.rep", ("kids", "parents"))),
        ("notice", "report", "agency.rep"),
    ),
    Fire(
        "ME003",
        "purpose-not-named",
        ("explanations: [{id: notice, names: {purposes: [delivery, evaluation]}}]",),
        (("ME003", "notice", ("reporting",)),),
        ("notice", "report", "reporting"),
    ),
    Fire(
        "ME004",
        "checklist-item-missing",
        ("explanations: [{id: notice, says: {linking: null}}]",),
        (("ME004", "notice", ("linking",)),),
        ("notice", "linking"),
    ),
    Fire(
        "ME004",
        "checklist-items-blank",
        ("explanations: [{id: notice, says: {laws: '  ', why: null}}]",),
        (("ME004", "notice", ("why", "laws")),),
        ("notice", "why", "laws"),
    ),
    Fire(
        "ME004",
        "no-choice-not-explained",
        # report and findings-back offer no choice and say why: the people must be told why.
        ("explanations: [{id: notice, says: {no_choice_why: null}}]",),
        (("ME004", "notice", ("no_choice_why",)),),
        ("notice", "no_choice_why"),
    ),
    Fire(
        "ME005",
        "no-child-version",
        ("explanations: [{id: notice, versions: [adult]}]",),
        (("ME005", "kids", ("child",)),),
        ("kids", "child"),
    ),
    Fire(
        "ME005",
        "no-easy-read-version",
        ("service_users: [{id: kids, needs_extra_care: easy-read}]",),
        (("ME005", "kids", ("easy-read",)),),
        ("kids", "easy-read"),
    ),
    Fire(
        "ME006",
        "no-choice-no-reason",
        ("flows: [{id: report, no_choice_reason: null}]",),
        (("ME006", "report", ()),),
        ("report", "choice"),
    ),
    Fire(
        "ME006",
        "blank-choice",
        ("flows: [{id: eval-data, choice: '  '}]",),
        (("ME006", "eval-data", ()),),
        ("eval-data", "choice"),
    ),
    Fire(
        "ME007",
        "about-no-one",
        ("information: [{id: survey, about: []}]",),
        (("ME007", "survey", ()),),
        ("survey",),
    ),
    # Information that does not say how identifying it is may identify people: ME007, not ME008.
    Fire(
        "ME007",
        "about-no-one-and-identifiability-unknown",
        ("information: [{id: survey, about: [], identifiability: null}]",),
        (("ME007", "survey", ()), ("PM009", "survey", ())),
        ("survey", "which groups"),
    ),
    Fire(
        "ME008",
        "aggregate-about-no-one",
        ("information: [{id: counts, about: []}]",),
        (("ME008", "counts", ()),),
        ("counts", "aggregate"),
    ),
    Fire(
        "ME009",
        "a-flow-explained-to-children-in-an-adult-version-only",
        (SURVEY_CARD,),
        (("ME009", "eval-data", ("kids", "child")),),
        ("eval-data", "kids", "child"),
    ),
    Fire(
        "ME900",
        "acceptance-matches-nothing",
        (accept("ME004", "notice"),),
        (("ME900", "notice", ("ME004",)),),
        ("ME004", "notice", "Contract manager"),
    ),
    # -- untraceable holders ---------------------------------------------------------------
    Fire(
        "UH001",
        "holder-never-named",
        ("explanations: [{id: notice, names: {holders: [prov, agency.rep]}}]",),
        (("UH001", "agency.eval", ("kids", "parents")), ("ME002", "notice", ("agency.eval",))),
        ("agency.eval", "kids", "parents"),
        path=("prov", "agency.eval"),
    ),
    # The path is the route of the first flow written (the survey from the provider), not the
    # counts' later route through the reporting team.
    Fire(
        "UH001",
        "holder-reached-by-two-routes",
        (
            REP_TO_EVAL,
            "purposes: [{id: evaluation, compatible_with: [reporting]}]",
            "explanations: [{id: notice, names: {holders: [prov, agency.rep]}}]",
        ),
        (("UH001", "agency.eval", ("kids", "parents")), ("ME002", "notice", ("agency.eval",))),
        ("agency.eval", "kids", "parents"),
        path=("prov", "agency.eval"),
    ),
    Fire(
        "UH002",
        "holder-not-a-party",
        (INSIGHTS,),
        (("UH002", "insights", ("to-insights",)),),
        ("insights", "to-insights", "party"),
        path=("prov", "agency.eval", "insights"),
    ),
    Fire(
        "UH002",
        "flow-carrying-nothing-to-a-non-party",
        (INSIGHTS, "flows: [{id: to-insights, carries: []}]"),
        (("UH002", "insights", ("to-insights",)), ("PM010", "to-insights", ())),
        ("insights", "to-insights", "party"),
        path=("agency.eval", "insights"),
    ),
    Fire(
        "UH002",
        "two-flows-to-a-non-party",
        (
            INSIGHTS,
            """
            flows:
              - {id: a-extra, from: agency.eval, to: insights, carries: [survey], purpose: evaluation, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-insights, a-extra]
            """,
        ),
        (("UH002", "insights", ("a-extra", "to-insights")),),
        ("insights", "'a-extra' and 'to-insights'", "party"),
        path=("prov", "agency.eval", "insights"),
    ),
    Fire(
        "UH003",
        "provider-not-covered",
        ("access: [{contact: agency, covers: [agency]}]",),
        (("UH003", "prov", ()),),
        ("prov", "identifying", "access"),
    ),
    Fire(
        "UH003",
        "no-access-arrangement-at-all",
        ("access: []",),
        (("UH003", "prov", ()),),
        ("prov", "access"),
    ),
    Fire(
        "UH003",
        "team-holds-identifying-information",
        (
            "information: [{id: survey, identifiability: identifying}]",
            "purposes: [{id: evaluation, needs_identity: true}]",
            PROV_ONLY,
        ),
        (("UH003", "agency", ("agency.eval",)),),
        ("agency", "agency.eval", "access"),
    ),
    # A holder that sends identifying records holds them, though it receives none.
    Fire(
        "UH003",
        "team-only-sends-identifying-information",
        (
            PROV_ONLY,
            """
            flows:
              - {id: rep-records, from: agency.rep, to: prov, carries: [record], purpose: delivery, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, rep-records]
            """,
        ),
        (("UH003", "agency", ("agency.rep",)),),
        ("agency", "agency.rep", "access"),
    ),
    # networkx creates the node of an edge added by hand with no attributes: it is its own
    # organisation.
    Fire(
        "UH003",
        "holder-added-by-hand-without-attributes",
        (),
        (
            ("UH003", "leak", ()),
            ("UH001", "leak", ("kids", "parents")),
            ("UH002", "leak", ("audit",)),
            ("UH004", "audit", ("record",)),
        ),
        ("'leak' holds identifying information",),
        graph_edit=audit_edge(None, to="leak", fid="audit", carries="record", purpose="delivery"),
    ),
    Fire(
        "UH004",
        "flow-of-no-agreement",
        (),
        (("UH004", "audit-survey", ("survey",)),),
        ("audit-survey", "prov", "agency.eval"),
        path=("prov", "agency.eval"),
        graph_edit=audit_edge(None),
    ),
    Fire(
        "UH004",
        "flow-its-agreement-does-not-declare",
        (),
        (("UH004", "audit-survey", ("survey",)),),
        ("audit-survey", "'base', which declares no such flow"),
        graph_edit=audit_edge("base"),
    ),
    Fire(
        "UH004",
        "declared-flow-copied-to-another-holder",
        (),
        (
            ("UH004", "eval-data", ("survey",)),
            ("UH001", "leaky", ("kids", "parents")),
            ("UH002", "leaky", ("eval-data",)),
        ),
        ("eval-data", "prov -> leaky", "'base', which declares it from 'prov' to 'agency.eval'"),
        path=("prov", "leaky"),
        graph_edit=copy_edge("leaky", "eval-data"),
    ),
    Fire(
        "UH004",
        "declared-flow-copied-beside-itself",
        (),
        (("UH004", "eval-data", ("survey",)),),
        (
            "eval-data",
            "prov -> agency.eval",
            "'base', which declares it, but another edge already stands for",
        ),
        graph_edit=copy_edge("agency.eval", "eval-data-again"),
    ),
    Fire(
        "UH005",
        "if-not-corrected-missing",
        (NO_IF_NOT_CORRECTED,),
        (("UH005", "prov", ()),),
        (
            "the access arrangement with contact 'prov' covers identifying information held by 'prov'",
            "does not say what happens when a correction is refused (`if_not_corrected` missing or empty)",
        ),
    ),
    Fire(
        "UH005",
        "if-not-corrected-blank",
        ("access: [{contact: prov, covers: [prov, agency], copies: c, if_not_corrected: ' \t '}]",),
        (("UH005", "prov", ()),),
        ("'prov'", "(a blank `if_not_corrected`)"),
    ),
    # The agency names only itself; its evaluation team holds the identifying survey.
    Fire(
        "UH005",
        "team-covered-through-its-organisation",
        (*SURVEY_IDENTIFIES, AGENCY_ARRANGEMENT.replace("covers: [agency]}", "covers: [agency], copies: c}")),
        (("UH005", "agency", ("agency.eval",)),),
        ("contact 'agency'", "held by 'agency.eval'", "correction is refused"),
    ),
    # What the contact holds is covered, though it is not in `covers`.
    Fire(
        "UH005",
        "the-contact-holds-identifying-information-itself",
        ("access: [{contact: prov, covers: [agency], copies: c}]",),
        (("UH005", "prov", ()),),
        ("contact 'prov'", "held by 'prov',"),
    ),
    Fire(
        "UH005",
        "two-arrangements-with-one-contact",
        (
            *SURVEY_IDENTIFIES,
            """
            access:
              - {contact: prov, covers: [prov], copies: c}
              - {contact: agency, covers: [agency], copies: c, if_not_corrected: k}
              - {contact: prov, covers: [agency.eval], copies: c, if_not_corrected: ' '}
            """,
        ),
        (("UH005", "prov", ("agency.eval",)),),
        (
            "the 2 access arrangements with contact 'prov' (access[0] and access[2]) cover",
            "held by 'prov' and 'agency.eval', but none says",
            "(`if_not_corrected` missing, empty or blank)",
        ),
    ),
    Fire(
        "UH006",
        "copies-missing",
        (NO_COPIES,),
        (("UH006", "prov", ()),),
        (
            "the access arrangement with contact 'prov' covers identifying information held by 'prov'",
            "says nothing of copies (`copies` missing or empty)",
        ),
    ),
    Fire(
        "UH006",
        "copies-blank",
        ("access: [{contact: prov, covers: [prov, agency], copies: '  ', if_not_corrected: k}]",),
        (("UH006", "prov", ()),),
        ("'prov'", "(a blank `copies`)"),
    ),
    Fire(
        "UH006",
        "team-covered-through-its-organisation",
        (
            *SURVEY_IDENTIFIES,
            AGENCY_ARRANGEMENT.replace("covers: [agency]}", "covers: [agency], if_not_corrected: k}"),
        ),
        (("UH006", "agency", ("agency.eval",)),),
        ("contact 'agency'", "held by 'agency.eval'", "copies"),
    ),
    Fire(
        "UH006",
        "neither-said",
        ("access: [{contact: prov, covers: [prov, agency]}]",),
        (("UH006", "prov", ()), ("UH005", "prov", ())),
        ("'prov'", "`copies` missing or empty"),
    ),
    Fire(
        "UH900",
        "acceptance-of-uh005-for-another-contact",
        (NO_IF_NOT_CORRECTED, accept("UH005", "agency")),
        (("UH900", "agency", ("UH005",)), ("UH005", "prov", ())),
        ("UH005", "'agency'", "Contract manager"),
    ),
    Fire(
        "UH900",
        "acceptance-matches-nothing",
        (accept("UH002", "nobody"),),
        (("UH900", "nobody", ("UH002",)),),
        ("UH002", "nobody", "Contract manager"),
    ),
    # -- sharing value ---------------------------------------------------------------------
    Fire(
        "SV001",
        "nothing-shared-back",
        (NO_FINDINGS_BACK,),
        (("SV001", "agency", ("prov",)),),
        ("agency", "prov"),
    ),
    Fire(
        "SV001",
        "shared-back-with-someone-else",
        (
            """
            agreement: {parties: [prov, agency, other]}
            holders: [{id: other, kind: provider, name: Another provider}]
            flows: [{id: findings-back, to: other}]
            explanations: [{id: notice, names: {holders: [prov, agency.rep, agency.eval, other]}}]
            """,
        ),
        (("SV001", "agency", ("prov",)),),
        ("agency", "prov"),
    ),
    Fire(
        "SV001",
        "a-referral-is-not-sharing-back",
        # an identifying record, for a purpose the provider's information never went for
        ("flows: [{id: findings-back, carries: [record], purpose: delivery}]",),
        (("SV001", "agency", ("prov",)),),
        ("agency", "prov"),
    ),
    # what does not say how identifying it is counts only by its purpose, as a record does
    Fire(
        "SV001",
        "unknown-identifiability-is-not-sharing-back",
        (
            "flows: [{id: findings-back, purpose: delivery}]",
            "information: [{id: findings, identifiability: null}]",
        ),
        (("SV001", "agency", ("prov",)), ("PM009", "findings", ())),
        ("agency", "prov"),
    ),
    Fire(
        "SV002",
        "sensitive-without-engagement",
        (
            "information: [{id: survey, sensitivity: low}, {id: counts, sensitivity: low}, {id: findings, sensitivity: low}]",
            "engagement: [{with: [agency], about: A hui}]",
        ),
        (("SV002", "record", ("kids", "parents", "prov")),),
        ("sensitive information 'record' flows with no engagement", "kids", "parents", "prov"),
    ),
    Fire(
        "SV002",
        "no-engagement-at-all",
        ("engagement: []",),
        (
            ("SV002", "record", ("kids", "parents", "prov")),
            ("SV002", "survey", ("kids", "parents", "prov")),
            ("SV004", "counts", ("kids", "parents", "prov")),
            ("SV004", "findings", ("kids", "parents", "prov")),
        ),
        ("record", "engagement"),
    ),
    Fire(
        "SV004",
        "sensitivity-unknown-without-engagement",
        (
            "information: [{id: record, sensitivity: null}, {id: survey, sensitivity: low}, {id: counts, sensitivity: low}]",
            "engagement: [{with: [agency], about: A hui}]",
        ),
        (
            ("SV004", "record", ("kids", "parents", "prov")),
            ("SV004", "findings", ("kids", "parents", "prov")),
        ),
        (
            "'record' does not say how sensitive it is, and flows with no engagement",
            "kids",
            "parents",
            "prov",
        ),
    ),
    Fire(
        "SV003",
        "maori-interest-without-engagement",
        ("service_users: [{id: parents, maori_data_interest: true}]",),
        (("SV003", "parents", ("eval-data", "findings-back", "intake-kids", "intake-parents", "report")),),
        ("parents", "Māori", "intake-parents", "report"),
    ),
    Fire(
        "SV003",
        "only-the-flows-about-the-group",
        (
            "service_users: [{id: parents, maori_data_interest: true}]",
            "information: [{id: survey, about: [kids]}]",
        ),
        (("SV003", "parents", ("findings-back", "intake-kids", "intake-parents", "report")),),
        ("parents", "Māori", "intake-parents", "report"),
    ),
    # A flow that collects from the group is about the group's information, whoever its
    # information is said to be about: the parents give the record of their children.
    Fire(
        "SV003",
        "collected-from-the-group-about-others",
        (
            "service_users: [{id: parents, maori_data_interest: true}]",
            "information: [{id: record, about: [kids]}, {id: counts, about: [kids]}, {id: survey, about: [kids]},"
            " {id: findings, about: [kids]}]",
        ),
        (("SV003", "parents", ("intake-parents",)),),
        ("parents", "Māori", "intake-parents"),
    ),
    # A record of Māori engagement with nobody in it is no engagement.
    Fire(
        "SV003",
        "maori-engagement-with-no-one",
        (
            "service_users: [{id: parents, maori_data_interest: true}]",
            "engagement: [{with: [prov, parents, kids], about: A hui}, {with: [], maori: true, about: A hui}]",
        ),
        (("SV003", "parents", ("eval-data", "findings-back", "intake-kids", "intake-parents", "report")),),
        ("parents", "no Māori engagement recorded: engagement[1], marked Māori, names no one it was with."),
    ),
    # An engagement with nobody engages nobody: as if none were recorded.
    Fire(
        "SV002",
        "engagement-with-no-one",
        ("engagement: [{with: [], about: Co-design}]",),
        (
            ("SV002", "record", ("kids", "parents", "prov")),
            ("SV002", "survey", ("kids", "parents", "prov")),
            ("SV004", "counts", ("kids", "parents", "prov")),
            ("SV004", "findings", ("kids", "parents", "prov")),
        ),
        ("record", "no engagement recorded"),
    ),
    Fire(
        "SV005",
        "about-missing",
        ("engagement: [{with: [prov, parents, kids]}]",),
        (("SV005", "base", ("kids", "parents", "prov")),),
        (
            "engagement[0] of agreement 'base' does not say what the engagement was about",
            "(`about` missing or empty)",
        ),
    ),
    Fire(
        "SV005",
        "about-blank",
        ("engagement: [{with: [prov, parents, kids], about: ' '}]",),
        (("SV005", "base", ("kids", "parents", "prov")),),
        ("(a blank `about`)",),
    ),
    # Two records of one agreement make one finding, at the first, naming both.
    Fire(
        "SV005",
        "two-records-undescribed",
        (
            """
            engagement:
              - {with: [prov], about: Co-design of what is collected and shared}
              - {with: [parents]}
              - {with: [kids], about: ''}
            """,
        ),
        (("SV005", "base", ("kids", "parents")),),
        (
            "engagement[1] and engagement[2] of agreement 'base' do not say",
            "(`about` missing, empty or blank)",
        ),
    ),
    Fire(
        "SV900",
        "acceptance-matches-nothing",
        (accept("SV001", "agency"),),
        (("SV900", "agency", ("SV001",)),),
        ("SV001", "agency", "Contract manager"),
    ),
]

NEARS: list[Near] = [
    Near("PM001", "flow-with-purpose", ("flows: [{id: report, purpose: reporting}]",)),
    Near(
        "PM002",
        "purpose-declared",
        (
            """
            flows: [{id: findings-back, purpose: analytics}]
            purposes:
              - id: analytics
                description: Analyse the programme
                benefit: Better programmes
                needs_identity: false
                authority: Programme agreement clause 9
            explanations:
              - id: notice
                names: {purposes: [delivery, reporting, evaluation, analytics]}
            """,
        ),
    ),
    Near(
        "PM003",
        "team-set-up-for-both-purposes",
        (
            "flows: [{id: eval-data, to: agency.rep}]",
            "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, evaluation]}]}]",
        ),
    ),
    Near(
        "PM004",
        "purpose-needs-identity",
        (
            "information: [{id: survey, identifiability: identifying}]",
            "purposes: [{id: evaluation, needs_identity: true}]",
        ),
    ),
    Near(
        "PM005",
        "evaluation-declared-compatible",
        (REP_TO_EVAL, "purposes: [{id: evaluation, compatible_with: [reporting]}]"),
    ),
    Near(
        "PM005",
        "onward-for-the-same-purpose",
        (
            REP_TO_EVAL,
            "flows: [{id: rep-to-eval, to: agency, purpose: reporting}]",
            "explanations: [{id: notice, names: {holders: [prov, agency]}}]",
        ),
    ),
    # A copy of their own information given back to the people it is about is access, not use
    # for another purpose (seed 003: "giving families copies of any written work or records").
    Near(
        "PM005",
        "a-copy-given-back-to-the-people-it-is-about",
        (
            """
            information:
              - {id: parent-notes, description: What a parent asked to keep, about: [parents],
                 identifiability: identifying}
            purposes:
              - {id: access, description: Give families their records, benefit: Families see what is held,
                 needs_identity: true, authority: Privacy Act 2020 IPP 6}
            flows:
              - {id: intake-parents, carries: [record, parent-notes]}
              - {id: copy-back, from: prov, to: parents, carries: [parent-notes], purpose: access, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, copy-back]
                names: {purposes: [delivery, reporting, evaluation, access]}
            """,
        ),
    ),
    Near(
        "PM005",
        "sent-on-from-the-organisation-for-a-compatible-purpose",
        (
            """
            purposes: [{id: reporting, compatible_with: [evaluation]}]
            flows:
              - {id: agency-on, from: agency, to: agency.rep, carries: [survey], purpose: reporting, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, agency-on]
            """,
        ),
    ),
    # Moves between the parts of one organisation bring it nothing: what the organisation sends
    # its teams, for their purposes, has not reached it for any purpose.
    Near(
        "PM005",
        "an-organisation-sends-its-teams-what-it-made",
        (
            """
            flows:
              - {id: to-rep, from: agency, to: agency.rep, carries: [findings], purpose: reporting, choice: c}
              - {id: to-eval, from: agency, to: agency.eval, carries: [findings], purpose: evaluation, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-rep, to-eval]
            """,
        ),
    ),
    Near("PM013", "purpose-described-in-a-few-words", ("purposes: [{id: reporting, description: Counts}]",)),
    # A group is an origin, not a holder: what it gives on is collection, whatever it was given.
    Near(
        "PM005",
        "a-group-gives-on-what-it-was-given",
        (
            """
            flows:
              - {id: copy-to-parents, from: prov, to: parents, carries: [survey], purpose: evaluation, choice: c}
              - {id: parents-give, from: parents, to: agency.rep, carries: [survey], purpose: reporting, choice: c}
            explanations:
              - id: notice
                covers: [intake-parents, intake-kids, report, eval-data, findings-back, copy-to-parents,
                         parents-give]
            """,
        ),
    ),
    Near("PM006", "benefit-given", ("purposes: [{id: reporting, benefit: Funding continues}]",)),
    Near("PM007", "authority-given", ("purposes: [{id: reporting, authority: Clause 7}]",)),
    Near(
        "PM008",
        "identity-need-stated",
        (
            "information: [{id: survey, identifiability: identifying}]",
            "purposes: [{id: evaluation, needs_identity: true}]",
        ),
    ),
    Near(
        "PM005",
        "a-tally-about-the-parents-given-to-them",
        (TALLY, "information: [{id: tally, about: [parents]}]"),
    ),
    Near("PM009", "identifiability-given", ("information: [{id: survey, identifiability: aggregate}]",)),
    Near("PM010", "flow-carries-something", ("flows: [{id: report, carries: [counts]}]",)),
    Near(
        "PM011",
        "a-provider-with-teams-receives-as-a-whole",
        ("holders: [{id: prov, teams: [{id: prov.front, name: Front desk, purposes: [delivery]}]}]",),
    ),
    Near(
        "PM012",
        "every-purpose-named-anywhere-is-declared",
        (
            "purposes: [{id: evaluation, compatible_with: [reporting]}]",
            "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, evaluation]}]}]",
            "explanations: [{id: notice, names: {purposes: [evaluation, reporting, delivery]}}]",
        ),
    ),
    # A flow's own undeclared purpose is PM002's, wherever else it is named: reported once.
    Near(
        "PM012",
        "a-flows-undeclared-purpose-is-pm002s",
        (
            "flows: [{id: findings-back, purpose: analytics}]",
            "purposes: [{id: evaluation, compatible_with: [analytics]}]",
            "holders: [{id: agency, teams: [{id: agency.eval, purposes: [evaluation, analytics]}]}]",
            "explanations: [{id: notice, names: {purposes: [delivery, reporting, evaluation, analytics]}}]",
            accept("PM002", "findings-back"),
        ),
        accepted=(("PM002", "findings-back"),),
    ),
    Near(
        "PM900",
        "acceptance-matches-a-finding",
        ("purposes: [{id: reporting, benefit: null}]", accept("PM006", "reporting")),
        accepted=(("PM006", "reporting"),),
    ),
    Near("ME001", "each-group-told-in-its-own-explanation", (split_notice,)),
    Near(
        "ME002",
        "organisation-named-for-its-teams",
        ("explanations: [{id: notice, names: {holders: [prov, agency]}}]",),
    ),
    Near(
        "ME003",
        "every-purpose-named",
        ("explanations: [{id: notice, names: {purposes: [evaluation, reporting, delivery]}}]",),
    ),
    Near(
        "ME004", "every-item-answered", ("explanations: [{id: notice, says: {linking: It is never linked}}]",)
    ),
    Near(
        "ME004",
        "every-flow-offers-a-choice",
        (
            "flows: [{id: report, no_choice_reason: null, choice: c}, {id: findings-back, no_choice_reason: null, choice: c}]",
            "explanations: [{id: notice, says: {no_choice_why: null}}]",
        ),
    ),
    Near(
        "ME004",
        "a-choice-beside-the-reason",
        (
            "flows: [{id: report, choice: c}, {id: findings-back, choice: c}]",
            "explanations: [{id: notice, says: {no_choice_why: null}}]",
        ),
    ),
    Near(
        "ME005",
        "no-extra-care-needed",
        (
            "explanations: [{id: notice, versions: [adult]}]",
            "service_users: [{id: kids, needs_extra_care: null}]",
        ),
    ),
    Near(
        "ME005",
        "easy-read-version-made",
        (
            "service_users: [{id: kids, needs_extra_care: easy-read}]",
            "explanations: [{id: notice, versions: [adult, easy-read]}]",
        ),
    ),
    Near(
        "ME006",
        "choice-instead-of-reason",
        ("flows: [{id: report, no_choice_reason: null, choice: Providers may leave out small counts}]",),
    ),
    Near("ME007", "about-a-group", ("information: [{id: survey, about: [parents]}]",)),
    Near("ME008", "aggregate-about-a-group", ("information: [{id: counts, about: [kids]}]",)),
    Near(
        "ME009",
        "the-card-has-a-child-version",
        (SURVEY_CARD.replace("versions: [adult]", "versions: [adult, child]"),),
    ),
    Near(
        "ME009",
        "the-flow-is-not-about-the-children",
        (SURVEY_CARD, "information: [{id: survey, about: [parents]}]"),
    ),
    Near(
        "ME009", "no-extra-care-needed", (SURVEY_CARD, "service_users: [{id: kids, needs_extra_care: null}]")
    ),
    Near(
        "ME009",
        "the-notice-covers-the-flow-too",
        (
            SURVEY_CARD,
            "explanations: [{id: notice, covers: [intake-parents, intake-kids, report, eval-data, findings-back]}]",
        ),
    ),
    # A collection is owed to the group it collects from, not to every group its record is about.
    Near(
        "ME009",
        "a-collection-from-a-group-needing-no-version",
        (
            SURVEY_CARD,
            """
            explanations:
              - {id: notice, covers: [intake-kids, report, eval-data, findings-back]}
              - {id: survey-card, covers: [intake-parents], names: {holders: [prov], purposes: [delivery]}}
            """,
        ),
    ),
    Near(
        "ME900",
        "acceptance-matches-a-finding",
        ("explanations: [{id: notice, says: {linking: null}}]", accept("ME004", "notice")),
        accepted=(("ME004", "notice"),),
    ),
    Near("UH001", "organisation-named", ("explanations: [{id: notice, names: {holders: [prov, agency]}}]",)),
    Near("UH002", "contractor-a-party", (INSIGHTS, "agreement: {parties: [prov, agency, insights]}")),
    Near("UH003", "agency-holds-nothing-identifying", (PROV_ONLY,)),
    Near("UH004", "audited-flow-declared", (AUDIT_DECLARED,)),
    # One word is an answer: only a missing or blank one is not.
    Near(
        "UH005",
        "if-not-corrected-in-one-word",
        ("access: [{contact: prov, covers: [prov, agency], copies: c, if_not_corrected: k}]",),
    ),
    # The agency and its teams hold only aggregate and de-identified information: an
    # arrangement through it that says nothing more is no finding.
    Near("UH005", "only-aggregate-and-de-identified-information-covered", (AGENCY_ARRANGEMENT,)),
    Near(
        "UH005",
        "a-team-holding-only-de-identified-information-covered",
        (AGENCY_ARRANGEMENT.replace("covers: [agency]}", "covers: [agency.eval]}"),),
    ),
    Near("UH005", "accepted", (NO_IF_NOT_CORRECTED, accept("UH005", "prov")), accepted=(("UH005", "prov"),)),
    Near(
        "UH006",
        "copies-in-one-word",
        ("access: [{contact: prov, covers: [prov, agency], copies: c, if_not_corrected: k}]",),
    ),
    Near("UH006", "only-aggregate-and-de-identified-information-covered", (AGENCY_ARRANGEMENT,)),
    Near("UH006", "accepted", (NO_COPIES, accept("UH006", "prov")), accepted=(("UH006", "prov"),)),
    Near(
        "UH900",
        "acceptances-of-uh005-and-uh006-match-their-findings",
        (
            "access: [{contact: prov, covers: [prov, agency]}]",
            accept("UH005", "prov") + accept("UH006", "prov").replace("accepted:", ""),
        ),
        accepted=(("UH005", "prov"), ("UH006", "prov")),
    ),
    Near(
        "UH900",
        "acceptance-matches-a-finding",
        (INSIGHTS, accept("UH002", "insights")),
        accepted=(("UH002", "insights"),),
    ),
    # A finding of no agreement (an undeclared flow) matches any agreement's acceptance.
    Near(
        "UH900",
        "acceptance-matches-a-finding-of-no-agreement",
        (accept("UH004", "audit-survey"),),
        accepted=(("UH004", "audit-survey"),),
        graph_edit=audit_edge(None),
    ),
    Near("SV001", "organisation-shares-back", ("flows: [{id: findings-back, from: agency}]",)),
    Near(
        "SV001",
        "identifying-outcomes-for-the-purpose-it-was-sent-for",
        (
            "flows: [{id: findings-back, carries: [record]}]",
            "purposes: [{id: evaluation, needs_identity: true}]",
        ),
    ),
    Near(
        "SV001",
        "outcomes-beside-a-referral",
        ("flows: [{id: findings-back, carries: [findings, record], purpose: delivery}]",),
    ),
    Near("SV002", "engaged-with-some-of-the-people", ("engagement: [{with: [kids], about: A hui}]",)),
    Near("SV002", "engaged-with-the-provider", ("engagement: [{with: [prov], about: A hui}]",)),
    # engaged with the provider, which one of the survey's flows concerns and the next does not
    Near(
        "SV002",
        "engaged-with-the-provider-on-one-of-its-flows",
        ("engagement: [{with: [prov], about: A hui}]", SURVEY_ON_TO_REP),
    ),
    Near(
        "SV004",
        "sensitivity-stated-and-not-high",
        (
            "information: [{id: record, sensitivity: low}, {id: survey, sensitivity: low}, "
            "{id: counts, sensitivity: low}, {id: findings, sensitivity: medium}]",
            "engagement: []",
        ),
    ),
    Near("SV004", "engaged-with-some-of-the-people", ("engagement: [{with: [kids], about: A hui}]",)),
    Near(
        "SV003",
        "maori-engagement-recorded",
        (
            "service_users: [{id: parents, maori_data_interest: true}]",
            "engagement: [{with: [prov, parents, kids], maori: true, about: A hui}]",
        ),
    ),
    Near(
        "SV003",
        "maori-engagement-with-the-provider",
        (
            "service_users: [{id: parents, maori_data_interest: true}]",
            "engagement: [{with: [prov, parents, kids], about: A hui}, {with: [], maori: true, about: A hui}, {with: [prov], maori: true, about: A hui}]",
        ),
    ),
    # Partnership with iwi counts, though the iwi holds none of the information: seed 004
    # asks agencies to engage with Māori, not only with those who hold the information.
    Near(
        "SV003",
        "maori-engagement-with-an-iwi-that-holds-nothing",
        (
            "service_users: [{id: parents, maori_data_interest: true}]",
            "holders: [{id: iwi-trust, kind: provider, name: The iwi trust}]",
            "engagement: [{with: [prov, parents, kids], about: A hui}, {with: [iwi-trust], maori: true, about: A hui}]",
        ),
    ),
    Near(
        "SV002",
        "engaged-with-the-provider-beside-a-record-with-no-one",
        ("engagement: [{with: [], about: A hui}, {with: [prov], about: A hui}]",),
    ),
    Near(
        "SV005",
        "every-record-described",
        (
            """
            engagement:
              - {with: [prov, parents, kids], about: Co-design of what is collected and shared}
              - {with: [], about: A hui on how findings are reported, maori: true}
            """,
        ),
    ),
    Near(
        "SV005",
        "undescribed-record-accepted",
        ("engagement: [{with: [prov, parents, kids]}]", accept("SV005", "base")),
        accepted=(("SV005", "base"),),
    ),
    Near(
        "SV900",
        "acceptance-matches-a-finding",
        (NO_FINDINGS_BACK, accept("SV001", "agency")),
        accepted=(("SV001", "agency"),),
    ),
]


# -- the tests -----------------------------------------------------------------------------


def test_base_is_clean() -> None:
    report = run()
    assert list(report) == []
    assert report.counts() == dict.fromkeys(
        [*(f.value for f in dpup.Family), "error", "warning", "info", "accepted"], 0
    )


def test_every_check_has_a_fire_case_and_a_near_miss() -> None:
    catalogue = {c.code for c in dpup.catalogue()}
    assert {c.code for c in FIRES} == catalogue
    assert {c.code for c in NEARS} == catalogue


def test_case_names_are_unique() -> None:
    names = [str(c) for c in [*FIRES, *NEARS]]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", FIRES, ids=str)
def test_fires(case: Fire) -> None:
    report = run(*case.patches, graph_edit=case.graph_edit)
    assert triples(report) == set(case.findings)
    assert len(report) == len(case.findings)
    code, subject, _ = case.findings[0]
    (finding,) = [f for f in report if (f.code, f.subject) == (code, subject)]
    check = CHECKS[code]
    assert finding.family == check.family
    assert finding.severity == check.severity
    assert finding.principles == check.principles
    assert finding.guideline == check.guideline
    assert finding.remediation.strip()
    assert finding.accepted is None
    expected_agreement = "base" if case.graph_edit is None else None
    assert finding.agreement == expected_agreement
    for word in case.mentions:
        assert word in finding.message, f"{code} message {finding.message!r} does not mention {word!r}"
    if case.path is not None:
        assert finding.path == case.path


@pytest.mark.parametrize("case", NEARS, ids=str)
def test_near_misses(case: Near) -> None:
    report = run(*case.patches, graph_edit=case.graph_edit)
    assert case.code not in codes(report.open())
    assert report.open() == ()
    assert {(f.code, f.subject) for f in report} == set(case.accepted)
    assert all(f.accepted is not None for f in report)
    assert not report.fails("info")


def test_fire_and_near_miss_yaml_round_trips() -> None:
    """The patched YAML really is what gets checked: dump and load again is the same agreement."""
    for case in [*FIRES, *NEARS]:
        if getattr(case, "graph_edit", None) is None:
            a = load(*case.patches)
            assert dpup.loads(dpup.dumps(a)) == a


# -- onward use along chains -----------------------------------------------------------------

CHAIN = """
holders:
  - id: insights
    kind: provider
    name: Insights Ltd
agreement: {parties: [prov, agency, insights]}
purposes:
  - id: evaluation
    compatible_with: [reporting]
  - id: analytics
    description: Analyse the programme
    benefit: Better programmes
    needs_identity: false
    authority: Programme agreement clause 9
flows:
  - id: rep-to-eval
    from: agency.rep
    to: agency.eval
    carries: [counts]
    purpose: evaluation
    no_choice_reason: Counts identify no one
  - id: eval-to-insights
    from: agency.eval
    to: insights
    carries: [counts]
    purpose: analytics
    no_choice_reason: Counts identify no one
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data, findings-back, rep-to-eval, eval-to-insights]
    names:
      holders: [prov, agency, insights]
      purposes: [delivery, reporting, evaluation, analytics]
"""


def test_onward_use_is_followed_along_the_chain_and_reported_with_its_path() -> None:
    report = run(CHAIN)
    assert triples(report) == {("PM005", "eval-to-insights", ("counts", "evaluation"))}
    (f,) = report
    assert f.path == ("prov", "agency.rep", "agency.eval", "insights")
    for word in ("counts", "agency.eval", "evaluation", "analytics", "eval-to-insights"):
        assert word in f.message


def test_onward_use_compatible_all_along_the_chain_is_clean() -> None:
    assert list(run(CHAIN, "purposes: [{id: analytics, compatible_with: [evaluation]}]")) == []


def test_compatible_with_is_one_way() -> None:
    """analytics declaring itself compatible with evaluation lets evaluation's information be
    used for analytics; it does not let analytics' information be used for evaluation."""
    one_way = "purposes: [{id: analytics, compatible_with: [evaluation]}]"
    back = """
    flows:
      - id: insights-back
        from: insights
        to: agency.eval
        carries: [counts]
        purpose: evaluation
        no_choice_reason: Counts identify no one
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, rep-to-eval, eval-to-insights,
                 insights-back]
    """
    report = run(CHAIN, one_way, back)
    assert triples(report) == {("PM005", "insights-back", ("counts", "analytics"))}
    # near miss: evaluation declaring analytics compatible too makes both ways declared
    both_ways = "purposes: [{id: analytics, compatible_with: [evaluation]}, {id: evaluation, compatible_with: [reporting, analytics]}]"
    assert list(run(CHAIN, both_ways, back)) == []


def test_onward_use_shows_the_route_of_the_clashing_arrival() -> None:
    """survey reaches agency.eval from the provider for evaluation (first) and by way of
    insights for marketing; leaving agency.eval for evaluation clashes only with marketing, so
    the path shows it arriving from insights, not by the first route."""
    patch = """
    agreement: {parties: [prov, agency, insights, council]}
    holders:
      - {id: insights, kind: provider, name: Insights}
      - {id: council, kind: provider, name: Council}
      - {id: agency, teams: [{id: agency.eval, purposes: [evaluation, marketing]}]}
    purposes:
      - {id: marketing, description: m, benefit: b, needs_identity: false, authority: a}
    flows:
      - {id: to-insights, from: prov, to: insights, carries: [survey], purpose: marketing, choice: c}
      - {id: from-insights, from: insights, to: agency.eval, carries: [survey], purpose: marketing, choice: c}
      - {id: eval-onward, from: agency.eval, to: council, carries: [survey], purpose: evaluation, choice: c}
    """
    (f,) = [f for f in run(patch) if f.code == "PM005"]
    assert (f.subject, f.related) == ("eval-onward", ("survey", "marketing"))
    assert f.path == ("prov", "insights", "agency.eval", "council")


def test_onward_use_names_only_the_arrival_purposes_that_clash() -> None:
    """counts reaches agency.eval for evaluation (via the reporting team) and for analytics
    (straight from the provider); leaving for analytics clashes only with evaluation."""
    both = """
    flows:
      - id: counts-for-analytics
        from: prov
        to: agency.eval
        carries: [counts]
        purpose: analytics
        no_choice_reason: Counts identify no one
    holders: [{id: agency, teams: [{id: agency.eval, purposes: [evaluation, analytics]}]}]
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, rep-to-eval,
                 eval-to-insights, counts-for-analytics]
    """
    report = run(CHAIN, both)
    assert triples(report) == {("PM005", "eval-to-insights", ("counts", "evaluation"))}


def test_onward_use_from_a_group_is_collection_not_onward_use() -> None:
    """Information collected from people has not arrived anywhere before: no PM005."""
    report = run("flows: [{id: intake-parents, purpose: evaluation, to: agency.eval, carries: [survey]}]")
    assert "PM005" not in codes(report)


def test_onward_use_says_in_whole_where_it_arrived_and_how_to_settle_it() -> None:
    """The message and remediation of PM005, to their ends: for information that reached the
    holder itself, and for information that reached another part of its organisation."""
    (f,) = run(REP_TO_EVAL)
    assert f.message == (
        "'counts' reached 'agency.rep' for 'reporting' and flow 'rep-to-eval' (agency.rep -> agency.eval) "
        "takes it on for 'evaluation', which is not declared compatible."
    )
    assert f.remediation == (
        "Either stop flow 'rep-to-eval', or add 'reporting' to `compatible_with` of purpose 'evaluation', "
        "once you have checked that using for 'evaluation' what arrived for 'reporting' is legal, ethical, "
        "respectful, fair and reasonable, and explained to the people it is about."
    )
    agency_on = """
    flows:
      - {id: agency-on, from: agency, to: agency.rep, carries: [survey], purpose: reporting, choice: c}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, agency-on]
    """
    (f,) = run(agency_on)
    assert f.message == (
        "'survey' reached 'agency.eval' for 'evaluation', and flow 'agency-on' (agency -> agency.rep) takes "
        "it on from 'agency', of the same organisation, for 'reporting', which is not declared compatible."
    )
    assert f.path == ("prov", "agency.eval", "agency", "agency.rep")


# Each flow carries first something PM005 passes over, then something that clashes: passing
# over the first must not end the look at the flow.
NOTES = "information: [{id: notes, description: Notes, about: [parents], identifiability: aggregate}]"


@pytest.mark.parametrize(
    ("patches", "expected"),
    [
        pytest.param(
            (
                NOTES,
                """
                flows:
                  - {id: prov-on, from: prov, to: agency.rep, carries: [notes, record], purpose: reporting,
                     choice: c}
                explanations:
                  - id: notice
                    covers: [intake-parents, intake-kids, report, eval-data, findings-back, prov-on]
                """,
            ),
            ("PM005", "prov-on", ("record", "delivery")),
            id="first-never-reached-a-holder-of-an-organisation-without-teams",
        ),
        pytest.param(
            (NOTES, REP_TO_EVAL, "flows: [{id: rep-to-eval, carries: [notes, counts]}]"),
            ("PM005", "rep-to-eval", ("counts", "reporting")),
            id="first-never-reached-the-organisation-with-teams",
        ),
        pytest.param(
            (
                """
                information:
                  - {id: kid-notes, description: Notes a child asked to keep, about: [kids],
                     identifiability: identifying}
                  - {id: parent-notes, description: Notes a parent asked to keep, about: [parents],
                     identifiability: identifying}
                purposes:
                  - {id: access, description: Give families their records, benefit: Families see what is held,
                     needs_identity: true, authority: Privacy Act 2020 IPP 6}
                flows:
                  - {id: intake-kids, carries: [record, kid-notes]}
                  - {id: intake-parents, carries: [record, parent-notes]}
                  - {id: to-parents, from: prov, to: parents, carries: [parent-notes, kid-notes], purpose: access,
                     choice: c}
                explanations:
                  - id: notice
                    covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-parents]
                    names: {purposes: [delivery, reporting, evaluation, access]}
                """,
            ),
            ("PM005", "to-parents", ("kid-notes", "delivery")),
            id="first-given-back-to-the-people-it-is-about",
        ),
    ],
)
def test_onward_use_looks_at_everything_a_flow_carries(patches: tuple[str, ...], expected: Triple) -> None:
    assert [t for t in triples(run(*patches)) if t[0] == "PM005"] == [expected]


def test_onward_use_reads_compatibility_in_the_arriving_flows_agreement_too() -> None:
    """The contract takes the survey on for analytics, which it does not declare (PM002); the
    base, under which the survey arrived for evaluation, declares analytics compatible with
    evaluation: compatibility is looked up there too, so no PM005."""
    base = load(
        """
        purposes:
          - {id: analytics, description: Analyse the programme, benefit: Better programmes,
             needs_identity: false, authority: Programme agreement clause 9, compatible_with: [evaluation]}
        """
    )
    contract = dpup.loads(
        CONTRACT.split("  - id: analytics\n")[0] + "information:" + CONTRACT.split("information:")[1]
    )
    assert contract.purpose("analytics") is None
    report = dpup.check(dpup.graph(base, contract))
    assert ("contract", "PM002", "to-insights") in {(f.agreement, f.code, f.subject) for f in report}
    assert "PM005" not in codes(report)
    # near miss: without the base's declaration, the onward use clashes
    report = dpup.check(dpup.graph(load(), contract))
    assert ("contract", "PM005", "to-insights", ("survey", "evaluation")) in {
        (f.agreement, f.code, f.subject, f.related) for f in report
    }


# -- accepted findings -----------------------------------------------------------------------


def test_accepted_findings_are_marked_and_do_not_fail() -> None:
    report = run("purposes: [{id: reporting, benefit: null, authority: null}]", accept("PM006", "reporting"))
    by_code = {f.code: f for f in report}
    assert set(by_code) == {"PM006", "PM007"}
    acc = by_code["PM006"].accepted
    assert acc == dpup.Acceptance(
        code="PM006", subject="reporting", reason="Considered by both parties", by="Contract manager"
    )
    assert by_code["PM007"].accepted is None
    assert report.open() == (by_code["PM007"],)
    counts = report.counts()
    assert counts["accepted"] == 1
    assert counts["warning"] == 1
    assert counts["purpose-mismatch"] == 1
    assert report.fails("warning")
    accepted_only = run("purposes: [{id: reporting, benefit: null}]", accept("PM006", "reporting"))
    assert not accepted_only.fails("info")
    assert accepted_only.counts()["accepted"] == 1
    assert accepted_only.counts()["warning"] == 0
    (data,) = json.loads(accepted_only.to_json())["findings"]
    assert data["accepted"] == {"reason": "Considered by both parties", "by": "Contract manager"}


def test_an_accepted_error_does_not_fail_at_any_threshold() -> None:
    report = run("flows: [{id: report, purpose: null}]", accept("PM001", "report"))
    (f,) = report
    assert f.severity == "error"
    assert f.accepted is not None
    for threshold in ("error", "warning", "info", "never"):
        assert not report.fails(threshold)


def test_an_acceptance_matches_code_and_subject_exactly() -> None:
    """Accepting PM006 for one purpose neither accepts it for another nor accepts PM007."""
    report = run(
        "purposes: [{id: reporting, benefit: null, authority: null}, {id: evaluation, benefit: null}]",
        accept("PM006", "reporting"),
    )
    accepted = {(f.code, f.subject) for f in report if f.accepted is not None}
    open_ = {(f.code, f.subject) for f in report.open()}
    assert accepted == {("PM006", "reporting")}
    assert open_ == {("PM007", "reporting"), ("PM006", "evaluation")}


def test_an_acceptance_in_one_agreement_does_not_accept_another_agreements_finding() -> None:
    a = load("purposes: [{id: reporting, benefit: null}]")
    b = attrs.evolve(load(accept("PM006", "reporting")), id="other")
    report = dpup.check(dpup.graph(a, b))
    assert {(f.agreement, f.code, f.subject, f.accepted is None) for f in report} == {
        ("base", "PM006", "reporting", True),
        ("other", "PM900", "reporting", True),
    }


# -- fingerprints ----------------------------------------------------------------------------


def fingerprints(report: dpup.Report) -> dict[tuple[str, str], str]:
    return {(f.code, f.subject): f.fingerprint for f in report}


BEFORE = dpup.examples.load("best-foot-forward-before")


def test_fingerprints_are_short_stable_hex() -> None:
    report = dpup.check(BEFORE)
    fps = [f.fingerprint for f in report]
    assert len(set(fps)) == len(fps)
    assert all(len(fp) == 16 and int(fp, 16) >= 0 for fp in fps)
    assert fps == [f.fingerprint for f in dpup.check(dpup.examples.load("best-foot-forward-before"))]


def test_fingerprints_survive_reordered_flows() -> None:
    reordered = attrs.evolve(BEFORE, flows=tuple(reversed(BEFORE.flows)))
    assert fingerprints(dpup.check(reordered)) == fingerprints(dpup.check(BEFORE))


def test_fingerprints_survive_reworded_descriptions_and_names() -> None:
    reworded = attrs.evolve(
        BEFORE,
        title="A new title",
        purposes=tuple(attrs.evolve(p, description=f"Reworded: {p.description}") for p in BEFORE.purposes),
        holders=tuple(attrs.evolve(h, name=h.name.upper()) for h in BEFORE.holders),
        information=tuple(attrs.evolve(i, description="reworded") for i in BEFORE.information),
    )
    assert fingerprints(dpup.check(reworded)) == fingerprints(dpup.check(BEFORE))


def test_fingerprints_survive_an_unrelated_new_flow() -> None:
    newsletter = dpup.Information(
        id="newsletter", about=["parents"], identifiability="aggregate", sensitivity="low"
    )
    flow = dpup.DataFlow(
        id="newsletter-out", from_="ccss", to="parents", carries=["newsletter"], purpose="service-delivery"
    )
    edited = attrs.evolve(BEFORE, information=(*BEFORE.information, newsletter), flows=(*BEFORE.flows, flow))
    before, after = fingerprints(dpup.check(BEFORE)), fingerprints(dpup.check(edited))
    assert before.items() <= after.items()
    assert set(after) - set(before) == {("ME001", "newsletter-out"), ("ME006", "newsletter-out")}


def test_fingerprints_change_when_the_subject_changes() -> None:
    renamed = attrs.evolve(
        BEFORE,
        flows=tuple(
            attrs.evolve(f, id="q-report") if f.id == "quarterly-report" else f for f in BEFORE.flows
        ),
    )
    old, new = fingerprints(dpup.check(BEFORE)), fingerprints(dpup.check(renamed))
    assert ("PM004", "quarterly-report") in old
    assert ("PM004", "quarterly-report") not in new
    assert new[("PM004", "q-report")] != old[("PM004", "quarterly-report")]
    assert {k: v for k, v in new.items() if k[1] != "q-report"}.items() <= old.items()


def test_fingerprint_ignores_wording_but_not_what_the_finding_is_about() -> None:
    f = next(f for f in dpup.check(BEFORE) if f.code == "PM004")
    assert (
        attrs.evolve(f, message="other words", remediation="other fix", path=("x",)).fingerprint
        == f.fingerprint
    )
    assert attrs.evolve(f, subject="other").fingerprint != f.fingerprint
    assert attrs.evolve(f, code="PM003").fingerprint != f.fingerprint
    assert attrs.evolve(f, agreement="other").fingerprint != f.fingerprint


# -- a check that raises ---------------------------------------------------------------------


@pytest.fixture
def failing_check() -> Any:
    before = [c.code for c in dpup.catalogue()]

    @register(
        code="PM899",
        name="always-fails",
        family=dpup.Family.PURPOSE_MISMATCH,
        severity=dpup.Severity.ERROR,
        finds="Nothing: it raises, for a test.",
        remediation="None.",
        seeds=[Seed(doc="001", quote="a test", section="a test")],
    )
    def always_fails(ctx: Any) -> Iterable[Any]:
        raise KeyError("no such thing")

    yield "PM899"
    del REGISTRY["PM899"]
    assert [c.code for c in dpup.catalogue()] == before


def test_a_check_that_raises_is_an_error_not_a_silence(failing_check: str) -> None:
    with pytest.raises(dpup.CheckError, match=r"PM899.*always-fails.*no such thing") as info:
        dpup.check(load())
    assert isinstance(info.value.__cause__, KeyError)
    assert (info.value.code, info.value.name) == ("PM899", "always-fails")
    assert isinstance(info.value, dpup.Error)
    with pytest.raises(dpup.CheckError, match="PM899"):
        list(dpup.purpose_mismatches(load().graph()))
    # the other families do not run it
    assert list(dpup.sharing_value(load().graph())) == []


def test_registering_a_code_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="PM001"):
        register(
            code="PM001",
            name="again",
            family=dpup.Family.PURPOSE_MISMATCH,
            severity=dpup.Severity.ERROR,
            finds="x",
            remediation="x",
            seeds=[],
        )(lambda ctx: [])
    assert REGISTRY["PM001"].name == "flow-without-purpose"


def test_check_refuses_what_is_not_an_agreement_or_graph() -> None:
    with pytest.raises(TypeError, match="dict"):
        dpup.check({"flows": []})
    with pytest.raises(TypeError, match="DiGraph"):
        dpup.check(nx.DiGraph())


def test_uncovered_identifying_information_held_by_an_organisation_and_its_team_says_both() -> None:
    both = """
    holders:
      - {id: agency, teams: [{id: agency.rep, purposes: [reporting, delivery]}]}
    flows:
      - {id: report, carries: [record], purpose: delivery}
      - {id: to-agency, from: prov, to: agency, carries: [record], purpose: delivery, choice: c}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-agency]
        names: {holders: [prov, agency]}
    access:
      - {contact: prov, covers: [prov]}
    """
    (f,) = [f for f in run(both) if f.code == "UH003"]
    assert (f.subject, f.related) == ("agency", ("agency.rep",))
    assert "(itself, and in 'agency.rep')" in f.message
    # near miss: only the team holds it
    (g,) = [g for g in run(both.replace("to: agency,", "to: agency.rep,")) if g.code == "UH003"]
    assert "(in 'agency.rep')" in g.message
    assert "itself" not in g.message


def test_an_access_arrangements_contact_is_covered_by_it() -> None:
    """People ask the contact: what the contact itself holds is within reach."""
    assert "UH003" not in codes(run("access: [{contact: prov, covers: [agency]}]"))
    # near miss: the contact is the agency, and the provider is in no arrangement
    assert triples(run("access: [{contact: agency, covers: [agency]}]")) == {("UH003", "prov", ())}


# -- what an access arrangement says (UH005, UH006) --------------------------------------------


def test_an_arrangement_finding_is_about_its_contact_and_at_the_arrangement() -> None:
    """An access arrangement has no id: its findings name its contact, and point at the
    arrangement, not at the contact's own declaration."""
    a = load(*SURVEY_IDENTIFIES, AGENCY_ARRANGEMENT)
    found = {(f.code, f.subject, f.related, f.where) for f in dpup.check(a)}
    assert found == {
        ("UH005", "agency", ("agency.eval",), "$.access[1]"),
        ("UH006", "agency", ("agency.eval",), "$.access[1]"),
    }
    assert a.where("agency") == "$.holders[1]"  # where the subject itself is declared


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_arrangement_finding_is_located_on_the_line_the_arrangement_starts(
    tmp_path: Path, fmt: str
) -> None:
    text = patched(*SURVEY_IDENTIFIES, AGENCY_ARRANGEMENT)
    if fmt == "json":
        text = json.dumps(yaml.safe_load(text), indent=2)
    path = tmp_path / f"draft.{fmt}"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    # the agency's arrangement starts where its contact is (YAML's "- contact: agency"), or on
    # the line before, where its object opens (JSON's "{")
    contact = next(i for i, line in enumerate(lines, 1) if re.search(r"contact\W+agency", line))
    start = contact if fmt == "yaml" else contact - 1
    assert lines[start - 1].strip() in ("- contact: agency", "{")
    report = dpup.check_files(path)
    assert [(f.code, f.file, f.line) for f in report] == [
        ("UH005", str(path), start),
        ("UH006", str(path), start),
    ]
    assert all(f.location == f"{path}:{start}: $.access[1]" for f in report)
    # near miss: the agency's own declaration, which the subject alone would point at, is
    # on another line
    holder = next(i for i, line in enumerate(lines, 1) if re.search(r"id\W+agency\W*$", line))
    assert holder != start


def test_two_arrangements_with_one_contact_make_one_finding() -> None:
    """(code, subject) is what an acceptance names: two findings with the same pair in one
    agreement could not be told apart, nor their fingerprints if they covered the same holders."""
    both = """
    access:
      - {contact: prov, covers: [prov]}
      - {contact: agency, covers: [agency], copies: c, if_not_corrected: k}
      - {contact: prov, covers: [prov, agency]}
    """
    report = run(*SURVEY_IDENTIFIES, both)
    assert {(f.code, f.subject, f.related, f.where) for f in report} == {
        ("UH005", "prov", ("agency.eval",), "$.access[0]"),
        ("UH006", "prov", ("agency.eval",), "$.access[0]"),
    }
    (f,) = report.filter(code="UH005")
    assert "(access[0] and access[2])" in f.message
    assert "(`if_not_corrected` missing or empty)" in f.message
    assert f.remediation.startswith(
        "Say in `if_not_corrected` of each of the 2 access arrangements with contact 'prov' (access[0] "
        "and access[2]) what happens"
    )
    # one acceptance accepts it, and is not stale
    accepted = run(*SURVEY_IDENTIFIES, both, accept("UH005", "prov"))
    assert [(g.code, g.accepted is not None) for g in accepted] == [("UH005", True), ("UH006", False)]
    # near miss: two contacts make two findings, each at its own arrangement, told apart
    apart = run(
        *SURVEY_IDENTIFIES,
        both.replace("{contact: prov, covers: [prov, agency]}", "{contact: agency.eval, covers: [prov]}"),
    )
    uh005 = apart.filter(code="UH005")
    assert {(g.subject, g.where) for g in uh005} == {("prov", "$.access[0]"), ("agency.eval", "$.access[2]")}
    assert len({g.fingerprint for g in apart}) == len(apart) == 4
    # near miss: the second arrangement says it, so only the first is reported, alone
    (g,) = run(
        *SURVEY_IDENTIFIES,
        both.replace("covers: [prov, agency]}", "covers: [prov, agency], if_not_corrected: k}"),
    ).filter(code="UH005")
    assert (g.related, g.where) == ((), "$.access[0]")
    assert "the access arrangement with contact 'prov' covers" in g.message


def test_each_agreement_is_judged_by_its_own_arrangements() -> None:
    """Unlike a holder no arrangement covers (UH003), an arrangement is one agreement's: two
    agreements with the same silent arrangement make a finding each, and one's acceptance
    accepts its own only."""
    a = load(NO_IF_NOT_CORRECTED, accept("UH005", "prov"))
    b = attrs.evolve(load(NO_IF_NOT_CORRECTED), id="other-contract")
    report = dpup.check(dpup.graph(a, b))
    assert [(f.code, f.agreement, f.accepted is not None) for f in report] == [
        ("UH005", "base", True),
        ("UH005", "other-contract", False),
    ]
    assert len({f.fingerprint for f in report}) == 2
    # near miss: the other agreement says what happens, so only the accepted finding is left
    said = attrs.evolve(b, access=[attrs.evolve(b.access[0], if_not_corrected="Kept with the record")])
    assert [(f.code, f.agreement) for f in dpup.check(dpup.graph(a, said))] == [("UH005", "base")]


def test_an_arrangement_reaches_what_another_agreement_brings_to_the_holders_it_covers() -> None:
    """Who holds identifying information is read from the whole graph, as UH003 reads it: the
    agency's arrangement in one agreement covers the evaluation team that another agreement's
    flow brings the identifying survey to."""
    silent = load(AGENCY_ARRANGEMENT)
    assert list(dpup.check(silent)) == []  # alone, the agency holds nothing identifying
    other = attrs.evolve(load(*SURVEY_IDENTIFIES), id="other-contract")
    report = dpup.check(dpup.graph(silent, other))
    assert {(f.code, f.agreement, f.subject, f.related) for f in report} == {
        ("UH005", "base", "agency", ("agency.eval",)),
        ("UH006", "base", "agency", ("agency.eval",)),
    }


def test_copies_remediation_names_the_versions_the_people_need() -> None:
    (f,) = run(NO_COPIES)
    assert f.remediation == (
        "Say in `copies` of the access arrangement with contact 'prov' how people get copies of "
        "the records about them, in versions made for them (a 'child' version for 'kids')."
    )
    plain = (
        "Say in `copies` of the access arrangement with contact 'prov' how people get copies of "
        "the records about them."
    )
    # near miss: no group needs extra care
    (g,) = run(NO_COPIES, "service_users: [{id: kids, needs_extra_care: null}]")
    assert g.remediation == plain
    # near miss: the children need a child version, but what the provider holds that
    # identifies anyone is about the parents only
    (h,) = run(
        NO_COPIES,
        "information: [{id: record, about: [parents]}]",
        "flows: [{id: intake-kids, carries: [survey]}]",
    ).filter(code="UH006")
    assert h.remediation == plain


def test_select_names_uh005_alone(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(patched("access: [{contact: prov, covers: [prov, agency]}]"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("- contact: prov") + 1
    out = io.StringIO()
    code = main(["check", "--select", "UH005", "--format", "json", str(path)], out=out, err=io.StringIO())
    assert code == EXIT_FINDINGS  # a warning fails at --fail-on warning
    data = json.loads(out.getvalue())
    assert [(f["code"], f["subject"], f["where"], f["line"]) for f in data["findings"]] == [
        ("UH005", "prov", "$.access[0]", line)
    ]
    assert data["not_shown"] == 1  # UH006's
    # near miss: UH006 alone, an info finding, passes at --fail-on warning
    assert main(["check", "--select", "UH006", str(path)], out=io.StringIO(), err=io.StringIO()) == EXIT_OK


def test_a_holder_reached_by_two_agreements_flows_of_one_id_lists_the_id_once() -> None:
    a = load(INSIGHTS)
    b = attrs.evolve(a, id="other-contract")
    (f,) = [f for f in dpup.check(dpup.graph(a, b)) if f.code == "UH002"]
    assert f.related == ("to-insights",)
    assert f.fingerprint == next(g for g in dpup.check(a) if g.code == "UH002").fingerprint


def test_an_unexplained_collection_says_it_collects_from_the_group() -> None:
    """A flow from a group is owed to that group (collection), whatever its information is
    about; the message says it collects from them rather than that it moves information
    about them. The first draft of Best foot forward expects exactly this of intake flows."""
    patch = "explanations: [{id: notice, covers: [intake-kids, report, eval-data, findings-back]}]"
    (f,) = [f for f in run(patch) if f.code == "ME001"]
    assert (f.subject, f.related) == ("intake-parents", ("parents",))
    assert "collects information from 'parents'" in f.message
    # near miss: a flow between holders moves information about the groups
    (g,) = [
        g
        for g in run(
            "explanations: [{id: notice, covers: [intake-parents, intake-kids, eval-data, findings-back]}]"
        )
        if g.code == "ME001"
    ]
    assert "moves information about 'kids' and 'parents'" in g.message


def test_a_path_starts_at_the_group_even_when_the_group_is_given_a_copy_back() -> None:
    patch = """
    purposes: [{id: reporting, compatible_with: []}]
    flows:
      - {id: copy-back, from: prov, to: parents, carries: [record], purpose: delivery, choice: c}
      - {id: fwd, from: prov, to: agency.rep, carries: [record], purpose: reporting, no_choice_reason: n}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, copy-back, fwd]
    """
    found = {f.subject: f for f in run(patch) if f.code == "PM005"}
    assert found["fwd"].path == ("parents", "prov", "agency.rep")


@pytest.mark.parametrize("need", ["", "   "])
def test_a_blank_need_for_extra_care_is_no_need(need: str) -> None:
    assert "ME005" not in codes(run(f"service_users: [{{id: parents, needs_extra_care: {need!r}}}]"))
    # near miss: a need that is stated and has no version
    assert "ME005" in codes(run("service_users: [{id: parents, needs_extra_care: easy-read}]"))


def test_a_team_not_set_up_where_no_team_is_says_to_set_one_up() -> None:
    (f,) = [f for f in run("flows: [{id: report, purpose: evaluation}]") if f.code == "PM003"]
    assert "agency.eval" in f.remediation  # a team set up for evaluation exists: send it there
    patch = "holders: [{id: agency, teams: [{id: agency.eval, purposes: [reporting]}]}]"
    (g,) = [g for g in run(patch) if g.code == "PM003" and g.subject == "eval-data"]
    assert "No team of 'agency' is set up for 'evaluation'" in g.remediation
    assert "set up a team for it" in g.remediation


def test_a_team_of_a_provider_not_set_up_says_which_of_its_teams_is() -> None:
    patch = """
    holders:
      - id: prov
        teams:
          - {id: prov.intake, name: Intake, purposes: []}
          - {id: prov.research, name: Research, purposes: [evaluation]}
    flows:
      - {id: to-intake, from: prov, to: prov.intake, carries: [survey], purpose: evaluation, choice: c}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-intake]
    """
    (f,) = run(patch)
    assert (f.code, f.subject, f.related) == ("PM003", "to-intake", ("prov.intake", "evaluation"))
    assert f.message.endswith("which is set up for no purpose.")
    assert f.remediation.startswith("Send 'to-intake' to 'prov.research', set up for 'evaluation'")


@pytest.mark.parametrize(
    ("flow", "fix"),
    [
        ("{id: eval-data, to: agency}", "Send 'eval-data' to 'agency.eval', set up for 'evaluation'."),
        (
            "{id: eval-data, to: agency, purpose: delivery}",
            "Send 'eval-data' to the team of 'agency' that uses it, with 'delivery' among its `purposes`, "
            "or set up a team for it.",
        ),
        (
            "{id: eval-data, to: agency, purpose: null}",
            "Send 'eval-data' to the team of 'agency' that uses it, with the flow's purpose among its "
            "`purposes`, or set up a team for it.",
        ),
    ],
    ids=["team-set-up", "no-team-set-up", "no-purpose"],
)
def test_a_flow_into_an_agency_as_a_whole_says_where_to_send_it(flow: str, fix: str) -> None:
    report = run(f"flows: [{flow}]", "explanations: [{id: notice, names: {holders: [prov, agency]}}]")
    (f,) = [f for f in report if f.code == "PM011"]
    assert f.remediation == fix


def test_a_flow_into_an_agency_is_judged_by_its_own_agreements_teams() -> None:
    """The MoU declares the agency with no teams and sends it counts; the base agreement
    declares its teams. Combined, the MoU's flow is judged as the MoU declares the agency."""
    mou = dpup.loads(
        MOU.replace("    teams:\n      - {id: agency.data, name: Data team, purposes: [reporting]}\n", "")
        .replace("to: agency.data", "to: agency")
        .replace("identifiability: aggregate}", "identifiability: aggregate, sensitivity: low}")
    )
    assert list(dpup.check(dpup.graph(load(), mou))) == []
    # near miss: declared with a team, the MoU's flow to the agency as a whole is PM011
    teams = dpup.loads(MOU.replace("to: agency.data", "to: agency"))
    assert ("mou", "PM011", "counts-to-data") in {(f.agreement, f.code, f.subject) for f in dpup.check(teams)}


def test_a_holder_never_named_says_which_explanations_to_name_it_in_sorted() -> None:
    def five_notices(data: dict[str, Any]) -> None:
        notice = data["explanations"][0]
        notice["names"]["holders"] = ["prov", "agency.rep"]
        for eid in ("zeta", "alpha", "mu", "kappa"):
            data["explanations"].append({**copy.deepcopy(notice), "id": eid})

    (f,) = [f for f in run(five_notices) if f.code == "UH001"]
    assert f.remediation == (
        "Add 'agency.eval' (or its organisation) to `names.holders` of 'alpha', 'kappa', 'mu', "
        "'notice' and 'zeta', and say in plain words what it does with the information."
    )


def test_onward_use_says_which_purpose_to_make_compatible_with_which() -> None:
    (f,) = [f for f in run(REP_TO_EVAL) if f.code == "PM005"]
    assert f.remediation == (
        "Either stop flow 'rep-to-eval', or add 'reporting' to `compatible_with` of purpose "
        "'evaluation', once you have checked that using for 'evaluation' what arrived for "
        "'reporting' is legal, ethical, respectful, fair and reasonable, and explained to the people it is "
        "about."
    )
    # the edit it names is the fix (the near miss evaluation-declared-compatible)
    assert "PM005" not in codes(
        run(REP_TO_EVAL, "purposes: [{id: evaluation, compatible_with: [reporting]}]")
    )


def test_onward_use_arriving_for_two_purposes_names_both() -> None:
    patch = next(c for c in FIRES if str(c) == "PM005-two-clashing-arrivals").patches
    (f,) = [f for f in run(*patch) if f.code == "PM005"]
    assert f.remediation.startswith(
        "Either stop flow 's-on', or add 'delivery' and 'reporting' to `compatible_with` of purpose "
        "'evaluation', once you have checked that using for 'evaluation' what arrived for 'delivery' "
        "or 'reporting' is legal, ethical"
    )


def test_onward_use_for_an_undeclared_purpose_says_to_declare_it_first() -> None:
    (f,) = [
        f for f in run(REP_TO_EVAL, "flows: [{id: rep-to-eval, purpose: evalution}]") if f.code == "PM005"
    ]
    assert f.remediation.startswith(
        "Either stop flow 'rep-to-eval', or declare purpose 'evalution' under `purposes` (see PM002) "
        "with 'reporting' in its `compatible_with`, once"
    )


def test_an_unexplained_flow_names_the_explanation_to_cover_it_in() -> None:
    report = run(
        "explanations: [{id: notice, covers: [intake-parents, intake-kids, eval-data, findings-back]}]"
    )
    (f,) = [f for f in report if f.code == "ME001"]
    assert f.remediation == "Add 'report' to `covers` of explanation 'notice'."
    # ... and what it must name besides, when it does not yet
    report = run(
        "explanations: [{id: notice, covers: [intake-parents, intake-kids, eval-data, findings-back], "
        "names: {holders: [prov, agency.eval], purposes: [delivery, evaluation]}}]"
    )
    (f,) = [f for f in report if f.code == "ME001"]
    assert f.remediation == (
        "Add 'report' to `covers` of explanation 'notice', and 'agency.rep' to its `names.holders` "
        "and 'reporting' to its `names.purposes`."
    )
    # near miss: no explanation for the group at all, and the general advice stands
    (f,) = [f for f in run("explanations: []") if f.code == "ME001" and f.subject == "report"]
    assert f.remediation == CHECKS["ME001"].remediation


def test_an_unexplained_flow_names_an_explanation_for_each_group_not_told() -> None:
    def uncover(data: dict[str, Any]) -> None:
        for ex in data["explanations"]:
            ex["covers"].remove("report")

    (f,) = [f for f in run(split_notice, uncover) if f.code == "ME001"]
    assert f.remediation == (
        "Add 'report' to `covers` of explanation 'notice-kids' (for 'kids') and of explanation "
        "'notice' (for 'parents'); each must also name 'agency.rep' (the recipient) and 'reporting' "
        "(the purpose)."
    )

    def parents_only(data: dict[str, Any]) -> None:
        data["explanations"][0]["for"] = ["parents"]
        data["explanations"][0]["covers"].remove("report")

    (f,) = [f for f in run(parents_only) if f.code == "ME001" and f.subject == "report"]
    assert f.remediation.startswith(
        "Add 'report' to `covers` of explanation 'notice' (for 'parents'), and write an explanation "
        "for 'kids' that covers it; each must"
    )

    def two_for_both(data: dict[str, Any]) -> None:
        uncover(data)
        data["explanations"].append({**copy.deepcopy(data["explanations"][0]), "id": "a-card"})

    (f,) = [f for f in run(two_for_both) if f.code == "ME001"]
    assert f.remediation.startswith("Add 'report' to `covers` of one of explanations 'a-card' or 'notice';")


def test_an_unexplained_flow_for_no_purpose_names_only_its_recipient_besides() -> None:
    def uncover(data: dict[str, Any]) -> None:
        for ex in data["explanations"]:
            ex["covers"].remove("report")

    (f,) = [
        f for f in run(split_notice, uncover, "flows: [{id: report, purpose: null}]") if f.code == "ME001"
    ]
    assert f.remediation == (
        "Add 'report' to `covers` of explanation 'notice-kids' (for 'kids') and of explanation "
        "'notice' (for 'parents'); each must also name 'agency.rep' (the recipient)."
    )
    # near miss: a purpose that is declared is named too
    (f,) = [f for f in run(split_notice, uncover) if f.code == "ME001"]
    assert f.remediation.endswith(
        "; each must also name 'agency.rep' (the recipient) and 'reporting' (the purpose)."
    )


@pytest.mark.parametrize(
    "flow",
    [
        "{id: report, purpose: null}",  # for no purpose (PM004)
        "{id: report, purpose: fundraising}",  # for an undeclared purpose: PM002 says to declare it first
        "{id: tell-back, from: prov, to: parents, carries: [findings], purpose: evaluation, "
        "no_choice_reason: Findings identify no one}",  # to a group, which no explanation names
    ],
)
def test_an_unexplained_flow_asks_an_explanation_to_name_only_a_holder_and_a_declared_purpose(
    flow: str,
) -> None:
    fid = flow[len("{id: ") : flow.index(",")]
    uncovered = (
        "explanations: [{id: notice, covers: [intake-parents, intake-kids, eval-data, findings-back]}]"
    )
    (f,) = [f for f in run(f"flows: [{flow}]", uncovered) if f.code == "ME001" and f.subject == fid]
    assert f.remediation == f"Add {fid!r} to `covers` of explanation 'notice'."


def test_an_unexplained_flow_to_a_group_for_no_purpose_needs_only_covering_in_each_explanation() -> None:
    def uncover(data: dict[str, Any]) -> None:
        for ex in data["explanations"]:
            ex["covers"].remove("report")

    def a_second_card_for_kids(data: dict[str, Any]) -> None:
        data["explanations"].append({**copy.deepcopy(data["explanations"][1]), "id": "card-kids"})

    to_parents = "flows: [{id: report, to: parents, purpose: null}]"
    (f,) = [f for f in run(split_notice, uncover, to_parents) if f.code == "ME001"]
    assert f.remediation == (
        "Add 'report' to `covers` of explanation 'notice-kids' (for 'kids') and of explanation "
        "'notice' (for 'parents')."
    )
    # near miss: for a purpose, that purpose (but no recipient) is to be named
    (f,) = [f for f in run(split_notice, uncover, "flows: [{id: report, to: parents}]") if f.code == "ME001"]
    assert f.remediation.endswith("(for 'parents'); each must also name 'reporting' (the purpose).")
    # a group with two explanations: either will do
    (f,) = [f for f in run(split_notice, a_second_card_for_kids, uncover, to_parents) if f.code == "ME001"]
    assert f.remediation == (
        "Add 'report' to `covers` of explanation 'card-kids' or 'notice-kids' (for 'kids') and of "
        "explanation 'notice' (for 'parents')."
    )


# -- edges edited by hand ---------------------------------------------------------------------


def test_a_declared_flow_moved_to_another_key_is_still_declared() -> None:
    def move(G: Any) -> None:
        data = G.edges["prov", "agency.eval", "eval-data"]
        G.remove_edge("prov", "agency.eval", "eval-data")
        G.add_edge("prov", "agency.eval", key="renamed", **data)

    assert list(run(graph_edit=move)) == []


def test_a_flow_tagged_with_an_agreement_into_a_team_it_does_not_declare_is_reported_not_a_crash() -> None:
    """PM003 asks the flow's agreement about the team it reaches: an edge that only says it
    belongs to the agreement must not be asked about (it raised KeyError before)."""

    def edit(G: Any) -> None:
        G.add_node(
            "agency.audit", kind="team", name="Audit", organisation="agency", declared_in=[], party_to=[]
        )
        audit_edge("base", to="agency.audit", fid="audit-2", carries="counts", purpose="reporting")(G)

    # a team of a party is no stranger (UH002), but the flow and the team are undeclared
    assert triples(run(graph_edit=edit)) == {
        ("UH004", "audit-2", ("counts",)),
        ("UH001", "agency.audit", ("kids", "parents")),
    }


def test_an_edge_naming_an_agreement_the_graph_lacks_is_an_error_not_an_undeclared_flow() -> None:
    """As after networkx.compose, which keeps one graph's agreements: reading the other's
    flows as undeclared would change the findings without a word."""
    with pytest.raises(dpup.GraphError) as caught:
        run(graph_edit=audit_edge("field-audit"))
    e = caught.value
    assert e.edge == ("prov", "agency.eval", "audit-survey")
    assert e.agreements == ("field-audit",)
    message = str(e)
    assert "('prov', 'agency.eval', 'audit-survey') names agreement 'field-audit'" in message
    assert "it holds 'base'" in message
    assert "dpup.graph(*agreements)" in message
    # a plain networkx graph holds no agreements, and the message says so
    plain = nx.MultiDiGraph()
    plain.add_edge("prov", "agency.eval", key="audit-survey", agreement="base")
    with pytest.raises(
        dpup.GraphError, match=r"names agreement 'base', which is not in \S+ \(it holds none\)"
    ):
        dpup.check(plain)
    # near misses: an edge of no agreement, or of one the graph holds, is read (UH004)
    assert ("UH004", "audit-survey", ("survey",)) in triples(run(graph_edit=audit_edge(None)))
    assert ("UH004", "audit-survey", ("survey",)) in triples(run(graph_edit=audit_edge("base")))


def test_networkx_compose_of_two_dpup_graphs_is_refused_when_checked() -> None:
    a, b = load(), dpup.examples.load("best-foot-forward")
    composed = nx.compose(a.graph(), b.graph())
    for family in (dpup.check, dpup.purpose_mismatches, dpup.untraceable_holders):
        with pytest.raises(dpup.GraphError, match=r"networkx's compose and compose_all keep only one"):
            family(composed)
    # near miss: the supported way gives a report
    assert len(dpup.check(dpup.graph(a, b))) > 0


def _hand(**data: Any) -> Callable[[Any], None]:
    def edit(G: Any) -> None:
        G.add_edge("prov", "agency", key="by-hand", **data)

    return edit


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"flow": "eval-data"}, "attribute 'flow' must be a dpup.DataFlow (or left out), not 'eval-data' (a str)"),
        ({"information": "survey"}, "attribute 'information' must be a tuple of dpup.Information items (or left out), not 'survey' (a str)"),
        ({"information": None}, "attribute 'information' must be a tuple of dpup.Information items (or left out), not None"),
        ({"information": ["survey"]}, "attribute 'information' must be a tuple holding only dpup.Information items, not 'survey' (a str)"),
        ({"purpose": "evaluation"}, "attribute 'purpose' must be a dpup.Purpose (or None, or left out), not 'evaluation' (a str)"),
        ({"agreement": 3}, "attribute 'agreement' must be the id of an agreement in the graph (or None, or left out), not 3 (an int)"),
    ],
)  # fmt: skip
def test_a_hand_added_edge_with_an_attribute_of_the_wrong_type_is_a_graph_error(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(dpup.GraphError) as caught:
        run(graph_edit=_hand(**data))
    assert str(caught.value) == f"edge ('prov', 'agency', 'by-hand'): {message}"
    assert caught.value.edge == ("prov", "agency", "by-hand")


def test_a_hand_added_edge_with_a_key_or_node_that_is_not_text_is_a_graph_error() -> None:
    """networkx keys an edge added without a key 0, 1, ...: such a key is not a flow's id,
    and read as one it broke the report's JSON (its fingerprint joins text)."""
    plain = nx.MultiDiGraph()
    plain.add_edge("prov", "agency")
    with pytest.raises(dpup.GraphError) as caught:
        dpup.check(plain)
    assert str(caught.value) == (
        "edge ('prov', 'agency', 0): its key must be a flow's id (text), not 0 (an int); "
        "add an edge by hand with one: G.add_edge(u, v, key='flow-id')"
    )
    assert caught.value.edge == ("prov", "agency", 0)
    numbered = nx.MultiDiGraph()
    numbered.add_edge(1, "agency", key="f")
    with pytest.raises(
        dpup.GraphError,
        match=r"^edge \(1, 'agency', 'f'\): its source must be a node's id \(text\), not 1 \(an int\)",
    ):
        dpup.untraceable_holders(numbered)
    # near miss: the same edge with a key is read, and its report is JSON
    plain = nx.MultiDiGraph()
    plain.add_edge("prov", "agency", key="by-hand")
    assert "UH002" in dpup.check(plain).to_json()


MANY_GROUPS = """
service_users:
  - {id: aunties, name: Aunties}
  - {id: uncles, name: Uncles}
  - {id: elders, name: Elders}
  - {id: cousins, name: Cousins}
information:
  - {id: counts, about: [parents, uncles, kids, elders, aunties, cousins]}
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, eval-data, findings-back]
"""


def move_report(G: Any) -> None:
    """Move the declared flow report's edge to another key between the same holders."""
    data = G.edges["prov", "agency.rep", "report"]
    G.remove_edge("prov", "agency.rep", "report")
    G.add_edge("prov", "agency.rep", key="report-moved", **data)


def test_a_declared_flow_moved_to_another_key_names_the_groups_to_tell_in_order() -> None:
    """Counts about six groups, and no explanation covers report: ME001 names them in order,
    whether the flow is read where dpup.graph put it or from an edge moved by hand."""
    groups = ("aunties", "cousins", "elders", "kids", "parents", "uncles")
    for edit in (None, move_report):
        (f,) = [f for f in run(MANY_GROUPS, graph_edit=edit) if f.code == "ME001"]
        assert (f.subject, f.related) == ("report", groups)
        assert f.message.endswith("'parents' and 'uncles', and no explanation to them covers it.")


def test_a_hand_added_edge_with_the_right_types_or_none_at_all_is_read() -> None:
    # The near misses: attributes left out, None, a list of Information, a Purpose.
    G = load().graph()
    base = G.graph["agreements"]["base"]
    G.add_edge("prov", "agency", key="bare")
    G.add_edge("prov", "agency", key="nones", flow=None, purpose=None, agreement=None)
    G.add_edge(
        "prov", "agency", key="listed", information=[base.info("survey")], purpose=base.purpose("evaluation")
    )

    class Items(tuple):  # type: ignore[type-arg]
        """A tuple of another class (as a namedtuple is) is a tuple all the same."""

    G.add_edge("prov", "agency", key="subclassed", information=Items([base.info("counts")]))
    found = {(f.subject, f.related) for f in dpup.check(G) if f.code == "UH004"}
    assert {("bare", ()), ("nones", ()), ("listed", ("survey",)), ("subclassed", ("counts",))} <= found
    assert [f for _, _, k, f in dpup.flows(G) if k in ("bare", "nones", "listed")] == [None, None, None]


# -- several agreements in one graph ---------------------------------------------------------

CONTRACT = """
dpup: 1
agreement:
  id: contract
  title: The agency's contract with Insights Ltd
  parties: [agency, insights]
service_users:
  - {id: parents, name: Parents}
  - {id: kids, name: Children, needs_extra_care: child}
holders:
  - id: agency
    kind: agency
    name: The agency
    teams:
      - {id: agency.eval, name: Evaluation team, purposes: [evaluation]}
  - {id: insights, kind: provider, name: Insights Ltd}
purposes:
  - id: evaluation
    description: Learn whether the programme works
    benefit: Future families get a better programme
    needs_identity: false
    authority: Contract clause 1
  - id: analytics
    description: Analyse the programme
    benefit: Better programmes
    needs_identity: false
    authority: Contract clause 2
information:
  - id: survey
    description: Survey answers without names
    about: [parents, kids]
    identifiability: de-identified
    sensitivity: low
flows:
  - id: to-insights
    from: agency.eval
    to: insights
    carries: [survey]
    purpose: analytics
    no_choice_reason: Answers identify no one
explanations:
  - id: contract-notice
    for: [parents, kids]
    versions: [adult, child]
    covers: [to-insights]
    names: {holders: [insights, agency.eval], purposes: [analytics]}
    says: {what: a, why: b, how_used: c, benefit: d, linking: e, not_used_for: f, who_sees: g,
           shared_with: h, laws: i, access_and_correction: j, if_not_corrected: k, choices: l,
           no_choice_why: n, involvement: m}
access:
  - {contact: insights, covers: [insights]}
"""


MOU = """
dpup: 1
agreement:
  id: mou
  title: The provider's data-sharing MoU, which the agency does not sign
  parties: [prov]
service_users:
  - {id: parents, name: Parents}
holders:
  - {id: prov, kind: provider, name: The provider}
  - id: agency
    kind: agency
    name: The agency
    teams:
      - {id: agency.data, name: Data team, purposes: [reporting]}
purposes:
  - {id: reporting, description: r, benefit: b, needs_identity: false, authority: a}
information:
  - {id: counts2, description: c, about: [parents], identifiability: aggregate}
flows:
  - {id: counts-to-data, from: prov, to: agency.data, carries: [counts2], purpose: reporting,
     no_choice_reason: counts identify no one}
explanations:
  - id: n2
    for: [parents]
    versions: [adult]
    covers: [counts-to-data]
    names: {holders: [prov, agency], purposes: [reporting]}
    says: {what: a, why: b, how_used: c, benefit: d, linking: e, not_used_for: f, who_sees: g,
           shared_with: h, laws: i, access_and_correction: j, if_not_corrected: k, choices: l,
           no_choice_why: n, involvement: m}
"""


@pytest.mark.parametrize("order", [1, -1])
def test_a_team_declared_where_its_organisation_is_no_party_is_party_to_what_its_organisation_is(
    order: int,
) -> None:
    """The agency signs the base agreement only; the MoU declares a team of it that the base
    does not. The team is party to what its organisation is party to, in either order."""
    base, mou = load(), dpup.loads(MOU)
    G = dpup.graph(*[base, mou][::order])
    assert G.nodes["agency.data"]["party_to"] == G.nodes["agency"]["party_to"] == ["base"]
    assert "UH002" not in codes(dpup.check(G))
    # near miss: an agency that signs neither, with the MoU's team receiving
    alone = dpup.check(mou)
    assert triples(alone) >= {("UH002", "agency.data", ("counts-to-data",))}


def test_each_agreement_alone_is_clean() -> None:
    assert list(dpup.check(dpup.loads(CONTRACT))) == []
    assert list(run()) == []


def test_a_combined_graph_follows_onward_use_across_agreements() -> None:
    """survey reaches agency.eval for evaluation under the base agreement, and the contract
    takes it on for analytics, which is not declared compatible: only the combined graph
    shows it, with the path through both agreements."""
    base, contract = load(), dpup.loads(CONTRACT)
    report = dpup.check(dpup.graph(base, contract))
    assert {(f.agreement, f.code, f.subject, f.related) for f in report} == {
        ("contract", "PM005", "to-insights", ("survey", "evaluation")),
    }
    (f,) = report
    assert f.path == ("prov", "agency.eval", "insights")
    # declaring analytics compatible with evaluation, in the contract, settles it
    fixed = dpup.loads(
        CONTRACT.replace(
            "    authority: Contract clause 2\n",
            "    authority: Contract clause 2\n    compatible_with: [evaluation]\n",
        )
    )
    assert list(dpup.check(dpup.graph(base, fixed))) == []


def test_onward_use_reads_compatibility_only_in_the_agreements_of_its_two_flows() -> None:
    """A third agreement, whose id happens to be the onward purpose's, declares analytics
    compatible with evaluation: the contract's own declaration still decides its flow."""
    base, contract = load(), dpup.loads(CONTRACT)
    analytics = dpup.loads(
        CONTRACT.replace("  id: contract\n", "  id: analytics\n").replace(
            "    authority: Contract clause 2\n",
            "    authority: Contract clause 2\n    compatible_with: [evaluation]\n",
        )
    )
    report = dpup.check(dpup.graph(base, contract, analytics))
    assert {(f.agreement, f.code, f.subject, f.related) for f in report} == {
        ("contract", "PM005", "to-insights", ("survey", "evaluation")),
    }


REP_PUBLISHES = """
flows:
  - id: rep-publish
    from: agency.rep
    to: agency.eval
    carries: [survey]
    purpose: publicity
    no_choice_reason: Answers identify no one
explanations:
  - id: notice
    covers: [intake-parents, intake-kids, report, eval-data, findings-back, rep-publish]
"""


def test_onward_use_of_what_an_edge_of_no_agreement_brought_is_looked_up_where_it_can_be() -> None:
    """The survey reaches agency.rep for evaluation by an edge added by hand that names no
    agreement, and leaves for 'publicity', which the base never declares. Compatibility is
    looked up in the base, then in the arriving edge's agreement, which is none: nothing
    declares publicity compatible with evaluation, so PM005, not a failed check."""
    report = run(REP_PUBLISHES, graph_edit=audit_edge(None, to="agency.rep"))
    (f,) = [f for f in report if f.code == "PM005"]
    assert (f.agreement, f.subject, f.related) == ("base", "rep-publish", ("survey", "evaluation"))
    assert f.path == ("prov", "agency.rep", "agency.eval")
    assert {(g.code, g.subject) for g in report} >= {("PM002", "rep-publish"), ("UH004", "audit-survey")}


def test_a_combined_graph_of_agreements_that_do_not_touch_has_each_ones_findings() -> None:
    """The base, with its holders and groups renamed so it shares nothing with the first
    draft of Best foot forward and one fault added: combined, each keeps its own findings,
    attributed to its own agreement."""
    renamed = patched("flows: [{id: report, purpose: null}]").replace("agency", "ministry")
    renamed = renamed.replace("kind: ministry", "kind: agency")
    other = dpup.loads(renamed.replace("parents", "caregivers"))
    before = dpup.examples.load("best-foot-forward-before")
    combined = dpup.check(dpup.graph(before, other))
    alone = [*dpup.check(before), *dpup.check(other)]
    assert ("base", "PM001", "report") in {(f.agreement, f.code, f.subject) for f in combined}
    assert sorted(combined, key=dpup.Finding.sort_key) == list(combined)
    assert set(combined) == set(alone)
    assert len(combined) == len(alone)


def test_check_of_a_graph_equals_check_of_its_agreement() -> None:
    assert list(dpup.check(BEFORE.graph())) == list(dpup.check(BEFORE))


def test_two_agreements_with_the_same_flow_ids_between_the_same_holders() -> None:
    """A provider's two contracts with one agency (this year's and last year's) reuse flow ids."""
    a = load()
    b = attrs.evolve(a, id="base-last-year")
    assert list(dpup.check(dpup.graph(a, b))) == []


@pytest.mark.parametrize(
    ("first", "keys"),
    [(True, ("b:eval-data", "b:eval-data:2")), (False, ("b:b:eval-data", "b:eval-data"))],
    ids=["declared-first", "declared-last"],
)
def test_a_flow_whose_id_is_the_key_another_flow_would_get_leaves_that_flow_its_own_edge(
    first: bool, keys: tuple[str, str]
) -> None:
    """Ids may hold a colon. The second contract declares a flow 'b:eval-data', carrying the
    record, beside its copy of eval-data, which is keyed 'b:eval-data' when that is free.
    Declared first, the flow takes that key and b's eval-data gets 'b:eval-data:2'; declared
    last, it finds the key taken and gets 'b:b:eval-data'. Each flow is read from its own
    edge, so only the record's flow is faulted (identifying for evaluation, not explained)."""
    a = load()
    like_a_key = attrs.evolve(a.flow("eval-data"), id="b:eval-data", carries=["record"])
    b = attrs.evolve(a, id="b", flows=(like_a_key, *a.flows) if first else (*a.flows, like_a_key))
    G = dpup.graph(a, b)
    assert G.edges["prov", "agency.eval", keys[0]]["flow"] is like_a_key
    assert G.edges["prov", "agency.eval", keys[1]]["flow"] is a.flow("eval-data")
    assert {(f.agreement, f.code, f.subject) for f in dpup.check(G)} == {
        ("b", "PM004", "b:eval-data"),
        ("b", "PM005", "b:eval-data"),
        ("b", "ME001", "b:eval-data"),
    }


def test_an_acceptance_matches_a_flow_of_the_second_of_two_agreements_sharing_flow_ids() -> None:
    a = load("flows: [{id: report, purpose: null}]", accept("PM001", "report"))
    b = attrs.evolve(a, id="base-last-year")
    report = dpup.check(dpup.graph(a, b))
    assert {(f.agreement, f.code, f.subject) for f in report} == {
        ("base", "PM001", "report"),
        ("base-last-year", "PM001", "report"),
    }
    assert report.open() == ()


HOLDER_FINDINGS = [
    ("UH001", "agency.eval", "explanations: [{id: notice, names: {holders: [prov, agency.rep]}}]"),
    ("UH002", "insights", INSIGHTS),
    ("UH003", "prov", "access: [{contact: agency, covers: [agency]}]"),
    ("SV001", "agency", NO_FINDINGS_BACK),
]


@pytest.mark.parametrize(
    ("code", "subject", "fault"), HOLDER_FINDINGS, ids=[c for c, _, _ in HOLDER_FINDINGS]
)
@pytest.mark.parametrize("order", [1, -1], ids=["accepting-first", "accepting-second"])
def test_an_acceptance_holds_whichever_agreement_comes_first(
    code: str, subject: str, fault: str, order: int
) -> None:
    """Two contracts reach the same holder; one accepts the finding about it. The finding is
    accepted, attributed to the accepting agreement, and its acceptance is not stale, in
    either order."""
    accepting = load(fault, accept(code, subject))
    other = attrs.evolve(load(fault), id="other-contract")
    report = dpup.check(dpup.graph(*[accepting, other][::order]))
    (f,) = [f for f in report if (f.code, f.subject) == (code, subject)]
    assert f.accepted is not None
    assert f.agreement == "base"
    assert [g.code for g in report.open() if g.code in (code, code[:2] + "900")] == []
    # near miss: accepted by neither, the finding is open, attributed to the first
    plain = dpup.check(dpup.graph(*[load(fault), other][::order]))
    (g,) = [g for g in plain.open() if (g.code, g.subject) == (code, subject)]
    assert g.agreement == ["base", "other-contract"][::order][0]


@pytest.mark.parametrize("carries", [["record"], ["record", "findings"]], ids=["record", "record-and-more"])
@pytest.mark.parametrize("order", [1, -1], ids=["accepting-first", "accepting-second"])
def test_an_accepted_uncovered_holder_goes_to_an_agreement_whose_identifying_flows_reach_it(
    carries: list[str], order: int
) -> None:
    """Both contracts leave the provider out of every access arrangement, and only one accepts
    that. The accepting one sends the provider nothing but its intake flows, carrying the
    identifying record (alone, or beside an aggregate item); the other sends it de-identified
    and aggregate information as well. The finding is the accepting agreement's, and accepted,
    in either order: what counts is whose flows of identifying information reach the holder."""

    def intake_only(data: dict[str, Any]) -> None:
        data["flows"] = [f for f in data["flows"] if f["id"] in ("intake-parents", "intake-kids")]
        for f in data["flows"]:
            f["carries"] = carries
        data["explanations"][0]["covers"] = ["intake-parents", "intake-kids"]

    no_access = "access: [{contact: agency, covers: [agency]}]"
    accepting = load(no_access, intake_only, accept("UH003", "prov"))
    other = attrs.evolve(load(no_access), id="other-contract")
    report = dpup.check(dpup.graph(*[accepting, other][::order]))
    assert [(f.agreement, f.code, f.subject, f.accepted is not None) for f in report] == [
        ("base", "UH003", "prov", True)
    ]


def test_an_acceptance_in_each_of_two_agreements_is_neither_stale() -> None:
    fault = INSIGHTS
    a = load(fault, accept("UH002", "insights"))
    b = attrs.evolve(a, id="other-contract")
    for agreements in ([a, b], [b, a]):
        report = dpup.check(dpup.graph(*agreements))
        assert [(f.code, f.accepted is not None) for f in report] == [("UH002", True)]


# -- the family functions ----------------------------------------------------------------------

FAMILY_FUNCTIONS = {
    dpup.Family.PURPOSE_MISMATCH: dpup.purpose_mismatches,
    dpup.Family.MISSING_EXPLANATION: dpup.missing_explanations,
    dpup.Family.UNTRACEABLE_HOLDER: dpup.untraceable_holders,
    dpup.Family.SHARING_VALUE: dpup.sharing_value,
}


@pytest.mark.parametrize("family", list(dpup.Family), ids=str)
def test_family_functions_return_exactly_their_family(family: dpup.Family) -> None:
    with_acceptances = attrs.evolve(
        BEFORE,
        accepted=(
            dpup.Acceptance(code="PM004", subject="tender", reason="r", by="b"),
            dpup.Acceptance(code="SV001", subject="agency", reason="r", by="b"),
            dpup.Acceptance(code="UH002", subject="nobody", reason="r", by="b"),
        ),
    )
    G = with_acceptances.graph()
    found = list(FAMILY_FUNCTIONS[family](G))
    assert found
    assert {f.family for f in found} == {family}
    assert found == [f for f in dpup.check(G) if f.family == family]


def test_family_functions_take_a_graph_first_and_return_iterators() -> None:
    G = BEFORE.graph()
    for fn in FAMILY_FUNCTIONS.values():
        out = fn(G)
        assert iter(out) is out


def test_findings_do_not_depend_on_the_order_agreements_are_combined_in() -> None:
    """The contract sets agency.eval up for analytics too, and sends analysis back to it."""
    contract = dpup.loads(CONTRACT.replace("purposes: [evaluation]}", "purposes: [evaluation, analytics]}"))
    contract = attrs.evolve(
        contract,
        flows=(
            *contract.flows,
            dpup.DataFlow(
                id="analysis-back",
                from_="insights",
                to="agency.eval",
                carries=["survey"],
                purpose="analytics",
                no_choice_reason="Answers identify no one",
            ),
        ),
        explanations=tuple(
            attrs.evolve(ex, covers=(*ex.covers, "analysis-back")) for ex in contract.explanations
        ),
    )
    assert list(dpup.check(contract)) == []
    base = load()
    one = triples(dpup.check(dpup.graph(base, contract)))
    other = triples(dpup.check(dpup.graph(contract, base)))
    assert one == other == {("PM005", "to-insights", ("survey", "evaluation"))}


# -- cost: the chain-following checks grow linearly ------------------------------------------


def long_chain(n: int) -> dpup.Agreement:
    """Information collected by a provider and passed along ``n`` agency teams for one
    purpose, then from the last team to a second provider for another: one PM005, whose
    path (n + 3 holders long) is the only long thing the check must build."""
    teams = [dpup.Team(id=f"agency.t{k}", name=f"Team {k}", purposes=["use"]) for k in range(n)]
    flows = [
        dpup.DataFlow(id="in", from_="people", to="prov", carries=["rec"], purpose="use"),
        dpup.DataFlow(id="hop0", from_="prov", to="agency.t0", carries=["rec"], purpose="use"),
        *(
            dpup.DataFlow(
                id=f"hop{k + 1}", from_=f"agency.t{k}", to=f"agency.t{k + 1}", carries=["rec"], purpose="use"
            )
            for k in range(n - 1)
        ),
        dpup.DataFlow(id="out", from_=f"agency.t{n - 1}", to="other", carries=["rec"], purpose="other-use"),
    ]
    purposes = [
        dpup.Purpose(id=p, description="d", benefit="b", authority="a", needs_identity=False)
        for p in ("use", "other-use")
    ]
    return dpup.Agreement(
        id="chain",
        title="A long chain",
        parties=["prov", "agency", "other"],
        service_users=[dpup.ServiceUser(id="people", name="People")],
        holders=[
            dpup.Provider(id="prov", name="Provider"),
            dpup.Agency(id="agency", name="Agency", teams=teams),
            dpup.Provider(id="other", name="Other provider"),
        ],
        purposes=purposes,
        information=[dpup.Information(id="rec", about=["people"], identifiability="aggregate")],
        flows=flows,
    )


def peak_bytes(G: Any) -> tuple[int, list[dpup.Finding]]:
    import tracemalloc

    tracemalloc.start()
    try:
        found = list(dpup.purpose_mismatches(G))
        return tracemalloc.get_traced_memory()[1], found
    finally:
        tracemalloc.stop()


def test_following_a_long_chain_grows_linearly() -> None:
    """Not a timing: allocation growth when the chain doubles (linear gives about 2)."""
    n = 1000
    small_G, big_G = long_chain(n).graph(), long_chain(2 * n).graph()
    small, small_found = peak_bytes(small_G)
    big, big_found = peak_bytes(big_G)
    assert triples(small_found) == {("PM005", "out", ("rec", "use"))}
    assert len(big_found[0].path) == 2 * n + 3
    assert big / small < 3, f"peak allocation grew {big / small:.1f} times when the chain doubled"


# -- every finding can be fixed the way its remediation says -----------------------------------


def test_engagement_with_everyone_settles_sensitive_without_engagement() -> None:
    report = run(
        """
        information:
          - {id: notes, description: Team notes, about: [], identifiability: aggregate, sensitivity: high}
        flows:
          - {id: inside, from: agency.eval, to: agency.rep, carries: [notes], purpose: reporting,
             no_choice_reason: Identifies no one}
        engagement:
          - with: [prov, parents, kids, agency, agency.eval, agency.rep]
            about: Everything
            maori: true
        """
    )
    assert "SV002" not in codes(report)
    assert triples(report) == {("ME008", "notes", ())}


NOTES_GO_ROUND = """
information:
  - {id: notes, description: Team notes, about: [], identifiability: aggregate, sensitivity: high}
flows:
  - {id: inside, from: agency.eval, to: agency.rep, carries: [notes], purpose: reporting,
     no_choice_reason: Identifies no one}
  - {id: notes-out, from: agency.rep, to: prov, carries: [notes], purpose: reporting,
     no_choice_reason: Identifies no one}
engagement:
  - {with: [prov], about: The notes}
"""


def test_engagement_with_whom_a_later_flow_concerns_settles_an_item_an_earlier_flow_did_not() -> None:
    """The notes are about no one: their first flow concerns only the agency, which nobody
    engaged with, their second also the provider, which was engaged with. Engagement with
    anyone an item concerns on any of its flows settles it, whatever the order of the flows."""
    assert "SV002" not in codes(run(NOTES_GO_ROUND))
    # near miss: without the flow to the provider, nobody the notes concern was engaged with
    inside_only = run(NOTES_GO_ROUND, "flows: [{id: notes-out, _delete: true}]")
    assert ("SV002", "notes", ("agency",)) in triples(inside_only)


def kids_told_only_of_the_agency(data: dict[str, Any]) -> None:
    """Parents' notice covers what is owed to parents; the kids' notice covers the two flows
    owed to them and names the agency's teams, but not the provider."""
    notice = data["explanations"][0]
    notice["for"], notice["versions"] = ["parents"], ["adult"]
    kids = copy.deepcopy(notice)
    kids.update(
        {
            "id": "notice-kids",
            "for": ["kids"],
            "versions": ["adult", "child"],
            "covers": ["report", "eval-data"],
            "names": {"holders": ["agency.rep", "agency.eval"], "purposes": ["reporting", "evaluation"]},
        }
    )
    data["explanations"].append(kids)


KIDS_RECORD_FROM_PARENTS = """
flows:
  - {id: intake-kids, _delete: true}
information:
  - {id: findings, about: [parents]}
explanations:
  - {id: notice, covers: [intake-parents, report, eval-data, findings-back]}
"""


def test_a_holder_given_a_groups_information_by_another_group_must_be_named_to_it() -> None:
    report = run(KIDS_RECORD_FROM_PARENTS, kids_told_only_of_the_agency)
    assert triples(report) == {("UH001", "prov", ("kids",))}


def test_a_holder_given_a_groups_information_by_another_group_named_to_it_is_clean() -> None:
    """The near miss of the test above: the kids' notice names the provider too."""

    def name_prov(data: dict[str, Any]) -> None:
        data["explanations"][1]["names"]["holders"].append("prov")

    assert list(run(KIDS_RECORD_FROM_PARENTS, kids_told_only_of_the_agency, name_prov)) == []


def test_an_empty_graph_has_no_findings() -> None:
    assert list(dpup.check(dpup.graph())) == []


def test_maori_interest_findings_do_not_depend_on_the_order_agreements_are_combined_in() -> None:
    a = load()
    b = attrs.evolve(load("service_users: [{id: parents, maori_data_interest: true}]"), id="other")
    assert ("SV003", "parents") in {(f.code, f.subject) for f in dpup.check(b)}

    def seen(G: Any) -> set[tuple[str | None, str, str]]:
        return {(f.agreement, f.code, f.subject) for f in dpup.check(G)}

    assert seen(dpup.graph(a, b)) == seen(dpup.graph(b, a))
    assert ("other", "SV003", "parents") in seen(dpup.graph(a, b))


def test_an_undeclared_purpose_close_to_a_declared_one_is_suggested_and_not_spread() -> None:
    """A misspelt purpose: PM002 suggests the declared one, and ME003's advice is to fix the
    flow first, not to name the misspelling in the explanation too."""
    report = run("flows: [{id: report, purpose: reportng}]")
    pm002 = next(f for f in report if f.code == "PM002")
    assert pm002.message.endswith("does not declare; did you mean 'reporting'?")
    assert pm002.remediation.startswith("Change the flow's purpose to 'reporting'")
    me003 = next(f for f in report if f.code == "ME003")
    assert me003.message == "explanation 'notice' covers 'report' but never names its purpose 'reportng'."
    assert me003.remediation.startswith(
        "First declare 'reportng' under `purposes`, or correct the purpose of 'report'"
    )
    # near miss: nothing close is declared, so nothing is suggested
    report = run("flows: [{id: report, purpose: fundraising}]")
    pm002 = next(f for f in report if f.code == "PM002")
    assert pm002.message.endswith("does not declare.")
    assert pm002.remediation == CHECKS["PM002"].remediation
    # near miss: a declared purpose the explanation leaves out is simply named
    report = run("explanations: [{id: notice, names: {purposes: [delivery, evaluation]}}]")
    me003 = next(f for f in report if f.code == "ME003")
    assert me003.remediation == "Add 'reporting' to `names.purposes` of explanation 'notice'."


def test_a_reference_to_an_undeclared_purpose_says_the_edit_at_its_place() -> None:
    """PM012 names the explanation, purpose or team that makes the reference, points at the
    reference itself, and suggests the declared purpose closest to a misspelling."""
    report = run(
        "explanations: [{id: notice, names: {purposes: [delivery, reporting, evaluaton]}}]",
        "purposes: [{id: evaluation, compatible_with: [delivry]}]",
        "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, fundraising]}]}]",
    )
    found = {(f.subject, f.related, f.where, f.message, f.remediation) for f in report if f.code == "PM012"}
    assert found == {
        (
            "notice",
            ("evaluaton",),
            "$.explanations[0].names.purposes[2]",
            "explanation 'notice' names purpose 'evaluaton', which agreement 'base' does not declare; "
            "did you mean 'evaluation'?",
            "Change 'evaluaton' to 'evaluation' in `names.purposes` of explanation 'notice', or declare "
            "'evaluaton' under `purposes` with its description, benefit, need for identity and authority.",
        ),
        (
            "evaluation",
            ("delivry",),
            "$.purposes[2].compatible_with[0]",
            "purpose 'evaluation' is declared compatible with 'delivry', which agreement 'base' does not "
            "declare; did you mean 'delivery'?",
            "Change 'delivry' to 'delivery' in `compatible_with` of purpose 'evaluation', or declare "
            "'delivry' under `purposes` with its description, benefit, need for identity and authority.",
        ),
        (
            "agency.rep",
            ("fundraising",),
            "$.holders[1].teams[1].purposes[1]",
            "team 'agency.rep' is set up for purpose 'fundraising', which agreement 'base' does not declare.",
            "Declare 'fundraising' under `purposes` with its description, benefit, need for identity and "
            "authority, or remove it from `purposes` of team 'agency.rep'.",
        ),
    }
    # the explanation no longer names evaluation, which it covers a flow for
    assert {(f.code, f.subject, f.related) for f in report if f.code != "PM012"} == {
        ("ME003", "notice", ("evaluation",))
    }


def test_a_reference_to_an_undeclared_purpose_is_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(
        patched("holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, fundraising]}]}]")
    )
    agreement = dpup.load(path)
    (f,) = dpup.check(agreement).located({agreement.id: path})
    lines = path.read_text().splitlines()
    assert f.line is not None
    assert lines[f.line - 1].strip() == "- fundraising"
    assert f.location == f"{path}:{f.line}: $.holders[1].teams[1].purposes[1]"


def test_a_reference_to_an_undeclared_purpose_is_accepted_by_the_subject_that_makes_it() -> None:
    """The subject is the explanation, purpose or team whose reference it is (as PM002's is
    the flow and ME003's the explanation), not the undeclared purpose."""
    team = "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, fundraising]}]}]"
    report = run(team, accept("PM012", "agency.rep"))
    ((code, subject, accepted),) = {(f.code, f.subject, f.accepted is not None) for f in report}
    assert (code, subject, accepted) == ("PM012", "agency.rep", True)
    assert not report.fails("info")
    # near miss: an acceptance naming the undeclared purpose matches nothing, and says so
    report = run(team, accept("PM012", "fundraising"))
    assert {(f.code, f.subject, f.accepted is not None) for f in report} == {
        ("PM012", "agency.rep", False),
        ("PM900", "fundraising", False),
    }


def test_a_reference_to_an_undeclared_purpose_is_judged_by_its_own_agreement() -> None:
    """The contract's team is set up for evaluation, which only the base declares: the
    contract is judged by its own declarations, alone or combined, in either order, and the
    finding names the agreement that does declare it; the base's findings do not change."""
    bare = CONTRACT.replace(
        "  - id: evaluation\n    description: Learn whether the programme works\n"
        "    benefit: Future families get a better programme\n    needs_identity: false\n"
        "    authority: Contract clause 1\n",
        "",
    )
    contract, base = dpup.loads(bare), load()
    assert contract.purpose("evaluation") is None
    (alone,) = [f for f in dpup.check(contract) if f.code == "PM012"]
    assert (alone.subject, alone.related) == ("agency.eval", ("evaluation",))
    assert alone.message.endswith("which agreement 'contract' does not declare.")
    for G in (dpup.graph(base, contract), dpup.graph(contract, base)):
        report = dpup.check(G)
        assert {(f.agreement, f.code, f.subject, f.related) for f in report} == {
            ("contract", "PM005", "to-insights", ("survey", "evaluation")),
            ("contract", "PM012", "agency.eval", ("evaluation",)),
        }
        (f,) = [f for f in report if f.code == "PM012"]
        assert f.where == "$.holders[0].teams[0].purposes[0]"
        assert f.message.endswith("which agreement 'contract' does not declare (agreement 'base' does).")
        assert f.remediation.startswith("Declare 'evaluation' under `purposes` of agreement 'contract' too")


def test_a_reference_to_a_purpose_many_other_agreements_declare_names_two_and_counts_the_rest() -> None:
    team = "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, care]}]}]"
    care = "purposes: [{id: care, description: d, benefit: b, needs_identity: true, authority: a}]"
    others = [attrs.evolve(load(care), id=f"other-{i}") for i in range(5)]
    (f,) = [f for f in dpup.check(dpup.graph(load(team), *others)) if f.code == "PM012"]
    assert (f.agreement, f.subject, f.related) == ("base", "agency.rep", ("care",))
    assert f.message.endswith("(agreements 'other-0', 'other-1' and 3 others do).")


@pytest.mark.parametrize(
    ("n", "others"),
    [
        (2, "agreements 'other-0' and 'other-1' do"),
        (3, "agreements 'other-0', 'other-1' and 'other-2' do"),  # three are all named
        (4, "agreements 'other-0', 'other-1' and 2 others do"),  # a near miss: four are not
    ],
)
def test_a_reference_to_a_purpose_a_few_other_agreements_declare_names_them_all(n: int, others: str) -> None:
    team = "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, care]}]}]"
    care = "purposes: [{id: care, description: d, benefit: b, needs_identity: true, authority: a}]"
    declaring = [attrs.evolve(load(care), id=f"other-{i}") for i in range(n)]
    (f,) = [f for f in dpup.check(dpup.graph(load(team), *declaring)) if f.code == "PM012"]
    assert f.message.endswith(f"which agreement 'base' does not declare ({others}).")
    assert f.remediation == (
        f"Declare 'care' under `purposes` of agreement 'base' too, as {others}, so that its parties "
        "can read what it is; or remove it from `purposes` of team 'agency.rep'."
    )


def test_a_purpose_another_agreements_flow_is_for_is_still_a_reference_here() -> None:
    """PM002 covers an undeclared purpose only in the agreement whose flow is for it: the same
    undeclared purpose named by another agreement's team is that agreement's PM012."""
    other = attrs.evolve(load("flows: [{id: report, purpose: fundraising}]"), id="other")
    base = load("holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, fundraising]}]}]")
    seen = {(f.agreement, f.code, f.subject, f.related) for f in dpup.check(dpup.graph(base, other))}
    assert ("other", "PM002", "report", ("fundraising",)) in seen
    assert ("base", "PM012", "agency.rep", ("fundraising",)) in seen
    assert ("other", "PM012", "agency.rep", ("fundraising",)) not in seen


def test_maori_engagement_records_with_no_one_are_named_and_the_fix_says_to_fill_them_in() -> None:
    report = run(
        "service_users: [{id: parents, maori_data_interest: true}]",
        "engagement: [{with: [], maori: true, about: A hui}, {with: [prov, parents, kids], about: A hui}, {with: [], maori: true, about: A hui}]",
    )
    (f,) = report
    assert f.code == "SV003"
    assert f.message.endswith(": engagement[0] and engagement[2], marked Māori, name no one it was with.")
    assert f.remediation.startswith("List under `with` of engagement[0] and engagement[2] whom the Māori")
    # near miss: with no Māori record at all, the message and advice are as before
    (f,) = run("service_users: [{id: parents, maori_data_interest: true}]")
    assert f.message.endswith("with no Māori engagement recorded.")
    assert f.remediation == CHECKS["SV003"].remediation


def test_three_maori_engagement_records_with_no_one_are_each_named_whole() -> None:
    (f,) = run(
        "service_users: [{id: parents, maori_data_interest: true}]",
        "engagement: [{with: [], maori: true, about: A hui}, {with: [], maori: true, about: A hui}, {with: [prov], about: A hui}, {with: [], maori: true, about: A hui}]",
    )
    assert f.message == (
        "information about 'parents', a group with a Māori data interest, flows ('eval-data', "
        "'findings-back', 'intake-kids', 'intake-parents' and 'report') with no Māori engagement "
        "recorded: engagement[0], "
        "engagement[1] and engagement[3], marked Māori, name no one it was with."
    )
    assert f.remediation == (
        "List under `with` of engagement[0], engagement[1] and engagement[3] whom the Māori "
        "engagement was with (the whānau themselves, or a Māori provider, iwi or hapū the "
        "agreement declares), or engage with Māori about the collection, use and sharing and "
        "record it under `engagement` with `maori: true`."
    )
    # near miss: one Māori record that names someone is engagement, however many are empty
    assert not run(
        "service_users: [{id: parents, maori_data_interest: true}]",
        "engagement: [{with: [], maori: true, about: A hui}, {with: [prov], maori: true, about: A hui}]",
    )


def test_engagement_with_any_one_of_those_concerned_is_enough_and_the_message_says_so() -> None:
    report = run("engagement: []")
    sv002 = next(f for f in report if f.code == "SV002")
    assert "recorded with any of 'kids', 'parents' or 'prov'." in sv002.message


@pytest.mark.parametrize("family", [dpup.check, dpup.purpose_mismatches, dpup.sharing_value])
def test_checking_a_list_of_agreements_says_to_build_one_graph(family: Callable[[Any], Any]) -> None:
    with pytest.raises(
        TypeError,
        match=r"not list \(to check a list of agreements together, pass dpup\.graph\(\*agreements\)\)",
    ):
        family([load()])
    # near miss: something that is no collection gets no hint
    with pytest.raises(TypeError, match=r"MultiDiGraph of dpup\.graph\(\), not str$"):
        family("oops")


# -- where in the agreement ------------------------------------------------------------------


def declared_at(agreement: dpup.Agreement, where: str) -> Any:
    """The object a finding's ``where`` (``$.holders[1].teams[0]``) leads to in the agreement."""
    from dpup.report import _field_path

    obj: Any = agreement
    for part in _field_path(where):
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj


def assert_where(
    report: dpup.Report, agreements: dict[str, dpup.Agreement], *, by_hand: bool = False
) -> set[str]:
    """Every finding of an agreement says where its subject is declared (a stale acceptance:
    where the acceptance is; a reference to an undeclared purpose, PM012: the reference, in
    its subject's declaration; an access arrangement's, UH005 and UH006: the arrangement,
    whose contact is the subject), and every other says nowhere; the kinds of place, as
    ``$.holders[].teams[]``. Only with ``by_hand`` (a graph edited by hand) may a finding be
    about a node its agreement does not declare, and so nowhere."""
    kinds = set()
    for f in report:
        if f.agreement is None:
            assert f.where is None, f
            continue
        agreement = agreements[f.agreement]
        if f.where is None:
            assert by_hand, f
            assert agreement.where(f.subject) is None, f
            continue
        at = declared_at(agreement, f.where)
        if f.code.endswith("900"):
            assert isinstance(at, dpup.Acceptance)
            assert (at.code, at.subject) == (f.related[0], f.subject)
        elif f.code == "PM012":
            assert at == f.related[0], (f.code, f.subject, f.where)
            assert f.where.startswith(f"{agreement.where(f.subject)}."), (f.code, f.subject, f.where)
        elif f.code in ("UH005", "UH006"):  # the arrangement, which has no id: about its contact
            assert isinstance(at, dpup.AccessArrangement), (f.code, f.subject, f.where)
            assert at.contact == f.subject, (f.code, f.subject, f.where)
            assert agreement.where(f.subject) != f.where
        elif f.code == "SV005":  # the first undescribed engagement record: about the agreement
            assert isinstance(at, dpup.Engagement), (f.code, f.subject, f.where)
            assert not (at.about or "").strip(), (f.code, f.subject, f.where)
            assert f.subject == agreement.id
        else:
            assert at.id == f.subject, (f.code, f.subject, f.where)
            assert agreement.where(f.subject) == f.where
        kinds.add(re.sub(r"\d+", "", f.where))
    return kinds


def test_every_fire_case_says_where_each_finding_is() -> None:
    kinds: set[str] = set()
    for case in FIRES:
        report = run(*case.patches, graph_edit=case.graph_edit)
        kinds |= assert_where(report, {"base": load(*case.patches)}, by_hand=case.graph_edit is not None)
    # every kind of subject the checks report on
    assert kinds == {
        "$.service_users[]",
        "$.holders[]",
        "$.holders[].teams[]",
        "$.purposes[]",
        "$.information[]",
        "$.flows[]",
        "$.explanations[]",
        "$.accepted[]",
        # UH005, UH006: the access arrangement, about its contact
        "$.access[]",
        # SV005: the first engagement record that does not say what it was about
        "$.engagement[]",
        # PM012: the reference itself
        "$.explanations[].names.purposes[]",
        "$.purposes[].compatible_with[]",
        "$.holders[].teams[].purposes[]",
    }


def test_where_in_the_first_draft() -> None:
    report = dpup.check(BEFORE)
    assert assert_where(report, {BEFORE.id: BEFORE}) >= {"$.flows[]", "$.purposes[]", "$.holders[].teams[]"}
    where = {(f.code, f.subject): f.where for f in report}
    assert where["PM004", "quarterly-report"] == "$.flows[3]"
    assert where["PM006", "service-reporting"] == "$.purposes[1]"  # no benefit: the purpose lacks it
    assert where["ME004", "consent-form"] == "$.explanations[0]"  # unanswered checklist items
    assert where["ME005", "children"] == "$.service_users[1]"
    assert where["UH001", "agency.evaluation"] == "$.holders[1].teams[0]"
    assert where["UH003", "insights-ltd"] == "$.holders[2]"
    assert where["SV002", "family-record"] == "$.information[0]"
    assert all(f.file is None and f.line is None for f in report)  # only located reports have them


def test_a_stale_acceptance_is_where_the_acceptance_is() -> None:
    report = run(
        """
        accepted:
          - {code: PM004, subject: report, reason: Agreed, by: Contract manager}
          - {code: UH001, subject: nobody, reason: Agreed, by: Contract manager}
          - {code: UH002, subject: nobody, reason: Agreed again, by: Contract manager}
        """
    )
    stale = [(f.code, f.where) for f in report if f.code.endswith("900")]
    assert sorted(stale) == [
        ("PM900", "$.accepted[0]"),
        ("UH900", "$.accepted[1]"),
        ("UH900", "$.accepted[2]"),
    ]


def test_a_finding_with_no_agreement_is_nowhere() -> None:
    report = run(graph_edit=audit_edge(None))
    (uh004,) = [f for f in report if f.code == "UH004"]
    assert uh004.agreement is None
    assert uh004.where is None
    assert uh004.location is None


def test_where_follows_the_declaration_when_flows_are_reordered_and_the_fingerprint_does_not() -> None:
    reordered = attrs.evolve(BEFORE, flows=tuple(reversed(BEFORE.flows)))
    before, after = dpup.check(BEFORE), dpup.check(reordered)
    n = len(BEFORE.flows)
    moved = {(f.code, f.subject): f for f in after}
    for f in before:
        g = moved[f.code, f.subject]
        assert g.fingerprint == f.fingerprint
        if f.where is not None and f.where.startswith("$.flows["):
            assert g.where == f"$.flows[{n - 1 - int(f.where[8:-1])}]"


def test_the_fingerprint_leaves_out_where_file_and_line() -> None:
    for f in dpup.check(BEFORE):
        moved = attrs.evolve(f, where="$.flows[99]", file="elsewhere.yaml", line=1234)
        assert moved.fingerprint == f.fingerprint
        assert attrs.evolve(f, where=None).fingerprint == f.fingerprint


BASE_COMMIT = "ea4499a"
"""The commit before findings said where they are."""


def test_fingerprints_are_those_computed_before_findings_said_where(tmp_path: Path) -> None:
    """The first draft's fingerprints, computed by the code of the commit before ``where``."""
    import shutil
    import subprocess
    import sys

    root = HERE.parent
    git = shutil.which("git")
    if (
        git is None
        or subprocess.run(
            [git, "-C", str(root), "cat-file", "-e", f"{BASE_COMMIT}^{{commit}}"], capture_output=True
        ).returncode
    ):
        pytest.skip(f"no git history with commit {BASE_COMMIT}")
    archive = subprocess.run(
        [git, "-C", str(root), "archive", BASE_COMMIT, "dpup"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive, check=True)
    script = (
        "import json, dpup\n"
        "r = dpup.check(dpup.examples.load('best-foot-forward-before'))\n"
        "print(json.dumps([dpup.__file__, [[f.code, f.subject, f.fingerprint] for f in r]]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env, cwd=tmp_path
    ).stdout
    code, then = json.loads(out)
    assert Path(code).is_relative_to(tmp_path)  # the old code, not this
    assert len(then) == 42
    now = [[f.code, f.subject, f.fingerprint] for f in dpup.check(BEFORE)]
    assert now == then


# -- what a hand mutation audit of the checks found no test pinning -------------------------


def test_onward_use_shows_the_route_of_the_first_clashing_purpose() -> None:
    """survey reaches the reporting team for reporting straight from the provider, and for
    evaluation by way of the evaluation team; leaving for analytics clashes with both, and
    the path is the route of the first of them, evaluation, as related lists them."""
    routes = """
    agreement: {parties: [prov, agency, insights]}
    holders:
      - {id: insights, kind: provider, name: Insights}
      - {id: agency, teams: [{id: agency.rep, purposes: [reporting, evaluation]}]}
    purposes:
      - {id: analytics, description: d, benefit: b, needs_identity: false, authority: a}
    flows:
      - {id: s-rep, from: prov, to: agency.rep, carries: [survey], purpose: reporting, choice: c}
      - {id: eval-rep, from: agency.eval, to: agency.rep, carries: [survey], purpose: evaluation, choice: c}
      - {id: rep-out, from: agency.rep, to: insights, carries: [survey], purpose: analytics, choice: c}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, s-rep, eval-rep, rep-out]
        names: {holders: [prov, agency, insights], purposes: [delivery, reporting, evaluation, analytics]}
    """
    (f,) = run(routes)
    assert (f.code, f.subject, f.related) == ("PM005", "rep-out", ("survey", "evaluation", "reporting"))
    assert f.path == ("prov", "agency.eval", "agency.rep", "insights")
    # near miss: with evaluation compatible, only reporting clashes, and the path is its route
    (g,) = run(routes, "purposes: [{id: analytics, compatible_with: [evaluation]}]")
    assert (g.related, g.path) == (("survey", "reporting"), ("prov", "agency.rep", "insights"))


@pytest.mark.parametrize("order", [1, -1], ids=["base-first", "contract-first"])
def test_onward_use_reads_the_onward_flows_own_declaration_of_its_purpose_first(order: int) -> None:
    """The base, under which the survey arrived, declares analytics compatible with
    evaluation; the contract, whose flow takes the survey on for analytics, declares analytics
    too, without it. The contract's own declaration decides its flow, in either order."""
    compatible = """
    purposes:
      - {id: analytics, description: Analyse the programme, benefit: Better programmes,
         needs_identity: false, authority: Programme agreement clause 9, compatible_with: [evaluation]}
    """
    base, contract = load(compatible), dpup.loads(CONTRACT)
    report = dpup.check(dpup.graph(*[base, contract][::order]))
    assert {(f.agreement, f.code, f.subject, f.related) for f in report} == {
        ("contract", "PM005", "to-insights", ("survey", "evaluation")),
    }
    # near miss: a contract that does not declare analytics at all is read in the base
    bare = dpup.loads(
        CONTRACT.split("  - id: analytics\n")[0] + "information:" + CONTRACT.split("information:")[1]
    )
    report = dpup.check(dpup.graph(*[base, bare][::order]))
    assert {(f.code, f.subject) for f in report} == {("PM002", "to-insights")}


def test_a_flow_into_an_agency_as_a_whole_offers_each_team_set_up_for_it() -> None:
    (f,) = run(
        "flows: [{id: eval-data, to: agency}]",
        "explanations: [{id: notice, names: {holders: [prov, agency]}}]",
        "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, evaluation]}]}]",
    )
    assert (f.code, f.related) == ("PM011", ("agency", "agency.eval", "agency.rep"))
    assert f.remediation == "Send 'eval-data' to 'agency.eval' or 'agency.rep', set up for 'evaluation'."


def test_a_team_reference_to_an_undeclared_purpose_is_at_its_own_team_of_its_own_holder() -> None:
    """The evaluation team is the agency's first team, and the agency the second holder."""
    (f,) = run("holders: [{id: agency, teams: [{id: agency.eval, purposes: [evaluation, fundraising]}]}]")
    assert (f.code, f.subject, f.where) == ("PM012", "agency.eval", "$.holders[1].teams[0].purposes[1]")


def test_an_unexplained_flow_to_a_team_asks_to_name_it_only_where_its_organisation_is_not() -> None:
    uncovered = "explanations: [{id: notice, covers: [intake-parents, intake-kids, report, findings-back]}]"
    (f,) = run(uncovered, "explanations: [{id: notice, names: {holders: [prov, agency]}}]")
    assert (f.code, f.subject) == ("ME001", "eval-data")
    assert f.remediation == "Add 'eval-data' to `covers` of explanation 'notice'."
    # near miss: an explanation naming neither the team nor its organisation must name it too
    (g,) = [
        g
        for g in run(uncovered, "explanations: [{id: notice, names: {holders: [prov]}}]")
        if g.code == "ME001"
    ]
    assert g.remediation == (
        "Add 'eval-data' to `covers` of explanation 'notice', and 'agency.eval' to its `names.holders`."
    )


def test_a_purpose_not_named_for_two_flows_is_their_purpose_and_for_one_its() -> None:
    (f,) = run(
        "flows: [{id: findings-back, purpose: reporting}]",
        "holders: [{id: agency, teams: [{id: agency.eval, purposes: [evaluation, reporting]}]}]",
        "explanations: [{id: notice, names: {purposes: [delivery, evaluation]}}]",
    )
    assert f.message == (
        "explanation 'notice' covers 'report' and 'findings-back' but never names their purpose 'reporting'."
    )
    (g,) = run("explanations: [{id: notice, names: {purposes: [delivery, evaluation]}}]")
    assert g.message == "explanation 'notice' covers 'report' but never names its purpose 'reporting'."


def test_a_flow_explained_without_the_versions_of_two_groups_is_a_finding_for_each() -> None:
    """The survey card, in an adult version only, covers the survey flow for both groups: the
    children need a child version, the parents an easy-read one, and each has that version of
    the notice."""
    report = run(
        SURVEY_CARD,
        "service_users: [{id: parents, needs_extra_care: easy-read}]",
        "explanations: [{id: notice, versions: [easy-read, child]}]",
    )
    assert triples(report) == {
        ("ME009", "eval-data", ("kids", "child")),
        ("ME009", "eval-data", ("parents", "easy-read")),
    }


def test_an_edge_naming_an_agreement_whose_flow_of_that_id_differs_is_no_such_flow() -> None:
    """The audit's edge has the id of the survey flow, between the same holders, but carries
    the record: the base declares no such flow, whatever else stands for eval-data."""
    report = run(graph_edit=audit_edge("base", fid="eval-data", carries="record"))
    (f,) = report.filter(code="UH004")
    assert f.message == (
        "flow 'eval-data' (prov -> agency.eval) is not declared by any agreement here (its edge names "
        "agreement 'base', which declares no such flow)."
    )


def test_two_arrangements_with_blank_text_say_blank_in_the_plural() -> None:
    report = run(
        """
        access:
          - {contact: prov, covers: [prov], copies: c, if_not_corrected: ' '}
          - {contact: prov, covers: [prov, agency], copies: c, if_not_corrected: '  '}
        """
    )
    (f,) = report
    assert (f.code, f.subject, f.where) == ("UH005", "prov", "$.access[0]")
    assert f.message.endswith(
        "but none says what happens when a correction is refused (blank `if_not_corrected`)."
    )


def test_copies_remediation_asks_for_no_version_for_a_blank_need_for_extra_care() -> None:
    (f,) = run(NO_COPIES, "service_users: [{id: kids, needs_extra_care: '  '}]")
    assert f.remediation == (
        "Say in `copies` of the access arrangement with contact 'prov' how people get copies of the records "
        "about them."
    )


def test_copies_remediation_reads_the_flows_that_leave_the_holders_covered_too() -> None:
    """The agreement's only flow takes the children's identifying record from the provider to
    the agency: the provider's arrangement, saying nothing of copies, is owed a child version."""

    def referral_only(data: dict[str, Any]) -> None:
        data["flows"] = [
            {
                "id": "referral",
                "from": "prov",
                "to": "agency.rep",
                "carries": ["record"],
                "purpose": "delivery",
                "choice": "c",
            }
        ]
        data["explanations"][0]["covers"] = ["referral"]

    report = run(
        referral_only,
        "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, delivery]}]}]",
        "access: [{contact: prov, covers: [prov], if_not_corrected: k}]",
    )
    (f,) = report.filter(code="UH006")
    assert f.remediation.endswith("in versions made for them (a 'child' version for 'kids').")


@pytest.mark.parametrize(
    ("flow", "accepted"),
    [
        # the accepting agreement's flow takes the identifying record from the provider
        (
            {
                "id": "referral",
                "from": "prov",
                "to": "agency.rep",
                "carries": ["record"],
                "purpose": "reporting",
                "choice": "c",
            },
            True,
        ),
        # a near miss: its flow brings the provider aggregate findings only
        (
            {
                "id": "findings-back",
                "from": "agency.eval",
                "to": "prov",
                "carries": ["findings"],
                "purpose": "evaluation",
                "choice": "c",
            },
            False,
        ),
    ],
    ids=["identifying-flow-leaves-it", "only-aggregate-reaches-it"],
)
@pytest.mark.parametrize("order", [1, -1], ids=["accepting-first", "accepting-second"])
def test_an_accepted_uncovered_holder_counts_only_agreements_whose_identifying_flows_touch_it(
    flow: dict[str, Any], accepted: bool, order: int
) -> None:
    """The other contract brings the provider the identifying record and leaves it out of
    every access arrangement. An acceptance of that holds in an agreement whose flow of
    identifying information leaves the provider; one whose flows bring it only aggregate
    information has no part in the finding, and its acceptance is stale."""

    def only(data: dict[str, Any]) -> None:
        data["flows"] = [flow]
        data["explanations"][0]["covers"] = [flow["id"]]

    no_access = "access: [{contact: agency, covers: [agency]}]"
    accepting = load(no_access, only, accept("UH003", "prov"))
    other = attrs.evolve(load(no_access), id="other-contract")
    report = dpup.check(dpup.graph(*[accepting, other][::order]))
    found = {(f.agreement, f.code, f.subject, f.accepted is not None) for f in report if f.subject == "prov"}
    if accepted:
        assert found == {("base", "UH003", "prov", True)}
    else:
        assert found == {("other-contract", "UH003", "prov", False), ("base", "UH900", "prov", False)}


def test_a_flow_back_for_no_purpose_shares_back_nothing_sent_for_no_purpose() -> None:
    """The report goes to the agency for no purpose, and the agency sends a record back for no
    purpose: a flow for no purpose serves none the provider's information was sent for."""
    back = """
    flows:
      - {id: findings-back, _delete: true}
      - {id: report, purpose: null}
      - {id: referral, from: agency.rep, to: prov, carries: [record], no_choice_reason: n}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, referral]
    """
    assert ("SV001", "agency", ("prov",)) in triples(run(back))
    # near miss: sent back for evaluation, which the survey was sent for, it is sharing back
    assert "SV001" not in codes(run(back, "flows: [{id: referral, purpose: evaluation}]"))


def test_sensitive_information_concerning_one_party_names_it_alone() -> None:
    """Notes about the children move between the agency's teams: they concern the children
    alone (no provider handles them), and the message names them without "any of"."""
    notes = """
    information:
      - {id: notes, description: Case notes, about: [kids], identifiability: aggregate, sensitivity: high}
    holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, evaluation]}]}]
    flows:
      - {id: notes-on, from: agency.rep, to: agency.eval, carries: [notes], purpose: evaluation, choice: c}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, notes-on]
    """
    (f,) = run(notes, "engagement: [{with: [prov, parents]}]").filter(code="SV002")
    assert (f.subject, f.related) == ("notes", ("kids",))
    assert f.message == "sensitive information 'notes' flows with no engagement recorded with 'kids'."
    # near miss: engaged with the children, nothing is reported
    assert "SV002" not in codes(run(notes, "engagement: [{with: [prov, parents, kids]}]"))


def test_maori_engagement_records_with_no_one_named_are_only_those_marked_maori() -> None:
    (f,) = run(
        "service_users: [{id: parents, maori_data_interest: true}]",
        "engagement: [{with: [prov, parents, kids], about: A hui}, {with: [], about: A letter}, {with: [], maori: true, about: A hui}]",
    )
    assert f.code == "SV003"
    assert f.message.endswith(
        "with no Māori engagement recorded: engagement[2], marked Māori, names no one it was with."
    )
    # near miss: an empty record not marked Māori is no reason to name it, nor to fill it in
    (g,) = run(
        "service_users: [{id: parents, maori_data_interest: true}]",
        "engagement: [{with: [prov, parents, kids], about: A hui}, {with: [], about: A letter}]",
    )
    assert g.message.endswith("with no Māori engagement recorded.")
    assert g.remediation == CHECKS["SV003"].remediation


@pytest.mark.parametrize("order", [1, -1], ids=["declaring-first", "declaring-second"])
def test_a_maori_data_interest_is_judged_in_the_agreement_that_declares_it(order: int) -> None:
    """One agreement declares the parents' Māori data interest and records Māori engagement; the
    other, with the same flows, declares no such interest: neither has a finding."""
    interest = "service_users: [{id: parents, maori_data_interest: true}]"
    declaring = load(interest, "engagement: [{with: [prov, parents, kids], maori: true, about: A hui}]")
    other = attrs.evolve(load(), id="other")
    assert list(dpup.check(dpup.graph(*[declaring, other][::order]))) == []
    # near miss: the other agreement declares the interest too, and has no Māori engagement
    other = attrs.evolve(load(interest), id="other")
    report = dpup.check(dpup.graph(*[declaring, other][::order]))
    assert {(f.agreement, f.code, f.subject) for f in report} == {("other", "SV003", "parents")}


def test_a_holder_never_named_shows_the_path_of_the_first_group_it_names() -> None:
    """Insights gets the children's notes and the parents' notes, each collected from its own
    group: the finding names both groups, and its path is the children's, the first named."""
    notes = """
    information:
      - {id: kid-notes, description: Notes, about: [kids], identifiability: de-identified}
      - {id: parent-notes, description: Notes, about: [parents], identifiability: de-identified}
    holders: [{id: insights, kind: provider, name: Insights Ltd}]
    agreement: {parties: [prov, agency, insights]}
    flows:
      - {id: intake-parents, carries: [record, parent-notes]}
      - {id: intake-kids, carries: [record, kid-notes]}
      - {id: to-insights, from: prov, to: insights, carries: [parent-notes, kid-notes], purpose: delivery,
         choice: c}
    explanations:
      - id: notice
        covers: [intake-parents, intake-kids, report, eval-data, findings-back, to-insights]
    """
    (f,) = run(notes).filter(code="UH001")
    assert (f.subject, f.related, f.path) == ("insights", ("kids", "parents"), ("kids", "prov", "insights"))


@pytest.mark.parametrize("order", [1, -1], ids=["base-first", "other-first"])
def test_an_uncovered_organisation_is_the_finding_of_the_agreement_that_first_makes_a_part_of_it_a_holder(
    order: int,
) -> None:
    """In the base the evaluation team holds the identifying survey; in the other contract the
    reporting team gets the record. Neither covers the agency: one finding, the first
    agreement's in the graph, naming both teams."""
    base = load(*SURVEY_IDENTIFIES, PROV_ONLY)
    other = attrs.evolve(
        load(
            PROV_ONLY,
            "holders: [{id: agency, teams: [{id: agency.rep, purposes: [reporting, delivery]}]}]",
            "flows: [{id: report, carries: [record], purpose: delivery}]",
        ),
        id="other",
    )
    agreements = [base, other][::order]
    (f,) = dpup.check(dpup.graph(*agreements)).filter(code="UH003")
    assert (f.subject, f.related, f.agreement) == ("agency", ("agency.eval", "agency.rep"), agreements[0].id)


def test_a_blank_need_for_extra_care_is_no_need_even_where_a_blank_version_is_listed() -> None:
    """ME009, as ME005: a blank `needs_extra_care` needs no version, though the notice lists
    a blank one and the survey card does not."""
    blank = (
        "service_users: [{id: kids, needs_extra_care: '  '}]",
        "explanations: [{id: notice, versions: [adult, '  ']}]",
    )
    assert "ME009" not in codes(run(SURVEY_CARD, *blank))
    # near miss: a need that is not blank, with that version listed in the notice, is ME009's
    needed = (
        "service_users: [{id: kids, needs_extra_care: easy-read}]",
        "explanations: [{id: notice, versions: [adult, easy-read]}]",
    )
    assert triples(run(SURVEY_CARD, *needed)) == {("ME009", "eval-data", ("kids", "easy-read"))}
