"""The feature pages: create, read, edit, step along the status flow and delete, as the product's team uses them.

Writes go through the feature services; bad input shows form errors and changes nothing; who may not write sees
no controls and gets 403 on a forced request.
"""

import datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from products import services
from products.models import Feature, Feedback, ProductMember
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    FeatureFactory,
    FeedbackFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    ThemeFactory,
    link_feedback,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager)


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor", first_name="Eddie", last_name="Ng")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.VIEWER)
    return user


@pytest.fixture
def release(atlas):
    return ReleaseFactory(product=atlas, name="Spring", target_date=datetime.date(2027, 3, 31))


@pytest.fixture
def theme(atlas):
    return ThemeFactory(product=atlas, name="Navigation")


@pytest.fixture
def feature(atlas, release, theme, editor):
    return FeatureFactory(
        product=atlas,
        title="Offline maps",
        description="Maps that work without a signal.",
        release=release,
        theme=theme,
        owner=editor,
        horizon="next",
        start_date=datetime.date(2027, 1, 4),
        end_date=datetime.date(2027, 3, 26),
        reach=1200,
        impact=Decimal("2.00"),
        confidence=Decimal("0.80"),
        effort=Decimal("3.00"),
    )


def create_url(product) -> str:
    return reverse("products:feature_create", kwargs={"slug": product.slug})


def url(name: str, feature) -> str:
    return reverse(f"products:{name}", kwargs={"slug": feature.product.slug, "pk": feature.pk})


def form_data(**changes) -> dict:
    data = {
        "title": "Route sharing",
        "description": "Send a route to a driver's phone.",
        "status": "idea",
        "horizon": "later",
        "release": "",
        "theme": "",
        "start_date": "",
        "end_date": "",
        "owner": "",
        "reach": "500",
        "impact": "1.00",
        "confidence": "0.80",
        "effort": "2",
    }
    return data | changes


def edit_data(feature, **changes) -> dict:
    feature.refresh_from_db()
    data = form_data(
        title=feature.title,
        description=feature.description,
        status=feature.status,
        horizon=feature.horizon,
        release=feature.release_id or "",
        theme=feature.theme_id or "",
        start_date=feature.start_date or "",
        end_date=feature.end_date or "",
        owner=feature.owner_id or "",
        reach=feature.reach,
        impact=feature.impact,
        confidence=feature.confidence,
        effort=feature.effort,
        version=feature.version,
    )
    return data | changes


def stored(feature) -> dict:
    return model_to_dict(Feature.objects.get(pk=feature.pk))


# --- Create -------------------------------------------------------------------------------------------


def test_an_editor_creates_a_feature_with_its_plan_objectives_and_rice_inputs(client, atlas, editor, release, theme):
    objective = ObjectiveFactory(title="Win fleets")
    client.force_login(editor)

    response = client.post(
        create_url(atlas),
        form_data(
            release=release.pk,
            theme=theme.pk,
            start_date="2027-01-04",
            end_date="2027-02-26",
            owner=editor.pk,
            objectives=[objective.pk],
            horizon="next",
            impact="2.00",
            effort="1.5",
        ),
    )

    feature = Feature.objects.get(title="Route sharing")
    assert response.status_code == 302 and response["Location"] == url("feature_detail", feature)
    assert (feature.product, feature.release, feature.theme, feature.owner) == (atlas, release, theme, editor)
    assert (feature.horizon, feature.start_date) == ("next", datetime.date(2027, 1, 4))
    assert list(feature.objectives.all()) == [objective]
    assert feature.rice_score == Decimal("533.33")  # 500 × 2 × 0.8 / 1.5
    assert feature.history.get().history_user == editor


def test_the_create_form_offers_this_products_releases_themes_and_team_only(client, atlas, editor, release, theme):
    ReleaseFactory(name="Elsewhere")
    ThemeFactory(name="Other lane")
    outsider = UserFactory(username="stranger")
    client.force_login(editor)

    form = client.get(create_url(atlas)).context["form"]

    assert list(form.fields["release"].queryset) == [release]
    assert list(form.fields["theme"].queryset) == [theme]
    assert outsider not in form.fields["owner"].queryset
    assert set(form.fields["owner"].queryset) == {atlas.owner, editor}


