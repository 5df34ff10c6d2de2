"""Pages of a product's parts: its team (members, roles, functions), its themes and its releases.

Everyone signed in reads them; the product's owner and editor members see the controls, and a forced POST
from anyone else gets 403 before its form is read. Writes go through ``products.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can
from products import selectors, services
from products.forms import (
    ProductMemberAddForm,
    ProductMemberForm,
    ReleaseEditForm,
    ReleaseForm,
    ReleaseStatusForm,
    ThemeForm,
    ThemeMoveForm,
    show_errors,
)
from products.models import Product, ProductMember, Release, Theme
from products.views.common import product_or_404

# The status changes a release's row offers, from each status: (new status, button label).
RELEASE_STEPS = {
    Release.Status.PLANNED: [(Release.Status.IN_PROGRESS, "Start"), (Release.Status.CANCELLED, "Cancel")],
    Release.Status.IN_PROGRESS: [(Release.Status.RELEASED, "Mark released"), (Release.Status.CANCELLED, "Cancel")],
    Release.Status.RELEASED: [(Release.Status.IN_PROGRESS, "Reopen")],
    Release.Status.CANCELLED: [(Release.Status.PLANNED, "Plan again")],
}


def _part(model, product: Product, pk: int):
    """The member, theme or release ``pk`` of ``product``; 404 for one of another product."""
    row = model.objects.filter(product=product, pk=pk).first()
    if row is None:
        raise Http404(f"No such {model._meta.verbose_name} in this product.")
    row.product = product  # the rules read the product's owner from it
    return row


def _require(request, perm: str, obj) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied("You may not change this product.")


def _may_edit(request, product: Product, model: str) -> bool:
    return can(request.user, f"products.add_{model}", product)


def _save(form, write) -> bool:
    """Run ``write()`` for a valid form; a refusal by the service goes on the form. Whether it saved."""
    if not form.is_valid():
        return False
    try:
        write()
    except Conflict as conflict:
        form.add_error(None, conflict.message)
        return False
    except ValidationError as error:
        show_errors(form, error)
        return False
    return True


# --- Members ------------------------------------------------------------------------------------


def _team_context(request, product: Product, **extra) -> dict:
    return {
        "product": product,
        "team": selectors.product_team(product=product),
        "may_edit": _may_edit(request, product, "productmember"),
        "roles": ProductMember.Role.choices,
        "functions": ProductMemberForm.base_fields["function"].choices,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def productmember_list(request, slug: str):
    """The product's team by function, with each member's role; its editors add, change and remove members."""
    product = product_or_404(slug)
    candidates = selectors.product_member_candidates(product=product)
    form = ProductMemberAddForm(candidates=candidates)
    if request.method == "POST":
        _require(request, "products.add_productmember", product)
        form = ProductMemberAddForm(request.POST, candidates=candidates)
        if _save(form, lambda: services.product_member_add(user=request.user, product=product, **form.service_data())):
            messages.success(request, f"{form.cleaned_data['user']} joined the team.")
            return redirect("products:productmember_list", slug=product.slug)
    context = _team_context(request, product, form=form, tab="members")
    return render(request, "products/productmember_list.html", context)


@require_POST
def productmember_update(request, slug: str, pk: int):
    """Change a member's role or function; an HTMX request gets the team back, others the page."""
    product = product_or_404(slug)
    membership = _part(ProductMember, product, pk)
    _require(request, "products.change_productmember", membership)
    form = ProductMemberForm(request.POST)
    saved = _save(
        form, lambda: services.product_member_update(user=request.user, membership=membership, data=form.cleaned_data)
    )
    errors = [] if saved else [e for errors in form.errors.values() for e in errors]
    if request.htmx:
        context = _team_context(request, product, errors=errors, changed=membership.pk if saved else None)
        return render(request, "products/partials/_team.html", context)
    for error in errors:
        messages.error(request, error)
    if saved:
        messages.success(request, f"{membership.user}'s role and function are saved.")
    return redirect("products:productmember_list", slug=product.slug)


@require_http_methods(["GET", "POST"])
def productmember_delete(request, slug: str, pk: int):
    """Confirm, then take a member off the team (never the owner)."""
    product = product_or_404(slug)
    membership = _part(ProductMember, product, pk)
    _require(request, "products.delete_productmember", membership)
    error = None
    if request.method == "POST":
        try:
            services.product_member_remove(user=request.user, membership=membership)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"{membership.user} left the team.")
            return redirect("products:productmember_list", slug=product.slug)
    context = {
        "product": product,
        "object": membership,
        "title": f"Remove {membership.user} from the team",
        "consequence": f"{membership.user} will no longer be a member of {product}; what they did stays.",
        "action": "Remove",
        "error": error,
        "back": "products:productmember_list",
        "tab": "members",
    }
    return render(request, "products/confirm_delete.html", context)


# --- Themes ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def theme_list(request, slug: str):
    """The product's themes (roadmap swimlanes) in lane order; its editors add, reorder, edit and delete them."""
    product = product_or_404(slug)
    form = ThemeForm()
    if request.method == "POST":
        _require(request, "products.add_theme", product)
        form = ThemeForm(request.POST)
        if _save(form, lambda: services.theme_create(user=request.user, product=product, data=form.cleaned_data)):
            messages.success(request, f"Theme “{form.cleaned_data['name']}” added.")
            return redirect("products:theme_list", slug=product.slug)
    context = {
        "product": product,
        "themes": selectors.theme_table(product=product),
        "may_edit": _may_edit(request, product, "theme"),
        "form": form,
        "tab": "themes",
    }
    return render(request, "products/theme_list.html", context)


