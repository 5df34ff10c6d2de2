"""A risk's pages: log one, its detail (score history, mitigation actions), edit, close, reopen, mark occurred,
delete; and its mitigation actions added, completed, reopened and deleted.

Everyone signed in reads a risk; whoever edits its project, program or product sees the controls, and a forced
POST from anyone else gets 403 before its form is read. Writes go through ``risks.services``; a refusal (no
closing note, a scope the user may not edit, a stale version) is shown on the form with a 400.
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
from risks import selectors, services
from risks.forms import CloseForm, MitigationActionForm, RiskForm, VersionForm
from risks.models import SCOPE_FIELDS, MitigationAction, Risk

STALE = "Someone else changed this risk meanwhile: nothing was saved. Here it is as it is now."


def _risk(pk: int) -> Risk:
    try:
        return selectors.risk_detail(pk=pk)
    except Risk.DoesNotExist:
        raise Http404("No such risk.") from None


def _action(risk: Risk, pk: int) -> MitigationAction:
    action = MitigationAction.objects.filter(risk=risk, pk=pk).first()
    if action is None:
        raise Http404("No such action on this risk.")
    action.risk = risk  # the rules read the scope from it
    return action


def _require(request, perm: str, obj) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied("You may not change this risk.")


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


def _detail(request, risk: Risk, *, close_form=None, action_form=None, status: int = 200):
    today = timezone.localdate()
    may_change = can(request.user, "risks.change_risk", risk)
    context = {
        "risk": risk,
        "scope": risk.scope,
        "may_change": may_change,
        "may_delete": can(request.user, "risks.delete_risk", risk),
        "changes": selectors.risk_score_changes(risk=risk),
        "actions": selectors.risk_actions(risk=risk, today=today),
        "close_form": close_form or CloseForm(initial={"version": risk.version}),
        "action_form": action_form or MitigationActionForm(owners=selectors.people()),
        "review_overdue": bool(risk.review_date and risk.review_date < today and risk.status in ("open", "mitigating")),
        "today": today,
    }
    return render(request, "risks/risk_detail.html", context, status=status)


def risk_detail(request, pk: int):
    """A risk: what it is, its scores now and after mitigation, who owns it, its history and mitigation actions."""
    return _detail(request, _risk(pk))


@require_http_methods(["GET", "POST"])
def risk_create(request):
    """Log a risk on a project, program or product the user edits (``?project=`` and the like preselect it)."""
    _require(request, "risks.add_risk", None)
    scopes = selectors.scope_choices(user=request.user)
    initial = {name: request.GET.get(name) for name in SCOPE_FIELDS if request.GET.get(name, "").isdigit()}
    form = RiskForm(request.POST or None, initial=initial, scopes=scopes, owners=selectors.people())
    if request.method == "POST":
        saved = []
        if _save(form, lambda: saved.append(services.risk_create(user=request.user, data=form.service_data()))):
            messages.success(request, f"Risk “{saved[0].title}” logged.")
            return redirect("risks:risk_detail", pk=saved[0].pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "risks/risk_form.html", {"form": form, "risk": None}, status=status)


@require_http_methods(["GET", "POST"])
def risk_update(request, pk: int):
    """Edit a risk: assessment, residual scores after mitigation, owner, review date, where it hangs."""
    risk = _risk(pk)
    _require(request, "risks.change_risk", risk)
    scopes = selectors.scope_choices(user=request.user)
    # The risk's current scope stays a choice even for someone who may not log new risks on it.
    for name in SCOPE_FIELDS:
        if getattr(risk, f"{name}_id"):
            scopes[name] = scopes[name] | scopes[name].model.objects.filter(pk=getattr(risk, f"{name}_id"))
    kwargs = {"scopes": scopes, "owners": selectors.people(), "with_version": True}
    form = RiskForm(instance=risk, initial={"version": risk.version}, **kwargs)
    if request.method == "POST":
        form = RiskForm(request.POST, instance=Risk.objects.get(pk=risk.pk), **kwargs)
        if _save(
            form,
            lambda: services.risk_update(
                user=request.user, risk=risk, version=form.cleaned_data["version"], data=form.service_data()
            ),
        ):
            messages.success(request, f"Risk “{risk.title}” saved.")
            return redirect("risks:risk_detail", pk=risk.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "risks/risk_form.html", {"form": form, "risk": risk}, status=status)


@require_POST
def risk_close(request, pk: int):
    """Close a risk with its closing note (required: the page comes back with the error, 400)."""
    risk = _risk(pk)
    _require(request, "risks.change_risk", risk)
    form = CloseForm(request.POST)
    if _save(
        form,
        lambda: services.risk_close(
            user=request.user,
            risk=risk,
            version=form.cleaned_data["version"],
            closing_note=form.cleaned_data["closing_note"],
        ),
    ):
        messages.success(request, f"Risk “{risk.title}” closed.")
        return redirect("risks:risk_detail", pk=risk.pk)
    return _detail(request, _risk(pk), close_form=form, status=400)


def _step(request, pk: int, step, done: str):
    risk = _risk(pk)
    _require(request, "risks.change_risk", risk)
    form = VersionForm(request.POST)
    if _save(form, lambda: step(user=request.user, risk=risk, version=form.cleaned_data["version"])):
        messages.success(request, f"Risk “{risk.title}” {done}.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("risks:risk_detail", pk=risk.pk)


@require_POST
def risk_reopen(request, pk: int):
    """Take a closed or occurred risk back to open."""
    return _step(request, pk, services.risk_reopen, "reopened")


@require_POST
def risk_occurred(request, pk: int):
    """Record that the risk happened: it becomes an issue."""
    return _step(request, pk, services.risk_occurred, "marked occurred: it is now an issue")


@require_POST
def risk_delete(request, pk: int):
    """Delete a risk logged by mistake, with its actions."""
    risk = _risk(pk)
    _require(request, "risks.delete_risk", risk)
    services.risk_delete(user=request.user, risk=risk)
    messages.success(request, f"Risk “{risk.title}” deleted.")
    return redirect("risks:risk_list")


# --- Mitigation actions -----------------------------------------------------------------------------------------


@require_POST
def mitigation_action_create(request, pk: int):
    """Add a mitigation action (what, who, by when) to the risk."""
    risk = _risk(pk)
    _require(request, "risks.add_mitigationaction", risk)
    form = MitigationActionForm(request.POST, owners=selectors.people())
    if _save(form, lambda: services.mitigation_action_create(user=request.user, risk=risk, data=form.cleaned_data)):
        messages.success(request, f"Action “{form.cleaned_data['description']}” added.")
        return redirect("risks:risk_detail", pk=risk.pk)
    return _detail(request, risk, action_form=form, status=400)


def _action_step(request, pk: int, action_pk: int, step, perm: str, done: str):
    risk = _risk(pk)
    action = _action(risk, action_pk)
    _require(request, perm, action)
    step(user=request.user, action=action)
    messages.success(request, f"Action “{action.description}” {done}.")
    return redirect("risks:risk_detail", pk=risk.pk)


@require_POST
def mitigation_action_complete(request, pk: int, action_pk: int):
    """Mark a mitigation action done now."""
    return _action_step(
        request, pk, action_pk, services.mitigation_action_complete, "risks.change_mitigationaction", "marked done"
    )


@require_POST
def mitigation_action_reopen(request, pk: int, action_pk: int):
    """Take a done mitigation action back to open."""
    return _action_step(
        request, pk, action_pk, services.mitigation_action_reopen, "risks.change_mitigationaction", "reopened"
    )


@require_POST
def mitigation_action_delete(request, pk: int, action_pk: int):
    """Delete a mitigation action."""
    return _action_step(
        request, pk, action_pk, services.mitigation_action_delete, "risks.delete_mitigationaction", "deleted"
    )
