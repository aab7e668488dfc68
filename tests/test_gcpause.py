"""Pausing the garbage collector: the switch is process-wide, so pauses in several threads
share one count."""

import gc
import threading
from collections.abc import Iterator

import pytest

import dpup
from dpup._private.gcpause import paused_gc


@pytest.fixture(autouse=True)
def restore_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_a_pause_restores_an_enabled_collector() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested in one thread
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads_keep_it_paused_until_the_last_ends() -> None:
    entered, leave = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other() -> None:
        with paused_gc():
            entered.set()
            leave.wait(10)
        seen.append(gc.isenabled())

    with paused_gc():
        thread = threading.Thread(target=other)
        thread.start()
        assert entered.wait(10)
    # this thread's pause ended while the other's goes on: still paused
    assert not gc.isenabled()
    leave.set()
    thread.join(10)
    assert seen == [True]
    assert gc.isenabled()


def test_a_pause_that_begins_while_another_thread_has_disabled_it_does_not_enable_it() -> None:
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with paused_gc():
            entered.set()
            leave.wait(10)

    gc.disable()  # the caller's own choice, before any pause
    thread = threading.Thread(target=other)
    thread.start()
    assert entered.wait(10)
    with paused_gc():
        pass
    leave.set()
    thread.join(10)
    assert not gc.isenabled()


def test_checks_in_threads_at_once_leave_the_collector_as_it_was() -> None:
    G = dpup.examples.load("best-foot-forward-before").graph()
    expected = dpup.check(G)
    results: list[dpup.Report] = []
    threads = [threading.Thread(target=lambda: results.append(dpup.check(G))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [expected] * 6
    assert gc.isenabled()
