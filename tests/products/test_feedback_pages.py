"""The feedback inbox and its links to features: lists, filters, search, triage in place, and the feature's side.

Everyone signed in reads; the product's editors triage, link, archive and enter feedback, and a forced POST from
anyone else gets 403 and changes nothing. A link to another product's feature is refused with 400 and changes
nothing. Each page and search takes the same number of queries for 5 or 50 rows.
"""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from products.models import Feature, Feedback
from tests.core.factories import UserFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, ProductMemberFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager)


@pytest.fixture
def zephyr(product_manager):
    """Another product of the same product manager: they may edit both, so only the one-product rule refuses."""
    return ProductFactory(name="Zephyr", slug="zephyr", owner=product_manager)


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor", first_name="Eddie", last_name="Editor")
    ProductMemberFactory(product=atlas, user=user, role="editor")
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=atlas, user=user, role="viewer")
    return user


@pytest.fixture
def maps(atlas):
    return FeatureFactory(product=atlas, title="Offline maps")


@pytest.fixture
def sharing(atlas):
    return FeatureFactory(product=atlas, title="Route sharing")


@pytest.fixture
def item(atlas):
    return FeedbackFactory(
        product=atlas,
        summary="Maps vanish in the tunnel",
        body="Every morning the map goes blank in the Gotthard tunnel and our drivers are lost.",
        customer_name="Ana Lopez",
        company="Swift Freight",
        channel=Feedback.Channel.SUPPORT,
        segment="Enterprise",
        sentiment=Feedback.Sentiment.NEGATIVE,
        importance=Feedback.Importance.IMPORTANT,
    )


def inbox(product, **query) -> str:
    address = reverse("products:feedback_list", kwargs={"slug": product.slug})
    return address + ("?" + "&".join(f"{name}={value}" for name, value in query.items()) if query else "")


def item_url(name: str, feedback) -> str:
    return reverse(f"products:{name}", kwargs={"slug": feedback.product.slug, "pk": feedback.pk})


def feature_url(name: str, feature) -> str:
    return reverse(f"products:{name}", kwargs={"slug": feature.product.slug, "pk": feature.pk})


def content(response) -> str:
    return response.content.decode()


def everything() -> tuple:
    feedback = [model_to_dict(row) for row in Feedback.objects.order_by("pk")]
    links = list(Feedback.features.through.objects.order_by("pk").values_list("feedback_id", "feature_id"))
    features = list(Feature.objects.order_by("pk").values_list("pk", "title", "demand", "demand_count"))
    return feedback, links, features


def demand(feature) -> tuple[int, int]:
    stored = Feature.objects.get(pk=feature.pk)
    return stored.demand, stored.demand_count


# --- Reading: views, counts, filters, search --------------------------------------------------------------


def test_the_product_tabs_lead_to_the_feedback_with_the_count_of_new_items(client, outsider, atlas):
    FeedbackFactory.create_batch(3, product=atlas)
    FeedbackFactory(product=atlas, status=Feedback.Status.TRIAGED)
    client.force_login(outsider)

    page = content(client.get(reverse("products:product_detail", kwargs={"slug": "atlas"})))

    assert f'href="{inbox(atlas)}"' in page
    assert "Feedback <span" in page and "(3 new)" in page


def test_the_inbox_shows_the_new_items_by_default_and_counts_every_view(client, outsider, atlas):
    FeedbackFactory(product=atlas, summary="Waiting one")
    FeedbackFactory(product=atlas, summary="Triaged one", status=Feedback.Status.TRIAGED)
    FeedbackFactory(product=atlas, summary="Linked one", status=Feedback.Status.LINKED)
    FeedbackFactory(product=atlas, summary="Archived one", status=Feedback.Status.ARCHIVED)
    FeedbackFactory(summary="Another product's")
    client.force_login(outsider)

    page = content(client.get(inbox(atlas)))

    assert "Waiting one" in page
    assert "Triaged one" not in page and "Archived one" not in page and "Another product" not in page
    for label, count in (("New", 1), ("Triaged", 2), ("Archived", 1), ("All", 4)):
        assert f'{label} <span class="count">({count})</span>' in page


