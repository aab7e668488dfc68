"""The synthetic sector: shape, determinism, files, and what the checks find in it."""

import collections
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dpup
from dpup import Agency, Agreement, Identifiability, Provider, synth
from dpup.synth import FAMILIES, FAULT_KINDS, Fault

FORMATS = ("yaml", "json", "toml")


@pytest.fixture(scope="module")
def clean() -> list[Agreement]:
    return synth.sector(flows=1500, seed=11)


@pytest.fixture(scope="module")
def faulty() -> synth.Sector:
    return synth.generate(flows=3000, seed=5, faults=0.08)


def _check() -> Callable[[Any], Any]:
    check = getattr(dpup, "check", None)
    if check is None:
        pytest.skip("dpup.check has not landed yet (issue #3); this test runs once it does")
    return check  # type: ignore[no-any-return]


# -- size, determinism, arguments -----------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(flows=st.integers(min_value=0, max_value=400), seed=st.integers(min_value=0, max_value=2**32))
def test_exactly_the_flows_asked_for(flows: int, seed: int) -> None:
    agreements = synth.sector(flows=flows, seed=seed)
    assert sum(len(a.flows) for a in agreements) == flows
    assert all(a.flows for a in agreements)


def test_same_seed_same_sector_and_different_seed_different_sector() -> None:
    assert synth.sector(flows=400, seed=3) == synth.sector(flows=400, seed=3)
    assert synth.sector(flows=400, seed=3) != synth.sector(flows=400, seed=4)
    a = synth.generate(flows=400, seed=3, faults=0.2)
    b = synth.generate(flows=400, seed=3, faults=0.2)
    assert a == b
    assert a.faults


def test_fault_rates_change_only_the_faults() -> None:
    clean = synth.sector(flows=800, seed=9)
    faulty = synth.generate(flows=800, seed=9, faults=0.02)
    faulted = {f.agreement for f in faulty.faults}
    assert [a.id for a in faulty.agreements] == [a.id for a in clean]
    untouched = [(a, b) for a, b in zip(clean, faulty.agreements, strict=True) if a.id not in faulted]
    assert untouched
    assert all(a == b for a, b in untouched)
    assert all(a != b for a, b in zip(clean, faulty.agreements, strict=True) if a.id in faulted)


def test_uses_no_global_random_state() -> None:
    import random

    random.seed(1)
    expected = random.random()
    random.seed(1)
    synth.sector(flows=300, seed=0, faults=0.1)
    assert random.random() == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"flows": -1}, "flows must be a whole number, 0 or more, not -1"),
        ({"flows": 2.5}, "flows must be a whole number, 0 or more, not 2.5"),
        ({"agencies": 0}, "agencies must be a whole number, 1 or more, not 0"),
        ({"contractors": -2}, "contractors must be a whole number, 0 or more, not -2"),
        ({"faults": 1.5}, "faults must be between 0 and 1, not 1.5"),
        ({"faults": {"sharing-value": -0.1}}, "faults['sharing-value'] must be between 0 and 1, not -0.1"),
        (
            {"faults": {"purpose-mismatches": 0.1}},
            "faults: unknown fault kind or family 'purpose-mismatches'; did you mean 'purpose-mismatch'?",
        ),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + _escape(message) + "$"):
        synth.generate(**kwargs)


def test_a_rate_must_be_a_number() -> None:
    with pytest.raises(TypeError, match="faults must be a number between 0 and 1, not True"):
        synth.generate(flows=10, faults=True)


def _escape(text: str) -> str:
    import re

    return re.escape(text)


# -- shape ----------------------------------------------------------------------------------------


def test_each_agreement_is_one_provider_agency_contract(clean: list[Agreement]) -> None:
    by_provider: dict[str, set[str]] = collections.defaultdict(set)
    pairs: collections.Counter[tuple[str, str]] = collections.Counter()
    for a in clean:
        providers = [h for h in a.holders if isinstance(h, Provider) and h.id.startswith("provider-")]
        agencies = [h for h in a.holders if isinstance(h, Agency)]
        assert len(providers) == 1
        assert len(agencies) == 1
        assert a.parties[:2] == (providers[0].id, agencies[0].id)
        by_provider[providers[0].id].add(agencies[0].id)
        pairs[(providers[0].id, agencies[0].id)] += 1
    counts = collections.Counter(len(v) for v in by_provider.values())
    assert set(counts) == {1, 2, 3}  # providers report to one to three agencies
    assert max(pairs.values()) == 1  # one contract per provider and agency


