"""Pages of a product's market analysis: its competitors, its market insights and a side-by-side comparison.

Everyone signed in reads them; the product's editors see the add, edit and delete controls, and a request to a
write page from anyone else gets 403 before its form is read. Writes go through ``products.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from portfolio.core.permissions import can
from products import selectors, services
from products.forms import CompareForm, CompetitorForm, InsightForm, show_errors
from products.models import Competitor, MarketInsight, Product
from products.views.common import product_or_404


def _competitor(product: Product, pk: int) -> Competitor:
    try:
        competitor = selectors.market_competitor(product=product, pk=pk)
    except Competitor.DoesNotExist:
        raise Http404("No such competitor of this product.") from None
    competitor.product = product  # the rules read the product's owner from it
    return competitor


def _insight(product: Product, pk: int) -> MarketInsight:
    try:
        insight = selectors.market_insight(product=product, pk=pk)
    except MarketInsight.DoesNotExist:
        raise Http404("No such market insight of this product.") from None
    insight.product = product
    return insight


def _require(request, perm: str, obj) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied("You may not change this product's market analysis.")


def _market_url(product: Product, anchor: str) -> str:
    return reverse("products:market", kwargs={"slug": product.slug}) + f"#{anchor}"


def _write(form, write) -> bool:
    """Run ``write()`` for a valid form; a refusal by the service goes on the form. Whether it saved."""
    if not form.is_valid():
        return False
    try:
        write()
    except ValidationError as error:
        show_errors(form, error)
        return False
    return True


@require_GET
def market(request, slug: str):
    """The product's competitors (most threatening first) and its market insights grouped by kind."""
    product = product_or_404(slug)
    # One answer for every row: a product's editors change all of its market analysis (the rules say so).
    may_edit = can(request.user, "products.add_competitor", product)
    context = {
        "product": product,
        "competitors": list(selectors.market_competitors(product=product)),
        "groups": selectors.market_insight_groups(product=product),
        "may_edit": may_edit,
        "tab": "market",
    }
    return render(request, "products/market/market.html", context)


@require_GET
def market_compare(request, slug: str):
    """The product beside the competitors chosen (all by default), one column each: printable."""
    product = product_or_404(slug)
    competitors = list(selectors.market_competitors(product=product))
    form = CompareForm(request.GET or None, competitors=selectors.market_competitors(product=product))
    chosen = competitors
    status = 200
    if form.is_bound:
        if form.is_valid():
            picked = {competitor.pk for competitor in form.cleaned_data["competitor"]}
            chosen = [competitor for competitor in competitors if competitor.pk in picked] or competitors
        else:
            status = 400
    context = {
        "product": product,
        "competitors": competitors,
        "chosen": chosen,
        "chosen_ids": {competitor.pk for competitor in chosen},
        "form": form,
        "tab": "market",
    }
    return render(request, "products/market/market_compare.html", context, status=status)


# --- Competitors ----------------------------------------------------------------------------------