@pytest.mark.parametrize(
    ("view", "shown", "hidden"),
    [
        ("triaged", {"Triaged one", "Linked one"}, {"Waiting one", "Archived one"}),
        ("archived", {"Archived one"}, {"Waiting one", "Triaged one", "Linked one"}),
        ("all", {"Waiting one", "Triaged one", "Linked one", "Archived one"}, set()),
    ],
)
def test_each_view_shows_its_statuses(client, outsider, atlas, view, shown, hidden):
    FeedbackFactory(product=atlas, summary="Waiting one")
    FeedbackFactory(product=atlas, summary="Triaged one", status=Feedback.Status.TRIAGED)
    FeedbackFactory(product=atlas, summary="Linked one", status=Feedback.Status.LINKED)
    FeedbackFactory(product=atlas, summary="Archived one", status=Feedback.Status.ARCHIVED)
    client.force_login(outsider)

    page = content(client.get(inbox(atlas, view=view)))

    assert all(summary in page for summary in shown)
    assert not any(summary in page for summary in hidden)


def test_an_item_shows_who_where_when_its_triage_in_words_and_its_linked_features(client, outsider, item, maps):
    item.features.add(maps)
    client.force_login(outsider)

    page = content(client.get(inbox(item.product, view="all")))

    for text in ("Maps vanish in the tunnel", "Ana Lopez", "Swift Freight", "Support", "Enterprise", "Negative"):
        assert text in page
    assert "Important" in page and "Sentiment: </span>Negative" in page
    assert item.received_at.strftime("%-d %b %Y") in page
    assert f'href="{feature_url("feature_detail", maps)}"' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"channel": "sales"}, "By sales"),
        ({"segment": "smb"}, "By segment"),
        ({"sentiment": "positive"}, "By sentiment"),
        ({"importance": "critical"}, "By importance"),
        ({"company": "Globex"}, "By company"),
        ({"status": "triaged"}, "By status"),
    ],
)
def test_each_filter_narrows_the_inbox(client, outsider, atlas, query, expected):
    FeedbackFactory(product=atlas, summary="Plain one", channel="support", segment="Enterprise")
    FeedbackFactory(product=atlas, summary="By sales", channel="sales")
    FeedbackFactory(product=atlas, summary="By segment", segment="SMB")
    FeedbackFactory(product=atlas, summary="By sentiment", sentiment="positive")
    FeedbackFactory(product=atlas, summary="By importance", importance="critical")
    FeedbackFactory(product=atlas, summary="By company", company="Globex")
    FeedbackFactory(product=atlas, summary="By status", status="triaged")
    client.force_login(outsider)

    page = content(client.get(inbox(atlas, view="all", **query)))

    assert expected in page
    assert "Plain one" not in page


def test_a_status_filter_alone_shows_that_status_whatever_the_view(client, outsider, atlas):
    FeedbackFactory(product=atlas, summary="Archived one", status=Feedback.Status.ARCHIVED)
    client.force_login(outsider)

    assert "Archived one" in content(client.get(inbox(atlas, status="archived")))


@pytest.mark.parametrize("words", ["tunnel", "Gotthard drivers", "swift"])
def test_the_search_finds_words_of_the_summary_the_body_and_the_company(client, outsider, item, words):
    FeedbackFactory(product=item.product, summary="Something else", company="Initech")
    client.force_login(outsider)

    page = content(client.get(inbox(item.product, q=words.replace(" ", "+"))))

    assert "Maps vanish in the tunnel" in page and "Something else" not in page