def test_shared_holders_are_declared_identically_everywhere(clean: list[Agreement]) -> None:
    declared: dict[str, set[Any]] = collections.defaultdict(set)
    for a in clean:
        for h in a.holders:
            declared[h.id].add(h)
    assert all(len(versions) == 1 for versions in declared.values())
    appearances = collections.Counter(h.id for a in clean for h in a.holders)
    assert max(n for hid, n in appearances.items() if hid.startswith("agency-")) > 10


def test_flows_have_the_shape_of_a_sector(clean: list[Agreement]) -> None:
    kinds: collections.Counter[tuple[str, str]] = collections.Counter()
    for a in clean:
        for f in a.flows:
            kinds[(_role(a, f.from_), _role(a, f.to))] += 1
            to = a.node(f.to)
            if hasattr(to, "purposes"):  # a team: only for what it is set up for
                assert f.purpose in to.purposes
            assert a.purpose(f.purpose or "") is not None
            for item in f.carries:
                info = a.info(item)
                purpose = a.purpose(f.purpose or "")
                assert purpose is not None
                if info.identifiability is Identifiability.IDENTIFYING:
                    assert purpose.needs_identity
    assert set(kinds) == {
        ("group", "provider"),  # intake
        ("provider", "team"),  # reports, evaluation data, referrals
        ("team", "team"),  # information moving on inside an agency
        ("team", "contractor"),  # to an analytics contractor
        ("contractor", "team"),  # the contractor's results
        ("team", "provider"),  # feedback, findings and plans sent back
    }


def _role(a: Agreement, node: str) -> str:
    if a.organisation_of(node) is None:
        return "group"
    if node.startswith("contractor-"):
        return "contractor"
    if a.organisation_of(node) != node:
        return "team"
    return "provider" if node.startswith("provider-") else "agency"


def test_groups_and_explanations_cover_what_dpup_asks(clean: list[Agreement]) -> None:
    care = maori = split = 0
    for a in clean:
        for g in a.service_users:
            care += g.needs_extra_care is not None
            maori += g.maori_data_interest
            exps = [e for e in a.explanations if g.id in e.for_]
            assert exps
            if g.needs_extra_care:
                assert all(g.needs_extra_care in e.versions for e in exps)
            about_g = {f.id for f in a.flows if any(g.id in a.info(i).about for i in f.carries)}
            assert about_g <= {fid for e in exps for fid in e.covers}
        split += len(a.explanations) > 1
        for e in a.explanations:
            assert e.says.missing() == ()
            assert "adult" in e.versions
            for fid in e.covers:
                f = a.flow(fid)
                assert f.to in e.names.holders or a.organisation_of(f.to) is None
                assert f.purpose in e.names.purposes
        for f in a.flows:
            assert f.choice or f.no_choice_reason
        assert len(a.access) == 1
        assert set(a.access[0].covers) == {h.id for h in a.holders}
        assert a.engagement
        if any(g.maori_data_interest for g in a.service_users):
            assert any(e.maori for e in a.engagement)
    assert care > 0
    assert maori > 0
    assert split > 0


# -- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_agreement_round_trips_through_each_format(fmt: Any) -> None:
    sector = synth.generate(flows=600, seed=2, faults=0.3)  # faults leave fields out
    for a in sector.agreements:
        assert dpup.loads(dpup.dumps(a, format=fmt), format=fmt) == a


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_puts_one_loadable_file_per_agreement(tmp_path: Path, fmt: Any) -> None:
    agreements = synth.sector(flows=150, seed=4)
    paths = synth.write(agreements, tmp_path / "sector", format=fmt)
    assert [p.name for p in paths] == [f"{a.id}.{fmt}" for a in agreements]
    assert sorted((tmp_path / "sector").iterdir()) == sorted(paths)
    assert [dpup.load(p) for p in paths] == agreements


