"""Every default ordering and every status/date filter column is served by an index."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.db import models

APPS = ("core", "products", "programs", "risks", "reports")


def our_models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def index_prefixes(model) -> list[list[str]]:
    """Column lists that some index of ``model`` starts with (indexes, unique constraints, FKs, unique fields)."""
    prefixes = [[field.lstrip("-") for field in index.fields] for index in model._meta.indexes]
    # A constraint on expressions (a lower-cased name) serves no plain column order: it has no ``fields``.
    prefixes += [list(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    for field in model._meta.concrete_fields:
        if field.primary_key or field.unique or field.db_index or isinstance(field, models.ForeignKey):
            prefixes.append([field.name])
    return prefixes


def normalise(term: str, model) -> str:
    name = term.lstrip("-")
    if name == "pk":
        return model._meta.pk.name
    for field in model._meta.concrete_fields:
        if name == field.attname:
            return field.name
    return name


@pytest.mark.parametrize("model", list(our_models()), ids=lambda m: m._meta.label)
def test_default_ordering_is_served_by_an_index(model):
    ordering = [normalise(term, model) for term in model._meta.ordering]
    if not ordering:
        return
    if ordering[-1] == model._meta.pk.name:
        ordering = ordering[:-1] or ordering
    prefixes = index_prefixes(model)
    unique_first = any(p == [ordering[0]] and model._meta.get_field(ordering[0]).unique for p in prefixes)
    assert unique_first or any(p[: len(ordering)] == ordering for p in prefixes), (
        f"{model._meta.label} orders by {model._meta.ordering} but no index starts with {ordering}"
    )


def filtersets():
    for module in (
        "portfolio.core.filters",
        "products.filters",
        "programs.filters",
        "risks.filters",
        "portfolio.reports.filters",
    ):
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet) and value._meta.model:
                yield value


@pytest.mark.parametrize("filterset", list(filtersets()), ids=lambda f: f.__name__)
def test_status_and_date_filters_use_indexed_columns(filterset):
    model = filterset._meta.model
    prefixes = index_prefixes(model)
    leading = {p[0] for p in prefixes} | {column for p in prefixes for column in p[:2]}
    for name, declared in filterset.base_filters.items():
        field_name = declared.field_name
        try:
            field = model._meta.get_field(field_name)
        except Exception:  # noqa: BLE001 - filters across relations or on annotations
            continue
        is_status = bool(getattr(field, "choices", None)) and field.name in {"status", "kind", "lifecycle_stage"}
        is_date = isinstance(field, models.DateField) and field.name not in {"created_at", "updated_at"}
        if is_status or is_date:
            assert field.name in leading, (
                f"{filterset.__name__}.{name} filters {model._meta.label}.{field.name}, unindexed"
            )
