"""Writes of the products app: features, a product's members, themes, releases and market analysis, each in one
transaction.

Pages and the API call these alike. Each asks the rules (``portfolio.core.permissions``) with the object and
its parent, so a refused write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400) before
anything is saved; edits go through ``versioned_update``, so a stale ``version`` raises ``Conflict`` (409).
"""

import copy
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from types import EllipsisType
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from portfolio.core.models import StrategicObjective, User
from portfolio.core.permissions import can, refused_changes, refused_links
from portfolio.core.services import versioned_update
from products import feedback_csv, selectors
from products.feedback_csv import ImportResult
from products.models import (
    RESERVED_SLUGS,
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)

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
    if "position" not in data:  # last of its horizon, a step after the last one (positions are spaced)
        horizon = data.get("horizon", Feature._meta.get_field("horizon").default)
        data["position"] = selectors.feature_next_position(product=product, horizon=horizon)
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
    asked = list(feature.feedback.values_list("pk", flat=True))
    feature.delete()
    # Feedback that asked for this feature alone is no longer linked: back to the triaged ones.
    orphaned = Feedback.objects.filter(pk__in=asked, status=Feedback.Status.LINKED, features__isnull=True)
    Feedback.objects.filter(pk__in=orphaned.values("pk")).update(status=Feedback.Status.TRIAGED)


# -----------------------------------------------------------------------------
# Feedback: entered, triaged, linked to features, archived and deleted; the features' demand kept current
# -----------------------------------------------------------------------------
FEEDBACK_PRODUCT_MESSAGE = "Feedback stays with the product it was given for."
FEEDBACK_LINK_MESSAGE = (
    "{features} {verb} not a feature of {product}: feedback links only to its own product's features."
)


