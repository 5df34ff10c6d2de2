"""The risk register (filtered, sorted by score, paginated, exported as CSV) and the 5×5 heat map of any scope.

Everyone signed in reads them. Filters are ``risks.filters.RiskFilterSet``, shared with the API; a bad filter is a
400 with the form's errors. Each page runs a fixed number of queries whatever the number of risks.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from portfolio.core.permissions import can
from portfolio.core.spreadsheets import csv_lines
from risks import selectors
from risks.filters import RiskFilterSet
from risks.models import Risk

PAGE_SIZE = 25
ORDERINGS = {
    "-score": ("-score", "id"),
    "score": ("score", "id"),
    "title": ("title", "id"),
    "review_date": ("review_date", "id"),
    "-updated_at": ("-updated_at", "id"),
}
SCOPES = ("portfolio", "program", "project", "product")
FILTER_NAMES = (*SCOPES, "kind", "category", "severity", "status", "owner", "review_overdue", "escalated")
CELL_NAMES = ("probability", "impact", "residual")


def _filterset(query) -> RiskFilterSet:
    return RiskFilterSet(query, queryset=selectors.risk_register())


def _pairs(query, names) -> list[tuple[str, str]]:
    return [(name, value) for name in names for value in query.getlist(name) if value != ""]


def risk_list(request):
    """The register: every risk, issue, assumption and dependency, filtered, sorted by score, 25 a page."""
    filterset = _filterset(request.GET)
    valid = filterset.is_valid()
    ordering = request.GET.get("ordering", "-score")
    if ordering not in ORDERINGS:
        ordering = "-score"
    risks = filterset.qs.order_by(*ORDERINGS[ordering]) if valid else Risk.objects.none()
    page = Paginator(risks, PAGE_SIZE).get_page(request.GET.get("page"))
    filter_pairs = _pairs(request.GET, (*FILTER_NAMES, *CELL_NAMES))
    cell = {name: request.GET.get(name, "") for name in CELL_NAMES}
    context = {
        "filterset": filterset,
        "page_obj": page,
        "ordering": ordering,
        "options": selectors.register_scope_options(),
        "owners": selectors.risk_owner_options(),
        "kinds": Risk.Kind.choices,
        "categories": Risk.Category.choices,
        "statuses": Risk.Status.choices,
        "severities": selectors.Severity.choices,
        "selected": {name: request.GET.getlist(name) for name in FILTER_NAMES},
        "cell": cell if cell["probability"] or cell["impact"] else None,
        "filtered": bool(filter_pairs),
        "filter_query": urlencode(filter_pairs),
        "heatmap_query": urlencode(_pairs(request.GET, SCOPES)),
        "may_add": can(request.user, "risks.add_risk"),
        "today": timezone.localdate(),
    }
    return render(request, "risks/risk_list.html", context, status=200 if valid else 400)


def risk_export(request):
    """The register with its filters as a CSV file, streamed row by row (cells guarded against formulas)."""
    filterset = _filterset(request.GET)
    if not filterset.is_valid():
        errors = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in filterset.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    rows = selectors.risk_csv_rows(filterset.qs.order_by("-score", "id"))
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="risk-register.csv"'
    return response


def risk_heatmap(request):
    """The 5×5 map of the open risks of a scope (or of everything), inherent or residual; htmx gets the map only."""
    filterset = RiskFilterSet(request.GET, queryset=Risk.objects.all())
    filterset.filters = {name: filterset.filters[name] for name in (*SCOPES, "residual")}
    valid = filterset.is_valid()
    residual = bool(valid and filterset.form.cleaned_data.get("residual"))
    cells = selectors.risk_heatmap(queryset=filterset.qs if valid else Risk.objects.none(), residual=residual)
    scope_pairs = _pairs(request.GET, SCOPES)
    context = {
        "filterset": filterset,
        "rows": [cells[index : index + 5] for index in range(0, 25, 5)],
        "total": sum(cell["count"] for cell in cells),
        "residual": residual,
        "scope_query": urlencode(scope_pairs),
        "options": selectors.register_scope_options(),
        "selected": {name: request.GET.getlist(name) for name in SCOPES},
    }
    # Going back to a pushed map, htmx asks for the whole page again (a history restore).
    partial = request.htmx and not request.htmx.history_restore_request
    template = "risks/partials/_heatmap.html" if partial else "risks/risk_heatmap.html"
    response = render(request, template, context, status=200 if valid else 400)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: caches must tell them apart
    return response
