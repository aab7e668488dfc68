"""``dpup init``: a starter agreement to fill in, or a bundled example, as a new file."""

import io
import os
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

import dpup
import dpup.cli
from dpup.cli import EXIT_OK, EXIT_USAGE
from tests.examples import run

STARTER = resources.files("dpup._private").joinpath("starter.yaml").read_text(encoding="utf-8")

BLANK = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>\w+):[ ]*(?:#.*)?$", re.MULTILINE)
"""A key with nothing after its colon but, perhaps, a comment: a blank to fill in (or the
start of a nested mapping or list, which the next line, indented further, shows)."""


def blank_lines(text: str) -> list[tuple[str, str]]:
    """The keys the text leaves blank, in order, each with its line."""
    lines = text.splitlines()
    found = []
    for m in BLANK.finditer(text):
        at = text.count("\n", 0, m.start())
        nxt = next(
            (line for line in lines[at + 1 :] if line.strip() and not line.lstrip().startswith("#")), ""
        )
        deeper, indent = len(nxt) - len(nxt.lstrip()), len(m.group("indent")) + len(m.group("dash") or "")
        opens = deeper > indent or (deeper == indent and nxt.lstrip().startswith("- "))
        if not opens:
            found.append((m.group("key"), m.group(0)))
    return found


def blanks(text: str) -> list[str]:
    """The keys the text leaves blank, in order."""
    return [key for key, _ in blank_lines(text)]


FILLED = {
    "review_by": "2027-06-30",
    "needs_identity": "true",
    "sensitivity": "low",
}
"""What fills a blank that is not text."""

OPTIONAL = ("needs_extra_care",)
"""Blanks to leave out when they do not apply (filled, they ask for more: a version of the
explanation made for the group)."""


def filled(text: str) -> str:
    """The starter with every blank filled in (text: a sentence)."""

    def fill(m: re.Match[str]) -> str:
        key = m.group("key")
        if key not in blanks(text) or key in OPTIONAL:
            return m.group(0)
        value = FILLED.get(key, f"What the agreement says for {key}")
        return f"{m.group('indent')}{m.group('dash') or ''}{key}: {value}"

    return BLANK.sub(fill, text)


def codes(text: str, tmp_path: Path, name: str = "agreement.yaml") -> list[tuple[str, str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return sorted((f.code, f.subject) for f in dpup.check_files(path))


# -- the starter ----------------------------------------------------------------------------------


def test_it_writes_the_starter_to_standard_output() -> None:
    assert run("init") == (EXIT_OK, STARTER, "")


def test_the_starter_is_a_valid_agreement_that_round_trips() -> None:
    agreement = dpup.loads(STARTER)
    assert agreement.id == "my-agreement"
    for fmt in ("yaml", "json", "toml"):
        assert dpup.loads(dpup.dumps(agreement, format=fmt), format=fmt) == agreement


def test_the_starter_has_every_section_of_an_agreement() -> None:
    data = yaml.safe_load(STARTER)
    assert list(data) == list(dpup.json_schema()["properties"])


def test_checking_the_starter_lists_its_blanks_as_warnings(tmp_path: Path) -> None:
    report = dpup.check_files(_written(tmp_path, STARTER))
    assert report.counts()["error"] == 0  # nothing wrong: only what is still to say
    found = sorted((f.code, f.subject) for f in report)
    purposes = ("service-delivery", "service-reporting")
    assert found == sorted(
        [
            *((code, p) for code in ("PM006", "PM007", "PM008") for p in purposes),
            ("ME004", "client-notice"),  # the notice's answers
            ("ME006", "intake"),  # the flows' choices
            ("ME006", "monthly-report"),
            ("UH005", "provider"),  # the access arrangement's refused corrections
            ("UH006", "provider"),  # and copies (info)
            ("SV001", "agency"),  # the agency shares nothing back: a flow only the parties can add
            ("SV004", "client-record"),  # how sensitive, unsaid, and no engagement to settle it
            ("SV004", "monthly-counts"),
        ]
    )


def test_filling_in_every_blank_leaves_only_what_no_blank_says(tmp_path: Path) -> None:
    assert len(blanks(STARTER)) > 20  # the near miss: the starter as written
    done = filled(STARTER)
    assert blanks(done) == list(OPTIONAL)
    assert codes(done, tmp_path) == [("SV001", "agency")]


def test_every_blank_has_a_comment_saying_what_goes_there_or_is_one_said_above() -> None:
    said: set[str] = set()
    for key, line in blank_lines(STARTER):
        if "#" in line:
            said.add(key)
        else:  # a purpose's or flow's second blank of a key, explained at its first
            assert key in said, key
    assert len(said) > 20


def test_the_starter_is_in_the_docs(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "getting-started.md").read_text(encoding="utf-8")
    assert "dpup init agreement.yaml" in page


# -- formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_json_and_toml_are_the_same_agreement_without_the_blanks(fmt: str, tmp_path: Path) -> None:
    code, out, _ = run("init", "--format", fmt)
    assert code == EXIT_OK
    assert dpup.loads(out, format=fmt) == dpup.loads(STARTER)
    assert codes(out, tmp_path, f"agreement.{fmt}") == codes(STARTER, tmp_path)


@pytest.mark.parametrize(
    ("name", "fmt"), [("a.yaml", "yaml"), ("a.yml", "yaml"), ("a.JSON", "json"), ("a.toml", "toml")]
)
def test_the_files_name_gives_its_format(name: str, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / "new" / name  # its directory made too
    code, out, err = run("init", "-o", str(target))
    assert (code, out) == (EXIT_OK, "")
    blanks = " fill in each blank, and" if fmt == "yaml" else " and"  # JSON and TOML have none
    assert (
        err
        == f"dpup init: wrote {target}; now change the ids and names to your own,{blanks} run dpup check {target}\n"
    )
    assert dpup.load(target) == dpup.loads(STARTER)
    written = target.read_text(encoding="utf-8")
    named = STARTER.replace("#     dpup check agreement.yaml\n", f"#     dpup check {target}\n")
    assert named != STARTER
    assert (written == named) == (fmt == "yaml")  # the file's first comment names the file


def test_output_to_standard_output_says_nothing_more() -> None:
    assert run("init", "-o", "-") == (EXIT_OK, STARTER, "")


# -- never over a file ----------------------------------------------------------------------------


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_never_writes_over_a_file(tmp_path: Path) -> None:
    mine = _written(tmp_path, "my own work\n")
    code, out, err = run("init", "-o", str(mine))
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (
        f"dpup: --output {mine}: it exists, and dpup init writes only a new file, never over one; "
        "write the output somewhere else\n"
    )
    assert mine.read_text(encoding="utf-8") == "my own work\n"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_nor_through_a_link_even_a_broken_one(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    link = tmp_path / "agreement.yaml"
    link.symlink_to(target)  # to nothing yet: writing through it would make elsewhere.yaml
    assert run("init", "-o", str(link))[0] == EXIT_USAGE
    assert not target.exists()


def test_other_commands_still_write_over_their_output(tmp_path: Path) -> None:
    old = tmp_path / "schema.json"
    old.write_text("old\n", encoding="utf-8")
    assert run("schema", "-o", str(old))[0] == EXIT_OK
    assert old.read_text(encoding="utf-8") != "old\n"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["-o", "{tmp}/a.txt"], "{tmp}/a.txt: give the file a name ending in .yaml, .yml, .json or .toml"),
        (["{tmp}/a"], "{tmp}/a: give the file a name ending in"),
        (
            ["--format", "json", "-o", "{tmp}/a.yaml"],
            "--format json and {tmp}/a.yaml, the name of a yaml file, disagree",
        ),
    ],
)
def test_a_name_dpup_would_not_read_as_its_format_is_a_usage_error(
    argv: list[str], says: str, tmp_path: Path
) -> None:
    code, out, err = run("init", *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith("dpup init: " + says.replace("{tmp}", str(tmp_path)))
    assert list(tmp_path.iterdir()) == []


# -- the bundled examples -------------------------------------------------------------------------


@pytest.mark.parametrize("name", dpup.examples.names())
def test_example_writes_the_bundled_example(name: str, tmp_path: Path) -> None:
    assert run("init", "--example", name) == (
        EXIT_OK,
        dpup.examples.path(name).read_text(encoding="utf-8"),
        "",
    )
    target = tmp_path / "draft.json"
    code, _, err = run("init", "--example", name, "-o", str(target))
    assert code == EXIT_OK
    assert err == f"dpup init: wrote {target}; now run dpup check {target}\n"
    assert dpup.load(target) == dpup.examples.load(name)


def test_an_unknown_example_is_a_usage_error_naming_those_there_are(tmp_path: Path) -> None:
    code, out, err = run("init", "--example", "best-foot-forward-befor", "-o", str(tmp_path / "a.yaml"))
    assert (code, out) == (EXIT_USAGE, "")
    assert (
        "no example is named 'best-foot-forward-befor' (did you mean best-foot-forward-before?); "
        "there are best-foot-forward, best-foot-forward-before" in err
    )
    assert list(tmp_path.iterdir()) == []


def test_a_file_made_while_it_ran_is_not_written_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dpup.cli

    target = tmp_path / "agreement.yaml"
    original = dpup.cli._run_init

    def racing(*args: object) -> int:  # someone saves their own file there meanwhile
        code = original(*args)  # type: ignore[arg-type]
        target.write_text("theirs\n", encoding="utf-8")
        return code

    monkeypatch.setattr(dpup.cli, "_run_init", racing)
    code, _, err = run("init", "-o", str(target))
    assert code == EXIT_USAGE
    assert "it exists, and dpup init writes only a new file, never over one" in err
    assert target.read_text(encoding="utf-8") == "theirs\n"


def test_a_file_where_its_directory_goes_is_status_74(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    code, _, err = run("init", "-o", str(tmp_path / "a-file" / "agreement.yaml"))
    assert code == 74
    assert (
        err
        == f"dpup: cannot write the output to {tmp_path / 'a-file' / 'agreement.yaml'}: {tmp_path / 'a-file'} is a file, not a directory\n"
    )


def test_the_path_can_be_given_without_o(tmp_path: Path) -> None:
    target = tmp_path / "agreement.yaml"
    code, out, err = run("init", str(target))
    assert (code, out) == (EXIT_OK, "")
    assert target.read_text(encoding="utf-8") == STARTER.replace(
        "#     dpup check agreement.yaml\n", f"#     dpup check {target}\n"
    )
    assert err.startswith(f"dpup init: wrote {target}; ")
    code, _, err = run("init", str(tmp_path / "a.yaml"), "-o", str(tmp_path / "b.yaml"))
    assert code == EXIT_USAGE
    assert (
        err
        == f"dpup init: give the new file once: as FILE ({tmp_path / 'a.yaml'}) or as -o ({tmp_path / 'b.yaml'})\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agreement.yaml"]


def test_the_next_step_quotes_a_name_a_shell_would_split(tmp_path: Path) -> None:
    target = tmp_path / "My Agreement (draft).yaml"
    code, _, err = run("init", str(target))
    assert code == EXIT_OK
    assert err.endswith(f"and run dpup check '{target}'\n")


@pytest.mark.parametrize("fmt", ["json", "toml"])
def test_the_next_step_of_json_or_toml_asks_for_no_blanks(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"agreement.{fmt}"
    assert run("init", str(target)) == (
        EXIT_OK,
        "",
        f"dpup init: wrote {target}; now change the ids and names to your own, and run dpup check {target}\n",
    )


def test_a_directory_is_told_to_name_a_file_in_it(tmp_path: Path) -> None:
    code, out, err = run("init", "-o", str(tmp_path))
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (
        f"dpup: --output {tmp_path}: it is a directory: name a new file in it, such as "
        f"{tmp_path / 'agreement.yaml'}\n"
    )


def test_an_empty_name_is_a_usage_error_for_every_command() -> None:
    for argv in (["init"], ["schema"], ["checks"]):
        assert run(*argv, "-o", "") == (
            EXIT_USAGE,
            "",
            "dpup: -o needs the name of a file to write (or -, for standard output)\n",
        )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_to_a_terminal_it_says_how_to_write_a_file() -> None:
    out, err = _Terminal(), io.StringIO()
    assert dpup.cli.main(["init"], out=out, err=err) == EXIT_OK
    assert out.getvalue() == STARTER
    assert err.getvalue() == "dpup init: to write it to a new file: dpup init agreement.yaml\n"
    out, err = io.StringIO(), io.StringIO()  # near miss: a pipe, which is writing a file already
    assert dpup.cli.main(["init"], out=out, err=err) == EXIT_OK
    assert err.getvalue() == ""
