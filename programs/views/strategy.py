"""The strategy pages: every objective with its progress and what serves it, and one objective's detail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from portfolio.core import services
from portfolio.core.exceptions import Conflict
from portfolio.core.models import KeyResult, StrategicObjective
from portfolio.core.permissions import can
from products.forms import show_errors
from programs import selectors
from programs.forms import KeyResultForm, ObjectiveForm


def strategy(request):
    """Objectives organisation-wide with weight, owner, period, progress and what serves them."""
    overview = selectors.strategy_overview()
    return render(
        request,
        "programs/strategy.html",
        {**overview, "may_add": can(request.user, "core.add_strategicobjective")},
    )


def objective_detail(request, pk: int):
    """One objective: its key results with progress, and the projects, products and features serving it."""
    try:
        objective = selectors.objective_detail(pk=pk)
    except StrategicObjective.DoesNotExist:
        raise Http404("No such objective.") from None
    return render(
        request,
        "programs/objective_detail.html",
        {"objective": objective, "may_change": can(request.user, "core.change_strategicobjective", objective)},
    )


# --- Objectives and key results set and edited through ``portfolio.core.services`` --------------------

STALE = "Someone else changed this objective since you opened it: nothing was saved. Here it is as it is now."


def _require(user, perm: str, obj=None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


def _objective_or_404(pk: int) -> StrategicObjective:
    return get_object_or_404(StrategicObjective.objects.select_related("owner"), pk=pk)


def _fields(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def objective_create(request):
    """Set a new objective (program managers)."""
    _require(request.user, "core.add_strategicobjective")
    form = ObjectiveForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST":
        if form.is_valid():
            try:
                objective = services.objective_create(user=request.user, data=_fields(form))
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Objective “{objective.title}” set.")
                return redirect("programs:objective_detail", pk=objective.pk)
        return render(request, "programs/objective_form.html", {"form": form}, status=400)
    return render(request, "programs/objective_form.html", {"form": form})


def objective_update(request, pk: int):
    """Edit an objective (its owner); an edit of an old version changes nothing."""
    objective = _objective_or_404(pk)
    _require(request.user, "core.change_strategicobjective", objective)
    form = ObjectiveForm(request.POST or None, instance=objective, initial={"version": objective.version})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.objective_update(
                    user=request.user,
                    objective=_objective_or_404(pk),
                    version=form.cleaned_data["version"] or 0,
                    data=_fields(form),
                )
            except Conflict:
                objective = _objective_or_404(pk)
                form = ObjectiveForm(instance=objective, initial={"version": objective.version})
                context = {"form": form, "objective": objective, "stale": STALE}
                return render(request, "programs/objective_form.html", context, status=409)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Objective saved.")
                return redirect("programs:objective_detail", pk=pk)
        context = {"form": form, "objective": _objective_or_404(pk)}
        return render(request, "programs/objective_form.html", context, status=400)
    return render(request, "programs/objective_form.html", {"form": form, "objective": objective})


def key_result_create(request, pk: int):
    """Add a key result to an objective (its owner)."""
    objective = _objective_or_404(pk)
    _require(request.user, "core.add_keyresult", KeyResult(objective=objective))
    form = KeyResultForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.key_result_create(user=request.user, objective=objective, data=form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Key result added.")
                return redirect("programs:objective_detail", pk=pk)
        context = {"form": form, "objective": objective}
        return render(request, "programs/key_result_form.html", context, status=400)
    return render(request, "programs/key_result_form.html", {"form": form, "objective": objective})


def key_result_update(request, pk: int, kr: int):
    """Edit a key result of an objective (its owner); the page's delete button removes it."""
    objective = _objective_or_404(pk)
    key_result = get_object_or_404(KeyResult, pk=kr, objective=objective)
    _require(request.user, "core.change_keyresult", key_result)
    form = KeyResultForm(request.POST or None, instance=key_result)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.key_result_update(user=request.user, key_result=key_result, data=form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Key result saved.")
                return redirect("programs:objective_detail", pk=pk)
        context = {"form": form, "objective": objective, "key_result": key_result}
        return render(request, "programs/key_result_form.html", context, status=400)
    context = {"form": form, "objective": objective, "key_result": key_result}
    return render(request, "programs/key_result_form.html", context)


@require_POST
def key_result_delete(request, pk: int, kr: int):
    """Remove a key result (its objective's owner)."""
    objective = _objective_or_404(pk)
    key_result = get_object_or_404(KeyResult, pk=kr, objective=objective)
    services.key_result_delete(user=request.user, key_result=key_result)
    messages.success(request, f"Key result “{key_result.title}” removed.")
    return redirect("programs:objective_detail", pk=pk)
