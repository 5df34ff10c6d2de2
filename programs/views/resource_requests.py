"""Resource requests on pages: a product's requests and its "Request people" form, the program manager's queue
with the capacity impact of each pending request, and its approve and reject forms.

Everyone signed in reads them. Product managers who edit the product file requests and cancel their pending
ones; the program's editors decide (leadership and administrators see every request, leadership only reads).
Approve and reject answer an HTMX request with the request's row redrawn (refusals shown in it); without script
they redirect to the queue, or redisplay it with the form's errors (400). Writes go through ``programs.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can
from products.forms import show_errors
from products.views.common import product_or_404
from programs import filters, selectors, services
from programs.forms import (
    ResourceRequestApproveForm,
    ResourceRequestForm,
    ResourceRequestQueueFilterForm,
    ResourceRequestRejectForm,
)
from programs.models import Resource, ResourceRequest

QUEUE_PAGE = 25


def _request_or_404(pk: int) -> ResourceRequest:
    found = selectors.resource_request_queue(user=None, scope="all").filter(pk=pk).first()
    if found is None:
        raise Http404("No such resource request.")
    return found


def _active_people() -> list[Resource]:
    return list(Resource.objects.filter(active=True).order_by("name", "id"))


def _decorate(request, rows: list[ResourceRequest], *, bound: dict | None = None) -> None:
    """Give each row its capacity impact and, where the user decides it, its approve and reject forms."""
    bound = bound or {}
    capacity = selectors.resource_request_capacity(requests=rows)
    deciding = [row for row in rows if row.is_pending and can(request.user, "programs.decide_resourcerequest", row)]
    people = _active_people() if deciding else []
    for row in rows:
        row.capacity = capacity.get(row.pk, [])
        row.may_decide = row in deciding
        if row.may_decide:
            approve, reject = bound.get(row.pk, (None, None))
            row.approve_form = approve or ResourceRequestApproveForm(
                request=row, availability=row.capacity, others=people
            )
            row.reject_form = reject or ResourceRequestRejectForm(request=row)


def _queue_context(request, *, bound: dict | None = None) -> dict:
    scope = selectors.resource_request_scope(user=request.user)
    programs = selectors.resource_request_queue_programs(user=request.user, scope=scope)
    data = request.GET.copy() if request.method == "GET" else {}
    if "status" not in data:
        data["status"] = ResourceRequest.Status.PENDING
    form = ResourceRequestQueueFilterForm(data, programs=programs)
    queryset = selectors.resource_request_queue(user=request.user, scope=scope)
    valid = form.is_valid()
    if valid:
        chosen = {name: value for name, value in form.cleaned_data.items() if value}
        if "program" in chosen:
            chosen["program"] = chosen["program"].pk
        queryset = filters.ResourceRequestFilter(chosen, queryset=queryset).qs
    else:
        queryset = queryset.none()
    page = Paginator(queryset, QUEUE_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _decorate(request, rows, bound=bound)
    return {"scope": scope, "filter_form": form, "rows": rows, "page": page, "valid": valid}


@require_http_methods(["GET"])
def resource_request_queue(request):
    """The requests for the user's programs (all for leadership and administrators), pending ones by default."""
    context = _queue_context(request)
    return render(request, "programs/resource_requests/queue.html", context, status=200 if context["valid"] else 400)


def _row_answer(request, row: ResourceRequest, *, bound: tuple | None = None, error: str = "", done: str = ""):
    """After a decision: HTMX gets the row redrawn; without script a redirect, or the queue with the errors."""
    row = _request_or_404(row.pk)
    if request.htmx:
        _decorate(request, [row], bound={row.pk: bound} if bound else None)
        return render(
            request, "programs/resource_requests/partials/_queue_row.html", {"row": row, "error": error, "done": done}
        )
    if bound is None:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect("programs:resource_request_queue")
    context = _queue_context(request, bound={row.pk: bound})
    if row.pk not in {r.pk for r in context["rows"]}:
        _decorate(request, [row], bound={row.pk: bound})
        context["rows"].insert(0, row)
    return render(request, "programs/resource_requests/queue.html", context, status=400)


def _decide(request, pk: int, decide, form_class: str):
    row = _request_or_404(pk)
    if not can(request.user, "programs.decide_resourcerequest", row):
        raise PermissionDenied("Only the program's managers decide this request.")
    if not row.is_pending:
        return _row_answer(request, row, error=services.ALREADY_DECIDED.format(status=row.status))
    capacity = selectors.resource_request_capacity(requests=[row]).get(row.pk, [])
    people = _active_people()
    approve = ResourceRequestApproveForm(
        request.POST if form_class == "approve" else None, request=row, availability=capacity, others=people
    )
    reject = ResourceRequestRejectForm(request.POST if form_class == "reject" else None, request=row)
    form = approve if form_class == "approve" else reject
    if form.is_valid():
        try:
            done = decide(row, form.cleaned_data)
        except Conflict as conflict:
            return _row_answer(request, row, error=conflict.message)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _row_answer(request, row, done=done)
    return _row_answer(request, row, bound=(approve, reject))


@require_POST
def resource_request_approve(request, pk: int):
    """Approve a pending request with the person chosen: the allocation is made with it."""

    def approve(row, data):
        services.resource_request_approve(
            user=request.user,
            request=row,
            resource=data["resource"],
            note=data["note"],
            override_function=data["override_function"],
        )
        return f"Approved: {data['resource'].name} is allocated {row.percent} % to {row.project.name}."

    return _decide(request, pk, approve, "approve")


@require_POST
def resource_request_reject(request, pk: int):
    """Reject a pending request with a note for the requester."""

    def reject(row, data):
        services.resource_request_reject(user=request.user, request=row, note=data["note"])
        return f"Rejected: the request for {row.project.name}."

    return _decide(request, pk, reject, "reject")


@require_POST
def resource_request_cancel(request, pk: int):
    """Withdraw a pending request the user filed; back to where the form was."""
    row = _request_or_404(pk)
    try:
        services.resource_request_cancel(user=request.user, request=row)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, f"Request for {row.project.name} cancelled.")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("programs:product_resource_requests", slug=row.product.slug)


@require_http_methods(["GET", "POST"])
def product_resource_requests(request, slug: str):
    """The product's requests with their decisions; its editors who are product managers request people."""
    product = product_or_404(slug)
    may_request = can(request.user, "programs.add_resourcerequest", product)
    form = None
    if may_request or request.method == "POST":
        if request.method == "POST" and not may_request:
            raise PermissionDenied("Only the product's managers request people for it.")
        projects = selectors.resource_request_open_projects()
        form = ResourceRequestForm(request.POST or None, projects=projects)
        if request.method == "POST" and form.is_valid():
            try:
                services.resource_request_file(user=request.user, product=product, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Request filed for {form.cleaned_data['project'].name}.")
                return redirect("programs:product_resource_requests", slug=product.slug)
    rows = list(selectors.product_resource_requests(product=product))
    for row in rows:
        row.may_cancel = row.is_pending and row.requested_by_id == request.user.pk
    context = {"product": product, "tab": "requests", "rows": rows, "form": form, "may_request": may_request}
    status = 400 if request.method == "POST" and form is not None and form.errors else 200
    return render(request, "programs/resource_requests/product_requests.html", context, status=status)
