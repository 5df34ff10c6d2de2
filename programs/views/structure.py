"""Pages of portfolios, programs and projects: the list of portfolios, the detail of each level, and their create,
edit, archive, restore and delete (confirm) pages.

Everyone signed in reads them; whoever the rules let change one sees its controls, and a forced POST from anyone
else gets 403. Writes go through ``programs.services``; each page runs a fixed number of queries.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can
from products.forms import show_errors
from programs import selectors, services
from programs.forms import PortfolioForm, ProgramForm, ProjectForm
from programs.models import Portfolio, Program, Project

STALE = "Someone else changed this {kind} meanwhile: nothing was saved. Here it is as it is now."
FORMS = {"portfolio": PortfolioForm, "program": ProgramForm, "project": ProjectForm}
MODELS = {"portfolio": Portfolio, "program": Program, "project": Project}
PARENT = {"program": ("portfolio", Portfolio), "project": ("program", Program)}


def _require(request, perm: str, obj) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied("You may not change this.")


def _get(kind: str, pk: int):
    related = {"portfolio": ["owner"], "program": ["portfolio", "manager"], "project": ["program__portfolio"]}
    return get_object_or_404(MODELS[kind].objects.select_related(*related[kind]), pk=pk)


def _kind_of(obj) -> str:
    return obj._meta.model_name if obj is not None else ""


def _detail(obj):
    return redirect(f"programs:{obj._meta.model_name}_detail", pk=obj.pk)


def _controls(request, kind: str, obj) -> dict:
    return {
        "may_change": can(request.user, f"programs.change_{kind}", obj),
        "may_delete": can(request.user, f"programs.delete_{kind}", obj),
    }


# --- Reading ------------------------------------------------------------------------------------------


def portfolio_list(request):
    """Every portfolio: owner, budget, how many programs and projects, and how healthy its projects are."""
    archived = request.GET.get("archived", "")
    portfolios = list(selectors.portfolio_page_list(archived=archived if archived in ("true", "only") else ""))
    selectors.portfolio_health_summaries(portfolios)
    context = {
        "portfolios": portfolios,
        "archived": archived,
        "may_add": can(request.user, "programs.add_portfolio"),
    }
    return render(request, "programs/portfolio_list.html", context)


def portfolio_detail(request, pk: int):
    """A portfolio with its programs and their projects: status, health in words, dates and budgets."""
    portfolio = _get("portfolio", pk)
    portfolio.rollup = selectors.budget_rollup(obj=portfolio)
    show_archived = request.GET.get("archived") == "true"
    context = {
        "portfolio": portfolio,
        "programs": selectors.program_rows(portfolio=portfolio, archived=show_archived),
        "show_archived": show_archived,
        "may_add_program": can(request.user, "programs.add_program", portfolio),
        **_controls(request, "portfolio", portfolio),
    }
    return render(request, "programs/portfolio_detail.html", context)


def program_detail(request, pk: int):
    """A program with its projects and the same figures rolled up."""
    program = _get("program", pk)
    show_archived = request.GET.get("archived") == "true"
    (row,) = selectors.program_rows(program=program, archived=show_archived)
    context = {
        "program": row,
        "portfolio": program.portfolio,
        "show_archived": show_archived,
        "may_add_project": can(request.user, "programs.add_project", program),
        **_controls(request, "program", program),
    }
    return render(request, "programs/program_detail.html", context)


def project_detail(request, pk: int):
    """The project page: status, dates, health, budget, milestones, dependencies, features, people, reports."""
    project = _get("project", pk)
    context = selectors.project_page(project=project)
    context |= {"program": project.program, "portfolio": project.program.portfolio}
    context |= _controls(request, "project", project)
    return render(request, "programs/project_detail.html", context)


# --- Writing ------------------------------------------------------------------------------------------


def _create(request, kind: str, parent=None):
    form_class = FORMS[kind]
    perm_object = parent
    _require(request, f"programs.add_{kind}", perm_object)
    holder = "owner" if kind == "portfolio" else "manager"
    form = form_class(request.POST or None, initial={holder: request.user.pk}, with_version=False)
    form.fields[holder].required = False
    if request.method == "POST" and form.is_valid():
        create = getattr(services, f"{kind}_create")
        parents = {PARENT[kind][0]: parent} if kind in PARENT else {}
        try:
            obj = create(user=request.user, **parents, data=form.data_for_service())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{obj} was created.")
            return _detail(obj)
    status = 400 if form.is_bound else 200
    context = {"form": form, "kind": kind, "obj": None, "parent": parent, "parent_kind": _kind_of(parent)}
    return render(request, "programs/structure_form.html", context, status=status)


def _update(request, kind: str, pk: int):
    obj = _get(kind, pk)
    _require(request, f"programs.change_{kind}", obj)
    form_class = FORMS[kind]
    status = 200
    if request.method != "POST":
        form = form_class(instance=copy.copy(obj), initial={"version": obj.version}, with_version=True)
    else:
        form = form_class(request.POST, instance=copy.copy(obj), with_version=True)
        status = 400
        if form.is_valid():
            update = getattr(services, f"{kind}_update")
            try:
                obj = update(
                    user=request.user, **{kind: obj}, version=form.cleaned_data["version"], data=form.data_for_service()
                )
            except Conflict:
                obj = _get(kind, pk)
                messages.warning(request, STALE.format(kind=kind))
                form = form_class(instance=copy.copy(obj), initial={"version": obj.version}, with_version=True)
                status = 409
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"{obj} was saved.")
                return _detail(obj)
    parent = getattr(obj, PARENT[kind][0]) if kind in PARENT else None
    context = {"form": form, "kind": kind, "obj": obj, "parent": parent, "parent_kind": _kind_of(parent)}
    return render(request, "programs/structure_form.html", context, status=status)


def _archive(request, kind: str, pk: int, archived: bool):
    service = getattr(services, f"{kind}_{'archive' if archived else 'restore'}")
    obj = service(user=request.user, **{kind: _get(kind, pk)})
    if archived:
        messages.success(request, f"{obj} was archived: it is left out of the lists until it is restored.")
    else:
        messages.success(request, f"{obj} was restored.")
    return _detail(obj)


def _delete(request, kind: str, pk: int):
    obj = _get(kind, pk)
    _require(request, f"programs.delete_{kind}", obj)
    status, refusal = 200, None
    if request.method == "POST":
        try:
            getattr(services, f"{kind}_delete")(user=request.user, **{kind: obj})
        except ValidationError as error:
            status, refusal = 409, " ".join(error.messages)
        else:
            messages.success(request, f"{obj} was deleted.")
            if kind == "portfolio":
                return redirect("programs:portfolio_list")
            return _detail(getattr(obj, PARENT[kind][0]))
    context = {
        "obj": obj,
        "kind": kind,
        "blockers": selectors.delete_blockers(obj=obj),
        "refusal": refusal,
        "may_change": can(request.user, f"programs.change_{kind}", obj),
    }
    return render(request, "programs/structure_confirm_delete.html", context, status=status)


def portfolio_create(request):
    return _create(request, "portfolio")


def program_create(request, portfolio_pk: int):
    return _create(request, "program", _get("portfolio", portfolio_pk))


def project_create(request, program_pk: int):
    return _create(request, "project", _get("program", program_pk))


def portfolio_update(request, pk: int):
    return _update(request, "portfolio", pk)


def program_update(request, pk: int):
    return _update(request, "program", pk)


def project_update(request, pk: int):
    return _update(request, "project", pk)


@require_POST
def portfolio_archive(request, pk: int):
    return _archive(request, "portfolio", pk, True)


@require_POST
def portfolio_restore(request, pk: int):
    return _archive(request, "portfolio", pk, False)


@require_POST
def program_archive(request, pk: int):
    return _archive(request, "program", pk, True)


@require_POST
def program_restore(request, pk: int):
    return _archive(request, "program", pk, False)


@require_POST
def project_archive(request, pk: int):
    return _archive(request, "project", pk, True)


@require_POST
def project_restore(request, pk: int):
    return _archive(request, "project", pk, False)


def portfolio_delete(request, pk: int):
    return _delete(request, "portfolio", pk)


def program_delete(request, pk: int):
    return _delete(request, "program", pk)


def project_delete(request, pk: int):
    return _delete(request, "project", pk)