def feature_demand_refresh(*, feature_ids) -> None:
    """Recount the stored ``demand`` and ``demand_count`` of the features ``feature_ids``, in the caller's transaction.

    The rows are locked first, in id order (two writers cannot deadlock), and recounted in a statement of its own:
    under READ COMMITTED that statement sees every link committed before the lock was granted, so two people
    linking feedback to one feature at once cannot lose each other's count. A recount, not an increment, so a
    figure cannot drift whatever wrote the links. ``update()`` writes no history row and bumps no ``version``:
    demand is not an edit, and must not make someone's open edit form stale.
    """
    ids = sorted(set(feature_ids))
    if not ids:
        return
    list(Feature.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    Feature.objects.filter(pk__in=ids).update(**selectors.demand_expressions())


def demand_recompute(*, product: Product | None = None) -> int:
    """Recount the demand of every feature (of ``product``) whose stored figures differ; the number repaired.

    One set-based statement (every link read once, grouped by feature) rather than a recount per feature: after a
    bulk load of a million links, before the tables have statistics, a per-feature subquery may scan the link
    table once per feature. Plain SQL that PostgreSQL and SQLite (3.33+) both run.
    """
    feature, link, feedback = (
        Feature._meta.db_table,
        Feedback.features.through._meta.db_table,
        Feedback._meta.db_table,
    )
    weights = " ".join(
        f"WHEN '{importance}' THEN {weight}" for importance, weight in selectors.IMPORTANCE_WEIGHTS.items()
    )
    only_product = "WHERE f.product_id = %s" if product is not None else ""
    sql = f"""
        UPDATE {feature} SET demand = counted.demand, demand_count = counted.items
        FROM (
            SELECT f.id AS feature_id, COUNT(fb.id) AS items,
                   COALESCE(SUM(CASE fb.importance {weights} ELSE 0 END), 0) AS demand
            FROM {feature} AS f
            LEFT JOIN {link} AS l ON l.feature_id = f.id
            LEFT JOIN {feedback} AS fb ON fb.id = l.feedback_id AND fb.status <> %s
            {only_product}
            GROUP BY f.id
        ) AS counted
        WHERE {feature}.id = counted.feature_id
          AND ({feature}.demand <> counted.demand OR {feature}.demand_count <> counted.items)
    """
    params = [Feedback.Status.ARCHIVED, *([product.pk] if product is not None else [])]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _check_links(*, feedback: Feedback, features: list[Feature]) -> None:
    """Refuse features of another product: validated here, and asked of the rules module again."""
    foreign = [feature for feature in features if feature.product_id != feedback.product_id]
    if foreign:
        names = ", ".join(f"“{feature}”" for feature in foreign[:3]) + (" …" if len(foreign) > 3 else "")
        verb = "is" if len(foreign) == 1 else "are"
        message = FEEDBACK_LINK_MESSAGE.format(features=names, verb=verb, product=feedback.product)
        raise ValidationError({"features": message})
    errors = refused_links(feedback, "features", features)
    if errors:
        raise ValidationError(errors)


def _settled_status(status: str, *, linked: bool) -> str:
    """Linked feedback is "linked" and feedback without links is not, whatever was asked; archived stays archived."""
    if status == Feedback.Status.ARCHIVED:
        return status
    if linked:
        return Feedback.Status.LINKED
    return Feedback.Status.TRIAGED if status == Feedback.Status.LINKED else status


def _feedback_save(*, feedback: Feedback, data: dict[str, Any], features: list[Feature] | None) -> Feedback:
    """Apply ``data``, replace the links with ``features`` (unless None), settle the status, recount demand."""
    data = dict(data)
    if "product" in data and feedback.pk is not None and data.pop("product") != feedback.product:
        raise ValidationError({"product": FEEDBACK_PRODUCT_MESSAGE})
    data.pop("product", None)
    before = set(feedback.features.values_list("pk", flat=True)) if feedback.pk is not None else set()
    for name, value in data.items():
        setattr(feedback, name, value)
    if features is not None:
        features = list(dict.fromkeys(features))
        _check_links(feedback=feedback, features=features)
    after = {feature.pk for feature in features} if features is not None else before
    feedback.status = _settled_status(feedback.status, linked=bool(after))
    feedback.full_clean()
    feedback.save()
    if features is not None:
        feedback.features.set(features)
    # Any change may move demand: a link made or undone, the importance re-weighed, the item archived or restored.
    feature_demand_refresh(feature_ids=before | after)
    return feedback


@transaction.atomic
def feedback_create(*, user, product: Product, data: dict[str, Any]) -> Feedback:
    """Record a feedback item for ``product`` (``data``: model fields, ``features`` as a list to link it to)."""
    _require(user, "products.add_feedback", product)
    data = dict(data)
    features = data.pop("features", None)
    data.pop("product", None)
    data.setdefault("received_at", timezone.now())
    return _feedback_save(feedback=Feedback(product=product), data=data, features=features)


@transaction.atomic
def feedback_update(*, user, feedback: Feedback, data: dict[str, Any]) -> Feedback:
    """Edit ``feedback``; ``features`` in ``data`` replaces its links."""
    _require(user, "products.change_feedback", feedback)
    data = dict(data)
    return _feedback_save(feedback=feedback, data=data, features=data.pop("features", None))


@transaction.atomic
def feedback_triage(
    *,
    user,
    feedback: Feedback,
    importance: str | EllipsisType = ...,
    sentiment: str | EllipsisType = ...,
    features: list[Feature] | EllipsisType = ...,
) -> Feedback:
    """Triage ``feedback`` (what is left as ``...`` stays): it leaves the new ones, "linked" if it has links."""
    _require(user, "products.change_feedback", feedback)
    data: dict[str, Any] = {"importance": importance, "sentiment": sentiment}
    data = {name: value for name, value in data.items() if value is not ...}
    if feedback.status == Feedback.Status.NEW:
        data["status"] = Feedback.Status.TRIAGED
    return _feedback_save(feedback=feedback, data=data, features=None if features is ... else features)


@transaction.atomic
def feedback_link(*, user, feedback: Feedback, features: list[Feature]) -> Feedback:
    """Link ``feedback`` to ``features`` too (those of its own product only); it becomes "linked"."""
    _require(user, "products.change_feedback", feedback)
    linked = list(feedback.features.all())
    return _feedback_save(feedback=feedback, data={}, features=[*linked, *features])


@transaction.atomic
def feedback_unlink(*, user, feedback: Feedback, features: list[Feature]) -> Feedback:
    """Undo the links of ``feedback`` to ``features``; without links left it is "triaged"."""
    _require(user, "products.change_feedback", feedback)
    gone = {feature.pk for feature in features}
    kept = [feature for feature in feedback.features.all() if feature.pk not in gone]
    return _feedback_save(feedback=feedback, data={}, features=kept)


@transaction.atomic
def feedback_archive(*, user, feedback: Feedback) -> Feedback:
    """Archive ``feedback``: it leaves the inbox and stops counting towards demand; its links are kept."""
    _require(user, "products.change_feedback", feedback)
    return _feedback_save(feedback=feedback, data={"status": Feedback.Status.ARCHIVED}, features=None)


@transaction.atomic
def feedback_restore(*, user, feedback: Feedback) -> Feedback:
    """Bring archived ``feedback`` back: "linked" if it has links (and counts again), else "triaged"."""
    _require(user, "products.change_feedback", feedback)
    if feedback.status != Feedback.Status.ARCHIVED:
        return feedback
    return _feedback_save(feedback=feedback, data={"status": Feedback.Status.TRIAGED}, features=None)


@transaction.atomic
def feedback_delete(*, user, feedback: Feedback) -> None:
    """Delete ``feedback``; the features it was linked to lose its demand."""
    _require(user, "products.delete_feedback", feedback)
    linked = set(feedback.features.values_list("pk", flat=True))
    feedback.delete()
    feature_demand_refresh(feature_ids=linked)


@transaction.atomic
def feedback_create_feature(*, user, feedback: Feedback, data: dict[str, Any]) -> Feature:
    """Create a feature of the feedback's product from ``data`` (see ``feature_create``) and link ``feedback`` to it."""
    _require(user, "products.change_feedback", feedback)
    feature = feature_create(user=user, product=feedback.product, data=data)
    feedback_link(user=user, feedback=feedback, features=[feature])
    feature.refresh_from_db(fields=["demand", "demand_count"])
    return feature


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


# A product's members, themes and releases
# -----------------------------------------------------------------------------
OWNER_STAYS_EDITOR = "The product's owner always edits it: their role stays editor."
OWNER_STAYS_MEMBER = "The product's owner cannot leave its team: hand the product over to someone else first."
MEMBER_FIELDS = ("role", "function")
THEME_FIELDS = ("name", "colour", "position")
RELEASE_FIELDS = ("name", "description", "target_date", "status", "released_on")


@contextmanager
def _unique_error_on(field: str) -> Iterator[None]:
    """Name ``field`` in a unique constraint's error (Django reports a custom message as a non-field error)."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict") and NON_FIELD_ERRORS in error.error_dict:
            error.error_dict.setdefault(field, []).extend(error.error_dict.pop(NON_FIELD_ERRORS))
        raise


def _only(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return dict(data)


def _check_owner_role(membership: ProductMember) -> None:
    if membership.user_id == membership.product.owner_id and membership.role != ProductMember.Role.EDITOR:
        raise ValidationError({"role": OWNER_STAYS_EDITOR})


@transaction.atomic
def product_member_add(
    *, user, product: Product, member: User, role: str | None = None, function: str | None = None
) -> ProductMember:
    """Add ``member`` to ``product``'s team: a viewer (the owner an editor) in their own function, unless told."""
    _require(user, "products.add_productmember", product)
    if role is None:
        role = ProductMember.Role.EDITOR if member.pk == product.owner_id else ProductMember.Role.VIEWER
    membership = ProductMember(
        product=product, user=member, role=role, function=member.function if function is None else function
    )
    _check_owner_role(membership)
    with _unique_error_on("user"):
        membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def product_member_update(*, user, membership: ProductMember, data: dict[str, Any]) -> ProductMember:
    """Change a member's ``role`` and/or ``function``; the owner stays an editor."""
    _require(user, "products.change_productmember", membership)
    for field, value in _only(data, MEMBER_FIELDS).items():
        setattr(membership, field, value)
    _check_owner_role(membership)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def product_member_remove(*, user, membership: ProductMember) -> None:
    """Take a member off the product's team (never its owner)."""
    _require(user, "products.delete_productmember", membership)
    if membership.user_id == membership.product.owner_id:
        raise ValidationError({"user": OWNER_STAYS_MEMBER})
    membership.delete()


@transaction.atomic
def theme_create(*, user, product: Product, data: dict[str, Any]) -> Theme:
    """Add a theme (roadmap swimlane) to ``product``, after its last one unless ``data`` gives a position."""
    _require(user, "products.add_theme", product)
    data = _only(data, THEME_FIELDS)
    if data.get("position") is None:
        last = Theme.objects.filter(product=product).aggregate(last=Max("position"))["last"]
        data["position"] = 0 if last is None else last + 1
    theme = Theme(product=product, **data)
    with _unique_error_on("name"):
        theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, user, theme: Theme, data: dict[str, Any]) -> Theme:
    """Rename, recolour or reposition ``theme``."""
    _require(user, "products.change_theme", theme)
    for field, value in _only(data, THEME_FIELDS).items():
        setattr(theme, field, value)
    with _unique_error_on("name"):
        theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_move(*, user, theme: Theme, direction: Literal["up", "down"]) -> Theme:
    """Swap ``theme`` with its neighbour above or below; the lanes are renumbered 0, 1, 2… (changed rows only)."""
    _require(user, "products.change_theme", theme)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move a theme up or down."})
    lanes = Theme.objects.select_for_update().filter(product_id=theme.product_id)
    themes = list(lanes.order_by("position", "name", "id"))
    index = next(i for i, row in enumerate(themes) if row.pk == theme.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(themes):
        themes[index], themes[other] = themes[other], themes[index]
    changed = []
    for position, row in enumerate(themes):
        if row.position != position:
            row.position = position
            changed.append(row)
    Theme.objects.bulk_update(changed, ["position"])
    return next(row for row in themes if row.pk == theme.pk)


@transaction.atomic
def theme_delete(*, user, theme: Theme) -> int:
    """Delete ``theme``; its features stay, in no theme. Return how many features that was."""
    _require(user, "products.delete_theme", theme)
    features = Feature.objects.filter(theme=theme).count()  # before the delete sets their theme to none
    theme.delete()
    return features


def _release_date(data: dict[str, Any], *, release: Release | None) -> dict[str, Any]:
    """Date a release released today when it becomes released without a date; clear the date when it reopens."""
    status = data.get("status", release.status if release else Release.Status.PLANNED)
    released_on = data.get("released_on", release.released_on if release else None)
    if status == Release.Status.RELEASED and released_on is None:
        data["released_on"] = timezone.localdate()
    elif "status" in data and status != Release.Status.RELEASED and "released_on" not in data:
        data["released_on"] = None
    return data


@transaction.atomic
def release_create(*, user, product: Product, data: dict[str, Any]) -> Release:
    """Plan a release of ``product`` (a released one is dated today unless ``data`` says when)."""
    _require(user, "products.add_release", product)
    data = _release_date(_only(data, RELEASE_FIELDS), release=None)
    release = Release(product=product, **data)
    with _unique_error_on("name"):
        release.full_clean()
    release.save()
    return release


@transaction.atomic
def release_update(*, user, release: Release, version: int, data: dict[str, Any]) -> Release:
    """Apply ``data`` to ``release`` if it is still at ``version``; the status flow dates or un-dates it."""
    _require(user, "products.change_release", release)
    data = _release_date(_only(data, RELEASE_FIELDS), release=release)
    with _unique_error_on("name"):
        return versioned_update(instance=release, version=version, data=data)


@transaction.atomic
def release_delete(*, user, release: Release) -> int:
    """Delete ``release``; its features stay, unscheduled. Return how many features that was."""
    _require(user, "products.delete_release", release)
    features = Feature.objects.filter(release=release).count()
    release.delete()
    return features


# -----------------------------------------------------------------------------
# Market analysis: competitors and market insights
# -----------------------------------------------------------------------------
COMPETITOR_FIELDS = ("name", "website", "positioning", "strengths", "weaknesses", "pricing", "threat_level")
INSIGHT_FIELDS = ("kind", "title", "segment", "evidence", "estimated_value")
COMPETITOR_TAKEN = "This competitor is already listed for the product."
INSIGHT_FEATURES_MESSAGE = "Choose features of this insight's product: {names} {verb} to another product."


def _check_product(*, user, obj: Competitor | MarketInsight, product: Product | None) -> None:
    """Refuse moving ``obj`` to a product the user may not add to (compared with the stored row)."""
    if product is None:
        return
    errors = refused_changes(user, obj, {"product": product})
    if errors:
        raise ValidationError(errors)


def _save_competitor(competitor: Competitor) -> Competitor:
    """Check and save ``competitor``; a name the product already lists (in any case) is an error on ``name``."""
    with _unique_error_on("name"):
        competitor.full_clean()
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin that passed the check loses here, not with a 500
            competitor.save()
    except IntegrityError:
        raise ValidationError({"name": COMPETITOR_TAKEN}) from None
    return competitor


@transaction.atomic
def competitor_create(*, user, product: Product, data: dict[str, Any]) -> Competitor:
    """List a competitor of ``product`` from ``data`` (name, website, positioning, …, threat level)."""
    _require(user, "products.add_competitor", product)
    competitor = Competitor(product=product, **_only(data, COMPETITOR_FIELDS))
    return _save_competitor(competitor)


@transaction.atomic
def competitor_update(*, user, competitor: Competitor, data: dict[str, Any]) -> Competitor:
    """Apply ``data`` to ``competitor``; a new ``product`` must be one the user may add competitors to."""
    _require(user, "products.change_competitor", competitor)
    data = _only(data, (*COMPETITOR_FIELDS, "product"))
    for field, value in data.items():
        setattr(competitor, field, value)
    _check_product(user=user, obj=competitor, product=data.get("product"))
    return _save_competitor(competitor)


@transaction.atomic
def competitor_delete(*, user, competitor: Competitor) -> None:
    """Take ``competitor`` off its product's market analysis."""
    _require(user, "products.delete_competitor", competitor)
    competitor.delete()


def _check_insight_features(insight: MarketInsight, features: list[Feature]) -> None:
    """Refuse features of another product than the insight's: the service's check, then the rules module's."""
    foreign = [feature for feature in features if feature.product_id != insight.product_id]
    if foreign:
        names = ", ".join(f"“{feature}”" for feature in foreign[:3]) + (" …" if len(foreign) > 3 else "")
        verb = "belongs" if len(foreign) == 1 else "belong"
        raise ValidationError({"features": INSIGHT_FEATURES_MESSAGE.format(names=names, verb=verb)})
    errors = refused_links(insight, "features", features)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def insight_create(*, user, product: Product, data: dict[str, Any]) -> MarketInsight:
    """Record a market insight of ``product`` from ``data``; ``features`` (its product's own) are linked to it."""
    _require(user, "products.add_marketinsight", product)
    data = _only(data, (*INSIGHT_FIELDS, "features"))
    features: list[Feature] = list(data.pop("features", None) or [])
    insight = MarketInsight(product=product, **data)
    insight.full_clean()
    _check_insight_features(insight, features)
    insight.save()
    if features:
        insight.features.set(features)
    return insight


@transaction.atomic
def insight_update(*, user, insight: MarketInsight, data: dict[str, Any]) -> MarketInsight:
    """Apply ``data`` to ``insight``; ``features``, when given, replace its links (all of its product's own).

    A new ``product`` must be one the user may add insights to, and the links kept must be features of it.
    """
    _require(user, "products.change_marketinsight", insight)
    data = _only(data, (*INSIGHT_FIELDS, "features", "product"))
    features: list[Feature] | None = data.pop("features", None)
    for field, value in data.items():
        setattr(insight, field, value)
    _check_product(user=user, obj=insight, product=data.get("product"))
    insight.full_clean()
    kept = list(insight.features.all()) if features is None else list(features)
    _check_insight_features(insight, kept)
    insight.save()
    if features is not None:
        insight.features.set(features)
    return insight


@transaction.atomic
def insight_link(*, user, insight: MarketInsight, features: list[Feature]) -> MarketInsight:
    """Link ``features`` (of the insight's product) to ``insight``, keeping its other links."""
    _require(user, "products.change_marketinsight", insight)
    features = list(features)
    _check_insight_features(insight, features)
    insight.features.add(*features)
    return insight


@transaction.atomic
def insight_unlink(*, user, insight: MarketInsight, features: list[Feature]) -> MarketInsight:
    """Unlink ``features`` from ``insight`` (features it was not linked to are ignored)."""
    _require(user, "products.change_marketinsight", insight)
    insight.features.remove(*features)
    return insight


@transaction.atomic
def insight_delete(*, user, insight: MarketInsight) -> None:
    """Delete ``insight`` (its links go with it; the features stay)."""
    _require(user, "products.delete_marketinsight", insight)
    insight.delete()


# Product metrics: KPIs and their dated readings
# -----------------------------------------------------------------------------
METRIC_FIELDS = ("name", "unit", "target", "direction")
READING_FIELDS = ("date", "value")


@transaction.atomic
def metric_create(*, user, product: Product, data: dict[str, Any]) -> ProductMetric:
    """Add a KPI (name, unit, optional target, direction) to ``product``."""
    _require(user, "products.add_productmetric", product)
    metric = ProductMetric(product=product, **_only(data, METRIC_FIELDS))
    with _unique_error_on("name"):
        metric.full_clean()
    metric.save()
    return metric


@transaction.atomic
def metric_update(*, user, metric: ProductMetric, data: dict[str, Any]) -> ProductMetric:
    """Rename a KPI, or change its unit, target or direction."""
    _require(user, "products.change_productmetric", metric)
    for field, value in _only(data, METRIC_FIELDS).items():
        setattr(metric, field, value)
    with _unique_error_on("name"):
        metric.full_clean()
    metric.save()
    return metric


@transaction.atomic
def metric_delete(*, user, metric: ProductMetric) -> int:
    """Delete a KPI with its readings. Return how many readings went with it."""
    _require(user, "products.delete_productmetric", metric)
    readings = MetricReading.objects.filter(metric=metric).count()
    metric.delete()
    return readings


@transaction.atomic
def reading_create(*, user, metric: ProductMetric, data: dict[str, Any]) -> MetricReading:
    """Record the KPI's ``value`` on ``date`` (one reading per KPI and date)."""
    _require(user, "products.add_metricreading", metric)
    reading = MetricReading(metric=metric, **_only(data, READING_FIELDS))
    with _unique_error_on("date"):
        reading.full_clean()
    reading.save()
    return reading


@transaction.atomic
def reading_update(*, user, reading: MetricReading, data: dict[str, Any]) -> MetricReading:
    """Correct a reading's date or value."""
    _require(user, "products.change_metricreading", reading)
    for field, value in _only(data, READING_FIELDS).items():
        setattr(reading, field, value)
    with _unique_error_on("date"):
        reading.full_clean()
    reading.save()
    return reading


@transaction.atomic
def reading_delete(*, user, reading: MetricReading) -> None:
    """Delete a reading."""
    _require(user, "products.delete_metricreading", reading)
    reading.delete()


# Feedback import
# -----------------------------------------------------------------------------
IMPORT_BATCH = 500  # rows per INSERT


@transaction.atomic
def feedback_import(*, user, product: Product, file, dry_run: bool) -> ImportResult:
    """Read a CSV file (bytes or a file object) of feedback for ``product``; unless ``dry_run``, save every row.

    All or nothing: each row is checked as a single item is (``full_clean``), and one error anywhere imports
    nothing; the result lists the errors by line and column. The file is refused whole past
    ``FEEDBACK_IMPORT_MAX_BYTES`` or ``FEEDBACK_IMPORT_MAX_ROWS``. Imported items are new, for the inbox to triage;
    those whose row names features (``features``) are linked to them, and the features' demand is recounted.
    """
    _require(user, "products.add_feedback", product)
    try:
        data = feedback_csv.read_bytes(file, max_bytes=settings.FEEDBACK_IMPORT_MAX_BYTES)
    except feedback_csv.FileRefused as refused:
        return ImportResult(errors=[refused.error], error_count=1, dry_run=dry_run)
    result = feedback_csv.read_file(product=product, data=data, max_rows=settings.FEEDBACK_IMPORT_MAX_ROWS)
    result.dry_run = dry_run
    for item in result.items:  # the links a row names stay inside the product, as feedback_link checks
        try:
            _check_links(feedback=item, features=item.import_features)
        except ValidationError as error:
            for message in error.message_dict.get("features", error.messages):
                result.add(item.import_line, "features", message)
    if not result.ok:
        result.items = []
    if dry_run or not result.ok:
        return result
    result.items = Feedback.objects.bulk_create(result.items, batch_size=IMPORT_BATCH)
    links = [
        Feedback.features.through(feedback_id=item.pk, feature_id=feature.pk)
        for item in result.items
        for feature in item.import_features
    ]
    Feedback.features.through.objects.bulk_create(links, batch_size=IMPORT_BATCH)
    feature_demand_refresh(feature_ids={link.feature_id for link in links})
    result.created = len(result.items)
    return result
