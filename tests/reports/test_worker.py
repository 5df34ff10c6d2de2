"""Exactly once with real parts: two planners at once on PostgreSQL, a delivery through the Redis broker and a
real Celery worker, and a worker killed in the middle of sending."""

import asyncio
import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.utils import timezone

from portfolio.celery import app
from portfolio.reports import services
from portfolio.reports.models import ReportDelivery, ReportSubscription, StakeholderReport
from tests.core.factories import UserFactory
from tests.programs.factories import CostEntryFactory, PortfolioFactory, ProgramFactory, ProjectFactory


def _due_subscriptions(count: int) -> list[ReportSubscription]:
    """``count`` subscriptions to one portfolio's weekly report, all due a minute ago."""
    portfolio = PortfolioFactory(name="Core Platform", budget=Decimal("1000000"))
    project = ProjectFactory(program=ProgramFactory(portfolio=portfolio))
    CostEntryFactory(project=project, amount=Decimal("1000.50"))
    rows = []
    for _ in range(count):
        subscription = services.subscription_create(
            user=UserFactory(), data={"portfolio": portfolio, "frequency": "weekly", "weekday": 0, "hour": 8}
        )
        rows.append(subscription)
    ReportSubscription.objects.update(next_due_at=timezone.now() - datetime.timedelta(minutes=1))
    return rows


def _wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_planners_at_once_send_each_report_once(smtp_server):
    subscriptions = _due_subscriptions(6)
    barrier = threading.Barrier(2)
    sent: list[list[str]] = []

    def planner():
        try:
            barrier.wait()
            ids = services.reports_plan(queue=False)
            sent.append([services.delivery_send(delivery_id=pk)[0] for pk in ids])
        finally:
            connection.close()

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sorted(outcome for outcomes in sent for outcome in outcomes) == ["sent"] * len(subscriptions)
    assert len(smtp_server.messages) == len(subscriptions)
    assert sorted(to for _, (to,) in smtp_server.envelopes) == sorted(s.recipient.email for s in subscriptions)
    assert StakeholderReport.objects.count() == 1 and ReportDelivery.objects.count() == len(subscriptions)
    assert services.reports_plan(queue=False) == []


@pytest.fixture
def redis_worker(redis_url, transactional_db):
    """A worker thread on a queue of its own, so parallel test processes never steal tasks."""
    queue = f"test-reports-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    previous = (app.conf.broker_url, app.conf.task_default_queue)
    app.conf.broker_url = os.environ.get("CELERY_BROKER_URL") or redis_url
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=10):
            yield queue
    finally:
        app.conf.broker_url, app.conf.task_default_queue = previous


@pytest.mark.redis
def test_a_due_report_goes_through_the_broker_and_a_worker_once(redis_worker, smtp_server, settings):
    settings.REPORT_RETRY_BASE_SECONDS = 0.2
    smtp_server.refuse = 1  # one refusal: the worker queues its own retry after the backoff
    (subscription,) = _due_subscriptions(1)

    result = app.send_task("portfolio.reports.tasks.plan_reports", queue=redis_worker)
    assert result.get(timeout=60) == {"planned": 1, "swept": 0}

    assert _wait_for(lambda: ReportDelivery.objects.filter(status="sent").exists())
    time.sleep(1)  # nothing more comes
    delivery = ReportDelivery.objects.get()
    assert len(smtp_server.messages) == 1 and smtp_server.refused == 1
    assert delivery.attempts == 2 and smtp_server.envelopes[0][1] == [subscription.recipient.email]


class _Stalling:
    """Accepts mail, but holds the first DATA until released (the worker is killed meanwhile)."""

    def __init__(self):
        self.accepted: list[float] = []
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "421 4.4.2 Connection dropped"  # the sender is gone: nothing is delivered
        self.accepted.append(time.time())
        return "250 OK"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_delivering_sends_the_email_once_after_restart(redis_url, settings):
    from aiosmtpd.controller import Controller

    from tests.reports.smtp import free_port

    settings.REPORT_CLAIM_TIMEOUT_SECONDS = 2  # the sweeper here, as in the workers
    handler, port = _Stalling(), free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    queue = f"test-kill-{os.getpid()}"
    database = settings.DATABASES["default"]
    env = os.environ | {
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "REPORT_CLAIM_TIMEOUT_SECONDS": "2",
        "REPORT_RETRY_BASE_SECONDS": "0.2",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "portfolio", "worker", "-Q", queue, "-c", "1", "--pool", "prefork"]
    command += ["--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
    (subscription,) = _due_subscriptions(1)
    first = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        (pk,) = services.reports_plan(queue=False)
        app.conf.broker_url, app.conf.task_default_queue = env["CELERY_BROKER_URL"], queue
        app.send_task("portfolio.reports.tasks.deliver_report", args=[pk], queue=queue)
        assert handler.stalled.wait(60), "the worker never started sending"
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, at once
        first.wait(10)
        handler.release.set()
        assert ReportDelivery.objects.get(pk=pk).status == "sending"  # claimed, never finished

        second = subprocess.Popen(command, env=env)  # the restart
        try:
            time.sleep(2.5)  # the dead worker's claim goes stale
            for swept in services.deliveries_sweep():
                app.send_task("portfolio.reports.tasks.deliver_report", args=[swept], queue=queue)
            assert _wait_for(lambda: ReportDelivery.objects.filter(pk=pk, status="sent").exists(), 90)
        finally:
            second.terminate()
            second.wait(30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        smtp.stop()

    delivery = ReportDelivery.objects.get(pk=pk)
    assert len(handler.accepted) == 1 and delivery.attempts == 2
    # The window in which a crash would send twice: from the server's "250 OK" to our commit of "sent".
    window = delivery.sent_at.timestamp() - handler.accepted[0]
    print(f"\nreport delivery: accepted-to-committed window {window * 1000:.1f} ms")
    assert window < 5
