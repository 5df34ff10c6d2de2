"""Pages of a product's feedback: the inbox with triage in place, an item's page, entry by hand, edit and delete,
and the links from the other side (the feature page's "Link feedback" panel and the roadmap card's dialog).

Thin, like the other pages: a form checks the shape, a ``services.feedback_*`` function asks the rules, keeps the
links inside one product and keeps the features' demand current. Every action is a plain form (POST, then a
redirect back) that htmx upgrades: the inbox's row is replaced in place with the view counts swapped out of
band, a link from a feature page or a roadmap card swaps that feature's demand badge (``feature-<pk>-demand``).
A refused write answers 400 with the reason and changes nothing; who may not write gets no controls and a 403.
"""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.core.paginator import COUNT_CAP, CappedPaginator
from portfolio.core.permissions import can
from products import selectors, services
from products.filters import FeedbackFilter
from products.forms import (
    FEATURE_FIELDS,
    FeatureFeedbackForm,
    FeatureForm,
    FeedbackForm,
    FeedbackLinkForm,
    FeedbackTriageForm,
    show_errors,
)
from products.models import Feedback, Product
from products.views.common import feature_or_404, product_or_404

INBOX_PAGE = 50
# The inbox's filters, kept in the address (and passed on to the CSV export and the page links).
FILTER_FIELDS = (
    *("q", "channel", "segment", "sentiment", "importance", "company", "status"),
    *("feature", "received_after", "received_before"),
)
DEFAULT_VIEW = "new"


def _feedback(product: Product, pk: int) -> Feedback:
    try:
        return selectors.feedback_detail(product=product, pk=pk)
    except Feedback.DoesNotExist:
        raise Http404("No such feedback in this product.") from None


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form) -> str:
    return " ".join(message for messages_ in form.errors.values() for message in messages_)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _inbox_url(product: Product) -> str:
    return reverse("products:feedback_list", kwargs={"slug": product.slug})


def _detail_url(product: Product, feedback: Feedback) -> str:
    return reverse("products:feedback_detail", kwargs={"slug": product.slug, "pk": feedback.pk})


# --- The inbox --------------------------------------------------------------------------------------


class _Inbox:
    """The inbox as ``query`` (an address's query string) asks for it: filters, view and the views' counts."""

    def __init__(self, product: Product, query: QueryDict):
        self.product = product
        self.query = query
        data = QueryDict(mutable=True)
        for name in FILTER_FIELDS:
            data.setlist(name, query.getlist(name))
        self.filterset = FeedbackFilter(data, queryset=Feedback.objects.filter(product=product))
        self.valid = self.filterset.is_valid()
        # A filter that cannot be read shows its error and no items, not the items of the other filters.
        self.items = self.filterset.qs if self.valid else self.filterset.queryset.none()
        # A status filter means every view (the statuses asked for); else the new items wait first.
        default = "all" if query.get("status") else DEFAULT_VIEW
        view = query.get("view") or default
        self.view = view if view in selectors.FEEDBACK_VIEWS else DEFAULT_VIEW
        self.filter_pairs = [(name, value) for name in FILTER_FIELDS for value in query.getlist(name) if value]

    def export_pairs(self) -> list[tuple[str, str]]:
        """The CSV export's query: the filters, and the view's statuses unless a status filter says which."""
        statuses = selectors.FEEDBACK_VIEWS[self.view][1]
        if self.query.getlist("status") or not statuses:
            return self.filter_pairs
        return [*self.filter_pairs, *(("status", status) for status in statuses)]

    def counts(self) -> dict[str, int]:
        return selectors.feedback_view_counts(queryset=self.items)

    def views(self, counts: dict[str, int]) -> list[dict]:
        """The view switch: each view's label, count, address (filters kept) and whether it is the one shown."""
        return [
            {
                "key": key,
                "label": label,
                "count": shown_count(counts[key]),
                "query": urlencode([("view", key), *self.filter_pairs]),
                "current": key == self.view,
            }
            for key, (label, _statuses) in selectors.FEEDBACK_VIEWS.items()
        ]


