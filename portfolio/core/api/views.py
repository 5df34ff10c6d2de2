from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ReadOnlyModelViewSet

from portfolio.core import selectors
from portfolio.core.api.serializers import KeyResultSerializer, MeSerializer, ObjectiveSerializer
from portfolio.core.filters import KeyResultFilterSet, ObjectiveFilterSet


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """Exchange ``username`` and ``password`` for an API token."""

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
        "created_at",
        "updated_at",
    ]
    ordering = ["-weight", "title"]
    search_fields = ["title", "description"]

    def get_queryset(self):
        return selectors.objective_list()


class KeyResultViewSet(ReadOnlyModelViewSet):
    """Key results of the strategic objectives, with progress."""

    serializer_class = KeyResultSerializer
    filterset_class = KeyResultFilterSet
    ordering_fields = ["id", "title", "objective", "created_at", "updated_at"]
    ordering = ["objective", "id"]
    search_fields = ["title"]

    def get_queryset(self):
        return selectors.key_result_list()
