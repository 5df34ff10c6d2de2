"""The roadmap editor: timeline (by quarter or by release), now/next/later board, list, print view and CSV.

Every view reads the product's features through the one ``FeatureFilter`` the API uses, so a filter means the
same on the page, in the CSV and in ``/api/v1/features/``. Moves go through ``services.feature_move``: the
page's drag and drop posts to the API's ``move`` action, the "Move" menu of each card (the keyboard and
no-script path) to ``roadmap_feature_move`` here.
"""

import csv
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portfolio.core.exceptions import Conflict
from portfolio.core.permissions import can
from portfolio.core.spreadsheets import safe_cell
from products import selectors, services
from products.filters import FeatureFilter
from products.forms import NONE, FeatureMoveForm
from products.models import Feature, Product
from products.views.common import product_detail_or_404

FILTER_FIELDS = ("theme", "status", "owner", "objective")
LIST_PAGE = 50
CSV_COLUMNS = (
    "id",
    "title",
    "status",
    "horizon",
    "theme",
    "release",
    "start_date",
    "end_date",
    "owner",
    "reach",
    "impact",
    "confidence",
    "effort",
    "rice_score",
    "demand",
    "demand_count",
    "position",
)


def _move_options(*, themes, releases, window) -> dict[str, str]:
    """The options of the cards' "Move" menus, rendered once for all cards (they are the same on every card)."""

    def options(pairs) -> str:
        return format_html_join("", '<option value="{}">{}</option>', pairs)

    return {
        "horizons": options(Feature.Horizon.choices),
        "quarters": options((quarter.key, f"Start in {quarter.label}") for quarter in window),
        "releases": options([(NONE, "No release"), *((release.pk, release.name) for release in releases)]),
        "themes": options([(NONE, "No theme"), *((theme.pk, theme.name) for theme in themes)]),
    }


class _Roadmap:
    """What every roadmap view starts from: the product, the filtered features, who may move them."""

    def __init__(self, request, slug: str):
        self.request = request
        self.product = product_detail_or_404(slug)
        self.filterset = FeatureFilter(request.GET, queryset=Feature.objects.filter(product=self.product))
        self.valid = self.filterset.is_valid()
        # A filter that cannot be read shows its error and no features, not the features of the other filters.
        self.features = self.filterset.qs if self.valid else self.filterset.queryset.none()
        self.can_edit = can(request.user, "products.change_feature", self.product)
        self.filter_query = urlencode(
            [(name, value) for name in FILTER_FIELDS for value in request.GET.getlist(name) if value]
        )

    def context(self, **extra) -> dict:
        product = self.product
        return {
            "product": product,
            "filterset": self.filterset,
            "filter_query": self.filter_query,
            "filtered": bool(self.filter_query),
            "can_edit": self.can_edit,
            "statuses": Feature.Status.choices,
            "horizons": Feature.Horizon.choices,
            "owners": selectors.roadmap_owners(product=product),
            "objectives": product.objectives.all(),
            "selected": {name: self.request.GET.getlist(name) for name in FILTER_FIELDS},
            **extra,
        }

    def render(self, template: str, context: dict):
        return render(self.request, template, context, status=200 if self.valid else 400)


def _describe(cards) -> None:
    for card in cards:
        card.place = feature_place(card)


def _place(*, cards, window) -> None:
    """Give each card its columns on the timeline (``col_start``, ``col_end``, 1-based, inclusive) and flags."""
    last = len(window) - 1
    for card in cards:
        start = card.start_date or card.end_date
        end = card.end_date or card.start_date
        first_index = selectors.Quarter.of(start).minus(window[0])
        last_index = selectors.Quarter.of(end).minus(window[0])
        card.col_start = max(0, first_index) + 1
        card.col_end = min(last, last_index) + 1
        card.starts_before = first_index < 0
        card.ends_after = last_index > last
        card.quarter_offset = first_index
        card.place = feature_place(card)


def _place_in_releases(*, cards, releases) -> None:
    index = {release.pk: number for number, release in enumerate(releases, start=1)}
    for card in cards:
        card.col_start = card.col_end = index.get(card.release_id, 1)
        card.place = feature_place(card)


def _today_mark(*, today, window) -> int | None:
    """Where today falls on the window, in twentieths of its width (0–20), or None outside it."""
    first, last = window[0].start, window[-1].end
    if not first <= today <= last:
        return None
    return round(20 * (today - first).days / ((last - first).days + 1))


