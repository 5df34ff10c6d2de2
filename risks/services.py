"""Writes of the risk register: risks and their mitigation actions, each in one transaction.

Pages, the API and the admin call these alike. A risk follows the project, program or product it hangs on: the
rules (``portfolio.core.permissions``) are asked with the risk and with the scope it is put on, so a refused
write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400) before anything is saved. Risks are
versioned (a stale ``version``: 409). Closing needs a note; "occurred" turns the risk into an issue.

Risks are deleted, not archived: closing is how a risk ends, so a delete is for one logged by mistake (its history
rows stay, as for every versioned object).
"""

import copy
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portfolio.core.permissions import can, refused_changes
from portfolio.core.services import versioned_update
from risks.models import CLOSING_NOTE_MESSAGE, ONE_SCOPE_MESSAGE, SCOPE_FIELDS, MitigationAction, Risk

RISK_FIELDS = (
    "kind",
    "title",
    "description",
    "category",
    "owner",
    "probability",
    "impact",
    "status",
    "response",
    "trigger",
    "review_date",
    "residual_probability",
    "residual_impact",
)
ACTION_FIELDS = ("description", "owner", "due_date")
# The statuses an edit may set; closing and "occurred" are their own steps (a note, the kind turned to issue).
EDITABLE_STATUSES = (Risk.Status.OPEN, Risk.Status.MITIGATING)
EDITABLE_STATUS_CHOICES = [(value, label) for value, label in Risk.Status.choices if value in EDITABLE_STATUSES]
STATUS_STEP_MESSAGE = "Use “Close” (with a closing note) or “Mark occurred” to set this status."
ALREADY_CLOSED = "This risk is already closed."
NOT_CLOSED_OR_OCCURRED = "Only a closed or occurred risk can be reopened."
ALREADY_OCCURRED = "This risk has already occurred."
REOPEN_FIRST = "Use “Reopen” to take a closed or occurred risk back to open."


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


