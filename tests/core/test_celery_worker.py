"""A task travels through the real Redis broker to a real worker and back."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from portfolio.celery import app
from portfolio.core.tasks import ping


@pytest.fixture
def redis_worker(redis_url, transactional_db):
    """A worker thread on a queue of its own, so parallel test processes never steal tasks."""
    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    previous = (app.conf.broker_url, app.conf.task_default_queue)
    app.conf.broker_url = os.environ.get("CELERY_BROKER_URL") or redis_url
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=10):
            yield queue
    finally:
        app.conf.broker_url, app.conf.task_default_queue = previous


@pytest.mark.redis
def test_task_runs_through_a_worker_on_the_redis_broker(redis_worker):
    assert app.conf.broker_url.startswith("redis://")
    result = ping.apply_async(queue=redis_worker)
    assert result.get(timeout=20) == "pong"