def roadmap(request, slug: str):
    """The timeline: quarters (or releases) as columns, themes as swimlanes, cards spanning their dates."""
    view = _Roadmap(request, slug)
    today = timezone.localdate()
    first = selectors.Quarter.parse(request.GET.get("from", ""))
    window = selectors.roadmap_window(today=today, first=first)
    by_release = request.GET.get("by") == "release"
    themes = selectors.roadmap_themes(product=view.product)
    releases = selectors.product_releases(product=view.product)
    if by_release:
        columns = selectors.roadmap_window_releases(product=view.product, window=window)
        lanes = selectors.roadmap_in_releases(features=view.features, themes=themes, releases=columns)
        tray, tray_count = selectors.roadmap_without_release(features=view.features)
        _describe(tray)
        for lane in lanes:
            _place_in_releases(cards=lane.cards, releases=columns)
    else:
        columns = window
        lanes = selectors.roadmap_timeline(features=view.features, themes=themes, window=window)
        tray, tray_count = selectors.roadmap_unscheduled(features=view.features)
        _describe(tray)
        for lane in lanes:
            _place(cards=lane.cards, window=window)
    step = selectors.WINDOW_QUARTERS - 1
    context = view.context(
        tab="roadmap",
        window=window,
        columns=columns,
        by_release=by_release,
        lanes=lanes,
        tray=tray,
        tray_count=tray_count,
        move_options=_move_options(themes=themes, releases=releases, window=window) if view.can_edit else None,
        today=today,
        today_mark=_today_mark(today=today, window=window),
        current_quarter=selectors.Quarter.of(today),
        earlier=window[0].shifted(-step).key,
        later=window[0].shifted(step).key,
        lane_limit=selectors.LANE_LIMIT,
        window_from=first.key if first else "",
        keep=[
            (name, value)
            for name, value in (("by", "release" if by_release else ""), ("from", first.key if first else ""))
            if value
        ],
    )
    return view.render("products/roadmap/roadmap_timeline.html", context)


def roadmap_board(request, slug: str):
    """Now / next / later: each column's first cards in position order, and "show more" for the rest."""
    view = _Roadmap(request, slug)
    themes = selectors.roadmap_themes(product=view.product)
    releases = selectors.product_releases(product=view.product)
    window = selectors.roadmap_window(today=timezone.localdate())
    horizon = request.GET.get("column")
    if request.headers.get("HX-Request") and horizon in Feature.Horizon.values:
        offset = _offset(request.GET.get("offset"))
        cards, total = selectors.roadmap_board_more(features=view.features, horizon=horizon, offset=offset)
        _describe(cards)
        context = view.context(
            cards=cards,
            horizon=horizon,
            next_offset=offset + len(cards),
            total=total,
            themes=themes,
            move_options=_move_options(themes=themes, releases=releases, window=window) if view.can_edit else None,
        )
        return view.render("products/partials/_board_more.html", context)
    columns = selectors.roadmap_board(features=view.features)
    for _horizon, _label, cards, _total in columns:
        _describe(cards)
    context = view.context(
        tab="board",
        columns=columns,
        themes=themes,
        move_options=_move_options(themes=themes, releases=releases, window=window) if view.can_edit else None,
    )
    return view.render("products/roadmap/roadmap_board.html", context)


def _offset(value) -> int:
    try:
        return max(0, min(int(value), 10**9))
    except (TypeError, ValueError):
        return 0


def roadmap_list(request, slug: str):
    """The features as a table, sortable by RICE score, demand, title and status, a page at a time."""
    view = _Roadmap(request, slug)
    ordering = request.GET.get("sort", selectors.DEFAULT_LIST_ORDERING)
    if ordering not in selectors.LIST_ORDERINGS:
        ordering = selectors.DEFAULT_LIST_ORDERING
    features = selectors.roadmap_list(features=view.features, ordering=ordering)
    page = Paginator(features, LIST_PAGE).get_page(request.GET.get("page"))
    context = view.context(
        tab="list",
        page_obj=page,
        ordering=ordering,
        orderings=selectors.LIST_ORDERINGS,
        sort_label=selectors.LIST_ORDERINGS[ordering][0],
        sort_keep=[("sort", ordering)],
        # A column's link sorts by it, or reverses it when it is already the order.
        rice_sort="rice_score" if ordering == "-rice_score" else "-rice_score",
        demand_sort="demand" if ordering == "-demand" else "-demand",
        title_sort="-title" if ordering == "title" else "title",
        status_sort="-status" if ordering == "status" else "status",
    )
    return view.render("products/roadmap/roadmap_list.html", context)


