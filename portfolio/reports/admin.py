from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from rules.contrib.admin import ObjectPermissionsModelAdmin

from portfolio.reports import selectors, services
from portfolio.reports.models import ReportDelivery, ReportSubscription, StakeholderReport


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(ObjectPermissionsModelAdmin):
    list_display = ("recipient", "scope_label", "frequency", "weekday", "day_of_month", "hour", "active")
    list_filter = ("frequency", "active", "weekday")
    search_fields = ("recipient__username", "recipient__email", "recipient__first_name", "recipient__last_name")
    autocomplete_fields = ("recipient",)
    raw_id_fields = ("portfolio", "program", "product")
    list_select_related = ("recipient", "portfolio", "program", "product")
    readonly_fields = ("created_at", "updated_at")

    # A subscription is its recipient's: others (superusers aside) neither see it nor subscribe someone else.
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(recipient=request.user)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if request.user.is_superuser or obj is not None else [*exclude, "recipient"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser or obj is None else [*readonly, "recipient"]

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.recipient = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Scope")
    def scope_label(self, subscription: ReportSubscription) -> str:
        return subscription.scope_label


@admin.register(StakeholderReport)
class StakeholderReportAdmin(ObjectPermissionsModelAdmin):
    """Reports are generated, not typed in: everything is read-only; the HTML is shown as it was sent."""

    list_display = ("scope_key", "period_key", "period_start", "period_end", "generated_at", "pdf_size")
    list_filter = ("period_end",)
    search_fields = ("scope_key", "period_key")
    date_hierarchy = "period_end"
    raw_id_fields = ("portfolio", "program", "product")
    list_select_related = ("portfolio", "program", "product")
    fields = (
        "scope_key",
        "portfolio",
        "program",
        "product",
        "period_key",
        "period_start",
        "period_end",
        "generated_at",
        "pdf_size",
        "rendered_html",
        "text",
        "data",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # The changelist needs none of the bodies; the change form needs all but the PDF bytes.
        is_changelist = request.resolver_match and request.resolver_match.url_name.endswith("_changelist")
        return selectors.report_list(with_bodies=not is_changelist)

    def has_add_permission(self, request):
        return False

    @admin.display(description="PDF bytes", ordering="pdf_size")
    def pdf_size(self, report: StakeholderReport) -> int:
        return report.pdf_size

    @admin.display(description="HTML")
    def rendered_html(self, report: StakeholderReport) -> str:
        # A sandboxed frame: the report's markup and styles cannot touch the admin page.
        return format_html(
            '<iframe sandbox srcdoc="{}" title="Report HTML" style="width:100%;height:32rem;border:1px solid #ccc">'
            "</iframe>",
            report.html,
        )


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ObjectPermissionsModelAdmin):
    list_display = (
        "report",
        "recipient_email",
        "period_key",
        "status",
        "attempts",
        "next_attempt_at",
        "short_error",
        "sent_at",
        "created_at",
    )
    list_filter = ("status", "created_at")
    search_fields = ("recipient_email", "message_id", "period_key", "last_error")
    raw_id_fields = ("subscription", "report")
    list_select_related = ("report", "subscription")
    readonly_fields = ("period_key", "claimed_at", "created_at", "updated_at")
    actions = ["resend"]

    @admin.display(description="Last error")
    def short_error(self, delivery: ReportDelivery) -> str:
        return delivery.last_error[:80]

    @admin.action(description="Send the selected failed deliveries again")
    def resend(self, request, queryset):
        sent = 0
        for delivery in queryset.filter(status=ReportDelivery.Status.FAILED):
            try:
                services.delivery_resend(user=request.user, delivery=delivery)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{delivery}: {error}", messages.ERROR)
            else:
                sent += 1
        self.message_user(request, f"{sent} failed deliver{'y' if sent == 1 else 'ies'} queued again.")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("report", "subscription")
        return queryset.defer(*(f"report__{field}" for field in (*selectors.REPORT_BODIES, "pdf")))
