"""Leadership's report journey in the browser: subscribe to a portfolio weekly on the settings page, receive the
report (sent by ``send_reports --subscription``), find it in the archive as it was sent, and unsubscribe from
the email's link without signing in."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from portfolio.reports.models import ReportSubscription, StakeholderReport
from tests.programs.factories import PortfolioFactory, ProgramFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_leadership_subscribes_receives_the_report_finds_it_in_the_archive_and_unsubscribes(
    page, live_server, leader, settings
):
    settings.SITE_URL = live_server.url
    portfolio = PortfolioFactory(name="Core Platform", budget=Decimal("500000"))
    ProjectFactory(program=ProgramFactory(portfolio=portfolio), name="Multi-region failover")
    sign_in(page, live_server, "leader", "pw-leader")

    page.goto(f"{live_server.url}/reports/subscriptions/")
    page.get_by_label("Portfolio").select_option(label="Core Platform")
    page.get_by_label("Frequency").select_option("weekly")
    page.get_by_label("Weekday").select_option("0")
    page.get_by_label("Hour").fill("8")
    page.get_by_label("Hour").press("Enter")  # the keyboard path: submit from the form
    expect(page.get_by_role("row", name=re.compile("Core Platform"))).to_contain_text("Weekly, Monday at 08:00")
    subscription = ReportSubscription.objects.get(recipient=leader)

    call_command("send_reports", "--subscription", str(subscription.pk))
    (message,) = mail.outbox
    assert [kind for _, kind in message.alternatives] == ["text/html"]
    assert message.attachments[0][2] == "application/pdf"
    report = StakeholderReport.objects.get()

    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Core Platform", exact=True).click()
    frame = page.frame_locator("iframe.report-frame")
    expect(frame.get_by_role("heading", name="Status report: Core Platform")).to_be_visible()
    expect(frame.get_by_text("Multi-region failover")).to_have_count(0)  # green: not under "needs attention"
    expect(page.get_by_role("link", name="Open the PDF")).to_have_attribute("href", f"/reports/{report.pk}/pdf/")

    link = re.search(r"Unsubscribe: (\S+)", message.body).group(1)
    page.context.clear_cookies()  # the email's reader is not signed in
    page.goto(link)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    subscription.refresh_from_db()
    assert not subscription.active