MULTIPLE = frozenset({"channel", "sentiment", "importance", "status"})


def shown_count(count: int) -> str:
    """A count as the inbox shows it: "500+" past the cap its counts stop at."""
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else str(count)


def _row_context(request, product: Product, *, may_change: bool) -> dict:
    return {
        "product": product,
        "may_change": may_change,
        "may_add_feature": may_change and can(request.user, "products.add_feature", product),
        "importances": Feedback.Importance.choices,
        "sentiments": Feedback.Sentiment.choices,
    }


def feedback_list(request, slug: str):
    """The inbox: new items first (triaged, archived and all a click away), filtered, searched, 50 a page."""
    product = product_or_404(slug)
    inbox = _Inbox(product, request.GET)
    counts = inbox.counts()
    # Counted up to a cap: past it, pages still go on (each reads one row more to know if another follows).
    items = selectors.feedback_inbox(queryset=inbox.items, view=inbox.view)
    # The view's count, already taken, is the paginator's: one count query fewer.
    page = CappedPaginator(items, INBOX_PAGE, counted=counts[inbox.view]).get_page(request.GET.get("page"))
    filter_query = urlencode(inbox.filter_pairs)
    context = {
        **_row_context(request, product, may_change=can(request.user, "products.change_feedback", product)),
        "may_add": can(request.user, "products.add_feedback", product),
        "tab": "feedback",
        "part": "Feedback",
        "page_obj": page,
        "page_size": INBOX_PAGE,
        "view": inbox.view,
        "view_label": selectors.FEEDBACK_VIEWS[inbox.view][0],
        "views": inbox.views(counts),
        "filterset": inbox.filterset,
        "filtered": bool(filter_query),
        "page_query": urlencode([("view", inbox.view), *inbox.filter_pairs]),
        "export_query": urlencode(inbox.export_pairs()),
        "selected": {name: request.GET.getlist(name) for name in MULTIPLE},
        "channels": Feedback.Channel.choices,
        "statuses": Feedback.Status.choices,
        "next": request.get_full_path(),
    }
    return render(request, "products/feedback/feedback_list.html", context, status=200 if inbox.valid else 400)


def _answer(request, product: Product, feedback: Feedback, *, error: str = "", done: str = "") -> HttpResponse:
    """After an action on an item: htmx gets its row (and the inbox's counts) back; a plain form, a redirect."""
    if request.htmx:
        feedback = _feedback(product, feedback.pk)
        current = urlsplit(request.headers.get("HX-Current-URL", "")).query
        inbox = _Inbox(product, QueryDict(current))
        counts = inbox.counts()
        context = {
            **_row_context(request, product, may_change=True),
            "item": feedback,
            "error": error,
            "done": done,
            "views": inbox.views(counts),
            "new_count": shown_count(selectors.product_new_feedback_count(product=product)),
            "oob": True,
            "next": request.POST.get("next", ""),
        }
        html = render_to_string("products/feedback/partials/_feedback_row.html", context, request=request)
        html += render_to_string("products/feedback/partials/_feedback_counts.html", context, request=request)
        # A refusal is shown in the row (htmx swaps only 2xx answers); the plain form's answer to it is a 400.
        return HttpResponse(html)
    messages.success(request, done)
    return HttpResponseRedirect(_safe_next(request, _detail_url(product, feedback)))


def _act(request, slug: str, pk: int, action) -> HttpResponse:
    """Run ``action(feedback) -> message`` on the item for its product's editors; a refusal is a 400, unsaved."""
    product = product_or_404(slug)
    feedback = _feedback(product, pk)
    _require(request.user, "products.change_feedback", feedback)
    try:
        done = action(feedback)
    except ValidationError as error:
        if request.htmx:
            return _answer(request, product, feedback, error=_errors(error))
        return _refused_page(request, product, feedback, _errors(error))
    return _answer(request, product, feedback, done=done)