def test_the_create_form_carries_the_live_rice_score_module_and_an_announced_output(client, atlas, editor):
    client.force_login(editor)

    body = client.get(create_url(atlas)).content.decode()

    assert '<script type="module" src="/static/js/rice.js">' in body
    assert '<output id="rice-score"' in body and 'aria-live="polite"' in body
    assert "<script>" not in body and " onclick=" not in body  # the CSP allows no inline script


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"effort": "0"}, "effort", "Effort must be more than zero person-months."),
        ({"confidence": "0.3"}, "confidence", "Confidence must be one of 0.5, 0.8 or 1.0."),
        ({"impact": "0.7"}, "impact", "Impact must be one of 0.25, 0.5, 1, 2 or 3."),
        ({"start_date": "2027-03-01", "end_date": "2027-02-01"}, "end_date", "end"),
        ({"title": ""}, "title", "This field is required."),
        ({"reach": "-5"}, "reach", "greater than or equal to 0"),
    ],
)
def test_bad_input_shows_the_error_on_its_field_and_creates_nothing(client, atlas, editor, changes, field, message):
    client.force_login(editor)

    response = client.post(create_url(atlas), form_data(**changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert not Feature.objects.exists()


@pytest.mark.parametrize("field", ["release", "theme"])
def test_another_products_release_or_theme_is_refused_and_creates_nothing(client, atlas, editor, field):
    foreign = {"release": ReleaseFactory, "theme": ThemeFactory}[field](product=ProductFactory())
    client.force_login(editor)

    response = client.post(create_url(atlas), form_data(**{field: foreign.pk}))

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [f"Choose one of this product's {field}s."]
    assert not Feature.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "member", "outsider", "leader"])
