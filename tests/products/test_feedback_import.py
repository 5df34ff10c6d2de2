"""Importing feedback from a CSV file (``services.feedback_import``): all or nothing, errors by line and column."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from products import services
from products.models import Feedback
from tests.core.factories import UserFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, ProductMemberFactory

pytestmark = pytest.mark.django_db

HEADER = "summary,body,channel,customer_name,company,email,segment,sentiment,importance,received_at\n"
GOOD = (
    HEADER + "Exports time out,Every export over 2000 rows stops,support,Dana,Northwind,dana@northwind.example,"
    "Enterprise,negative,critical,2026-11-03 14:30\n"
    + "Dark mode please,,survey,,Contoso,,SMB,positive,nice-to-have,2026-11-04\n"
)


@pytest.fixture
def product(product_manager):
    return ProductFactory(name="Flow", slug="flow", owner=product_manager)


def run(user, product, content, *, dry_run=False):
    data = content.encode() if isinstance(content, str) else content
    return services.feedback_import(user=user, product=product, file=data, dry_run=dry_run)


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def test_a_good_file_imports_every_row_as_new_feedback_of_the_product(product_manager, product):
    result = run(product_manager, product, GOOD)

    assert result.ok and result.created == 2
    first, second = Feedback.objects.filter(product=product).order_by("received_at")
    assert (first.summary, first.body, first.channel, first.customer_name, first.company) == (
        "Exports time out",
        "Every export over 2000 rows stops",
        "support",
        "Dana",
        "Northwind",
    )
    assert (first.email, first.segment, first.sentiment, first.importance) == (
        "dana@northwind.example",
        "Enterprise",
        "negative",
        "critical",
    )
    assert timezone.localtime(first.received_at).replace(tzinfo=None) == datetime.datetime(2026, 11, 3, 14, 30)
    assert timezone.localtime(second.received_at).replace(tzinfo=None) == datetime.datetime(2026, 11, 4)
    assert {first.status, second.status} == {"new"}
    assert [item.pk for item in result.items] == sorted(item.pk for item in (first, second))


def test_a_dry_run_checks_and_previews_the_rows_and_saves_nothing(product_manager, product):
    result = run(product_manager, product, GOOD, dry_run=True)

    assert result.ok and result.rows == 2 and result.created == 0
    assert [item.summary for item in result.preview] == ["Exports time out", "Dark mode please"]
    assert not Feedback.objects.exists()


def test_one_bad_line_is_named_by_its_line_and_column_and_nothing_is_imported(product_manager, product):
    content = HEADER + "Fine,,,,,,,,,\nAlso fine,,,,,,,,,\nStill fine,,,,,,,,,\nAngry one,,,,,,,angry,,\n"

    result = run(product_manager, product, content)

    assert messages(result) == ["Line 5, sentiment: “angry” is not one of negative, neutral, positive."]
    assert result.created == 0
    assert not Feedback.objects.exists()


def test_every_bad_row_is_reported_with_the_model_s_own_rules(product_manager, product):
    content = "summary,email,received_at\n" + f"{'x' * 201},not-an-email,2026-02-30\n" + ",,\n" + "  ,a@b.example,\n"

    result = run(product_manager, product, content)

    assert messages(result) == [
        "Line 2, received_at: “2026-02-30” is not an ISO date (2026-11-03) or date and time (2026-11-03 14:30), "
        "or not in the calendar.",
        "Line 2, summary: Ensure this value has at most 200 characters (it has 201).",
        "Line 2, email: Enter a valid email address.",
        "Line 4, summary: Every row needs a summary, and this one is empty.",
    ]
    assert not Feedback.objects.exists()


def test_choices_are_taken_by_value_or_label_whatever_the_case(product_manager, product):
    content = "summary,channel,sentiment,importance\nOne,SALES,Positive,Nice to have\n"
    content += "Two,review,NEGATIVE,nice_to_have\n"

    run(product_manager, product, content)

    rows = Feedback.objects.order_by("summary").values_list("channel", "sentiment", "importance")
    assert list(rows) == [("sales", "positive", "nice-to-have"), ("review", "negative", "nice-to-have")]


def test_only_the_summary_is_needed_and_the_rest_takes_the_defaults(product_manager, product):
    before = timezone.now()

    run(product_manager, product, "Summary\nJust a summary\n")

    item = Feedback.objects.get()
    assert (item.channel, item.sentiment, item.importance, item.status) == ("other", "neutral", "nice-to-have", "new")
    assert item.received_at >= before


def test_a_file_over_the_size_limit_is_refused_whole(product_manager, product, settings):
    settings.FEEDBACK_IMPORT_MAX_BYTES = 100
    content = HEADER + "A,,,,,,,,,\n" * 20
    upload = SimpleUploadedFile("big.csv", content.encode())

    result = services.feedback_import(user=product_manager, product=product, file=upload, dry_run=False)

    assert messages(result) == ["The file is larger than 100 bytes, the limit: split it into smaller files."]
    assert upload.tell() == 101  # nothing read past the limit
    assert not Feedback.objects.exists()


def test_a_file_over_the_row_limit_is_refused_at_the_first_row_past_it(product_manager, product, settings):
    settings.FEEDBACK_IMPORT_MAX_ROWS = 3

    result = run(product_manager, product, "summary\n" + "".join(f"Row {n}\n" for n in range(10)))

    assert messages(result) == ["Line 5: The file has more than 3 rows, the limit: split it into smaller files."]
    assert not Feedback.objects.exists()


def test_a_file_with_excel_s_byte_order_mark_and_semicolons_is_read(product_manager, product):
    content = "\ufeffSummary;Company;Sentiment\r\nSlow sync;Fabrikam;negative\r\n"

    result = run(product_manager, product, content.encode("utf-8"))

    assert result.ok, messages(result)
    stored = Feedback.objects.values_list("summary", "company", "sentiment").get()
    assert stored == ("Slow sync", "Fabrikam", "negative")


def test_a_quoted_value_keeps_its_line_breaks_and_later_errors_name_the_file_s_line(product_manager, product):
    content = 'summary,body,sentiment\nFirst,"line one\nline two\nline three",neutral\nSecond,,cross\n'

    result = run(product_manager, product, content)

    assert messages(result) == ["Line 5, sentiment: “cross” is not one of negative, neutral, positive."]
    fixed = run(product_manager, product, content.replace("cross", "negative"))
    assert fixed.ok
    assert Feedback.objects.get(summary="First").body == "line one\nline two\nline three"


def test_an_unknown_column_is_named_and_nothing_is_read(product_manager, product):
    result = run(product_manager, product, "summary,mood,Company\nA,happy,B\n")

    assert messages(result) == [
        "Line 1: The header row names an unknown column: “mood”. The columns are summary, body, channel, "
        "customer_name, company, email, segment, sentiment, importance, received_at, features."
    ]


def test_a_header_without_the_summary_column_is_refused(product_manager, product):
    result = run(product_manager, product, "company,body\nAcme,Hello\n")

    assert messages(result)[0].startswith("Line 1: The header row has no “summary” column, which is required.")


def test_a_file_that_is_not_utf_8_says_so_and_where(product_manager, product):
    content = "summary,company\nCafé crème,Brasserie\n".encode("latin-1")

    result = run(product_manager, product, content)

    assert messages(result) == [
        "Line 2: The file is not UTF-8 text: line 2 holds a byte (0xE9) UTF-8 cannot read. "
        "Save it as “CSV UTF-8 (comma delimited)” and upload it again."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty: it needs a header row naming its columns, then one row per item."),
        (b"\xef\xbb\xbf \r\n", "The file is empty: it needs a header row naming its columns, then one row per item."),
        (b"summary\n\n", "The file has a header row but no rows of feedback under it."),
        (
            b"summary\nA\x00B\n",
            "Line 2: The file holds a NUL character, which text never does: is it a spreadsheet (.xlsx) "
            "rather than a CSV?",
        ),
        (
            "summary\nA\n".encode("utf-16"),
            "The file is UTF-16 text: save it as “CSV UTF-8 (comma delimited)” and upload it again.",
        ),
        (
            b'summary,body\nA,"never closed\n',
            "Line 2: The file cannot be read as CSV from here on (unexpected end of data): check the quotes "
            "around values.",
        ),
        (b"summary,summary\nA,B\n", "Line 1, summary: The header row names the column “summary” twice."),
        (b"summary\nA,B\n", "Line 2: This row has 2 values but the header names 1 columns."),
    ],
)
def test_files_that_cannot_be_read_say_why(product_manager, product, content, message):
    result = run(product_manager, product, content)

    assert messages(result) == [message]
    assert not Feedback.objects.exists()


def test_an_exported_file_imports_again_without_its_id_and_status_and_without_the_formula_guard(
    product_manager, product
):
    content = "id,summary,status,company\n7,'=HYPERLINK(1),archived,'+Plus Ltd\n"

    run(product_manager, product, content)

    assert Feedback.objects.values_list("summary", "status", "company").get() == ("=HYPERLINK(1)", "new", "+Plus Ltd")


def test_blank_rows_a_spreadsheet_leaves_are_skipped(product_manager, product):
    result = run(product_manager, product, "summary,company\nA,B\n,\n\nC,D\n,\n")

    assert result.ok and result.created == 2


def test_at_most_a_hundred_errors_are_listed_with_how_many_more_there_are(product_manager, product):
    result = run(product_manager, product, "summary,sentiment\n" + "A,bad\n" * 150)

    assert (len(result.errors), result.error_count, result.errors_not_listed) == (100, 150, 50)


@pytest.mark.parametrize(("who", "role"), [("member", "viewer"), ("outsider", None), ("leader", "editor")])
def test_viewers_outsiders_and_leadership_do_not_import(request, product, who, role):
    user = request.getfixturevalue(who)
    if role:  # leadership only reads, even as an editor member
        ProductMemberFactory(product=product, user=user, role=role)

    with pytest.raises(PermissionDenied):
        run(user, product, GOOD, dry_run=True)


def test_an_editor_member_imports(product):
    editor = UserFactory()
    ProductMemberFactory(product=product, user=editor, role="editor")
    FeedbackFactory(product=product)

    assert run(editor, product, GOOD).created == 2
    assert Feedback.objects.filter(product=product).count() == 3


# --- Links to features ------------------------------------------------------------------------------


def test_a_row_links_to_features_by_id_or_title_and_their_demand_is_recounted(product_manager, product):
    sync = FeatureFactory(product=product, title="Sync engine")
    export = FeatureFactory(product=product, title="Bulk export")
    content = (
        "summary,importance,features\n"
        f"Slow sync,critical,sync ENGINE | {export.pk}\n"
        "Export please,important,Bulk export\n"
        "No link,,\n"
    )

    result = run(product_manager, product, content)

    assert result.ok, messages(result)
    stored = {item.summary: item for item in Feedback.objects.prefetch_related("features")}
    assert {feature.title for feature in stored["Slow sync"].features.all()} == {"Sync engine", "Bulk export"}
    assert [item.status for item in (stored["Slow sync"], stored["Export please"], stored["No link"])] == [
        "linked",
        "linked",
        "new",
    ]
    sync.refresh_from_db()
    export.refresh_from_db()
    assert (sync.demand_count, sync.demand) == (1, 3)
    assert (export.demand_count, export.demand) == (2, 5)


def test_a_feature_of_another_product_or_an_unknown_one_is_an_error_on_its_line(product_manager, product):
    foreign = FeatureFactory(title="Elsewhere")
    FeatureFactory(product=product, title="Twice")
    FeatureFactory(product=product, title="twice")
    content = f"summary,features\nA,{foreign.pk}\nB,Elsewhere\nC,Twice\n"

    result = run(product_manager, product, content)

    assert messages(result)[:2] == [
        f"Line 2, features: “{foreign.pk}” is not a feature of Flow (by id or title).",
        "Line 3, features: “Elsewhere” is not a feature of Flow (by id or title).",
    ]
    assert messages(result)[2].startswith("Line 4, features: 2 features are titled “Twice” (ids ")
    assert not Feedback.objects.exists()
    foreign.refresh_from_db()
    assert foreign.demand_count == 0


def test_a_dry_run_links_nothing(product_manager, product):
    feature = FeatureFactory(product=product, title="Sync engine")

    result = run(product_manager, product, "summary,features\nA,Sync engine\n", dry_run=True)

    assert result.ok and result.items[0].import_features == [feature]
    feature.refresh_from_db()
    assert feature.demand_count == 0 and not Feedback.objects.exists()


def test_nothing_is_imported_into_an_archived_product(product_manager, product):
    product.archived_at = timezone.now()
    product.save()

    with pytest.raises(PermissionDenied):
        run(product_manager, product, GOOD)
    assert not Feedback.objects.exists()
