"""Run test actions in threads that start at the same moment."""

import threading


def run_together(*actions):
    """Start the actions at once; re-raise the first failure."""
    start = threading.Barrier(len(actions))
    failures = []

    def run(action):
        try:
            start.wait()
            action()
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]
