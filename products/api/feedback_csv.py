"""Feedback in and out of CSV files through the API: ``POST feedback/import/`` and ``GET feedback/export/``.

The same service and the same export as the pages (``services.feedback_import``, ``views.feedback_csv``): an
import is checked whole (``dry_run`` answers the preview and saves nothing) and saved only when no row has an
error; the export takes the feedback list's filters and streams the file.
"""

from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.core.api.schema import ErrorResponseSerializer
from portfolio.core.exceptions import ApplicationError
from portfolio.core.filters import ID_SCHEMA, MALFORMED_ID, UNKNOWN_ID, parse_id
from portfolio.core.permissions import can
from portfolio.core.spreadsheets import csv_lines
from products import selectors, services
from products.filters import FeedbackFilter
from products.models import Feedback
from products.views.feedback_csv import feedback_csv_rows


class ProductIdField(serializers.Field):
    """A product by its id, as a form field sends it (text): malformed and unknown ids are told apart."""

    default_error_messages = {"invalid_id": MALFORMED_ID}

    def to_internal_value(self, data):
        pk = parse_id(data) if isinstance(data, str | int) and not isinstance(data, bool) else None
        if pk is None:
            self.fail("invalid_id")
        product = selectors.product_by_id(pk=pk)
        if product is None:
            raise serializers.ValidationError(UNKNOWN_ID % {"model": "product", "value": pk}, code="unknown_id")
        return product

    def to_representation(self, value):
        return value.pk


class FeedbackImportRequestSerializer(serializers.Serializer):
    product = ProductIdField(help_text="The id of the product the feedback is for.")
    # Not required: an empty file part does not reach the view at all, and is answered as an empty file is.
    file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="The CSV file: UTF-8, a header row naming the columns (summary is required), one row per item.",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Check the file and answer the preview without saving anything."
    )


# The product field's schema: an id, sent as form text.
ProductIdField._spectacular_annotation = {"field": ID_SCHEMA}


class FeedbackImportRowSerializer(serializers.Serializer):
    """One row of the file as the item it becomes (``id`` once imported, null in a dry run)."""

    line = serializers.IntegerField(help_text="The row's line in the file (the header is line 1).")
    id = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField()
    body = serializers.CharField()
    channel = serializers.ChoiceField(choices=Feedback.Channel.choices)
    customer_name = serializers.CharField()
    company = serializers.CharField()
    email = serializers.CharField()
    segment = serializers.CharField()
    sentiment = serializers.ChoiceField(choices=Feedback.Sentiment.choices)
    importance = serializers.ChoiceField(choices=Feedback.Importance.choices)
    received_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="new, or linked when the row names features.")
    features = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the linked features.")


class FeedbackImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField(help_text="How many rows of feedback the file has.")
    created = serializers.IntegerField(help_text="How many items were imported (0 in a dry run).")
    preview = FeedbackImportRowSerializer(many=True, help_text="The first 20 rows.")


ROW_FIELDS = (
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
)


def _row(item: Feedback) -> dict:
    return {
        "line": item.import_line,
        "id": item.pk,
        **{name: getattr(item, name) for name in ROW_FIELDS},
        "features": [feature.pk for feature in item.import_features],
    }


INVALID_FILE = (
    "The file was not imported, none of it. ``errors.file`` lists what is wrong, each message naming its line "
    "and column; ``lines`` gives the same as ``[{line, field, message}]`` (``line`` null for the file as a whole)."
)


@extend_schema(
    request={"multipart/form-data": FeedbackImportRequestSerializer},
    responses={
        200: OpenApiResponse(
            FeedbackImportResultSerializer, description="A dry run: the file is valid, nothing saved."
        ),
        201: OpenApiResponse(FeedbackImportResultSerializer, description="Imported: every row, as new feedback."),
        400: OpenApiResponse(ErrorResponseSerializer, description=INVALID_FILE),
    },
)
class FeedbackImportView(APIView):
    """Import feedback from a CSV file: all rows or none, errors by line and column (the product's editors)."""

    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        # Asked before the body is read: who may add feedback to no product gets a 403, whatever they send.
        if not can(request.user, "products.add_feedback"):
            raise exceptions.PermissionDenied()
        body = FeedbackImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = services.feedback_import(
            user=request.user, product=data["product"], file=data.get("file") or b"", dry_run=data["dry_run"]
        )
        if not result.ok:
            count = result.error_count
            detail = f"The file has {count} error{'s' if count != 1 else ''}: nothing was imported."
            lines = [{"line": e.line, "field": e.field, "message": e.message} for e in result.errors]
            raise ApplicationError(detail, extra={"errors": {"file": [str(e) for e in result.errors]}, "lines": lines})
        answer = FeedbackImportResultSerializer(
            {
                "dry_run": result.dry_run,
                "rows": result.rows,
                "created": result.created,
                "preview": [_row(item) for item in result.preview],
            }
        ).data
        return Response(answer, status=status.HTTP_200_OK if result.dry_run else status.HTTP_201_CREATED)


@extend_schema(
    filters=True,
    responses={
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description=(
                "The feedback the filters select, as CSV: the import's columns with id, status and the linked "
                "features' titles (separated by “ | ”). Cells a spreadsheet would run as formulas start with '."
            ),
        )
    },
)
class FeedbackExportView(GenericAPIView):
    """Export feedback as CSV, filtered as the feedback list is (``?product=`` for one product's)."""

    filterset_class = FeedbackFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = None

    def get_queryset(self):
        return Feedback.objects.all()

    def perform_content_negotiation(self, request, force=False):
        # The file is CSV whatever the Accept header; an error is answered in the API's JSON error shape.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request):
        feedback = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(csv_lines(feedback_csv_rows(feedback)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="feedback.csv"'
        return response
