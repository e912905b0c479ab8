"""What a long-running process (a gunicorn worker, `cxmaturity worker`) does once it is ready."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Moves what the process holds once it is ready to serve (questionnaires, translations,
    templates, matplotlib, fonts, the services) out of the garbage collector's reach.

    They live until the process ends, yet every full collection walks them all — some
    170,000 objects — and a request or job that builds many objects, like a portfolio of a
    thousand clients or a ZIP of fifty reports, sets off several.
    """
    gc.collect()
    gc.freeze()
