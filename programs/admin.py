"""Admin for every programs model: object permissions from ``rules``, on the object and on the parent it is put
under (``parent_fields``, asked with ``add_<model>``), history and optimistic locking where the model is versioned.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from portfolio.core.admin import (
    OPENED_VERSION,
    ParentPermissionInline,
    RulesModelAdmin,
    VersionedHistoryAdmin,
    VersionedInlineMixin,
)
from programs import services
from programs.models import (
    Allocation,
    CostEntry,
    Dependency,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    Resource,
    ResourceRequest,
    StatusReport,
)
from programs.selectors import delete_blockers


class RefusesDeleteWithChildren:
    """Refuse, as the services' ``*_delete`` do, to delete what anything still hangs on: archive it instead.

    The admin would otherwise cascade (or stop at the first protected row); what stands in the way is listed as
    protected, which makes the admin answer "Cannot delete" and change nothing.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            protected += [
                f"{obj}: {count} {what} (archive the {obj._meta.verbose_name} instead)"
                for what, count in delete_blockers(obj=obj)
            ]
        return deleted, counts, perms_needed, protected


class StructureThroughServices(RefusesDeleteWithChildren):
    """Saves and deletes portfolios, programs and projects through their services, as the pages and the API do.

    The form's own checks come first; what only the service knows (a project's features must be its product's, a
    name taken under the new parent by a concurrent save, a delete that something now stands in the way of) comes
    back as an error message on the same page, and the admin's transaction leaves everything as it was.
    """

    kind = ""  # the services are ``services.<kind>_create``, ``_update`` and ``_delete``
    parent_field: str | None = None  # what a new one is created in
    written: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in self.written if name in form.cleaned_data}
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            opened = form.cleaned_data.get(OPENED_VERSION) or form.current_version()
            update = getattr(services, f"{self.kind}_update")
            saved = update(user=request.user, version=opened, data=data, **{self.kind: stored})
        else:
            parent = {self.parent_field: data.pop(self.parent_field)} if self.parent_field else {}
            saved = getattr(services, f"{self.kind}_create")(user=request.user, data=data, **parent)
        obj.pk, obj.version = saved.pk, saved.version
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The service saved the links with the row: the form's own many-to-many save would skip its checks.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        getattr(services, f"{self.kind}_delete")(user=request.user, **{self.kind: obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class MilestoneInline(VersionedInlineMixin, ParentPermissionInline):
    model = Milestone
    fields = ["name", "due_date", "completed_on", "is_key"]
    row_select_related = ()


class ProjectObjectiveInline(ParentPermissionInline):
    model = ProjectObjective
    fields = ["objective", "contribution"]
    raw_id_fields = ["objective"]


class AllocationInline(VersionedInlineMixin, ParentPermissionInline):
    """Allocations on their resource, checked like in ``AllocationAdmin``: by the program of each row's project.

    A resource is any program manager's to change, an allocation only its program's editors'.
    """

    model = Allocation
    fields = ["project", "percent", "start_date", "end_date", "note"]
    autocomplete_fields = ["project"]
    parent_fields = ("project",)
    check_rows = True


@admin.register(Portfolio)
class PortfolioAdmin(StructureThroughServices, VersionedHistoryAdmin):
    kind = "portfolio"
    written = services.PORTFOLIO_FIELDS
    list_display = ["name", "owner", "fiscal_year", "budget", "archived_at"]
    list_filter = ["fiscal_year"]
    search_fields = ["name", "description"]
    raw_id_fields = ["owner"]
    list_select_related = ["owner"]
    readonly_fields = ["version", "archived_at"]


@admin.register(Program)
class ProgramAdmin(StructureThroughServices, VersionedHistoryAdmin):
    kind = "program"
    parent_field = "portfolio"
    written = (*services.PROGRAM_FIELDS, "portfolio", "objectives")
    parent_fields = ("portfolio",)
    list_display = ["name", "portfolio", "manager", "status", "budget", "start_date", "end_date"]
    list_filter = ["status", "portfolio"]
    search_fields = ["name", "description", "portfolio__name"]
    autocomplete_fields = ["portfolio"]
    raw_id_fields = ["manager", "objectives"]
    list_select_related = ["portfolio", "manager"]
    readonly_fields = ["version", "archived_at"]
    date_hierarchy = "start_date"


@admin.register(Project)
class ProjectAdmin(StructureThroughServices, VersionedHistoryAdmin):
    kind = "project"
    parent_field = "program"
    written = (*services.PROJECT_FIELDS, "program", "features")
    parent_fields = ("program",)
    list_display = ["name", "program", "manager", "product", "status", "start_date", "end_date", "budget"]
    list_filter = ["status", "health_override", "program__portfolio", "program"]
    search_fields = ["name", "description", "program__name"]
    autocomplete_fields = ["program"]
    raw_id_fields = ["manager", "product", "features"]
    list_select_related = ["program", "manager", "product"]
    readonly_fields = ["version", "archived_at"]
    date_hierarchy = "start_date"
    inlines = [MilestoneInline, ProjectObjectiveInline]


@admin.register(ProjectObjective)
class ProjectObjectiveAdmin(RulesModelAdmin):
    parent_fields = ("project",)
    list_display = ["project", "objective", "contribution"]
    list_filter = ["contribution"]
    search_fields = ["project__name", "objective__title"]
    autocomplete_fields = ["project"]
    raw_id_fields = ["objective"]
    list_select_related = ["project", "objective"]


