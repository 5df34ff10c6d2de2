"""Writes shared by every app: optimistic-locking updates of versioned planning objects, sign-in failures."""

from typing import Any

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.db import transaction
from django.http import HttpRequest

from portfolio.core.exceptions import Conflict
from portfolio.core.models import VersionedModel

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
