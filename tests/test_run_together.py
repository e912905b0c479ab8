"""The concurrency helper the save tests rely on reports every way an action can go wrong."""

import threading

import pytest
from concurrency import run_together


def test_the_actions_run_at_the_same_time():
    both_waiting = threading.Barrier(2, timeout=10)
    run_together(both_waiting.wait, both_waiting.wait)  # a lone action would time out


def test_a_failing_action_fails_the_caller():
    def fails():
        raise AssertionError("lost an answer")

    with pytest.raises(AssertionError, match="lost an answer"):
        run_together(lambda: None, fails)


def test_an_action_that_does_not_finish_fails_the_caller():
    release = threading.Event()
    try:
        with pytest.raises(AssertionError, match=r"1 of 2 actions still ran after 0\.2 s"):
            run_together(lambda: None, lambda: release.wait(10), timeout=0.2)
    finally:
        release.set()
