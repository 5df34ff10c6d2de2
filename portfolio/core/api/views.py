from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portfolio.core import selectors, services
from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.serializers import KeyResultSerializer, MeSerializer, ObjectiveSerializer
from portfolio.core.api.viewsets import ReadOnlyModelViewSet
from portfolio.core.filters import KeyResultFilterSet, ObjectiveFilterSet
from portfolio.core.lockout import SignInLockedOut


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
