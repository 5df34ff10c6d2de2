"""Writes of the programs app: portfolios, programs, projects and what hangs on them, each in one transaction.

Pages, the API and the admin call these alike. Each asks the rules (``portfolio.core.permissions``) with the
object and its parent, so a refused write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400)
before anything is saved; versioned objects are edited through ``versioned_update`` (a stale ``version``: 409).
"""

import copy
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portfolio.core.permissions import can, refused_changes, refused_links
from portfolio.core.services import versioned_update
from programs import selectors
from programs.models import Portfolio, Program, Project


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


# Portfolios, programs and projects
# -----------------------------------------------------------------------------
# The fields each takes from ``data`` (the parent and the many-to-many links are taken apart).
PORTFOLIO_FIELDS = ("name", "description", "owner", "fiscal_year", "budget")
PROGRAM_FIELDS = ("name", "description", "manager", "status", "budget", "start_date", "end_date")
PROJECT_FIELDS = (
    "name",
    "description",
    "manager",
    "product",
    "status",
    "start_date",
    "end_date",
    "budget",
    "health_override",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "job_size",
)
STRUCTURE_DELETE_REFUSED = (
    "{name} cannot be deleted: it still has {what}. Deleting it would lose them. "
    "Archive it instead: it leaves the lists and keeps everything, and can be restored."
)


