"""Reads of strategic objectives and key results, with their progress figures."""

from decimal import Decimal

from django.db import models
from django.db.models import Avg, Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Floor, Greatest, Least

from portfolio.core.models import KeyResult, StrategicObjective

# SQLite computes decimals as floats, so 0.29 × 100 may come out as 28.999…; the nudge keeps the floor
# equal to the exact ``KeyResult.progress`` for any value a 14-digit, 2-place decimal can hold in practice.
FLOAT_NUDGE = Value(Decimal("0.000000001"))


def objective_progress(*, objective: StrategicObjective) -> int | None:
    """Return the mean progress (0–100, rounded down) of an objective's key results, None without any."""
    queryset = StrategicObjective.objects.filter(pk=objective.pk)
    return objectives_with_progress(queryset).values_list("progress", flat=True).get()


def key_result_progress_expression(prefix: str = "") -> models.Expression:
    """Return SQL for ``KeyResult.progress`` (0–100, rounded down) of the key result at ``prefix``."""
    start, target, current = (F(f"{prefix}{name}") for name in ("start_value", "target_value", "current_value"))
    decimal = models.DecimalField(max_digits=20, decimal_places=10)
    percent = models.ExpressionWrapper((current - start) * Value(100) / (target - start), output_field=decimal)
    clamped = Greatest(Value(Decimal(0)), Least(Value(Decimal(100)), percent, output_field=decimal))
    # PostgreSQL's GREATEST/LEAST skip NULLs, so an objective without key results would read 100.
    return Case(
        When(Q(**{f"{prefix}pk__isnull": True}), then=Value(None)),
        default=Floor(clamped + FLOAT_NUDGE, output_field=decimal),
        output_field=decimal,
    )


def objectives_with_progress(queryset: QuerySet[StrategicObjective]) -> QuerySet[StrategicObjective]:
    """Annotate ``progress``: the same figure as ``objective_progress``, computed in SQL so lists can sort on it."""
    mean = Avg(key_result_progress_expression("key_results__"), output_field=models.FloatField())
    return queryset.annotate(progress=Cast(Floor(mean), output_field=models.IntegerField()))


def objective_list() -> QuerySet[StrategicObjective]:
    """Return every objective with owner, parent and key results loaded and ``progress`` annotated."""
    return objectives_with_progress(
        StrategicObjective.objects.select_related("owner", "parent").prefetch_related("key_results")
    )


def key_result_list() -> QuerySet[KeyResult]:
    """Return every key result with its objective joined."""
    return KeyResult.objects.select_related("objective")
