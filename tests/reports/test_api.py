import datetime

import pytest

from portfolio.reports.models import ReportSubscription
from tests.api import queries_for, result_ids
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import PortfolioFactory, ProgramFactory
from tests.reports.factories import ReportSubscriptionFactory, StakeholderReportFactory

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/api/v1/report-subscriptions/"
REPORTS = "/api/v1/reports/"


def test_anonymous_users_cannot_read_subscriptions_or_reports(api_client):
    subscription = ReportSubscriptionFactory()
    report = StakeholderReportFactory()
    for url in (SUBSCRIPTIONS, f"{SUBSCRIPTIONS}{subscription.pk}/", REPORTS, f"{REPORTS}{report.pk}/"):
        assert api_client.get(url).status_code == 401


def test_users_see_only_their_own_subscriptions(api_as, leader, outsider):
    mine = ReportSubscriptionFactory(recipient=leader, portfolio=PortfolioFactory(name="Growth"))
    theirs = ReportSubscriptionFactory(recipient=outsider)

    client = api_as(leader)
    body = client.get(SUBSCRIPTIONS).json()

    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["scope_label"] == "Growth"
    assert body["results"][0]["recipient"] == leader.pk
    assert client.get(f"{SUBSCRIPTIONS}{mine.pk}/").status_code == 200
    assert client.get(f"{SUBSCRIPTIONS}{theirs.pk}/").status_code == 404
    # Asking for someone else's by filter shows nothing rather than their rows.
    assert result_ids(client.get(SUBSCRIPTIONS, {"recipient": outsider.pk})) == []


def test_superusers_see_every_subscription_and_can_filter_by_recipient(api_as, superuser, leader, outsider):
    mine = ReportSubscriptionFactory(recipient=leader)
    theirs = ReportSubscriptionFactory(recipient=outsider)
    client = api_as(superuser)

    assert result_ids(client.get(SUBSCRIPTIONS)) == [mine.pk, theirs.pk]
    assert result_ids(client.get(SUBSCRIPTIONS, {"recipient": outsider.pk})) == [theirs.pk]
    assert client.get(f"{SUBSCRIPTIONS}{theirs.pk}/").json()["recipient"] == outsider.pk


def test_subscriptions_filter_by_frequency_active_and_scope(api_as, leader):
    program, product = ProgramFactory(), ProductFactory()
    weekly = ReportSubscriptionFactory(recipient=leader)
    monthly = ReportSubscriptionFactory(
        recipient=leader, frequency=ReportSubscription.Frequency.MONTHLY, weekday=None, day_of_month=1, active=False
    )
    on_program = ReportSubscriptionFactory(recipient=leader, program=program)
    on_product = ReportSubscriptionFactory(recipient=leader, product=product)
    client = api_as(leader)

    assert result_ids(client.get(SUBSCRIPTIONS, {"frequency": "monthly"})) == [monthly.pk]
    assert result_ids(client.get(SUBSCRIPTIONS, {"active": "false"})) == [monthly.pk]
    assert result_ids(client.get(SUBSCRIPTIONS, {"program": program.pk})) == [on_program.pk]
    assert result_ids(client.get(SUBSCRIPTIONS, {"product": product.pk})) == [on_product.pk]
    assert result_ids(client.get(SUBSCRIPTIONS, {"organisation": "true"})) == [weekly.pk, monthly.pk]
    assert client.get(SUBSCRIPTIONS, {"frequency": "daily"}).status_code == 400


def test_subscriptions_are_ordered_and_paginated(api_as, leader):
    early = ReportSubscriptionFactory(recipient=leader, hour=6)
    late = ReportSubscriptionFactory(recipient=leader, hour=18)
    client = api_as(leader)

    assert result_ids(client.get(SUBSCRIPTIONS, {"ordering": "-hour"})) == [late.pk, early.pk]
    body = client.get(SUBSCRIPTIONS, {"page_size": 1}).json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]


def test_subscriptions_ordered_by_recipient_follow_the_recipient_id(api_as, superuser):
    zoe = UserFactory(username="zoe")
    adam = UserFactory(username="adam")  # first in the users' own order (username)
    to_zoe = ReportSubscriptionFactory(recipient=zoe)
    to_adam = ReportSubscriptionFactory(recipient=adam)

    assert result_ids(api_as(superuser).get(SUBSCRIPTIONS, {"ordering": "recipient"})) == [to_zoe.pk, to_adam.pk]


def test_the_recipient_moves_their_subscription_to_another_hour(api_as, leader):
    subscription = ReportSubscriptionFactory(recipient=leader, hour=8)
    client = api_as(leader)

    response = client.patch(f"{SUBSCRIPTIONS}{subscription.pk}/", {"hour": 9}, format="json")
    subscription.refresh_from_db()
    assert response.status_code == 200 and subscription.hour == 9
    assert subscription.next_due_at.hour == 9


