"""A pool of render processes answers like one render process, from each of its processes."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from pypdf import PdfReader
from report_fixtures import PAGE_DOCUMENT

from cxmaturity.reports.pool import RenderPool


def test_renders_from_several_threads_go_to_each_process_of_the_pool():
    pool = RenderPool(2)
    try:
        with ThreadPoolExecutor(pool.threads) as threads:
            pdfs = list(threads.map(lambda _: pool.render(PAGE_DOCUMENT, 60), range(4)))
        pids = {process.pid for process in pool.processes}
    finally:
        pool.close()

    assert all(
        "Management Summary" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text() for pdf in pdfs
    )
    assert None not in pids and len(pids) == 2  # both processes rendered
    assert all(process.pid is None for process in pool.processes)  # closed: nothing left
