"""API of the risk register: risks and mitigation actions read with filters and ordering, and written through
``risks.services`` (strict JSON bodies; a stale ``version`` is a 409 with the risk as it is now); the heat map."""

from contextlib import contextmanager

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.core.api.viewsets import ModelViewSet
from portfolio.core.exceptions import Conflict
from portfolio.core.filters import parse_id
from products.models import Product
from programs.models import Program, Project
from risks import selectors, services
from risks.api import serializers
from risks.api.serializers import MitigationActionSerializer, RiskSerializer
from risks.filters import MitigationActionFilterSet, RiskFilterSet
from risks.models import Risk

DELETED = {204: OpenApiResponse(description="Deleted.")}
SCOPE_MODELS = {"project": Project, "program": Program, "product": Product}


class StrictWrites:
    parser_classes = [JSONParser]

    @staticmethod
    def _valid(serializer_class, request, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)

    @contextmanager
    def _conflict_shows_current(self, obj):
        """Answer a stale version with the object as it is now."""
        try:
            yield
        except Conflict as conflict:
            conflict.extra.setdefault("current", self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)
            raise


@extend_schema_view(
    create=extend_schema(request=serializers.RiskCreateSerializer, responses={201: RiskSerializer}),
    update=extend_schema(request=serializers.RiskUpdateSerializer, responses=RiskSerializer),
    partial_update=extend_schema(request=serializers.RiskUpdateSerializer, responses=RiskSerializer),
    destroy=extend_schema(responses=DELETED),
)
class RiskViewSet(StrictWrites, ModelViewSet):
    """The RAID log: risks, issues, assumptions and dependencies with score, severity and escalation; logged on a
    project, program or product by whoever edits it, edited, closed (with a note), reopened, marked occurred."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    ordering_fields = [
        "id",
        "score",
        "severity",
        "residual_score",
        "probability",
        "impact",
        "title",
        "kind",
        "status",
        "category",
        "response",
        "review_date",
        "closed_at",
        *TIMESTAMPS,
    ]
    # Severity bands follow the score, so sorting by score sorts by band (a text sort would not).
    ordering_aliases = {"severity": "score"}
    ordering = ["-score"]

    def get_queryset(self):
        return selectors.risk_register()

    def get_permission_object_for_create(self, request):
        """The one scope the new risk names (None when it names none, or several: the service says why)."""
        if not isinstance(request.data, dict):
            return None
        named = [(name, request.data.get(name)) for name in SCOPE_MODELS if request.data.get(name) is not None]
        if len(named) != 1:
            return None
        name, value = named[0]
        if isinstance(value, bool) or not isinstance(value, int) or parse_id(value) is None:
            return None
        return SCOPE_MODELS[name].objects.filter(pk=value).first()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.RiskCreateSerializer, request)
        return self._answer(services.risk_create(user=request.user, data=body), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        risk = self.get_object()
        body = self._valid(serializers.RiskUpdateSerializer, request, partial=kwargs.get("partial", False))
        version = body.pop("version")
        with self._conflict_shows_current(risk):
            risk = services.risk_update(user=request.user, risk=risk, version=version, data=body)
        return self._answer(risk)

    def destroy(self, request, *args, **kwargs):
        services.risk_delete(user=request.user, risk=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=serializers.RiskCloseSerializer,
        responses=RiskSerializer,
        description="Close the risk with a note saying why (required); a closed risk is refused (400).",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the risk with its closing note."""
        risk = self.get_object()
        body = self._valid(serializers.RiskCloseSerializer, request)
        with self._conflict_shows_current(risk):
            risk = services.risk_close(user=request.user, risk=risk, **body)
        return self._answer(risk)

    @extend_schema(
        request=serializers.RiskStepSerializer,
        responses=RiskSerializer,
        description="Take a closed or occurred risk back to open (any other is refused, 400).",
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a closed or occurred risk."""
        risk = self.get_object()
        body = self._valid(serializers.RiskStepSerializer, request)
        with self._conflict_shows_current(risk):
            risk = services.risk_reopen(user=request.user, risk=risk, **body)
        return self._answer(risk)

    @extend_schema(
        request=serializers.RiskStepSerializer,
        responses=RiskSerializer,
        description="Record that the risk happened: it becomes an issue (kind `issue`, status `occurred`).",
    )
    @action(detail=True, methods=["post"])
    def occurred(self, request, pk=None):
        """Mark the risk occurred: it turns into an issue."""
        risk = self.get_object()
        body = self._valid(serializers.RiskStepSerializer, request)
        with self._conflict_shows_current(risk):
            risk = services.risk_occurred(user=request.user, risk=risk, **body)
        return self._answer(risk)

    @extend_schema(
        summary="The 5×5 heat map of open risks",
        description=(
            "The 25 cells (probability 5 to 1, impact 1 to 5) with the count of the risks that are not closed in "
            "the scope (`portfolio`: with its programs' and projects'; `program`: with its projects'), and each "
            "cell's severity. `residual=1` places risks by residual probability and impact; one without both "
            "stays where its inherent values put it."
        ),
        parameters=[serializers.HeatmapQuerySerializer],
        responses={200: serializers.HeatmapSerializer},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def heatmap(self, request):
        query = serializers.HeatmapQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        residual = data.pop("residual", "0") == "1"
        queryset = Risk.objects.filter(selectors.scope_q(**data))
        cells = selectors.risk_heatmap(queryset=queryset, residual=residual)
        return Response(serializers.HeatmapSerializer({"residual": residual, "cells": cells}).data)


@extend_schema_view(
    create=extend_schema(
        request=serializers.MitigationActionCreateSerializer, responses={201: MitigationActionSerializer}
    ),
    update=extend_schema(request=serializers.MitigationActionUpdateSerializer, responses=MitigationActionSerializer),
    partial_update=extend_schema(
        request=serializers.MitigationActionUpdateSerializer, responses=MitigationActionSerializer
    ),
    destroy=extend_schema(responses=DELETED),
)
class MitigationActionViewSet(StrictWrites, ModelViewSet):
    """Actions taken to bring risks down, with owner and due date; written by whoever edits the risk."""

    serializer_class = MitigationActionSerializer
    filterset_class = MitigationActionFilterSet
    ordering_fields = ["id", "due_date", "done_at", "risk", *TIMESTAMPS]
    # By the column, not by the related risk's own ordering (a join and a sort on another table).
    ordering_aliases = {"risk": "risk_id"}
    ordering = ["risk_id", "due_date"]

    def get_queryset(self):
        return selectors.mitigation_action_list()

    def get_permission_object_for_create(self, request):
        """The risk the new action names (None when it names none that exists: the serializer says why)."""
        value = request.data.get("risk") if isinstance(request.data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or parse_id(value) is None:
            return None
        return Risk.objects.select_related("project__program__portfolio", "program__portfolio").filter(pk=value).first()

    def create(self, request, *args, **kwargs):
        body = self._valid(serializers.MitigationActionCreateSerializer, request)
        action = services.mitigation_action_create(user=request.user, risk=body.pop("risk"), data=body)
        return self._answer(action, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        action = self.get_object()
        body = self._valid(serializers.MitigationActionUpdateSerializer, request, partial=kwargs.get("partial", False))
        return self._answer(services.mitigation_action_update(user=request.user, action=action, data=body))

    def destroy(self, request, *args, **kwargs):
        services.mitigation_action_delete(user=request.user, action=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
