"""Pages of a project's status reports: the list, a report, drafting from live data, editing, publishing, deleting.

Everyone signed in reads them; the project's editors (``programs.add_statusreport`` on the project) draft,
edit, publish and delete drafts; a published report is frozen. Leadership reads only. Writes go through
``programs.services``; a forced POST from anyone else gets 403 before its form is read.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portfolio.core.exceptions import ApplicationError, Conflict
from portfolio.core.permissions import can
from products.forms import show_errors
from programs import selectors, services
from programs.forms import StatusReportForm, StatusReportPublishForm
from programs.models import Project, StatusReport

FORM_FIELDS = services.STATUS_REPORT_FIELDS


def _project(pk: int) -> Project:
    try:
        return selectors.project_for_reports(pk=pk)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None


def _report(project: Project, pk: int) -> StatusReport:
    try:
        return selectors.status_report_of_project(project=project, pk=pk)
    except StatusReport.DoesNotExist:
        raise Http404("No such status report of this project.") from None


def _require(request, perm: str, obj) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied("You may not change this project's status reports.")


def _frozen(request, project: Project, report: StatusReport):
    messages.error(request, services.FROZEN_MESSAGE)
    return redirect("programs:status_report_detail", pk=project.pk, report_pk=report.pk)


@require_GET
def status_report_list(request, pk: int):
    """The project's reports, newest first, with their colours; its editors draft one from live data."""
    project = _project(pk)
    context = {
        "project": project,
        "reports": selectors.status_reports_of_project(project=project),
        "may_edit": can(request.user, "programs.add_statusreport", project),
    }
    return render(request, "programs/status_reports/list.html", context)


@require_POST
def status_report_draft(request, pk: int):
    """Draft this period's report from live data (or open the draft it has), then edit it."""
    project = _project(pk)
    _require(request, "programs.add_statusreport", project)
    try:
        report, created = services.status_report_draft(user=request.user, project=project)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("programs:status_report_list", pk=project.pk)
    messages.success(
        request, "Drafted from live data: check it, then publish." if created else "The draft of this period."
    )
    return redirect("programs:status_report_update", pk=project.pk, report_pk=report.pk)


@require_GET
def status_report_detail(request, pk: int, report_pk: int):
    """A report: its four colours, its texts and what changed since the previous report as its draft saw it."""
    project = _project(pk)
    report = _report(project, report_pk)
    context = {
        "project": project,
        "report": report,
        "data": report.live_data,
        "may_edit": not report.is_published and can(request.user, "programs.change_statusreport", report),
    }
    return render(request, "programs/status_reports/detail.html", context)


def _edit_context(project, report, form) -> dict:
    return {
        "project": project,
        "report": report,
        "form": form,
        "data": report.live_data,
        "proposed": [
            (
                name.capitalize(),
                report.live_data.get("rag", {}).get(name),
                report.live_data.get("reasons", {}).get(name),
                rule,
            )
            for name, rule in selectors.STATUS_RAG_RULES.items()
        ],
    }


@require_http_methods(["GET", "POST"])
def status_report_update(request, pk: int, report_pk: int):
    """Edit a draft; the proposed colours and why stand beside the form. A published report is not edited."""
    project = _project(pk)
    report = _report(project, report_pk)
    _require(request, "programs.change_statusreport", report)
    if report.is_published:
        return _frozen(request, project, report)
    initial = {name: getattr(report, name) for name in FORM_FIELDS} | {"version": report.version}
    form = StatusReportForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.status_report_update(
                    user=request.user, report=report, version=form.cleaned_data["version"], data=form.service_data()
                )
            except Conflict as conflict:
                form.add_error(None, conflict.message)
                status = 409
            except ApplicationError:
                return _frozen(request, project, report)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "The draft is saved.")
                return redirect("programs:status_report_detail", pk=project.pk, report_pk=report.pk)
        return render(request, "programs/status_reports/form.html", _edit_context(project, report, form), status=status)
    return render(request, "programs/status_reports/form.html", _edit_context(project, report, form))


def _confirm(request, project, report, *, title, consequence, action, danger, error=None, status=200):
    context = {
        "project": project,
        "report": report,
        "title": title,
        "consequence": consequence,
        "action": action,
        "danger": danger,
        "error": error,
        "form": StatusReportPublishForm(initial={"version": report.version}),
    }
    return render(request, "programs/status_reports/confirm.html", context, status=status)


@require_http_methods(["GET", "POST"])
def status_report_publish(request, pk: int, report_pk: int):
    """Confirm, then publish a draft: from then on it is frozen."""
    project = _project(pk)
    report = _report(project, report_pk)
    _require(request, "programs.change_statusreport", report)
    if report.is_published:
        return _frozen(request, project, report)
    texts = {
        "title": f"Publish the report of {report.period_end:%d %b %Y}",
        "consequence": "Once published, the report is frozen: nobody can change or delete it.",
        "action": "Publish",
        "danger": False,
    }
    if request.method == "POST":
        form = StatusReportPublishForm(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else report.version
        try:
            services.status_report_publish(user=request.user, report=report, version=version)
        except Conflict as conflict:
            return _confirm(request, project, report, **texts, error=conflict.message, status=409)
        except ApplicationError:
            return _frozen(request, project, report)
        messages.success(request, "The report is published.")
        return redirect("programs:status_report_detail", pk=project.pk, report_pk=report.pk)
    return _confirm(request, project, report, **texts)


@require_http_methods(["GET", "POST"])
def status_report_delete(request, pk: int, report_pk: int):
    """Confirm, then delete a draft; a published report stays."""
    project = _project(pk)
    report = _report(project, report_pk)
    _require(request, "programs.delete_statusreport", report)
    if report.is_published:
        return _frozen(request, project, report)
    if request.method == "POST":
        try:
            services.status_report_delete(user=request.user, report=report)
        except ApplicationError:
            return _frozen(request, project, report)
        messages.success(request, "The draft is deleted.")
        return redirect("programs:status_report_list", pk=project.pk)
    return _confirm(
        request,
        project,
        report,
        title=f"Delete the draft of {report.period_end:%d %b %Y}",
        consequence="The draft and what it says go; the live data stays, and a new draft can be made from it.",
        action="Delete",
        danger=True,
    )
