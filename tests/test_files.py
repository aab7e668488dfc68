"""Agreement files: save then load gives an equal agreement, in every format; the files read
well by hand."""

import datetime
import json
import os
import tomllib
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import given

import dpup
from dpup import Agreement, AgreementError, Engagement, Information, Provider, ServiceUser
from tests.examples import places
from tests.strategies import agreements

FORMATS = ["yaml", "json", "toml"]
EXAMPLES = dpup.examples.names()


@pytest.mark.parametrize("format", FORMATS)
@given(agreement=agreements())
def test_dump_then_load_gives_an_equal_agreement(format: dpup.files.Format, agreement: Agreement) -> None:
    text = dpup.dumps(agreement, format=format)
    assert dpup.loads(text, format=format) == agreement


@pytest.mark.parametrize("format", FORMATS)
@given(agreement=agreements(max_flows=3))
def test_dumping_is_stable(format: dpup.files.Format, agreement: Agreement) -> None:
    text = dpup.dumps(agreement, format=format)
    assert dpup.dumps(dpup.loads(text, format=format), format=format) == text


@given(agreement=agreements(max_flows=3))
def test_every_format_holds_the_same_data(agreement: Agreement) -> None:
    from_yaml = yaml.safe_load(dpup.dumps(agreement, "yaml"))
    from_toml = tomllib.loads(dpup.dumps(agreement, "toml"))
    from_json = json.loads(dpup.dumps(agreement, "json"))
    if agreement.review_by is not None:  # JSON has no dates: ISO text
        assert from_json["agreement"]["review_by"] == agreement.review_by.isoformat()
        from_json["agreement"]["review_by"] = agreement.review_by
    assert from_yaml == from_toml == from_json


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("format", FORMATS)
def test_examples_round_trip(name: str, format: dpup.files.Format, tmp_path: Path) -> None:
    agreement = dpup.examples.load(name)
    path = tmp_path / f"{name}.{format}"
    dpup.dump(agreement, path)
    assert dpup.load(path) == agreement


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_dump_to_what_their_files_say(name: str) -> None:
    # The bundled file (with its comments) and dpup's own dump read as the same data.
    written = yaml.safe_load(dpup.examples.path(name).read_text(encoding="utf-8"))
    dumped = yaml.safe_load(dpup.dumps(dpup.examples.load(name)))
    for info in written.get("information", []):
        if info.get("about") == []:
            del info["about"]  # an empty list is the default, left out when dumping
    assert dumped == written


# -- how files look --------------------------------------------------------------------------

SMALL = Agreement(
    id="demo",
    title="Whānau support in Ōtautahi",
    parties=["ccss"],
    review_by=datetime.date(2027, 6, 30),
    service_users=[ServiceUser(id="whanau", name="Whānau in the programme", maori_data_interest=True)],
    holders=[Provider(id="ccss", name="City Centre Social Services")],
    information=[Information(id="record", about=["whanau"], identifiability="identifying")],
    engagement=[Engagement(with_=["whanau"], about="Hui with whānau\nand the provider", maori=True)],
)


def test_yaml_reads_well_by_hand() -> None:
    assert dpup.dumps(SMALL) == (
        "dpup: 1\n"
        "\n"
        "agreement:\n"
        "  id: demo\n"
        "  title: Whānau support in Ōtautahi\n"
        "  parties: [ccss]\n"
        "  review_by: 2027-06-30\n"
        "\n"
        "service_users:\n"
        "  - id: whanau\n"
        "    name: Whānau in the programme\n"
        "    maori_data_interest: true\n"
        "\n"
        "holders:\n"
        "  - kind: provider\n"
        "    id: ccss\n"
        "    name: City Centre Social Services\n"
        "\n"
        "information:\n"
        "  - id: record\n"
        "    about: [whanau]\n"
        "    identifiability: identifying\n"
        "\n"
        "engagement:\n"
        "  - with: [whanau]\n"
        "    about: |-\n"
        "      Hui with whānau\n"
        "      and the provider\n"
        "    maori: true\n"
    )


