"""Plan and deliver the stakeholder reports of 1,000 subscriptions on the large organisation, with 2 worker
processes, a Redis broker and a real SMTP server on loopback (aiosmtpd, in this process).

    DATABASE_URL=postgres://…/portfolio_reports_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/6 SECRET_KEY=x ALLOWED_HOSTS=localhost \\
    python bench/reports.py [--subscriptions 1000] [--workers 2]

It deletes the reports and deliveries of the database first (a benchmark database only).
"""

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

QUEUE = f"bench-reports-{os.getpid()}"
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = QUEUE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = free_port()
os.environ.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(PORT))

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402, F401  (Django set up)
from aiosmtpd.controller import Controller  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from portfolio.reports import services  # noqa: E402
from portfolio.reports.models import ReportDelivery, ReportSubscription, StakeholderReport  # noqa: E402


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    ReportDelivery.objects.all().delete()
    StakeholderReport.objects.all().delete()
    ReportSubscription.objects.update(next_due_at=None)
    chosen = list(ReportSubscription.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    chosen = chosen[: args.subscriptions]
    due = timezone.now() - timezone.timedelta(minutes=1)
    ReportSubscription.objects.filter(pk__in=chosen).update(next_due_at=due)
    scopes = (
        ReportSubscription.objects.filter(pk__in=chosen)
        .values("frequency", "portfolio", "program", "product")
        .distinct()
        .count()
    )

    counter = Counter()
    smtp = Controller(counter, hostname="127.0.0.1", port=PORT)
    smtp.start()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portfolio", "worker", "-Q", QUEUE, "-c", str(args.workers)]
        + ["--pool", "prefork", "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
        env=os.environ.copy(),
    )
    try:
        time.sleep(8)  # the worker's processes start
        started = time.perf_counter()
        planned = services.reports_plan()
        planned_at = time.perf_counter()
        while ReportDelivery.objects.filter(status="sent").count() < len(planned):
            if time.perf_counter() - planned_at > 30 * 60:
                raise SystemExit("Gave up after 30 minutes")
            time.sleep(0.5)
        done = time.perf_counter()
    finally:
        worker.terminate()
        worker.wait(30)
        smtp.stop()

    reports = StakeholderReport.objects.count()
    spread = ReportDelivery.objects.aggregate(first=Min("sent_at"), last=Max("sent_at"), n=Count("pk"))
    sending = (spread["last"] - spread["first"]).total_seconds()
    plan_s, total_s = planned_at - started, done - started
    lines = [
        f"- subscriptions due: {len(chosen)} ({scopes} distinct scope × frequency), deliveries planned: {len(planned)}",
        f"- reports generated (snapshot + HTML + text + PDF): {reports}",
        f"- planning (one process): {plan_s:.1f} s = {plan_s / max(reports, 1) * 1000:.0f} ms per report, "
        f"{plan_s / max(len(planned), 1) * 1000:.0f} ms per subscription",
        f"- delivery by {args.workers} worker processes, first to last email: {sending:.1f} s = "
        f"{sending / max(len(planned), 1) * 1000:.0f} ms per email ({len(planned) / max(sending, 0.001):.1f} emails/s)",
        f"- total, planning start to the last email sent: {total_s:.1f} s "
        f"({total_s / max(len(planned), 1) * 1000:.0f} ms per subscription)",
        f"- emails accepted by the SMTP server: {counter.count} (exactly once: {counter.count == len(planned)})",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