@require_http_methods(["GET", "POST"])
def theme_update(request, slug: str, pk: int):
    """Rename or recolour a theme."""
    product = product_or_404(slug)
    theme = _part(Theme, product, pk)
    _require(request, "products.change_theme", theme)
    form = ThemeForm(initial={"name": theme.name, "colour": theme.colour})
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if _save(form, lambda: services.theme_update(user=request.user, theme=theme, data=form.cleaned_data)):
            messages.success(request, f"Theme “{theme.name}” saved.")
            return redirect("products:theme_list", slug=product.slug)
    return render(request, "products/theme_form.html", {"product": product, "theme": theme, "form": form})


@require_POST
def theme_move(request, slug: str, pk: int):
    """Move a theme one lane up or down (the keyboard's way to reorder the lanes)."""
    product = product_or_404(slug)
    theme = _part(Theme, product, pk)
    _require(request, "products.change_theme", theme)
    form = ThemeMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Move a theme up or down.")
        return redirect("products:theme_list", slug=product.slug)
    services.theme_move(user=request.user, theme=theme, direction=form.cleaned_data["direction"])
    messages.success(request, f"Theme “{theme.name}” moved {form.cleaned_data['direction']}.")
    return redirect("products:theme_list", slug=product.slug)


@require_http_methods(["GET", "POST"])
def theme_delete(request, slug: str, pk: int):
    """Confirm, then delete a theme; its features stay, in no theme."""
    return _part_delete(request, slug, pk, Theme, delete=services.theme_delete, left="in no theme")


def _part_delete(request, slug: str, pk: int, model, *, delete, left: str):
    """Confirm, then delete a theme or release of the product through ``delete``; its features stay, ``left``."""
    product = product_or_404(slug)
    part = _part(model, product, pk)
    kind = model._meta.model_name
    _require(request, f"products.delete_{kind}", part)
    if request.method == "POST":
        count = delete(user=request.user, **{kind: part})
        messages.success(request, f"{kind.capitalize()} “{part.name}” deleted; {_features(count)} now {left}.")
        return redirect(f"products:{kind}_list", slug=product.slug)
    count = selectors.part_feature_count(part=part)
    context = {
        "product": product,
        "object": part,
        "title": f"Delete the {kind} “{part.name}”",
        "consequence": f"{_features(count).capitalize()} of this {kind} will stay on the roadmap, {left}.",
        "action": "Delete",
        "back": f"products:{kind}_list",
        "tab": f"{kind}s",
    }
    return render(request, "products/confirm_delete.html", context)


def _features(count: int) -> str:
    return f"{count} feature{'' if count == 1 else 's'}"


# --- Releases -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def release_list(request, slug: str):
    """The product's releases by target date, with status and number of features; its editors manage them."""
    product = product_or_404(slug)
    form = ReleaseForm()
    if request.method == "POST":
        _require(request, "products.add_release", product)
        form = ReleaseForm(request.POST)
        if _save(form, lambda: services.release_create(user=request.user, product=product, data=form.cleaned_data)):
            messages.success(request, f"Release “{form.cleaned_data['name']}” added.")
            return redirect("products:release_list", slug=product.slug)
    releases = list(selectors.release_table(product=product))
    for release in releases:
        release.steps = RELEASE_STEPS.get(release.status, [])
    context = {
        "product": product,
        "releases": releases,
        "may_edit": _may_edit(request, product, "release"),
        "form": form,
        "tab": "releases",
    }
    return render(request, "products/release_list.html", context)


@require_http_methods(["GET", "POST"])
def release_update(request, slug: str, pk: int):
    """Edit a release; a stale version says someone else changed it."""
    product = product_or_404(slug)
    release = _part(Release, product, pk)
    _require(request, "products.change_release", release)
    fields = ("name", "description", "target_date", "status", "released_on", "version")
    form = ReleaseEditForm(initial={name: getattr(release, name) for name in fields})
    if request.method == "POST":
        form = ReleaseEditForm(request.POST)

        def write():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            services.release_update(user=request.user, release=release, version=version, data=data)

        if _save(form, write):
            messages.success(request, f"Release “{release.name}” saved.")
            return redirect("products:release_list", slug=product.slug)
    return render(request, "products/release_form.html", {"product": product, "release": release, "form": form})


@require_POST
def release_status(request, slug: str, pk: int):
    """Move a release along its status flow (planned → in progress → released, or cancelled)."""
    product = product_or_404(slug)
    release = _part(Release, product, pk)
    _require(request, "products.change_release", release)
    form = ReleaseStatusForm(request.POST)

    def write():
        status = form.cleaned_data["status"]
        version = form.cleaned_data["version"]
        services.release_update(user=request.user, release=release, version=version, data={"status": status})

    if _save(form, write):
        messages.success(request, f"Release “{release.name}” is now {release.get_status_display().lower()}.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Release “{release.name}”: {error}")
    return redirect("products:release_list", slug=product.slug)


@require_http_methods(["GET", "POST"])
def release_delete(request, slug: str, pk: int):
    """Confirm, then delete a release; its features stay, unscheduled."""
    return _part_delete(request, slug, pk, Release, delete=services.release_delete, left="unscheduled")
