"""Pages of a product's features: create, read (with its feedback and change history), edit, step and delete.

Thin: a form checks the shape, a service in ``products.services`` asks the rules, checks the model and saves.
Who may not write gets no controls and a 403 on a forced request; GETs of the write pages ask the rules too.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can
from products import selectors, services
from products.forms import FEATURE_FIELDS, FeatureForm, FeatureStatusForm, VersionedFeatureForm
from products.models import Feature, Product
from products.views.common import feature_or_404, product_or_404

STALE = "Someone else changed this feature since you opened it. Nothing was saved: these are its current values."


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


def _data(form: Form) -> dict:
    data = {name: form.cleaned_data[name] for name in FEATURE_FIELDS}
    data["objectives"] = list(form.cleaned_data["objectives"])
    return data


def _show_errors(form: Form, error: ValidationError) -> None:
    """Put a service's errors on the form: on their field when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _detail_url(feature: Feature, product: Product) -> str:
    return reverse("products:feature_detail", kwargs={"slug": product.slug, "pk": feature.pk})


@require_http_methods(["GET", "POST"])
def feature_create(request, slug: str):
    """A new feature of the product, with its RICE score previewed as one types."""
    product = product_or_404(slug)
    _require(request.user, "products.add_feature", product)
    choices = selectors.feature_form_choices(product=product)
    form = FeatureForm(request.POST or None, choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                feature = services.feature_create(user=request.user, product=product, data=_data(form))
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, f"Feature “{feature.title}” created.")
                return redirect(_detail_url(feature, product))
        status = 400
    context = {"product": product, "form": form, "creating": True}
    return render(request, "products/feature_form.html", context, status=status)


def feature_detail(request, slug: str, pk: int):
    """Everything about a feature: status flow, plan, RICE, demand, the customers' quotes and its history."""
    product = product_or_404(slug)
    feature = feature_or_404(product, pk)
    may_change = can(request.user, "products.change_feature", feature)
    flow = [(value, label, value == feature.status) for value, label in Feature.Status.choices]
    labels = dict(Feature.Status.choices)
    next_steps = [(value, labels[value]) for value in services.feature_next_statuses(feature=feature)]
    context = {
        "product": product,
        "feature": feature,
        "may_change": may_change,
        "may_delete": can(request.user, "products.delete_feature", feature),
        "flow": flow,
        "next_steps": next_steps if may_change else [],
        "feedback": selectors.feature_feedback(feature=feature),
        "insights": selectors.feature_insights(feature=feature),
        "history": selectors.feature_history(feature=feature),
    }
    return render(request, "products/feature_detail.html", context)


@require_http_methods(["GET", "POST"])
def feature_update(request, slug: str, pk: int):
    """Edit a feature; an edit started from an old version changes nothing and shows the current values."""
    product = product_or_404(slug)
    feature = feature_or_404(product, pk)
    _require(request.user, "products.change_feature", feature)
    choices = selectors.feature_form_choices(product=product, feature=feature)
    current = {**FeatureForm.initial_from(feature), "version": feature.version}
    form = VersionedFeatureForm(request.POST or None, initial=current, choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = _data(form)
            try:
                services.feature_update(
                    user=request.user, feature=feature, version=form.cleaned_data["version"], data=data
                )
            except Conflict:
                feature = feature_or_404(product, pk)
                fresh = {**FeatureForm.initial_from(feature), "version": feature.version}
                form = VersionedFeatureForm(initial=fresh, choices=choices)
                context = {"product": product, "feature": feature, "form": form, "stale": STALE}
                return render(request, "products/feature_form.html", context, status=409)
            except ValidationError as error:
                _show_errors(form, error)
                # The page's heading shows the stored feature, not the refused edit.
                feature = feature_or_404(product, pk)
            else:
                messages.success(request, f"Feature “{data['title']}” saved.")
                return redirect(_detail_url(feature, product))
        status = 400
    context = {"product": product, "feature": feature, "form": form}
    return render(request, "products/feature_form.html", context, status=status)


@require_POST
def feature_status(request, slug: str, pk: int):
    """One step along the status flow (the feature page's buttons)."""
    product = product_or_404(slug)
    feature = feature_or_404(product, pk)
    _require(request.user, "products.change_feature", feature)
    form = FeatureStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status and try again.")
        return redirect(_detail_url(feature, product))
    status, version = form.cleaned_data["status"], form.cleaned_data["version"]
    try:
        services.feature_status_change(user=request.user, feature=feature, version=version, status=status)
    except Conflict:
        messages.error(request, "Someone else changed this feature since you opened it; nothing was saved.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{feature.title}” is now {feature.get_status_display().lower()}.")
    return redirect(_detail_url(feature, product))


@require_http_methods(["GET", "POST"])
def feature_delete(request, slug: str, pk: int):
    """Ask, then delete a feature (its feedback stays, unlinked) and go back to the roadmap."""
    product = product_or_404(slug)
    feature = feature_or_404(product, pk)
    _require(request.user, "products.delete_feature", feature)
    if request.method == "POST":
        services.feature_delete(user=request.user, feature=feature)
        messages.success(request, f"Feature “{feature.title}” deleted.")
        return redirect("products:roadmap", slug=product.slug)
    return render(request, "products/feature_confirm_delete.html", {"product": product, "feature": feature})
