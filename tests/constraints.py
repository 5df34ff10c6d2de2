"""Helpers for the constraint tests: every rule refused by the database and by validation."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

JAN_1, DEC_31 = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def unique_violation(model, name: str, *fields: str) -> str:
    """Pattern for a unique violation: PostgreSQL names the constraint, SQLite lists the columns."""
    table = model._meta.db_table
    columns = ", ".join(f"{table}.{model._meta.get_field(field).column}" for field in fields)
    return f"{name}|{re.escape(f'UNIQUE constraint failed: {columns}')}"


def same_as(factory, *fields: str, **values):
    """An unsaved row repeating ``fields`` of a saved one (pass every parent, so none is left unsaved)."""
    existing = factory()
    return factory.build(**{field: getattr(existing, field) for field in fields}, **values)


def assert_database_rejects(row, violation: str) -> None:
    """Saving ``row`` past validation fails on the constraint matching ``violation``."""
    with pytest.raises(IntegrityError, match=violation), transaction.atomic():
        row.save()


def assert_validation_rejects(row, errors: dict[str, list[str]]) -> None:
    """``full_clean()`` refuses ``row`` with exactly these field messages."""
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert caught.value.message_dict == errors
