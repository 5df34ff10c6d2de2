"""The feedback CSV pages: upload, preview and import (errors by line, nothing imported), the template, the export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from products.models import Feedback
from tests.core.factories import UserFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, ProductMemberFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "summary,company,sentiment,importance\n"
    "Slow sync,Fabrikam,negative,critical\n"
    "Dark mode,Contoso,positive,Nice to have\n"
)
BAD = GOOD + "Angry,Tailspin,angry,important\n"


@pytest.fixture
def flow(product_manager):
    return ProductFactory(name="Flow", slug="flow", owner=product_manager)


def url(name: str, product) -> str:
    return reverse(f"products:{name}", kwargs={"slug": product.slug})


def upload(content: str, name: str = "feedback.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def exported(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- Import ---------------------------------------------------------------------------------------


def test_the_import_page_documents_the_columns_and_offers_a_template(client, product_manager, flow):
    client.force_login(product_manager)

    page = client.get(url("feedback_import", flow)).content.decode()

    assert 'enctype="multipart/form-data"' in page
    for column in ("summary", "customer_name", "received_at", "importance"):
        assert f"<code>{column}</code>" in page
    assert "Nice to have" in page
    assert f'href="{url("feedback_import_template", flow)}"' in page


def test_the_product_page_leads_its_editors_to_the_import(client, product_manager, member, flow):
    client.force_login(product_manager)
    assert url("feedback_import", flow) in client.get(url("product_detail", flow)).content.decode()

    client.force_login(member)
    assert url("feedback_import", flow) not in client.get(url("product_detail", flow)).content.decode()


def test_the_template_lists_every_column_with_an_example_row_that_imports(client, product_manager, flow):
    client.force_login(product_manager)

    response = client.get(url("feedback_import_template", flow))

    assert response["Content-Disposition"] == 'attachment; filename="flow-feedback-template.csv"'
    content = response.content.decode()
    header, example = list(csv.reader(io.StringIO(content)))
    assert header[:3] == ["summary", "body", "channel"] and len(example) == len(header)
    assert (
        "1 item ready to import"
        in client.post(url("feedback_import", flow), {"file": upload(content)}).content.decode()
    )


def test_a_file_is_previewed_then_imported_as_new_items(client, product_manager, flow):
    client.force_login(product_manager)

    preview = client.post(url("feedback_import", flow), {"file": upload(GOOD)})

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 items ready to import from feedback.csv" in page
    assert "Slow sync" in page and "Dark mode" in page and "Import 2 items" in page
    assert not Feedback.objects.exists()

    done = client.post(url("feedback_import", flow), {"token": preview.context["confirm"]["token"].value()})

    assert done.status_code == 200
    assert "2 feedback items imported from feedback.csv" in done.content.decode()
    assert sorted(Feedback.objects.filter(product=flow).values_list("summary", "status")) == [
        ("Dark mode", "new"),
        ("Slow sync", "new"),
    ]


def test_the_preview_shows_the_first_20_rows_and_the_count(client, product_manager, flow):
    client.force_login(product_manager)
    content = "summary\n" + "".join(f"Item number {n}\n" for n in range(1, 31))

    page = client.post(url("feedback_import", flow), {"file": upload(content)}).content.decode()

    assert "30 items ready to import" in page and "The first 20 of 30 rows" in page
    assert "Item number 20<" in page and "Item number 21<" not in page


def test_a_file_with_a_bad_line_shows_that_line_s_error_and_imports_nothing(client, product_manager, flow):
    client.force_login(product_manager)

    response = client.post(url("feedback_import", flow), {"file": upload(BAD)})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported: 1 error in feedback.csv" in page
    assert "Line 4, sentiment: “angry” is not one of negative, neutral, positive." in page
    assert "confirm" not in response.context
    assert not Feedback.objects.exists()


def test_an_upload_without_a_file_is_a_form_error(client, product_manager, flow):
    client.force_login(product_manager)

    response = client.post(url("feedback_import", flow), {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_preview_is_imported_once_however_often_its_button_is_pressed(client, product_manager, flow):
    client.force_login(product_manager)
    token = client.post(url("feedback_import", flow), {"file": upload(GOOD)}).context["confirm"]["token"].value()

    assert client.post(url("feedback_import", flow), {"token": token}).status_code == 200
    again = client.post(url("feedback_import", flow), {"token": token})

    assert again.status_code == 400
    assert "already imported: nothing was imported" in again.content.decode()
    assert Feedback.objects.count() == 2


def test_a_preview_token_works_only_for_its_user_and_product(client, product_manager, flow):
    client.force_login(product_manager)
    token = client.post(url("feedback_import", flow), {"file": upload(GOOD)}).context["confirm"]["token"].value()
    other = ProductFactory(owner=product_manager)
    colleague = UserFactory()
    ProductMemberFactory(product=flow, user=colleague, role="editor")

    assert client.post(url("feedback_import", other), {"token": token}).status_code == 400
    client.force_login(colleague)
    assert client.post(url("feedback_import", flow), {"token": token}).status_code == 400
    assert client.post(url("feedback_import", flow), {"token": token + "x"}).status_code == 400
    assert not Feedback.objects.exists()

    client.force_login(product_manager)
    assert client.post(url("feedback_import", flow), {"token": token}).status_code == 200


def test_a_file_over_the_size_limit_is_an_error_on_the_page(client, product_manager, flow, settings):
    settings.FEEDBACK_IMPORT_MAX_BYTES = 1024
    client.force_login(product_manager)

    response = client.post(url("feedback_import", flow), {"file": upload("summary\n" + "x\n" * 1000)})

    assert response.status_code == 400
    assert "The file is larger than 1 KB, the limit" in response.content.decode()


@pytest.mark.parametrize("who", ["viewer", "outsider", "leader"])
def test_viewers_outsiders_and_leadership_get_no_import(client, request, flow, who):
    user = UserFactory() if who == "viewer" else request.getfixturevalue(who)
    if who != "outsider":
        ProductMemberFactory(product=flow, user=user, role="viewer" if who == "viewer" else "editor")
    client.force_login(user)

    assert client.get(url("feedback_import", flow)).status_code == 403
    assert client.post(url("feedback_import", flow), {"file": upload(GOOD)}).status_code == 403
    assert not Feedback.objects.exists()


# --- Export ---------------------------------------------------------------------------------------


def test_the_export_has_the_import_s_columns_with_id_status_and_linked_feature_titles(client, member, flow):
    feedback = FeedbackFactory(
        product=flow, summary="Slow sync", company="Fabrikam", sentiment="negative", importance="critical"
    )
    feedback.features.add(FeatureFactory(product=flow, title="Sync engine"), FeatureFactory(product=flow, title="API"))
    client.force_login(member)

    header, row = exported(client.get(url("feedback_export", flow)))

    assert header == [
        "id",
        "summary",
        "body",
        "channel",
        "customer_name",
        "company",
        "email",
        "segment",
        "sentiment",
        "importance",
        "received_at",
        "status",
        "features",
    ]
    values = dict(zip(header, row, strict=True))
    assert values["id"] == str(feedback.pk)
    assert (values["summary"], values["sentiment"], values["importance"], values["status"]) == (
        "Slow sync",
        "negative",
        "critical",
        "new",
    )
    assert values["features"] == "API | Sync engine"


def test_the_export_takes_the_inbox_s_filters(client, member, flow):
    FeedbackFactory(product=flow, summary="Angry at Contoso", company="Contoso", sentiment="negative")
    FeedbackFactory(product=flow, summary="Happy at Contoso", company="Contoso", sentiment="positive")
    FeedbackFactory(product=flow, summary="Angry elsewhere", company="Fabrikam", sentiment="negative")
    FeedbackFactory(summary="Another product's")
    client.force_login(member)

    rows = exported(client.get(url("feedback_export", flow), {"sentiment": "negative", "q": "contoso"}))

    assert [row[1] for row in rows[1:]] == ["Angry at Contoso"]
    assert len(exported(client.get(url("feedback_export", flow)))) == 4  # the header and the product's three


def test_a_bad_export_filter_is_a_400(client, member, flow):
    client.force_login(member)

    response = client.get(url("feedback_export", flow), {"sentiment": "furious"})

    assert response.status_code == 400
    assert "sentiment" in response.content.decode()


def test_the_export_guards_cells_a_spreadsheet_would_run_as_formulas(client, member, flow):
    FeedbackFactory(product=flow, summary='=HYPERLINK("http://evil.example")', company="+44 20", body="@SUM(A1)")
    client.force_login(member)

    header, row = exported(client.get(url("feedback_export", flow)))

    values = dict(zip(header, row, strict=True))
    assert values["summary"] == '\'=HYPERLINK("http://evil.example")'
    assert (values["company"], values["body"]) == ("'+44 20", "'@SUM(A1)")


def test_an_export_imports_again_into_another_product(client, product_manager, flow):
    FeedbackFactory(product=flow, summary="=1+1", company="Contoso", sentiment="positive", status="archived")
    client.force_login(product_manager)
    content = b"".join(client.get(url("feedback_export", flow)).streaming_content).decode()
    other = ProductFactory(owner=product_manager, slug="other")

    lines = [",".join(row[:-1]) for row in csv.reader(io.StringIO(content))]
    preview = client.post(url("feedback_import", other), {"file": upload("\n".join(lines))})
    client.post(url("feedback_import", other), {"token": preview.context["confirm"]["token"].value()})

    assert Feedback.objects.filter(product=other).values_list("summary", "company", "status").get() == (
        "=1+1",
        "Contoso",
        "new",
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_the_export_makes_the_same_number_of_queries_for_5_or_50_items(
    client, member, flow, django_assert_num_queries, rows
):
    features = [FeatureFactory(product=flow) for _ in range(3)]
    for number in range(rows):
        FeedbackFactory(product=flow).features.add(*features[: number % 4])
    client.force_login(member)

    with django_assert_num_queries(7):  # session, user, product, the session saved (3), the rows
        lines = exported(client.get(url("feedback_export", flow)))

    assert len(lines) == rows + 1


def test_an_archived_product_offers_no_import_but_still_exports(client, product_manager, flow):
    flow.archived_at = flow.created_at
    flow.save()
    FeedbackFactory(product=flow, summary="Kept")
    client.force_login(product_manager)

    assert url("feedback_import", flow) not in client.get(url("product_detail", flow)).content.decode()
    assert client.get(url("feedback_import", flow)).status_code == 403
    assert [row[1] for row in exported(client.get(url("feedback_export", flow)))[1:]] == ["Kept"]
