"""Properties of the check catalogue over agreements consistent by construction.

1. An agreement consistent by construction (``tests/strategies_clean.py``) has no findings.
2. Injecting one fault adds exactly the expected findings: dropping an explanation's cover
   of a flow; re-routing a flow to a team set up for other purposes; adding an onward flow
   for a purpose not compatible with what the information arrived for (declared in the
   agreement, or seen in the graph only).
3. Checking never mutates its input.
"""

import copy
from typing import Any

import attrs
import networkx as nx
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dpup
from dpup import Agreement, DataFlow, Purpose
from tests.strategies_clean import (
    IDENTIFYING,
    access_covers,
    arrivals,
    clean_agreements,
    compatible,
    groups_to_tell,
    is_group,
    org_of,
    returns,
    told,
)

PROPERTY = settings(deadline=None)  # max_examples from the hypothesis profile (tests/conftest.py)

Triple = tuple[str, str, tuple[str, ...]]


def triples(report: dpup.Report) -> set[Triple]:
    return {(f.code, f.subject, f.related) for f in report}


def kinds(a: Agreement) -> dict[str, str]:
    return {o.id: o.kind for o in a.holders}


def out_flows(a: Agreement, holder: str) -> list[DataFlow]:
    return [f for f in a.flows if f.from_ == holder]


# -- 1. consistent by construction -------------------------------------------------------------


@PROPERTY
@given(clean_agreements())
def test_a_consistent_agreement_has_no_findings(a: Agreement) -> None:
    report = dpup.check(a)
    assert [(f.code, f.subject, f.related) for f in report] == []
    assert not report.fails("info")


@PROPERTY
@given(clean_agreements())
def test_a_consistent_agreement_has_no_findings_after_a_round_trip_through_yaml(a: Agreement) -> None:
    assert list(dpup.check(dpup.loads(dpup.dumps(a)))) == []


# -- 2. one fault, exactly the expected findings -----------------------------------------------


@PROPERTY
@given(clean_agreements(), st.data())
def test_dropping_a_cover_adds_exactly_one_not_explained(a: Agreement, data: st.DataObject) -> None:
    candidates = [(ex, fid) for ex in a.explanations for fid in ex.covers]
    assume(candidates)
    ex, fid = data.draw(st.sampled_from(candidates))
    (group,) = ex.for_
    edited = attrs.evolve(
        a,
        explanations=[
            attrs.evolve(e, covers=[c for c in e.covers if c != fid]) if e.id == ex.id else e
            for e in a.explanations
        ],
    )
    assert triples(dpup.check(edited)) == {("ME001", fid, (group,))}


def reroute_targets(a: Agreement, f: DataFlow) -> list[str]:
    """Teams not set up for the flow's purpose whose only new finding would be PM003."""
    out = []
    k = kinds(a)
    explaining = [ex for ex in a.explanations if f.id in ex.covers]
    for org, team in a.teams():
        t = team.id
        if t in (f.to, f.from_) or f.purpose in team.purposes:
            continue
        # every explanation covering the flow already names the team (or its organisation),
        # and so does every group whose information it carries (but for the group it
        # collects from)
        about = {g for i in f.carries for g in a.info(i).about if g != f.from_}
        if not all(t in told(a, g) for g in about | {g for ex in explaining for g in ex.for_}):
            continue
        # identifying information reaches only holders an access arrangement covers
        if any(a.info(i).identifiability == IDENTIFYING for i in f.carries) and org.id not in access_covers(
            a
        ):
            continue
        # the team's own onward flows stay compatible with the new arrival
        if any(
            not compatible(a, f.purpose, o.purpose)
            for o in out_flows(a, t)
            for i in o.carries
            if i in f.carries and o.purpose is not None
        ):
            continue
        # an agency newly receiving from a provider already shares back with it
        src = org_of(a, f.from_)
        new_receiver = src is not None and src != org.id and (k[src], k[org.id]) == ("provider", "agency")
        if new_receiver and (org.id, src) not in returns(a):
            continue
        out.append(t)
    return out


