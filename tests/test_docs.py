"""The documentation must say what the code does.

- The graph page includes ``dpup.graph``'s docstring (docs/hooks/docstrings.py): the node and
  edge attributes it lists are the ones the graph really has.
- The file format reference lists, section by section, exactly the keys the loader accepts.
- The model page names every field of every class.
- Every Python example in the docs runs.
- The command-line page documents every command, option, choice and default there is, and
  no other.
- A sentence the docs quote from a seed is in that seed.
"""

import argparse
import importlib.util
import io
import itertools
import re
import shlex
import shutil
import unicodedata
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import dpup
import dpup.cli
from dpup.checks._registry import SEED_FILES

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
api = _load(DOCS / "hooks" / "api.py", "_dpup_api_hook")
readme = _load(ROOT / "tests" / "test_readme.py", "_dpup_readme_examples")
run_examples = readme.run_examples


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


def test_the_graph_page_carries_a_current_copy_of_the_docstring() -> None:
    # The page reads whole where it is not built; the copy must be what the docstring gives.
    page = (DOCS / "concepts" / "graph.md").read_text(encoding="utf-8")
    ((module, copy, current),) = hook.copies(page)
    assert module == "dpup/graph.py"
    assert copy == current, "run: python docs/hooks/docstrings.py docs/concepts/graph.md"
    assert "| `declared_in` |" in copy
    assert '`sys.modules["dpup.graph"].__doc__`' in page