def test_an_unreadable_filter_is_a_400_that_says_why_and_lists_nothing(client, outsider, item):
    client.force_login(outsider)

    response = client.get(inbox(item.product, channel="telepathy"))

    assert response.status_code == 400
    assert "Channel:" in content(response) and "Maps vanish" not in content(response)


def test_the_inbox_shows_50_items_a_page_and_keeps_the_view_and_filters_in_its_page_links(client, outsider, atlas):
    FeedbackFactory.create_batch(51, product=atlas, channel="sales")
    client.force_login(outsider)

    first = client.get(inbox(atlas, channel="sales"))
    second = client.get(inbox(atlas, channel="sales", page=2))

    assert len(first.context["page_obj"]) == 50 and len(second.context["page_obj"]) == 1
    assert "?view=new&amp;channel=sales&amp;page=2" in content(first)


def test_the_csv_export_link_carries_the_inbox_filters(client, outsider, atlas):
    try:
        export = reverse("products:feedback_csv", kwargs={"slug": atlas.slug})
    except NoReverseMatch:
        pytest.skip("this build has no CSV export of feedback")
    client.force_login(outsider)

    page = content(client.get(inbox(atlas, channel="sales", q="maps")))

    assert f'href="{export}?q=maps&amp;channel=sales"' in page


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_who_may_not_change_the_feedback_reads_the_inbox_without_controls(client, request, item, who):
    user = request.getfixturevalue(who)
    if who == "leader":
        ProductMemberFactory(product=item.product, user=user, role="editor")
    client.force_login(user)

    page = content(client.get(inbox(item.product)))

    assert "Maps vanish in the tunnel" in page
    assert item_url("feedback_triage", item) not in page and item_url("feedback_archive", item) not in page
    assert reverse("products:feedback_create", kwargs={"slug": "atlas"}) not in page


def test_an_editor_sees_the_triage_controls_of_each_item(client, editor, item):
    client.force_login(editor)

    page = content(client.get(inbox(item.product)))

    for name in ("feedback_triage", "feedback_archive", "feedback_create_feature"):
        assert item_url(name, item) in page
    assert reverse("products:feedback_feature_search", kwargs={"slug": "atlas"}) in page
    assert reverse("products:feedback_create", kwargs={"slug": "atlas"}) in page


# --- Triage in place ------------------------------------------------------------------------------


def test_an_editor_triages_an_item_and_it_leaves_the_new_list(client, editor, item):
    client.force_login(editor)

    body = {"importance": "critical", "sentiment": "neutral", "next": inbox(item.product)}

    response = client.post(item_url("feedback_triage", item), body)

    assert response.status_code == 302 and response["Location"] == inbox(item.product)
    item.refresh_from_db()
    assert (item.status, item.importance, item.sentiment) == ("triaged", "critical", "neutral")
    listed = content(client.get(inbox(item.product)))
    assert "is triaged" in listed and item_url("feedback_detail", item) not in listed


def test_an_htmx_triage_answers_with_its_row_and_the_counts_out_of_band(client, editor, item):
    FeedbackFactory(product=item.product)
    client.force_login(editor)

    response = client.post(
        item_url("feedback_triage", item),
        {"importance": "critical", "sentiment": "neutral"},
        HTTP_HX_CURRENT_URL=f"http://testserver{inbox(item.product)}",
        **HTMX,
    )

    page = content(response)
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<article class="fb-item card" id="feedback-{item.pk}"')
    assert "Critical" in page and "is triaged" in page
    assert 'id="feedback-views" aria-label="Feedback by status" hx-swap-oob="true"' in page
    assert 'New <span class="count">(1)</span>' in page and 'Triaged <span class="count">(1)</span>' in page
    assert '<span id="feedback-tab-count" class="count" hx-swap-oob="true">(1 new)</span>' in page


def test_a_triage_with_a_value_off_the_scale_is_a_400_and_changes_nothing(client, editor, item):
    client.force_login(editor)
    before = everything()

    response = client.post(item_url("feedback_triage", item), {"importance": "urgent", "sentiment": "neutral"})

    assert response.status_code == 400 and "Nothing was saved" in content(response)
    assert everything() == before


