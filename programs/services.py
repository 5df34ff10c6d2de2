"""Writes of the programs app: portfolios, programs, projects and what hangs on them, each in one transaction.

Pages, the API and the admin call these alike. Each asks the rules (``portfolio.core.permissions``) with the
object and its parent, so a refused write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400)
before anything is saved; versioned objects are edited through ``versioned_update`` (a stale ``version``: 409).
"""

import copy
import datetime
import json
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from portfolio.core.exceptions import ApplicationError
from portfolio.core.permissions import can, refused_changes, refused_links
from portfolio.core.services import versioned_update
from programs import selectors
from programs.models import Portfolio, Program, Project, StatusReport


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


# --- Status reports ------------------------------------------------------------------------------
# A report is drafted from live data, edited while a draft, then published; a published report is frozen.

STATUS_REPORT_FIELDS = (
    "period_end",
    "overall",
    "schedule",
    "budget",
    "scope",
    "summary",
    "accomplishments",
    "next_steps",
    "blockers",
)
FROZEN_MESSAGE = "This report is published and can no longer be changed."
PERIOD_TAKEN_MESSAGE = "The project already has a published status report for this period."


def _names(rows: list[dict], key: str = "name") -> str:
    return "; ".join(str(row[key]) for row in rows)


def _draft_texts(data: selectors.StatusReportDraftData) -> dict[str, str]:
    """The text a draft starts from: what the live data says, for the manager to edit."""
    budget = data["budget"]
    done, slipped = data["milestones_done"], data["milestones_slipped"]
    shipped, parked = data["features_shipped"], data["features_parked"]
    burn = "no budget" if budget["burn_percent"] is None else f"{budget['burn_percent']} % of the budget spent"
    summary = (
        f"Since {data['since']:%d %b %Y}: {len(done)} milestone(s) done, {len(slipped)} slipped, "
        f"{len(shipped)} feature(s) shipped; {burn} with {budget['elapsed_percent']} % of the time elapsed."
    )
    accomplishments = [f"Milestone done: {m['name']} ({m['completed_on']:%d %b})" for m in done]
    accomplishments += [f"Feature shipped: {f['title']}" for f in shipped]
    next_steps = [f"Recover milestone {m['name']} (due {m['due_date']:%d %b}, {m['why']})" for m in slipped]
    blockers = [f"Feature parked: {f['title']}" for f in parked]
    blockers += [f"Risk raised: {r['title']} (score {r['score']})" for r in data["risks"]["new"]]
    return {
        "summary": summary,
        "accomplishments": "\n".join(accomplishments),
        "next_steps": "\n".join(next_steps),
        "blockers": "\n".join(blockers),
    }


