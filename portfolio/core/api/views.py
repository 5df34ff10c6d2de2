from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portfolio.core import selectors, services
from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.schema import ConflictResponseSerializer
from portfolio.core.api.serializers import (
    KeyResultCreateSerializer,
    KeyResultSerializer,
    KeyResultUpdateSerializer,
    MeSerializer,
    ObjectiveCreateSerializer,
    ObjectiveSerializer,
    ObjectiveUpdateSerializer,
)
from portfolio.core.api.viewsets import ModelViewSet
from portfolio.core.filters import KeyResultFilterSet, ObjectiveFilterSet, parse_id
from portfolio.core.lockout import SignInLockedOut
from portfolio.core.models import StrategicObjective


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ObtainAuthToken):
    """Exchange ``username`` and ``password`` for an API token (rate-limited per client address).

    Failed exchanges count towards the sign-in lockout (django-axes) like failed logins on the page.
    """

    # No token authentication here: a client whose token was revoked must still be able to get a new
    # one, and the stale ``Authorization`` header it sends would otherwise be refused with a 401.
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        responses={
            200: TokenResponseSerializer,
            429: OpenApiResponse(description="Too many requests, or too many failed sign-ins: see Retry-After."),
        }
    )
    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except serializers.ValidationError:
            # authenticate() got this DRF request, so axes flags it here (not on the HttpRequest its
            # middleware sees).
            if getattr(request, "axes_locked_out", False):
                raise SignInLockedOut() from None
            raise
        services.sign_in_failures_reset(request=request, username=request.data["username"])
        return response


class MeView(APIView):
    """The signed-in user, with roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


@extend_schema_view(
    create=extend_schema(request=ObjectiveCreateSerializer, responses={201: ObjectiveSerializer}),
    update=extend_schema(
        request=ObjectiveUpdateSerializer, responses={200: ObjectiveSerializer, 409: ConflictResponseSerializer}
    ),
    partial_update=extend_schema(
        request=ObjectiveUpdateSerializer, responses={200: ObjectiveSerializer, 409: ConflictResponseSerializer}
    ),
)
class ObjectiveViewSet(ModelViewSet):
    """Strategic objectives with their key results and mean progress; set by program managers, edited by the owner."""

    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]  # objectives are not deleted here
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

    def _answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        body = _valid(ObjectiveCreateSerializer, request)
        return self._answer(services.objective_create(user=request.user, data=body), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        objective = self.get_object()
        body = _valid(ObjectiveUpdateSerializer, request, partial=kwargs.get("partial", False))
        version = body.pop("version")
        objective = StrategicObjective.objects.get(pk=objective.pk)  # a plain row, without the list's annotations
        return self._answer(
            services.objective_update(user=request.user, objective=objective, version=version, data=body)
        )


def _valid(serializer_class, request, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    create=extend_schema(request=KeyResultCreateSerializer, responses={201: KeyResultSerializer}),
    update=extend_schema(request=KeyResultUpdateSerializer, responses=KeyResultSerializer),
    partial_update=extend_schema(request=KeyResultUpdateSerializer, responses=KeyResultSerializer),
    destroy=extend_schema(responses={204: OpenApiResponse(description="Deleted.")}),
)
class KeyResultViewSet(ModelViewSet):
    """Key results of the strategic objectives, with progress; added, edited and removed by the objective's owner."""

    serializer_class = KeyResultSerializer
    filterset_class = KeyResultFilterSet
    parser_classes = [JSONParser]
    ordering_fields = ["id", "title", "objective", *TIMESTAMPS]
    # By the column, not by the objective's own ordering (a join and a sort on another table).
    ordering_aliases = {"objective": "objective_id"}
    ordering = ["objective_id", "id"]

    def get_queryset(self):
        return selectors.key_result_list()

    def get_permission_object_for_create(self, request):
        """The objective the new key result names (None when it names none that exists: the serializer says why)."""
        objective = request.data.get("objective") if isinstance(request.data, dict) else None
        if isinstance(objective, bool) or not isinstance(objective, int) or parse_id(objective) is None:
            return None
        return StrategicObjective.objects.filter(pk=objective).first()

    def create(self, request, *args, **kwargs):
        body = _valid(KeyResultCreateSerializer, request)
        key_result = services.key_result_create(user=request.user, objective=body.pop("objective"), data=body)
        return Response(self.get_serializer(key_result).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        key_result = self.get_object()
        body = _valid(KeyResultUpdateSerializer, request, partial=kwargs.get("partial", False))
        key_result = services.key_result_update(user=request.user, key_result=key_result, data=body)
        return Response(self.get_serializer(key_result).data)

    def destroy(self, request, *args, **kwargs):
        services.key_result_delete(user=request.user, key_result=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