def test_json_keeps_unicode_and_writes_dates_as_iso_text() -> None:
    text = dpup.dumps(SMALL, format="json")
    assert '"title": "Whānau support in Ōtautahi"' in text
    data = json.loads(text)
    assert data["agreement"]["review_by"] == "2027-06-30"
    assert list(data) == ["dpup", "agreement", "service_users", "holders", "information", "engagement"]
    assert list(data["holders"][0]) == ["kind", "id", "name"]
    assert data["engagement"][0] == {
        "with": ["whanau"],
        "about": "Hui with whānau\nand the provider",
        "maori": True,
    }


def test_toml_writes_native_dates_and_no_nulls() -> None:
    text = dpup.dumps(SMALL, format="toml")
    assert "review_by = 2027-06-30\n" in text
    assert 'title = "Whānau support in Ōtautahi"' in text
    assert tomllib.loads(text)["agreement"]["review_by"] == datetime.date(2027, 6, 30)


@pytest.mark.parametrize("format", FORMATS)
def test_defaults_are_left_out(format: dpup.files.Format) -> None:
    bare = Agreement(id="x", title="t", holders=[Provider(id="p", name="P")])
    data = {"yaml": yaml.safe_load, "json": json.loads, "toml": tomllib.loads}[format](
        dpup.dumps(bare, format)
    )
    assert data == {
        "dpup": 1,
        "agreement": {"id": "x", "title": "t"},
        "holders": [{"kind": "provider", "id": "p", "name": "P"}],
    }


def test_text_that_looks_like_something_else_stays_text() -> None:
    tricky = [
        "yes",
        "no",
        "null",
        "~",
        "2027-06-30",
        "1.5",
        "0x10",
        "- a",
        "a: b",
        "#c",
        "",
        " pad ",
        "é\x85\u2028",
    ]
    tricky += ["\n", "\n\n", "a\n", "a\n\n", "a\nb", "a\nb\n\n\n", " a\n b", "a \nb ", "\ta\n"]
    a = Agreement(
        id="x", title="t", service_users=[ServiceUser(id=f"g{i}", name=s) for i, s in enumerate(tricky)]
    )
    for format in FORMATS:
        assert dpup.loads(dpup.dumps(a, format), format) == a, format  # type: ignore[arg-type]
    # The last text of a section, followed by the blank line written before the next one.
    for text in tricky:
        b = Agreement(id="x", title=text, holders=[Provider(id="p", name=text)])
        assert dpup.loads(dpup.dumps(b)) == b, repr(text)


# -- files and formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "format"),
    [(".yaml", "yaml"), (".yml", "yaml"), (".json", "json"), (".toml", "toml"), (".YAML", "yaml")],
)
def test_format_follows_the_suffix(suffix: str, format: str, tmp_path: Path) -> None:
    path = tmp_path / f"a{suffix}"
    dpup.dump(SMALL, path)
    assert path.read_text(encoding="utf-8") == dpup.dumps(SMALL, format=format)  # type: ignore[arg-type]
    assert dpup.load(path) == SMALL
    assert dpup.files.format_of(path) == format


def test_format_can_be_given_whatever_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "agreement.txt"
    dpup.dump(SMALL, path, format="json")
    assert dpup.load(path, format="json") == SMALL


def test_dump_to_an_unknown_suffix_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError, match=r"cannot tell the format to write .* in from the suffix '\.txt'; use a name"
    ):
        dpup.dump(SMALL, tmp_path / "agreement.txt")