def _as_json(data) -> dict:
    """The draft data as the JSON field stores it (dates and amounts as strings)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _record_report_author(report: StatusReport, user) -> None:
    if getattr(user, "is_authenticated", False):
        report._history_user = user


def _unique_period(error: ValidationError) -> ValidationError:
    """Name ``period_end`` in the one-report-per-period error (Django reports it as a non-field error)."""
    if hasattr(error, "error_dict") and NON_FIELD_ERRORS in error.error_dict:
        error.error_dict.setdefault("period_end", []).extend(error.error_dict.pop(NON_FIELD_ERRORS))
    return error


def _stored_unfrozen(report: StatusReport) -> StatusReport:
    """Lock the stored row and refuse a published report (the stored one, whatever the caller holds)."""
    stored = StatusReport.objects.select_for_update().only("status", "version").get(pk=report.pk)
    if stored.status == StatusReport.Status.PUBLISHED:
        raise ApplicationError(FROZEN_MESSAGE)
    return stored


@transaction.atomic
def status_report_draft(
    *, user, project: Project, period_end: datetime.date | None = None
) -> tuple[StatusReport, bool]:
    """Create the project's draft for the period ending ``period_end`` (today) from live data; or return the
    draft that exists for that period. Return ``(report, created)``."""
    _require(user, "programs.add_statusreport", project)
    period_end = period_end or timezone.localdate()
    existing = StatusReport.objects.select_for_update().filter(project=project, period_end=period_end).first()
    if existing is not None:
        if existing.is_published:
            raise ValidationError({"period_end": PERIOD_TAKEN_MESSAGE})
        return existing, False
    data = selectors.status_report_draft_data(project=project, today=period_end)
    rag = data["rag"]
    report = StatusReport(
        project=project,
        period_end=period_end,
        author=user,
        overall=rag["overall"],
        schedule=rag["schedule"],
        budget=rag["budget"],
        scope=rag["scope"],
        live_data=_as_json(data),
        **_draft_texts(data),
    )
    _record_report_author(report, user)
    try:
        report.full_clean()
    except ValidationError as error:
        raise _unique_period(error) from None
    try:
        with transaction.atomic():  # a draft saved for the period by a concurrent request in the meantime
            report.save()
    except IntegrityError:
        raise ValidationError({"period_end": StatusReport._meta.constraints[0].violation_error_message}) from None
    return report, True


@transaction.atomic
def status_report_update(*, user, report: StatusReport, version: int, data: dict[str, Any]) -> StatusReport:
    """Apply ``data`` (RAG, texts, period end) to a draft still at ``version``; a published report is refused."""
    _require(user, "programs.change_statusreport", report)
    unknown = set(data) - set(STATUS_REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    _stored_unfrozen(report)
    _record_report_author(report, user)
    try:
        return versioned_update(instance=report, version=version, data=data)
    except ValidationError as error:
        raise _unique_period(error) from None


@transaction.atomic
def status_report_publish(*, user, report: StatusReport, version: int | None = None) -> StatusReport:
    """Publish a draft (at ``version`` when given): it gets its publication time and is frozen from then on.

    Publishing a published report changes nothing (as archiving an archived product does).
    """
    _require(user, "programs.change_statusreport", report)
    stored = StatusReport.objects.select_for_update().only("status", "version").get(pk=report.pk)
    if stored.status == StatusReport.Status.PUBLISHED:
        report.refresh_from_db()
        return report
    _record_report_author(report, user)
    return versioned_update(
        instance=report,
        version=stored.version if version is None else version,
        data={"status": StatusReport.Status.PUBLISHED, "published_at": timezone.now()},
    )


@transaction.atomic
def status_report_delete(*, user, report: StatusReport) -> None:
    """Delete a draft; a published report stays."""
    _require(user, "programs.delete_statusreport", report)
    _stored_unfrozen(report)
    report.delete()


# -----------------------------------------------------------------------------
# Delivery: milestones, dependencies between projects, cost entries and a project's objectives
# -----------------------------------------------------------------------------
import datetime  # noqa: E402 (this section's own imports, kept with it)
from collections import deque  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from typing import Any  # noqa: E402

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from portfolio.core.models import StrategicObjective  # noqa: E402
from programs.models import CostEntry, Dependency, Milestone, Project, ProjectObjective  # noqa: E402

MILESTONE_FIELDS = ("name", "due_date", "completed_on", "is_key")
COST_ENTRY_FIELDS = ("date", "amount", "category", "note")
DEPENDENCY_SELF = "A project cannot depend on itself."
DEPENDENCY_TAKEN = "These two projects are already linked."
DEPENDENCY_CYCLE = "This would close a cycle of projects that block each other: {path}."
ALIGNMENT_TAKEN = "The project is already aligned to this objective."
# The key of the transaction-level advisory lock every "blocks" dependency add takes on PostgreSQL.
DEPENDENCY_GRAPH_LOCK = 0x70646570


def _only_fields(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return dict(data)


def _record_history_user(obj, user) -> None:
    """Name ``user`` in the history row the save writes, also outside a request (the demo, the shell)."""
    if getattr(user, "is_authenticated", False):
        obj._history_user = user


@contextmanager
def _error_on(field: str) -> Iterator[None]:
    """Name ``field`` in a unique constraint's error (Django reports a custom message as a non-field error)."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict") and NON_FIELD_ERRORS in error.error_dict:
            error.error_dict.setdefault(field, []).extend(error.error_dict.pop(NON_FIELD_ERRORS))
        raise