def _fields(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set here."))
    return dict(data)


def _create(*, user, obj, parent_field: str | None, links: dict[str, list]):
    """Check ``obj`` (new) under its parent, save it and set its many-to-many ``links``."""
    if parent_field is not None:
        errors = refused_changes(user, obj, {parent_field: getattr(obj, parent_field)})
        if errors:
            raise PermissionDenied(next(iter(errors.values())))
    obj.full_clean()
    obj.save()
    for name, targets in links.items():
        if targets is not None:
            getattr(obj, name).set(targets)
    return obj


def _update(*, user, obj, version: int, data: dict[str, Any], parent_field: str | None, links: dict[str, list]):
    """Apply ``data`` to ``obj`` at ``version``: a new parent must take it, a new holder needs the hand-over right."""
    _require(user, f"programs.change_{obj._meta.model_name}", obj)
    edited = copy.copy(obj)
    for field, value in data.items():
        setattr(edited, field, value)
    parents = {parent_field: getattr(edited, parent_field)} if parent_field and parent_field in data else {}
    errors = refused_changes(user, edited, parents)
    if errors:
        raise ValidationError(errors)
    obj = versioned_update(instance=obj, version=version, data=data)
    for name, targets in links.items():
        if targets is not None:
            getattr(obj, name).set(targets)
    return obj


def _stored_version(obj) -> int:
    return type(obj).objects.values_list("version", flat=True).get(pk=obj.pk)


def _set_archived(*, user, obj, archived: bool):
    """Archive or restore ``obj`` (doing it again changes nothing); it keeps all it holds."""
    _require(user, f"programs.change_{obj._meta.model_name}", obj)
    if (obj.archived_at is not None) == archived:
        return obj
    value = timezone.now() if archived else None
    return versioned_update(instance=obj, version=_stored_version(obj), data={"archived_at": value})


def _delete(*, user, obj) -> None:
    """Delete ``obj``; refused (with what stands in the way and the offer to archive) while anything hangs on it."""
    _require(user, f"programs.delete_{obj._meta.model_name}", obj)
    blockers = selectors.delete_blockers(obj=obj)
    if blockers:
        what = ", ".join(f"{count} {label}" for label, count in blockers)
        raise ValidationError(STRUCTURE_DELETE_REFUSED.format(name=obj, what=what), code="protected")
    obj.delete()


@transaction.atomic
def portfolio_create(*, user, data: dict[str, Any]) -> Portfolio:
    """Create a portfolio; whoever creates it owns it unless ``owner`` names someone else (administrators only)."""
    _require(user, "programs.add_portfolio", None)
    data = _fields(data, PORTFOLIO_FIELDS)
    owner = data.pop("owner", None) or user
    if owner.pk != user.pk and not can(user, "programs.transfer_portfolio"):
        raise ValidationError({"owner": "Whoever creates a portfolio owns it; an administrator may name another."})
    return _create(user=user, obj=Portfolio(owner=owner, **data), parent_field=None, links={})


@transaction.atomic
def portfolio_update(*, user, portfolio: Portfolio, version: int, data: dict[str, Any]) -> Portfolio:
    """Apply ``data`` to ``portfolio`` if it is still at ``version``; a new owner only from its owner."""
    data = _fields(data, PORTFOLIO_FIELDS)
    return _update(user=user, obj=portfolio, version=version, data=data, parent_field=None, links={})


@transaction.atomic
def portfolio_archive(*, user, portfolio: Portfolio) -> Portfolio:
    return _set_archived(user=user, obj=portfolio, archived=True)


@transaction.atomic
def portfolio_restore(*, user, portfolio: Portfolio) -> Portfolio:
    return _set_archived(user=user, obj=portfolio, archived=False)


@transaction.atomic
def portfolio_delete(*, user, portfolio: Portfolio) -> None:
    """Delete an empty ``portfolio``; refused while it has programs (or anything else refers to it)."""
    _delete(user=user, obj=portfolio)


@transaction.atomic
def program_create(*, user, portfolio: Portfolio, data: dict[str, Any]) -> Program:
    """Create a program in ``portfolio``; managed by whoever creates it unless ``manager`` names someone."""
    _require(user, "programs.add_program", portfolio)
    data = _fields(data, (*PROGRAM_FIELDS, "objectives"))
    objectives = data.pop("objectives", None)
    data["manager"] = data.get("manager") or user
    program = Program(portfolio=portfolio, **data)
    return _create(user=user, obj=program, parent_field="portfolio", links={"objectives": objectives})


@transaction.atomic
def program_update(*, user, program: Program, version: int, data: dict[str, Any]) -> Program:
    """Apply ``data`` to ``program`` at ``version``; moving it needs the right to add to the new portfolio."""
    data = _fields(data, (*PROGRAM_FIELDS, "portfolio", "objectives"))
    objectives = data.pop("objectives", None)
    return _update(
        user=user, obj=program, version=version, data=data, parent_field="portfolio", links={"objectives": objectives}
    )


@transaction.atomic
def program_archive(*, user, program: Program) -> Program:
    return _set_archived(user=user, obj=program, archived=True)


@transaction.atomic
def program_restore(*, user, program: Program) -> Program:
    return _set_archived(user=user, obj=program, archived=False)


@transaction.atomic
def program_delete(*, user, program: Program) -> None:
    """Delete an empty ``program``; refused while it has projects, risks or anything else that refers to it."""
    _delete(user=user, obj=program)


def _check_features(project: Project, features) -> None:
    if features:
        errors = refused_links(project, "features", features)
        if errors:
            raise ValidationError(errors)


@transaction.atomic
def project_create(*, user, program: Program, data: dict[str, Any]) -> Project:
    """Create a project in ``program``; managed by whoever creates it unless ``manager`` names someone.

    ``features`` (the features it delivers) must be features of the project's product.
    """
    _require(user, "programs.add_project", program)
    data = _fields(data, (*PROJECT_FIELDS, "features"))
    features = data.pop("features", None)
    data["manager"] = data.get("manager") or user
    project = Project(program=program, **data)
    _check_features(project, features)
    return _create(user=user, obj=project, parent_field="program", links={"features": features})


@transaction.atomic
def project_update(*, user, project: Project, version: int, data: dict[str, Any]) -> Project:
    """Apply ``data`` to ``project`` at ``version``; moving it needs the right to add to the new program."""
    data = _fields(data, (*PROJECT_FIELDS, "program", "features"))
    features = data.pop("features", None)
    if features is not None:
        edited = copy.copy(project)
        if "product" in data:
            edited.product = data["product"]
        _check_features(edited, features)
    return _update(
        user=user, obj=project, version=version, data=data, parent_field="program", links={"features": features}
    )


@transaction.atomic
def project_archive(*, user, project: Project) -> Project:
    return _set_archived(user=user, obj=project, archived=True)


@transaction.atomic
def project_restore(*, user, project: Project) -> Project:
    return _set_archived(user=user, obj=project, archived=False)


@transaction.atomic
def project_delete(*, user, project: Project) -> None:
    """Delete ``project`` with its alignments and dependencies; refused while it holds milestones, allocations,
    cost entries, status reports, resource requests, risks or anything else."""
    _delete(user=user, obj=project)