def test_dump_to_no_suffix_or_a_bad_format_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"from its name, which has no suffix; use a name ending in"):
        dpup.dump(SMALL, tmp_path / "agreement")
    with pytest.raises(
        ValueError,
        match=r"dpup\.dump: format must be one of yaml, json, toml, not 'yml' \(for 'yml', pass format='yaml'\)",
    ):
        dpup.dump(SMALL, tmp_path / "a.yaml", format="yml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"dpup\.dumps: format must be one of yaml, json, toml, not 'xml'$"):
        dpup.dumps(SMALL, format="xml")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_dump_and_load_given_the_wrong_kind_of_thing_say_so(tmp_path: Path) -> None:
    # dumps wrote a list of agreements (or None, or a str) as a file no loader reads, and
    # loads of bytes or None failed deep inside with a message about integers or isascii.
    for wrong in ([SMALL, SMALL], None, "SMALL"):
        for format in FORMATS:
            with pytest.raises(TypeError, match=r"^dpup\.dumps writes an Agreement, not "):
                dpup.dumps(wrong, format)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            dpup.dump(wrong, tmp_path / "a.yaml")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(TypeError, match=r"not bytes \(decode it: data\.decode\('utf-8'\)\)$"):
        dpup.loads(dpup.dumps(SMALL).encode())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^dpup\.loads takes the text of a file \(a str\), not NoneType$"):
        dpup.loads(None)  # type: ignore[arg-type]


def _smuggled(text: str) -> Agreement:
    """An agreement holding text the model refuses, set behind its back (as a bug or a
    subclass might): what dump must survive without harm to the file it replaces."""
    a = attrs.evolve(SMALL)
    object.__setattr__(a, "title", text)
    return a


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml"])
def test_a_dump_that_fails_leaves_the_existing_file_as_it_was(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"a{suffix}"
    dpup.dump(SMALL, path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="surrogate"):  # UnicodeEncodeError is a ValueError
        dpup.dump(_smuggled("caf\udce9"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # nothing left behind


def test_a_dump_interrupted_before_the_replace_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    dpup.dump(SMALL, path)
    before = path.read_bytes()

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        dpup.dump(attrs.evolve(SMALL, title="Changed"), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
    # near miss: uninterrupted, the file is replaced
    dpup.dump(attrs.evolve(SMALL, title="Changed"), path)
    assert dpup.load(path).title == "Changed"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and links")
def test_a_dump_keeps_the_file_mode_and_writes_through_a_link(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    dpup.dump(SMALL, path)
    path.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(path)
    dpup.dump(attrs.evolve(SMALL, title="Again"), link)
    assert link.is_symlink()
    assert dpup.load(path).title == "Again"
    assert path.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.yaml"
    dpup.dump(SMALL, fresh)  # a new file gets the usual mode, not a temporary file's 0600
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_dump_takes_any_path_like(tmp_path: Path) -> None:
    class Where(os.PathLike[str]):
        def __fspath__(self) -> str:
            return str(tmp_path / "a.toml")

    dpup.dump(SMALL, Where())
    assert dpup.load(Where()) == SMALL


def test_load_accepts_str_paths(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    dpup.dump(SMALL, str(path))
    assert dpup.load(str(path)) == SMALL


def test_files_are_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    dpup.dump(SMALL, path)
    assert "Ōtautahi".encode() in path.read_bytes()


def test_yaml_loads_with_the_c_loader_where_installed() -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    assert issubclass(dpup.files._YamlLoader, yaml.CSafeLoader)


def test_a_directory_stands_for_every_agreement_file_in_it(tmp_path: Path) -> None:
    (tmp_path / "north" / "deep").mkdir(parents=True)
    (tmp_path / ".cache").mkdir()
    written = {
        "north/deep/z.toml": "best-foot-forward",
        "north/a.yml": "best-foot-forward-before",
        "b.JSON": "best-foot-forward",
    }
    for name, example in written.items():
        dpup.dump(dpup.examples.load(example), tmp_path / name, format=dpup.files.format_of(name))
    (tmp_path / "notes.txt").write_text("not an agreement", encoding="utf-8")
    (tmp_path / ".draft.yaml").write_text("not: [valid", encoding="utf-8")
    (tmp_path / ".cache" / "old.yaml").write_text("not: [valid", encoding="utf-8")
    files = dpup.agreement_files(tmp_path)
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == [
        "b.JSON",
        "north/a.yml",
        "north/deep/z.toml",
    ]
    assert dpup.load_all([tmp_path]) == [dpup.examples.load(written[name]) for name in sorted(written)]


def test_a_file_stands_for_itself(tmp_path: Path) -> None:
    assert dpup.agreement_files(tmp_path / "a.yaml") == [tmp_path / "a.yaml"]
    assert dpup.agreement_files("missing.yaml") == ["missing.yaml"]


def test_a_directory_without_agreements_is_a_problem(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = tmp_path / "bad.yaml"
    bad.write_text("dpup: 1\nagreement: {id: x}\n", encoding="utf-8")
    with pytest.raises(dpup.AgreementError) as caught:
        dpup.load_all([empty, bad])
    files = [p.file for p in caught.value.problems]
    assert files[0] == str(empty)
    assert caught.value.problems[0].message == "the directory holds no agreement file"
    assert set(files[1:]) == {str(bad)}


def test_load_all_takes_one_path_as_one_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A str is iterable: read character by character, "register/" would walk "/" itself.
    register = tmp_path / "register"
    register.mkdir()
    for name in EXAMPLES:
        dpup.dump(dpup.examples.load(name), register / f"{name}.yaml")
    expected = [dpup.examples.load(name) for name in sorted(EXAMPLES, key=lambda name: f"{name}.yaml")]
    monkeypatch.chdir(tmp_path)
    assert dpup.load_all("register/") == expected
    assert dpup.load_all("register") == expected
    assert dpup.load_all(register) == expected
    assert dpup.load_all(f"register/{EXAMPLES[0]}.yaml") == [dpup.examples.load(EXAMPLES[0])]
    # The near miss: a list of one path, as before.
    assert dpup.load_all(["register/"]) == expected


def test_a_path_that_does_not_exist_says_so_whatever_its_name(tmp_path: Path) -> None:
    for name in ("missing.yaml", "missing", "missing/", "agreement.txt"):
        with pytest.raises(FileNotFoundError) as caught:
            dpup.load(tmp_path / name)
        assert caught.value.filename == str(tmp_path / name)
        with pytest.raises(FileNotFoundError):
            dpup.load_all([tmp_path / name])
    # The near miss: a file that is there, with a name that gives no format.
    (tmp_path / "agreement.txt").write_text("dpup: 1\n", encoding="utf-8")
    with pytest.raises(dpup.AgreementError, match="cannot tell the file's format from its name"):
        dpup.load(tmp_path / "agreement.txt")


def test_a_name_is_read_as_given_not_as_pathlib_shortens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Path("") is Path("."), a directory, and Path("a.yaml/") is Path("a.yaml"), a file.
    monkeypatch.chdir(tmp_path)
    dpup.dump(dpup.examples.load(EXAMPLES[0]), "a.yaml")
    for format in (None, "yaml"):
        with pytest.raises(FileNotFoundError):
            dpup.load("", format)
        for name in ("a.yaml/", "a.yaml/."):
            with pytest.raises(NotADirectoryError):
                dpup.load(name, format)
    with pytest.raises(FileNotFoundError):
        dpup.load_all("")


def test_a_directory_leaves_out_what_is_not_a_file(tmp_path: Path) -> None:
    # A named pipe would be waited on for ever; a link to a file is a file; a link to
    # nothing is kept, to be reported as missing.
    dpup.dump(dpup.examples.load(EXAMPLES[0]), tmp_path / "a.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nothing.yaml")
    files = dpup.agreement_files(tmp_path)
    assert [Path(f).name for f in files] == ["a.yaml", "gone.yaml", "link.yaml"]
    with pytest.raises(FileNotFoundError):
        dpup.load_all(tmp_path)
    (tmp_path / "gone.yaml").unlink()
    assert len(dpup.load_all(tmp_path)) == 2


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_given_by_name_is_refused_not_read_without_end(tmp_path: Path) -> None:
    # A link named like an agreement file to /dev/zero was read until memory ran out.
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(AgreementError) as info:
        dpup.load(link)
    (p,) = info.value.problems
    assert (p.message, p.expected, p.found, p.file) == (
        "the file is a device, which reads without end or waits, not a file",
        "a file",
        "a character device",
        str(link),
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_by_load_all_when_named_and_left_out_of_a_directory(tmp_path: Path) -> None:
    # load_all looks at a path given itself; a directory's walk keeps only files, so a link
    # to a device in one is not an agreement file at all (and is not read).
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(AgreementError) as info:
        dpup.load_all([link])
    assert [p.found for p in info.value.problems] == ["a character device"]
    dpup.dump(dpup.load(dpup.examples.path("best-foot-forward")), tmp_path / "bff.yaml")
    assert [a.id for a in dpup.load_all(tmp_path)] == ["best-foot-forward"]
    assert [p.name for p in dpup.agreement_files(tmp_path)] == ["bff.yaml"]


def test_a_loop_of_links_in_a_directory_is_a_file_that_cannot_be_read_not_the_directory(
    tmp_path: Path,
) -> None:
    # Following the loop fails (ELOOP): that was the whole directory failing to list, named
    # after the link, and the other agreements in it went unchecked.
    import io

    from dpup.cli import EXIT_INVALID, main

    dpup.dump(dpup.examples.load(EXAMPLES[0]), tmp_path / "a.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    assert [Path(f).name for f in dpup.agreement_files(tmp_path)] == ["a.yaml", "loop.yaml"]
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(tmp_path)], out=out, err=err) == EXIT_INVALID
    assert out.getvalue() == f"{tmp_path / 'a.yaml'}: OK ({EXAMPLES[0]}: 5 flows)\n"
    assert err.getvalue().startswith(f"{tmp_path / 'loop.yaml'}: cannot read the file: ")


# -- lines of many paths at once (for Report.located) ------------------------------------------


def _located_by_composing(text: str, format: str, paths: list[tuple[str | int, ...]]) -> list[int | None]:
    from dpup._private import lines

    root = lines.compose(text, format)
    assert root is not None
    locate = lines.Locator(root)
    out: list[int | None] = []
    for path in paths:
        _, line, whole = locate.find(path)
        out.append(line if whole else None)
    return out


@pytest.mark.parametrize("format", ["yaml", "json"])
@pytest.mark.parametrize("name", ["best-foot-forward", "best-foot-forward-before"])
def test_lines_of_finds_what_composing_finds(name: str, format: str) -> None:
    from dpup._private.lines import lines_of

    text = dpup.dumps(dpup.examples.load(name), format)  # type: ignore[arg-type]
    data = yaml.safe_load(text) if format == "yaml" else json.loads(text)
    paths = [*places(data), ("flows", 99), ("flows", 0, "nothing"), ("nothing",)]
    assert lines_of(text, format, paths) == _located_by_composing(text, format, paths)
    # and as written by hand, comments and all
    if format == "yaml":
        text = (Path(__file__).resolve().parents[1] / "examples" / f"{name}.yaml").read_text(encoding="utf-8")
        paths = places(yaml.safe_load(text))
        assert lines_of(text, format, paths) == _located_by_composing(text, format, paths)


@pytest.mark.parametrize(
    "text",
    [
        "flows: [{id: a}, {id: b}]\npurposes:\n- id: p\n",  # flow style
        "base: &b {id: a}\nflows:\n  - {id: x}\n  - <<: *b\n    id: c\n",  # a merge
        "flows:\n  - id: a\nflows:\n  - id: b\n",  # a key given twice: the first is read
        "? [odd, key]\n: {flows: [x]}\nflows:\n  - id: a\n",  # a key that is not text
        "x: [1]\nflows:\n  - id: a\n  - |\n    - id: not an item\n  - id: c\n",  # a block scalar
        "flows:\n- id: a\n...\n---\nflows: [x]\n",  # a second document
    ],
)
def test_lines_of_yaml_as_written(text: str) -> None:
    from dpup._private.lines import lines_of

    paths = [("flows", 0), ("flows", 1), ("flows", 2), ("purposes", 0), ("flows", 0, "id"), ("x", 0)]
    expected = _located_by_composing(text.split("...")[0], "yaml", paths)
    assert lines_of(text, "yaml", paths) == expected


def test_lines_of_json_with_escaped_keys_and_brackets_in_text() -> None:
    from dpup._private.lines import lines_of

    text = '{\n  "fl\\u006fws": [\n    {"id": "a [b]", "x": "{"},\n    {"id": "c"}\n  ]\n}\n'
    paths = [("flows", 0), ("flows", 1), ("flows", 2), ("flows", 0, "x")]
    assert lines_of(text, "json", paths) == [3, 4, None, 3]
    assert lines_of(text, "json", paths) == _located_by_composing(text, "json", paths)


def test_lines_of_a_text_that_cannot_be_read_is_unknown() -> None:
    from dpup._private.lines import lines_of

    assert lines_of("]: a\nflows: [a, b]\n", "yaml", [("flows", 0)]) is None
    assert lines_of('}{"flows": [1]}', "json", [("flows", 0)]) is None


def test_lines_of_an_alias_is_where_the_alias_is_written() -> None:
    from dpup._private.lines import lines_of

    text = "base: &b {id: a}\nflows:\n  - *b\n  - {id: c}\n"
    assert lines_of(text, "yaml", [("flows", 0), ("flows", 1), ("flows", 0, "id")]) == [3, 4, None]


@pytest.mark.parametrize(
    ("kind", "found"), [(0o060000, "a block device"), (0o020000, "a character device"), (0o010000, None)]
)
def test_a_block_device_is_refused_as_a_character_device_is_and_a_pipe_is_read(
    kind: int, found: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A block device (a disk) reads for as long as a character device does. Its mode is
    # faked, as making a device needs privileges; a named pipe (the near miss) is read.
    path = tmp_path / "a.yaml"
    dpup.dump(dpup.examples.load("best-foot-forward"), path)
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        st = list(real(fd))
        st[0] = kind | 0o600
        return os.stat_result(st)

    monkeypatch.setattr(dpup.files.os, "fstat", fstat)
    if found is None:
        assert dpup.load(path).id == "best-foot-forward"
        return
    with pytest.raises(AgreementError) as info:
        dpup.load(path)
    assert [(p.expected, p.found, p.file) for p in info.value.problems] == [("a file", found, str(path))]


def test_a_directory_lists_its_files_in_order_of_their_names_part_by_part(tmp_path: Path) -> None:
    # "a/" comes before "a-b/" (the directory a before the directory a-b), though the text
    # "a-b/x.yaml" sorts before "a/x.yaml" ('-' before '/').
    for name in ("a-b/x.yaml", "a/x.yaml", "a/b/x.yaml", "a.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("dpup: 1\n", encoding="utf-8")
    files = [Path(f).relative_to(tmp_path).as_posix() for f in dpup.agreement_files(tmp_path)]
    assert files == ["a/b/x.yaml", "a/x.yaml", "a-b/x.yaml", "a.yaml"]


def test_the_same_file_named_two_ways_is_said_to_be_given_twice(tmp_path: Path) -> None:
    agreement = dpup.examples.load("best-foot-forward")
    path = tmp_path / "a.yaml"
    dpup.dump(agreement, path)
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    copy = tmp_path / "copy.yaml"
    dpup.dump(agreement, copy)
    other_name = os.path.join(tmp_path, "sub", "..", "a.yaml")
    problems = dpup.files.repeated_ids([(path, agreement), (other_name, agreement), (link, agreement)])
    assert [(p.file, p.hint) for p in problems] == [
        (other_name, "give the file once"),
        (str(link), "give the file once"),
    ]
    assert all(p.message.endswith(f"in {path}, the same file given twice") for p in problems)
    # The near miss: a copy of the file is another file holding the same agreement.
    (p,) = dpup.files.repeated_ids([(path, agreement), (copy, agreement)])
    assert p.message == f"agreement id 'best-foot-forward' is also the id of the agreement in {path}"
    assert p.hint == dpup.files._SAME_AGREEMENT_HINT
    assert (p.path, p.expected, p.found, p.line) == (
        ("agreement", "id"),
        "an agreement id that no other file checked with it has",
        "'best-foot-forward'",
        copy.read_text(encoding="utf-8").splitlines().index("  id: best-foot-forward") + 1,
    )


def test_a_list_of_text_with_a_line_break_is_written_as_a_block_list() -> None:
    # A flow list ([a, b]) cannot hold a literal block: the text would be a quoted escape.
    a = dpup.loads(
        'dpup: 1\nagreement: {id: demo, title: Demo}\nexplanations:\n  - {id: e, versions: ["adult", "child\\nlarge print"]}\n'
    )
    text = dpup.dumps(a)
    assert "    versions:\n      - adult\n      - |-\n        child\n        large print\n" in text
    assert dpup.loads(text) == a
    # The near miss: without the line break, a flow list.
    b = attrs.evolve(a, explanations=(attrs.evolve(a.explanations[0], versions=("adult", "child")),))
    assert "    versions: [adult, child]\n" in dpup.dumps(b)
