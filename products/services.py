"""Writes of the products app: features created, edited, moved and deleted, each in one transaction.

Pages and the API call these alike. Each asks the rules (``portfolio.core.permissions``) with the object and
its parent, so a refused write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400) before
anything is saved; edits go through ``versioned_update``, so a stale ``version`` raises ``Conflict`` (409).
"""

import datetime
from types import EllipsisType
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from portfolio.core.models import StrategicObjective
from portfolio.core.permissions import can, refused_changes
from portfolio.core.services import versioned_update
from products.models import Feature, Product, Release, Theme

# The parents a feature hangs under: a new one must be one the user may add features to.
FEATURE_PARENTS = ("product", "release", "theme")


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


def _record_author(feature: Feature, user) -> None:
    """Name ``user`` in the history row the save writes, also outside a request (the demo, the shell, tasks)."""
    if getattr(user, "is_authenticated", False):
        feature._history_user = user


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
    _record_author(feature, user)
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
    _record_author(feature, user)
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
    _record_author(feature, user)
    return versioned_update(instance=feature, version=version, data=changes)


# The status flow: idea → planned → in progress → shipped; parked from any, and back from parked to idea or planned.
STATUS_FLOW: dict[str, tuple[str, ...]] = {
    Feature.Status.IDEA: (Feature.Status.PLANNED, Feature.Status.PARKED),
    Feature.Status.PLANNED: (Feature.Status.IN_PROGRESS, Feature.Status.PARKED),
    Feature.Status.IN_PROGRESS: (Feature.Status.SHIPPED, Feature.Status.PARKED),
    Feature.Status.SHIPPED: (Feature.Status.PARKED,),
    Feature.Status.PARKED: (Feature.Status.IDEA, Feature.Status.PLANNED),
}


def feature_next_statuses(*, feature: Feature) -> tuple[str, ...]:
    """The statuses the flow lets ``feature`` go to next (what the feature page offers as one-click steps)."""
    return STATUS_FLOW.get(feature.status, ())


@transaction.atomic
def feature_status_change(*, user, feature: Feature, version: int, status: str) -> Feature:
    """Take ``feature`` one step along the status flow (``STATUS_FLOW``) if it is still at ``version``.

    Only the step is checked against the flow: the edit form, the API and the admin still set any status, so a
    status set by mistake (shipped too early) can be put right in one edit.
    """
    _require(user, "products.change_feature", feature)
    if status not in feature_next_statuses(feature=feature):
        current = feature.get_status_display()
        raise ValidationError({"status": f"A feature that is {current.lower()} cannot go to this status next."})
    return feature_update(user=user, feature=feature, version=version, data={"status": status})


@transaction.atomic
def feature_delete(*, user, feature: Feature) -> None:
    """Delete ``feature`` (its feedback links go with it; the feedback stays)."""
    _require(user, "products.delete_feature", feature)
    feature.delete()