def is_return(a: Agreement, f: DataFlow) -> bool:
    src, dst = org_of(a, f.from_), org_of(a, f.to)
    return bool(src and dst and src != dst and (kinds(a)[src], kinds(a)[dst]) == ("agency", "provider"))


@PROPERTY
@given(clean_agreements(min_agency_teams=2, max_team_purposes=1), st.data())
def test_rerouting_a_flow_to_a_team_set_up_for_other_purposes_adds_exactly_pm003(
    a: Agreement, data: st.DataObject
) -> None:
    candidates = [(f, t) for f in a.flows if not is_return(a, f) for t in reroute_targets(a, f)]
    assume(candidates)
    f, team = data.draw(st.sampled_from(candidates))
    edited = attrs.evolve(a, flows=[attrs.evolve(g, to=team) if g.id == f.id else g for g in a.flows])
    report = dpup.check(edited)
    assert triples(report) == {("PM003", f.id, (team, f.purpose))}
    (finding,) = report
    assert team in finding.message
    assert f.purpose in finding.message


FRESH = Purpose(
    id="fresh-use",
    description="A use nobody planned for",
    benefit="Says it helps",
    authority="Says it is allowed",
    needs_identity=True,
)


def onward_candidates(a: Agreement) -> list[tuple[str, str, str]]:
    """(holder, information, recipient): information that arrived at a holder, and another
    holder no part of whose organisation passes it on (so the new flow's findings stay with
    the new flow: what reaches a team, its organisation and its other teams hold too)."""
    out = []
    org = {o.id: o.id for o in a.holders} | {t.id: o.id for o, t in a.teams()}
    for (holder, info), purposes in sorted(arrivals(a).items()):
        if is_group(a, holder) or not purposes:
            continue
        for r in org:
            part = [m for m in org if org[m] == org[r]]
            if r != holder and not any(info in o.carries for m in part for o in out_flows(a, m)):
                out.append((holder, info, r))
    return out


def fresh_for(a: Agreement, info: str) -> Purpose:
    return attrs.evolve(FRESH, needs_identity=a.info(info).identifiability == IDENTIFYING)


def expected_for_new_flow(a: Agreement, holder: str, info: str, to: str, *, declared: bool) -> set[Triple]:
    """Exactly what a new flow of ``info`` from ``holder`` to ``to`` for a fresh purpose,
    compatible with nothing, must add to a clean agreement."""
    assert access_covers(a) >= {o.id for o in a.holders}  # so no UH003 to expect
    item = a.info(info)
    collected = {(f.to, f.from_) for f in a.flows if is_group(a, f.from_)}
    untold = tuple(sorted(g for g in item.about if to not in told(a, g) and (to, g) not in collected))
    out: set[Triple] = set()
    if untold:
        out.add(("UH001", to, untold))
    if not declared:
        return out | {("UH004", "onward", (info,))}
    out |= {
        ("PM005", "onward", (info, *sorted(arrivals(a)[(holder, info)]))),
        ("ME001", "onward", tuple(sorted(item.about))),
        ("ME006", "onward", ()),
    }
    if to in {t.id for _, t in a.teams()}:
        out.add(("PM003", "onward", (to, FRESH.id)))
    whole = {o.id for o in a.holders if o.kind == "agency" and o.teams}
    if to in whole and org_of(a, holder) != to and item.about:
        out.add(("PM011", "onward", (to,)))  # no team of it is set up for the fresh purpose
    k = kinds(a)
    src, dst = org_of(a, holder), org_of(a, to)
    if (
        src
        and dst
        and src != dst
        and (k[src], k[dst]) == ("provider", "agency")
        and (dst, src) not in returns(a)
    ):
        out.add(("SV001", dst, (src,)))
    return out


