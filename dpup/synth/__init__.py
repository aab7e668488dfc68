"""A synthetic social sector: many agreements shaped like real ones, with faults on request.

An agency, or a register of a whole sector, holds thousands of provider contracts. This module
makes such a sector, deterministically from a seed, for benchmarks, tests and demonstrations:

- **agencies** with teams, each team set up for its purposes (a reporting team, an
  evaluation team, often a sector insights team and a case management team);
- **providers**, each delivering a programme for one to three agencies: one agreement per
  provider-agency contract, so an agency (and its teams) appears in many agreements with the
  same id, and a provider in each of its contracts;
- **service-user groups** for each contract (parents and children, tenants, young people and
  their whānau, ...), some needing extra care (a ``child``, ``youth`` or ``easy-read``
  version), some with a Māori data interest;
- **flows** with a realistic shape: intake from each group to the provider (identifying, for
  service delivery); reports from the provider to the agency's teams (aggregate counts to
  the reporting team, de-identified survey answers to the evaluation team), referrals to
  case management when people ask; information moving on inside the agency to its insights
  team for compatible purposes; some going on to analytics contractors who are parties; and
  feedback and findings sent back to the provider;
- **explanations** (adult and extra-care versions) covering every flow about their groups,
  naming every holder and purpose, answering every checklist item; **access arrangements**
  through the provider covering every holder, saying how people get copies and what happens
  when a correction is refused; **engagement** with the provider and the people, and Māori
  engagement where a group has a Māori data interest.

With no faults the sector is clean: every check family finds nothing. ``faults`` injects
realistic faults, each one of the kinds in :data:`FAULT_KINDS`, so that every family has
something to find.

Examples
--------
>>> from dpup import synth
>>> agreements = synth.sector(flows=200, seed=1)
>>> sum(len(a.flows) for a in agreements)
200
>>> agreements[0].parties
('provider-00001', 'agency-001')
>>> faulty = synth.generate(flows=200, seed=1, faults={"sharing-value": 0.2})
>>> sorted({f.kind for f in faulty.faults})
['engagement-not-described', 'no-engagement', 'no-maori-engagement', 'sends-nothing-back']
"""

import os
import random
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from dpup.files import Format, dump
from dpup.model import Agreement
from dpup.synth._build import assign_faults, build, plan_sector
from dpup.synth._faults import FAMILIES, FAULT_KINDS, Fault, read_rates

__all__ = ["FAMILIES", "FAULT_KINDS", "Fault", "Sector", "generate", "sector", "write"]

_SUFFIX: dict[str, str] = {"yaml": ".yaml", "json": ".json", "toml": ".toml"}


@attrs.frozen(kw_only=True)
class Sector:
    """A synthetic sector: its agreements and the faults injected into them.

    Parameters
    ----------
    agreements : tuple of Agreement
        One agreement per provider-agency contract, in contract order.
    faults : tuple of Fault
        The faults injected, in agreement order (at most one per agreement).
    """

    agreements: tuple[Agreement, ...]
    faults: tuple[Fault, ...]

    @property
    def flows(self) -> int:
        """The number of flows in all the agreements."""
        return sum(len(a.flows) for a in self.agreements)


