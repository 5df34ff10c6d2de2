"""What the benchmarks share: Django set up on the database of ``DATABASE_URL``, and timing a page as a user.

Imported by the scripts of this folder (``bench/roadmap.py``, ``bench/feedback.py``), which are run as files.
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, address: str, runs: int) -> dict:
    """Time ``runs`` GETs of ``address`` after one warm-up: wall p50/p95, SQL p50, queries and answer size."""
    client.get(address, secure=True)  # warm-up: connection, template loading, caches
    walls, sqls, queries, size = [], [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(address, secure=True)
            walls.append(time.perf_counter() - started)
        assert response.status_code == 200, (address, response.status_code)
        sqls.append(sum(float(query["time"]) for query in captured.captured_queries))
        queries = len(captured.captured_queries)
        size = len(b"".join(response.streaming_content)) if response.streaming else len(response.content)
    return {
        "p50": statistics.median(walls),
        "p95": percentile(walls, 0.95),
        "sql": statistics.median(sqls),
        "queries": queries,
        "kb": size / 1024,
    }


def signed_in(user) -> Client:
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def print_table(client: Client, pages: list[tuple[str, str]], runs: int) -> None:
    print("| page | p50 ms | p95 ms | SQL ms (p50) | queries | KiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, address in pages:
        figures = measure(client, address, runs)
        print(
            f"| {label} (`{address}`) | {figures['p50'] * 1000:.0f} | {figures['p95'] * 1000:.0f} | "
            f"{figures['sql'] * 1000:.0f} | {figures['queries']} | {figures['kb']:.0f} |"
        )


@contextmanager
def plain_static():
    """Static files from the source folders (no collectstatic for a benchmark), as the tests serve them."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        yield
