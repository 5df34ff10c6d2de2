"""Admin for core, and the bases every app's admin is built on.

- ``RulesModelAdmin``: object permissions from ``portfolio/core/permissions.py``, including on the parent an
  object is put under (``ParentPermissionAdminMixin``).
- ``VersionedHistoryAdmin``: that, plus the "History" page and optimistic locking of ``version``: the form
  carries the version it was opened at and saves through ``versioned_update`` (``VersionedAdminMixin``).
- ``ParentPermissionInline``: rows edited on their parent's page follow the parent's permissions;
  ``VersionedInlineMixin`` locks and bumps the version of versioned rows the same way.

Everything is configured per admin by attributes, so this module knows no model of a higher app.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget, RelatedFieldWidgetWrapper
from django.contrib.auth import get_permission_codename
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import Truncator
from rules.contrib.admin import ObjectPermissionsModelAdmin, ObjectPermissionsModelAdminMixin
from rules.permissions import perm_exists
from simple_history.admin import SimpleHistoryAdmin

from portfolio.core import permissions
from portfolio.core.exceptions import Conflict
from portfolio.core.models import KeyResult, StrategicObjective, User
from portfolio.core.services import STALE_MESSAGE, versioned_update

OPENED_VERSION = "opened_version"


# -----------------------------------------------------------------------------
# Parent permission: the object an object is added to, or moved into
# -----------------------------------------------------------------------------
def parent_checked_form(form_class: type[forms.ModelForm], *, user, parent_fields, permission: str | None):
    """``form_class`` refusing what ``permissions.refused_changes`` refuses: a new parent or holder not allowed.

    ``parent_fields`` name the parent (for a risk, whichever of project, program or product is set).
    """

    class ParentCheckedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            if self.instance.pk is not None and not self.has_changed():
                return cleaned
            parents = {name: cleaned.get(name) for name in parent_fields if name in self.fields}
            errors = permissions.refused_changes(user, self.instance, parents, permission=permission)
            for name, message in errors.items():
                self.add_error(name if name in self.fields else None, message)
            return cleaned

    ParentCheckedForm.__name__ = form_class.__name__
    return ParentCheckedForm


def row_checked_formset(formset_class: type[BaseInlineFormSet], *, user):
    """``formset_class`` refusing to change or delete an existing row the user may not change or delete itself."""

    class RowCheckedFormSet(formset_class):
        def clean(self):
            super().clean()
            deleted = set(map(id, self.deleted_forms)) if self.can_delete else set()
            touched = {
                form.instance.pk: "delete" if id(form) in deleted else "change"
                for form in self.initial_forms
                if id(form) in deleted or form.has_changed()
            }
            # Asked on the rows as stored: the forms' instances already carry the submitted values.
            opts = self.model._meta
            for pk, row in self.model._default_manager.in_bulk(list(touched)).items():
                action = touched[pk]
                if not user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}", row):
                    raise ValidationError(f"You may not {action} the {opts.verbose_name} “{row}”.")

    RowCheckedFormSet.__name__ = formset_class.__name__
    return RowCheckedFormSet


class ParentPermissionAdminMixin:
    """Check the parent chosen in the form, which the ``add_<model>`` / ``change_<model>`` checks cannot.

    The admin asks ``add_<model>`` without an object ("may the user add some?") and ``change_<model>`` on the
    object as it was, so without this an editor of one project could add a milestone to, or move one into,
    another. ``parent_fields`` are the foreign keys naming the parent (for a risk, whichever of project,
    program or product is set); ``parent_permission`` is asked on the chosen parent and defaults to
    ``<app>.add_<model>``, which the rules take with the parent as its object.
    """

    parent_fields: tuple[str, ...] = ()
    parent_permission: str | None = None

    def get_parent_permission(self) -> str:
        return self.parent_permission or f"{self.opts.app_label}.{get_permission_codename('add', self.opts)}"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser or not (self.parent_fields or permissions.holder_field(self.model)):
            return form_class
        return parent_checked_form(
            form_class, user=request.user, parent_fields=self.parent_fields, permission=self.get_parent_permission()
        )

    def get_readonly_fields(self, request, obj=None):
        # Who holds the object (a product's owner, a project's manager) is shown, not offered, to those
        # who may not hand it over; the form's check above refuses it all the same (e.g. on "Revert").
        readonly = list(super().get_readonly_fields(request, obj))
        holder = permissions.holder_field(self.model)
        if obj is not None and holder and holder not in readonly and not permissions.may_transfer(request.user, obj):
            readonly.append(holder)
        return readonly


class RulesModelAdmin(ParentPermissionAdminMixin, ObjectPermissionsModelAdmin):
    """Object permissions of the rules (portfolio/core/permissions.py), on the object and on its parent."""


# -----------------------------------------------------------------------------
# Versioning: optimistic locking of ``version``, as in the pages and the API
# -----------------------------------------------------------------------------
class VersionedAdminForm(forms.ModelForm):
    """Carries the ``version`` the form was opened at, so a stale save is refused, not silently applied.

    The version is read from the database, not from the instance: the history "Revert" page edits an old
    copy of the object whose ``version`` is the historical one.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[OPENED_VERSION].required = True
            self.fields[OPENED_VERSION].initial = self.opened_at()

    def opened_at(self) -> int | None:
        return self.current_version()

    def current_version(self) -> int | None:
        model = type(self.instance)
        return model._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()

    def is_stale(self, opened: int) -> bool:
        return opened != self.current_version()

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get(OPENED_VERSION)
        if self.instance.pk is not None and opened is not None and self.is_stale(opened):
            raise ValidationError(STALE_MESSAGE.format(model=self.instance._meta.verbose_name))
        return cleaned