def test_an_editor_links_an_item_to_two_features_and_both_gain_its_demand(client, editor, item, maps, sharing):
    client.force_login(editor)

    response = client.post(item_url("feedback_link", item), {"features": [maps.pk, sharing.pk]}, **HTMX)

    assert response.status_code == 200 and "is linked to" in content(response)
    item.refresh_from_db()
    assert item.status == "linked" and set(item.features.all()) == {maps, sharing}
    assert demand(maps) == demand(sharing) == (2, 1)  # important weighs 2


def test_linking_to_another_products_feature_is_a_400_and_changes_nothing(client, product_manager, item, zephyr):
    foreign = FeatureFactory(product=zephyr, title="Zephyr's feature")
    client.force_login(product_manager)
    before = everything()

    response = client.post(item_url("feedback_link", item), {"features": [foreign.pk]})

    assert response.status_code == 400
    assert "links only to its own product" in content(response)
    assert everything() == before


def test_an_htmx_link_to_another_products_feature_says_why_in_the_row_and_changes_nothing(
    client, product_manager, item, maps, zephyr
):
    foreign = FeatureFactory(product=zephyr, title="Zephyr's feature")
    client.force_login(product_manager)
    before = everything()

    response = client.post(item_url("feedback_link", item), {"features": [maps.pk, foreign.pk]}, **HTMX)

    assert "links only to its own product" in content(response)
    assert everything() == before


def test_linking_no_feature_is_a_400_that_asks_for_one(client, editor, item):
    client.force_login(editor)

    response = client.post(item_url("feedback_link", item), {})

    assert response.status_code == 400 and "Choose at least one feature." in content(response)


def test_an_editor_unlinks_a_feature_and_the_item_is_triaged_again(client, editor, item, maps):
    client.force_login(editor)
    client.post(item_url("feedback_link", item), {"features": [maps.pk]})

    client.post(item_url("feedback_unlink", item), {"features": [maps.pk]})

    item.refresh_from_db()
    assert item.status == "triaged" and not item.features.exists()
    assert demand(maps) == (0, 0)


def test_an_editor_archives_an_item_and_restores_it(client, editor, item):
    client.force_login(editor)

    client.post(item_url("feedback_archive", item))
    item.refresh_from_db()
    archived = item.status
    restored_page = content(client.get(inbox(item.product, view="archived")))
    client.post(item_url("feedback_restore", item))
    item.refresh_from_db()

    assert archived == "archived" and "Maps vanish" in restored_page
    assert item.status != "archived"
    assert item_url("feedback_restore", item) in restored_page


def test_the_feature_search_offers_up_to_20_matching_features_of_the_product_not_yet_linked(
    client, editor, item, maps, zephyr
):
    item.features.add(maps)
    FeatureFactory(product=item.product, title="Maps in the dark")
    FeatureFactory(product=zephyr, title="Maps of Zephyr")
    FeatureFactory.create_batch(25, product=item.product, title="Map layer")
    client.force_login(editor)
    address = reverse("products:feedback_feature_search", kwargs={"slug": "atlas"})

    found = client.get(address, {"item": item.pk, "q": "maps dark"}, **HTMX)
    many = client.get(address, {"item": item.pk, "q": "map"}, **HTMX)

    assert "Maps in the dark" in content(found)
    assert "Offline maps" not in content(found) and "Zephyr" not in content(found)
    assert content(many).count('type="checkbox" name="features"') == 20
    assert item_url("feedback_link", item) in content(found)


def test_the_feature_search_without_script_is_a_page_with_the_same_link_form(client, editor, item, maps):
    client.force_login(editor)

    response = client.get(
        reverse("products:feedback_feature_search", kwargs={"slug": "atlas"}), {"item": item.pk, "q": "offline"}
    )

    assert response.status_code == 200
    assert "<html" in content(response) and "Offline maps" in content(response)
    assert f'action="{item_url("feedback_link", item)}"' in content(response)