def _refused_page(request, product: Product, feedback: Feedback, error: str) -> HttpResponse:
    """A refused action without script: the item's page with the reason, as a 400 (nothing was saved)."""
    context = _detail_context(request, product, _feedback(product, feedback.pk))
    context["error"] = error
    return render(request, "products/feedback/feedback_detail.html", context, status=400)


class _Refused(ValidationError):
    pass


def _valid(form) -> dict:
    if not form.is_valid():
        raise _Refused(_form_errors(form))
    return form.cleaned_data


@require_POST
def feedback_triage(request, slug: str, pk: int):
    """Set an item's importance and sentiment: it is triaged (linked, when it has features)."""

    def action(feedback):
        data = _valid(FeedbackTriageForm(request.POST))
        services.feedback_triage(
            user=request.user, feedback=feedback, importance=data["importance"], sentiment=data["sentiment"]
        )
        return f"“{feedback.summary}” is triaged."

    return _act(request, slug, pk, action)


@require_POST
def feedback_link(request, slug: str, pk: int):
    """Link an item to one or more features of its product (the inbox's feature search)."""

    def action(feedback):
        features = list(_valid(FeedbackLinkForm(request.POST))["features"])
        services.feedback_link(user=request.user, feedback=feedback, features=features)
        titles = ", ".join(f"“{feature.title}”" for feature in features)
        return f"“{feedback.summary}” is linked to {titles}."

    return _act(request, slug, pk, action)


@require_POST
def feedback_unlink(request, slug: str, pk: int):
    """Take a link between an item and a feature away."""

    def action(feedback):
        features = list(_valid(FeedbackLinkForm(request.POST))["features"])
        services.feedback_unlink(user=request.user, feedback=feedback, features=features)
        titles = ", ".join(f"“{feature.title}”" for feature in features)
        return f"“{feedback.summary}” is no longer linked to {titles}."

    return _act(request, slug, pk, action)


@require_POST
def feedback_archive(request, slug: str, pk: int):
    """Archive an item: it leaves the inbox's lists (its links stay) and can be restored."""

    def action(feedback):
        services.feedback_archive(user=request.user, feedback=feedback)
        return f"“{feedback.summary}” is archived."

    return _act(request, slug, pk, action)


@require_POST
def feedback_restore(request, slug: str, pk: int):
    """Bring an archived item back to the inbox."""

    def action(feedback):
        services.feedback_restore(user=request.user, feedback=feedback)
        return f"“{feedback.summary}” is back in the inbox."

    return _act(request, slug, pk, action)


def feedback_feature_search(request, slug: str):
    """Up to 20 of the product's features matching ``q``, to link the item ``item`` to (htmx: the results only)."""
    product = product_or_404(slug)
    feedback = None
    item = request.GET.get("item", "")
    if item:
        if not item.isdigit():
            raise Http404("No such feedback in this product.")
        feedback = _feedback(product, int(item))
    q = request.GET.get("q", "")[:200]
    context = {
        "product": product,
        "item": feedback,
        "q": q,
        "features": selectors.feedback_feature_candidates(product=product, q=q, feedback=feedback),
        "may_change": feedback is not None and can(request.user, "products.change_feedback", feedback),
        "inline": request.GET.get("inline") == "1",
        "next": _safe_next(request, _inbox_url(product)),
    }
    if request.htmx:
        return render(request, "products/feedback/partials/_feature_results.html", context)
    return render(request, "products/feedback/feedback_feature_search.html", context)


# --- An item's page, entry by hand, edit, delete, and a feature made from it ---------------------------


def _detail_context(request, product: Product, feedback: Feedback) -> dict:
    return {
        **_row_context(request, product, may_change=can(request.user, "products.change_feedback", feedback)),
        "item": feedback,
        "may_delete": can(request.user, "products.delete_feedback", feedback),
        "tab": "feedback",
        "next": _detail_url(product, feedback),
    }


