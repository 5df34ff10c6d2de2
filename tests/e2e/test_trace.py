"""The trace and the product dashboard in the browser, as the product manager: a feature's trace panel names the
customers who asked, the project and people delivering it and its risks; the product's dashboard draws every chart
with a title and a text alternative, and a chart's segment leads to the list behind it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.products.factories import (
    FeatureFactory,
    FeedbackFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMetricFactory,
    link_feedback,
)
from tests.programs.factories import AllocationFactory, ProjectFactory, ResourceFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.fixture
def atlas(product_manager):
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    today = timezone.localdate()
    feature = FeatureFactory(product=product, title="Offline maps", status="planned", end_date=today)
    for company, segment in [("Northwind", "Enterprise"), ("Contoso", "SMB")]:
        feedback = FeedbackFactory(product=product, company=company, segment=segment, importance="critical")
        link_feedback(feedback, feature)
    project = ProjectFactory(name="Maps offline", product=product)
    project.features.add(feature)
    AllocationFactory(
        resource=ResourceFactory(name="Ada Lovelace"),
        project=project,
        start_date=today,
        end_date=today + datetime.timedelta(days=27),
    )
    RiskFactory(project=project, title="Map vendor licence", probability=5, impact=4)
    metric = ProductMetricFactory(product=product, name="Weekly active teams", target=Decimal("100"))
    MetricReadingFactory(metric=metric, date=today - datetime.timedelta(days=30), value=Decimal("80"))
    MetricReadingFactory(metric=metric, date=today, value=Decimal("104"))
    return product


def test_the_trace_names_who_asked_who_builds_it_and_its_risks(live_server, page, atlas):
    refused = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/")
    page.get_by_role("link", name="Offline maps").first.click()

    trace = page.locator("section#trace")
    expect(trace.get_by_role("heading", name="Trace: from customer to boardroom")).to_be_visible()
    expect(trace.get_by_role("link", name="Northwind")).to_be_visible()
    expect(trace.get_by_role("link", name="Contoso")).to_be_visible()
    expect(trace.get_by_role("link", name="Enterprise")).to_be_visible()
    expect(trace.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(trace.get_by_role("link", name="Map vendor licence")).to_be_visible()
    expect(trace.get_by_text("Escalated").first).to_be_visible()

    trace.get_by_role("link", name="Maps offline").first.click()
    expect(page.get_by_role("heading", name="Maps offline", level=1)).to_be_visible()
    page.go_back()

    page.locator("section#trace").get_by_role("link", name="Northwind").click()
    expect(page).to_have_url(
        f"{live_server.url}/products/atlas/feedback/?view=all&feature={atlas.features.get().pk}&company=Northwind"
    )
    expect(page.get_by_text("Northwind").first).to_be_visible()
    assert not refused, refused


def test_every_chart_of_the_product_dashboard_has_a_title_and_a_text_alternative(live_server, page, atlas):
    refused = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server, "pm", "pw-pm")
    page.goto(f"{live_server.url}/products/atlas/")
    page.get_by_role("navigation", name="Atlas").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Atlas: dashboard")).to_be_visible()

    charts = page.locator("main svg.chart[role=img]")
    expect(charts).to_have_count(4)
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.locator(":scope > title").text_content().strip()
        assert chart.locator(":scope > desc").text_content().strip()
        labelled_by = chart.get_attribute("aria-labelledby").split()
        assert len(labelled_by) == 2
        figure_section = chart.locator("xpath=ancestor::section[1]")
        expect(figure_section.locator("table")).not_to_have_count(0)
    for name in (
        "Features by status per quarter",
        "Top 1 features by demand",
        "Feedback per month by sentiment",
        "Weekly active teams over time",
    ):
        expect(page.get_by_role("img", name=name)).to_be_visible()

    page.locator("#dashboard-features-table").get_by_role("link", name="1").first.click()
    expect(page.get_by_role("link", name="Offline maps")).to_be_visible()
    assert not refused, refused
