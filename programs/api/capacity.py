"""Capacity in the API: resources and allocations, written through ``programs.services``, and the utilisation grid
(``GET resources/utilization/``) the heat map shows."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.fields import empty
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from portfolio.core.api.fields import (
    TIMESTAMPS,
    ChoiceTextField,
    IdRelatedField,
    StrictCharField,
    StrictIntegerField,
    VersionField,
)
from portfolio.core.api.schema import ConflictResponseSerializer
from portfolio.core.api.viewsets import ModelViewSet
from portfolio.core.exceptions import Conflict
from portfolio.core.filters import parse_id
from portfolio.core.models import User
from products.api.serializers import StringDecimalField
from programs import filters, selectors, services
from programs.api.serializers import AllocationSerializer, ResourceSerializer, StrictBooleanField
from programs.models import Project, Resource

FUNCTIONS = Resource._meta.get_field("function").choices
PERCENT_MESSAGE = "Percent must be between 1 and 100."
# --- Serializers ------------------------------------------------------------------------------------------------


class ResourceUpdateSerializer(serializers.Serializer):
    """What a resource's change takes."""

    name = StrictCharField(max_length=120)
    user = IdRelatedField(queryset=User.objects.all(), allow_null=True, required=False, help_text="Their sign-in.")
    function = ChoiceTextField(choices=FUNCTIONS)
    capacity_hours = StringDecimalField(
        max_digits=5, decimal_places=1, signed=False, required=False, help_text="Hours a week; zero or more."
    )
    cost_rate = StringDecimalField(
        max_digits=8, decimal_places=2, signed=False, required=False, help_text="Cost per hour; zero or more."
    )
    active = StrictBooleanField(required=False, help_text="Only active people are allocated and counted.")
    version = VersionField()


class ResourceCreateSerializer(ResourceUpdateSerializer):
    """What a new resource takes (no version: it starts at 1)."""

    version = None