def test_write_refuses_an_unknown_format_and_repeated_ids(tmp_path: Path) -> None:
    agreements = synth.sector(flows=30, seed=4)
    with pytest.raises(ValueError, match="format must be one of yaml, json, toml, not 'xml'"):
        synth.write(agreements, tmp_path, format="xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two agreements have the id 'contract-000001'"):
        synth.write([agreements[0], agreements[0]], tmp_path)


def test_write_refuses_an_id_that_is_not_a_file_name(tmp_path: Path) -> None:
    bad = Agreement(id="nz/contract-1", title="A contract with a path in its id")
    with pytest.raises(ValueError, match="agreement id 'nz/contract-1' cannot be a file name"):
        synth.write([bad], tmp_path)


# -- graph and checks -----------------------------------------------------------------------------


def test_the_sector_builds_one_graph(clean: list[Agreement]) -> None:
    G = dpup.graph(*clean)
    assert G.number_of_edges() == sum(len(a.flows) for a in clean)
    kinds = collections.Counter(kind for _, kind in G.nodes(data="kind"))
    assert set(kinds) == {"service-user", "provider", "agency", "team"}
    # Flow ids repeat across contracts between the same two teams; the graph keeps them all.
    assert any(":" in k for _, _, k in G.edges(keys=True))


def test_a_clean_sector_has_no_findings_in_any_family(clean: list[Agreement]) -> None:
    check = _check()
    G = dpup.graph(*clean)
    report = check(G)
    assert [(f.code, f.subject, f.message) for f in report.findings] == []
    for name in ("purpose_mismatches", "missing_explanations", "untraceable_holders", "sharing_value"):
        assert list(getattr(dpup, name)(G)) == []


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), flows=st.integers(min_value=1, max_value=600))
def test_any_clean_sector_has_no_findings(seed: int, flows: int) -> None:
    check = _check()
    report = check(dpup.graph(*synth.sector(flows=flows, seed=seed)))
    assert [(f.code, f.subject) for f in report.findings] == []


def test_at_a_fault_rate_every_family_fires(faulty: synth.Sector) -> None:
    check = _check()
    report = check(dpup.graph(*faulty.agreements))
    fired = {_family(f) for f in report.findings}
    assert fired == set(FAMILIES)
    assert {f.kind for f in faulty.faults} == set(FAULT_KINDS)


def test_every_injected_fault_is_found_and_nothing_else(faulty: synth.Sector) -> None:
    check = _check()
    report = check(dpup.graph(*faulty.agreements))
    unfound = [fault for fault in faulty.faults if not any(_reports(f, fault) for f in report.findings)]
    assert unfound == []
    faulted = {fault.agreement for fault in faulty.faults}
    stray = [(f.code, f.agreement, f.subject) for f in report.findings if f.agreement not in faulted]
    assert stray == []


@pytest.mark.parametrize("kind", sorted(FAULT_KINDS))
def test_each_fault_kind_alone_fires_its_family(kind: str) -> None:
    check = _check()
    sector = synth.generate(flows=800, seed=1, faults={kind: 0.05})
    assert sector.faults
    assert {f.kind for f in sector.faults} == {kind}
    report = check(dpup.graph(*sector.agreements))
    assert {_family(f) for f in report.findings} >= {FAULT_KINDS[kind]}
    for fault in sector.faults:
        assert any(_reports(f, fault) for f in report.findings), fault


def test_a_family_rate_injects_only_that_family() -> None:
    sector = synth.generate(flows=1500, seed=8, faults={"sharing-value": 0.2})
    assert {f.family for f in sector.faults} == {"sharing-value"}
    assert {f.kind for f in sector.faults} == {k for k, fam in FAULT_KINDS.items() if fam == "sharing-value"}


def test_a_tiny_rate_still_injects_each_kind_once() -> None:
    sector = synth.generate(flows=2000, seed=0, faults=0.0001)
    assert {f.kind for f in sector.faults} == set(FAULT_KINDS)
    assert len(sector.faults) == len(FAULT_KINDS)