@PROPERTY
@given(clean_agreements(), st.data())
def test_an_onward_flow_for_an_incompatible_purpose_adds_exactly_the_expected_findings(
    a: Agreement, data: st.DataObject
) -> None:
    """PM005 for the new flow, with the flow's other inevitable findings: nobody is told of
    it (ME001) and it offers no choice (ME006); and, depending on where it goes, a team not
    set up for the purpose (PM003), an agency with teams receiving it as a whole (PM011), a holder the people were never told of (UH001), an
    agency that now receives from a provider and sends nothing back (SV001)."""
    candidates = onward_candidates(a)
    assume(candidates)
    holder, info, to = data.draw(st.sampled_from(candidates))
    fresh = fresh_for(a, info)
    new = DataFlow(id="onward", from_=holder, to=to, carries=[info], purpose=fresh.id)
    edited = attrs.evolve(a, purposes=[*a.purposes, fresh], flows=[*a.flows, new])
    report = dpup.check(edited)
    assert triples(report) == expected_for_new_flow(a, holder, info, to, declared=True)
    assert groups_to_tell(edited, new) == tuple(sorted(a.info(info).about))
    pm005 = next(f for f in report if f.code == "PM005")
    # the path is a chain of flows that carry the information, ending with the new one
    assert pm005.path[-2:] == (holder, to)
    steps = {(f.from_, f.to) for f in edited.flows if info in f.carries}
    assert all(step in steps for step in zip(pm005.path, pm005.path[1:], strict=False))
    for word in (info, holder, fresh.id, *arrivals(a)[(holder, info)]):
        assert word in pm005.message


@PROPERTY
@given(clean_agreements(), st.data())
def test_an_onward_flow_no_agreement_declares_adds_exactly_uh004(a: Agreement, data: st.DataObject) -> None:
    """The same flow seen in the graph (from an audit, say) but declared by no agreement:
    UH004, and UH001 if the people were never told of its recipient; the purpose,
    explanation and sharing-value checks judge declared flows only."""
    candidates = onward_candidates(a)
    assume(candidates)
    holder, info, to = data.draw(st.sampled_from(candidates))
    G = a.graph()
    flow = DataFlow(id="onward", from_=holder, to=to, carries=[info], purpose="fresh-use")
    G.add_edge(holder, to, key="onward", flow=flow, agreement=None, information=(a.info(info),), purpose=None)
    report = dpup.check(G)
    assert triples(report) == expected_for_new_flow(a, holder, info, to, declared=False)
    uh004 = next(f for f in report if f.code == "UH004")
    assert uh004.path == (holder, to)
    assert uh004.agreement is None


def identifying_holders(a: Agreement) -> set[str]:
    """The organisations and teams either side of a flow carrying identifying information."""
    return {
        h
        for f in a.flows
        if any(a.info(i).identifiability == IDENTIFYING for i in f.carries)
        for h in (f.from_, f.to)
        if not is_group(a, h)
    }


@PROPERTY
@given(
    clean_agreements(),
    st.sampled_from([("UH005", "if_not_corrected"), ("UH006", "copies")]),
    st.sampled_from([None, "", " ", "\t\n"]),
)
def test_silencing_the_access_arrangement_adds_exactly_its_finding(
    a: Agreement, check: tuple[str, str], text: str | None
) -> None:
    """Leaving out, or blanking, what happens when a correction is refused (UH005) or how people
    get copies (UH006): one finding about the arrangement's contact, naming the other holders of
    identifying information it covers (every organisation, and so every team), at the
    arrangement; none if nothing identifying flows."""
    code, field = check
    (acc,) = a.access
    edited = attrs.evolve(a, access=[attrs.evolve(acc, **{field: text})])
    held = identifying_holders(a)
    report = dpup.check(edited)
    if not held:
        assert list(report) == []
        return
    assert triples(report) == {(code, acc.contact, tuple(sorted(held - {acc.contact})))}
    (f,) = report
    assert (f.agreement, f.where) == (a.id, "$.access[0]")
    assert f"held by {acc.contact!r}" in f.message or acc.contact not in held