@transaction.atomic
def milestone_create(*, user, project: Project, data: dict[str, Any]) -> Milestone:
    """Add a milestone (name, due date, key or not, done on a date or not) to ``project``."""
    _require(user, "programs.add_milestone", project)
    milestone = Milestone(project=project, **_only_fields(data, MILESTONE_FIELDS))
    _record_history_user(milestone, user)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, user, milestone: Milestone, version: int, data: dict[str, Any]) -> Milestone:
    """Apply ``data`` to ``milestone`` if it is still at ``version`` (a stale one: ``Conflict``)."""
    _require(user, "programs.change_milestone", milestone)
    _record_history_user(milestone, user)
    return versioned_update(instance=milestone, version=version, data=_only_fields(data, MILESTONE_FIELDS))


@transaction.atomic
def milestone_complete(
    *, user, milestone: Milestone, version: int, completed_on: datetime.date | None = None
) -> Milestone:
    """Mark ``milestone`` done on ``completed_on`` (today unless told)."""
    day = completed_on or timezone.localdate()
    return milestone_update(user=user, milestone=milestone, version=version, data={"completed_on": day})


@transaction.atomic
def milestone_reopen(*, user, milestone: Milestone, version: int) -> Milestone:
    """Take a done milestone back to open (it counts as late again once past its due date)."""
    return milestone_update(user=user, milestone=milestone, version=version, data={"completed_on": None})


@transaction.atomic
def milestone_delete(*, user, milestone: Milestone) -> None:
    """Delete ``milestone``."""
    _require(user, "programs.delete_milestone", milestone)
    milestone.delete()