def roadmap_print(request, slug: str):
    """The timeline's window as a printable page: the lanes and their cards, no controls."""
    view = _Roadmap(request, slug)
    today = timezone.localdate()
    window = selectors.roadmap_window(today=today, first=selectors.Quarter.parse(request.GET.get("from", "")))
    themes = selectors.roadmap_themes(product=view.product)
    lanes = selectors.roadmap_timeline(features=view.features, themes=themes, window=window)
    for lane in lanes:
        _place(cards=lane.cards, window=window)
    tray, tray_count = selectors.roadmap_unscheduled(features=view.features)
    context = view.context(
        window=window,
        columns=window,
        lanes=lanes,
        tray=tray,
        tray_count=tray_count,
        today=today,
        today_mark=_today_mark(today=today, window=window),
        current_quarter=selectors.Quarter.of(today),
        can_edit=False,
        printing=True,
    )
    return view.render("products/roadmap/roadmap_print.html", context)


def roadmap_csv(request, slug: str):
    """The roadmap's features (with the page's filters) as CSV, safe to open in a spreadsheet."""
    view = _Roadmap(request, slug)
    if not view.valid:
        errors = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in view.filterset.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{view.product.slug}-roadmap.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for feature in selectors.roadmap_csv_rows(features=view.features):
        owner = feature.owner.get_full_name() or feature.owner.username if feature.owner else ""
        row = {
            **{name: getattr(feature, name) for name in CSV_COLUMNS},
            "id": feature.pk,
            "theme": feature.theme.name if feature.theme else "",
            "release": feature.release.name if feature.release else "",
            "owner": owner,
        }
        writer.writerow([safe_cell(row[name]) for name in CSV_COLUMNS])
    return response


def feature_place(feature: Feature) -> str:
    """Where a feature is on the roadmap, in words: horizon, theme, release and quarters."""
    parts = [feature.get_horizon_display(), feature.theme.name if feature.theme else "No theme"]
    parts.append(feature.release.name if feature.release else "no release")
    start = feature.start_date or feature.end_date
    end = feature.end_date or feature.start_date
    if start:
        first, last = selectors.Quarter.of(start), selectors.Quarter.of(end)
        parts.append(first.label if first == last else f"{first.label} – {last.label}")
    else:
        parts.append("unscheduled")
    return ", ".join(parts)


def _back(request, product: Product) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("products:roadmap", kwargs={"slug": product.slug})


@require_POST
def roadmap_feature_move(request, slug: str, pk: int):
    """Move a feature from its card's "Move" menu (no drag needed): horizon, quarter, release, theme, up/down."""
    product = product_detail_or_404(slug)
    feature = Feature.objects.select_related("theme", "release", "product").filter(product=product, pk=pk).first()
    if feature is None:
        raise Http404("No such feature on this product.")
    if not can(request.user, "products.change_feature", feature):
        raise PermissionDenied("You may not move features of this product.")
    form = FeatureMoveForm(request.POST, product=product, feature=feature)
    error = True
    if not form.is_valid():
        errors = "; ".join(" ".join(errs) for errs in form.errors.values())
        message = f"{feature.title} was not moved: {errors}"
    else:
        try:
            moved = services.feature_move(user=request.user, feature=feature, **form.move_arguments())
        except Conflict:
            current = Feature.objects.select_related("theme", "release").get(pk=feature.pk)
            message = f"Someone else changed {current.title} — it is now in {feature_place(current)}."
        except ValidationError as refused:
            message = f"{feature.title} was not moved: {' '.join(refused.messages)}"
        else:
            message, error = f"Moved {moved.title} to {feature_place(moved)}.", False
    if request.headers.get("HX-Request"):
        # The page's script says it in the live region and fetches the roadmap again, so the card shows
        # where the server has it (after a conflict too).
        detail = {"message": message, "failed": error, "feature": feature.pk}
        return HttpResponse(status=204, headers={"HX-Trigger": json.dumps({"roadmap:moved": detail})})
    (messages.error if error else messages.success)(request, message)
    return HttpResponseRedirect(_back(request, product))
