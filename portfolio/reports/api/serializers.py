from rest_framework import serializers

from portfolio.core.api.fields import TIMESTAMPS
from portfolio.reports.models import ReportSubscription, StakeholderReport


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
            *TIMESTAMPS,
        ]
        read_only_fields = ["recipient", *TIMESTAMPS]


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
