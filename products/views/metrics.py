"""Pages of a product's metrics: its KPIs with their trend charts, and KPIs and readings added, edited, deleted.

Everyone signed in reads them; the product's owner and editor members see the controls, and a forced request
from anyone else gets 403 before its form is read. Writes go through ``products.services``; an invalid form is
shown again with its errors (400).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portfolio.core.permissions import can
from products import charts, selectors, services
from products.forms import MetricForm, ReadingForm, show_errors
from products.models import MetricReading, Product, ProductMetric
from products.views.common import product_or_404


def _metric(product: Product, pk: int) -> ProductMetric:
    try:
        metric = selectors.product_metric(product=product, pk=pk)
    except ProductMetric.DoesNotExist:
        raise Http404("No such KPI in this product.") from None
    metric.product = product  # the rules read the product's owner from it
    return metric


def _reading(product: Product, pk: int) -> MetricReading:
    try:
        reading = selectors.product_metric_reading(product=product, pk=pk)
    except MetricReading.DoesNotExist:
        raise Http404("No such reading in this product.") from None
    reading.metric.product = product
    return reading


def _require(request, perm: str, obj) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied("You may not change this product's metrics.")


def _save(form, write) -> bool:
    """Run ``write()`` for a valid form; a refusal by the service goes on the form. Whether it saved."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        show_errors(form, error)
        return False
    return True


def _list_url(product: Product, metric: ProductMetric | None = None) -> str:
    url = reverse("products:metric_list", kwargs={"slug": product.slug})
    return f"{url}#metric-{metric.pk}" if metric is not None else url


@require_http_methods(["GET"])
def metric_list(request, slug: str):
    """Every KPI of the product with its trend chart, latest value against target and direction."""
    product = product_or_404(slug)
    may_edit = can(request.user, "products.add_productmetric", product)
    cards = charts.metric_cards(selectors.product_metric_trends(product=product))
    if may_edit:
        for card in cards:
            card["reading_form"] = ReadingForm(prefix_for=card["trend"].metric)
    context = {"product": product, "cards": cards, "may_edit": may_edit, "tab": "metrics"}
    return render(request, "products/metrics/metric_list.html", context)


@require_http_methods(["GET", "POST"])
def metric_create(request, slug: str):
    """A new KPI of the product."""
    product = product_or_404(slug)
    _require(request, "products.add_productmetric", product)
    form = MetricForm(request.POST or None)
    created = {}
    if request.method == "POST":

        def write():
            created["metric"] = services.metric_create(user=request.user, product=product, data=form.cleaned_data)

        if _save(form, write):
            messages.success(request, f"KPI “{created['metric'].name}” added.")
            return redirect(_list_url(product, created["metric"]))
    context = {"product": product, "form": form, "metric": None}
    return render(request, "products/metrics/metric_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def metric_update(request, slug: str, pk: int):
    """Rename a KPI, or change its unit, target or direction."""
    product = product_or_404(slug)
    metric = _metric(product, pk)
    _require(request, "products.change_productmetric", metric)
    form = MetricForm(request.POST or None, initial=MetricForm.initial_from(metric))
    if request.method == "POST":
        if _save(form, lambda: services.metric_update(user=request.user, metric=metric, data=form.cleaned_data)):
            messages.success(request, f"KPI “{metric.name}” saved.")
            return redirect(_list_url(product, metric))
        metric = _metric(product, pk)  # the heading names the KPI as stored, not the refused edit
    context = {"product": product, "form": form, "metric": metric}
    return render(request, "products/metrics/metric_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def metric_delete(request, slug: str, pk: int):
    """Confirm, then delete a KPI with all its readings."""
    product = product_or_404(slug)
    metric = _metric(product, pk)
    _require(request, "products.delete_productmetric", metric)
    if request.method == "POST":
        count = services.metric_delete(user=request.user, metric=metric)
        messages.success(request, f"KPI “{metric.name}” deleted with its {_readings(count)}.")
        return redirect(_list_url(product))
    count = selectors.metric_reading_count(metric=metric)
    context = {
        "product": product,
        "object": metric,
        "title": f"Delete the KPI “{metric.name}”",
        "consequence": f"Its {_readings(count)} will be deleted with it.",
        "action": "Delete",
        "back": "products:metric_list",
        "tab": "metrics",
    }
    return render(request, "products/confirm_delete.html", context)


def _readings(count: int) -> str:
    return f"{count} reading{'' if count == 1 else 's'}"


@require_http_methods(["GET", "POST"])
def reading_create(request, slug: str, pk: int):
    """Record a reading of the KPI ``pk``: the metrics page's small form posts here.

    With HTMX the KPI's card comes back, redrawn with the new reading or showing the form's errors, and replaces
    the old one in place; without, a saved reading goes back to the metrics page and errors show on this page.
    """
    product = product_or_404(slug)
    metric = _metric(product, pk)
    _require(request, "products.add_metricreading", metric)
    form = ReadingForm(request.POST or None, prefix_for=metric)
    write = lambda: services.reading_create(user=request.user, metric=metric, data=form.cleaned_data)  # noqa: E731
    saved = request.method == "POST" and _save(form, write)
    said = ""
    if saved:
        value = charts.format_value(form.cleaned_data["value"], metric.unit)
        said = f"{metric.name}: {value} on {charts.long_date(form.cleaned_data['date'])} recorded."
    if request.htmx and request.method == "POST":
        card = charts.metric_cards([selectors.metric_trend(metric=metric)])[0]
        card["reading_form"] = ReadingForm(prefix_for=metric) if saved else form
        context = {"product": product, "card": card, "may_edit": True, "said": said}
        return render(request, "products/metrics/partials/_reading_added.html", context)
    if saved:
        messages.success(request, said)
        return redirect(_list_url(product, metric))
    context = {"product": product, "metric": metric, "form": form, "reading": None}
    return render(request, "products/metrics/reading_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def reading_update(request, slug: str, pk: int):
    """Correct a reading's date or value."""
    product = product_or_404(slug)
    reading = _reading(product, pk)
    metric = reading.metric
    _require(request, "products.change_metricreading", reading)
    form = ReadingForm(request.POST or None, initial={"date": reading.date, "value": reading.value})
    if request.method == "POST":
        if _save(form, lambda: services.reading_update(user=request.user, reading=reading, data=form.cleaned_data)):
            messages.success(request, f"The reading of {metric.name} is saved.")
            return redirect(_list_url(product, metric))
        reading = _reading(product, pk)
    context = {"product": product, "metric": metric, "form": form, "reading": reading}
    return render(request, "products/metrics/reading_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def reading_delete(request, slug: str, pk: int):
    """Confirm, then delete a reading."""
    product = product_or_404(slug)
    reading = _reading(product, pk)
    metric = reading.metric
    _require(request, "products.delete_metricreading", reading)
    value = charts.format_value(reading.value, metric.unit)
    if request.method == "POST":
        services.reading_delete(user=request.user, reading=reading)
        messages.success(request, f"The reading of {metric.name} on {charts.long_date(reading.date)} is deleted.")
        return redirect(_list_url(product, metric))
    context = {
        "product": product,
        "object": reading,
        "title": f"Delete the reading of {metric.name} on {charts.long_date(reading.date)}",
        "consequence": f"The value {value} leaves the trend of {metric.name}.",
        "action": "Delete",
        "back": "products:metric_list",
        "tab": "metrics",
    }
    return render(request, "products/confirm_delete.html", context)