def _lock_dependency_graph(projects: list[Project]) -> None:
    """Serialise the writers of "blocks" dependencies, so two adds cannot each miss the other's half of a cycle.

    On PostgreSQL a transaction-level advisory lock on the whole graph (a cycle may run through any project), and
    the two projects' rows locked as well so neither is deleted meanwhile; SQLite writes one transaction at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DEPENDENCY_GRAPH_LOCK])
    ids = sorted(project.pk for project in projects)
    list(Project.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def blocking_path(*, start: Project, goal: Project) -> list[int] | None:
    """The ids of the shortest chain of "blocks" dependencies from ``start`` to ``goal`` (both included), or None."""
    edges: dict[int, list[int]] = {}
    blocks = Dependency.objects.filter(kind=Dependency.Kind.BLOCKS).order_by("from_project_id", "to_project_id")
    for source, target in blocks.values_list("from_project_id", "to_project_id"):
        edges.setdefault(source, []).append(target)
    came_from: dict[int, int | None] = {start.pk: None}
    queue = deque([start.pk])
    while queue:
        node = queue.popleft()
        if node == goal.pk:
            path = [node]
            while came_from[path[-1]] is not None:
                path.append(came_from[path[-1]])
            return path[::-1]
        for target in edges.get(node, ()):
            if target not in came_from:
                came_from[target] = node
                queue.append(target)
    return None


def dependency_cycle_message(from_project: Project, path: list[int]) -> str:
    """The refusal of a "blocks" link from ``from_project`` that ``path`` (back to it) would close into a cycle."""
    names = dict(Project.objects.filter(pk__in=path).values_list("pk", "name"))
    cycle = " → ".join([from_project.name, *(names[pk] for pk in path)])
    return DEPENDENCY_CYCLE.format(path=cycle)


@transaction.atomic
def dependency_add(
    *, user, from_project: Project, to_project: Project, kind: str = Dependency.Kind.BLOCKS, note: str = ""
) -> Dependency:
    """Link ``from_project`` to ``to_project`` ("blocks" or "relates to"); a "blocks" closing a cycle is refused.

    The refusal names the cycle ("Launch → Pilot → Launch"). The check runs under a lock on the dependency graph,
    so two concurrent adds that would together close a cycle cannot both succeed.
    """
    _require(user, "programs.add_dependency", from_project)
    if from_project.pk == to_project.pk:
        raise ValidationError({"to_project": DEPENDENCY_SELF})
    _lock_dependency_graph([from_project, to_project])
    pair = Dependency.objects.filter(from_project=from_project, to_project=to_project) | Dependency.objects.filter(
        from_project=to_project, to_project=from_project
    )
    existing = list(pair.values_list("kind", flat=True))
    if kind == Dependency.Kind.BLOCKS:
        path = blocking_path(start=to_project, goal=from_project)
        if path is not None:
            raise ValidationError({"to_project": dependency_cycle_message(from_project, path)})
    if existing:
        raise ValidationError({"to_project": DEPENDENCY_TAKEN})
    dependency = Dependency(from_project=from_project, to_project=to_project, kind=kind, note=note)
    with _error_on("to_project"):
        dependency.full_clean()
    dependency.save()
    return dependency


@transaction.atomic
def dependency_remove(*, user, dependency: Dependency) -> None:
    """Remove ``dependency`` (asked of the project it starts from)."""
    _require(user, "programs.delete_dependency", dependency)
    dependency.delete()


@transaction.atomic
def cost_entry_create(*, user, project: Project, data: dict[str, Any]) -> CostEntry:
    """Book a cost (date, amount of zero or more, category, note) on ``project``."""
    _require(user, "programs.add_costentry", project)
    entry = CostEntry(project=project, **_only_fields(data, COST_ENTRY_FIELDS))
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def cost_entry_update(*, user, entry: CostEntry, data: dict[str, Any]) -> CostEntry:
    """Correct a booked cost."""
    _require(user, "programs.change_costentry", entry)
    for field, value in _only_fields(data, COST_ENTRY_FIELDS).items():
        setattr(entry, field, value)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def cost_entry_delete(*, user, entry: CostEntry) -> None:
    """Delete a booked cost."""
    _require(user, "programs.delete_costentry", entry)
    entry.delete()


@transaction.atomic
def project_objective_add(
    *, user, project: Project, objective: StrategicObjective, contribution: int = 2
) -> ProjectObjective:
    """Align ``project`` to ``objective`` with a contribution of 1 (some), 2 (strong) or 3 (essential)."""
    _require(user, "programs.add_projectobjective", project)
    alignment = ProjectObjective(project=project, objective=objective, contribution=contribution)
    with _error_on("objective"):
        alignment.full_clean()
    alignment.save()
    return alignment


@transaction.atomic
def project_objective_update(*, user, alignment: ProjectObjective, contribution: int) -> ProjectObjective:
    """Change how much the project contributes to the objective (1–3)."""
    _require(user, "programs.change_projectobjective", alignment)
    alignment.contribution = contribution
    alignment.full_clean()
    alignment.save()
    return alignment


@transaction.atomic
def project_objective_remove(*, user, alignment: ProjectObjective) -> None:
    """Take the project off the objective."""
    _require(user, "programs.delete_projectobjective", alignment)
    alignment.delete()


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


def _children(obj) -> list:
    """The programs and projects under a portfolio, or the projects of a program (a project has none)."""
    if isinstance(obj, Portfolio):
        programs = list(Program.objects.filter(portfolio=obj).order_by("id"))
        return [*programs, *Project.objects.filter(program__in=programs).order_by("id")]
    if isinstance(obj, Program):
        return list(Project.objects.filter(program=obj).order_by("id"))
    return []


def _set_archived(*, user, obj, archived: bool):
    """Archive or restore ``obj`` (doing it again changes nothing); it keeps all it holds.

    Archiving takes what is under it along (a portfolio's programs and projects, a program's projects), stamped
    with the same time; restoring brings back what was archived with it and leaves alone what had been archived
    on its own before. Whoever may change a portfolio or program may change everything under it (the rules).
    """
    _require(user, f"programs.change_{obj._meta.model_name}", obj)
    if (obj.archived_at is not None) == archived:
        return obj
    stamp = obj.archived_at
    value = timezone.now() if archived else None
    for child in _children(obj):
        if archived and child.archived_at is None or not archived and child.archived_at == stamp:
            versioned_update(instance=child, version=child.version, data={"archived_at": value})
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


# -----------------------------------------------------------------------------
# Capacity: allocations of people to projects
# -----------------------------------------------------------------------------
from programs.models import Allocation, Resource, ResourceRequest  # noqa: E402

ALLOCATION_FIELDS = ("resource", "project", "percent", "start_date", "end_date", "note")
RESOURCE_INACTIVE = "{name} is no longer active: choose someone active."
PROJECT_CLOSED = "This project is {status}: people are no longer allocated to it."
ALLOCATION_REQUESTED = (
    "This allocation was made by approving a resource request, which still points at it: "
    "it cannot be deleted. Change its dates or percent instead."
)


def allocation_target_errors(allocation: Allocation, *, resource_changed: bool, project_changed: bool) -> dict:
    """The field errors of an allocation's person (inactive) and project (completed or cancelled), if changed."""
    errors = {}
    if resource_changed and not allocation.resource.active:
        errors["resource"] = RESOURCE_INACTIVE.format(name=allocation.resource)
    if project_changed and allocation.project.status in selectors.CLOSED_PROJECT_STATUSES:
        errors["project"] = PROJECT_CLOSED.format(status=allocation.project.get_status_display().lower())
    return errors