def test_who_may_not_add_features_gets_403_on_the_create_page_and_its_post(client, request, atlas, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(create_url(atlas)).status_code == 403
    assert client.post(create_url(atlas), form_data()).status_code == 403
    assert not Feature.objects.exists()


def test_the_product_page_offers_new_feature_to_editors_only(client, atlas, editor, viewer):
    client.force_login(editor)
    assert f'href="{create_url(atlas)}"' in client.get(f"/products/{atlas.slug}/").content.decode()

    client.force_login(viewer)
    assert f'href="{create_url(atlas)}"' not in client.get(f"/products/{atlas.slug}/").content.decode()


def test_the_product_pages_most_requested_features_link_to_their_feature_page(client, atlas, viewer, feature):
    link_feedback(FeedbackFactory(product=atlas), feature)
    client.force_login(viewer)

    body = client.get(f"/products/{atlas.slug}/").content.decode()

    assert f'<a href="{url("feature_detail", feature)}">Offline maps</a>' in body


# --- Read ---------------------------------------------------------------------------------------------


def test_the_feature_page_shows_status_plan_owner_objectives_rice_and_demand(client, atlas, viewer, feature):
    feature.objectives.add(ObjectiveFactory(title="Win fleets"))
    link_feedback(FeedbackFactory(product=atlas, importance=Feedback.Importance.CRITICAL), feature)
    link_feedback(FeedbackFactory(product=atlas, importance=Feedback.Importance.IMPORTANT), feature)
    client.force_login(viewer)

    response = client.get(url("feature_detail", feature))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Offline maps</h1>" in body and "Maps that work without a signal." in body
    assert '<span class="badge status-idea">Idea</span>' in body and 'aria-current="step">Idea' in body
    assert "Next" in body and "Spring" in body and "Navigation" in body and "Eddie Ng" in body
    assert "4 Jan 2027" in body and "26 Mar 2027" in body
    assert "Win fleets" in body
    assert "1200" in body and "2 — high" in body and "80 % — medium" in body and "3.00" in body
    assert '<span class="score">640.00</span>' in body  # 1200 × 2 × 0.8 / 3
    assert "<strong>5</strong>" in body and "from 2 linked feedback items" in body  # critical 3 + important 2


def test_the_feature_page_quotes_the_linked_feedback_most_important_first(client, atlas, viewer, feature):
    when = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
    link_feedback(
        FeedbackFactory(product=atlas, summary="Nice idea", importance="nice-to-have", received_at=when), feature
    )
    link_feedback(
        FeedbackFactory(
            product=atlas,
            summary="Drivers lose the route in tunnels",
            body="“We lose two deliveries a day.”",
            customer_name="Ana Lima",
            company="Fleetco",
            segment="Enterprise",
            importance="critical",
            channel="interview",
            received_at=when,
        ),
        feature,
    )
    link_feedback(FeedbackFactory(product=atlas, summary="Not about this"), FeatureFactory(product=atlas))
    client.force_login(viewer)

    response = client.get(url("feature_detail", feature))

    assert [item.summary for item in response.context["feedback"]] == ["Drivers lose the route in tunnels", "Nice idea"]
    body = response.content.decode()
    assert "<blockquote>" in body and "“We lose two deliveries a day.”" in body
    assert "Ana Lima, Fleetco · Enterprise" in body and "Critical" in body and "Interview" in body
    assert "2 Nov 2026" in body and "Not about this" not in body


def test_the_feature_page_shows_a_limited_number_of_quotes_and_says_how_many_there_are(client, atlas, viewer, feature):
    for _ in range(25):
        link_feedback(FeedbackFactory(product=atlas), feature)
    client.force_login(viewer)

    response = client.get(url("feature_detail", feature))

    assert len(response.context["feedback"]) == 20
    assert "The 20 most important of 25 linked feedback items" in response.content.decode()


def test_the_feature_page_shows_who_changed_what_from_and_to(client, atlas, viewer, feature, editor, theme):
    later = ThemeFactory(product=atlas, name="Payments")
    services.feature_move(user=editor, feature=feature, version=feature.version, horizon="now", theme=later)
    client.force_login(viewer)

    body = client.get(url("feature_detail", feature)).content.decode()

    assert "<strong>Eddie Ng</strong> moved <span" in body
    assert '<th scope="row">Horizon</th><td>Next</td><td>Now</td>' in body
    assert '<th scope="row">Theme</th><td>Navigation</td><td>Payments</td>' in body


def test_a_feature_of_another_product_is_not_found_under_this_products_address(client, atlas, viewer):
    elsewhere = FeatureFactory(product=ProductFactory())
    client.force_login(viewer)

    for name in ("feature_detail", "feature_update", "feature_delete"):
        address = reverse(f"products:{name}", kwargs={"slug": atlas.slug, "pk": elsewhere.pk})
        assert client.get(address).status_code == 404


def test_an_unknown_product_or_feature_is_not_found(client, atlas, viewer, feature):
    client.force_login(viewer)

    assert client.get(reverse("products:feature_detail", kwargs={"slug": "nope", "pk": feature.pk})).status_code == 404
    assert client.get(reverse("products:feature_detail", kwargs={"slug": "atlas", "pk": 999999})).status_code == 404
    assert client.get(reverse("products:feature_create", kwargs={"slug": "nope"})).status_code == 404


def test_editors_see_edit_delete_and_the_next_status_steps(client, editor, feature):
    client.force_login(editor)

    body = client.get(url("feature_detail", feature)).content.decode()

    assert f'href="{url("feature_update", feature)}"' in body
    assert f'href="{url("feature_delete", feature)}"' in body
    assert f'action="{url("feature_status", feature)}"' in body
    assert "Mark as planned</button>" in body and "Park it</button>" in body
    assert "Mark as shipped" not in body  # not a next step from idea


@pytest.mark.parametrize("who", ["viewer", "member", "outsider", "leader"])
def test_who_may_not_change_the_feature_sees_no_edit_controls(client, request, feature, who):
    client.force_login(request.getfixturevalue(who))

    body = client.get(url("feature_detail", feature)).content.decode()

    assert url("feature_update", feature) not in body
    assert url("feature_delete", feature) not in body
    assert url("feature_status", feature) not in body and '<button class="button' not in body


def test_the_feature_page_links_back_to_the_product(client, viewer, feature):
    client.force_login(viewer)

    assert f'href="/products/{feature.product.slug}/"' in client.get(url("feature_detail", feature)).content.decode()


# --- Edit ---------------------------------------------------------------------------------------------


def test_the_edit_form_starts_from_the_stored_values_and_version(client, editor, feature):
    client.force_login(editor)

    form = client.get(url("feature_update", feature)).context["form"]

    assert form.initial["title"] == "Offline maps" and form.initial["version"] == feature.version
    assert form.initial["theme"] == feature.theme and form.initial["effort"] == Decimal("3.00")


def test_an_edit_keeps_an_owner_who_has_left_the_team(client, product_manager, atlas, feature):
    former = UserFactory(username="former")
    services.feature_update(user=product_manager, feature=feature, version=feature.version, data={"owner": former})
    client.force_login(product_manager)

    response = client.post(url("feature_update", feature), edit_data(feature, title="Offline maps v2"))

    assert response.status_code == 302
    feature.refresh_from_db()
    assert (feature.title, feature.owner) == ("Offline maps v2", former)
    assert former not in client.get(create_url(atlas)).context["form"].fields["owner"].queryset


def test_an_editor_edits_a_feature_and_its_version_goes_up(client, editor, feature):
    client.force_login(editor)
    version = feature.version

    response = client.post(url("feature_update", feature), edit_data(feature, title="Offline maps v2", reach="600"))

    assert response.status_code == 302 and response["Location"] == url("feature_detail", feature)
    feature.refresh_from_db()
    assert (feature.title, feature.reach, feature.version) == ("Offline maps v2", 600, version + 1)
    assert feature.rice_score == Decimal("320.00")  # 600 × 2 × 0.8 / 3


def test_a_stale_edit_says_someone_else_changed_it_shows_the_current_values_and_changes_nothing(
    client, product_manager, editor, feature
):
    client.force_login(editor)
    opened = edit_data(feature, title="My title")
    services.feature_update(user=product_manager, feature=feature, version=feature.version, data={"title": "Theirs"})
    before = stored(feature)

    response = client.post(url("feature_update", feature), opened)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this feature" in body
    assert response.context["form"].initial["title"] == "Theirs"
    assert response.context["form"].initial["version"] == Feature.objects.get(pk=feature.pk).version
    assert 'value="Theirs"' in body
    assert stored(feature) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"effort": "0"}, "effort"),
        ({"confidence": "0.3"}, "confidence"),
        ({"start_date": "2027-03-01", "end_date": "2027-02-01"}, "end_date"),
    ],
)
def test_a_bad_edit_shows_the_error_and_changes_nothing(client, editor, feature, changes, field):
    client.force_login(editor)
    before = stored(feature)

    response = client.post(url("feature_update", feature), edit_data(feature, **changes))

    assert response.status_code == 400 and field in response.context["form"].errors
    assert stored(feature) == before