def generate(
    flows: int = 1000,
    seed: int = 0,
    *,
    faults: float | Mapping[str, float] = 0.0,
    agencies: int | None = None,
    contractors: int | None = None,
) -> Sector:
    """Generate a synthetic sector and say which faults went into it.

    Parameters
    ----------
    flows : int
        The number of flows to generate. A sector with no faults has exactly this many;
        some faults add or remove a flow or two (a misrouted report, dropped feedback).
    seed : int
        The seed. The same seed and arguments give equal agreements, every time and on every
        machine; nothing global is touched (the generator uses its own ``random.Random``).
        The clean structure depends only on ``flows``, ``seed``, ``agencies`` and
        ``contractors``: fault rates change only the faults.
    faults : float or mapping of str to float
        How often to inject faults, as the probability that an agreement gets a fault of a
        kind. One number applies to every kind in :data:`FAULT_KINDS`; a mapping gives rates
        by check family (``"purpose-mismatch"``, ``"missing-explanation"``,
        ``"untraceable-holder"``, ``"sharing-value"``) and by kind (``"no-choice"``, ...),
        a kind's own rate overriding its family's. Each agreement gets at most one fault;
        where the rates of the kinds an agreement offers add up to more than 1, every such
        agreement gets one, chosen in proportion to the rates. Every kind with a positive
        rate is injected at least once when the sector offers it an opportunity (some kinds
        need one: a group needing extra care, a group with a Māori data interest, a provider
        with a single contract, a report to the agency).
    agencies : int, optional
        The number of agencies; by default about ``sqrt(flows) / 10`` (at least 2), so 3 for
        1,000 flows and 32 for 100,000.
    contractors : int, optional
        The number of analytics contractors; by default a third of the agencies (at least 1).

    Returns
    -------
    Sector
        The agreements and the faults injected into them.

    Raises
    ------
    ValueError
        For a negative number of flows, fewer than one agency, a negative number of
        contractors, a rate outside 0..1 or an unknown fault kind or family.

    See Also
    --------
    sector : the agreements alone.

    Examples
    --------
    >>> from dpup import synth
    >>> s = synth.generate(flows=300, seed=7, faults={"no-choice": 0.1, "no-access": 0.1})
    >>> s.flows
    300
    >>> sorted({(f.family, f.kind) for f in s.faults})
    [('missing-explanation', 'no-choice'), ('untraceable-holder', 'no-access')]
    >>> fault = next(f for f in s.faults if f.kind == "no-choice")
    >>> fault.agreement, fault.subjects
    ('contract-000001', ('intake-parents-record',))
    >>> flow = next(a for a in s.agreements if a.id == fault.agreement).flow("intake-parents-record")
    >>> flow.choice, flow.no_choice_reason
    (None, None)
    """
    if isinstance(flows, bool) or not isinstance(flows, int) or flows < 0:
        raise ValueError(f"flows must be a whole number, 0 or more, not {flows!r}")
    n_agencies = max(2, round(flows**0.5 / 10)) if agencies is None else agencies
    if isinstance(n_agencies, bool) or not isinstance(n_agencies, int) or n_agencies < 1:
        raise ValueError(f"agencies must be a whole number, 1 or more, not {agencies!r}")
    n_contractors = max(1, n_agencies // 3) if contractors is None else contractors
    if isinstance(n_contractors, bool) or not isinstance(n_contractors, int) or n_contractors < 0:
        raise ValueError(f"contractors must be a whole number, 0 or more, not {contractors!r}")
    rates = read_rates(faults)
    plans = plan_sector(random.Random(seed), flows, n_agencies, n_contractors)
    fault_rng = random.Random(f"dpup.synth.faults:{seed}")
    assign_faults(plans, rates, fault_rng)
    agreements: list[Agreement] = []
    injected: list[Fault] = []
    for plan in plans:
        agreement, fault = build(plan, fault_rng)
        agreements.append(agreement)
        if fault is not None:
            injected.append(fault)
    return Sector(agreements=tuple(agreements), faults=tuple(injected))


def sector(
    flows: int = 1000,
    seed: int = 0,
    *,
    faults: float | Mapping[str, float] = 0.0,
    agencies: int | None = None,
    contractors: int | None = None,
) -> list[Agreement]:
    """A synthetic sector's agreements: one per provider-agency contract.

    Takes the same arguments as :func:`generate`, which also says which faults it injected.

    Parameters
    ----------
    flows : int
        The number of flows (exact when there are no faults).
    seed : int
        The seed; the same seed gives equal agreements.
    faults : float or mapping of str to float
        Fault rates, by kind or by family (see :func:`generate`); 0 gives a clean sector.
    agencies, contractors : int, optional
        How many agencies and analytics contractors (see :func:`generate`).

    Returns
    -------
    list of Agreement

    Examples
    --------
    >>> import dpup
    >>> from dpup import synth
    >>> agreements = synth.sector(flows=500, seed=3)
    >>> G = dpup.graph(*agreements)
    >>> G.number_of_edges()
    500
    >>> synth.sector(flows=500, seed=3) == agreements
    True
    >>> kinds = {G.nodes[n]["kind"] for n in G}
    >>> sorted(kinds)
    ['agency', 'provider', 'service-user', 'team']
    """
    return list(generate(flows, seed, faults=faults, agencies=agencies, contractors=contractors).agreements)


def write(
    agreements: Iterable[Agreement], directory: str | os.PathLike[str], format: Format = "yaml"
) -> list[Path]:
    """Write each agreement to its own file in a directory, with :func:`dpup.dump`.

    Parameters
    ----------
    agreements : iterable of Agreement
    directory : str or path
        Created (with its parents) if it does not exist.
    format : {"yaml", "json", "toml"}
        The file format; files are named ``<agreement id>.<format>``.

    Returns
    -------
    list of pathlib.Path
        The files written, in the agreements' order.

    Raises
    ------
    ValueError
        For an unknown format, an agreement id that cannot be a file name (it contains
        ``/``), or two agreements with the same id.

    Examples
    --------
    >>> import tempfile, dpup
    >>> from dpup import synth
    >>> agreements = synth.sector(flows=40, seed=2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = synth.write(agreements, tmp, format="json")
    ...     [dpup.load(p) for p in paths] == agreements
    True
    """
    if format not in _SUFFIX:
        raise ValueError(f"format must be one of {', '.join(_SUFFIX)}, not {format!r}")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    seen: set[str] = set()
    for a in agreements:
        if "/" in a.id or "\\" in a.id:
            raise ValueError(f"agreement id {a.id!r} cannot be a file name: it contains a path separator")
        if a.id in seen:
            raise ValueError(f"two agreements have the id {a.id!r}; each needs its own file")
        seen.add(a.id)
        path = folder / f"{a.id}{_SUFFIX[format]}"
        dump(a, path)
        paths.append(path)
    return paths
