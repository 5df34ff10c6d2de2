"""Bad input to the API gets a 4xx in the one error shape and a message naming the parameter, never a 500."""

import importlib
import json

import django_filters
import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token

from portfolio.core.filters import IdFilter, IdsFilter
from tests.core.factories import ObjectiveFactory
from tests.products.factories import FeatureFactory, ProductFactory
from tests.programs.factories import ProjectFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"
TOKEN_URL = f"{API}auth/token/"
PAST_64_BITS = ["9223372036854775808", "18446744073709551616", "99999999999999999999"]
API_URL_MODULES = (
    "portfolio.core.api.urls",
    "products.api.urls",
    "programs.api.urls",
    "risks.api.urls",
    "portfolio.reports.api.urls",
)


def collections():
    """``(prefix, viewset)`` of every collection behind the routers."""
    for module in API_URL_MODULES:
        for prefix, viewset, _basename in importlib.import_module(module).router.registry:
            yield prefix, viewset


def id_filters(kind):
    """``(collection, filter name)`` of every id filter of the given kind on every list."""
    for prefix, viewset in collections():
        for name, filter_ in viewset.filterset_class.base_filters.items():
            if isinstance(filter_, kind):
                yield prefix, name


def assert_error_shape(response, status: int, field: str | None = None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) >= {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert list(body["errors"]) == [field], body
        assert all(isinstance(message, str) and message for message in body["errors"][field])
    return body


# --- ids past 64 bits, malformed ids -------------------------------------------------------------


@pytest.mark.parametrize("value", PAST_64_BITS)
@pytest.mark.parametrize("collection", ["products", "features", "programs", "projects"])
def test_an_objective_id_past_64_bits_is_a_400_naming_the_filter(api_as, member, collection, value):
    response = api_as(member).get(f"{API}{collection}/", {"objectives": value})

    assert_error_shape(response, 400, "objectives")


@pytest.mark.parametrize(("collection", "name"), sorted(id_filters(IdsFilter)))
def test_every_multi_id_filter_refuses_an_id_past_64_bits_among_good_ones(api_as, member, collection, name):
    ObjectiveFactory()

    response = api_as(member).get(f"{API}{collection}/?{name}=1,{PAST_64_BITS[0]}")

    assert_error_shape(response, 400, name)


@pytest.mark.parametrize(("collection", "name"), sorted(id_filters(IdFilter)))
def test_every_single_id_filter_refuses_an_id_past_64_bits(api_as, member, collection, name):
    response = api_as(member).get(f"{API}{collection}/", {name: "99999999999999999999"})

    assert_error_shape(response, 400, name)


@pytest.mark.parametrize("value", ["0", "-1", "1.0", "1e3", " 1", "１", "0x1"])
def test_an_id_that_is_not_a_positive_whole_number_is_a_400(api_as, member, value):
    assert_error_shape(api_as(member).get(f"{API}products/", {"owner": value}), 400, "owner")


@pytest.mark.parametrize("value", ["0", "-1", "1.0", "1e3", "１", "1;2"])
def test_an_id_in_a_list_that_is_not_a_positive_whole_number_is_a_400(api_as, member, value):
    objective = ObjectiveFactory()

    response = api_as(member).get(f"{API}projects/?objectives={objective.pk}&objectives={value}")

    assert_error_shape(response, 400, "objectives")


def test_an_unknown_id_says_which_id_is_unknown(api_as, member):
    body = assert_error_shape(api_as(member).get(f"{API}features/", {"product": "424242"}), 400, "product")

    assert "424242" in body["errors"]["product"][0]


@pytest.mark.parametrize("value", PAST_64_BITS)
@pytest.mark.parametrize("collection", sorted(prefix for prefix, _viewset in collections()))
def test_a_detail_url_with_an_id_past_64_bits_is_a_404(api_as, superuser, collection, value):
    assert_error_shape(api_as(superuser).get(f"{API}{collection}/{value}/"), 404)


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "１"])
def test_a_detail_url_with_a_malformed_id_is_a_404_in_the_error_shape(api_as, member, value):
    ProductFactory()

    assert_error_shape(api_as(member).get(f"{API}products/{value}/"), 404)


