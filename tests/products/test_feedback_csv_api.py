"""The feedback CSV API: ``POST feedback/import/`` (multipart, dry run or import) and ``GET feedback/export/``."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from products.models import Feedback
from tests.core.factories import UserFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, ProductMemberFactory

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/feedback/import/"
EXPORT = "/api/v1/feedback/export/"
GOOD = "summary,company,sentiment,features\nSlow sync,Fabrikam,negative,Sync engine\nDark mode,Contoso,positive,\n"


@pytest.fixture
def flow(product_manager):
    return ProductFactory(name="Flow", slug="flow", owner=product_manager)


@pytest.fixture
def sync(flow):
    return FeatureFactory(product=flow, title="Sync engine")


def send(client, product, content: str, **extra):
    upload = SimpleUploadedFile("feedback.csv", content.encode(), content_type="text/csv")
    return client.post(IMPORT, {"product": str(product.pk), "file": upload, **extra}, format="multipart")


def test_a_dry_run_answers_the_preview_and_saves_nothing(api_as, product_manager, flow, sync):
    response = send(api_as(product_manager), flow, GOOD, dry_run="true")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["dry_run"], body["rows"], body["created"]) == (True, 2, 0)
    first = body["preview"][0]
    assert (first["line"], first["id"], first["summary"], first["sentiment"], first["features"]) == (
        2,
        None,
        "Slow sync",
        "negative",
        [sync.pk],
    )
    assert not Feedback.objects.exists()


def test_an_import_saves_every_row_and_answers_201(api_as, product_manager, flow, sync):
    response = send(api_as(product_manager), flow, GOOD)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 2
    assert [row["id"] for row in body["preview"]] == list(Feedback.objects.order_by("pk").values_list("pk", flat=True))
    assert [row["status"] for row in body["preview"]] == ["linked", "new"]
    sync.refresh_from_db()
    assert sync.demand_count == 1


def test_a_bad_row_is_a_400_naming_its_line_and_column_and_nothing_is_imported(api_as, product_manager, flow, sync):
    response = send(api_as(product_manager), flow, GOOD + "Third,Tailspin,angry,\n")

    assert response.status_code == 400
    body = response.json()
    message = "“angry” is not one of negative, neutral, positive."
    assert body["detail"] == "The file has 1 error: nothing was imported."
    assert body["errors"] == {"file": [f"Line 4, sentiment: {message}"]}
    assert body["lines"] == [{"line": 4, "field": "sentiment", "message": message}]
    assert not Feedback.objects.exists()


def test_a_file_over_the_limit_is_a_400(api_as, product_manager, flow, settings):
    settings.FEEDBACK_IMPORT_MAX_BYTES = 10

    response = send(api_as(product_manager), flow, GOOD)

    assert response.status_code == 400
    assert response.json()["lines"] == [
        {
            "line": None,
            "field": None,
            "message": "The file is larger than 10 bytes, the limit: split it into smaller files.",
        }
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [({"product": "abc"}, "product"), ({"product": "999999"}, "product"), ({"product": None}, "product")],
)
def test_a_malformed_request_is_a_400_naming_the_field(api_as, product_manager, flow, data, field):
    upload = SimpleUploadedFile("feedback.csv", GOOD.encode())
    body = {"product": str(flow.pk), "file": upload, **data}
    body = {name: value for name, value in body.items() if value is not None}

    response = api_as(product_manager).post(IMPORT, body, format="multipart")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_viewer_or_the_manager_of_another_product_gets_a_403(api_as, member, flow, sync):
    ProductMemberFactory(product=flow, user=member, role="viewer")
    other_manager = UserFactory()
    ProductFactory(owner=other_manager)

    assert send(api_as(member), flow, GOOD).status_code == 403
    assert send(api_as(other_manager), flow, GOOD).status_code == 403
    assert not Feedback.objects.exists()


def test_a_request_without_a_file_is_answered_as_an_empty_file(api_as, product_manager, flow):
    response = api_as(product_manager).post(IMPORT, {"product": str(flow.pk)}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["The file is empty: it needs a header row naming its columns, then one row per item."]
    }


def test_json_is_not_taken(api_as, product_manager, flow):
    response = api_as(product_manager).post(IMPORT, {"product": flow.pk}, format="json")

    assert response.status_code == 415


def test_the_export_is_csv_filtered_like_the_list(api_as, member, flow):
    FeedbackFactory(product=flow, summary="=Angry", sentiment="negative")
    FeedbackFactory(product=flow, summary="Happy", sentiment="positive")
    FeedbackFactory(summary="Another product's", sentiment="negative")

    response = api_as(member).get(EXPORT, {"product": flow.pk, "sentiment": "negative"}, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[1] for row in rows[1:]] == ["'=Angry"]


def test_a_bad_export_filter_is_a_400_in_the_error_shape(api_as, member):
    response = api_as(member).get(EXPORT, {"sentiment": "furious"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sentiment"]


@pytest.mark.parametrize("rows", [5, 50])
def test_the_export_makes_the_same_number_of_queries_for_5_or_50_items(
    api_as, member, flow, django_assert_num_queries, rows
):
    feature = FeatureFactory(product=flow)
    for number in range(rows):
        item = FeedbackFactory(product=flow)
        if number % 2:
            item.features.add(feature)
    client = api_as(member)

    with django_assert_num_queries(2):  # the product filter's id, the rows
        response = client.get(EXPORT, {"product": flow.pk})
        lines = b"".join(response.streaming_content).decode().splitlines()

    assert len(lines) == rows + 1