class AllocationUpdateSerializer(serializers.Serializer):
    """What an allocation's change takes; moving it to another project needs the right to allocate there."""

    resource = IdRelatedField(queryset=Resource.objects.all())
    project = IdRelatedField(queryset=Project.objects.all())
    percent = StrictIntegerField(
        min_value=1,
        max_value=100,
        error_messages={"min_value": PERCENT_MESSAGE, "max_value": PERCENT_MESSAGE},
        help_text="Percent of the person's capacity, 1 to 100.",
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    note = StrictCharField(max_length=250, allow_blank=True, required=False)
    version = VersionField()


class AllocationCreateSerializer(AllocationUpdateSerializer):
    """What a new allocation takes: an active person, a project neither completed nor cancelled."""

    version = None


class ExactQueryValue:
    """A query parameter read as given: ``?start=`` is an invalid date, not a parameter left out."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)


class QueryDateField(ExactQueryValue, serializers.DateField):
    pass


class QueryChoiceField(ExactQueryValue, serializers.ChoiceField):
    pass


class UtilizationQuerySerializer(serializers.Serializer):
    start = QueryDateField(required=False, help_text="A day of the first week; this week when left out.")
    end = QueryDateField(required=False, help_text="A day of the last week; 12 weeks after the first.")
    function = QueryChoiceField(choices=FUNCTIONS, required=False, help_text="Only people of this function.")

    def validate(self, attrs):
        attrs["start"], attrs["end"] = selectors.heat_map_period(
            start=attrs.get("start"), end=attrs.get("end"), today=timezone.localdate()
        )
        errors = selectors.heat_map_period_errors(start=attrs["start"], end=attrs["end"])
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class UtilizationWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="The Monday of the week.")
    percent = serializers.IntegerField(help_text="Percent of capacity booked, by working days.")
    over = serializers.BooleanField(help_text="Above 100 %.")


class UtilizationRowSerializer(serializers.Serializer):
    resource = serializers.IntegerField(source="resource.pk")
    name = serializers.CharField(source="resource.name")
    function = serializers.CharField(source="resource.function")
    weeks = UtilizationWeekSerializer(many=True, source="cells")


class FunctionWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    average = serializers.IntegerField(help_text="Average utilisation of the function's people, in percent.")
    over_people = serializers.IntegerField(help_text="How many of them are above 100 %.")


class FunctionTotalSerializer(serializers.Serializer):
    function = serializers.CharField()
    people = serializers.IntegerField()
    weeks = FunctionWeekSerializer(many=True)


class UtilizationSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The Monday of the first week.")
    end = serializers.DateField(help_text="The Sunday of the last week.")
    weeks = serializers.ListField(child=serializers.DateField(), help_text="The Mondays of the weeks.")
    rows = UtilizationRowSerializer(many=True)
    totals = FunctionTotalSerializer(many=True)


# --- Viewsets ---------------------------------------------------------------------------------------------------


def _refused(what: str) -> dict:
    return {
        204: OpenApiResponse(description="Deleted."),
        409: OpenApiResponse(response=ConflictResponseSerializer, description=f"Refused: {what}. Nothing deleted."),
    }


class CapacityWrites:
    """Strict JSON bodies; answers as a read gives them; a stale version or a refused delete is a 409 with the row."""

    parser_classes = [JSONParser]

    @staticmethod
    def _valid(serializer_class, request, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _current(self, obj) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data

    def _answer(self, obj, code: int = status.HTTP_200_OK) -> Response:
        return Response(self._current(obj), status=code)

    def _update(self, request, partial: bool, serializer_class, write):
        obj = self.get_object()
        body = self._valid(serializer_class, request, partial=partial)
        version = body.pop("version")
        try:
            obj = write(obj, version, body)
        except Conflict as conflict:
            conflict.extra.setdefault("current", self._current(obj))
            raise
        return self._answer(obj)

    def _delete(self, obj, write) -> Response:
        try:
            write()
        except ValidationError as refused:
            raise Conflict(" ".join(refused.messages), extra={"current": self._current(obj)}) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    create=extend_schema(request=ResourceCreateSerializer, responses={201: ResourceSerializer}),
    update=extend_schema(request=ResourceUpdateSerializer, responses=ResourceSerializer),
    partial_update=extend_schema(request=ResourceUpdateSerializer, responses=ResourceSerializer),
    destroy=extend_schema(responses=_refused("the person has allocations; deactivate them instead")),
)
class ResourceViewSet(CapacityWrites, ModelViewSet):
    """People who can be allocated to projects; program managers add, edit, deactivate and delete them."""

    serializer_class = ResourceSerializer
    filterset_class = filters.ResourceFilter
    ordering_fields = ["name", "function", "capacity_hours", "cost_rate", "id", *TIMESTAMPS]
    ordering = ["name"]

    def get_queryset(self):
        return selectors.resource_list()

    def create(self, request, *args, **kwargs):
        body = self._valid(ResourceCreateSerializer, request)
        return self._answer(services.resource_create(user=request.user, data=body), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        return self._update(
            request,
            kwargs.get("partial", False),
            ResourceUpdateSerializer,
            lambda obj, version, body: services.resource_update(
                user=request.user, resource=obj, version=version, data=body
            ),
        )

    def destroy(self, request, *args, **kwargs):
        resource = self.get_object()
        return self._delete(resource, lambda: services.resource_delete(user=request.user, resource=resource))

    @extend_schema(
        parameters=[UtilizationQuerySerializer],
        responses={200: UtilizationSerializer},
        description=(
            "The utilisation heat map: active people (of a function) × the weeks from ``start``'s to ``end``'s "
            "(this week and the 12 after it by default; at most 104 weeks). An allocation counts in a week by the "
            "working days it overlaps there; completed and cancelled projects count nothing. Totals per function: "
            "the average utilisation and the people above 100 % each week."
        ),
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def utilization(self, request):
        query = UtilizationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data
        grid = selectors.utilization_grid(start=period["start"], end=period["end"], function=period.get("function"))
        # Built as plain data (the shape ``UtilizationSerializer`` documents): a year of 200 people is 10 400 cells,
        # which nested serializers would take longer to walk than the selector takes to count.
        rows = [
            {
                "resource": row["resource"].pk,
                "name": row["resource"].name,
                "function": row["resource"].function,
                "weeks": [
                    {"week_start": cell["week_start"], "percent": cell["percent"], "over": cell["over"]}
                    for cell in row["cells"]
                ],
            }
            for row in grid["rows"]
        ]
        totals = [
            {"function": total["function"], "people": total["people"], "weeks": total["weeks"]}
            for total in grid["totals"]
        ]
        body = {
            "start": grid["weeks"][0],
            "end": grid["weeks"][-1] + datetime.timedelta(days=6),
            "weeks": grid["weeks"],
            "rows": rows,
            "totals": totals,
        }
        return Response(body)


@extend_schema_view(
    create=extend_schema(request=AllocationCreateSerializer, responses={201: AllocationSerializer}),
    update=extend_schema(request=AllocationUpdateSerializer, responses=AllocationSerializer),
    partial_update=extend_schema(request=AllocationUpdateSerializer, responses=AllocationSerializer),
    destroy=extend_schema(responses=_refused("a resource request points at the allocation")),
)
class AllocationViewSet(CapacityWrites, ModelViewSet):
    """Allocations of people to projects, decided by the editors of the project's program."""

    serializer_class = AllocationSerializer
    filterset_class = filters.AllocationFilter
    ordering_fields = ["start_date", "end_date", "percent", "id", *TIMESTAMPS]
    ordering = ["start_date"]

    def get_queryset(self):
        return selectors.allocation_list()

    def get_permission_object_for_create(self, request):
        """The project the new allocation names (None when it names none that exists: the serializer says why)."""
        project = request.data.get("project") if isinstance(request.data, dict) else None
        if isinstance(project, bool) or not isinstance(project, int) or parse_id(project) is None:
            return None
        return Project.objects.select_related("program__portfolio").filter(pk=project).first()

    def create(self, request, *args, **kwargs):
        body = self._valid(AllocationCreateSerializer, request)
        allocation = services.allocation_create(user=request.user, **body)
        return self._answer(allocation, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        return self._update(
            request,
            kwargs.get("partial", False),
            AllocationUpdateSerializer,
            lambda obj, version, body: services.allocation_update(
                user=request.user, allocation=obj, version=version, **body
            ),
        )

    def destroy(self, request, *args, **kwargs):
        allocation = self.get_object()
        return self._delete(allocation, lambda: services.allocation_delete(user=request.user, allocation=allocation))