def test_the_hook_replaces_a_copy_and_refreshes_a_stale_one(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text('"""Doc with ``code``."""\n', encoding="utf-8")
    stale = "Before.\n\n<!-- docstring: m.py -->\nOld text.\n<!-- end docstring -->\n\nAfter.\n"
    assert hook.render(stale, root=tmp_path) == "Before.\n\nDoc with `code`.\n\n\nAfter.\n"
    assert hook.copies(stale, root=tmp_path) == [("m.py", "Old text.\n", "Doc with `code`.\n")]
    fresh = hook.refresh(stale, root=tmp_path)
    assert (
        fresh == "Before.\n\n<!-- docstring: m.py -->\nDoc with `code`.\n<!-- end docstring -->\n\nAfter.\n"
    )
    assert hook.copies(fresh, root=tmp_path) == [("m.py", "Doc with `code`.\n", "Doc with `code`.\n")]
    # A marker without a copy is replaced alone, and refresh leaves it be.
    bare = "<!-- docstring: m.py -->\nAfter.\n"
    assert hook.render(bare, root=tmp_path) == "Doc with `code`.\n\nAfter.\n"
    assert hook.refresh(bare, root=tmp_path) == bare
    assert hook.copies(bare, root=tmp_path) == []


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


# -- the API reference -----------------------------------------------------------------------


def test_the_api_page_names_everything_dpup_exports_once() -> None:
    names = api.names_on((DOCS / "api.md").read_text(encoding="utf-8"))
    assert len(names) == len(set(names)), "a name is on the API page twice"
    top = [n for n in names if "." not in n]
    assert sorted(top) == sorted(dpup.__all__)


def test_the_api_page_is_listed_in_the_site() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - docs/hooks/api.py\n" in config
    assert "API reference: api.md" in config


@pytest.fixture(scope="module")
def api_page() -> str:
    return api.render((DOCS / "api.md").read_text(encoding="utf-8"))


def test_the_api_page_has_an_entry_for_every_export(api_page: str) -> None:
    assert "<!-- api" not in api_page
    headings = set(re.findall(r"^#+ `([\w.]+?)(?:\(\))?`", api_page, re.MULTILINE))
    assert {f"dpup.{name}" for name in dpup.__all__} <= headings
    # What a user looks for: a report's methods, a finding's and a problem's fields, the
    # family functions, the catalogue and what it lists, the examples' functions.
    for method in ("counts", "summary", "by_family", "open", "fails", "to_dict", "to_json", "of"):
        assert f"dpup.Report.{method}" in headings
    assert {
        "dpup.Problem.where",
        "dpup.Finding.fingerprint",
        "dpup.checks.Check",
        "dpup.examples.path",
    } <= headings
    for field in attrs.fields(dpup.Finding):
        assert f"| `{field.name}` | " in api_page
    assert "| `path` | `tuple[str \\| int, ...]` | `required` | Where in the agreement" in api_page
    assert "dpup.load_all(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]" in api_page
    assert "dpup.CHECKLIST_ITEMS = ('what', 'why'," in api_page
    assert "dpup.Holder = Provider | Agency\n" in api_page


def test_api_entries_of_each_kind() -> None:
    assert api.type_name(str | None) == "str | None"
    assert api.type_name(tuple[dpup.Team, ...]) == "tuple[Team, ...]"
    assert api.type_name(dpup.files.Format | None) == "Literal['yaml', 'json', 'toml'] | None"
    assert api.signature("f", lambda a, *b, c=1: None) == "f(a, *b, c=1)"

    def g(x: int, *, y: str = "z") -> bool:
        return True

    assert api.signature("g", g) == "g(x: int, *, y: str = 'z') -> bool"
    doc = "Sum.\n\nParameters\n----------\nx, y : int\n    The numbers.\n\nReturns\n-------\nint\n"
    assert api.docstring_markdown(doc, "x.py") == (
        "Sum.\n\n#### Parameters\n\n`x`, `y` (int)\n:   The numbers.\n\n#### Returns\n\n`int`\n"
    )


def test_the_api_hook_refuses_what_it_cannot_document() -> None:
    with pytest.raises(api.DocstringError, match=r"names 'nothing', which dpup does not have"):
        api.render("<!-- api: nothing -->")
    with pytest.raises(api.DocstringError, match="a description with no term before it"):
        api.docstring_markdown("S.\n\nParameters\n----------\n    orphan\n", "x.py")


# -- command-line output shown in the docs ---------------------------------------------------


def console_examples(text: str) -> list[tuple[list[str], str, int]]:
    """Each ``$ dpup ...`` command in a ``console`` block, with the output shown after it."""
    out: list[tuple[list[str], str, int]] = []
    for lang, body, line in readme.code_blocks(text):
        if lang != "console":
            continue
        for chunk in re.split(r"^(?=\$ )", body, flags=re.MULTILINE):
            if not chunk.strip():
                continue
            command, _, shown = chunk.partition("\n")
            argv = shlex.split(command.removeprefix("$ "))
            assert argv[0] == "dpup", f"line {line}: a console example runs dpup, not {argv[0]}"
            out.append((argv[1:], shown, line))
    return out


def run_dpup(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = dpup.cli.main(argv, out=out, err=err)
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")), ids=str)
def test_console_examples_print_what_is_shown(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for argv, shown, line in console_examples((DOCS / page).read_text(encoding="utf-8")):
        assert run_dpup(argv)[1] == shown, f"{page}:{line}: dpup {shlex.join(argv)} prints something else"


def excerpts(text: str) -> list[tuple[list[str], list[str], int]]:
    """Each ``sh`` block of one dpup command with a ``text`` block straight after it: the
    command, and the lines shown of what it prints. A line ``...`` stands for lines left out,
    and a line ending `` ...`` for the rest of a line."""
    blocks = readme.code_blocks(text)
    out = []
    for (lang, body, line), after in itertools.pairwise(blocks):
        if (
            lang != "sh"
            or after[0] != "text"
            or body.count("\n") != 1
            or not readme._adjacent(text, line, after)
        ):
            continue
        argv = shlex.split(body.removeprefix(".venv/bin/"))
        if argv[0] == "dpup":
            out.append((argv[1:], [s for s in after[1].splitlines() if s.strip() != "..."], line))
    return out


def _shows(output: str, shown: list[str]) -> bool:
    """Whether the lines shown are lines of the output, in order."""
    lines = iter(output.splitlines())
    for s in shown:
        if s.endswith(" ..."):
            if not any(line.startswith(s[:-3]) for line in lines):
                return False
        elif s not in lines:
            return False
    return True


@pytest.mark.parametrize("page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")), ids=str)
def test_excerpts_of_command_output_are_what_it_prints(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for argv, shown, line in excerpts((DOCS / page).read_text(encoding="utf-8")):
        assert _shows(run_dpup(argv)[1], shown), (
            f"{page}:{line}: dpup {shlex.join(argv)} prints something else"
        )


def test_excerpts_are_found_and_compared() -> None:
    text = "```sh\ndpup check a.yaml\n```\n\n```text\nfirst\n...\n  fix: ...\n```\n"
    assert excerpts(text) == [(["check", "a.yaml"], ["first", "  fix: ..."], 1)]
    assert _shows("first\nsecond\n  fix: all of it\n", ["first", "  fix: ..."])
    assert not _shows("first\nsecond\n", ["second", "first"])
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert {argv[0] for argv, _, _ in excerpts(cli)} >= {"compare", "diff", "holders", "notice"}


@pytest.mark.parametrize(
    ("page", "command", "claim"),
    [
        ("cli.md", "dpup check examples/best-foot-forward-before.yaml", "42 findings, exits 1"),
        ("cli.md", "dpup check examples/best-foot-forward.yaml", "1 info finding, exits 0"),
        (
            "getting-started.md",
            "dpup compare examples/best-foot-forward-before.yaml examples/best-foot-forward.yaml",
            "42 fixed, 1 new, 0 still open",
        ),
        (
            "getting-started.md",
            "dpup diff examples/best-foot-forward-before.yaml examples/best-foot-forward.yaml",
            "7 changed, 9 added, 10 removed",
        ),
    ],
)
def test_what_a_comment_says_a_command_gives_is_what_it_gives(
    page: str, command: str, claim: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [" ".join(s.split()) for s in (DOCS / page).read_text(encoding="utf-8").splitlines()]
    assert f"{command} # {claim}" in lines
    monkeypatch.chdir(ROOT)
    code, output = run_dpup(shlex.split(command)[1:])
    said, _, status = claim.partition(", exits ")
    assert said.replace(" info ", " ") in output
    if status:
        assert code == int(status)
    if " info " in said:
        assert ", 1 info," in output


def test_console_examples_are_found() -> None:
    text = "```console\n$ dpup validate a.yaml\na.yaml: OK\n$ dpup --version\ndpup 0\n```\n"
    assert console_examples(text) == [
        (["validate", "a.yaml"], "a.yaml: OK\n", 1),
        (["--version"], "dpup 0\n", 1),
    ]
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert any(argv[0] == "validate" for argv, _, _ in console_examples(cli))


def _shown(page: str, start: str) -> str:
    """The one line of a ``text`` block on a page that starts with ``start``."""
    blocks = readme.code_blocks((DOCS / page).read_text(encoding="utf-8"))
    (line,) = [body for lang, body, _ in blocks if lang == "text" and body.startswith(start)]
    assert line.count("\n") == 1
    return line


@pytest.mark.parametrize("page", ["getting-started.md", "file-format.md"])
def test_the_sample_load_error_is_what_the_typo_gives(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The typo the pages describe: the bundled example with its third flow sent to 'agency.reportng'.
    text = dpup.examples.path("best-foot-forward").read_text(encoding="utf-8")
    flows = text.index("\nflows:")
    typo = text[flows:].replace("to: agency.reporting\n", "to: agency.reportng\n", 1)
    (tmp_path / "agreement.yaml").write_text(text[:flows] + typo, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = run_dpup(["validate", "agreement.yaml"])
    assert code == dpup.cli.EXIT_INVALID
    assert output == _shown(page, "agreement.yaml:")


def test_the_repeated_agreement_id_example_is_what_dpup_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "register").mkdir()
    for name in ("best-foot-forward.yaml", "copy.yaml"):
        shutil.copy(dpup.examples.path("best-foot-forward"), tmp_path / "register" / name)
    monkeypatch.chdir(tmp_path)
    code, output = run_dpup(["check", "register/"])
    assert code == dpup.cli.EXIT_INVALID
    assert output == _shown("cli.md", "register/copy.yaml:")


# -- the command line page: commands and options ----------------------------------------------


def _commands() -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in dpup.cli._parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _cli_section(command: str) -> str:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    return page.split(f"\n## `dpup {command}`\n", 1)[1].split("\n## ", 1)[0]


def _long_options(action: argparse.Action) -> list[str]:
    return [o for o in action.option_strings if o.startswith("--")]


def test_the_cli_page_has_a_section_for_each_command_and_no_other() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert set(re.findall(r"^## `dpup (\w+)`$", page, re.MULTILINE)) == set(_commands())
    # The options every command takes, and dpup's own, are documented once, at the top.
    top = readme.code_blocks(page)[0][1]
    for action in dpup.cli._parser()._actions:
        assert all(o in top for o in _long_options(action)), action.option_strings
    for parser in _commands().values():
        assert any(a.option_strings == ["-o", "--output"] for a in parser._actions)
    assert "Every command takes `-o PATH` (`--output PATH`)" in page


@pytest.mark.parametrize("command", sorted(_commands()))
def test_the_cli_page_documents_every_option_of_a_command_and_no_other(command: str) -> None:
    """The synopsis (the section's first block) names every option, with exactly its choices,
    and every positional argument; the section says each option's default in words."""
    section = _cli_section(command)
    synopsis = readme.code_blocks(section)[0][1].split("\n")[0:4]
    synopsis_text = " ".join(line for line in synopsis if line.lstrip().startswith(("dpup", "[")))
    real: set[str] = set()
    for action in _commands()[command]._actions:
        longs = _long_options(action)
        if not longs:  # a positional argument: its metavar is in the synopsis
            assert re.search(rf"\b{action.metavar}\b", synopsis_text), (command, action.metavar)
            continue
        if "--help" in longs or "--output" in longs:
            continue
        real.update(longs)
        if action.choices is not None:
            shown = re.search(rf"\[{longs[0]} ([^\]\s]+)\]", synopsis_text)
            assert shown is not None, (command, longs[0])
            assert shown[1].split("|") == list(action.choices), (command, longs[0])
        if isinstance(action, argparse.BooleanOptionalAction):
            default = f"`{longs[0] if action.default else longs[1]}`"
        elif action.default is not None:
            default = f"`{action.default}`"
        else:
            continue
        said = [
            f"`{longs[0]} {default.strip('`')}` (the default)",
            f"`{longs[0]} {default.strip('`')}`, the default",
            f"{default} (the default)",
            f"{default}, the default",
            f"default is {default}",
        ]
        assert any(s in " ".join(section.split()) for s in said), (
            f"dpup {command} {longs[0]}: default {default}"
        )
    documented = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", synopsis_text))
    assert documented == real, (
        f"dpup {command}: the synopsis names {sorted(documented)}, --help {sorted(real)}"
    )


# -- quotations from the seeds ---------------------------------------------------------------

SEEDS = ROOT / "tests" / "seeds"
_FENCED = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)
# Quoted in a paragraph that cites a seed, but not quoted from it: headings dpup itself writes.
NOT_FROM_A_SEED = {
    "What we write down about you, and why",
    "Seeing it, and fixing mistakes",
    "What you can choose",
}


def _loose(text: str) -> str:
    """Text as compared with a seed: the transcript of seed 002 has lost its apostrophes, dashes
    and macrons, which the docs restore, and a quotation may start in lower case."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text.replace("*", "")) if not unicodedata.combining(c)
    )
    text = re.sub(r"[\u2014\u2013']", " ", text)
    return " ".join(text.split()).lower().strip(" .,")


def seed_quotations(markdown: str) -> list[tuple[str, list[str]]]:
    """Each quotation of more than three words in a paragraph that names seeds (``seed 001``),
    with those seeds; a blockquote's attribution (``— seed 002``) names its seed too, and a
    quotation in a paragraph that gives one as DPUP's (``DPUP's "..."``) may be from any seed. The generated part of
    the catalogue is left out (tests/test_catalogue.py checks it)."""
    text = _FENCED.sub("", markdown.split("<!-- catalogue -->", 1)[0])
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        seeds = sorted(set(re.findall(r"\bseed (\d{3})\b", paragraph, re.IGNORECASE)))
        if not seeds:
            flat = " ".join(paragraph.split())
            if "DPUP's \"" in flat:
                out += [(q, sorted(SEED_FILES)) for q in re.findall(r'"([^"]+)"', flat) if len(q.split()) > 3]
            continue
        lines = []
        for line in paragraph.splitlines():
            line = line.strip()
            if line.startswith("!!!"):  # an admonition's title
                continue
            if line.startswith("|"):  # a table row: its cells, less those that are only a key
                line = " ".join(
                    c for c in line.strip("|").split("|") if not re.fullmatch(r"\s*(`\w+`)?\s*", c)
                )
            lines.append(line.lstrip("> "))
        flat = " ".join(" ".join(lines).split())
        quotes = re.findall(r'"([^"]+)"', flat)
        if paragraph.lstrip().startswith(">"):
            quotes.append(re.sub(r"\s*— seed \d{3}.*$", "", flat))
        out += [
            (q, seeds) for q in quotes if len(q.split()) > 3 and "›" not in q and q not in NOT_FROM_A_SEED
        ]
    return out


def test_seed_quotations_are_found() -> None:
    page = 'Seed 001\'s "What laws allow the collection or use." and "a b".\n\n> Quoted\n> here. — seed 002\n'
    assert seed_quotations(page) == [("What laws allow the collection or use.", ["001"])]
    every = ["000", "001", "002", "003", "004"]
    assert seed_quotations('DPUP\'s "what organisations have it?" and "how do I ask?".') == [
        ("what organisations have it?", every),
        ("how do I ask?", every),
    ]
    table = "| key | seed 001 |\n| `what` | \"What's collected or used, |\n| `why` | why it's needed, |\n| `how_used` | how it will be used.\" |\n"
    assert seed_quotations(table) == [
        ("What's collected or used, why it's needed, how it will be used.", ["001"])
    ]


@pytest.mark.parametrize(
    "page", sorted(["README.md", *(p.relative_to(ROOT).as_posix() for p in DOCS.rglob("*.md"))]), ids=str
)
def test_what_the_docs_quote_from_a_seed_is_in_it(page: str) -> None:
    seeds = {doc: _loose((SEEDS / name).read_text(encoding="utf-8")) for doc, name in SEED_FILES.items()}
    for quote, cited in seed_quotations((ROOT / page).read_text(encoding="utf-8")):
        assert any(_loose(quote) in seeds[doc] for doc in cited), (
            f"{page}: not in seed {'/'.join(cited)}: {quote!r}"
        )


def test_the_dpup_page_names_the_privacy_principles_the_checks_cite() -> None:
    page = (DOCS / "concepts" / "dpup.md").read_text(encoding="utf-8")
    section = page.split("## DPUP and the law", 1)[1].split("\n## ", 1)[0]
    cited = {ipp for check in dpup.catalogue() if check.law for ipp in check.law.ipp.split(", ")}
    assert set(re.findall(r"IPP \d+", section)) == cited


def test_getting_started_names_every_method_of_a_report() -> None:
    page = " ".join((DOCS / "getting-started.md").read_text(encoding="utf-8").split())
    listed = page.split("with `Report`'s methods (", 1)[1].split(" and `Finding`'s fields", 1)[0]
    methods = {name for name in dir(dpup.Report) if not name.startswith("_") and name != "findings"}
    assert set(re.findall(r"`(?:Report\.)?(\w+)\(\)`", listed)) == methods


# -- the performance page ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["run", "cache"])
def test_the_performance_page_documents_every_benchmark_option(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _load(ROOT / "benchmarks" / f"{name}.py", f"_dpup_benchmark_{name}_help")
    with pytest.raises(SystemExit):
        module.main(["--help"])
    options = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", capsys.readouterr().out)) - {"--help"}
    assert "--quiet" in options
    page = (DOCS / "performance.md").read_text(encoding="utf-8")
    # Each script's own part of the page: run.py's ends where cache.py's begins.
    section = (
        page.split(f"benchmarks/{name}.py", 1)[1].split("\n## ", 1)[0].split("benchmarks/cache.py", 1)[0]
    )
    missing = sorted(option for option in options if f"`{option}" not in section)
    assert not missing, f"benchmarks/{name}.py options not in docs/performance.md: {missing}"


# -- getting started -------------------------------------------------------------------------


def test_the_minimal_agreement_loads_and_gives_the_findings_the_page_lists() -> None:
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    section = page.split("## Start your own agreement", 1)[1].split("\n## ", 1)[0]
    text, head = [body for lang, body, _ in readme.code_blocks(section) if lang == "yaml"]
    agreement = dpup.loads(text)
    first_line = head.splitlines()[0]  # naming the schema for an editor, as the page shows
    assert first_line == "# yaml-language-server: $schema=agreement.schema.json"
    assert dpup.loads(f"{first_line}\n{text}") == agreement
    assert "`my-agreement.yaml: OK (my-agreement: 1 flow)`" in section
    assert (agreement.id, len(agreement.flows)) == ("my-agreement", 1)
    report = dpup.check(agreement)
    assert "lists eight findings" in section
    assert sorted(f.code for f in report) == [
        "ME001",
        "ME006",
        "PM006",
        "PM007",
        "PM008",
        "SV001",
        "SV004",
        "UH001",
    ]


def test_combining_two_versions_of_one_agreement_is_as_the_note_says() -> None:
    for name in ("getting-started.md", "cli.md"):
        page = " ".join((DOCS / name).read_text(encoding="utf-8").split())
        assert "together they give 37 findings, not the 42 + 1 of checking each" in page, name
    after, before = dpup.examples.load("best-foot-forward"), dpup.examples.load("best-foot-forward-before")

    def found(report: dpup.Report) -> set[tuple[str, str]]:
        return {(f.code, f.subject) for f in report if f.agreement == before.id}

    together = dpup.check(dpup.graph(after, before))
    assert (len(together), len(dpup.check(before)), len(dpup.check(after))) == (37, 42, 1)
    assert found(dpup.check(before)) - found(together) == {
        ("UH001", "agency.evaluation"),
        ("UH001", "agency.reporting"),
        ("UH003", "agency"),
        ("UH003", "ccss"),
        ("ME005", "children"),
        ("SV001", "agency"),
    }


# -- examples in the docs --------------------------------------------------------------------


@pytest.mark.parametrize("page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")), ids=str)
def test_docs_python_examples_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run_examples(DOCS / page)