def _fields(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set here."))
    return dict(data)


def _record_history_user(obj, user) -> None:
    """Name ``user`` in the history row the save writes, also outside a request (the demo, the shell)."""
    if getattr(user, "is_authenticated", False):
        obj._history_user = user


def _scopes(data: dict[str, Any]) -> dict[str, Any]:
    """The scope fields named in ``data`` (project, program, product), refused unless exactly one is set."""
    scopes = {name: data.pop(name) for name in SCOPE_FIELDS if name in data}
    chosen = [name for name, value in scopes.items() if value is not None]
    if len(chosen) != 1:
        raise ValidationError({(chosen[1] if len(chosen) > 1 else "project"): ONE_SCOPE_MESSAGE})
    return {name: scopes.get(name) for name in SCOPE_FIELDS}


def _check_status(status) -> None:
    if status is not None and status not in EDITABLE_STATUSES:
        raise ValidationError({"status": STATUS_STEP_MESSAGE})


@transaction.atomic
def risk_create(*, user, data: dict[str, Any]) -> Risk:
    """Log a risk on exactly one project, program or product the user may edit; its owner defaults to the user."""
    _require(user, "risks.add_risk", None)
    data = _fields(data, (*RISK_FIELDS, *SCOPE_FIELDS))
    scopes = _scopes(data)
    _check_status(data.get("status"))
    data["owner"] = data.get("owner") or user
    # Someone who edits no scope at all may log no risk (403, above); a scope they may not edit is a field error.
    risk = Risk(**scopes, **data)
    errors = refused_changes(user, risk, {name: value for name, value in scopes.items() if value is not None})
    if errors:
        raise ValidationError(errors)
    _record_history_user(risk, user)
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def risk_update(*, user, risk: Risk, version: int, data: dict[str, Any]) -> Risk:
    """Apply ``data`` to ``risk`` if it is still at ``version``; moving it needs the right to edit the new scope."""
    _require(user, "risks.change_risk", risk)
    data = _fields(data, (*RISK_FIELDS, *SCOPE_FIELDS))
    if any(name in data for name in SCOPE_FIELDS):
        data |= _scopes({name: data.get(name) for name in SCOPE_FIELDS})
    if "status" in data and data["status"] != risk.status:
        if risk.status in (Risk.Status.CLOSED, Risk.Status.OCCURRED):
            raise ValidationError({"status": REOPEN_FIRST})
        _check_status(data["status"])
    edited = copy.copy(risk)
    for field, value in data.items():
        setattr(edited, field, value)
    parents = {name: getattr(edited, name) for name in SCOPE_FIELDS if name in data}
    errors = refused_changes(user, edited, parents)
    if errors:
        raise ValidationError(errors)
    _record_history_user(risk, user)
    return versioned_update(instance=risk, version=version, data=data)


@transaction.atomic
def risk_close(*, user, risk: Risk, version: int, closing_note: str) -> Risk:
    """Close ``risk`` now with ``closing_note`` (why it no longer needs watching); a note is required."""
    _require(user, "risks.change_risk", risk)
    if risk.status == Risk.Status.CLOSED:
        raise ValidationError({"status": ALREADY_CLOSED})
    if not (closing_note or "").strip():
        raise ValidationError({"closing_note": CLOSING_NOTE_MESSAGE})
    _record_history_user(risk, user)
    data = {"status": Risk.Status.CLOSED, "closed_at": timezone.now(), "closing_note": closing_note.strip()}
    return versioned_update(instance=risk, version=version, data=data)


@transaction.atomic
def risk_reopen(*, user, risk: Risk, version: int) -> Risk:
    """Take a closed or occurred risk back to open; its closing note and time go (the history keeps them)."""
    _require(user, "risks.change_risk", risk)
    if risk.status not in (Risk.Status.CLOSED, Risk.Status.OCCURRED):
        raise ValidationError({"status": NOT_CLOSED_OR_OCCURRED})
    _record_history_user(risk, user)
    data = {"status": Risk.Status.OPEN, "closed_at": None, "closing_note": ""}
    return versioned_update(instance=risk, version=version, data=data)


@transaction.atomic
def risk_occurred(*, user, risk: Risk, version: int) -> Risk:
    """Record that ``risk`` happened: it becomes an issue (kind ``issue``, status ``occurred``), history kept."""
    _require(user, "risks.change_risk", risk)
    if risk.status == Risk.Status.OCCURRED:
        raise ValidationError({"status": ALREADY_OCCURRED})
    _record_history_user(risk, user)
    data = {"status": Risk.Status.OCCURRED, "kind": Risk.Kind.ISSUE, "closed_at": None, "closing_note": ""}
    return versioned_update(instance=risk, version=version, data=data)


@transaction.atomic
def risk_delete(*, user, risk: Risk) -> None:
    """Delete ``risk`` (one logged by mistake) with its mitigation actions."""
    _require(user, "risks.delete_risk", risk)
    risk.delete()


# --- Mitigation actions ----------------------------------------------------------------------------------------


@transaction.atomic
def mitigation_action_create(*, user, risk: Risk, data: dict[str, Any]) -> MitigationAction:
    """Add a mitigation action (what, who, by when) to ``risk``."""
    _require(user, "risks.add_mitigationaction", risk)
    action = MitigationAction(risk=risk, **_fields(data, ACTION_FIELDS))
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def mitigation_action_update(*, user, action: MitigationAction, data: dict[str, Any]) -> MitigationAction:
    """Change an action's description, owner or due date; ``done_at`` may be set or cleared too."""
    _require(user, "risks.change_mitigationaction", action)
    for field, value in _fields(data, (*ACTION_FIELDS, "done_at")).items():
        setattr(action, field, value)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def mitigation_action_complete(*, user, action: MitigationAction) -> MitigationAction:
    """Mark ``action`` done now (done already: unchanged)."""
    _require(user, "risks.change_mitigationaction", action)
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at", "updated_at"])
    return action


@transaction.atomic
def mitigation_action_reopen(*, user, action: MitigationAction) -> MitigationAction:
    """Take a done action back to open."""
    _require(user, "risks.change_mitigationaction", action)
    if action.done_at is not None:
        action.done_at = None
        action.save(update_fields=["done_at", "updated_at"])
    return action


@transaction.atomic
def mitigation_action_delete(*, user, action: MitigationAction) -> None:
    """Delete ``action``."""
    _require(user, "risks.delete_mitigationaction", action)
    action.delete()