@admin.register(Milestone)
class MilestoneAdmin(VersionedHistoryAdmin):
    parent_fields = ("project",)
    list_display = ["name", "project", "due_date", "completed_on", "is_key"]
    list_filter = ["is_key", ("completed_on", admin.EmptyFieldListFilter), "due_date"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]
    readonly_fields = ["version"]
    date_hierarchy = "due_date"


@admin.register(Dependency)
class DependencyAdmin(RulesModelAdmin):
    parent_fields = ("from_project",)  # a dependency belongs to the project that depends
    list_display = ["from_project", "kind", "to_project", "note"]
    list_filter = ["kind"]
    search_fields = ["from_project__name", "to_project__name", "note"]
    autocomplete_fields = ["from_project", "to_project"]
    list_select_related = ["from_project", "to_project"]

    def get_readonly_fields(self, request, obj=None):
        # Which projects a link joins, and how, is chosen once (through the service's cycle check); the note changes.
        return ["from_project", "to_project", "kind"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = services.dependency_add(
            user=request.user, from_project=obj.from_project, to_project=obj.to_project, kind=obj.kind, note=obj.note
        )
        obj.pk = created.pk
        obj.created_at, obj.updated_at = created.created_at, created.updated_at
        return None

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.clean = _dependency_form_clean(form.clean)
        return form


def _dependency_form_clean(clean):
    """The admin's add form shows the service's refusals (a cycle, a duplicate) as form errors before saving."""

    def checked(self):
        data = clean(self)
        source, target = data.get("from_project"), data.get("to_project")
        if source and target and data.get("kind") == Dependency.Kind.BLOCKS:
            path = services.blocking_path(start=target, goal=source)
            if path is not None:
                self.add_error("to_project", services.dependency_cycle_message(source, path))
        return data

    return checked


@admin.register(Resource)
class ResourceAdmin(VersionedHistoryAdmin):
    list_display = ["name", "user", "function", "capacity_hours", "cost_rate", "active"]
    readonly_fields = ["version"]
    list_filter = ["function", "active"]
    search_fields = ["name", "user__username", "user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
    inlines = [AllocationInline]

    def get_deleted_objects(self, objs, request):
        # As ``services.resource_delete``: someone with allocations is deactivated, not deleted with them.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected) + [
            f"{obj}: {count} allocation(s) (deactivate them instead)"
            for obj in objs
            if (count := obj.allocations.count())
        ]
        return deleted, counts, perms_needed, protected


@admin.register(Allocation)
class AllocationAdmin(VersionedHistoryAdmin):
    parent_fields = ("project",)
    list_display = ["resource", "project", "percent", "start_date", "end_date"]
    list_filter = ["resource__function", "start_date"]
    search_fields = ["resource__name", "project__name", "note"]
    autocomplete_fields = ["resource", "project"]
    list_select_related = ["resource", "project"]
    readonly_fields = ["version"]
    date_hierarchy = "start_date"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.clean = _allocation_form_clean(form.clean)
        return form


def _allocation_form_clean(clean):
    """The admin's allocation form refuses, as ``services.allocation_create`` does, an inactive person or a closed
    project (when it is the one chosen now)."""

    def checked(self):
        data = clean(self)
        resource, project = data.get("resource"), data.get("project")
        if resource is None or project is None:
            return data
        adding = self.instance.pk is None
        errors = services.allocation_target_errors(
            Allocation(resource=resource, project=project),
            resource_changed=adding or "resource" in self.changed_data,
            project_changed=adding or "project" in self.changed_data,
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data

    return checked


@admin.register(ResourceRequest)
class ResourceRequestAdmin(VersionedHistoryAdmin):
    parent_fields = ("product",)  # requested by the product's editors, for one of its projects
    list_display = ["__str__", "product", "project", "requested_by", "status", "start_date", "end_date", "created_at"]
    list_filter = ["status", "function"]
    search_fields = ["justification", "project__name", "product__name", "requested_by__username"]
    autocomplete_fields = ["project", "resource", "allocation"]
    raw_id_fields = ["product", "requested_by", "decided_by"]
    list_select_related = ["product", "project", "requested_by"]
    date_hierarchy = "created_at"
    # Deciding goes through the decide rule and its service (which creates the allocation); the requester,
    # who may edit a pending request, must not set its outcome here.
    decision_fields = ["status", "decided_by", "decided_at", "decision_note", "allocation"]
    readonly_fields = ["version"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, *self.decision_fields]


@admin.register(CostEntry)
class CostEntryAdmin(RulesModelAdmin):
    parent_fields = ("project",)
    list_display = ["date", "project", "category", "amount", "note"]
    list_filter = ["category", "date"]
    search_fields = ["project__name", "note"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]
    date_hierarchy = "date"


@admin.register(StatusReport)
class StatusReportAdmin(VersionedHistoryAdmin):
    parent_fields = ("project",)
    list_display = ["project", "period_end", "overall", "schedule", "budget", "scope", "status", "author"]
    list_filter = ["status", "overall", "period_end"]
    search_fields = ["project__name", "summary"]
    autocomplete_fields = ["project"]
    raw_id_fields = ["author"]
    list_select_related = ["project", "author"]
    readonly_fields = ["version", "live_data"]
    date_hierarchy = "period_end"

    # A published report is frozen: the admin shows it but neither edits nor deletes it.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)
