"""What every page of the products app looks up first: the product of the address, or a 404."""

from django.http import Http404

from products import selectors
from products.models import Feature, Product


def product_or_404(slug: str) -> Product:
    """The product of ``/products/<slug>/…`` (archived ones too), or a 404."""
    try:
        return selectors.product_by_slug(slug=slug)
    except Product.DoesNotExist:
        raise Http404("No such product.") from None


def product_detail_or_404(slug: str) -> Product:
    """The product of the address with what its overview and roadmap show (``selectors.product_detail``), or a 404."""
    try:
        return selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404("No such product.") from None


def feature_or_404(product: Product, pk: int) -> Feature:
    """The feature ``pk`` of ``product`` as its page reads it (``selectors.feature_detail``), or a 404."""
    try:
        return selectors.feature_detail(product=product, pk=pk)
    except Feature.DoesNotExist:
        raise Http404("No such feature in this product.") from None