def test_create_feature_from_an_item_opens_the_feature_form_filled_from_it(client, editor, item):
    client.force_login(editor)

    response = client.get(item_url("feedback_create_feature", item))

    assert response.status_code == 200
    assert response.context["form"].initial["title"]
    assert "Maps vanish in the tunnel" in content(response)
    assert f'action="{item_url("feedback_create_feature", item)}"' in content(response)


def test_saving_the_feature_made_from_an_item_links_the_item_and_lands_on_the_feature(client, editor, item):
    client.force_login(editor)
    body = {"title": "Maps that work offline", "status": "idea", "horizon": "next"}
    body |= {"reach": "300", "impact": "2.00", "confidence": "0.80", "effort": "3"}

    response = client.post(item_url("feedback_create_feature", item), body)

    feature = Feature.objects.get(title="Maps that work offline")
    assert response.status_code == 302 and response["Location"] == feature_url("feature_detail", feature)
    item.refresh_from_db()
    assert item.status == "linked" and list(item.features.all()) == [feature]
    assert demand(feature) == (2, 1)


def test_a_bad_feature_from_an_item_is_a_400_and_creates_nothing(client, editor, item):
    client.force_login(editor)
    before = everything()

    response = client.post(item_url("feedback_create_feature", item), {"title": "", "effort": "0"})

    assert response.status_code == 400
    assert everything() == before


# --- Who may ------------------------------------------------------------------------------------------


WRITES = [
    ("feedback_triage", {"importance": "critical", "sentiment": "neutral"}),
    ("feedback_archive", {}),
    ("feedback_restore", {}),
    ("feedback_link", None),
    ("feedback_unlink", None),
    ("feedback_update", {"summary": "Changed", "channel": "other", "sentiment": "neutral"}),
    ("feedback_delete", {}),
    ("feedback_create_feature", {"title": "Probe", "status": "idea", "horizon": "later", "effort": "1"}),
]


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
@pytest.mark.parametrize(("name", "body"), WRITES)
def test_a_forced_write_from_who_may_not_change_the_feedback_is_403_and_changes_nothing(
    client, request, item, maps, who, name, body
):
    user = request.getfixturevalue(who)
    if who == "leader":
        ProductMemberFactory(product=item.product, user=user, role="editor")
    item.features.add(maps)
    client.force_login(user)
    before = everything()

    response = client.post(item_url(name, item), body if body is not None else {"features": [maps.pk]})

    assert response.status_code == 403
    assert everything() == before


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_who_may_not_add_feedback_gets_403_on_the_new_feedback_page(client, request, atlas, who):
    client.force_login(request.getfixturevalue(who))
    address = reverse("products:feedback_create", kwargs={"slug": "atlas"})

    assert client.get(address).status_code == 403
    assert client.post(address, {"summary": "Probe"}).status_code == 403
    assert not Feedback.objects.exists()


def test_an_item_of_another_product_is_not_found_under_this_one(client, editor, atlas, zephyr):
    foreign = FeedbackFactory(product=zephyr)
    client.force_login(editor)

    for name in ("feedback_detail", "feedback_update", "feedback_triage"):
        address = reverse(f"products:{name}", kwargs={"slug": "atlas", "pk": foreign.pk})
        assert client.get(address).status_code in (404, 405)
    triage = reverse("products:feedback_triage", kwargs={"slug": "atlas", "pk": foreign.pk})
    assert client.post(triage).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, item):
    response = client.get(inbox(item.product))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- An item's page, entry by hand, edit and delete ---------------------------------------------------


