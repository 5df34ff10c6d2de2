"""Capacity pages: the utilisation heat map, the resources (list, detail, create, edit, deactivate, delete) and a
project's "People" tab (its allocations, added, changed and removed).

Everyone signed in reads them. Program managers add and edit resources; the editors of a project's program
allocate people to it. A forced POST from anyone else gets 403 before its form is read. Writes go through
``programs.services``; a refusal is shown on the form with a 400, a refused delete with a 409.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can
from products.forms import show_errors
from programs import selectors, services
from programs.forms import (
    AllocationEditForm,
    AllocationForm,
    HeatMapFilterForm,
    ResourceEditForm,
    ResourceFilterForm,
    ResourceForm,
)
from programs.models import Allocation, Resource
from programs.views.delivery import _page, _project, _require

STALE = "Someone else changed this meanwhile: nothing was saved. Here it is as it is now."
DETAIL_WEEKS = 13


def _save(form, write) -> bool:
    """Run ``write()`` for a valid form; a refusal by the service goes on the form. Whether it saved."""
    if not form.is_valid():
        return False
    try:
        write()
    except Conflict:
        form.add_error(None, STALE)
        return False
    except ValidationError as error:
        show_errors(form, error)
        return False
    return True


# --- The heat map -----------------------------------------------------------------------------------------------


def _level(percent: int) -> int:
    """The shade of a cell: 0 (nothing), 1–4 (up to 25, 50, 75, 100 %), 5 (over)."""
    if percent > selectors.FULL_ALLOCATION_PERCENT:
        return 5
    return 0 if percent == 0 else min(4, (percent + 24) // 25)


def _cells_html(row, weeks_labels: list[str]) -> str:
    """One person's cells, built here rather than in the template: a year of 200 people is 10 400 cells."""
    name = escape(row["resource"].name)
    parts = []
    for cell, label in zip(row["cells"], weeks_labels, strict=True):
        percent, over_by = cell["percent"], cell["over_by"]
        text = f"{percent} %"
        said = f"{name}, week of {label}: {percent} % of capacity"
        if over_by:
            said += f", {over_by} % over"
            text += f' <span class="over-by">{over_by} % over</span>'
        parts.append(f'<td class="num heat heat-{_level(percent)}" title="{said}">{text}</td>')
    return mark_safe("".join(parts))  # noqa: S308 (the name is escaped, the rest are numbers and dates)


def _grid_context(grid) -> dict:
    labels = [f"{monday:%d %b %Y}" for monday in grid["weeks"]]
    totals = {total["function"]: total for total in grid["totals"]}
    groups: list[dict] = []
    for row in grid["rows"]:
        function = row["resource"].function
        if not groups or groups[-1]["function"] != function:
            groups.append({"function": function, "total": totals[function], "rows": []})
        row["cells_html"] = _cells_html(row, labels)
        groups[-1]["rows"].append(row)
    return {"weeks": grid["weeks"], "groups": groups, "last_day": grid["weeks"][-1] + datetime.timedelta(days=6)}


def heat_map(request):
    """Resources × weeks for a period and a function: percent of capacity, over-allocation in colour and in words,
    and per function the average utilisation and how many people are over each week."""
    today = timezone.localdate()
    form = HeatMapFilterForm(request.GET or None, today=today)
    context = {"form": form, "may_add": can(request.user, "programs.add_resource")}
    if request.GET and not form.is_valid():
        status = 200 if request.htmx else 400  # htmx swaps only 2xx answers: the errors come back in the partial
        template = "programs/capacity/_heat_map.html" if request.htmx else "programs/capacity/heat_map.html"
        return render(request, template, context, status=status)
    start, end = selectors.heat_map_period(
        start=form.cleaned_data.get("start") if form.is_bound else None,
        end=form.cleaned_data.get("end") if form.is_bound else None,
        today=today,
    )
    function = form.cleaned_data.get("function", "") if form.is_bound else ""
    grid = selectors.utilization_grid(start=start, end=end, function=function or None)
    labels = dict(HeatMapFilterForm.base_fields["function"].choices)
    context |= _grid_context(grid) | {"function_label": labels.get(function, "") if function else ""}
    template = "programs/capacity/_heat_map.html" if request.htmx else "programs/capacity/heat_map.html"
    return render(request, template, context)


