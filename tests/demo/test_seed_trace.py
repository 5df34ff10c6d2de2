"""The demo shows the product dashboard and the trace: product.manager's most requested features are asked for by
named companies and segments, delivered by a staffed project and threatened by risks; their products have KPIs
with targets and months of feedback. The small benchmark organisation renders both too."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.core.models import User
from portfolio.demo.organisation import seed_organisation
from portfolio.demo.scaled import seed_scaled
from portfolio.reports.trace import feature_trace
from products import dashboard
from products.models import Feature, Product

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_product_managers_most_requested_features_have_a_full_trace_and_their_products_a_full_dashboard():
    seed_organisation(password="x")

    products = Product.objects.filter(owner__username="product.manager", archived_at__isnull=True)
    assert products.count() >= 2
    for product in products:
        top = Feature.objects.filter(product=product, demand_count__gt=0, status__in=["idea", "planned", "in-progress"])
        for feature in top.order_by("-demand", "id")[:3]:
            trace = feature_trace(feature=feature)
            assert len([c for c in trace["companies"] if c["name"]]) >= 2, feature.title
            assert len([s for s in trace["segments"] if s["name"]]) >= 1, feature.title
            assert trace["projects"] and trace["people_count"] >= 1, feature.title
            assert trace["planned_cost"] > 0 and trace["risk_count"] >= 1, feature.title
        figures = dashboard.product_dashboard(product=product)
        assert any(kpi.metric.target is not None for kpi in figures["kpis"]), product.slug
        assert len([month for month in figures["feedback_trend"] if month.total]) >= 3, product.slug
        assert sum(column.total for column in figures["features_by_quarter"]) == product.features.count()


def test_the_small_benchmark_organisation_renders_a_product_dashboard_and_a_trace():
    seed_scaled(scale="small", seed=1, stdout=io.StringIO())
    client = Client()
    client.force_login(User.objects.filter(is_superuser=False).order_by("id").first())
    product = Product.objects.order_by("id").first()
    feature = Feature.objects.filter(product=product).order_by("-demand", "id").first()

    assert client.get(reverse("products:product_dashboard", kwargs={"slug": product.slug})).status_code == 200
    page = client.get(reverse("products:feature_detail", kwargs={"slug": product.slug, "pk": feature.pk}))
    assert page.status_code == 200 and b'id="trace"' in page.content
    assert client.get(reverse("feature-trace", kwargs={"pk": feature.pk})).status_code == 200