def _check_allocation_targets(allocation: Allocation, *, resource_changed: bool, project_changed: bool) -> None:
    """Refuse an inactive person or a closed project; the person's row is locked (and read again), so a concurrent
    deactivation or delete waits for this allocation (and then sees it)."""
    allocation.resource = Resource.objects.select_for_update().get(pk=allocation.resource_id)
    errors = allocation_target_errors(allocation, resource_changed=resource_changed, project_changed=project_changed)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def allocation_create(
    *,
    user,
    project: Project,
    resource: Resource,
    percent: int,
    start_date: datetime.date,
    end_date: datetime.date,
    note: str = "",
) -> Allocation:
    """Allocate ``percent`` of ``resource``'s capacity to ``project`` from ``start_date`` to ``end_date``.

    Decided by the editors of the project's program; an inactive person and a completed or cancelled project
    are refused.
    """
    _require(user, "programs.add_allocation", project)
    allocation = Allocation(
        project=project, resource=resource, percent=percent, start_date=start_date, end_date=end_date, note=note
    )
    _check_allocation_targets(allocation, resource_changed=True, project_changed=True)
    _record_history_user(allocation, user)
    allocation.full_clean()
    allocation.save()
    return allocation


@transaction.atomic
def allocation_update(*, user, allocation: Allocation, version: int, **fields) -> Allocation:
    """Apply ``fields`` to ``allocation`` if it is still at ``version``; moving it to another project needs the
    right to allocate there, and a new person or project is checked as on creation."""
    _require(user, "programs.change_allocation", allocation)
    fields = _fields(fields, ALLOCATION_FIELDS)
    edited = copy.copy(allocation)
    for field, value in fields.items():
        setattr(edited, field, value)
    project_changed = "project" in fields and edited.project_id != allocation.project_id
    if project_changed:
        _require(user, "programs.add_allocation", edited.project)
    resource_changed = "resource" in fields and edited.resource_id != allocation.resource_id
    _check_allocation_targets(edited, resource_changed=resource_changed, project_changed=project_changed)
    _record_history_user(allocation, user)
    return versioned_update(instance=allocation, version=version, data=fields)


