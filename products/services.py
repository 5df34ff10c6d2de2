"""Writes of the products app: features created, edited, moved and deleted, each in one transaction.

Pages and the API call these alike. Each asks the rules (``portfolio.core.permissions``) with the object and
its parent, so a refused write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400) before
anything is saved; edits go through ``versioned_update``, so a stale ``version`` raises ``Conflict`` (409).
"""

import copy
import datetime
from types import EllipsisType
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from portfolio.core.models import StrategicObjective
from portfolio.core.permissions import can, refused_changes
from portfolio.core.services import versioned_update
from products import selectors
from products.models import RESERVED_SLUGS, Feature, Product, Release, Theme

# The parents a feature hangs under: a new one must be one the user may add features to.
FEATURE_PARENTS = ("product", "release", "theme")


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


def _check_parents(*, user, feature: Feature, data: dict[str, Any]) -> None:
    """Refuse a product, release or theme the user may not hang a feature under (compared with the stored row)."""
    parents = {name: data.get(name, getattr(feature, name)) for name in FEATURE_PARENTS}
    errors = refused_changes(user, feature, parents)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feature_create(*, user, product: Product, data: dict[str, Any]) -> Feature:
    """Create a feature of ``product`` from ``data`` (model fields, ``objectives`` as a list of objectives)."""
    _require(user, "products.add_feature", product)
    data = dict(data)
    objectives: list[StrategicObjective] | None = data.pop("objectives", None)
    data.pop("product", None)
    feature = Feature(product=product, **data)
    _check_parents(user=user, feature=feature, data={})
    feature.full_clean()
    feature.save()
    if objectives:
        feature.objectives.set(objectives)
    return feature


@transaction.atomic
def feature_update(*, user, feature: Feature, version: int, data: dict[str, Any]) -> Feature:
    """Apply ``data`` to ``feature`` if it is still at ``version``; its objectives too when ``data`` names them."""
    _require(user, "products.change_feature", feature)
    data = dict(data)
    objectives: list[StrategicObjective] | None = data.pop("objectives", None)
    _check_parents(user=user, feature=feature, data=data)
    feature = versioned_update(instance=feature, version=version, data=data)
    if objectives is not None:
        feature.objectives.set(objectives)
    return feature


@transaction.atomic
def feature_move(
    *,
    user,
    feature: Feature,
    version: int,
    horizon: str | EllipsisType = ...,
    release: Release | None | EllipsisType = ...,
    theme: Theme | None | EllipsisType = ...,
    start_date: datetime.date | None | EllipsisType = ...,
    end_date: datetime.date | None | EllipsisType = ...,
    position: int | EllipsisType = ...,
) -> Feature:
    """Move ``feature`` on the roadmap (what is left as ``...`` stays); only this feature's row is written.

    ``position`` is the client's choice between the new neighbours' (positions are spaced), so a move never
    renumbers the lane nor bumps the version of a feature nobody touched.
    """
    _require(user, "products.change_feature", feature)
    given = {
        "horizon": horizon,
        "release": release,
        "theme": theme,
        "start_date": start_date,
        "end_date": end_date,
        "position": position,
    }
    changes = {name: value for name, value in given.items() if value is not ...}
    _check_parents(user=user, feature=feature, data=changes)
    return versioned_update(instance=feature, version=version, data=changes)


@transaction.atomic
def feature_delete(*, user, feature: Feature) -> None:
    """Delete ``feature`` (its feedback links go with it; the feedback stays)."""
    _require(user, "products.delete_feature", feature)
    feature.delete()


# -----------------------------------------------------------------------------
# Products: created, edited, archived, restored and deleted
# -----------------------------------------------------------------------------
PRODUCT_SLUG_LENGTH = Product._meta.get_field("slug").max_length
OWNER_GIVEN_MESSAGE = "Only an administrator may create a product for someone else; leave the owner out to own it."
DELETE_REFUSED_MESSAGE = (
    "{product} cannot be deleted: it still has {what}. Deleting it would delete them too. "
    "Archive it instead: it leaves the lists and keeps everything, and can be restored."
)


def _free_slug(name: str, *, product: Product | None = None) -> str:
    """A slug made from ``name`` that no other product (and no page of the application) uses."""
    base = slugify(name)[: PRODUCT_SLUG_LENGTH - 6].strip("-") or "product"
    others = Product.objects.exclude(pk=product.pk) if product is not None and product.pk else Product.objects
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def product_create(*, user, data: dict[str, Any]) -> Product:
    """Create a product from ``data``; the user owns it unless ``owner`` names someone else (administrators only).

    The slug is made from the name when ``data`` gives none; ``objectives`` is a list of objectives.
    """
    _require(user, "products.add_product", None)
    data = dict(data)
    objectives: list[StrategicObjective] | None = data.pop("objectives", None)
    owner = data.pop("owner", None) or user
    # Naming another holder is a hand-over at birth: the rules' "transfer" without an object is the superuser's.
    if owner.pk != user.pk and not can(user, "products.transfer_product"):
        raise ValidationError({"owner": OWNER_GIVEN_MESSAGE})
    if not data.get("slug"):
        data["slug"] = _free_slug(data.get("name") or "")
    product = Product(owner=owner, **data)
    product.full_clean()
    product.save()
    if objectives:
        product.objectives.set(objectives)
    return product


@transaction.atomic
def product_update(*, user, product: Product, version: int, data: dict[str, Any]) -> Product:
    """Apply ``data`` to ``product`` if it is still at ``version``; a new owner only from whoever may hand it over.

    An empty ``slug`` is made again from the name; ``objectives``, when given, replace the product's.
    """
    _require(user, "products.change_product", product)
    data = dict(data)
    objectives: list[StrategicObjective] | None = data.pop("objectives", None)
    if "slug" in data and not data["slug"]:
        data["slug"] = _free_slug(data.get("name") or product.name, product=product)
    if "owner" in data:
        edited = copy.copy(product)
        edited.owner = data["owner"]
        errors = refused_changes(user, edited, {})
        if errors:
            raise ValidationError(errors)
    product = versioned_update(instance=product, version=version, data=data)
    if objectives is not None:
        product.objectives.set(objectives)
    return product


def _stored_version(product: Product) -> int:
    return Product.objects.values_list("version", flat=True).get(pk=product.pk)


@transaction.atomic
def product_archive(*, user, product: Product) -> Product:
    """Archive ``product``: it leaves the default lists and keeps all it holds (archiving it again changes nothing)."""
    _require(user, "products.change_product", product)
    if product.archived_at is not None:
        return product
    return versioned_update(instance=product, version=_stored_version(product), data={"archived_at": timezone.now()})


@transaction.atomic
def product_restore(*, user, product: Product) -> Product:
    """Bring an archived ``product`` back to the lists (restoring one that is not archived changes nothing)."""
    _require(user, "products.change_product", product)
    if product.archived_at is None:
        return product
    return versioned_update(instance=product, version=_stored_version(product), data={"archived_at": None})


@transaction.atomic
def product_delete(*, user, product: Product) -> None:
    """Delete ``product`` with its team, themes and releases; refused while anything else refers to it."""
    _require(user, "products.delete_product", product)
    blockers = selectors.product_delete_blockers(product=product)
    if blockers:
        what = ", ".join(f"{count} {label}" for label, count in blockers)
        raise ValidationError(DELETE_REFUSED_MESSAGE.format(product=product.name, what=what), code="protected")
    product.delete()
