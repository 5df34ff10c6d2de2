"""Pages of the products app: the product list and a product's detail page (read-only)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from portfolio.core.permissions import can
from products import selectors
from products.filters import ProductFilter
from products.models import Product

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
        "filtered": any(request.GET.get(name) for name in ("q", "lifecycle_stage", "owner")),
    }
    return render(request, "products/product_list.html", context, status=200 if valid else 400)


def product_detail(request, slug: str):
    """A product: vision, stage, owner, objectives, team by function, releases and its key numbers."""
    try:
        product = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404("No such product.") from None
    context = {
        "product": product,
        "team": selectors.product_team(product=product),
        "releases": selectors.product_releases(product=product),
        "status_counts": selectors.product_feature_status_counts(product=product),
        "top_features": selectors.product_top_demand_features(product=product),
        "may_add_feature": can(request.user, "products.add_feature", product),
    }
    return render(request, "products/product_detail.html", context)