# --- choices, booleans, integers, text, empty values -----------------------------------------------


@pytest.mark.parametrize(
    ("collection", "name"),
    [
        ("features", "status"),
        ("projects", "status"),
        ("risks", "severity"),
        ("objectives", "status"),
        ("features", "unscheduled"),
        ("milestones", "is_key"),
        ("resources", "active"),
        ("report-subscriptions", "organisation"),
    ],
)
def test_an_unknown_choice_or_boolean_is_a_400_naming_the_filter(api_as, member, collection, name):
    assert_error_shape(api_as(member).get(f"{API}{collection}/", {name: "nonsense"}), 400, name)


@pytest.mark.parametrize("value", ["true", "false", "True", "False", "1", "0"])
def test_a_boolean_filter_takes_the_usual_spellings(api_as, member, value):
    FeatureFactory()

    assert api_as(member).get(f"{API}features/", {"unscheduled": value}).status_code == 200


@pytest.mark.parametrize(
    ("collection", "name", "value"), [("objectives", "weight", "2.5"), ("risks", "score_min", "4.0")]
)
def test_an_integer_filter_refuses_a_decimal_instead_of_truncating_it(api_as, member, collection, name, value):
    assert_error_shape(api_as(member).get(f"{API}{collection}/", {name: value}), 400, name)


@pytest.mark.parametrize("moment", ["5403-07-06T15:46:10.1-22:17", "2026-11-30T09:00:00+23:59", "2026-11-30T09:00"])
def test_a_moment_with_any_offset_python_reads_is_compared_in_utc(api_as, member, moment):
    # PostgreSQL takes offsets up to 15:59 only; the filter hands it the moment in UTC.
    response = api_as(member).get(f"{API}feedback/", {"received_before": moment})

    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-22:00", "0001-01-01T00:30:00+01:00", "2026-13-01T00:00"])
def test_a_moment_outside_the_calendar_in_utc_is_a_400(api_as, member, moment):
    assert_error_shape(api_as(member).get(f"{API}feedback/", {"received_after": moment}), 400, "received_after")


def test_a_search_with_a_nul_character_is_a_400(api_as, member):
    assert_error_shape(api_as(member).get(f"{API}products/", {"q": "road\x00map"}), 400, "q")


def query_parameters():
    """``(collection, parameter)`` of every filter parameter of every list (a range filter has two)."""
    for prefix, viewset in collections():
        for name, filter_ in viewset.filterset_class.base_filters.items():
            if isinstance(filter_, django_filters.RangeFilter):
                yield from ((prefix, f"{name}_after"), (prefix, f"{name}_before"))
            else:
                yield prefix, name


@pytest.mark.parametrize(("collection", "name"), sorted(query_parameters()))
def test_an_empty_value_means_not_given_for_every_filter(api_as, member, collection, name):
    ProjectFactory()

    response = api_as(member).get(f"{API}{collection}/?{name}=")

    assert response.status_code == 200, response.json()


# --- paging ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "abc", "", "1.5", "201", "99999999999999999999"])
def test_a_page_size_outside_1_to_200_is_a_400_naming_page_size(api_as, member, value):
    assert_error_shape(api_as(member).get(f"{API}products/", {"page_size": value}), 400, "page_size")


@pytest.mark.parametrize("value", ["1", "200"])
def test_a_page_size_from_1_to_200_is_honoured(api_as, member, value):
    ProductFactory.create_batch(2)

    response = api_as(member).get(f"{API}products/", {"page_size": value})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(2, int(value))


@pytest.mark.parametrize("value", ["0", "-1", "abc", "", "last", "1.5"])
def test_a_page_that_is_not_a_positive_whole_number_is_a_400_naming_page(api_as, member, value):
    assert_error_shape(api_as(member).get(f"{API}products/", {"page": value}), 400, "page")


