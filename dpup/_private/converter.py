"""The one cattrs converter for the agreement file format (internal)."""

import datetime
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from dpup import model as m

FORMAT_VERSION = 1

_RENAMES: dict[type, dict[str, str]] = {
    m.DataFlow: {"from_": "from"},
    m.Explanation: {"for_": "for"},
    m.Engagement: {"with_": "with"},
}

_CLASSES = (
    m.ServiceUser,
    m.Team,
    m.Provider,
    m.Agency,
    m.Purpose,
    m.Information,
    m.DataFlow,
    m.Checklist,
    m.Names,
    m.Explanation,
    m.AccessArrangement,
    m.Engagement,
    m.Acceptance,
)

_HEADER = ("id", "title", "parties", "review_by")


def make_converter() -> cattrs.Converter:
    """Build the converter: strict (unknown keys are errors), omitting defaults on output."""
    c = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True, detailed_validation=True)
    c.register_unstructure_hook(tuple, list)  # type: ignore[arg-type]
    c.register_structure_hook(datetime.date, _structure_date)
    c.register_unstructure_hook(datetime.date, lambda d: d)
    for enum_cls in (m.Identifiability, m.Sensitivity):
        c.register_unstructure_hook(enum_cls, lambda e: e.value)
    for cls in _CLASSES:
        renames = {k: override(rename=v) for k, v in _RENAMES.get(cls, {}).items()}
        c.register_structure_hook(
            cls, make_dict_structure_fn(cls, c, _cattrs_forbid_extra_keys=True, **renames)
        )
        c.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, c, _cattrs_omit_if_default=True, **renames)
        )
    configure_tagged_union(m.Provider | m.Agency, c, tag_name="kind", tag_generator=lambda cls: cls.kind)
    return c


def _structure_date(value: Any, _: type) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    raise TypeError(f"expected a date (YYYY-MM-DD), not {value!r}")
