"""How the metric pages write a KPI's values: ``42.5 %``, ``+3 accounts`` (display only; figures are selectors')."""

from django import template

from products.charts import format_value

register = template.Library()


@register.filter
def metric_value(value, unit: str = "") -> str:
    """``value`` without trailing zeros, with its ``unit``."""
    return format_value(value, unit)


@register.filter
def metric_change(value, unit: str = "") -> str:
    """A change between two readings, signed (``+3``, ``−2.5 %``)."""
    if value is None:
        return "–"
    text = format_value(abs(value), unit)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text