def feedback_detail(request, slug: str, pk: int):
    """One item in full: the customer's words, who and where from, its triage and its linked features."""
    product = product_or_404(slug)
    feedback = _feedback(product, pk)
    return render(request, "products/feedback/feedback_detail.html", _detail_context(request, product, feedback))


@require_http_methods(["GET", "POST"])
def feedback_create(request, slug: str):
    """Enter an item by hand (notes from a customer call, an email forwarded by sales)."""
    product = product_or_404(slug)
    _require(request.user, "products.add_feedback", product)
    form = FeedbackForm(request.POST or None, initial={"received_at": _now()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                feedback = services.feedback_create(user=request.user, product=product, data=form.service_data())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Feedback “{feedback.summary}” added to the inbox.")
                return redirect(_detail_url(product, feedback))
        status = 400
    context = {"product": product, "form": form, "creating": True, "tab": "feedback"}
    return render(request, "products/feedback/feedback_form.html", context, status=status)


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


@require_http_methods(["GET", "POST"])
def feedback_update(request, slug: str, pk: int):
    """Edit an item's words, customer, channel, segment, triage or date."""
    product = product_or_404(slug)
    feedback = _feedback(product, pk)
    _require(request.user, "products.change_feedback", feedback)
    form = FeedbackForm(request.POST or None, initial=FeedbackForm.initial_from(feedback))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.feedback_update(user=request.user, feedback=feedback, data=form.service_data())
            except ValidationError as error:
                show_errors(form, error)
                feedback = _feedback(product, pk)  # the heading shows the stored item, not the refused edit
            else:
                messages.success(request, f"Feedback “{form.cleaned_data['summary']}” saved.")
                return redirect(_detail_url(product, feedback))
        status = 400
    context = {"product": product, "item": feedback, "form": form, "tab": "feedback"}
    return render(request, "products/feedback/feedback_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def feedback_delete(request, slug: str, pk: int):
    """Ask, then delete an item (the features it was linked to lose its demand) and go back to the inbox."""
    product = product_or_404(slug)
    feedback = _feedback(product, pk)
    _require(request.user, "products.delete_feedback", feedback)
    if request.method == "POST":
        services.feedback_delete(user=request.user, feedback=feedback)
        messages.success(request, f"Feedback “{feedback.summary}” deleted.")
        return redirect(_inbox_url(product))
    links = len(feedback.features.all())
    consequence = "It is linked to no feature."
    if links:
        consequence = f"The {links} feature{'' if links == 1 else 's'} it is linked to will lose its demand."
    context = {
        "product": product,
        "object": feedback,
        "title": f"Delete the feedback “{feedback.summary}”",
        "consequence": f"{consequence} Archive it instead to keep it out of the inbox and keep its links.",
        "action": "Delete",
        "back": "products:feedback_list",
        "tab": "feedback",
    }
    return render(request, "products/confirm_delete.html", context)


@require_http_methods(["GET", "POST"])
def feedback_create_feature(request, slug: str, pk: int):
    """A new feature from an item: the feature form filled from it; saved, the item is linked to the feature."""
    product = product_or_404(slug)
    feedback = _feedback(product, pk)
    _require(request.user, "products.add_feature", product)
    _require(request.user, "products.change_feedback", feedback)
    choices = selectors.feature_form_choices(product=product)
    initial = selectors.feedback_feature_prefill(feedback=feedback)
    form = FeatureForm(request.POST or None, initial=initial, choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in FEATURE_FIELDS}
            data["objectives"] = list(form.cleaned_data["objectives"])
            try:
                feature = services.feedback_create_feature(user=request.user, feedback=feedback, data=data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Feature “{feature.title}” created and linked to “{feedback.summary}”.")
                return redirect("products:feature_detail", slug=product.slug, pk=feature.pk)
        status = 400
    context = {
        "product": product,
        "form": form,
        "creating": True,
        "from_feedback": feedback,
        "form_action": reverse("products:feedback_create_feature", kwargs={"slug": product.slug, "pk": feedback.pk}),
    }
    return render(request, "products/feature_form.html", context, status=status)


# --- From the feature's side: its page's "Link feedback" panel and the roadmap card's dialog ---------------

PANELS = ("page", "card")


def _panel(request) -> str:
    panel = request.POST.get("panel") or request.GET.get("panel")
    return panel if panel in PANELS else "page"


def feature_feedback_search(request, slug: str, pk: int):
    """Up to 20 items of the product not yet linked to the feature, matching ``q`` (htmx: the results only)."""
    product = product_or_404(slug)
    feature = feature_or_404(product, pk)
    q = request.GET.get("q", "")[:200]
    context = {
        "product": product,
        "feature": feature,
        "q": q,
        "panel": _panel(request),
        "items": selectors.feature_feedback_candidates(feature=feature, q=q),
        "may_change": can(request.user, "products.change_feature", feature),
        "next": _safe_next(request, reverse("products:feature_detail", kwargs={"slug": product.slug, "pk": pk})),
    }
    if request.htmx:
        return render(request, "products/feedback/partials/_feedback_results.html", context)
    return render(request, "products/feedback/feature_feedback_search.html", context)


def _feature_side(request, slug: str, pk: int, write, verb: str, *, linking: bool) -> HttpResponse:
    """Link (``linking``) or unlink an item and the feature; htmx gets the outcome and the demand badge in place."""
    product = product_or_404(slug)
    feature = feature_or_404(product, pk)
    _require(request.user, "products.change_feature", feature)
    form = FeatureFeedbackForm(request.POST)
    error, feedback = "", None
    if not form.is_valid():
        error = _form_errors(form)
    else:
        feedback = form.cleaned_data["feedback"]
        try:
            write(user=request.user, feedback=feedback, features=[feature])
        except ValidationError as refused:
            error = _errors(refused)
    message = error or f"“{feedback.summary}” {verb} “{feature.title}”."
    detail_url = reverse("products:feature_detail", kwargs={"slug": product.slug, "pk": pk})
    if not request.htmx:
        if error:
            context = {"product": product, "feature": feature, "error": error, "back": _safe_next(request, detail_url)}
            return render(request, "products/feedback/feature_feedback_refused.html", context, status=400)
        messages.success(request, message)
        return HttpResponseRedirect(_safe_next(request, detail_url))
    feature = feature_or_404(product, pk)  # its demand as the write left it
    panel = _panel(request)
    context = {
        "product": product,
        "feature": feature,
        "item": feedback,
        "message": message,
        "error": error,
        "panel": panel,
        "may_change": True,
    }
    html = ""
    if linking:  # the found item's row says what happened
        html += render_to_string("products/feedback/partials/_link_outcome.html", context, request=request)
    if panel == "page":  # the page's list of quotes, with the one linked or without the one unlinked
        context["feedback"] = selectors.feature_feedback(feature=feature)
        context["oob"] = linking
        html += render_to_string("products/feedback/partials/_feature_quotes.html", context, request=request)
    context["oob"] = True
    html += render_to_string("products/partials/_feature_demand.html", context, request=request)
    # A refusal is said where the action was (htmx swaps only 2xx answers); the plain form's answer is a 400.
    return HttpResponse(html)


@require_POST
def feature_feedback_link(request, slug: str, pk: int):
    """Link an item to the feature from its page or its roadmap card; its demand badge follows in place."""
    return _feature_side(request, slug, pk, services.feedback_link, "is linked to", linking=True)


@require_POST
def feature_feedback_unlink(request, slug: str, pk: int):
    """Take an item's link to the feature away, from the feature's page."""
    return _feature_side(request, slug, pk, services.feedback_unlink, "is no longer linked to", linking=False)
