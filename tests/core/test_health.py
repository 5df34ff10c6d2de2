import pytest

from portfolio.core import health


@pytest.mark.django_db
def test_health_check_is_ok_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_health_check_is_503_and_names_the_broker_when_it_is_down(client, monkeypatch):
    def broken():
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setitem(health.CHECKS, "broker", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "error"


@pytest.mark.django_db
def test_health_check_reports_an_unreachable_redis_broker(client, settings):
    from portfolio.celery import app

    original = app.conf.broker_url, app.conf.broker_write_url
    # Nothing listens on port 1.
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url, app.conf.broker_write_url = original
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db
def test_health_check_names_the_database_when_it_fails_and_logs_the_cause(client, monkeypatch, caplog):
    def broken():
        raise RuntimeError("database is down")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert "database is down" not in response.content.decode()
    assert "health check database failed: RuntimeError: database is down" in caplog.text
