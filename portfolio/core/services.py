"""Writes shared by every app: optimistic-locking updates of versioned planning objects, sign-in failures."""

from typing import Any

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from portfolio.core.exceptions import Conflict
from portfolio.core.models import KeyResult, StrategicObjective, VersionedModel
from portfolio.core.permissions import can, refused_changes

STALE_MESSAGE = "This {model} was changed by someone else since you opened it. Reload to see the latest version."


@transaction.atomic
def versioned_update(*, instance: VersionedModel, version: int, data: dict[str, Any]) -> VersionedModel:
    """Apply ``data`` to ``instance`` if it is still at ``version``; raise ``Conflict`` otherwise.

    The row is locked while it is compared and saved, so two concurrent edits of the same
    version cannot both win. The save goes through the model (history is recorded).
    """
    model = type(instance)
    current = model.objects.select_for_update().only("version").get(pk=instance.pk)
    if current.version != version:
        raise Conflict(
            STALE_MESSAGE.format(model=model._meta.verbose_name),
            extra={"current_version": current.version},
        )
    for field, value in data.items():
        setattr(instance, field, value)
    instance.version = current.version + 1
    instance.full_clean()
    instance.save()
    return instance


def sign_in_failures_reset(*, request: HttpRequest, username: str) -> int:
    """Forget the failed sign-ins of ``username`` from the request's client address; return how many went.

    The login pages get this from django-axes when they sign the user in; the API's token exchange signs
    nobody in (no session), so it calls this after a successful exchange instead.
    """
    return axes_reset(ip=get_client_ip_address(request), username=username)


# --- Strategic objectives and key results ----------------------------------------------------------

OBJECTIVE_FIELDS = ("title", "description", "owner", "parent", "start_date", "end_date", "weight", "status")
KEY_RESULT_FIELDS = ("title", "unit", "start_value", "target_value", "current_value")


def _require(user, perm: str, obj=None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


def _only(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name in fields}


@transaction.atomic
def objective_create(*, user, data: dict[str, Any]) -> StrategicObjective:
    """Set a new strategic objective (program managers); its owner defaults to whoever sets it."""
    _require(user, "core.add_strategicobjective")
    data = {"owner": user, **_only(data, OBJECTIVE_FIELDS)}
    objective = StrategicObjective(**data)
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def objective_update(*, user, objective: StrategicObjective, version: int, data: dict[str, Any]) -> StrategicObjective:
    """Edit ``objective`` if it is still at ``version`` (its owner; handing it over follows ``may_transfer``)."""
    _require(user, "core.change_strategicobjective", objective)
    data = _only(data, OBJECTIVE_FIELDS)
    for field, value in data.items():
        setattr(objective, field, value)
    if errors := refused_changes(user, objective, {}):
        raise ValidationError(errors)
    return versioned_update(instance=objective, version=version, data=data)


@transaction.atomic
def key_result_create(*, user, objective: StrategicObjective, data: dict[str, Any]) -> KeyResult:
    """Add a key result to ``objective`` (its owner)."""
    key_result = KeyResult(objective=objective, **_only(data, KEY_RESULT_FIELDS))
    _require(user, "core.add_keyresult", key_result)
    key_result.full_clean()
    key_result.save()
    return key_result


@transaction.atomic
def key_result_update(*, user, key_result: KeyResult, data: dict[str, Any]) -> KeyResult:
    """Edit ``key_result`` (its objective's owner); it stays on its objective."""
    _require(user, "core.change_keyresult", key_result)
    for field, value in _only(data, KEY_RESULT_FIELDS).items():
        setattr(key_result, field, value)
    key_result.full_clean()
    key_result.save()
    return key_result


@transaction.atomic
def key_result_delete(*, user, key_result: KeyResult) -> None:
    """Remove ``key_result`` (its objective's owner)."""
    _require(user, "core.delete_keyresult", key_result)
    key_result.delete()