def test_rate_one_gives_every_agreement_one_fault() -> None:
    sector = synth.generate(flows=500, seed=0, faults=1.0)
    assert len(sector.faults) == len(sector.agreements)
    assert len({f.agreement for f in sector.faults}) == len(sector.agreements)


def _family(finding: Any) -> str:
    return str(getattr(finding.family, "value", finding.family))


def _ids(finding: Any) -> set[str]:
    subject = str(finding.subject)
    return {subject, subject.rsplit(":", 1)[-1], *map(str, finding.related)}


def _reports(finding: Any, fault: Fault) -> bool:
    """Whether a finding reports an injected fault: its family, one of its subjects, and
    its agreement (a graph-wide finding about a shared holder names the agreement's groups)."""
    ids = _ids(finding)
    if _family(finding) != fault.family or not ids & set(fault.subjects):
        return False
    return finding.agreement == fault.agreement or _mentions(ids, fault.agreement)


def _mentions(ids: Iterable[str], agreement: str) -> bool:
    return any(i.startswith(agreement + ".") for i in ids)


def test_a_holder_not_named_is_always_one_its_family_can_report() -> None:
    """In a contract whose only holder is the provider collecting from people, un-naming the
    provider is no untraceable holder (people gave it their information): such a contract is
    not given that fault, so every one planted is reported by UH001."""
    planted = 0
    for n in (1, 2, 3, 5, 8, 13, 21, 40):
        for seed in range(3):
            s = synth.generate(flows=n, seed=seed, faults={"holder-not-named": 1.0})
            report = dpup.check(dpup.graph(*s.agreements)) if s.agreements else []
            for fault in s.faults:
                planted += 1
                found = [f for f in report if f.code == "UH001" and fault.subjects[0] == f.subject]
                assert found, (n, seed, fault)
    assert planted > 0


@pytest.mark.parametrize(
    ("kind", "code"), [("correction-refusal-unstated", "UH005"), ("copies-not-offered", "UH006")]
)
def test_an_arrangement_left_silent_is_always_reported_by_its_check(kind: str, code: str) -> None:
    """Every contract's provider collects identifying information and is its arrangement's
    contact, so every contract can be given these faults, and each one planted is reported by
    its own check, about the provider, in its agreement, and by nothing else."""
    planted = 0
    for n in (1, 2, 3, 5, 8, 13, 21, 40):
        for seed in range(3):
            s = synth.generate(flows=n, seed=seed, faults={kind: 1.0})
            assert len(s.faults) == len(s.agreements)
            report = dpup.check(dpup.graph(*s.agreements)) if s.agreements else dpup.Report.of(())
            assert {(f.code, f.agreement, f.subject) for f in report} == {
                (code, fault.agreement, fault.subjects[0]) for fault in s.faults
            }, (n, seed)
            planted += len(s.faults)
    assert planted > 0


def test_an_engagement_left_undescribed_is_always_reported_by_sv005() -> None:
    """Every contract records engagement, so every contract can be given this fault, and each
    one planted is reported by SV005 alone, about its agreement."""
    planted = 0
    for n in (1, 2, 3, 5, 8, 13, 21, 40):
        for seed in range(3):
            s = synth.generate(flows=n, seed=seed, faults={"engagement-not-described": 1.0})
            assert len(s.faults) == len(s.agreements)
            report = dpup.check(dpup.graph(*s.agreements)) if s.agreements else dpup.Report.of(())
            assert {(f.code, f.agreement, f.subject) for f in report} == {
                ("SV005", fault.agreement, fault.agreement) for fault in s.faults
            }, (n, seed)
            planted += len(s.faults)
    assert planted > 0


def test_the_faulty_sector_fires_every_access_arrangement_check(faulty: synth.Sector) -> None:
    report = dpup.check(dpup.graph(*faulty.agreements))
    assert {"UH003", "UH005", "UH006"} <= {f.code for f in report}
    # near miss: with no faults, none of them
    assert not any(f.code.startswith("UH") for f in dpup.check(dpup.graph(*synth.sector(flows=3000, seed=5))))
