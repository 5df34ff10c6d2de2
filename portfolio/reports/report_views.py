"""Pages of stakeholder reports: the archive (every report as it was sent, HTML and PDF), the subscription
settings page, and the one-click unsubscribe page of the emails (signed link, no sign-in)."""

from csp.decorators import csp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portfolio.core.permissions import can
from portfolio.reports import rendering, selectors, services
from portfolio.reports.filters import StakeholderReportFilterSet
from portfolio.reports.forms import SubscriptionForm
from portfolio.reports.models import ReportSubscription, StakeholderReport
from products.forms import show_errors

ARCHIVE_PAGE = 25
# The stored report is email HTML: inline styles, no scripts, no remote anything. Only its own frame gets them.
REPORT_FRAME_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}


def report_list(request):
    """Every report sent, newest period first, filtered by scope or period, 25 a page."""
    filterset = StakeholderReportFilterSet(request.GET or None, queryset=selectors.report_archive())
    page = Paginator(filterset.qs, ARCHIVE_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "reports/report_list.html", {"page_obj": page, "filterset": filterset, "q": request.GET.get("q", "")}
    )


def _report(pk: int) -> StakeholderReport:
    try:
        return selectors.report_for_archive(pk=pk)
    except StakeholderReport.DoesNotExist:
        raise Http404("No such report.") from None


def report_detail(request, pk: int):
    """One report as it was sent: its HTML in a sandboxed frame, its text, and the PDF."""
    report = _report(pk)
    return render(request, "reports/report_detail.html", {"report": report})


@xframe_options_sameorigin
@csp(REPORT_FRAME_CSP)
def report_html(request, pk: int):
    """The report's stored HTML alone (the archive page frames it; a sandbox and its own CSP keep it inert)."""
    report = _report(pk)
    response = HttpResponse(report.html, content_type="text/html; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_pdf(request, pk: int):
    """The PDF attached to the report's emails."""
    try:
        report, pdf = selectors.report_pdf(pk=pk)
    except StakeholderReport.DoesNotExist:
        raise Http404("No such report.") from None
    if not pdf:
        raise Http404("This report has no PDF.")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"report-{report.scope_key.replace(':', '-')}-{report.period_key}.pdf"
    # A download, as other files of the app: a browser's own PDF viewer would ask this site for a favicon.
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _may_choose_recipient(user) -> bool:
    return user.is_superuser or manages_any(user)


def manages_any(user) -> bool:
    """Whether the user manages some portfolio, program or product (and so may subscribe others to it)."""
    return can(user, "programs.add_program") or can(user, "products.add_product") or can(user, "programs.add_project")


def subscription_list(request):
    """The user's report subscriptions (and those they made for others), with the form to add one."""
    form = SubscriptionForm(request.POST or None, may_choose_recipient=_may_choose_recipient(request.user))
    if request.method == "POST":
        if not can(request.user, "reports.add_reportsubscription"):
            raise PermissionDenied("You may not subscribe.")
        if form.is_valid():
            try:
                subscription = services.subscription_create(user=request.user, data=form.data_for_service())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Subscribed: {subscription}.")
                return redirect("stakeholder_reports:subscription_list")
    context = {
        "form": form,
        "subscriptions": selectors.subscription_settings(user=request.user),
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "reports/subscription_list.html", context, status=400 if form.is_bound else 200)


def _subscription(request, pk: int, perm: str) -> ReportSubscription:
    subscription = get_object_or_404(selectors.subscription_list(user=request.user), pk=pk)
    if not can(request.user, perm, subscription):
        raise PermissionDenied("You may not change this subscription.")
    return subscription


def subscription_update(request, pk: int):
    """Change a subscription's scope or schedule, or pause it."""
    subscription = _subscription(request, pk, "reports.change_reportsubscription")
    may_choose = _may_choose_recipient(request.user)
    form = SubscriptionForm(request.POST or None, instance=subscription, may_choose_recipient=may_choose)
    form.fields["active"] = ReportSubscription._meta.get_field("active").formfield()
    form.initial.setdefault("active", subscription.active)
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service() | {"active": form.cleaned_data.get("active", False)}
        try:
            subscription = services.subscription_update(
                user=request.user, subscription=ReportSubscription.objects.get(pk=pk), data=data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved: {subscription}.")
            return redirect("stakeholder_reports:subscription_list")
    status = 400 if form.is_bound else 200
    return render(
        request, "reports/subscription_form.html", {"form": form, "subscription": subscription}, status=status
    )


@require_POST
def subscription_delete(request, pk: int):
    """Remove a subscription."""
    subscription = _subscription(request, pk, "reports.delete_reportsubscription")
    services.subscription_delete(user=request.user, subscription=subscription)
    messages.success(request, "The subscription was removed.")
    return redirect("stakeholder_reports:subscription_list")


@login_not_required
@csrf_exempt  # the mail client's one-click POST (RFC 8058) carries no CSRF token; the signed link is the proof
def unsubscribe(request, token: str):
    """GET: confirm; POST (the page's button or the mail client's List-Unsubscribe-Post): stop the reports."""
    subscription_id = rendering.unsubscribe_subscription_id(token)
    if subscription_id is None:
        return render(request, "reports/unsubscribe.html", {"invalid": True}, status=400)
    subscription = (
        services.subscription_unsubscribe(subscription_id=subscription_id)
        if request.method == "POST"
        else selectors.subscription_for_unsubscribe(pk=subscription_id)
    )
    if subscription is None:
        return render(request, "reports/unsubscribe.html", {"gone": True}, status=404)
    done = request.method == "POST"
    return render(request, "reports/unsubscribe.html", {"subscription": subscription, "done": done, "token": token})
