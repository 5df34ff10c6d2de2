"""Writes the generated rows: COPY on PostgreSQL, bulk_create elsewhere, with a count and a timing per table."""

import datetime as dt
import io
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

BATCH_SIZE = 5_000
COPY_CHUNK = 50_000


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


class Loader:
    """Writes generated rows table by table, keeps the counts and prints a timing per table."""

    def __init__(self, stdout: TextIO):
        self.stdout = stdout
        self.use_copy = connection.vendor == "postgresql"
        self.now = timezone.now()
        self.counts: dict[str, int] = {}
        self.models: list[type[models.Model]] = []

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")
        if hasattr(self.stdout, "flush"):
            self.stdout.flush()

    @staticmethod
    def first_pk(model: type[models.Model]) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], fast: bool = False):
        """Insert ``rows`` (tuples in ``columns`` order, field attnames) into ``model``'s table.

        ``fast`` tables (the biggest) skip model instances: COPY on PostgreSQL, ``executemany`` elsewhere.
        """
        started = time.monotonic()
        if fast and self.use_copy:
            how, written = "COPY", self._copy(model, columns, rows)
        elif fast:
            how, written = "executemany", self._insert_many(model, columns, rows)
        else:
            how, written = "bulk_create", self._bulk_create(model, columns, rows)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + written
        if model not in self.models:
            self.models.append(model)
        self.say(f"  {label:<34} {written:>10,} rows  {time.monotonic() - started:7.1f} s  ({how})")

    def _bulk_create(self, model, columns, rows) -> int:
        written = 0
        for chunk in _chunks(rows, BATCH_SIZE):
            model._default_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in chunk], BATCH_SIZE
            )
            written += len(chunk)
        return written

    def _complete(self, model, columns) -> tuple[list[models.Field], list[models.Field], list[Any]]:
        """The fields given, and the other columns with what bulk_create would put there."""
        meta = model._meta
        given = [meta.get_field(name) for name in columns]
        # Now for auto timestamps, else the default. Generated columns (rice_score, score) are computed by the
        # database and must not be written.
        rest = [
            field
            for field in meta.concrete_fields
            if field not in given and not getattr(field, "generated", False) and not field.primary_key
        ]
        filled = [
            self.now
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            else field.get_default()
            for field in rest
        ]
        return given, rest, filled

    def _copy(self, model, columns, rows) -> int:
        quote = connection.ops.quote_name
        given, rest, filled = self._complete(model, columns)
        suffix = "".join("\t" + _copy_text(value) for value in filled) + "\n"
        column_list = ", ".join(quote(field.column) for field in given + rest)
        sql = f"COPY {quote(model._meta.db_table)} ({column_list}) FROM STDIN"
        written = 0
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, COPY_CHUNK):
                text = "".join(["\t".join([_copy_text(value) for value in row]) + suffix for row in chunk])
                cursor.copy_expert(sql, io.StringIO(text))
                written += len(chunk)
        return written

    def _insert_many(self, model, columns, rows) -> int:
        quote = connection.ops.quote_name
        given, rest, filled = self._complete(model, columns)
        # Only dates, times and decimals need the backend's adaptation (what get_db_prep_save would do).
        adapters = [(i, _adapter(field)) for i, field in enumerate(given) if _adapter(field)]
        tail = [(_adapter(field) or (lambda value: value))(value) for field, value in zip(rest, filled, strict=True)]
        column_list = ", ".join(quote(field.column) for field in given + rest)
        placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({column_list}) VALUES ({placeholders})"
        written = 0
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, BATCH_SIZE):
                prepared = []
                for row in chunk:
                    values = list(row)
                    for i, adapt in adapters:
                        if values[i] is not None:
                            values[i] = adapt(values[i])
                    prepared.append(values + tail)
                cursor.executemany(sql, prepared)
                written += len(chunk)
        return written

    def finish(self) -> None:
        """Move the id sequences past the assigned keys and refresh the planner's statistics."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self.use_copy:
                for model in self.models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _adapter(field: models.Field):
    """The backend's adaptation for a field's values, or None when they pass through as they are."""
    ops, kind = connection.ops, field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None
