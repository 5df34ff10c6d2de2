"""The report archive, the subscription settings page, the unsubscribe link and the subscriptions API."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.reports import tasks
from portfolio.reports.models import ReportSubscription
from portfolio.reports.rendering import unsubscribe_token
from tests.core.factories import UserFactory
from tests.programs.factories import PortfolioFactory
from tests.reports.factories import ReportSubscriptionFactory, StakeholderReportFactory

pytestmark = pytest.mark.django_db
ARCHIVE = reverse("stakeholder_reports:report_list")
SETTINGS = reverse("stakeholder_reports:subscription_list")
API = "/api/v1/report-subscriptions/"


def _reports(count: int) -> None:
    portfolio = PortfolioFactory()
    for n in range(count):
        StakeholderReportFactory(
            portfolio=portfolio if n % 2 else None,
            period_key=f"2025-W{n + 1:02d}",
            pdf=b"%PDF-1.4",
            data={"period": {"label": f"week {n + 1}"}},
        )


@pytest.mark.parametrize("count", [2, 20])
def test_the_archive_lists_every_report_in_a_fixed_number_of_queries(
    client, member, count, django_assert_max_num_queries
):
    _reports(count)
    client.force_login(member)
    with django_assert_max_num_queries(8):
        response = client.get(ARCHIVE)
    assert response.status_code == 200
    assert response.content.decode().count('href="/reports/') >= count


def test_a_report_opens_as_it_was_sent_in_a_frame_with_its_own_policy(client, member):
    report = StakeholderReportFactory(html='<p style="color:red">Frozen figures</p>', text="Frozen", pdf=b"%PDF-1")
    client.force_login(member)

    page = client.get(reverse("stakeholder_reports:report_detail", args=[report.pk]))
    frame = client.get(reverse("stakeholder_reports:report_html", args=[report.pk]))
    pdf = client.get(reverse("stakeholder_reports:report_pdf", args=[report.pk]))

    assert 'sandbox src="/reports/' in page.content.decode()
    assert frame.content == b'<p style="color:red">Frozen figures</p>'
    policy = frame["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "frame-ancestors 'self'" in policy and "script-src" not in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == b"%PDF-1"


def test_a_missing_report_is_a_404(client, member):
    client.force_login(member)
    assert client.get(reverse("stakeholder_reports:report_detail", args=[999])).status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_the_settings_page_lists_the_users_subscriptions_in_fixed_queries(
    client, leader, count, django_assert_max_num_queries
):
    for _ in range(count):
        ReportSubscriptionFactory(recipient=leader, portfolio=PortfolioFactory())
    client.force_login(leader)
    with django_assert_max_num_queries(14):
        response = client.get(SETTINGS)
    assert response.status_code == 200 and response.content.decode().count("Edit <span") == count


def test_leadership_subscribes_itself_to_a_portfolio_weekly(client, leader):
    portfolio = PortfolioFactory(name="Core Platform")
    client.force_login(leader)
    response = client.post(SETTINGS, {"portfolio": portfolio.pk, "frequency": "weekly", "weekday": 0, "hour": 8})

    assert response.status_code == 302
    subscription = ReportSubscription.objects.get()
    assert subscription.recipient == leader and subscription.portfolio == portfolio
    assert subscription.next_due_at is not None and subscription.next_due_at.weekday() == 0


def test_a_weekly_subscription_without_a_weekday_is_refused_with_the_field_error(client, leader):
    client.force_login(leader)
    response = client.post(SETTINGS, {"frequency": "weekly", "hour": 8})
    assert response.status_code == 400
    assert "Weekly reports need a weekday." in response.content.decode()
    assert not ReportSubscription.objects.exists()


def test_an_hour_out_of_range_is_a_400_from_the_api_with_nothing_saved(api_as, leader):
    response = api_as(leader).post(API, {"frequency": "weekly", "weekday": 0, "hour": 24}, format="json")
    assert response.status_code == 400 and "hour" in response.json()["errors"]
    assert not ReportSubscription.objects.exists()


def test_leadership_may_not_subscribe_someone_else(api_as, leader):
    other = UserFactory()
    response = api_as(leader).post(API, {"recipient": other.pk, "frequency": "weekly", "weekday": 0}, format="json")
    assert response.status_code == 400 and "recipient" in response.json()["errors"]


def test_a_portfolio_owner_subscribes_a_steering_committee_member_to_it(api_as, program_manager):
    portfolio = PortfolioFactory(owner=program_manager)
    member = UserFactory()
    client = api_as(program_manager)
    body = {"recipient": member.pk, "portfolio": portfolio.pk, "frequency": "monthly", "day_of_month": 1, "hour": 9}

    response = client.post(API, body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["recipient"] == member.pk and response.json()["next_due_at"]
    assert client.patch(f"{API}{response.json()['id']}/", {"hour": 10}, format="json").json()["hour"] == 10
    assert client.delete(f"{API}{response.json()['id']}/").status_code == 204


def test_a_monthly_subscription_is_due_on_its_day_at_its_hour(api_as, leader, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    response = api_as(leader).post(API, {"frequency": "monthly", "day_of_month": 28, "hour": 6}, format="json")
    due = datetime.datetime.fromisoformat(response.json()["next_due_at"])
    local = due.astimezone(datetime.timezone(datetime.timedelta(hours=1)))  # Berlin in winter
    assert (local.day, local.hour) == (28, 6)


def test_the_unsubscribe_link_stops_the_reports_without_signing_in():
    subscription = ReportSubscriptionFactory()
    client = Client(enforce_csrf_checks=True)  # a mail client's one-click POST carries no CSRF token
    url = reverse("stakeholder_reports:unsubscribe", args=[unsubscribe_token(subscription.pk)])

    confirm = client.get(url)
    subscription.refresh_from_db()
    assert confirm.status_code == 200 and subscription.active  # a GET (a link scanner) changes nothing
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    subscription.refresh_from_db()
    assert done.status_code == 200 and not subscription.active


def test_a_tampered_unsubscribe_link_is_a_400():
    subscription = ReportSubscriptionFactory()
    token = unsubscribe_token(subscription.pk)[:-2] + "xx"
    response = Client().post(reverse("stakeholder_reports:unsubscribe", args=[token]))
    subscription.refresh_from_db()
    assert response.status_code == 400 and subscription.active


def test_administrators_queue_a_subscription_at_once(api_as, superuser, monkeypatch):
    subscription = ReportSubscriptionFactory()
    queued = []
    monkeypatch.setattr(tasks.send_subscription_now, "delay", queued.append)
    response = api_as(superuser).post("/api/v1/reports/send-now/", {"subscription": subscription.pk}, format="json")
    assert response.status_code == 202 and queued == [subscription.pk]


def test_send_now_for_an_unknown_subscription_is_a_400(api_as, superuser):
    response = api_as(superuser).post("/api/v1/reports/send-now/", {"subscription": 999}, format="json")
    assert response.status_code == 400 and "subscription" in response.json()["errors"]