def test_an_edit_to_another_products_theme_is_refused(client, editor, feature):
    client.force_login(editor)
    before = stored(feature)

    response = client.post(url("feature_update", feature), edit_data(feature, theme=ThemeFactory().pk))

    assert response.status_code == 400 and "theme" in response.context["form"].errors
    assert stored(feature) == before


@pytest.mark.parametrize("who", ["viewer", "member", "outsider", "leader"])
def test_who_may_not_change_the_feature_gets_403_on_the_edit_page_and_its_post(client, request, feature, who):
    client.force_login(request.getfixturevalue(who))
    before = stored(feature)

    assert client.get(url("feature_update", feature)).status_code == 403
    assert client.post(url("feature_update", feature), edit_data(feature, title="Hijacked")).status_code == 403
    assert stored(feature) == before


# --- Status flow ----------------------------------------------------------------------------------------


def test_an_editor_moves_a_feature_one_step_along_the_flow_with_one_click(client, editor, feature):
    client.force_login(editor)

    response = client.post(url("feature_status", feature), {"status": "planned", "version": feature.version})

    assert response.status_code == 302 and response["Location"] == url("feature_detail", feature)
    feature.refresh_from_db()
    assert feature.status == "planned"
    page = client.get(response["Location"]).content.decode()
    assert "“Offline maps” is now planned." in page and "Mark as in progress</button>" in page


def test_a_step_the_flow_does_not_allow_is_refused_with_a_message(client, editor, feature):
    client.force_login(editor)
    before = stored(feature)

    response = client.post(
        url("feature_status", feature), {"status": "shipped", "version": feature.version}, follow=True
    )

    assert "A feature that is idea cannot go to this status next." in response.content.decode()
    assert stored(feature) == before


def test_a_status_step_from_a_stale_page_changes_nothing_and_says_why(client, product_manager, editor, feature):
    client.force_login(editor)
    opened = feature.version
    services.feature_update(user=product_manager, feature=feature, version=opened, data={"title": "Renamed"})
    before = stored(feature)

    response = client.post(url("feature_status", feature), {"status": "planned", "version": opened}, follow=True)

    assert "Someone else changed this feature" in response.content.decode()
    assert stored(feature) == before