def with_opened_version(fieldsets, *, editable: bool) -> list:
    """``fieldsets`` with the hidden ``opened_version`` where the form is editable, and without it where it is not.

    Declared fieldsets leave it out, and a form that does not post it cannot be checked; a read-only page would
    show it as an empty row.
    """
    fieldsets = [(name, {**options, "fields": list(options["fields"])}) for name, options in fieldsets]
    present = OPENED_VERSION in flatten_fieldsets(fieldsets)
    if editable and not present:
        fieldsets[0][1]["fields"].append(OPENED_VERSION)
    elif not editable and present:
        for _name, options in fieldsets:
            options["fields"] = [field for field in options["fields"] if field != OPENED_VERSION]
    return fieldsets


def save_versioned(form: VersionedAdminForm, instance):
    """Save ``instance`` edited in ``form`` through ``versioned_update``: row locked, version checked and bumped."""
    opened = form.cleaned_data.get(OPENED_VERSION)
    return versioned_update(instance=instance, version=form.current_version() if opened is None else opened, data={})


class VersionedAdminMixin:
    """The "changed by someone else" check and a new ``version`` on every admin change, reverts included."""

    form = VersionedAdminForm

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if "version" in readonly else [*readonly, "version"]

    def get_fieldsets(self, request, obj=None):
        editable = obj is None or self.has_change_permission(request, obj)
        return with_opened_version(super().get_fieldsets(request, obj), editable=editable)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if not change:
            super().save_model(request, obj, form, change)
            return
        save_versioned(form, obj)

    def _refuse_conflict(self, request, view, *args, **kwargs):
        # A save that lost the race between the form's check and the locked write: the transaction of the
        # admin view is rolled back, and the user reloads, as with a stale form.
        try:
            return view(request, *args, **kwargs)
        except Conflict as conflict:
            self.message_user(request, conflict.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        return self._refuse_conflict(request, super().changeform_view, *args, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history lets anyone who may *view* the history post the "Revert" form; reverting is
        # a change, so it needs the right to change the object (as stored).
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return self._refuse_conflict(request, super().history_form_view, object_id, version_id, extra_context)


class VersionedHistoryAdmin(VersionedAdminMixin, RulesModelAdmin, SimpleHistoryAdmin):
    """Object permissions, the "History" page, and optimistic locking of ``version`` on every change."""


# -----------------------------------------------------------------------------
# Inlines
# -----------------------------------------------------------------------------
class LoadedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box labelled from the related object already loaded with the row, not with a query per row."""

    loaded = None

    def label_and_url_for_value(self, value):
        obj = self.loaded
        if obj is None or str(obj.pk) != str(value):
            return super().label_and_url_for_value(value)
        url = ""
        if self.admin_site.is_registered(type(obj)):
            opts = obj._meta
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return Truncator(obj).words(14), url


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box whose chosen option comes from the row already loaded, not from a query per row."""

    loaded = None

    def optgroups(self, name, value, attr=None):
        obj = self.loaded
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if obj is None or chosen != {str(obj.pk)}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, chosen, len(options)))
        return [(None, options, 0)]


class LoadedRelatedWidgetsForm(forms.ModelForm):
    """Hands each ``Loaded*`` widget the related object its row already holds (see ``row_select_related``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
            if not isinstance(widget, LoadedRawIdWidget | LoadedAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):
                widget.loaded = getattr(self.instance, name)


class VersionedInlineForm(VersionedAdminForm, LoadedRelatedWidgetsForm):
    """A versioned row edited on its parent's page: rows the user left alone are neither checked nor saved."""

    def opened_at(self) -> int | None:
        return self.instance.version  # the formset has just read the rows: no query per row

    def is_stale(self, opened: int) -> bool:
        return self.has_changed() and super().is_stale(opened)


