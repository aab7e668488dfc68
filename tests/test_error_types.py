"""dpup's own exceptions: one base class, structured attributes, and pickling (a worker
process sends its exception back by pickle)."""

import concurrent.futures
import copy
import pickle
from typing import Any

import pytest

import dpup
from dpup import AgreementError, CheckError, GraphError, Problem

BAD = "dpup: 1\nagreement: {id: demo, title: Demo, parties: [nobody]}\n"


def agreement_error() -> AgreementError:
    with pytest.raises(AgreementError) as caught:
        dpup.loads(BAD)
    return caught.value


def graph_error() -> GraphError:
    a = dpup.Agreement(id="a", title="A", holders=[dpup.Provider(id="x", name="X")])
    b = dpup.Agreement(id="b", title="B", holders=[dpup.Agency(id="x", name="X")])
    with pytest.raises(GraphError) as caught:
        dpup.graph(a, b)
    return caught.value


def test_every_dpup_error_has_one_base_class_and_keeps_its_builtin_one() -> None:
    assert "Error" in dpup.__all__
    assert issubclass(AgreementError, dpup.Error)
    assert issubclass(AgreementError, ValueError)
    assert issubclass(GraphError, dpup.Error)
    assert issubclass(GraphError, ValueError)
    assert issubclass(CheckError, dpup.Error)
    assert issubclass(CheckError, RuntimeError)
    # near miss: the base class is not itself a ValueError, and builtins are not dpup errors
    assert not issubclass(dpup.Error, ValueError)
    assert not issubclass(ValueError, dpup.Error)


def test_graph_error_names_the_node_at_fault() -> None:
    e = graph_error()
    assert (e.node, e.agreements, e.edge) == ("x", ("a", "b"), None)
    # near miss: an error about two agreements with one id names no node
    a = dpup.Agreement(id="a", title="A")
    with pytest.raises(GraphError) as caught:
        dpup.graph(a, a)
    assert caught.value.node is None
    assert caught.value.meanings is None


def _same(a: BaseException, b: BaseException) -> None:
    assert type(a) is type(b)
    assert str(a) == str(b)
    assert a.args == b.args
    assert vars(a) == vars(b)


@pytest.mark.parametrize(
    "make",
    [
        agreement_error,
        lambda: AgreementError([Problem(path=("x",), message="m")], omitted=3),
        graph_error,
        lambda: GraphError("edge", ("a",), edge=("u", "v", "k")),
        lambda: GraphError("x means two things", ("a", "b"), node="x", meanings=("a provider", "an agency")),
        lambda: CheckError("check SV001 (x) failed: boom", code="SV001", name="x"),
        lambda: CheckError("no code"),
    ],
)
def test_errors_pickle_and_copy_with_their_attributes(make: Any) -> None:
    error = make()
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        _same(pickle.loads(pickle.dumps(error, protocol)), error)
    _same(copy.copy(error), error)
    _same(copy.deepcopy(error), error)


def test_agreement_error_keeps_problems_and_omitted_through_pickle() -> None:
    e = AgreementError(agreement_error().problems, omitted=7)
    back = pickle.loads(pickle.dumps(e))
    assert back.problems == e.problems
    assert back.omitted == 7


def test_agreement_error_refuses_a_string_for_its_problems() -> None:
    with pytest.raises(TypeError, match="Problem objects, not the single string 'text'"):
        AgreementError("text")  # type: ignore[arg-type]


def _load_bad(text: str) -> dpup.Agreement:
    return dpup.loads(text)


def _combine(_: int) -> dpup.Report:
    a = dpup.examples.load("best-foot-forward")
    return dpup.check(dpup.graph(a, a))


def test_errors_raised_in_a_worker_process_arrive_as_themselves() -> None:
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        with pytest.raises(AgreementError) as caught:
            pool.submit(_load_bad, BAD).result(timeout=60)
        assert caught.value.problems == agreement_error().problems
        with pytest.raises(GraphError) as graph_caught:
            pool.submit(_combine, 0).result(timeout=60)
        assert graph_caught.value.agreements == ("best-foot-forward", "best-foot-forward")
        # the pool still works afterwards (it broke before)
        good = pool.submit(_load_bad, dpup.dumps(dpup.examples.load("best-foot-forward")))
        assert good.result(timeout=60) == dpup.examples.load("best-foot-forward")