def test_subscription_list_query_count_does_not_grow_with_rows(api_as, superuser, django_assert_num_queries):
    client = api_as(superuser)
    portfolio, program, product = PortfolioFactory(), ProgramFactory(), ProductFactory()

    def add(count):
        for index in range(count):
            scope = [{}, {"portfolio": portfolio}, {"program": program}, {"product": product}][index % 4]
            ReportSubscriptionFactory(recipient=UserFactory(), **scope)

    add(5)
    few, _ = queries_for(client, SUBSCRIPTIONS)
    add(45)
    with django_assert_num_queries(few):
        body = client.get(SUBSCRIPTIONS).json()
    assert len(body["results"]) == 50


def test_report_list_leaves_out_the_rendered_bodies(api_as, member):
    report = StakeholderReportFactory(html="<h1>Status</h1>", text="Status", pdf=b"%PDF-1.4 fake", data={"a": 1})

    row = api_as(member).get(REPORTS).json()["results"][0]

    assert row["id"] == report.pk
    assert row["pdf_size"] == len(b"%PDF-1.4 fake")
    assert not {"html", "text", "pdf", "data"} & set(row)
    assert {"scope_key", "period_key", "period_start", "period_end", "generated_at"} <= set(row)


def test_report_detail_includes_html_text_and_data_but_no_pdf_bytes(api_as, member):
    report = StakeholderReportFactory(html="<h1>Status</h1>", text="Status", pdf=b"%PDF", data={"projects": 3})

    body = api_as(member).get(f"{REPORTS}{report.pk}/").json()

    assert body["html"] == "<h1>Status</h1>"
    assert body["text"] == "Status"
    assert body["data"] == {"projects": 3}
    assert body["pdf_size"] == 4
    assert "pdf" not in body


def test_report_without_pdf_has_size_zero(api_as, member):
    report = StakeholderReportFactory()

    assert api_as(member).get(f"{REPORTS}{report.pk}/").json()["pdf_size"] == 0


def test_reports_filter_by_period_scope_and_scope_object(api_as, member):
    portfolio = PortfolioFactory()
    organisation = StakeholderReportFactory(period_key="2026-W47")
    on_portfolio = StakeholderReportFactory(period_key="2026-W48", portfolio=portfolio)
    monthly = StakeholderReportFactory(
        period_key="2026-10", period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 10, 31)
    )
    client = api_as(member)

    assert result_ids(client.get(REPORTS, {"period_key": "2026-W47"})) == [organisation.pk]
    assert result_ids(client.get(REPORTS, {"scope_key": f"portfolio:{portfolio.pk}"})) == [on_portfolio.pk]
    assert result_ids(client.get(REPORTS, {"portfolio": portfolio.pk})) == [on_portfolio.pk]
    assert result_ids(client.get(REPORTS, {"period_to": "2026-10-31"})) == [monthly.pk]
    assert client.get(REPORTS, {"program": "abc"}).status_code == 400


def test_reports_are_newest_first_and_paginated(api_as, member):
    older = StakeholderReportFactory(period_start=datetime.date(2026, 11, 2), period_end=datetime.date(2026, 11, 8))
    newer = StakeholderReportFactory(period_start=datetime.date(2026, 11, 9), period_end=datetime.date(2026, 11, 15))
    client = api_as(member)

    assert result_ids(client.get(REPORTS)) == [newer.pk, older.pk]
    assert result_ids(client.get(REPORTS, {"ordering": "period_end"})) == [older.pk, newer.pk]
    body = client.get(REPORTS, {"page_size": 1, "page": 2}).json()
    assert body["count"] == 2 and [row["id"] for row in body["results"]] == [older.pk]


def test_reports_are_searched_with_q_over_period_and_scope(api_as, member):
    portfolio = PortfolioFactory()
    organisation = StakeholderReportFactory(period_key="2026-W47")
    on_portfolio = StakeholderReportFactory(period_key="2026-W48", portfolio=portfolio)
    client = api_as(member)

    assert result_ids(client.get(REPORTS, {"q": "W47"})) == [organisation.pk]
    assert result_ids(client.get(REPORTS, {"q": "portfolio"})) == [on_portfolio.pk]


def test_report_list_query_count_does_not_grow_with_rows(api_as, member, django_assert_num_queries):
    client = api_as(member)
    StakeholderReportFactory.create_batch(5, html="<p>x</p>", pdf=b"x")
    few, _ = queries_for(client, REPORTS)
    StakeholderReportFactory.create_batch(45, html="<p>x</p>", pdf=b"x")

    with django_assert_num_queries(few):
        body = client.get(REPORTS).json()
    assert len(body["results"]) == 50
