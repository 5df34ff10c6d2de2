"""The product dashboard: features by status per quarter, the most requested features, the feedback trend by
sentiment and the KPIs against their targets, each a chart drawn on the server with its table beside it.

The figures come from ``products.dashboard`` (as ``GET products/{id}/dashboard/`` gives them), the charts'
geometry from ``products.dashboard_charts``.
"""

from django.shortcuts import render

from products import charts, dashboard, dashboard_charts
from products.views.common import product_detail_or_404


def product_dashboard(request, slug: str):
    """A product's dashboard, readable by every signed-in user."""
    product = product_detail_or_404(slug)
    figures = dashboard.product_dashboard(product=product)
    context = {
        "product": product,
        "figures": figures,
        "features_chart": dashboard_charts.features_chart(product=product, columns=figures["features_by_quarter"]),
        "demand_chart": dashboard_charts.top_demand_chart(product=product, features=figures["top_demand"]),
        "feedback_chart": dashboard_charts.feedback_chart(product=product, months=figures["feedback_trend"]),
        "metric_cards": [
            {"trend": trend, "chart": charts.metric_chart(trend, compact=True, id_suffix="-dashboard")}
            for trend in figures["kpis"]
        ],
        "statuses": dashboard_charts.series_of(dashboard.STATUS_CHOICES),
        "sentiments": dashboard_charts.series_of(dashboard.SENTIMENT_CHOICES),
    }
    return render(request, "products/product_dashboard.html", context)
