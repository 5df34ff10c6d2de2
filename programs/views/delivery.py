"""A project's delivery pages: milestones, dependencies, costs and objectives.

Everyone signed in reads them; the project's editors (its program's manager, the portfolio's owner, the project's
manager) see the controls, and a forced POST from anyone else gets 403 before its form is read. Writes go through
``programs.services``; a refusal (a cycle of "blocks" named, a negative amount) is shown on the form with a 400.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can
from products.forms import show_errors
from programs import selectors, services
from programs.forms import (
    AlignmentForm,
    ContributionForm,
    CostEntryForm,
    DependencyForm,
    MilestoneEditForm,
    MilestoneForm,
    VersionForm,
)
from programs.models import CostEntry, Dependency, Milestone, Project, ProjectObjective


def _project(pk: int) -> Project:
    try:
        return selectors.project_for_delivery(pk=pk)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None


def _row(model, project: Project, pk: int, field: str = "project"):
    """The row ``pk`` of ``project``; 404 for one of another project."""
    row = model.objects.filter(**{field: project}, pk=pk).first()
    if row is None:
        raise Http404(f"No such {model._meta.verbose_name} in this project.")
    setattr(row, field, project)  # the rules read the program from it
    return row


def _require(request, perm: str, obj) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied("You may not change this project.")


def _save(form, write) -> bool:
    """Run ``write()`` for a valid form; a refusal by the service goes on the form. Whether it saved."""
    if not form.is_valid():
        return False
    try:
        write()
    except Conflict as conflict:
        form.add_error(None, conflict.message)
        return False
    except ValidationError as error:
        show_errors(form, error)
        return False
    return True


def _page(request, template: str, project: Project, tab: str, model: str, form, **extra):
    context = {
        "project": project,
        "tab": tab,
        "may_edit": can(request.user, f"programs.add_{model}", project),
        "form": form,
        "today": timezone.localdate(),
        **extra,
    }
    status = 400 if request.method == "POST" and form is not None and form.errors else 200
    return render(request, template, context, status=status)


# --- Milestones -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def milestone_list(request, pk: int):
    """The project's milestones (late ones flagged, key ones marked); its editors add, complete and delete them."""
    project = _project(pk)
    form = MilestoneForm()
    if request.method == "POST":
        _require(request, "programs.add_milestone", project)
        form = MilestoneForm(request.POST)
        if _save(form, lambda: services.milestone_create(user=request.user, project=project, data=form.cleaned_data)):
            messages.success(request, f"Milestone “{form.cleaned_data['name']}” added.")
            return redirect("programs:milestone_list", pk=project.pk)
    milestones = list(selectors.project_milestones(project=project))
    return _page(
        request,
        "programs/delivery/milestone_list.html",
        project,
        "milestones",
        "milestone",
        form,
        milestones=milestones,
    )


@require_http_methods(["GET", "POST"])
def milestone_update(request, pk: int, milestone_pk: int):
    """Edit a milestone (a stale version is shown as a form error)."""
    project = _project(pk)
    milestone = _row(Milestone, project, milestone_pk)
    _require(request, "programs.change_milestone", milestone)
    form = MilestoneEditForm(instance=milestone, initial={"version": milestone.version})
    if request.method == "POST":
        form = MilestoneEditForm(request.POST, instance=Milestone.objects.get(pk=milestone.pk))
        if _save(
            form,
            lambda: services.milestone_update(
                user=request.user,
                milestone=milestone,
                version=form.cleaned_data["version"],
                data={name: form.cleaned_data[name] for name in ("name", "due_date", "is_key", "completed_on")},
            ),
        ):
            messages.success(request, f"Milestone “{milestone.name}” saved.")
            return redirect("programs:milestone_list", pk=project.pk)
    return _page(
        request, "programs/delivery/milestone_form.html", project, "milestones", "milestone", form, milestone=milestone
    )


