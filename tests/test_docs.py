"""The documentation must say what the code does.

- The graph page includes ``dpup.graph``'s docstring (docs/hooks/docstrings.py): the node and
  edge attributes it lists are the ones the graph really has.
- The file format reference lists, section by section, exactly the keys the loader accepts.
- The model page names every field of every class.
- Every Python example in the docs runs.
"""

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import dpup

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _load(path: Path, name: str) -> ModuleType:
    # By path, so this works whatever pytest's import mode and whether tests/ is a package.
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = _load(DOCS / "hooks" / "docstrings.py", "_dpup_docs_hook")
run_examples = _load(ROOT / "tests" / "test_readme.py", "_dpup_readme_examples").run_examples


def _table_keys(markdown: str, heading: str) -> list[str]:
    """The first column (without backquotes) of the first table after a heading."""
    start = markdown.index(heading)
    keys = []
    in_table = False
    for line in markdown[start:].splitlines()[1:]:
        if line.startswith("|"):
            in_table = True
            first = line.split("|")[1].strip()
            if first not in ("key", "attribute", "---") and first:
                keys.append(first.strip("`"))
        elif in_table:
            break
    return keys


# -- the graph page --------------------------------------------------------------------------


def test_graph_page_includes_the_graph_docstring() -> None:
    page = (DOCS / "concepts" / "graph.md").read_text(encoding="utf-8")
    assert "<!-- docstring: dpup/graph.py -->" in page
    rendered = hook.render(page)
    assert "<!-- docstring" not in rendered
    assert "| `organisation` |" in rendered
    assert "| `information` |" in rendered


def test_documented_graph_attributes_are_the_real_ones() -> None:
    rendered = hook.render("<!-- docstring: dpup/graph.py -->")
    G = dpup.examples.load("best-foot-forward").graph()
    for node, data in G.nodes(data=True):
        assert set(data) == set(_table_keys(rendered, "### Nodes")), node
    for u, v, key, data in G.edges(keys=True, data=True):
        assert set(data) == set(_table_keys(rendered, "### Edges")), (u, v, key)


def test_hook_converts_sections_tables_examples_and_roles() -> None:
    doc = (
        "Summary with ``code`` and :class:`~dpup.Team`.\n\nPart\n----\n"
        "====  =====\nname  value\n====  =====\n``a``   first\n      more\n``b``   :mod:`dpup.graph`\n====  =====\n\n"
        ">>> 1 + 1\n2\n"
    )
    assert hook.to_markdown(doc, "x.py") == (
        "Summary with `code` and `Team`.\n\n### Part\n\n\n"
        "| name | value |\n| --- | --- |\n| `a` | first more |\n| `b` | `dpup.graph` |\n\n\n"
        "```pycon\n>>> 1 + 1\n2\n```\n"
    )


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("====  ====\na  b\n====  ====\nrow\n====  ====\n", "expected two columns separated by two spaces"),
        ("====  ====\na  b\n====  ====\n  more\n====  ====\n", "continues a row that is not there"),
        ("====  ====\na  b\n====  ====\nx  y\n", "never ends"),
        ("====  ====\nab\n====  ====\nx  y\n====  ====\n", "a table header needs two columns"),
    ],
)
def test_hook_refuses_what_it_cannot_read(doc: str, message: str) -> None:
    with pytest.raises(hook.DocstringError, match=message):
        hook.to_markdown(doc, "x.py")


def test_hook_names_a_missing_module(tmp_path: Path) -> None:
    with pytest.raises(hook.DocstringError, match=r"'nowhere\.py', which is not a file"):
        hook.render("<!-- docstring: nowhere.py -->", root=tmp_path)


# -- the file format reference ---------------------------------------------------------------


def _file_keys(cls: type) -> set[str]:
    # The file's keys are the attrs fields, with Python's trailing underscore dropped
    # (from_ -> from, for_ -> for, with_ -> with).
    return {f.name.removesuffix("_") for f in attrs.fields(cls) if f.init}


_HEADER = {"id", "title", "parties", "review_by"}

SECTIONS = {
    "{ #serviceuser }": _file_keys(dpup.ServiceUser),
    "{ #holder }": _file_keys(dpup.Provider) | {"kind"},
    "{ #team }": _file_keys(dpup.Team),
    "{ #purpose }": _file_keys(dpup.Purpose),
    "{ #information }": _file_keys(dpup.Information),
    "{ #dataflow }": _file_keys(dpup.DataFlow),
    "{ #explanation }": _file_keys(dpup.Explanation),
    "{ #names }": _file_keys(dpup.Names),
    "{ #checklist }": set(dpup.CHECKLIST_ITEMS),
    "{ #accessarrangement }": _file_keys(dpup.AccessArrangement),
    "{ #engagement }": _file_keys(dpup.Engagement),
    "{ #acceptance }": _file_keys(dpup.Acceptance),
    "{ #agreement }": _HEADER,
    "{ #top-level }": (_file_keys(dpup.Agreement) - _HEADER) | {"dpup", "agreement"},
}


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_file_format_reference_lists_exactly_the_keys_of_each_section(section: str) -> None:
    page = (DOCS / "file-format.md").read_text(encoding="utf-8")
    keys = _table_keys(page, section)
    assert len(keys) == len(set(keys)), f"{section}: a key is listed twice"
    assert set(keys) == SECTIONS[section]


def test_file_format_reference_includes_the_example_file() -> None:
    page = (DOCS / "file-format.md").read_text(encoding="utf-8")
    (included,) = re.findall(r'--8<-- "([^"]+)"', page)
    assert (ROOT / included).resolve() == dpup.examples.path("best-foot-forward").resolve()


# -- the model page --------------------------------------------------------------------------

MODEL_CLASSES = [
    dpup.ServiceUser,
    dpup.Team,
    dpup.Purpose,
    dpup.Information,
    dpup.DataFlow,
    dpup.Explanation,
    dpup.Names,
    dpup.Checklist,
    dpup.AccessArrangement,
    dpup.Engagement,
    dpup.Acceptance,
    dpup.Agreement,
]


@pytest.mark.parametrize("cls", [*MODEL_CLASSES, dpup.Provider], ids=lambda c: c.__name__)
def test_model_page_names_every_field(cls: type) -> None:
    page = (DOCS / "concepts" / "model.md").read_text(encoding="utf-8")
    heading = "### `Provider` and `Agency`" if cls is dpup.Provider else f"### `{cls.__name__}`"
    section = page.split(heading, 1)[1].split("\n### ", 1)[0]
    for field in attrs.fields(cls):
        if field.init:
            assert f"`{field.name}`" in section, f"{cls.__name__}.{field.name} is not on the model page"


# -- examples in the docs --------------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")), ids=str)
def test_docs_python_examples_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run_examples(DOCS / page)
