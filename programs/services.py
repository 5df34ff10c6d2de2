"""Writes of the programs app: portfolios, programs, projects and what hangs on them, each in one transaction.

Pages, the API and the admin call these alike. Each asks the rules (``portfolio.core.permissions``) with the
object and its parent, so a refused write raises ``PermissionDenied`` (403) or a field ``ValidationError`` (400)
before anything is saved; versioned objects are edited through ``versioned_update`` (a stale ``version``: 409).
"""

import datetime
import json
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from portfolio.core.exceptions import ApplicationError
from portfolio.core.permissions import can
from portfolio.core.services import versioned_update
from programs import selectors
from programs.models import Project, StatusReport


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