@PROPERTY
@given(clean_agreements(), st.data())
def test_engagement_records_that_say_nothing_make_one_sv005_finding(
    a: Agreement, data: st.DataObject
) -> None:
    """Leaving out or blanking `about` in some of an agreement's engagement records: one finding
    about the agreement, at the first of them, naming everyone they were with; nothing else
    changes (the records still count for SV002 and SV003), and none if every record says."""
    silent = data.draw(st.lists(st.booleans(), min_size=len(a.engagement), max_size=len(a.engagement)))
    texts = data.draw(
        st.lists(
            st.sampled_from([None, "", " ", "\t\n"]), min_size=len(a.engagement), max_size=len(a.engagement)
        )
    )
    edited = attrs.evolve(
        a,
        engagement=[
            attrs.evolve(e, about=t) if quiet else e
            for e, quiet, t in zip(a.engagement, silent, texts, strict=True)
        ],
    )
    report = dpup.check(edited)
    indexes = [i for i, quiet in enumerate(silent) if quiet]
    if not indexes:
        assert list(report) == []
        return
    named = sorted({n for i in indexes for n in a.engagement[i].with_})
    assert triples(report) == {("SV005", a.id, tuple(named))}
    (f,) = report
    assert (f.agreement, f.where) == (a.id, f"$.engagement[{indexes[0]}]")
    assert all(f"engagement[{i}]" in f.message for i in indexes)


# -- 3. checking never mutates its input -------------------------------------------------------


def snapshot(G: Any) -> Any:
    return (
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(d)) for n, d in G.nodes(data=True)],
        [(u, v, k, copy.deepcopy(d)) for u, v, k, d in G.edges(keys=True, data=True)],
    )


@PROPERTY
@given(clean_agreements(), st.data())
def test_checking_never_mutates_its_input(a: Agreement, data: st.DataObject) -> None:
    # a faulty agreement too, so that every check has something to say
    candidates = onward_candidates(a)
    if candidates and data.draw(st.booleans()):
        holder, info, to = data.draw(st.sampled_from(candidates))
        fresh = fresh_for(a, info)
        a = attrs.evolve(
            a,
            purposes=[*a.purposes, fresh],
            flows=[*a.flows, DataFlow(id="onward", from_=holder, to=to, carries=[info], purpose=fresh.id)],
            explanations=[attrs.evolve(e, says=dpup.Checklist()) for e in a.explanations],
            accepted=[dpup.Acceptance(code="PM006", subject="nothing", reason="r", by="b")],
        )
    before = copy.deepcopy(a)
    G = a.graph()
    graph_before = snapshot(G)
    copy_of_G = G.copy()
    first = dpup.check(a)
    second = dpup.check(G)
    for fn in (
        dpup.purpose_mismatches,
        dpup.missing_explanations,
        dpup.untraceable_holders,
        dpup.sharing_value,
    ):
        list(fn(G))
    assert a == before
    assert snapshot(G) == graph_before
    assert nx.utils.graphs_equal(G, copy_of_G)
    assert list(first) == list(second) == list(dpup.check(a))


# -- and the order of flows in the file does not matter ----------------------------------------


@PROPERTY
@given(clean_agreements(), st.data())
def test_findings_do_not_depend_on_the_order_of_flows(a: Agreement, data: st.DataObject) -> None:
    candidates = onward_candidates(a)
    if candidates:
        holder, info, to = data.draw(st.sampled_from(candidates))
        fresh = fresh_for(a, info)
        a = attrs.evolve(
            a,
            purposes=[*a.purposes, fresh],
            flows=[*a.flows, DataFlow(id="onward", from_=holder, to=to, carries=[info], purpose=fresh.id)],
        )
    shuffled = attrs.evolve(a, flows=data.draw(st.permutations(a.flows)))

    def seen(report: dpup.Report) -> list[tuple[Any, ...]]:
        return [(f.code, f.subject, f.related, f.message, f.fingerprint) for f in report]

    assert seen(dpup.check(shuffled)) == seen(dpup.check(a))
