from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.viewsets import ReadOnlyModelViewSet

from portfolio.core import selectors
from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.serializers import KeyResultSerializer, MeSerializer, ObjectiveSerializer
from portfolio.core.filters import KeyResultFilterSet, ObjectiveFilterSet


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """Exchange ``username`` and ``password`` for an API token (rate-limited per client address)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(responses=TokenResponseSerializer)
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeView(APIView):
    """The signed-in user, with roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ObjectiveViewSet(ReadOnlyModelViewSet):
    """Strategic objectives with their key results and mean progress."""

    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    ordering_fields = [
        "id",
        "title",
        "weight",
        "status",
        "start_date",
        "end_date",
        "progress",
        *TIMESTAMPS,
    ]
    ordering = ["-weight", "title"]

    def get_queryset(self):
        return selectors.objective_list()


class KeyResultViewSet(ReadOnlyModelViewSet):
    """Key results of the strategic objectives, with progress."""

    serializer_class = KeyResultSerializer
    filterset_class = KeyResultFilterSet
    ordering_fields = ["id", "title", "objective", *TIMESTAMPS]
    # By the column, not by the objective's own ordering (a join and a sort on another table).
    ordering_aliases = {"objective": "objective_id"}
    ordering = ["objective_id", "id"]

    def get_queryset(self):
        return selectors.key_result_list()
