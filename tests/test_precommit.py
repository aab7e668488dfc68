"""The pre-commit hooks (``.pre-commit-hooks.yaml``): each runs a real ``dpup`` command, the
check hook takes the directory it is given and runs once, the validate hook takes agreement
files and not the other YAML, JSON and TOML files of a repository, and the documentation's
example uses hooks that exist. Nothing here needs pre-commit or a network: its file filter is
emulated as pre-commit applies it (``re.search`` of ``files``, and not of ``exclude``, on the
path relative to the repository root, with ``/`` between its parts)."""

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

import dpup
from dpup.cli import EXIT_OK, EXIT_USAGE, _parser, main
from dpup.files import FORMATS
from tests.test_readme import code_blocks

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

# The keys pre-commit reads in a hook's manifest entry (clientlib.MANIFEST_HOOK_DICT, pre-commit
# 4.7): it ignores any other without a word, even in validate-manifest, so a misspelt
# `require_serial` would go unnoticed.
_HOOK_KEYS = {
    "id", "name", "entry", "language", "alias", "files", "exclude", "types", "types_or",
    "exclude_types", "additional_dependencies", "args", "always_run", "fail_fast",
    "pass_filenames", "description", "language_version", "log_file", "minimum_pre_commit_version",
    "require_serial", "stages", "verbose",
}  # fmt: skip


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return {hook["id"]: hook for hook in hooks}


def _selects(hook: dict[str, Any], path: str) -> bool:
    """Whether pre-commit's ``files`` and ``exclude`` of a hook let a path through (its
    ``types_or`` aside, which needs pre-commit's ``identify``)."""
    return bool(re.search(hook.get("files", ""), path)) and not re.search(hook.get("exclude", "^$"), path)


def test_the_manifest_has_the_check_and_validate_hooks() -> None:
    hooks = _hooks()
    assert list(hooks) == ["dpup-check", "dpup-validate"]
    for id, hook in hooks.items():
        assert set(hook) <= _HOOK_KEYS, f"{id}: keys pre-commit does not know: {set(hook) - _HOOK_KEYS}"
        assert {"id", "name", "entry", "language"} <= set(hook), id
        assert hook["language"] == "python", id  # pre-commit pip-installs this repository at `rev`
        assert hook.get("description"), id


@pytest.mark.parametrize("id", ["dpup-check", "dpup-validate"])
def test_each_hook_runs_a_real_dpup_subcommand(id: str, capsys: pytest.CaptureFixture[str]) -> None:
    entry = shlex.split(_hooks()[id]["entry"])
    assert entry == ["dpup", id.removeprefix("dpup-")]  # dpup-check runs dpup check, and so on
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert entry[0] in scripts, f"{id}: {entry[0]} is not a command the package installs"
    assert scripts[entry[0]] == "dpup.cli:main"
    assert main([*entry[1:], "--help"]) == EXIT_OK, f"{id}: `{' '.join(entry)} --help` failed"
    out = capsys.readouterr().out
    assert out.startswith(f"usage: {' '.join(entry)} "), out


def test_the_entry_check_fails_on_a_command_dpup_does_not_have(capsys: pytest.CaptureFixture[str]) -> None:
    """The check above can fail: ``--help`` after an unknown subcommand is a usage error."""
    assert main(["chek", "--help"]) == EXIT_USAGE
    assert "invalid choice: 'chek'" in capsys.readouterr().err


def test_the_hooks_need_a_pre_commit_that_knows_types_or() -> None:
    for id, hook in _hooks().items():
        version = tuple(int(n) for n in str(hook["minimum_pre_commit_version"]).split("."))
        assert version >= (2, 9, 0), f"{id}: types_or came in pre-commit 2.9.0"


@pytest.mark.parametrize("id", ["dpup-check", "dpup-validate"])
def test_the_hooks_take_the_file_types_dpup_reads(id: str) -> None:
    """pre-commit's tags for .yaml/.yml, .json and .toml files are dpup's format names."""
    assert sorted(_hooks()[id]["types_or"]) == sorted(FORMATS)
    assert "types" not in _hooks()[id]  # with types_or, it would also have to match


def test_the_check_hook_is_given_its_directory_and_runs_once() -> None:
    hook = _hooks()["dpup-check"]
    assert hook["pass_filenames"] is False  # one graph: the files a commit changes are not enough
    assert hook["require_serial"] is True
    assert "args" not in hook  # the user names the directory: no default that may not exist
    assert not hook.get("always_run", False)  # triggered by a change to an agreement file


@pytest.mark.parametrize(
    "path",
    [
        "agreements/best-foot-forward.yaml",
        "register/2025/ccss.yml",  # agreements kept anywhere: no default `files` leaves them out
        "export.json",
        "sector.TOML",
        ".pre-commit-config.yaml",  # a run the hook did not need costs time, never a wrong verdict
    ],
)
def test_the_check_hook_is_not_narrowed_to_a_directory(path: str) -> None:
    """Had the hook a default ``files``, agreements outside it would change with no check run."""
    assert _selects(_hooks()["dpup-check"], path)