def test_a_page_past_the_last_one_is_a_404_in_the_error_shape(api_as, member):
    ProductFactory()

    assert_error_shape(api_as(member).get(f"{API}products/", {"page": "2"}), 404)
    assert_error_shape(api_as(member).get(f"{API}products/", {"page": "99999999999999999999"}), 404)


# --- ordering --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nonsense", "-nonsense", "name,nonsense", "name,", "owner__username", " name"])
def test_an_unknown_ordering_is_a_400_naming_ordering(api_as, member, value):
    body = assert_error_shape(api_as(member).get(f"{API}products/", {"ordering": value}), 400, "ordering")

    assert "name" in body["errors"]["ordering"][0]  # the message lists the choices


def test_several_known_orderings_still_sort(api_as, member):
    ProductFactory(name="B", lifecycle_stage="growth")
    ProductFactory(name="A", lifecycle_stage="growth")
    ProductFactory(name="C", lifecycle_stage="development")

    response = api_as(member).get(f"{API}products/", {"ordering": "-lifecycle_stage,name"})

    assert [row["name"] for row in response.json()["results"]] == ["A", "B", "C"]


def test_an_empty_ordering_means_the_default_order(api_as, member):
    ProductFactory(name="B")
    ProductFactory(name="A")

    response = api_as(member).get(f"{API}products/?ordering=")

    assert [row["name"] for row in response.json()["results"]] == ["A", "B"]


def test_an_ordering_alias_is_still_accepted(api_as, member):
    ProjectFactory()

    assert api_as(member).get(f"{API}risks/", {"ordering": "-severity"}).status_code == 200


# --- the token endpoint ------------------------------------------------------------------------------


def test_a_client_holding_a_stale_token_still_gets_a_new_one(api_client, product_manager):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = api_client.post(TOKEN_URL, {"username": "pm", "password": "pw-pm"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["token"] == Token.objects.get(user=product_manager).key


def test_a_malformed_authorization_header_does_not_stop_a_token_request(api_client, product_manager):
    api_client.credentials(HTTP_AUTHORIZATION="Token")

    response = api_client.post(TOKEN_URL, {"username": "pm", "password": "pw-pm"}, format="json")

    assert response.status_code == 200, response.json()


def test_a_token_request_with_a_stale_token_and_a_wrong_password_is_still_a_400(api_client, product_manager):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = api_client.post(TOKEN_URL, {"username": "pm", "password": "nope"}, format="json")

    assert_error_shape(response, 400, "non_field_errors")


# --- bodies ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", "username=pm&password=pw-pm"),
        ("application/xml", "<auth><username>pm</username><password>pw-pm</password></auth>"),
    ],
)
def test_a_token_request_in_an_unsupported_content_type_is_a_415(api_client, product_manager, content_type, body):
    response = api_client.post(TOKEN_URL, body, content_type=content_type)

    assert_error_shape(response, 415)


def test_a_token_request_with_malformed_json_is_a_400(api_client, product_manager):
    response = api_client.post(TOKEN_URL, '{"username": "pm", ', content_type="application/json")

    assert_error_shape(response, 400)


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_ten_megabyte_body_is_a_413_in_the_error_shape(client, product_manager, content_type):
    padding = "x" * (10 * 1024 * 1024)
    if content_type == "application/json":
        body = json.dumps({"username": "pm", "password": "pw-pm", "padding": padding})
    else:
        body = f"username=pm&password=pw-pm&padding={padding}"

    response = client.post(TOKEN_URL, body, content_type=content_type)

    assert_error_shape(response, 413)
    assert not Token.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_the_body_limit_follows_django_s_upload_setting(client, product_manager):
    response = client.post(
        TOKEN_URL, json.dumps({"username": "pm", "password": "pw-pm", "x": "y" * 2048}), content_type="application/json"
    )

    assert_error_shape(response, 413)
    small = client.post(TOKEN_URL, {"username": "pm", "password": "pw-pm"}, content_type="application/json")
    assert small.status_code == 200


def test_an_api_url_that_matches_no_route_answers_404_in_the_error_shape(client):
    response = client.get("/api/v1/nonexistent/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_a_page_that_does_not_exist_is_still_a_page(client, member):
    client.force_login(member)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
