"""Run test actions in threads that start at the same moment."""

import threading


def run_together(*actions, timeout: float = 120):
    """Start the actions at once; re-raise the first failure.

    An action still running after `timeout` seconds fails the test too: a save that hangs
    must not pass for one that lost nothing.
    """
    start = threading.Barrier(len(actions))
    failures = []

    def run(action):
        try:
            start.wait()
            action()
        except BaseException as error:  # also pytest.fail() and pytest.skip() inside an action
            failures.append(error)

    threads = [threading.Thread(target=run, args=(action,), daemon=True) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if failures:
        raise failures[0]
    hanging = sum(thread.is_alive() for thread in threads)
    if hanging:
        raise AssertionError(f"{hanging} of {len(actions)} actions still ran after {timeout} s")
