from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from rules.contrib.admin import ObjectPermissionsModelAdmin, ObjectPermissionsModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from portfolio.core.models import KeyResult, StrategicObjective, User, VersionedModel


class VersionBumpMixin:
    """Count an admin edit as a new version, so API and page edits based on the old one get a conflict."""

    def save_model(self, request, obj: VersionedModel, form, change):
        if change:
            # From the database, not the instance: the history "Revert" page saves an old copy of the object,
            # whose version is the old one, and the version must never go back.
            current = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first()
            obj.version = (obj.version if current is None else current) + 1
        super().save_model(request, obj, form, change)


@admin.register(User)
class UserAdmin(ObjectPermissionsModelAdminMixin, DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email", "title", "function")}),
        ("Roles and permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "first_name", "last_name", "function", "groups"),
            },
        ),
        ("Password", {"classes": ("wide",), "fields": ("usable_password", "password1", "password2")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "title", "function", "role_names", "is_staff")
    list_filter = ("function", "groups", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "title")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def role_names(self, user: User) -> str:
        return ", ".join(user.roles)


class KeyResultInline(admin.TabularInline):
    model = KeyResult
    fields = ("title", "unit", "start_value", "target_value", "current_value", "progress")
    readonly_fields = ("progress",)
    extra = 0

    @admin.display(description="Progress %")
    def progress(self, key_result: KeyResult) -> int | str:
        return key_result.progress if key_result.pk else "—"


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(VersionBumpMixin, SimpleHistoryAdmin, ObjectPermissionsModelAdmin):
    list_display = ("title", "owner", "status", "weight", "start_date", "end_date", "parent", "version")
    list_filter = ("status", "weight", "start_date")
    search_fields = ("title", "description")
    autocomplete_fields = ("owner", "parent")
    list_select_related = ("owner", "parent")
    readonly_fields = ("version", "created_at", "updated_at")
    date_hierarchy = "start_date"
    inlines = [KeyResultInline]


@admin.register(KeyResult)
class KeyResultAdmin(ObjectPermissionsModelAdmin):
    list_display = ("title", "objective", "unit", "start_value", "target_value", "current_value", "progress")
    list_filter = ("objective__status",)
    search_fields = ("title", "objective__title")
    autocomplete_fields = ("objective",)
    list_select_related = ("objective",)
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description="Progress %")
    def progress(self, key_result: KeyResult) -> int:
        return key_result.progress