def test_the_item_page_shows_the_full_body_who_said_it_and_the_triage_actions(client, editor, item, maps):
    item.body = "A long story. " * 40
    item.save()
    item.features.add(maps)
    client.force_login(editor)

    page = content(client.get(item_url("feedback_detail", item)))

    assert item.body.strip() in page and "Ana Lopez" in page and "Swift Freight" in page
    assert f'href="{feature_url("feature_detail", maps)}"' in page
    for name in ("feedback_triage", "feedback_unlink", "feedback_archive", "feedback_update", "feedback_delete"):
        assert item_url(name, item) in page


def test_an_editor_enters_an_item_by_hand_and_it_waits_in_the_new_list(client, editor, atlas):
    client.force_login(editor)
    body = {
        "summary": "Call with Globex: wants offline maps",
        "body": "They lose signal in the mine.",
        "channel": "interview",
        "customer_name": "Hank Scorpio",
        "company": "Globex",
        "email": "hank@globex.example",
        "segment": "Enterprise",
        "sentiment": "neutral",
        "importance": "important",
        "received_at": "2026-11-20T10:30",
    }

    response = client.post(reverse("products:feedback_create", kwargs={"slug": "atlas"}), body)

    created = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == item_url("feedback_detail", created)
    assert (created.product, created.status, created.company) == (atlas, "new", "Globex")
    assert "Call with Globex" in content(client.get(inbox(atlas)))


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"summary": ""}, "summary"), ({"email": "not-an-email"}, "email"), ({"channel": "pigeon"}, "channel")],
)
def test_bad_input_on_the_new_feedback_page_is_a_400_with_the_field_error_and_creates_nothing(
    client, editor, atlas, changes, field
):
    client.force_login(editor)
    body = {"summary": "Probe", "channel": "other", "sentiment": "neutral", "importance": "important"}
    body |= {"received_at": "2026-11-20T10:30"} | changes

    response = client.post(reverse("products:feedback_create", kwargs={"slug": "atlas"}), body)

    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not Feedback.objects.exists()


def test_an_editor_edits_an_item(client, editor, item):
    client.force_login(editor)
    form = client.get(item_url("feedback_update", item)).context["form"]
    body = {name: value for name, value in form.initial.items() if value is not None}
    body |= {"summary": "Maps vanish in every tunnel", "received_at": "2026-11-02T08:00"}

    response = client.post(item_url("feedback_update", item), body)

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.summary == "Maps vanish in every tunnel" and item.company == "Swift Freight"


def test_an_editor_deletes_an_item_after_confirming_and_its_feature_loses_the_demand(client, editor, item, maps):
    client.force_login(editor)
    client.post(item_url("feedback_link", item), {"features": [maps.pk]})

    confirm = content(client.get(item_url("feedback_delete", item)))
    response = client.post(item_url("feedback_delete", item))

    assert "will lose its demand" in confirm
    assert response.status_code == 302 and response["Location"] == inbox(item.product)
    assert not Feedback.objects.filter(pk=item.pk).exists()
    assert demand(maps) == (0, 0)


# --- From the feature's side: its page and its roadmap card ---------------------------------------------


def test_the_feature_page_offers_the_link_feedback_panel_to_its_editors_only(client, editor, viewer, maps):
    search = feature_url("feature_feedback_search", maps)
    client.force_login(viewer)
    read = content(client.get(feature_url("feature_detail", maps)))
    client.force_login(editor)
    edit = content(client.get(feature_url("feature_detail", maps)))

    assert search not in read and search in edit
    assert f'id="feature-{maps.pk}-demand"' in read and f'id="feature-{maps.pk}-demand"' in edit


def test_the_feature_feedback_search_leaves_out_items_already_linked_and_archived_ones(client, editor, item, maps):
    FeedbackFactory(product=item.product, summary="Maps linked already").features.add(maps)
    FeedbackFactory(product=item.product, summary="Maps archived", status=Feedback.Status.ARCHIVED)
    FeedbackFactory(summary="Maps of another product")
    client.force_login(editor)

    page = content(client.get(feature_url("feature_feedback_search", maps), {"q": "maps"}, **HTMX))

    assert "Maps vanish in the tunnel" in page
    assert "linked already" not in page and "archived" not in page and "another product" not in page
    assert feature_url("feature_feedback_link", maps) in page