@pytest.mark.parametrize("who", ["viewer", "member", "outsider", "leader"])
def test_who_may_not_change_the_feature_gets_403_on_a_status_step(client, request, feature, who):
    client.force_login(request.getfixturevalue(who))
    before = stored(feature)

    response = client.post(url("feature_status", feature), {"status": "planned", "version": feature.version})

    assert response.status_code == 403 and stored(feature) == before


def test_the_status_steps_are_posts_only(client, editor, feature):
    client.force_login(editor)

    assert client.get(url("feature_status", feature)).status_code == 405


# --- Delete ---------------------------------------------------------------------------------------------


def test_an_editor_confirms_and_deletes_a_feature_and_lands_on_the_roadmap(client, atlas, editor, feature):
    item = FeedbackFactory(product=atlas)
    link_feedback(item, feature)
    client.force_login(editor)

    confirm = client.get(url("feature_delete", feature))
    assert confirm.status_code == 200 and "Delete “Offline maps”?" in confirm.content.decode()
    assert "1 linked feedback item stays" in confirm.content.decode()

    response = client.post(url("feature_delete", feature), follow=True)

    assert response.redirect_chain == [(f"/products/{atlas.slug}/roadmap/", 302)]
    assert "Feature “Offline maps” deleted." in response.content.decode()
    assert not Feature.objects.filter(pk=feature.pk).exists()
    assert Feedback.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("who", ["viewer", "member", "outsider", "leader"])
def test_who_may_not_delete_the_feature_gets_403_on_the_page_and_its_post(client, request, feature, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("feature_delete", feature)).status_code == 403
    assert client.post(url("feature_delete", feature)).status_code == 403
    assert Feature.objects.filter(pk=feature.pk).exists()


@pytest.mark.parametrize("address_of", ["feature_create", "feature_detail", "feature_update", "feature_delete"])
def test_anonymous_visitors_are_sent_to_sign_in(client, feature, address_of):
    address = create_url(feature.product) if address_of == "feature_create" else url(address_of, feature)

    response = client.get(address)

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Fixed query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 50])
def test_the_feature_page_reads_a_fixed_number_of_queries(
    client, atlas, editor, feature, django_assert_max_num_queries, count
):
    feature.objectives.add(*ObjectiveFactory.create_batch(3))
    owners = UserFactory.create_batch(3)
    themes = ThemeFactory.create_batch(3, product=atlas)
    for number in range(count):
        link_feedback(FeedbackFactory(product=atlas, importance=Feedback.Importance.values[number % 3]), feature)
        feature.refresh_from_db()
        services.feature_update(
            user=atlas.owner,
            feature=feature,
            version=feature.version,
            data={"reach": 100 + number, "theme": themes[number % 3], "owner": owners[number % 3]},
        )
    client.force_login(editor)

    # Session, user, product, feature (with demand), its objectives, may change and may delete (membership and
    # roles, each), the feedback, the market insights, the history and the themes, releases and people it names;
    # the session's save (3); the trace panel (7: portfolio.reports.trace).
    with django_assert_max_num_queries(25):
        response = client.get(url("feature_detail", feature))
    assert response.status_code == 200
    assert len(response.context["history"]) == min(count + 1, 50)


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("form_page", ["feature_create", "feature_update"])
def test_the_feature_forms_read_a_fixed_number_of_queries(
    client, atlas, editor, feature, django_assert_max_num_queries, count, form_page
):
    for _ in range(count):
        ReleaseFactory(product=atlas)
        ThemeFactory(product=atlas)
        ProductMemberFactory(product=atlas)
        ObjectiveFactory()
    feature.objectives.add(*ObjectiveFactory.create_batch(3))
    client.force_login(editor)
    address = create_url(atlas) if form_page == "feature_create" else url(form_page, feature)

    # Session, user, product, (the feature, its objectives,) may add or change (membership and roles), the
    # releases, themes, team and objectives offered; the session's save (3).
    with django_assert_max_num_queries({"feature_create": 12, "feature_update": 15}[form_page]):
        response = client.get(address)
    assert response.status_code == 200


def test_a_refused_page_explains_itself_in_the_site_layout(client, feature, viewer):
    client.force_login(viewer)

    response = client.get(url("feature_update", feature))

    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()
    assert 'aria-label="Main"' in response.content.decode()  # the site's navigation, not a bare page
