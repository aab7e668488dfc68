"""dpup: data-sharing agreements as checkable contracts, built on New Zealand's
Data Protection and Use Policy (DPUP)."""

from dpup import examples
from dpup.checks import (
    catalogue,
    check,
    check_files,
    missing_explanations,
    purpose_mismatches,
    sharing_value,
    untraceable_holders,
)
from dpup.compare import Comparison, compare
from dpup.diff import Change, Diff, FieldChange, diff
from dpup.errors import AgreementError, Error, Problem
from dpup.files import agreement_files, dump, dumps, load, load_all, loads
from dpup.graph import GraphError, agreements_of, flows, graph
from dpup.holding import Holding, who_holds
from dpup.model import (
    CHECKLIST_ITEMS,
    Acceptance,
    AccessArrangement,
    Agency,
    Agreement,
    Checklist,
    DataFlow,
    Engagement,
    Explanation,
    Holder,
    Identifiability,
    Information,
    Names,
    Provider,
    Purpose,
    Sensitivity,
    ServiceUser,
    Team,
)
from dpup.render.diagram import to_dot, to_mermaid
from dpup.render.notice import NOTICE_VERSIONS, Notice, NoticeSection, notice
from dpup.report import CheckError, Family, Finding, Report, Severity
from dpup.schema import json_schema, output_schema

__version__ = "0.1.0"
"""The version of dpup (``dpup --version`` prints it)."""

__all__ = [
    "CHECKLIST_ITEMS",
    "NOTICE_VERSIONS",
    "Acceptance",
    "AccessArrangement",
    "Agency",
    "Agreement",
    "AgreementError",
    "Change",
    "CheckError",
    "Checklist",
    "Comparison",
    "DataFlow",
    "Diff",
    "Engagement",
    "Error",
    "Explanation",
    "Family",
    "FieldChange",
    "Finding",
    "GraphError",
    "Holder",
    "Holding",
    "Identifiability",
    "Information",
    "Names",
    "Notice",
    "NoticeSection",
    "Problem",
    "Provider",
    "Purpose",
    "Report",
    "Sensitivity",
    "ServiceUser",
    "Severity",
    "Team",
    "__version__",
    "agreement_files",
    "agreements_of",
    "catalogue",
    "check",
    "check_files",
    "compare",
    "diff",
    "dump",
    "dumps",
    "examples",
    "flows",
    "graph",
    "json_schema",
    "load",
    "load_all",
    "loads",
    "missing_explanations",
    "notice",
    "output_schema",
    "purpose_mismatches",
    "sharing_value",
    "to_dot",
    "to_mermaid",
    "untraceable_holders",
    "who_holds",
]