def test_a_link_from_the_feature_page_swaps_its_demand_and_quotes_out_of_band(client, editor, item, maps):
    client.force_login(editor)

    response = client.post(feature_url("feature_feedback_link", maps), {"feedback": item.pk, "panel": "page"}, **HTMX)

    page = content(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<li class="link-done" role="status">')
    assert f'<p id="feature-{maps.pk}-demand" class="demand" hx-swap-oob="true"><strong>2</strong>' in page
    assert f'<div id="feature-{maps.pk}-feedback" hx-swap-oob="true">' in page and "Maps vanish" in page
    assert demand(maps) == (2, 1)


def test_a_link_from_a_roadmap_card_swaps_the_cards_demand_badge_alone(client, editor, item, maps):
    client.force_login(editor)

    page = content(
        client.post(feature_url("feature_feedback_link", maps), {"feedback": item.pk, "panel": "card"}, **HTMX)
    )

    assert f'<span id="feature-{maps.pk}-demand" class="demand" hx-swap-oob="true">Demand 2 · 1 item' in page
    assert f'id="feature-{maps.pk}-feedback"' not in page  # the roadmap has no quotes to swap


def test_a_link_from_the_feature_page_without_script_goes_back_to_the_feature(client, editor, item, maps):
    client.force_login(editor)

    response = client.post(feature_url("feature_feedback_link", maps), {"feedback": item.pk})

    assert response.status_code == 302 and response["Location"] == feature_url("feature_detail", maps)
    assert demand(maps) == (2, 1)


def test_an_unlink_from_the_feature_page_answers_with_its_quotes_and_demand(client, editor, item, maps):
    client.force_login(editor)
    client.post(feature_url("feature_feedback_link", maps), {"feedback": item.pk})

    page = content(
        client.post(feature_url("feature_feedback_unlink", maps), {"feedback": item.pk, "panel": "page"}, **HTMX)
    )

    assert f'<div id="feature-{maps.pk}-feedback">' in page and "is no longer linked" in page
    assert f'id="feature-{maps.pk}-demand" class="demand" hx-swap-oob="true"><strong>0</strong>' in page
    assert demand(maps) == (0, 0)


def test_linking_another_products_feedback_from_a_feature_is_a_400_and_changes_nothing(
    client, product_manager, maps, zephyr
):
    foreign = FeedbackFactory(product=zephyr, summary="Zephyr's feedback")
    client.force_login(product_manager)
    before = everything()

    response = client.post(feature_url("feature_feedback_link", maps), {"feedback": foreign.pk})

    assert response.status_code == 400 and "links only to its own product" in content(response)
    assert everything() == before


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_who_may_not_change_the_feature_gets_403_on_a_link_from_its_side(client, request, item, maps, who):
    client.force_login(request.getfixturevalue(who))
    before = everything()

    for name in ("feature_feedback_link", "feature_feedback_unlink"):
        assert client.post(feature_url(name, maps), {"feedback": item.pk}).status_code == 403
    assert everything() == before


def test_an_editors_roadmap_cards_carry_a_link_feedback_dialog_and_a_demand_badge(client, editor, viewer, maps):
    client.force_login(editor)
    board = content(client.get(reverse("products:roadmap_board", kwargs={"slug": "atlas"})))
    client.force_login(viewer)
    read = content(client.get(reverse("products:roadmap_board", kwargs={"slug": "atlas"})))

    assert "Link feedback…" in board and feature_url("feature_feedback_search", maps) in board
    assert f'id="feature-{maps.pk}-demand"' in board
    assert "Link feedback…" not in read and f'id="feature-{maps.pk}-demand"' in read


# --- Fixed query counts ------------------------------------------------------------------------------------


def _items(product, n, features):
    start = timezone.now() - datetime.timedelta(days=1)
    for number in range(n):
        feedback = FeedbackFactory(product=product, received_at=start + datetime.timedelta(minutes=number))
        feedback.features.add(*features)


def _same_queries(client, address, grow, params=None, headers=None):
    with CaptureQueriesContext(connection) as five:
        assert client.get(address, params or {}, **(headers or {})).status_code == 200
    grow()
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(address, params or {}, **(headers or {})).status_code == 200
    assert len(fifty) == len(five), [query["sql"] for query in fifty.captured_queries]


@pytest.mark.parametrize("view", ["new", "all"])
def test_the_inbox_takes_the_same_queries_for_5_or_50_items(client, editor, atlas, maps, sharing, view):
    _items(atlas, 5, [maps, sharing])
    client.force_login(editor)

    _same_queries(client, inbox(atlas, view=view), lambda: _items(atlas, 45, [maps, sharing]))


def test_the_item_page_takes_the_same_queries_for_5_or_50_linked_features(client, editor, item):
    item.features.add(*FeatureFactory.create_batch(5, product=item.product))
    client.force_login(editor)

    _same_queries(
        client,
        item_url("feedback_detail", item),
        lambda: item.features.add(*FeatureFactory.create_batch(45, product=item.product)),
    )


def test_the_feature_search_takes_the_same_queries_for_5_or_50_features(client, editor, item):
    FeatureFactory.create_batch(5, product=item.product, title="Maps")
    client.force_login(editor)
    address = reverse("products:feedback_feature_search", kwargs={"slug": "atlas"})

    _same_queries(
        client,
        address,
        lambda: FeatureFactory.create_batch(45, product=item.product, title="Maps"),
        params={"item": item.pk, "q": "maps"},
        headers=HTMX,
    )


def test_the_feature_feedback_search_takes_the_same_queries_for_5_or_50_items(client, editor, atlas, maps):
    _items(atlas, 5, [])
    client.force_login(editor)

    _same_queries(
        client,
        feature_url("feature_feedback_search", maps),
        lambda: _items(atlas, 45, []),
        params={"q": "feedback"},
        headers=HTMX,
    )


def test_past_the_cap_the_counts_say_so_and_the_pages_go_on(client, outsider, atlas, monkeypatch):
    monkeypatch.setattr("portfolio.core.paginator.CappedPaginator.cap", 3)
    monkeypatch.setattr("products.selectors.COUNT_CAP", 3)
    monkeypatch.setattr("products.views.feedback.COUNT_CAP", 3)
    monkeypatch.setattr("products.views.feedback.INBOX_PAGE", 2)
    FeedbackFactory.create_batch(5, product=atlas)
    client.force_login(outsider)

    page = content(client.get(inbox(atlas)))

    assert 'New <span class="count">(3+)</span>' in page and 'Archived <span class="count">(0)</span>' in page
    assert "page=2" in page and "Page 1</span>" in page  # not "of N": past the cap the pages are not counted


def test_each_feature_found_for_an_item_has_its_own_link_button(client, product_manager, atlas):
    item = FeedbackFactory(product=atlas)
    maps = FeatureFactory(product=atlas, title="Offline maps")
    client.force_login(product_manager)

    found = client.get(f"/products/{atlas.slug}/feedback/features/", {"item": item.pk, "q": "offline"}, **HTMX)
    page = found.content.decode()
    linked = client.post(f"/products/{atlas.slug}/feedback/{item.pk}/link/", {"features": [maps.pk]})

    assert f'name="features" value="{maps.pk}" checked' in page  # the only match is ticked already
    assert f'<button class="button secondary small" type="submit" name="features" value="{maps.pk}">' in page
    assert linked.status_code == 302
    assert list(item.features.all()) == [maps]