def _competitor_page(request, product, form, *, competitor=None, status=200):
    context = {"product": product, "form": form, "competitor": competitor, "tab": "market"}
    return render(request, "products/market/competitor_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def competitor_create(request, slug: str):
    """List a new competitor of the product."""
    product = product_or_404(slug)
    _require(request, "products.add_competitor", product)
    form = CompetitorForm(request.POST or None)
    if request.method == "POST":
        if _write(form, lambda: services.competitor_create(user=request.user, product=product, data=form.cleaned_data)):
            messages.success(request, f"Competitor “{form.cleaned_data['name']}” added.")
            return redirect(_market_url(product, "competitors"))
        return _competitor_page(request, product, form, status=400)
    return _competitor_page(request, product, form)


@require_http_methods(["GET", "POST"])
def competitor_update(request, slug: str, pk: int):
    """Edit a competitor: positioning, strengths, weaknesses, pricing, threat level."""
    product = product_or_404(slug)
    competitor = _competitor(product, pk)
    _require(request, "products.change_competitor", competitor)
    form = CompetitorForm(request.POST or None, initial=CompetitorForm.initial_from(competitor))
    if request.method == "POST":
        saved = _write(
            form, lambda: services.competitor_update(user=request.user, competitor=competitor, data=form.cleaned_data)
        )
        if saved:
            messages.success(request, f"Competitor “{competitor.name}” saved.")
            return redirect(_market_url(product, "competitors"))
        return _competitor_page(request, product, form, competitor=_competitor(product, pk), status=400)
    return _competitor_page(request, product, form, competitor=competitor)


@require_http_methods(["GET", "POST"])
def competitor_delete(request, slug: str, pk: int):
    """Confirm, then take a competitor off the market analysis."""
    product = product_or_404(slug)
    competitor = _competitor(product, pk)
    _require(request, "products.delete_competitor", competitor)
    if request.method == "POST":
        services.competitor_delete(user=request.user, competitor=competitor)
        messages.success(request, f"Competitor “{competitor.name}” deleted.")
        return redirect(_market_url(product, "competitors"))
    context = {
        "product": product,
        "object": competitor,
        "title": f"Delete the competitor “{competitor.name}”",
        "consequence": f"{competitor.name} leaves the market analysis and the comparison table of {product.name}.",
        "action": "Delete",
        "back": "products:market",
        "tab": "market",
    }
    return render(request, "products/confirm_delete.html", context)


# --- Market insights ------------------------------------------------------------------------------


def _insight_page(request, product, form, *, insight=None, status=200):
    context = {"product": product, "form": form, "insight": insight, "tab": "market"}
    return render(request, "products/market/insight_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def insight_create(request, slug: str):
    """Record a market insight (opportunity, trend, threat or customer need), linked to features of the product."""
    product = product_or_404(slug)
    _require(request, "products.add_marketinsight", product)
    features = selectors.insight_feature_choices(product=product)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in MarketInsight.Kind.values else {}
    form = InsightForm(request.POST or None, features=features, initial=initial)
    if request.method == "POST":
        saved = _write(
            form, lambda: services.insight_create(user=request.user, product=product, data=form.service_data())
        )
        if saved:
            messages.success(request, f"Insight “{form.cleaned_data['title']}” added.")
            return redirect(_market_url(product, f"insights-{form.cleaned_data['kind']}"))
        return _insight_page(request, product, form, status=400)
    return _insight_page(request, product, form)


@require_http_methods(["GET", "POST"])
def insight_update(request, slug: str, pk: int):
    """Edit a market insight and the features it is linked to."""
    product = product_or_404(slug)
    insight = _insight(product, pk)
    _require(request, "products.change_marketinsight", insight)
    features = selectors.insight_feature_choices(product=product)
    form = InsightForm(request.POST or None, features=features, initial=InsightForm.initial_from(insight))
    if request.method == "POST":
        saved = _write(
            form, lambda: services.insight_update(user=request.user, insight=insight, data=form.service_data())
        )
        if saved:
            messages.success(request, f"Insight “{insight.title}” saved.")
            return redirect(_market_url(product, f"insights-{insight.kind}"))
        return _insight_page(request, product, form, insight=_insight(product, pk), status=400)
    return _insight_page(request, product, form, insight=insight)


@require_http_methods(["GET", "POST"])
def insight_delete(request, slug: str, pk: int):
    """Confirm, then delete a market insight; the features it was linked to stay."""
    product = product_or_404(slug)
    insight = _insight(product, pk)
    _require(request, "products.delete_marketinsight", insight)
    if request.method == "POST":
        services.insight_delete(user=request.user, insight=insight)
        messages.success(request, f"Insight “{insight.title}” deleted.")
        return redirect(_market_url(product, "insights"))
    linked = len(insight.features.all())
    context = {
        "product": product,
        "object": insight,
        "title": f"Delete the insight “{insight.title}”",
        "consequence": (
            f"The {linked} feature{'' if linked == 1 else 's'} it is linked to will stay on the roadmap, "
            "without this insight."
        ),
        "action": "Delete",
        "back": "products:market",
        "tab": "market",
    }
    return render(request, "products/confirm_delete.html", context)
