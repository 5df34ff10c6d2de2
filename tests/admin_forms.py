"""Turn an admin form page into the data its "Save" button would post, for tests that then change a few fields."""

import datetime

from django import forms


def _field_data(form: forms.BaseForm, name: str, field: forms.Field) -> dict:
    key = form.add_prefix(name)
    value = form[name].value()
    if isinstance(field, forms.SplitDateTimeField):
        if value in (None, ""):
            return {f"{key}_0": "", f"{key}_1": ""}
        if isinstance(value, datetime.datetime):
            return {f"{key}_0": value.date().isoformat(), f"{key}_1": value.time().isoformat()}
        return {f"{key}_0": value[0], f"{key}_1": value[1]}
    if isinstance(field, forms.BooleanField):
        return {key: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {key: [str(v) for v in value]}
    return {key: "" if value is None else str(value)}


def admin_form_data(response, **overrides) -> dict:
    """The data of the main form and every inline formset on an admin add/change/revert page, with ``overrides``."""
    context = response.context
    all_forms = [context["adminform"].form]
    data = {}
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(name): str(value) for name, value in management.initial.items()}
        all_forms.extend(formset.initial_forms)
    for form in all_forms:
        for name, field in form.fields.items():
            data |= _field_data(form, name, field)
    return data | overrides