class ParentPermissionInline(admin.TabularInline):
    """Rows edited as part of their parent: the parent's object permissions decide (viewing or changing it).

    The rules for the inline's own model take one of its rows (or the parent it is added to), so they cannot
    be asked before the rows exist; the parent's ``change`` permission (its ``add`` one on the add page) is.
    A row's other parents (``parent_fields``, e.g. the project of an allocation edited on its resource) are
    checked as in ``ParentPermissionAdminMixin``; where the rows have rules of their own that the parent's do
    not imply, ``check_rows`` asks them too for each row changed or deleted.

    The rows are read with their foreign keys (``row_select_related``, default: all of them) and the raw-id
    and autocomplete boxes label them from there, so the page costs the same queries for 2 rows or 200.
    """

    extra = 0
    form = LoadedRelatedWidgetsForm
    parent_fields: tuple[str, ...] = ()
    parent_permission: str | None = None
    check_rows = False
    row_select_related: tuple[str, ...] | None = None

    def _parent_perm(self, request, action: str, obj) -> bool:
        opts = self.parent_model._meta
        if obj is None and action != "view":
            action = "add"  # the parent is being added: may the user add one at all?
        perm = f"{opts.app_label}.{get_permission_codename(action, opts)}"
        if action == "view" and not perm_exists(perm):
            return self._parent_perm(request, "change", obj)
        return request.user.has_perm(perm, obj)

    def has_view_permission(self, request, obj=None):
        return self._parent_perm(request, "view", obj) or self._parent_perm(request, "change", obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_perm(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_perm(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_perm(request, "change", obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        related = self.row_select_related
        if related is None:
            related = [field.name for field in self.model._meta.fields if field.many_to_one]
        return queryset.select_related(*related) if related else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs:
            using = kwargs.get("using")
            if db_field.name in self.get_autocomplete_fields(request):
                kwargs["widget"] = LoadedAutocompleteSelect(db_field, self.admin_site, using=using)
            elif db_field.name in self.raw_id_fields:
                kwargs["widget"] = LoadedRawIdWidget(db_field.remote_field, self.admin_site, using=using)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        if self.parent_fields and not request.user.is_superuser:
            permission = self.parent_permission
            kwargs["form"] = parent_checked_form(
                kwargs.get("form", self.form),
                user=request.user,
                parent_fields=self.parent_fields,
                permission=permission,
            )
        if self.check_rows and not request.user.is_superuser:
            kwargs["formset"] = row_checked_formset(kwargs.get("formset", self.formset), user=request.user)
        return super().get_formset(request, obj, **kwargs)


class VersionedInlineFormSet(BaseInlineFormSet):
    """Saves each changed versioned row through ``versioned_update``: checked, locked and given a new version."""

    def save_existing(self, form, obj, commit=True):
        if not commit:
            return super().save_existing(form, obj, commit=commit)
        instance = form.save(commit=False)
        save_versioned(form, instance)
        form.save_m2m()
        return instance


class VersionedInlineMixin:
    """For an inline of a versioned model: the row's version is carried, checked and bumped like the parent's."""

    form = VersionedInlineForm
    formset = VersionedInlineFormSet

    def get_fieldsets(self, request, obj=None):
        return with_opened_version(
            super().get_fieldsets(request, obj), editable=self.has_change_permission(request, obj)
        )


# -----------------------------------------------------------------------------
# Core models
# -----------------------------------------------------------------------------
@admin.register(User)
class UserAdmin(ObjectPermissionsModelAdminMixin, DjangoUserAdmin):
    # Permissions come only from the rules (portfolio/core/permissions.py) and roles are groups:
    # neither per-user nor per-group permission rows are read, so neither is offered here.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email", "title", "function")}),
        ("Roles", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
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
    filter_horizontal = ("groups",)
    list_display = ("username", "email", "first_name", "last_name", "title", "function", "role_names", "is_staff")
    list_filter = ("function", "groups", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "title")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def role_names(self, user: User) -> str:
        return ", ".join(user.roles)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Groups are the roles (portfolio/core/roles.py); what a role may do is in the rules, not in permission rows."""

    fields = ("name",)
    filter_horizontal = ()


class KeyResultInline(ParentPermissionInline):
    model = KeyResult
    fields = ("title", "unit", "start_value", "target_value", "current_value", "progress")
    readonly_fields = ("progress",)

    @admin.display(description="Progress %")
    def progress(self, key_result: KeyResult) -> int | str:
        return key_result.progress if key_result.pk else "—"


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(VersionedHistoryAdmin):
    list_display = ("title", "owner", "status", "weight", "start_date", "end_date", "parent", "version")
    list_filter = ("status", "weight", "start_date")
    search_fields = ("title", "description")
    autocomplete_fields = ("owner", "parent")
    list_select_related = ("owner", "parent")
    readonly_fields = ("version", "created_at", "updated_at")
    date_hierarchy = "start_date"
    inlines = [KeyResultInline]


@admin.register(KeyResult)
class KeyResultAdmin(RulesModelAdmin):
    parent_fields = ("objective",)
    list_display = ("title", "objective", "unit", "start_value", "target_value", "current_value", "progress")
    list_filter = ("objective__status",)
    search_fields = ("title", "objective__title")
    autocomplete_fields = ("objective",)
    list_select_related = ("objective",)
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description="Progress %")
    def progress(self, key_result: KeyResult) -> int:
        return key_result.progress
