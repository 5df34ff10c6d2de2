"""Pages of the products app: the product list, a product's detail page, and products created, edited,
archived, restored and deleted (each write through its service in ``products.services``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can, may_transfer
from products import charts, selectors, services
from products.filters import ProductFilter
from products.forms import ProductForm, show_errors
from products.models import Product
from products.views.common import product_detail_or_404

STALE_PRODUCT = (
    "Someone else changed this product since you opened it: nothing was saved. "
    "The form now shows the product as it is; make your change again."
)

PRODUCTS_PER_PAGE = 25


def product_list(request):
    """Products, filtered by lifecycle stage, owner and a search, a page at a time."""
    filterset = ProductFilter(request.GET, queryset=selectors.product_table())
    valid = filterset.is_valid()
    # A filter that cannot be read shows its error and no products, not the products of the other filters.
    products = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page_obj": page,
        "stages": Product.Stage.choices,
        "owners": selectors.product_owners(),
        "filtered": any(request.GET.get(name) for name in ("q", "lifecycle_stage", "owner", "archived")),
        "may_add": can(request.user, "products.add_product"),
    }
    return render(request, "products/product_list.html", context, status=200 if valid else 400)


def _require(request, perm: str, obj=None) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied


def product_detail(request, slug: str):
    """A product: vision, stage, owner, objectives, team by function, releases and its key numbers."""
    try:
        product = selectors.product_detail(slug=slug, with_team=True)
    except Product.DoesNotExist:
        raise Http404("No such product.") from None
    context = {
        "product": product,
        "may_change": can(request.user, "products.change_product", product),
        "may_delete": can(request.user, "products.delete_product", product),
        "team": selectors.product_team(product=product),
        "releases": selectors.product_releases(product=product),
        "status_counts": selectors.product_feature_status_counts(product=product),
        "top_features": selectors.product_top_demand_features(product=product),
        "may_add_feature": can(request.user, "products.add_feature", product),
        "metric_cards": charts.metric_cards(
            selectors.product_metric_trends(product=product, last=selectors.OVERVIEW_READINGS), compact=True
        ),
        "feedback_month": selectors.feedback_this_month(product=product),
        "may_import_feedback": can(request.user, "products.add_feedback", product),
    }
    return render(request, "products/product_detail.html", context)


def product_create(request):
    """A new product: its creator owns it (administrators may name another owner)."""
    _require(request, "products.add_product")
    with_owner = can(request.user, "products.transfer_product")
    initial = {"owner": request.user.pk, "lifecycle_stage": Product.Stage.IDEATION}
    form = ProductForm(request.POST or None, initial=initial, with_owner=with_owner, with_version=False)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(user=request.user, data=form.data_for_service())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{product.name} was created.")
            return redirect("products:product_detail", slug=product.slug)
    status = 400 if form.is_bound else 200
    return render(request, "products/product_form.html", {"form": form, "product": None}, status=status)


def product_update(request, slug: str):
    """Edit a product; the hidden version makes a stale edit change nothing and show the product as it is now."""
    product = product_detail_or_404(slug)
    _require(request, "products.change_product", product)
    with_owner = may_transfer(request.user, product)
    form = ProductForm(request.POST or None, with_owner=with_owner, with_version=True)
    if request.method != "POST":
        form = ProductForm(initial=ProductForm.initial_of(product), with_owner=with_owner, with_version=True)
        return render(request, "products/product_form.html", {"form": form, "product": product})
    status = 400
    if form.is_valid():
        try:
            product = services.product_update(
                user=request.user, product=product, version=form.cleaned_data["version"], data=form.data_for_service()
            )
        except Conflict:
            product = product_detail_or_404(slug)
            messages.warning(request, STALE_PRODUCT)
            form = ProductForm(initial=ProductForm.initial_of(product), with_owner=with_owner, with_version=True)
            status = 409
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{product.name} was saved.")
            return redirect("products:product_detail", slug=product.slug)
    return render(request, "products/product_form.html", {"form": form, "product": product}, status=status)


@require_POST
def product_archive(request, slug: str):
    """Archive the product (a POST button on its page): it leaves the lists and keeps everything."""
    product = services.product_archive(user=request.user, product=product_detail_or_404(slug))
    messages.success(request, f"{product.name} was archived: it is left out of the lists until it is restored.")
    return redirect("products:product_detail", slug=product.slug)


@require_POST
def product_restore(request, slug: str):
    """Bring an archived product back to the lists."""
    product = services.product_restore(user=request.user, product=product_detail_or_404(slug))
    messages.success(request, f"{product.name} was restored.")
    return redirect("products:product_detail", slug=product.slug)


def product_delete(request, slug: str):
    """Confirm a product's deletion; while it holds features, feedback, projects …, say so and offer archiving."""
    product = product_detail_or_404(slug)
    _require(request, "products.delete_product", product)
    status, refusal = 200, None
    if request.method == "POST":
        try:
            services.product_delete(user=request.user, product=product)
        except ValidationError as error:
            status, refusal = 409, " ".join(error.messages)
        else:
            messages.success(request, f"{product.name} was deleted.")
            return redirect("products:product_list")
    context = {
        "product": product,
        "blockers": selectors.product_delete_blockers(product=product),
        "refusal": refusal,
        "may_change": can(request.user, "products.change_product", product),
    }
    return render(request, "products/product_confirm_delete.html", context, status=status)
