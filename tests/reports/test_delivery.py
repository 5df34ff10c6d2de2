"""Scheduled stakeholder reports end to end against a real SMTP server on loopback: planned from the database,
frozen, sent once with text, HTML and PDF, retried with backoff, and the next period shows what changed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from portfolio.reports import services
from portfolio.reports.models import ReportDelivery, StakeholderReport
from programs.models import Milestone
from risks.models import Risk
from tests.programs.factories import (
    CostEntryFactory,
    MilestoneFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
)
from tests.reports.smtp import parts
from tests.risks.factories import RiskFactory

UTC = datetime.UTC
SUNDAY_NOON = datetime.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
MONDAY_DUE = datetime.datetime(2026, 11, 30, 8, 1, tzinfo=UTC)  # just after the Monday 08:00 slot (week 49)
NEXT_MONDAY = datetime.datetime(2026, 12, 7, 8, 1, tzinfo=UTC)  # week 50


@pytest.fixture
def world(db, leader, settings):
    """A portfolio (budget 1,000,000) with a green project (25,000.40 spent of 100,000) and a red one (a critical
    risk, 4 × 5 = 20), and the leader subscribed weekly on Mondays at 08:00."""
    settings.TIME_ZONE = "UTC"
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
        return _build_world(leader)


def _build_world(leader):
    portfolio = PortfolioFactory(name="Core Platform", budget=Decimal("1000000"))
    program = ProgramFactory(portfolio=portfolio, name="Reliability")
    green = ProjectFactory(program=program, name="Alpha", budget=Decimal("100000"))
    red = ProjectFactory(program=program, name="Bravo", budget=Decimal("0"))
    CostEntryFactory(project=green, amount=Decimal("25000.40"))
    MilestoneFactory(project=green, name="Beta launch", due_date=datetime.date(2026, 12, 10), is_key=True)
    RiskFactory(project=red, title="Vendor goes bust", probability=4, impact=5)
    with time_machine.travel(SUNDAY_NOON, tick=False):
        subscription = services.subscription_create(
            user=leader, data={"portfolio": portfolio, "frequency": "weekly", "weekday": 0, "hour": 8}
        )
    return {"portfolio": portfolio, "green": green, "red": red, "subscription": subscription}


def _plan_and_send(now):
    with time_machine.travel(now, tick=False):
        ids = services.reports_plan(queue=False)
        outcomes = [services.delivery_send(delivery_id=pk)[0] for pk in ids]
    return ids, outcomes


def test_a_new_subscription_is_next_due_at_its_next_slot(world):
    assert world["subscription"].next_due_at == datetime.datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_nothing_is_due_before_the_slot(world, smtp_server):
    ids, _ = _plan_and_send(datetime.datetime(2026, 11, 30, 7, 59, tzinfo=UTC))
    assert ids == [] and smtp_server.messages == []


def test_a_due_subscription_sends_one_email_with_text_html_and_pdf_to_its_recipient(world, smtp_server, leader):
    ids, outcomes = _plan_and_send(MONDAY_DUE)

    assert outcomes == ["sent"]
    (message,) = smtp_server.messages
    assert smtp_server.envelopes[0][1] == [leader.email]
    assert message["Subject"].strip() == "Status report: Core Platform, week 49 of 2026 (30 Nov – 06 Dec 2026)"
    found = parts(message)
    assert set(found) == {"text/plain", "text/html", "application/pdf"}
    assert found["application/pdf"].startswith(b"%PDF")
    text, html = found["text/plain"], found["text/html"]
    # Hand-computed: 1 green + 1 red project; burn 25,000.40 / 1,000,000 = 2.50004 → 2.5 %.
    assert "Overall health: RED" in text
    assert "Projects: 2 (1 green, 0 amber, 1 red)" in text
    assert "planned 100,000, actual 25,000, forecast 25,000, burn 2.5 %" in text, text
    assert "[CRITICAL 20] Vendor goes bust (Bravo)" in text
    assert "2026-12-10: Beta launch (Alpha)" in text
    assert "<script" not in html and 'src="http' not in html and "<svg" not in html
    delivery = ReportDelivery.objects.get()
    assert delivery.status == "sent" and delivery.attempts == 1 and delivery.sent_at is not None
    expected_id = f"<report-delivery-{delivery.pk}.2026-W49@portfolio.localhost>"
    assert message["Message-ID"] == delivery.message_id == expected_id
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reports/unsubscribe/" in message["List-Unsubscribe"]
    world["subscription"].refresh_from_db()
    assert world["subscription"].next_due_at == datetime.datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_the_headline_counts_running_projects_as_the_dashboards_do(world, smtp_server):
    ProjectFactory(program=world["green"].program, name="Charlie", status="completed", health_override="red")

    _plan_and_send(MONDAY_DUE)

    text = parts(smtp_server.messages[0])["text/plain"]
    assert "Projects: 2 (1 green, 0 amber, 1 red)" in text
    assert "Charlie" not in text.split("WHAT CHANGED")[0]  # not among the projects needing attention


def test_planning_twice_sends_nothing_more(world, smtp_server):
    _plan_and_send(MONDAY_DUE)
    ids, _ = _plan_and_send(MONDAY_DUE + datetime.timedelta(minutes=5))
    with time_machine.travel(MONDAY_DUE, tick=False):
        # Even a delivery asked for again is not sent twice: its claim fails.
        again = services.delivery_send(delivery_id=ReportDelivery.objects.get().pk)

    assert ids == [] and again == ("skipped", None)
    assert len(smtp_server.messages) == 1
    assert StakeholderReport.objects.count() == ReportDelivery.objects.count() == 1


def test_missed_slots_are_caught_up_once(world, smtp_server):
    # Beat was down for three weeks: one report, for the latest slot's period, then the next slot after now.
    ids, _ = _plan_and_send(datetime.datetime(2026, 12, 17, 9, 0, tzinfo=UTC))

    assert len(ids) == 1 and len(smtp_server.messages) == 1
    assert ReportDelivery.objects.get().period_key == "2026-W51"
    world["subscription"].refresh_from_db()
    assert world["subscription"].next_due_at == datetime.datetime(2026, 12, 21, 8, 0, tzinfo=UTC)


def test_smtp_refusing_twice_then_accepting_sends_one_email_after_retries(world, smtp_server, settings):
    settings.REPORT_RETRY_BASE_SECONDS = 60
    smtp_server.refuse = 2
    with time_machine.travel(MONDAY_DUE, tick=False):
        (pk,) = services.reports_plan(queue=False)
        first = services.delivery_send(delivery_id=pk)
        too_early = services.delivery_send(delivery_id=pk)
    delivery = ReportDelivery.objects.get()
    assert first[0] == "retry" and 45 <= first[1] <= 75  # 60 s ± 25 %
    assert too_early == ("skipped", None)  # backoff: not before next_attempt_at
    assert delivery.status == "pending" and delivery.attempts == 1 and "451" in delivery.last_error
    with time_machine.travel(MONDAY_DUE + datetime.timedelta(minutes=2), tick=False):
        second = services.delivery_send(delivery_id=pk)
    assert second[0] == "retry" and 90 <= second[1] <= 150  # 120 s ± 25 %
    with time_machine.travel(MONDAY_DUE + datetime.timedelta(minutes=5), tick=False):
        third = services.delivery_send(delivery_id=pk)

    delivery.refresh_from_db()
    assert third == ("sent", None)
    assert len(smtp_server.messages) == 1 and smtp_server.refused == 2
    assert delivery.status == "sent" and delivery.attempts == 3 and delivery.last_error == ""


def test_smtp_refusing_always_fails_after_five_attempts_with_the_error_kept(world, smtp_server, settings):
    settings.REPORT_RETRY_BASE_SECONDS = 1
    smtp_server.refuse = -1
    moment = MONDAY_DUE
    with time_machine.travel(moment, tick=False):
        (pk,) = services.reports_plan(queue=False)
    outcomes = []
    for _ in range(7):
        with time_machine.travel(moment, tick=False):
            outcomes.append(services.delivery_send(delivery_id=pk)[0])
        moment += datetime.timedelta(minutes=1)

    delivery = ReportDelivery.objects.get()
    assert outcomes == ["retry", "retry", "retry", "retry", "failed", "skipped", "skipped"]
    assert delivery.status == "failed" and delivery.attempts == 5
    assert "SMTP" in delivery.last_error and "451" in delivery.last_error
    assert smtp_server.messages == [] and smtp_server.refused == 5


def test_a_failed_delivery_is_resent_by_an_administrator(world, smtp_server, superuser, settings):
    settings.REPORT_RETRY_BASE_SECONDS = 0
    smtp_server.refuse = 5
    with time_machine.travel(MONDAY_DUE, tick=False):
        (pk,) = services.reports_plan(queue=False)
        for _ in range(5):
            services.delivery_send(delivery_id=pk)
    delivery = ReportDelivery.objects.get()
    assert delivery.status == "failed"
    with time_machine.travel(MONDAY_DUE, tick=False):
        services.delivery_resend(user=superuser, delivery=delivery)
        outcome = services.delivery_send(delivery_id=pk)
    assert outcome == ("sent", None) and len(smtp_server.messages) == 1


def test_a_delivery_whose_sender_died_is_taken_back_after_the_claim_timeout(world, smtp_server, settings):
    with time_machine.travel(MONDAY_DUE, tick=False):
        (pk,) = services.reports_plan(queue=False)
        assert services.delivery_claim(delivery_id=pk, now=timezone.now())  # then the worker died
        assert services.delivery_send(delivery_id=pk) == ("skipped", None)
        assert services.deliveries_sweep() == []
    later = MONDAY_DUE + datetime.timedelta(seconds=settings.REPORT_CLAIM_TIMEOUT_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert services.deliveries_sweep() == [pk]
        assert services.delivery_send(delivery_id=pk) == ("sent", None)
    assert len(smtp_server.messages) == 1
    assert ReportDelivery.objects.get().attempts == 2


def test_the_next_weeks_report_shows_what_changed_in_between(world, smtp_server, product_manager):
    _plan_and_send(MONDAY_DUE)
    first = StakeholderReport.objects.get()
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, 0, tzinfo=UTC), tick=False):
        Milestone.objects.filter(name="Beta launch").update(completed_on=datetime.date(2026, 12, 3))
        Risk.objects.filter(title="Vendor goes bust").update(
            status=Risk.Status.CLOSED, closed_at=timezone.now(), closing_note="Second vendor signed."
        )
        RiskFactory(project=world["green"], title="Key engineer leaves", probability=3, impact=5)
        CostEntryFactory(project=world["green"], amount=Decimal("5000"))
    _plan_and_send(NEXT_MONDAY)

    second = StakeholderReport.objects.exclude(pk=first.pk).get()
    changes = second.data["changes"]
    assert second.period_key == "2026-W50" and second.data["previous"]["period_key"] == "2026-W49"
    assert [m["name"] for m in changes["milestones_hit"]["items"]] == ["Beta launch"]
    assert [r["title"] for r in changes["risks_closed"]["items"]] == ["Vendor goes bust"]
    assert [r["title"] for r in changes["risks_new"]["items"]] == ["Key engineer leaves"]
    assert [r["title"] for r in changes["risks_escalated"]["items"]] == ["Key engineer leaves"]  # 15: escalated
    # Bravo lost its critical risk (red → green); Alpha gained one (3 × 5 = 15: green → red).
    assert changes["health"]["items"] == [
        {"project": "Alpha", "was": "green", "now": "red"},
        {"project": "Bravo", "was": "red", "now": "green"},
    ]
    assert changes["burn_was"] == "2.5" and second.data["budget"]["burn_percent"] == "3.0"
    text = parts(smtp_server.messages[-1])["text/plain"]
    assert "WHAT CHANGED SINCE 2026-W49" in text and "Alpha: green → red" in text
    # The first report is frozen: it still shows the risk open and the milestone ahead.
    first.refresh_from_db()
    assert first.data["top_risks"][0]["title"] == "Vendor goes bust"
    assert "Vendor goes bust" in first.html


def test_send_reports_command_sends_a_subscription_now_and_only_once(world, smtp_server, capsys):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 15, 0, tzinfo=UTC), tick=False):
        call_command("send_reports", "--subscription", str(world["subscription"].pk))
        call_command("send_reports", "--subscription", str(world["subscription"].pk))
        call_command("send_reports", "--dry-run", "--subscription", str(world["subscription"].pk))
    out = capsys.readouterr().out
    assert "1 sent" in out and "already has its 2026-W49 report" in out and "already sent" in out
    assert len(smtp_server.messages) == 1


def test_send_reports_dry_run_prints_what_would_go_and_changes_nothing(world, capsys):
    with time_machine.travel(MONDAY_DUE, tick=False):
        call_command("send_reports", "--dry-run")
    assert "would send: subscription" in capsys.readouterr().out
    assert ReportDelivery.objects.count() == StakeholderReport.objects.count() == 0


def test_an_unsubscribed_subscription_is_not_sent(world, smtp_server):
    with time_machine.travel(MONDAY_DUE, tick=False):
        (pk,) = services.reports_plan(queue=False)
        services.subscription_unsubscribe(subscription_id=world["subscription"].pk)
        outcome = services.delivery_send(delivery_id=pk)
    assert outcome == ("failed", None) and smtp_server.messages == []