def _milestone_step(request, pk: int, milestone_pk: int, step, done: str):
    project = _project(pk)
    milestone = _row(Milestone, project, milestone_pk)
    _require(request, "programs.change_milestone", milestone)
    form = VersionForm(request.POST)
    if _save(form, lambda: step(user=request.user, milestone=milestone, version=form.cleaned_data["version"])):
        messages.success(request, f"Milestone “{milestone.name}” {done}.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("programs:milestone_list", pk=project.pk)


@require_POST
def milestone_complete(request, pk: int, milestone_pk: int):
    """Mark a milestone done today."""
    return _milestone_step(request, pk, milestone_pk, services.milestone_complete, "marked done")


@require_POST
def milestone_reopen(request, pk: int, milestone_pk: int):
    """Take a done milestone back to open."""
    return _milestone_step(request, pk, milestone_pk, services.milestone_reopen, "reopened")


@require_POST
def milestone_delete(request, pk: int, milestone_pk: int):
    """Delete a milestone."""
    project = _project(pk)
    milestone = _row(Milestone, project, milestone_pk)
    _require(request, "programs.delete_milestone", milestone)
    services.milestone_delete(user=request.user, milestone=milestone)
    messages.success(request, f"Milestone “{milestone.name}” deleted.")
    return redirect("programs:milestone_list", pk=project.pk)


# --- Dependencies ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def dependency_list(request, pk: int):
    """What the project blocks or relates to and what blocks or relates to it; its editors add and remove links."""
    project = _project(pk)
    candidates = selectors.dependency_candidates(project=project)
    form = DependencyForm(candidates=candidates)
    if request.method == "POST":
        _require(request, "programs.add_dependency", project)
        form = DependencyForm(request.POST, candidates=candidates)
        if _save(form, lambda: services.dependency_add(user=request.user, from_project=project, **form.cleaned_data)):
            messages.success(request, f"Dependency on “{form.cleaned_data['to_project']}” added.")
            return redirect("programs:dependency_list", pk=project.pk)
    links = selectors.project_dependencies(project=project)
    return _page(
        request, "programs/delivery/dependency_list.html", project, "dependencies", "dependency", form, links=links
    )


@require_POST
def dependency_delete(request, pk: int, dependency_pk: int):
    """Remove a dependency that starts from the project."""
    project = _project(pk)
    dependency = _row(Dependency, project, dependency_pk, field="from_project")
    _require(request, "programs.delete_dependency", dependency)
    services.dependency_remove(user=request.user, dependency=dependency)
    messages.success(request, "Dependency removed.")
    return redirect("programs:dependency_list", pk=project.pk)


# --- Costs ----------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def costentry_list(request, pk: int):
    """The costs booked on the project, totals per category and actual against the planned budget."""
    project = _project(pk)
    form = CostEntryForm()
    if request.method == "POST":
        _require(request, "programs.add_costentry", project)
        form = CostEntryForm(request.POST)
        if _save(form, lambda: services.cost_entry_create(user=request.user, project=project, data=form.cleaned_data)):
            messages.success(request, "Cost booked.")
            return redirect("programs:costentry_list", pk=project.pk)
    return _page(
        request,
        "programs/delivery/costentry_list.html",
        project,
        "costs",
        "costentry",
        form,
        entries=list(selectors.project_cost_entries(project=project)),
        totals=selectors.project_cost_totals(project=project),
        budget=selectors.project_budget(project=project),
    )


@require_POST
def costentry_delete(request, pk: int, entry_pk: int):
    """Delete a booked cost."""
    project = _project(pk)
    entry = _row(CostEntry, project, entry_pk)
    _require(request, "programs.delete_costentry", entry)
    services.cost_entry_delete(user=request.user, entry=entry)
    messages.success(request, "Cost deleted.")
    return redirect("programs:costentry_list", pk=project.pk)


# --- Objectives -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def projectobjective_list(request, pk: int):
    """The strategic objectives the project serves, with its contribution (1–3); its editors align and realign it."""
    project = _project(pk)
    form = AlignmentForm()
    if request.method == "POST":
        _require(request, "programs.add_projectobjective", project)
        form = AlignmentForm(request.POST)
        if _save(form, lambda: services.project_objective_add(user=request.user, project=project, **form.cleaned_data)):
            messages.success(request, f"Aligned to “{form.cleaned_data['objective']}”.")
            return redirect("programs:projectobjective_list", pk=project.pk)
    alignments = list(selectors.project_alignments(project=project))
    return _page(
        request,
        "programs/delivery/projectobjective_list.html",
        project,
        "objectives",
        "projectobjective",
        form,
        alignments=alignments,
        contribution_choices=ContributionForm.base_fields["contribution"].choices,
    )


@require_POST
def projectobjective_update(request, pk: int, alignment_pk: int):
    """Change the project's contribution to an objective."""
    project = _project(pk)
    alignment = _row(ProjectObjective, project, alignment_pk)
    _require(request, "programs.change_projectobjective", alignment)
    form = ContributionForm(request.POST)
    if _save(
        form,
        lambda: services.project_objective_update(
            user=request.user, alignment=alignment, contribution=form.cleaned_data["contribution"]
        ),
    ):
        messages.success(request, "Contribution saved.")
    else:
        messages.error(request, "Contribution must be 1, 2 or 3.")
    return redirect("programs:projectobjective_list", pk=project.pk)


@require_POST
def projectobjective_delete(request, pk: int, alignment_pk: int):
    """Take the project off an objective."""
    project = _project(pk)
    alignment = _row(ProjectObjective, project, alignment_pk)
    _require(request, "programs.delete_projectobjective", alignment)
    services.project_objective_remove(user=request.user, alignment=alignment)
    messages.success(request, "Alignment removed.")
    return redirect("programs:projectobjective_list", pk=project.pk)