@transaction.atomic
def allocation_delete(*, user, allocation: Allocation) -> None:
    """Take ``allocation`` off; refused while a resource request points at it (it was made by approving one)."""
    _require(user, "programs.delete_allocation", allocation)
    Allocation.objects.select_for_update().filter(pk=allocation.pk).values_list("pk", flat=True).first()
    if ResourceRequest.objects.filter(allocation=allocation).exists():
        raise ValidationError(ALLOCATION_REQUESTED, code="protected")
    allocation.delete()


# Resources: the people allocated
RESOURCE_FIELDS = ("name", "user", "function", "capacity_hours", "cost_rate", "active")
RESOURCE_DELETE_REFUSED = (
    "{name} cannot be deleted: they have {count} allocation(s), which would be lost with them. "
    "Deactivate them instead: they leave the heat map and the choices, and keep their history."
)


@transaction.atomic
def resource_create(*, user, data: dict[str, Any]) -> Resource:
    """Add a person who can be allocated: name, function, capacity (hours a week), cost rate, optional user."""
    _require(user, "programs.add_resource", None)
    resource = Resource(**_fields(data, RESOURCE_FIELDS))
    _record_history_user(resource, user)
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def resource_update(*, user, resource: Resource, version: int, data: dict[str, Any]) -> Resource:
    """Apply ``data`` to ``resource`` if it is still at ``version``."""
    _require(user, "programs.change_resource", resource)
    _record_history_user(resource, user)
    return versioned_update(instance=resource, version=version, data=_fields(data, RESOURCE_FIELDS))


@transaction.atomic
def resource_deactivate(*, user, resource: Resource, version: int | None = None) -> Resource:
    """Take ``resource`` out of the heat map and the choices; their allocations stay, and no longer count."""
    _require(user, "programs.change_resource", resource)
    version = _stored_version(resource) if version is None else version
    return resource_update(user=user, resource=resource, version=version, data={"active": False})


@transaction.atomic
def resource_delete(*, user, resource: Resource) -> None:
    """Delete ``resource``; refused while they have allocations (the offer: deactivate them)."""
    _require(user, "programs.delete_resource", resource)
    Resource.objects.select_for_update().filter(pk=resource.pk).values_list("pk", flat=True).first()
    count = Allocation.objects.filter(resource=resource).count()
    if count:
        raise ValidationError(RESOURCE_DELETE_REFUSED.format(name=resource, count=count), code="protected")
    resource.delete()


# -----------------------------------------------------------------------------
# Resource requests: filed by a product manager, decided by the project's program
# -----------------------------------------------------------------------------
from django.db.models import F  # noqa: E402

from portfolio.core.exceptions import Conflict  # noqa: E402

CLOSED_PROJECT = "People cannot be requested for a completed, cancelled or archived project."
OTHER_FUNCTION = (
    "{name} works in {theirs}, not {wanted}. Choose someone in {wanted}, or tick “assign despite a different function”."
)
ALREADY_DECIDED = "This request is no longer pending: it was {status} in the meantime."
NOTE_REQUIRED = "Say why the request is rejected."


def _open_project(project: Project) -> bool:
    return project.status not in selectors.CLOSED_PROJECT_STATUSES and project.archived_at is None


