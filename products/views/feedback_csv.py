"""Feedback in and out of CSV files: the import (upload, preview, import) and the export of a filtered list.

The import page checks the uploaded file without saving (``services.feedback_import(dry_run=True)``) and shows
a preview, or the errors by line. The file then waits in the cache under a random key (Redis when ``REDIS_URL``
is set, so whichever web process gets the "Import" click finds it), for ``FEEDBACK_IMPORT_PREVIEW_SECONDS``; the
preview's form carries only that key, signed with the user and the product so that no other user or product can
use it. The click checks the file again and imports it, and takes it out of the cache first, so a second click
(or a second tab) cannot import it twice.
"""

import csv
import io
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from portfolio.core.permissions import can
from portfolio.core.spreadsheets import csv_lines
from products import feedback_csv, selectors, services
from products.filters import FeedbackFilter
from products.models import Feedback, Product
from products.views.common import product_or_404

TOKEN_SALT = "products.feedback-import"
CACHE_PREFIX = "feedback-import:"
EXPIRED = "This preview has expired or its file was already imported: nothing was imported. Upload the file again."


class FeedbackImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 text (Excel: “CSV UTF-8”), a header row naming the columns, then one row per item.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class FeedbackImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


def _inbox_url(product: Product) -> str | None:
    """The product's feedback inbox, where imported items wait to be triaged (None where it has no page)."""
    try:
        return reverse("products:feedback_list", kwargs={"slug": product.slug})
    except NoReverseMatch:
        return None


def _keep(*, request, product: Product, data: bytes, name: str) -> str:
    """Put the checked file in the cache until the user imports it; the signed token that finds it again."""
    key = secrets.token_urlsafe(24)
    cache.set(CACHE_PREFIX + key, {"data": data, "name": name}, timeout=settings.FEEDBACK_IMPORT_PREVIEW_SECONDS)
    return signing.dumps({"key": key, "user": request.user.pk, "product": product.pk}, salt=TOKEN_SALT)


def _take(*, request, product: Product, token: str) -> dict | None:
    """The file the token names, out of the cache (so it is imported once); None if expired, taken or not theirs."""
    try:
        signed = signing.loads(token, salt=TOKEN_SALT, max_age=settings.FEEDBACK_IMPORT_PREVIEW_SECONDS)
    except signing.BadSignature:
        return None
    if signed.get("user") != request.user.pk or signed.get("product") != product.pk:
        return None
    key = CACHE_PREFIX + str(signed.get("key"))
    kept = cache.get(key)
    # Whoever deletes the key takes the file: two clicks at once cannot both import it.
    if kept is None or not cache.delete(key):
        return None
    return kept


def _context(product: Product, **extra) -> dict:
    return {
        "product": product,
        "tab": "feedback",  # the product's feedback tab, where it has one
        "columns": feedback_csv.COLUMNS,
        "max_bytes": settings.FEEDBACK_IMPORT_MAX_BYTES,
        "max_rows": settings.FEEDBACK_IMPORT_MAX_ROWS,
        "inbox_url": _inbox_url(product),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def feedback_import(request, slug: str):
    """Upload a CSV file of feedback, see a preview of its rows (or its errors by line), then import it."""
    product = product_or_404(slug)
    if not can(request.user, "products.add_feedback", product):
        raise PermissionDenied("You may not add feedback to this product.")
    if request.method == "POST" and "token" in request.POST:
        return _import(request, product)
    if request.method == "GET":
        return render(request, "products/feedback/import.html", _context(product, form=FeedbackImportForm()))
    form = FeedbackImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "products/feedback/import.html", _context(product, form=form), status=400)
    upload = form.cleaned_data["file"]
    result = services.feedback_import(user=request.user, product=product, file=upload, dry_run=True)
    if not result.ok:
        context = _context(product, form=FeedbackImportForm(), result=result, file_name=upload.name)
        return render(request, "products/feedback/import.html", context, status=400)
    upload.seek(0)
    data = upload.read()
    token = _keep(request=request, product=product, data=data, name=upload.name)
    confirm = FeedbackImportConfirmForm(initial={"token": token})
    context = _context(product, result=result, file_name=upload.name, confirm=confirm)
    return render(request, "products/feedback/import_preview.html", context)


def _import(request, product: Product):
    confirm = FeedbackImportConfirmForm(request.POST)
    kept = _take(request=request, product=product, token=request.POST.get("token", "")) if confirm.is_valid() else None
    if kept is None:
        context = _context(product, form=FeedbackImportForm(), expired=EXPIRED)
        return render(request, "products/feedback/import.html", context, status=400)
    result = services.feedback_import(user=request.user, product=product, file=kept["data"], dry_run=False)
    if not result.ok:  # the product changed between the preview and the click (a limit, a rule)
        context = _context(product, form=FeedbackImportForm(), result=result, file_name=kept["name"])
        return render(request, "products/feedback/import.html", context, status=400)
    noun = "item" if result.created == 1 else "items"
    messages.success(request, f"Imported {result.created} feedback {noun} from {kept['name']}.")
    context = _context(product, result=result, file_name=kept["name"])
    return render(request, "products/feedback/import_done.html", context)


@require_GET
def feedback_import_template(request, slug: str):
    """An example file with every column the import reads, to fill in."""
    product = product_or_404(slug)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(feedback_csv.template_rows())
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{product.slug}-feedback-template.csv"'
    return response


EXPORT_HEADER = (*selectors.FEEDBACK_EXPORT_COLUMNS, "features")


def feedback_csv_rows(feedback):
    """The export's lines: the header, then one line per item (choices as the values an import reads)."""
    yield EXPORT_HEADER
    for row in selectors.feedback_export_rows(feedback=feedback):
        *values, titles = row
        received_at = values[EXPORT_HEADER.index("received_at")]
        values[EXPORT_HEADER.index("received_at")] = timezone.localtime(received_at).isoformat()
        yield (*values, titles)


def filtered_feedback(data, product: Product) -> FeedbackFilter:
    """The product's feedback through the inbox's filters (``FeedbackFilter``), as the list and the API read them."""
    return FeedbackFilter(data, queryset=Feedback.objects.filter(product=product))


@require_GET
def feedback_export(request, slug: str):
    """The product's feedback, with the inbox's filters, as a CSV file streamed row by row (formulas guarded)."""
    product = product_or_404(slug)
    filterset = filtered_feedback(request.GET, product)
    if not filterset.is_valid():
        errors = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in filterset.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(csv_lines(feedback_csv_rows(filterset.qs)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{product.slug}-feedback.csv"'
    return response
