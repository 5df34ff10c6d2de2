"""API of the products app: every list paginated, filtered by its FilterSet and ordered; members, themes, releases,
features, feedback, competitors, market insights, metrics and their readings also written.

Writes are thin: a serializer checks the body's shape, a service in ``products.services`` asks the rules, checks
the model and saves, and the answer is the feature as a read of it gives it.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.pagination import CappedCountPagination
from portfolio.core.api.schema import ConflictResponseSerializer
from portfolio.core.api.viewsets import ModelViewSet
from portfolio.core.exceptions import Conflict
from portfolio.core.filters import parse_id
from portfolio.core.permissions import can
from products import dashboard, filters, selectors, services
from products.api import serializers
from products.api.dashboard import ProductDashboardSerializer


@extend_schema_view(
    create=extend_schema(request=serializers.ProductCreateSerializer, responses={201: serializers.ProductSerializer}),
    update=extend_schema(request=serializers.ProductUpdateSerializer, responses=serializers.ProductSerializer),
    partial_update=extend_schema(request=serializers.ProductUpdateSerializer, responses=serializers.ProductSerializer),
    destroy=extend_schema(
        responses={
            204: OpenApiResponse(description="Deleted, with its team, themes and releases."),
            409: OpenApiResponse(
                response=ConflictResponseSerializer,
                description=(
                    "Refused: the product still has features, feedback, projects or other records that refer to it. "
                    "``detail`` says what and offers archiving instead (``POST products/{id}/archive/``); "
                    "``current`` is the product. Nothing was deleted."
                ),
            ),
        }
    ),
)
class ProductViewSet(ModelViewSet):
    """Products, with their members and objectives; created, edited, archived, restored and deleted.

    The list leaves archived products out unless ``?archived=true`` (all) or ``?archived=only`` asks for them;
    one product is found by its id whether archived or not.
    """

    serializer_class = serializers.ProductSerializer
    filterset_class = filters.ProductFilter
    ordering_fields = ["name", "lifecycle_stage", "archived_at", "id", *TIMESTAMPS]
    ordering = list(selectors.PRODUCT_ORDERING)
    # JSON only: the body's fields take the JSON types the schema states (portfolio.core.api.fields).
    parser_classes = [JSONParser]

    def get_queryset(self):
        return selectors.product_list()

    def filter_queryset(self, queryset):
        # The filters (archived ones left out by default) are the list's: an archived product is still found by id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.ProductCreateSerializer, request)
        product = services.product_create(user=request.user, data=body)
        return self._answer(product, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        product = self.get_object()
        body = self._valid(serializers.ProductUpdateSerializer, request, partial=kwargs.get("partial", False))
        version = body.pop("version")
        with self._conflict_shows_current(product):
            product = services.product_update(user=request.user, product=product, version=version, data=body)
        return self._answer(product)

    def destroy(self, request, *args, **kwargs):
        product = self.get_object()
        try:
            services.product_delete(user=request.user, product=product)
        except ValidationError as refused:
            # The product's state, not the request, stands in the way: a 409 with the product as it is.
            current = self.get_serializer(selectors.product_list().get(pk=product.pk)).data
            raise Conflict(" ".join(refused.messages), extra={"current": current}) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=serializers.ProductSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the product: it leaves the default lists and keeps everything (again: no change)."""
        product = services.product_archive(user=request.user, product=self.get_object())
        return self._answer(product)

    @extend_schema(request=None, responses=serializers.ProductSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring an archived product back to the lists (a product that is not archived stays as it is)."""
        product = services.product_restore(user=request.user, product=self.get_object())
        return self._answer(product)

    @extend_schema(
        summary="The product dashboard's figures",
        description=(
            "Features by status per quarter of their end date (the roadmap's quarters, then those ending earlier, "
            "later or undated), the ten features most asked for, the feedback of the last twelve months by "
            "sentiment, and every KPI's latest reading against its target: the figures of the product's "
            "dashboard page."
        ),
        request=None,
        responses=ProductDashboardSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def dashboard(self, request, pk=None):
        product = self.get_object()
        figures = dashboard.product_dashboard(product=product)
        return Response(ProductDashboardSerializer({"product": product, **figures}).data)

    @staticmethod
    def _valid(serializer_class, request, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, product, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(selectors.product_list().get(pk=product.pk)).data, status=code)

    @contextmanager
    def _conflict_shows_current(self, product):
        """Answer a stale version with the product as it is now."""
        try:
            yield
        except Conflict as conflict:
            current = selectors.product_list().get(pk=product.pk)
            conflict.extra.setdefault("current", self.get_serializer(current).data)
            raise


class WritesThroughServices:
    """The write plumbing of a collection whose writes are services: strict JSON bodies, answers as reads give them.

    A create names its ``product``, the object the rules are asked about (``get_permission_object_for_create``).
    """

    # JSON only: the body's fields take the JSON types the schema states (portfolio.core.api.fields).
    parser_classes = [JSONParser]

    def get_permission_object_for_create(self, request):
        """The product the new row names (None when it names none that exists: the serializer says why)."""
        product = request.data.get("product") if isinstance(request.data, dict) else None
        if isinstance(product, bool) or not isinstance(product, int) or parse_id(product) is None:
            return None
        return selectors.product_by_id(pk=product)

    @staticmethod
    def _valid(serializer_class, request, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)


DELETED = {204: OpenApiResponse(description="Deleted.")}


@extend_schema_view(
    create=extend_schema(request=serializers.ThemeCreateSerializer, responses={201: serializers.ThemeSerializer}),
    update=extend_schema(request=serializers.ThemeUpdateSerializer, responses=serializers.ThemeSerializer),
    partial_update=extend_schema(request=serializers.ThemeUpdateSerializer, responses=serializers.ThemeSerializer),
    destroy=extend_schema(
        responses=DELETED, description="Delete the theme; its features stay on the roadmap, in no theme."
    ),
)
class ThemeViewSet(WritesThroughServices, ModelViewSet):
    """Roadmap themes (swimlanes) of the products; created, renamed, recoloured, reordered and deleted."""

    serializer_class = serializers.ThemeSerializer
    filterset_class = filters.ThemeFilter
    ordering_fields = ["position", "name", "id", *TIMESTAMPS]
    ordering = list(selectors.THEME_ORDERING)

    def get_queryset(self):
        return selectors.theme_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.ThemeCreateSerializer, request)
        theme = services.theme_create(user=request.user, product=body.pop("product"), data=body)
        return self._answer(theme, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        theme = self.get_object()
        body = self._valid(serializers.ThemeUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.theme_update(user=request.user, theme=theme, data=body))

    def destroy(self, request, *args, **kwargs):
        services.theme_delete(user=request.user, theme=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(request=serializers.ReleaseCreateSerializer, responses={201: serializers.ReleaseSerializer}),
    update=extend_schema(request=serializers.ReleaseUpdateSerializer, responses=serializers.ReleaseSerializer),
    partial_update=extend_schema(request=serializers.ReleaseUpdateSerializer, responses=serializers.ReleaseSerializer),
    destroy=extend_schema(
        responses=DELETED, description="Delete the release; its features stay on the roadmap, unscheduled."
    ),
)
class ReleaseViewSet(WritesThroughServices, ModelViewSet):
    """Releases of the products: planned → in progress → released (dated), or cancelled."""

    serializer_class = serializers.ReleaseSerializer
    filterset_class = filters.ReleaseFilter
    ordering_fields = ["target_date", "released_on", "name", "status", "id", *TIMESTAMPS]
    ordering = list(selectors.RELEASE_ORDERING)

    def get_queryset(self):
        return selectors.release_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.ReleaseCreateSerializer, request)
        release = services.release_create(user=request.user, product=body.pop("product"), data=body)
        return self._answer(release, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        release = self.get_object()
        body = self._valid(serializers.ReleaseUpdateSerializer, request, partial=kwargs.get("partial", False))
        version = body.pop("version")
        try:
            release = services.release_update(user=request.user, release=release, version=version, data=body)
        except Conflict as conflict:
            current = self.get_queryset().get(pk=release.pk)
            conflict.extra.setdefault("current", self.get_serializer(current).data)
            raise
        return self._answer(release)

    def destroy(self, request, *args, **kwargs):
        services.release_delete(user=request.user, release=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(request=serializers.MemberCreateSerializer, responses={201: serializers.MemberSerializer}),
    update=extend_schema(request=serializers.MemberUpdateSerializer, responses=serializers.MemberSerializer),
    partial_update=extend_schema(request=serializers.MemberUpdateSerializer, responses=serializers.MemberSerializer),
    destroy=extend_schema(
        responses=DELETED,
        description="Take the member off the product's team; the product's owner cannot leave it (403).",
    ),
)
class ProductMemberViewSet(WritesThroughServices, ModelViewSet):
    """The members of the products' teams, with their role (editor or viewer) and function."""

    serializer_class = serializers.MemberSerializer
    filterset_class = filters.ProductMemberFilter
    ordering_fields = ["role", "function", "id", *TIMESTAMPS]
    ordering = list(selectors.MEMBER_ORDERING)

    def get_queryset(self):
        return selectors.product_member_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.MemberCreateSerializer, request)
        membership = services.product_member_add(
            user=request.user,
            product=body.pop("product"),
            member=body.pop("user"),
            role=body.get("role"),
            function=body.get("function"),
        )
        return self._answer(membership, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        body = self._valid(serializers.MemberUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.product_member_update(user=request.user, membership=membership, data=body))

    def destroy(self, request, *args, **kwargs):
        try:
            services.product_member_remove(user=request.user, membership=self.get_object())
        except ValidationError as refused:
            # Nobody may take the owner off the team, whatever their rights: a refusal, not bad input (no body).
            raise exceptions.PermissionDenied(" ".join(refused.messages)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(request=serializers.FeatureCreateSerializer, responses={201: serializers.FeatureSerializer}),
    update=extend_schema(request=serializers.FeatureUpdateSerializer, responses=serializers.FeatureSerializer),
    partial_update=extend_schema(request=serializers.FeatureUpdateSerializer, responses=serializers.FeatureSerializer),
    destroy=extend_schema(responses={204: OpenApiResponse(description="Deleted.")}),
)
class FeatureViewSet(ModelViewSet):
    """Features with their RICE score and the demand from linked feedback; created, edited, moved and deleted."""

    serializer_class = serializers.FeatureSerializer
    filterset_class = filters.FeatureFilter
    ordering_fields = [
        "rice_score",
        "demand",
        "demand_count",
        "position",
        "title",
        "status",
        "reach",
        "impact",
        "confidence",
        "effort",
        "start_date",
        "end_date",
        "id",
        *TIMESTAMPS,
    ]
    ordering = list(selectors.FEATURE_ORDERING)
    # JSON only: the body's fields take the JSON types the schema states (portfolio.core.api.fields).
    parser_classes = [JSONParser]

    def get_queryset(self):
        return selectors.feature_list()

    def get_permission_object_for_create(self, request):
        """The product the new feature names (None when it names none that exists: the serializer says why)."""
        product = request.data.get("product") if isinstance(request.data, dict) else None
        if isinstance(product, bool) or not isinstance(product, int) or parse_id(product) is None:
            return None
        return selectors.product_by_id(pk=product)

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.FeatureCreateSerializer, request)
        feature = services.feature_create(user=request.user, product=body.pop("product"), data=body)
        return self._answer(feature, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        feature = self.get_object()
        body = self._valid(serializers.FeatureUpdateSerializer, request, partial=kwargs.get("partial", False))
        version = body.pop("version")
        with self._conflict_shows_current(feature):
            feature = services.feature_update(user=request.user, feature=feature, version=version, data=body)
        return self._answer(feature)

    def destroy(self, request, *args, **kwargs):
        services.feature_delete(user=request.user, feature=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=serializers.FeatureMoveSerializer, responses=serializers.FeatureSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the feature on the roadmap: horizon, release, theme, dates and position in its lane."""
        feature = self.get_object()
        body = self._valid(serializers.FeatureMoveSerializer, request)
        with self._conflict_shows_current(feature):
            feature = services.feature_move(user=request.user, feature=feature, **body)
        return self._answer(feature)

    @staticmethod
    def _valid(serializer_class, request, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, feature, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(selectors.feature_get(pk=feature.pk)).data, status=code)

    @contextmanager
    def _conflict_shows_current(self, feature):
        """Answer a stale version with the feature as it is now, so the client can show where it went."""
        try:
            yield
        except Conflict as conflict:
            conflict.extra.setdefault("current", self.get_serializer(selectors.feature_get(pk=feature.pk)).data)
            raise


@extend_schema_view(
    create=extend_schema(request=serializers.FeedbackCreateSerializer, responses={201: serializers.FeedbackSerializer}),
    update=extend_schema(request=serializers.FeedbackUpdateSerializer, responses=serializers.FeedbackSerializer),
    partial_update=extend_schema(
        request=serializers.FeedbackUpdateSerializer,
        responses=serializers.FeedbackSerializer,
        description=(
            "Change the item; `features` links it to its product's features (replacing its links), and the "
            "features' `demand` follows in the same transaction."
        ),
    ),
    destroy=extend_schema(responses=DELETED, description="Delete the item; its features lose its demand."),
)
class FeedbackViewSet(WritesThroughServices, ModelViewSet):
    """Customer feedback, with the ids of the features it is linked to; entered, triaged, linked and deleted."""

    pagination_class = CappedCountPagination
    serializer_class = serializers.FeedbackSerializer
    filterset_class = filters.FeedbackFilter
    ordering_fields = ["received_at", "summary", "company", "importance", "sentiment", "status", "id", *TIMESTAMPS]
    ordering = list(selectors.FEEDBACK_ORDERING)

    def get_queryset(self):
        return selectors.feedback_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.FeedbackCreateSerializer, request)
        feedback = services.feedback_create(user=request.user, product=body.pop("product"), data=body)
        return self._answer(feedback, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        feedback = self.get_object()
        body = self._valid(serializers.FeedbackUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.feedback_update(user=request.user, feedback=feedback, data=body))

    def destroy(self, request, *args, **kwargs):
        services.feedback_delete(user=request.user, feedback=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=serializers.CompetitorCreateSerializer, responses={201: serializers.CompetitorSerializer}
    ),
    update=extend_schema(request=serializers.CompetitorUpdateSerializer, responses=serializers.CompetitorSerializer),
    partial_update=extend_schema(
        request=serializers.CompetitorUpdateSerializer, responses=serializers.CompetitorSerializer
    ),
    destroy=extend_schema(responses=DELETED),
)
class CompetitorViewSet(WritesThroughServices, ModelViewSet):
    """Competitors of the products: positioning, strengths, weaknesses, pricing and threat level.

    ``?ordering=threat_level`` sorts low, medium, high (``-threat_level``: the most threatening first).
    """

    serializer_class = serializers.CompetitorSerializer
    filterset_class = filters.CompetitorFilter
    ordering_fields = ["name", "threat_level", "id", *TIMESTAMPS]
    ordering_aliases = {"threat_level": "threat_rank"}
    ordering = list(selectors.COMPETITOR_ORDERING)

    def get_queryset(self):
        return selectors.competitor_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.CompetitorCreateSerializer, request)
        competitor = services.competitor_create(user=request.user, product=body.pop("product"), data=body)
        return self._answer(competitor, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        competitor = self.get_object()
        body = self._valid(serializers.CompetitorUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.competitor_update(user=request.user, competitor=competitor, data=body))

    def destroy(self, request, *args, **kwargs):
        services.competitor_delete(user=request.user, competitor=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=serializers.MarketInsightCreateSerializer, responses={201: serializers.MarketInsightSerializer}
    ),
    update=extend_schema(
        request=serializers.MarketInsightUpdateSerializer, responses=serializers.MarketInsightSerializer
    ),
    partial_update=extend_schema(
        request=serializers.MarketInsightUpdateSerializer, responses=serializers.MarketInsightSerializer
    ),
    destroy=extend_schema(responses=DELETED, description="Delete the insight; the features it was linked to stay."),
)
class MarketInsightViewSet(WritesThroughServices, ModelViewSet):
    """Market insights (opportunities, trends, threats, customer needs), linked to features of their product.

    ``features`` takes the ids of features of the insight's product: a feature of another product is a 400 on
    ``features``, and nothing changes.
    """

    serializer_class = serializers.MarketInsightSerializer
    filterset_class = filters.MarketInsightFilter
    ordering_fields = ["title", "kind", "estimated_value", "id", *TIMESTAMPS]
    ordering = list(selectors.INSIGHT_ORDERING)

    def get_queryset(self):
        return selectors.insight_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.MarketInsightCreateSerializer, request)
        insight = services.insight_create(user=request.user, product=body.pop("product"), data=body)
        return self._answer(insight, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        insight = self.get_object()
        body = self._valid(serializers.MarketInsightUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.insight_update(user=request.user, insight=insight, data=body))

    def destroy(self, request, *args, **kwargs):
        services.insight_delete(user=request.user, insight=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(
        request=serializers.MetricCreateSerializer, responses={201: serializers.ProductMetricSerializer}
    ),
    update=extend_schema(request=serializers.MetricUpdateSerializer, responses=serializers.ProductMetricSerializer),
    partial_update=extend_schema(
        request=serializers.MetricUpdateSerializer, responses=serializers.ProductMetricSerializer
    ),
    destroy=extend_schema(responses=DELETED, description="Delete the KPI with all its readings."),
)
class ProductMetricViewSet(WritesThroughServices, ModelViewSet):
    """Product metrics (KPIs) with their most recent readings; created, edited and deleted by the product's editors."""

    serializer_class = serializers.ProductMetricSerializer
    filterset_class = filters.ProductMetricFilter
    ordering_fields = ["name", "direction", "target", "id", *TIMESTAMPS]
    ordering = list(selectors.METRIC_ORDERING)

    def get_queryset(self):
        return selectors.metric_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.MetricCreateSerializer, request)
        metric = services.metric_create(user=request.user, product=body.pop("product"), data=body)
        return self._answer(metric, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        metric = self.get_object()
        body = self._valid(serializers.MetricUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.metric_update(user=request.user, metric=metric, data=body))

    def destroy(self, request, *args, **kwargs):
        services.metric_delete(user=request.user, metric=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


READING_REFUSED = "You may not add readings to this KPI: only its product's owner and editors may."


@extend_schema_view(
    create=extend_schema(
        request=serializers.ReadingCreateSerializer, responses={201: serializers.MetricReadingSerializer}
    ),
    update=extend_schema(request=serializers.ReadingUpdateSerializer, responses=serializers.MetricReadingSerializer),
    partial_update=extend_schema(
        request=serializers.ReadingUpdateSerializer, responses=serializers.MetricReadingSerializer
    ),
    destroy=extend_schema(responses=DELETED),
)
class MetricReadingViewSet(WritesThroughServices, ModelViewSet):
    """Dated readings of the product metrics (the full series); one per KPI and date.

    A new reading names its KPI (``metric``): one of a product the user edits, else a 400 on ``metric``.
    """

    serializer_class = serializers.MetricReadingSerializer
    filterset_class = filters.MetricReadingFilter
    ordering_fields = ["date", "value", "metric_id", "id", *TIMESTAMPS]
    ordering = list(selectors.METRIC_READING_ORDERING)

    def get_queryset(self):
        return selectors.metric_reading_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.ReadingCreateSerializer, request)
        metric = body.pop("metric")
        if not can(request.user, "products.add_metricreading", metric):
            raise ValidationError({"metric": READING_REFUSED})
        reading = services.reading_create(user=request.user, metric=metric, data=body)
        return self._answer(reading, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        reading = self.get_object()
        body = self._valid(serializers.ReadingUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.reading_update(user=request.user, reading=reading, data=body))

    def destroy(self, request, *args, **kwargs):
        services.reading_delete(user=request.user, reading=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