@transaction.atomic
def resource_request_file(
    *,
    user,
    product,
    project: Project,
    function: str,
    percent: int,
    start_date: datetime.date,
    end_date: datetime.date,
    justification: str,
    resource: Resource | None = None,
) -> ResourceRequest:
    """File a request for ``percent`` of someone in ``function`` on ``project``, for a product the user edits."""
    _require(user, "programs.add_resourcerequest", product)
    if not _open_project(project):
        raise ValidationError({"project": CLOSED_PROJECT})
    if resource is not None and not resource.active:
        raise ValidationError({"resource": RESOURCE_INACTIVE.format(name=resource)})
    request = ResourceRequest(
        product=product,
        project=project,
        requested_by=user,
        function=function,
        resource=resource,
        percent=percent,
        start_date=start_date,
        end_date=end_date,
        justification=justification,
    )
    _record_history_user(request, user)
    request.full_clean()
    request.save()
    return request


def _claim(*, user, request: ResourceRequest, **decision) -> ResourceRequest:
    """Record ``decision`` on ``request`` if it is still pending (else ``Conflict``), with its history row.

    The conditional update is the claim: of two decisions racing for one request, the second finds no pending
    row (PostgreSQL re-reads it once the first commits) and gets the 409.
    """
    decided = copy.copy(request)
    for field, value in decision.items():
        setattr(decided, field, value)
    decided.full_clean()
    claimed = ResourceRequest.objects.filter(pk=request.pk, status=ResourceRequest.Status.PENDING).update(
        **decision, version=F("version") + 1, updated_at=timezone.now()
    )
    if claimed == 0:
        status = ResourceRequest.objects.filter(pk=request.pk).values_list("status", flat=True).first()
        raise Conflict(ALREADY_DECIDED.format(status=status or "deleted"))
    stored = ResourceRequest.objects.get(pk=request.pk)
    _record_history_user(stored, user)
    stored.save(update_fields=["updated_at"])  # writes the history row of the decision
    return stored


@transaction.atomic
def resource_request_approve(
    *, user, request: ResourceRequest, resource: Resource, note: str = "", override_function: bool = False
) -> ResourceRequest:
    """Approve a pending request with ``resource``, allocating them to its project for its percent and period.

    A person of another function than the one asked for is refused unless ``override_function``. The allocation
    and the decision are saved together or not at all.
    """
    _require(user, "programs.decide_resourcerequest", request)
    if not request.is_pending:
        raise Conflict(ALREADY_DECIDED.format(status=request.status))
    if resource.function != request.function and not override_function:
        theirs = resource.get_function_display().lower()
        wanted = request.get_function_display().lower()
        raise ValidationError({"resource": OTHER_FUNCTION.format(name=resource.name, theirs=theirs, wanted=wanted)})
    allocation = allocation_create(
        user=user,
        project=request.project,
        resource=resource,
        percent=request.percent,
        start_date=request.start_date,
        end_date=request.end_date,
        note=f"Resource request #{request.pk}",
    )
    return _claim(
        user=user,
        request=request,
        status=ResourceRequest.Status.APPROVED,
        decided_by=user,
        decided_at=timezone.now(),
        decision_note=note,
        allocation=allocation,
    )


@transaction.atomic
def resource_request_reject(*, user, request: ResourceRequest, note: str) -> ResourceRequest:
    """Reject a pending request, saying why in ``note``."""
    _require(user, "programs.decide_resourcerequest", request)
    if not request.is_pending:
        raise Conflict(ALREADY_DECIDED.format(status=request.status))
    if not (note or "").strip():
        raise ValidationError({"note": NOTE_REQUIRED})
    return _claim(
        user=user,
        request=request,
        status=ResourceRequest.Status.REJECTED,
        decided_by=user,
        decided_at=timezone.now(),
        decision_note=note.strip(),
    )


@transaction.atomic
def resource_request_cancel(*, user, request: ResourceRequest) -> ResourceRequest:
    """Withdraw a pending request its requester filed (when is kept in ``decided_at``)."""
    as_pending = copy.copy(request)
    as_pending.status = ResourceRequest.Status.PENDING
    _require(user, "programs.cancel_resourcerequest", as_pending)
    return _claim(user=user, request=request, status=ResourceRequest.Status.CANCELLED, decided_at=timezone.now())
