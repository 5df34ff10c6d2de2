"""The roadmap pages: timeline, board, list, print view and CSV; the card's "Move" menu; who sees what."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse

from products.models import Feature, ProductMember
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    FeatureFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    ThemeFactory,
    link_feedback,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 15)  # Q4 2026: the default window is Q3 2026 – Q3 2027


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager)


@pytest.fixture
def payments(atlas):
    return ThemeFactory(product=atlas, name="Payments", position=1)


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.VIEWER)
    return user


def url(name, product, **query):
    base = reverse(f"products:{name}", kwargs={"slug": product.slug})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def dated(product, **fields):
    fields.setdefault("start_date", datetime.date(2026, 10, 1))
    fields.setdefault("end_date", datetime.date(2026, 12, 15))
    return FeatureFactory(product=product, **fields)


def move_url(feature):
    return reverse("products:roadmap_feature_move", kwargs={"slug": feature.product.slug, "pk": feature.pk})


def move_form(feature, **fields):
    form = {
        "version": feature.version,
        "horizon": "",  # "" keeps what the feature has
        "theme": "",
        "release": "",
        "quarter": "",
        "direction": "",
    }
    return form | fields


PAGES = ["roadmap", "roadmap_board", "roadmap_list", "roadmap_print"]


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["product_manager", "editor"])
def test_editors_get_drag_handles_and_move_menus(client, request, atlas, payments, name, who):
    dated(atlas, theme=payments, title="Offline maps")
    client.force_login(request.getfixturevalue(who))

    page = client.get(url(name, atlas)).content.decode()

    assert "Offline maps" in page
    if name in ("roadmap", "roadmap_board"):
        assert 'class="drag-handle"' in page and "roadmap_feature_move" not in page
        assert 'data-editable="true"' in page and "js/roadmap.js" in page and "sortable-1.15.7.min.js" in page
        assert f'action="{move_url(Feature.objects.get())}"' in page


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["viewer", "member", "leader", "outsider"])
def test_viewers_and_outsiders_read_the_roadmap_without_any_control(client, request, atlas, payments, name, who):
    feature = dated(atlas, theme=payments, title="Offline maps")
    client.force_login(request.getfixturevalue(who))

    response = client.get(url(name, atlas))
    page = response.content.decode()

    assert response.status_code == 200 and "Offline maps" in page
    assert "drag-handle" not in page and "move-menu" not in page and move_url(feature) not in page
    assert "data-editable" not in page and "roadmap.js" not in page and "New feature" not in page


@pytest.mark.parametrize("who", ["viewer", "member", "leader", "outsider"])
def test_a_forced_move_by_a_reader_is_refused_and_changes_nothing(client, request, atlas, payments, who):
    feature = dated(atlas, theme=payments)
    client.force_login(request.getfixturevalue(who))

    response = client.post(move_url(feature), move_form(feature, horizon="now", quarter="2027-Q2"))

    assert response.status_code == 403
    feature.refresh_from_db()
    assert (feature.horizon, feature.start_date, feature.version) == ("later", datetime.date(2026, 10, 1), 1)


def test_anonymous_visitors_are_sent_to_sign_in(client, atlas):
    for name in [*PAGES, "roadmap_csv"]:
        response = client.get(url(name, atlas))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_unknown_product_or_a_feature_of_another_product_is_not_found(client, atlas, product_manager):
    other = FeatureFactory()
    client.force_login(product_manager)

    assert client.get("/products/nope/roadmap/").status_code == 404
    wrong = reverse("products:roadmap_feature_move", kwargs={"slug": atlas.slug, "pk": other.pk})
    assert client.post(wrong, move_form(other)).status_code == 404


def test_a_move_is_a_post_only(client, atlas, product_manager):
    feature = dated(atlas)
    client.force_login(product_manager)

    assert client.get(move_url(feature)).status_code == 405


# --- The timeline -------------------------------------------------------------------------------


def test_the_timeline_has_the_window_s_quarters_the_lanes_a_today_line_and_the_tray(client, atlas, payments, member):
    dated(atlas, theme=payments, title="Spans two", end_date=datetime.date(2027, 2, 1))
    dated(atlas, title="Long ago", start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 3, 1))
    FeatureFactory(product=atlas, title="Someday")
    client.force_login(member)

    response = client.get(url("roadmap", atlas))
    page = response.content.decode()

    assert [q.key for q in response.context["window"]] == ["2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
    assert "Q3 2026" in page and "Q3 2027" in page and "(this quarter)" in page
    assert "Today, 15 Nov" in page  # a text label, not colour alone
    (payments_lane, no_theme) = response.context["lanes"]
    (card,) = payments_lane.cards
    assert (card.title, card.col_start, card.col_end) == ("Spans two", 2, 3)  # Q4 2026 to Q1 2027
    assert 'class="rm-card col-s2 col-e3' in page
    assert no_theme.cards == [] and "Long ago" not in page
    assert [c.title for c in response.context["tray"]] == ["Someday"] and "Unscheduled" in page


def test_earlier_and_later_move_the_window(client, atlas, payments, member):
    dated(atlas, title="Long ago", start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 3, 1))
    client.force_login(member)

    page = client.get(url("roadmap", atlas)).content.decode()
    earlier = client.get(url("roadmap", atlas, **{"from": "2025-Q3"}))

    assert "from=2025-Q3" in page and "from=2027-Q3" in page
    assert "Long ago" not in page
    assert [q.key for q in earlier.context["window"]][0] == "2025-Q3"
    assert "Long ago" not in earlier.content.decode()
    assert "Long ago" in client.get(url("roadmap", atlas, **{"from": "2024-Q4"})).content.decode()


def test_the_timeline_by_release_puts_cards_in_their_release_column(client, atlas, payments, member):
    first = ReleaseFactory(product=atlas, name="R1", target_date=datetime.date(2026, 10, 1))
    second = ReleaseFactory(product=atlas, name="R2", target_date=datetime.date(2027, 1, 15))
    dated(atlas, theme=payments, release=second, title="In R2")
    FeatureFactory(product=atlas, title="No release")
    client.force_login(member)

    response = client.get(url("roadmap", atlas, by="release"))

    assert response.context["columns"] == [first, second]
    (card,) = response.context["lanes"][0].cards
    assert (card.title, card.col_start) == ("In R2", 2)
    assert [c.title for c in response.context["tray"]] == ["No release"]
    assert "In no release" in response.content.decode()


def test_a_lane_shows_its_first_cards_and_links_to_the_rest(client, atlas, payments, member, settings, monkeypatch):
    monkeypatch.setattr("products.selectors.LANE_LIMIT", 2)
    monkeypatch.setattr("products.selectors.roadmap_lanes.__defaults__", (2,))
    monkeypatch.setattr("products.selectors.roadmap_timeline.__kwdefaults__", {"limit": 2})
    for n in range(3):
        dated(atlas, theme=payments, title=f"F{n}", position=n * 1024)
    client.force_login(member)

    page = client.get(url("roadmap", atlas)).content.decode()

    assert "F0" in page and "F1" in page and "F2" not in page
    assert "1 more in the list" in page


# --- The board and the list ---------------------------------------------------------------------


def test_the_board_shows_now_next_and_later_in_position_order(client, atlas, member):
    FeatureFactory(product=atlas, horizon="next", position=2048, title="Second")
    FeatureFactory(product=atlas, horizon="next", position=1024, title="First")
    FeatureFactory(product=atlas, horizon="now", title="Doing")
    client.force_login(member)

    response = client.get(url("roadmap_board", atlas))

    columns = {horizon: [c.title for c in cards] for horizon, _l, cards, _n in response.context["columns"]}
    assert columns == {"now": ["Doing"], "next": ["First", "Second"], "later": []}


def test_the_board_shows_more_of_a_column_through_htmx(client, atlas, member, monkeypatch):
    monkeypatch.setattr("products.selectors.roadmap_board.__kwdefaults__", {"limit": 2})
    monkeypatch.setattr("products.selectors.roadmap_board_more.__kwdefaults__", {"limit": 2})
    for n in range(5):
        FeatureFactory(product=atlas, horizon="later", position=n, title=f"Later card {n}")
    client.force_login(member)

    page = client.get(url("roadmap_board", atlas)).content.decode()
    more = client.get(url("roadmap_board", atlas, column="later", offset=2), headers={"HX-Request": "true"})

    assert "Later card 1" in page and "Later card 2" not in page and "Show more (5 in all, 2 shown)" in page
    assert more.status_code == 200
    body = more.content.decode()
    assert "Later card 2" in body and "Later card 3" in body and "Later card 4" not in body
    assert "Show more (5 in all, 4 shown)" in body
    assert "<html" not in body and "hx-swap-oob" in body


def test_cards_shown_by_show_more_have_their_move_menu_for_editors(client, atlas, editor, monkeypatch):
    monkeypatch.setattr("products.selectors.roadmap_board_more.__kwdefaults__", {"limit": 2})
    features = [FeatureFactory(product=atlas, horizon="now", position=n, title=f"N{n}") for n in range(3)]
    client.force_login(editor)

    more = client.get(url("roadmap_board", atlas, column="now", offset=2), headers={"HX-Request": "true"})

    body = more.content.decode()
    assert "N2" in body and f'action="{move_url(features[2])}"' in body and "drag-handle" in body
    assert "Show more" not in body


def test_the_list_sorts_by_rice_score_by_default_and_by_demand_title_or_status(client, atlas, member):
    FeatureFactory(product=atlas, title="Low", reach=10)
    FeatureFactory(product=atlas, title="High", reach=5000)
    wanted = FeatureFactory(product=atlas, title="Asked for", reach=100, status="planned")
    from tests.products.factories import FeedbackFactory

    link_feedback(FeedbackFactory(product=atlas, importance="critical"), wanted)
    client.force_login(member)

    def titles(**query):
        return [f.title for f in client.get(url("roadmap_list", atlas, **query)).context["page_obj"]]

    assert titles() == ["High", "Asked for", "Low"]
    assert titles(sort="rice_score") == ["Low", "Asked for", "High"]
    assert titles(sort="-demand")[0] == "Asked for"
    assert titles(sort="title") == ["Asked for", "High", "Low"]
    assert titles(sort="-status")[0] == "Asked for"
    assert titles(sort="nonsense") == ["High", "Asked for", "Low"]


def test_the_list_is_paginated(client, atlas, member):
    for n in range(55):
        FeatureFactory(product=atlas, title=f"F{n:02}")
    client.force_login(member)

    response = client.get(url("roadmap_list", atlas, sort="title", page=2))

    assert [f.title for f in response.context["page_obj"]] == [f"F{n}" for n in range(50, 55)]


# --- Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_filters_by_theme_status_owner_and_objective_apply_on_every_view(client, atlas, payments, member, name):
    objective = ObjectiveFactory()
    atlas.objectives.add(objective)
    owner = UserFactory(username="olga")
    ProductMemberFactory(product=atlas, user=owner)
    match = dated(atlas, theme=payments, status="planned", owner=owner, title="The match")
    match.objectives.add(objective)
    dated(atlas, theme=payments, status="planned", owner=owner, title="No objective")
    dated(atlas, status="planned", owner=owner, title="Themeless").objectives.add(objective)
    dated(atlas, theme=payments, owner=owner, title="An idea").objectives.add(objective)
    client.force_login(member)

    query = {"theme": payments.pk, "status": "planned", "owner": owner.pk, "objective": objective.pk}
    page = client.get(url(name, atlas, **query)).content.decode()

    assert "The match" in page
    for other in ("No objective", "Themeless", "An idea"):
        assert other not in page


@pytest.mark.parametrize("name", [*PAGES, "roadmap_csv"])
@pytest.mark.parametrize("query", [{"theme": "abc"}, {"status": "nope"}, {"owner": "999999"}, {"objective": "-1"}])
def test_a_bad_filter_value_shows_its_error_with_a_400_not_a_500(client, atlas, member, name, query):
    dated(atlas, title="Hidden on error")
    client.force_login(member)

    response = client.get(url(name, atlas, **query))

    assert response.status_code == 400
    assert "Hidden on error" not in response.content.decode()
    if name != "roadmap_csv":
        assert 'class="errorlist filter-errors"' in response.content.decode()


def test_the_api_filters_features_by_one_objective(api_as, atlas, member):
    objective = ObjectiveFactory()
    linked = FeatureFactory(product=atlas)
    linked.objectives.add(objective)
    FeatureFactory(product=atlas)

    answer = api_as(member).get(f"/api/v1/features/?product={atlas.pk}&objective={objective.pk}&ordering=-rice_score")

    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [linked.pk]
    assert api_as(member).get("/api/v1/features/?objective=x").status_code == 400


# --- The Move menu (keyboard and no-script path) ------------------------------------------------


def test_the_move_menu_moves_a_feature_to_another_quarter_keeping_its_duration(client, atlas, payments, editor):
    feature = dated(atlas, theme=payments, start_date=datetime.date(2026, 10, 10), end_date=datetime.date(2026, 11, 9))
    client.force_login(editor)

    response = client.post(move_url(feature), move_form(feature, quarter="2027-Q1", horizon="next"), follow=True)

    feature.refresh_from_db()
    assert (feature.start_date, feature.end_date) == (datetime.date(2027, 1, 10), datetime.date(2027, 2, 9))
    assert feature.horizon == "next"
    assert feature.version == 2
    assert response.redirect_chain[-1][0] == url("roadmap", atlas)
    assert "Moved" in response.content.decode()


def test_the_move_menu_changes_lane_and_release_and_returns_to_the_page_it_came_from(client, atlas, payments, editor):
    feature = dated(atlas)
    release = ReleaseFactory(product=atlas)
    client.force_login(editor)
    back = url("roadmap_board", atlas, status="idea")

    response = client.post(move_url(feature), move_form(feature, theme=payments.pk, release=release.pk, next=back))

    feature.refresh_from_db()
    assert (feature.theme, feature.release) == (payments, release)
    assert response.status_code == 302 and response["Location"] == back


def test_the_move_menu_keeps_what_it_is_not_told_to_change_and_clears_a_theme_when_told(
    client, atlas, payments, editor
):
    release = ReleaseFactory(product=atlas)
    feature = dated(atlas, theme=payments, release=release, horizon="next")
    client.force_login(editor)

    client.post(move_url(feature), move_form(feature, quarter="2027-Q1"))
    feature.refresh_from_db()
    assert (feature.theme, feature.release, feature.horizon, feature.version) == (payments, release, "next", 2)

    client.post(move_url(feature), move_form(feature, theme="none"))
    feature.refresh_from_db()
    assert (feature.theme, feature.release) == (None, release)


def test_the_move_menu_never_returns_to_another_site(client, atlas, editor):
    feature = dated(atlas)
    client.force_login(editor)

    response = client.post(move_url(feature), move_form(feature, next="https://evil.example/"))

    assert response["Location"] == url("roadmap", atlas)


def test_an_undated_feature_moved_to_a_quarter_spans_that_quarter(client, atlas, editor):
    feature = FeatureFactory(product=atlas)
    client.force_login(editor)

    client.post(move_url(feature), move_form(feature, quarter="2027-Q2"))

    feature.refresh_from_db()
    assert (feature.start_date, feature.end_date) == (datetime.date(2027, 4, 1), datetime.date(2027, 6, 30))


def test_up_and_down_move_a_card_between_its_neighbours_and_write_only_it(client, atlas, payments, editor):
    a, b, c = (dated(atlas, theme=payments, position=p) for p in (1024, 2048, 3072))
    client.force_login(editor)

    client.post(move_url(c), move_form(c, direction="up"))
    c.refresh_from_db()
    assert c.position == 1536  # between a and b
    client.post(move_url(a), move_form(a, direction="down"))
    a.refresh_from_db()
    assert a.position == 1792  # between c (1536) and b (2048)

    b.refresh_from_db()
    assert (b.position, b.version) == (2048, 1)
    assert [f.pk for f in Feature.objects.filter(theme=payments).order_by("position", "id")] == [c.pk, a.pk, b.pk]


def test_a_stale_version_says_someone_else_changed_the_feature_and_where_it_is_now(client, atlas, payments, editor):
    feature = dated(atlas, theme=payments, title="Offline maps")
    stale = move_form(feature, horizon="now")
    feature.horizon, feature.version = "next", 2
    feature.save()
    client.force_login(editor)

    response = client.post(move_url(feature), stale, follow=True)

    page = response.content.decode()
    assert "Someone else changed Offline maps — it is now in Next, Payments, no release, Q4 2026." in page
    feature.refresh_from_db()
    assert (feature.horizon, feature.version) == ("next", 2)


def test_with_htmx_the_move_answers_with_an_event_the_page_shows(client, atlas, payments, editor):
    feature = dated(atlas, theme=payments, title="Offline maps")
    client.force_login(editor)

    moved = client.post(move_url(feature), move_form(feature, horizon="now"), headers={"HX-Request": "true"})
    conflict = client.post(move_url(feature), move_form(feature, horizon="next"), headers={"HX-Request": "true"})

    assert moved.status_code == 204
    assert json.loads(moved["HX-Trigger"])["roadmap:moved"] == {
        "message": "Moved Offline maps to Now, Payments, no release, Q4 2026.",
        "failed": False,
        "feature": feature.pk,
    }
    event = json.loads(conflict["HX-Trigger"])["roadmap:moved"]
    assert event["failed"] is True and event["message"].startswith("Someone else changed Offline maps")
    # Nothing waits in the session for the next page: the live region said it.
    assert "Moved Offline maps" not in client.get(url("roadmap", atlas)).content.decode()


def test_bad_move_input_changes_nothing_and_says_why(client, atlas, editor):
    feature = dated(atlas)
    foreign_theme = ThemeFactory()
    client.force_login(editor)

    for bad in ({"quarter": "2027-Q9"}, {"theme": foreign_theme.pk}, {"horizon": "soon"}, {"version": "x"}):
        response = client.post(move_url(feature), move_form(feature, **bad), follow=True)
        assert response.status_code == 200 and "was not moved" in response.content.decode()

    feature.refresh_from_db()
    assert (feature.version, feature.theme, feature.horizon) == (1, None, "later")


# --- Print view and CSV -------------------------------------------------------------------------


def test_the_print_view_has_the_cards_and_a_print_stylesheet_and_no_controls(client, atlas, payments, product_manager):
    dated(atlas, theme=payments, title="Offline maps")
    client.force_login(product_manager)

    page = client.get(url("roadmap_print", atlas)).content.decode()

    assert "Offline maps" in page and "roadmap-print.css" in page and 'media="print"' in page
    assert "drag-handle" not in page and "move-menu" not in page and "roadmap.js" not in page


def test_the_csv_has_the_filtered_features_and_defuses_formulas(client, atlas, payments, member):
    owner = UserFactory(username="olga", first_name="Olga", last_name="Ivanova")
    dated(atlas, theme=payments, title='=HYPERLINK("http://x")', owner=owner, reach=100)
    dated(atlas, theme=payments, title="+1 more", status="planned")
    dated(atlas, title="-minus")
    dated(atlas, theme=payments, title="@sum")
    dated(atlas, theme=payments, title="\tTabbed")
    dated(atlas, theme=payments, title="Plain, with comma")
    client.force_login(member)

    response = client.get(url("roadmap_csv", atlas, theme=payments.pk))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="atlas-roadmap.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    titles = sorted(row["title"] for row in rows)
    assert titles == sorted(['\'=HYPERLINK("http://x")', "'+1 more", "'@sum", "'\tTabbed", "Plain, with comma"])
    first = next(row for row in rows if row["title"].startswith("'="))
    assert (first["theme"], first["owner"], first["rice_score"]) == ("Payments", "Olga Ivanova", "40.00")
    assert first["demand"] == "0"
    assert first["start_date"] == "2026-10-01"
    planned = client.get(url("roadmap_csv", atlas, status="planned")).content.decode()
    assert "'+1 more" in planned and "Plain" not in planned


# --- Fixed query counts -------------------------------------------------------------------------


def _world(product, theme, n):
    owners = [UserFactory() for _ in range(3)]
    release = ReleaseFactory(product=product, target_date=datetime.date(2026, 12, 1))
    objective = ObjectiveFactory()
    product.objectives.add(objective)
    from tests.products.factories import FeedbackFactory

    feedback = FeedbackFactory(product=product)
    for i in range(n):
        feature = dated(
            product,
            theme=theme if i % 2 else None,
            release=release if i % 3 else None,
            owner=owners[i % 3],
            horizon=["now", "next", "later"][i % 3],
            position=i * 1024,
        )
        feature.objectives.add(objective)
        link_feedback(feedback, feature)
    for i in range(n // 5):
        FeatureFactory(product=product, owner=owners[0], position=i)  # unscheduled


def _queries(client, django_assert_num_queries, address, count):
    with django_assert_num_queries(count):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    ("name", "query", "count"),
    [
        ("roadmap", {}, 17),
        ("roadmap", {"by": "release"}, 18),
        ("roadmap_board", {}, 14),
        ("roadmap_list", {}, 11),
        ("roadmap_print", {}, 15),
        ("roadmap_csv", {}, 9),
        ("roadmap_list", {"sort": "-demand", "status": "idea"}, 11),
    ],
)
@pytest.mark.parametrize("rows", [5, 50])
def test_each_view_makes_the_same_number_of_queries_for_5_or_50_features(
    client, atlas, payments, product_manager, django_assert_num_queries, name, query, count, rows
):
    _world(atlas, payments, rows)
    client.force_login(product_manager)

    _queries(client, django_assert_num_queries, url(name, atlas, **query), count)
