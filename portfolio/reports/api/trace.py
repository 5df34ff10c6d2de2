"""``GET features/{id}/trace/``: a feature's trace from customer to boardroom, as the feature page's panel shows it
(``portfolio.reports.trace.feature_trace``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.core.filters import parse_id
from portfolio.core.models import StrategicObjective
from portfolio.core.scales import Severity
from portfolio.reports.trace import feature_trace
from products.models import Feature, Feedback
from programs.models import RAG, Project, Resource
from risks.models import Risk

MONEY = {"max_digits": 16, "decimal_places": 2}


class TraceFeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    summary = serializers.CharField()
    customer_name = serializers.CharField()
    company = serializers.CharField()
    segment = serializers.CharField()
    importance = serializers.ChoiceField(choices=Feedback.Importance.choices)
    sentiment = serializers.ChoiceField(choices=Feedback.Sentiment.choices)
    received_at = serializers.DateTimeField()


class WhoAskedSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The company or segment as the feedback names it (empty: none given).")
    items = serializers.IntegerField(min_value=0)
    critical = serializers.IntegerField(min_value=0)
    important = serializers.IntegerField(min_value=0)
    nice_to_have = serializers.IntegerField(source="nice-to-have", min_value=0)
    demand = serializers.IntegerField(min_value=0, help_text="Items weighed by importance (1, 2, 3).")


class TraceProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    program = serializers.IntegerField(source="program_id")
    program_name = serializers.CharField(source="program.name")
    status = serializers.ChoiceField(choices=Project.Status.choices)
    health = serializers.ChoiceField(choices=RAG.choices)
    manager = serializers.IntegerField(source="manager_id")


class TraceAllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    resource = serializers.IntegerField(source="resource_id")
    resource_name = serializers.CharField(source="resource.name")
    function = serializers.ChoiceField(source="resource.function", choices=Resource._meta.get_field("function").choices)
    project = serializers.IntegerField(source="project_id")
    percent = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    planned_cost = serializers.DecimalField(**MONEY, help_text="The labour from its first day to its last.")


class TraceRiskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    project = serializers.IntegerField(source="project_id", allow_null=True, help_text="Null: on the product.")
    product = serializers.IntegerField(source="product_id", allow_null=True)
    score = serializers.IntegerField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    status = serializers.ChoiceField(choices=Risk.Status.choices)
    escalated = serializers.BooleanField()


class TraceObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=StrategicObjective.Status.choices)
    weight = serializers.IntegerField()
    by_feature = serializers.BooleanField(help_text="The feature itself is aligned to it.")
    by_projects = serializers.BooleanField(help_text="A project delivering the feature is aligned to it.")
    project_contribution = serializers.IntegerField(
        allow_null=True, help_text="Σ contribution of the projects delivering the feature."
    )


class FeatureTraceSerializer(serializers.Serializer):
    feature = serializers.IntegerField(source="feature.pk")
    product = serializers.IntegerField(source="feature.product_id")
    feedback_count = serializers.IntegerField(min_value=0, help_text="Linked feedback, archived items left out.")
    demand = serializers.IntegerField(min_value=0)
    feedback = TraceFeedbackSerializer(many=True, help_text="The most important items first (at most 10).")
    companies = WhoAskedSerializer(many=True)
    segments = WhoAskedSerializer(many=True)
    projects = TraceProjectSerializer(many=True, help_text="The projects delivering the feature.")
    allocations = TraceAllocationSerializer(many=True, help_text="The people allocated to those projects.")
    people_count = serializers.IntegerField(min_value=0)
    planned_cost = serializers.DecimalField(**MONEY, help_text="Σ planned cost of those allocations.")
    risks = TraceRiskSerializer(many=True, help_text="Not closed, on those projects or the product (at most 10).")
    risk_count = serializers.IntegerField(min_value=0)
    escalated_risk_count = serializers.IntegerField(min_value=0)
    objectives = TraceObjectiveSerializer(many=True)


class FeatureTraceView(APIView):
    """Who asked for a feature, who builds it, what it costs and what threatens it."""

    # The id is documented as every detail route's is (portfolio.core.api.schema); a malformed one is a 404.
    queryset = Feature.objects.all()
    lookup_url_kwarg = "pk"

    @extend_schema(
        summary="A feature's trace from customer to boardroom",
        description=(
            "The feedback linked to the feature with the companies and segments that asked; the projects "
            "delivering it with their health; the people allocated to them with their planned cost; the risks "
            "not closed on those projects and on the product; the objectives it serves, its own and its "
            "projects'. The figures of the trace panel on the feature's page."
        ),
        responses=FeatureTraceSerializer,
    )
    def get(self, request, pk: str):
        feature_id = parse_id(pk)
        feature = Feature.objects.select_related("product").filter(pk=feature_id).first() if feature_id else None
        if feature is None:
            raise exceptions.NotFound()
        return Response(FeatureTraceSerializer(feature_trace(feature=feature)).data)
