"""The faults the synthetic sector can inject, and how fault rates are read (internal)."""

import difflib
import math
from collections.abc import Iterable, Mapping

import attrs

__all__ = ["FAMILIES", "FAULT_KINDS", "Fault", "read_rates"]

FAMILIES: tuple[str, ...] = (
    "purpose-mismatch",
    "missing-explanation",
    "untraceable-holder",
    "sharing-value",
)
"""The four check families of the catalogue, in catalogue order."""

FAULT_KINDS: Mapping[str, str] = {
    # purpose mismatches (Purpose Matters)
    "no-purpose": "purpose-mismatch",
    "undeclared-purpose": "purpose-mismatch",
    "team-not-set-up": "purpose-mismatch",
    "identifying-not-needed": "purpose-mismatch",
    "onward-incompatible": "purpose-mismatch",
    "purpose-unjustified": "purpose-mismatch",
    "identity-need-unknown": "purpose-mismatch",
    "identifiability-unknown": "purpose-mismatch",
    "carries-nothing": "purpose-mismatch",
    # missing explanations (Transparency and Choice)
    "flow-not-covered": "missing-explanation",
    "checklist-gaps": "missing-explanation",
    "purpose-not-named": "missing-explanation",
    "no-extra-care-version": "missing-explanation",
    "no-choice": "missing-explanation",
    "about-no-one": "missing-explanation",
    # untraceable holders (Access to Information)
    "holder-not-named": "untraceable-holder",
    "holder-not-party": "untraceable-holder",
    "no-access": "untraceable-holder",
    # sharing value and partnership (Sharing Value)
    "sends-nothing-back": "sharing-value",
    "no-engagement": "sharing-value",
    "no-maori-engagement": "sharing-value",
    # untraceable holders again: what an access arrangement leaves unsaid (UH005, UH006). Kinds
    # added later go last: where the rates add up to less than 1, a seed still plants the earlier
    # faults where it did (but for a kind planted only so that there is one of each).
    "correction-refusal-unstated": "untraceable-holder",
    "copies-not-offered": "untraceable-holder",
    # sharing value again: an engagement record that does not say what it was about (SV005)
    "engagement-not-described": "sharing-value",
}
"""Every fault kind the generator can inject, mapped to the check family that should find it."""


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Fault:
    """One fault injected into one synthetic agreement.

    Parameters
    ----------
    kind : str
        A key of :data:`FAULT_KINDS`.
    family : str
        The check family expected to report it (one of :data:`FAMILIES`).
    agreement : str
        The id of the agreement it was injected into.
    subjects : tuple of str
        Ids of the flows, holders, purposes, explanations, groups or information the
        finding should be about (a finding naming any of them, as its subject or among its
        related ids, reports this fault).
    description : str
        What was done, in plain words.
    """

    kind: str = attrs.field(validator=attrs.validators.in_(tuple(FAULT_KINDS)))
    family: str = attrs.field(validator=attrs.validators.in_(FAMILIES))
    agreement: str
    subjects: tuple[str, ...] = attrs.field(converter=_strings)
    description: str


def read_rates(faults: float | Mapping[str, float]) -> dict[str, float]:
    """The rate for every fault kind, from one rate or a mapping by family and by kind.

    A family's rate applies to each of its kinds; a kind named on its own overrides its
    family's rate.

    Examples
    --------
    >>> rates = read_rates({"sharing-value": 0.1, "no-engagement": 0.5})
    >>> rates["sends-nothing-back"], rates["no-engagement"], rates["no-choice"]
    (0.1, 0.5, 0.0)
    >>> read_rates({"no-choise": 0.1})
    Traceback (most recent call last):
    ...
    ValueError: faults: unknown fault kind or family 'no-choise'; did you mean 'no-choice'?
    """
    if isinstance(faults, Mapping):
        rates = dict.fromkeys(FAULT_KINDS, 0.0)
        for key, rate in faults.items():
            if key not in FAMILIES and key not in FAULT_KINDS:
                close = difflib.get_close_matches(str(key), [*FAMILIES, *FAULT_KINDS], n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"faults: unknown fault kind or family {key!r}{hint}")
            _check_rate(f"faults[{key!r}]", rate)
        for family in FAMILIES:
            if family in faults:
                for kind, fam in FAULT_KINDS.items():
                    if fam == family:
                        rates[kind] = float(faults[family])
        for kind in FAULT_KINDS:
            if kind in faults:
                rates[kind] = float(faults[kind])
        return rates
    _check_rate("faults", faults)
    return dict.fromkeys(FAULT_KINDS, float(faults))


def _check_rate(name: str, rate: object) -> None:
    if isinstance(rate, bool) or not isinstance(rate, int | float):
        raise TypeError(f"{name} must be a number between 0 and 1, not {rate!r}")
    if not (0.0 <= rate <= 1.0) or math.isnan(rate):
        raise ValueError(f"{name} must be between 0 and 1, not {rate!r}")