# --- Resources --------------------------------------------------------------------------------------------------


def _resource(pk: int) -> Resource:
    resource = Resource.objects.select_related("user").filter(pk=pk).first()
    if resource is None:
        raise Http404("No such person.")
    return resource


def _require_resource(request, perm: str, resource=None) -> None:
    if not can(request.user, perm, resource):
        raise PermissionDenied("You may not change people.")


def resource_list(request):
    """The people who can be allocated: filtered by function and status, searched by name."""
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    resources = list(
        selectors.resource_page_list(
            function=filters.get("function", ""), active=filters.get("active") or "active", q=filters.get("q", "")
        )
    )
    context = {"form": form, "resources": resources, "may_add": can(request.user, "programs.add_resource")}
    return render(request, "programs/capacity/resource_list.html", context)


def resource_detail(request, pk: int):
    """A person: their allocations and their utilisation for the coming weeks."""
    resource = _resource(pk)
    (row,) = selectors.resource_utilization(
        resources_qs=Resource.objects.filter(pk=resource.pk), start=timezone.localdate(), weeks=DETAIL_WEEKS
    )
    context = {
        "resource": resource,
        "allocations": selectors.resource_allocations(resource=resource),
        "weeks": row["weeks"],
        "may_change": can(request.user, "programs.change_resource", resource),
        "may_delete": can(request.user, "programs.delete_resource", resource),
    }
    return render(request, "programs/capacity/resource_detail.html", context)


