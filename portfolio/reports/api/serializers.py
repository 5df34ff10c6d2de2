from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS, IdRelatedField
from portfolio.core.models import User
from portfolio.reports.models import ReportSubscription, StakeholderReport
from products.models import Product
from programs.models import Portfolio, Program


class ReportSubscriptionSerializer(serializers.ModelSerializer):
    scope_label = serializers.CharField(read_only=True)

    class Meta:
        model = ReportSubscription
        fields = [
            "id",
            "recipient",
            "portfolio",
            "program",
            "product",
            "scope_label",
            "frequency",
            "weekday",
            "day_of_month",
            "hour",
            "active",
            "next_due_at",
            "created_by",
            *TIMESTAMPS,
        ]
        read_only_fields = ["recipient", "next_due_at", "created_by", *TIMESTAMPS]


class ReportSubscriptionWriteSerializer(serializers.ModelSerializer):
    """What a client sends: the scope (none for the whole organisation), the schedule, and, for managers
    subscribing someone else, the recipient (the caller by default)."""

    recipient = IdRelatedField(queryset=User.objects.all(), required=False)
    portfolio = IdRelatedField(queryset=Portfolio.objects.all(), allow_null=True, required=False)
    program = IdRelatedField(queryset=Program.objects.all(), allow_null=True, required=False)
    product = IdRelatedField(queryset=Product.objects.all(), allow_null=True, required=False)

    class Meta:
        model = ReportSubscription
        fields = ["recipient", "portfolio", "program", "product", "frequency", "weekday", "day_of_month", "hour"]
        fields += ["active"]
        validators = []  # the service validates the whole row

    def validate(self, attrs):
        return attrs  # no model validation here: the service runs full_clean() with the rules


class SendNowSerializer(serializers.Serializer):
    subscription = IdRelatedField(
        queryset=ReportSubscription.objects.all(),
        required=False,
        allow_null=True,
        help_text="Send this subscription's current period now; without it, plan what is due now.",
    )


class SendNowResultSerializer(serializers.Serializer):
    queued = serializers.CharField(help_text='"subscription" or "due".')
    subscription = serializers.IntegerField(allow_null=True)


class StakeholderReportSerializer(serializers.ModelSerializer):
    """A report in the archive list: what it covers, without its rendered bodies."""

    pdf_size = serializers.IntegerField(read_only=True, help_text="Size of the attached PDF in bytes (0 when none).")

    class Meta:
        model = StakeholderReport
        fields = [
            "id",
            "scope_key",
            "portfolio",
            "program",
            "product",
            "period_key",
            "period_start",
            "period_end",
            "generated_at",
            "pdf_size",
            *TIMESTAMPS,
        ]
        read_only_fields = fields


class StakeholderReportDetailSerializer(StakeholderReportSerializer):
    """One report with its data and rendered HTML and text (the PDF is not sent as JSON)."""

    class Meta(StakeholderReportSerializer.Meta):
        fields = [*StakeholderReportSerializer.Meta.fields, "data", "html", "text"]
        read_only_fields = fields
