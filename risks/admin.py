"""Admin for risks: a risk follows the project, program or product it hangs on; its actions follow the risk."""

from django.contrib import admin

from portfolio.core.admin import ParentPermissionInline, RulesModelAdmin, VersionedHistoryAdmin
from portfolio.core.scales import Severity
from risks.models import MitigationAction, Risk
from risks.selectors import risk_severity, severity_q


class SeverityListFilter(admin.SimpleListFilter):
    title = "severity"
    parameter_name = "severity"

    def lookups(self, request, model_admin):
        return Severity.choices

    def queryset(self, request, queryset):
        if self.value() in Severity.values:
            return queryset.filter(severity_q(self.value()))
        return queryset


class MitigationActionInline(ParentPermissionInline):
    model = MitigationAction
    fields = ("description", "owner", "due_date", "done_at")
    autocomplete_fields = ("owner",)
    row_select_related = ("owner",)


@admin.register(Risk)
class RiskAdmin(VersionedHistoryAdmin):
    # Whichever is set is asked ``risks.add_risk``: the user must edit the scope the risk is put on.
    parent_fields = ("project", "program", "product")
    list_display = ("title", "kind", "status", "score", "severity", "category", "scope", "owner", "review_date")
    list_filter = ("kind", "status", SeverityListFilter, "category", "response", "review_date")
    search_fields = ("title", "description", "trigger")
    autocomplete_fields = ("owner",)
    raw_id_fields = ("project", "program", "product")
    list_select_related = ("owner", "project", "program", "product")
    readonly_fields = ("score", "severity", "version", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind", "title", "description", "category", "owner", "status", "response", "trigger")}),
        ("Hangs on (exactly one)", {"fields": ("project", "program", "product")}),
        ("Assessment", {"fields": ("probability", "impact", "score", "severity", "review_date")}),
        ("After mitigation", {"fields": ("residual_probability", "residual_impact", "closed_at", "closing_note")}),
        ("Record", {"fields": ("version", "created_at", "updated_at")}),
    )
    inlines = [MitigationActionInline]

    @admin.display(description="Severity", ordering="score")
    def severity(self, risk: Risk) -> str:
        # A generated column has no value before the first save.
        return risk_severity(score=risk.score) if risk.pk else "—"

    @admin.display(description="Project, program or product")
    def scope(self, risk: Risk) -> str:
        return str(risk.scope or "—")


@admin.register(MitigationAction)
class MitigationActionAdmin(RulesModelAdmin):
    parent_fields = ("risk",)
    parent_permission = "risks.change_risk"
    list_display = ("description", "risk", "owner", "due_date", "done_at")
    list_filter = (("done_at", admin.EmptyFieldListFilter), "due_date")
    search_fields = ("description", "risk__title")
    autocomplete_fields = ("risk", "owner")
    list_select_related = ("risk", "owner")
    readonly_fields = ("created_at", "updated_at")
