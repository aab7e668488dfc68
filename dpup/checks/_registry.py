"""The check registry: each check is a typed Python function with its DPUP metadata."""

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Literal

import attrs

from dpup.report import CheckError, Family, Finding, Severity

if TYPE_CHECKING:
    from dpup.checks._context import Context

__all__ = ["CATALOGUE", "Check", "Hit", "Law", "Seed", "register"]

GUIDELINES: dict[Family, str] = {
    Family.PURPOSE_MISMATCH: "Purpose Matters",
    Family.MISSING_EXPLANATION: "Transparency and Choice",
    Family.UNTRACEABLE_HOLDER: "Access to Information",
    Family.SHARING_VALUE: "Sharing Value",
}

PRINCIPLES: dict[Family, tuple[str, ...]] = {
    Family.PURPOSE_MISMATCH: ("He Tāngata", "Kaitiakitanga"),
    Family.MISSING_EXPLANATION: ("Mana Whakahaere", "Manaakitanga"),
    Family.UNTRACEABLE_HOLDER: ("Mana Whakahaere", "Kaitiakitanga"),
    Family.SHARING_VALUE: ("Mahitahitanga",),
}

SEED_FILES: dict[str, str] = {
    "000": "000_a360f5b1ec4f92fa.txt",
    "001": "001_94a2f5b3bd05b0f0.txt",
    "002": "002_68744fb34d7a55c1.txt",
    "003": "003_f1a02c271a84442a.txt",
    "004": "004_1d0c9d1c34ad39a7.txt",
}

SEED_TITLES: dict[str, str] = {
    "000": "DPUP for people who lead frontline offices or small local services",
    "001": "DPUP summary for developing policies, services or programmes",
    "002": "DPUP introductory workshop",
    "003": "The Data Protection and Use Policy in action: Best foot forward",
    "004": "Privacy Maturity Assessment Framework: people-centred criteria",
}


LawLevel = Literal["legal minimum", "good practice"]
"""Whether a check asks what the law requires or what DPUP adds beyond it."""