def test_the_validate_hook_takes_each_changed_file_in_one_process() -> None:
    hook = _hooks()["dpup-validate"]
    assert hook["pass_filenames"] is True
    assert hook["require_serial"] is True  # one process: a repeated agreement id is always seen


@pytest.mark.parametrize(
    ("path", "taken"),
    [
        ("agreements/best-foot-forward.yaml", True),
        ("agreements/ccss.yml", True),
        ("agreements/2025/export.json", True),
        ("agreements/sector.TOML", True),
        ("contracts/agreements/ccss.yaml", True),
        (".pre-commit-config.yaml", False),
        (".github/workflows/ci.yml", False),
        (".gitlab-ci.yml", False),
        ("package.json", False),
        ("pyproject.toml", False),
        ("mkdocs.yml", False),
        ("docs/agreements.yaml", False),
        ("myagreements/ccss.yaml", False),
        ("agreements/README.md", False),
        ("agreements/notes.yaml.bak", False),
        ("agreements/agreement.schema.json", False),
        ("agreements/.draft.yaml", False),
        ("agreements/.drafts/ccss.yaml", False),
    ],
)
def test_the_validate_hook_takes_agreement_files_only(path: str, taken: bool) -> None:
    assert _selects(_hooks()["dpup-validate"], path) is taken


def test_the_validate_hook_takes_the_files_dpup_check_reads_in_agreements(tmp_path: Path) -> None:
    """In a directory named agreements/, the hook takes exactly the files that
    ``dpup check agreements/`` reads (:func:`dpup.agreement_files`)."""
    names = [
        "a.yaml", "b.YML", "c.json", "d.toml", "e.md", "f.yaml.orig", "agreement.schema.json",
        ".hidden.yaml", ".drafts/g.yaml", "2025/h.yaml", "2025/i.Json", "2025/.j.toml", "notes.txt",
    ]  # fmt: skip
    for name in names:
        (tmp_path / "agreements" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "agreements" / name).write_text("dpup: 1\n", encoding="utf-8")
    read = {Path(p).relative_to(tmp_path).as_posix() for p in dpup.agreement_files(tmp_path / "agreements")}
    taken = {
        f"agreements/{name}" for name in names if _selects(_hooks()["dpup-validate"], f"agreements/{name}")
    }
    assert taken == read
    assert "agreements/2025/h.yaml" in read  # not an empty comparison


# -- the command, given no file ----------------------------------------------------------------


def test_check_with_no_file_says_how_to_name_the_agreements(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert main(["check", "--fail-on", "error"]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "dpup check: error: the following arguments are required: FILE\n" in captured.err
    assert captured.err.endswith(
        "dpup check: name the agreement files, or a directory of them: dpup check agreements/\n"
    )
    assert "pre-commit" not in captured.err


@pytest.mark.parametrize("command", ["check", "validate"])
def test_a_hook_given_no_directory_says_to_add_args(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What pre-commit shows when ``dpup-check`` has no ``args`` (pre-commit sets PRE_COMMIT=1
    for every hook it runs)."""
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert main([command]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.endswith(
        f"dpup {command}: pre-commit gave this hook no files: in .pre-commit-config.yaml, give it "
        "the directory that holds your agreements, such as args: [agreements/]\n"
    )


def test_the_hint_is_only_for_a_missing_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert main(["check", "agreements/", "--fail-on", "sometimes"]) == EXIT_USAGE
    assert "args: [agreements/]" not in capsys.readouterr().err
    assert main(["holders", "parents"]) == EXIT_USAGE  # GROUP FILE: the hint would not fit
    assert "agreements/" not in capsys.readouterr().err


# -- the documentation ---------------------------------------------------------------------------


def _section() -> str:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    return text.split("### With pre-commit\n", 1)[1].split("\n## ", 1)[0]


def _documented_hooks() -> list[list[dict[str, Any]]]:
    """The hooks of each YAML block of the section: a whole config's, or a fragment's list."""
    found = []
    for lang, body, _ in code_blocks(_section()):
        if lang == "yaml":
            data = yaml.safe_load(body)
            found.append(
                [h for repo in data["repos"] for h in repo["hooks"]] if isinstance(data, dict) else data
            )
    return found


def test_the_documented_config_uses_hooks_that_exist() -> None:
    config = _documented_hooks()[0]
    assert [hook["id"] for hook in config] == list(_hooks())
    (check,) = [hook for hook in config if hook["id"] == "dpup-check"]
    args = _parser().parse_args(["check", *check["args"]])  # what the hook runs
    assert args.files == ["agreements/"]


def test_the_documented_overrides_are_hook_keys() -> None:
    blocks = _documented_hooks()
    assert len(blocks) >= 2  # the config, and the validate hook narrowed
    for hooks in blocks:
        for hook in hooks:
            assert hook["id"] in _hooks()
            assert set(hook) <= _HOOK_KEYS, hook


def test_the_documented_message_is_what_dpup_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (shown,) = [body for lang, body, _ in code_blocks(_section()) if lang == "text"]
    monkeypatch.setenv("PRE_COMMIT", "1")
    main(["check"])
    assert shown in capsys.readouterr().err.splitlines(keepends=True)
