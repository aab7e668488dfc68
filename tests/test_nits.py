"""Small edges of the public API a consumer reaches first."""

import os
import pickle
from pathlib import Path

import attrs
import pytest

import dpup
from dpup.checks._context import Context


def test_the_catalogue_pickles() -> None:
    checks = dpup.catalogue()
    back = pickle.loads(pickle.dumps(checks))
    assert back == checks
    stale = next(c for c in back if c.code == "PM900")
    # the unpickled check still runs (the stale-acceptance checks were closures before)
    a = dpup.examples.load("best-foot-forward")
    accepted = attrs.evolve(a, accepted=[dpup.Acceptance(code="PM001", subject="gone", reason="r", by="b")])
    [finding] = stale.run(Context(accepted.graph()))
    assert (finding.code, finding.subject) == ("PM900", "gone")
    assert list(stale.run(Context(a.graph()))) == []  # near miss: nothing accepted


def test_load_of_a_directory_says_so_and_points_to_load_all(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "named.yaml"):
        path.mkdir(exist_ok=True)
        with pytest.raises(IsADirectoryError, match=r"is a directory: .*dpup\.load_all\(path\)") as caught:
            dpup.load(path)
        assert caught.value.filename == str(path)
    with pytest.raises(IsADirectoryError, match="load_all"):
        dpup.load(tmp_path, format="json")
    # near misses: a missing path is still FileNotFoundError; a file with no suffix, an AgreementError
    with pytest.raises(FileNotFoundError):
        dpup.load(tmp_path / "missing")
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(dpup.AgreementError, match="cannot tell the file's format"):
        dpup.load(tmp_path / "plain")


def test_load_all_refuses_a_bytes_path_clearly() -> None:
    folder = os.fsencode(dpup.examples.path("best-foot-forward").parent)
    for given in (folder, bytearray(folder)):
        with pytest.raises(TypeError, match=r"not bytes; decode a bytes path with os\.fsdecode"):
            dpup.load_all(given)  # type: ignore[arg-type]
    # near miss: decoded, it loads
    assert len(dpup.load_all(os.fsdecode(folder))) == 2


def test_an_unknown_example_says_so_in_plain_words() -> None:
    with pytest.raises(KeyError) as caught:
        dpup.examples.path("nope")
    assert (
        str(caught.value) == "no example named 'nope'; there are best-foot-forward, best-foot-forward-before"
    )
    assert isinstance(caught.value, dpup.examples.NoSuchExample)
    with pytest.raises(KeyError, match=r"the name without its suffix: 'best-foot-forward'"):
        dpup.examples.load("best-foot-forward.yaml")
    # near miss
    assert dpup.examples.path("best-foot-forward").name == "best-foot-forward.yaml"
