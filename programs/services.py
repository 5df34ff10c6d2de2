"""Writes of the programs app: portfolios, programs, projects and what hangs on them, each in one transaction.

Pages, the API and the admin call these alike. Each asks the rules (``portfolio.core.permissions``) with the
object and its parent, so a refused write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400)
before anything is saved; versioned objects are edited through ``versioned_update`` (a stale ``version``: 409).
"""

from django.core.exceptions import PermissionDenied

from portfolio.core.permissions import can


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")