def _strs(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _not_blank(instance: object, attribute: "attrs.Attribute[str]", value: str) -> None:
    if not value.strip():
        raise ValueError(f"a seed's {attribute.name} must not be blank")


@attrs.frozen(kw_only=True)
class Seed:
    """A sentence from one of the DPUP source documents that a check rests on.

    Parameters
    ----------
    doc : str
        The source document, by number: ``"000"`` to ``"004"``.
    quote : str
        The sentence, word for word.
    section : str
        Where in the document the sentence sits, in the document's own words where it has
        them, outermost first and joined by " › ": for example ``"What service users need
        to know › Choices"``, or ``"Not thinking about DPUP › Reporting › CCSS thinking /
        feeling"`` for a worry the scenario gives a provider rather than guidance. A gloss the
        document does not give is in brackets, as in ``"Be transparent and support choices
        (access and correction)"``.
    """

    doc: str = attrs.field(validator=attrs.validators.in_(SEED_FILES))
    quote: str
    section: str = attrs.field(validator=_not_blank)

    @property
    def title(self) -> str:
        """The source document's title."""
        return SEED_TITLES[self.doc]


@attrs.frozen(kw_only=True)
class Law:
    """The Privacy Act 2020 information privacy principle behind a check, where one applies.

    ``level`` says whether the check enforces the legal minimum or DPUP's good practice,
    which goes beyond the law.
    """

    ipp: str
    level: LawLevel
    note: str


@attrs.frozen(kw_only=True)
class Hit:
    """What a check function yields for one finding; the registry adds the metadata."""

    subject: str
    message: str
    related: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    path: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    agreement: str | None = None
    remediation: str | None = None
    agreements: tuple[str | None, ...] = ()
    """For a finding several agreements give rise to (one about a holder they all reach):
    every one of them, in the order read. An acceptance of the finding in any of them accepts
    it, and the finding is then attributed to the first that does, so whether a finding is
    accepted does not depend on the order agreements are combined in. A check need only give
    them when :attr:`Context.accepting` holds its code and subject."""
    where: str | None = None
    """Where in its agreement the finding is, when that is not the declaration of its subject
    (a stale acceptance's acceptance, ``"$.accepted[2]"``; a reference to an undeclared
    purpose within its subject, ``"$.explanations[0].names.purposes[2]"``; an access
    arrangement, whose finding is about its contact, ``"$.access[0]"``; an engagement record,
    whose finding is about its agreement, ``"$.engagement[1]"``): :meth:`Check.run`
    looks the subject up otherwise."""


CheckFunction = Callable[["Context"], Iterable[Hit]]


@attrs.frozen(kw_only=True)
class Check:
    """A registered check: its stable code, DPUP metadata, and the function that runs it."""

    code: str
    name: str
    family: Family
    severity: Severity
    finds: str
    remediation: str
    seeds: tuple[Seed, ...]
    law: Law | None
    function: CheckFunction = attrs.field(repr=False)

    @property
    def guideline(self) -> str:
        """The DPUP Guideline the check serves."""
        return GUIDELINES[self.family]

    @property
    def principles(self) -> tuple[str, ...]:
        """The DPUP Principles the check serves."""
        return PRINCIPLES[self.family]

    def to_dict(self) -> dict[str, Any]:
        """The check's metadata as plain data (what ``dpup checks --format json`` lists):
        everything but the function that runs it.

        Examples
        --------
        >>> import dpup
        >>> entry = dpup.catalogue()[3].to_dict()
        >>> entry["code"], entry["severity"], entry["guideline"]
        ('PM004', 'error', 'Purpose Matters')
        >>> sorted(entry["seeds"][0])
        ['doc', 'quote', 'section', 'title']
        """
        law = self.law
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family.value,
            "severity": self.severity.value,
            "guideline": self.guideline,
            "principles": list(self.principles),
            "law": None if law is None else {"ipp": law.ipp, "level": law.level, "note": law.note},
            "finds": self.finds,
            "remediation": self.remediation,
            "seeds": [
                {"doc": s.doc, "title": s.title, "section": s.section, "quote": s.quote} for s in self.seeds
            ],
        }

    def run(self, ctx: "Context") -> Iterator[Finding]:
        """Run the check; a check that raises becomes a :class:`~dpup.report.CheckError`."""
        try:
            hits = list(self.function(ctx))
        except Exception as exc:
            raise CheckError(
                f"check {self.code} ({self.name}) failed: {exc!r}", code=self.code, name=self.name
            ) from exc
        agreements = ctx.agreements
        for hit in hits:
            agreement = hit.agreement
            if hit.agreements:
                agreement = ctx.attribute(self.code, hit.subject, agreement, hit.agreements)
            where = hit.where
            if where is None and agreement is not None:
                # a few dict lookups per finding (the agreement indexes positions once)
                declaring = agreements.get(agreement)
                where = declaring.where(hit.subject) if declaring is not None else None
            yield Finding(
                code=self.code,
                family=self.family,
                severity=self.severity,
                subject=hit.subject,
                related=hit.related,
                principles=self.principles,
                guideline=self.guideline,
                message=hit.message,
                remediation=hit.remediation or self.remediation,
                path=hit.path,
                agreement=agreement,
                where=where,
            )


CATALOGUE: dict[str, Check] = {}
"""Every registered check by code, in registration order."""


def register(
    *,
    code: str,
    name: str,
    family: Family,
    severity: Severity,
    finds: str,
    remediation: str,
    seeds: Iterable[Seed],
    law: Law | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under a stable code."""

    def decorate(function: CheckFunction) -> CheckFunction:
        if code in CATALOGUE:
            raise ValueError(f"check code {code} is registered twice")
        CATALOGUE[code] = Check(
            code=code,
            name=name,
            family=family,
            severity=severity,
            finds=finds,
            remediation=remediation,
            seeds=tuple(seeds),
            law=law,
            function=function,
        )
        return function

    return decorate