@require_http_methods(["GET", "POST"])
def resource_create(request):
    """Add a person who can be allocated (program managers)."""
    _require_resource(request, "programs.add_resource")
    form = ResourceForm()
    if request.method == "POST":
        form = ResourceForm(request.POST)
        created: list[Resource] = []
        if _save(form, lambda: created.append(services.resource_create(user=request.user, data=form.cleaned_data))):
            messages.success(request, f"{created[0]} was added.")
            return redirect("programs:resource_detail", pk=created[0].pk)
    status = 400 if form.errors else 200
    return render(request, "programs/capacity/resource_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def resource_update(request, pk: int):
    """Edit a person (a stale version is shown as a form error, with the person as they are now)."""
    resource = _resource(pk)
    _require_resource(request, "programs.change_resource", resource)
    form = ResourceEditForm(instance=resource, initial={"version": resource.version})
    if request.method == "POST":
        form = ResourceEditForm(request.POST, instance=_resource(pk))
        if _save(
            form,
            lambda: services.resource_update(
                user=request.user,
                resource=resource,
                version=form.cleaned_data["version"],
                data={name: form.cleaned_data[name] for name in services.RESOURCE_FIELDS},
            ),
        ):
            messages.success(request, f"{resource} was saved.")
            return redirect("programs:resource_detail", pk=resource.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "resource": resource}
    return render(request, "programs/capacity/resource_form.html", context, status=status)


@require_POST
def resource_deactivate(request, pk: int):
    """Take a person out of the heat map and the choices; their allocations stay and no longer count."""
    resource = _resource(pk)
    _require_resource(request, "programs.change_resource", resource)
    services.resource_deactivate(user=request.user, resource=resource)
    messages.success(request, f"{resource} was deactivated: they no longer count in the heat map.")
    return redirect("programs:resource_detail", pk=resource.pk)


@require_http_methods(["GET", "POST"])
def resource_delete(request, pk: int):
    """Confirm, then delete a person; refused (409) while they have allocations, with the offer to deactivate."""
    resource = _resource(pk)
    _require_resource(request, "programs.delete_resource", resource)
    refusal, status = "", 200
    if request.method == "POST":
        try:
            services.resource_delete(user=request.user, resource=resource)
        except ValidationError as error:
            refusal, status = " ".join(error.messages), 409
        else:
            messages.success(request, f"{resource} was deleted.")
            return redirect("programs:resource_list")
    context = {
        "resource": resource,
        "allocation_count": Allocation.objects.filter(resource=resource).count(),
        "refusal": refusal,
        "may_change": can(request.user, "programs.change_resource", resource),
    }
    return render(request, "programs/capacity/resource_confirm_delete.html", context, status=status)


# --- A project's people -------------------------------------------------------------------------------------------


def _availability_period(request, project) -> tuple[datetime.date, datetime.date]:
    """The period the allocation form shows who is free for: ``?start=&end=``, else what is left of the project."""
    today = timezone.localdate()
    start = max(project.start_date, today) if project.end_date >= today else project.start_date
    end = project.end_date
    form = HeatMapFilterForm(request.GET, today=today)
    if request.GET and form.is_valid():
        start = form.cleaned_data["start"] if request.GET.get("start") else start
        end = form.cleaned_data["end"] if request.GET.get("end") else end
    if selectors.heat_map_period_errors(start=start, end=end):
        end = min(max(start, end), start + datetime.timedelta(weeks=selectors.MAX_GRID_WEEKS - 1))
    return start, end


def _allocation(project, pk: int) -> Allocation:
    allocation = Allocation.objects.select_related("resource").filter(project=project, pk=pk).first()
    if allocation is None:
        raise Http404("No such allocation in this project.")
    allocation.project = project  # the rules read the program from it
    return allocation


@require_http_methods(["GET", "POST"])
def allocation_list(request, pk: int):
    """Who is allocated to the project (percent, dates, planned cost); its program's editors add people, choosing
    among the active ones with what is free of each for the period."""
    project = _project(pk)
    start, end = _availability_period(request, project)
    availability = selectors.availability_by_name(start=start, end=end)
    initial = {"start_date": start, "end_date": end, "percent": 50}
    form = AllocationForm(initial=initial, availability=availability)
    if request.method == "POST":
        _require(request, "programs.add_allocation", project)
        form = AllocationForm(request.POST, availability=availability)
        if _save(form, lambda: services.allocation_create(user=request.user, project=project, **form.cleaned_data)):
            messages.success(request, f"{form.cleaned_data['resource']} was allocated to {project}.")
            return redirect("programs:allocation_list", pk=project.pk)
    allocations = selectors.project_allocations(project=project)
    return _page(
        request,
        "programs/capacity/allocation_list.html",
        project,
        "people",
        "allocation",
        form,
        allocations=allocations,
        period_start=start,
        period_end=end,
        heat_map_url=f"{reverse('programs:capacity')}?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
    )


@require_http_methods(["GET", "POST"])
def allocation_update(request, pk: int, allocation_pk: int):
    """Change someone's percent, dates or note on the project (a stale version is a form error)."""
    project = _project(pk)
    allocation = _allocation(project, allocation_pk)
    _require(request, "programs.change_allocation", allocation)
    availability = selectors.availability_by_name(start=allocation.start_date, end=allocation.end_date)
    values = {name: getattr(allocation, name) for name in ("resource", "percent", "start_date", "end_date", "note")}
    form = AllocationEditForm(
        initial=values | {"version": allocation.version}, availability=availability, current=allocation.resource
    )
    if request.method == "POST":
        form = AllocationEditForm(request.POST, availability=availability, current=allocation.resource)
        if _save(
            form,
            lambda: services.allocation_update(
                user=request.user,
                allocation=allocation,
                version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in values},
            ),
        ):
            messages.success(request, f"{allocation.resource}'s allocation was saved.")
            return redirect("programs:allocation_list", pk=project.pk)
    return _page(
        request,
        "programs/capacity/allocation_form.html",
        project,
        "people",
        "allocation",
        form,
        allocation=allocation,
    )


@require_POST
def allocation_delete(request, pk: int, allocation_pk: int):
    """Take someone off the project (refused while a resource request points at the allocation)."""
    project = _project(pk)
    allocation = _allocation(project, allocation_pk)
    _require(request, "programs.delete_allocation", allocation)
    try:
        services.allocation_delete(user=request.user, allocation=allocation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{allocation.resource} was taken off {project}.")
    return redirect("programs:allocation_list", pk=project.pk)
