"""The dashboards' charts, drawn on the server as SVG (no script): the geometry their templates draw.

Each function turns a figure of ``portfolio.reports.dashboard`` into coordinates and texts; the templates under
``templates/reports/dashboard/charts/`` draw them with classes only (the CSP forbids inline styles), each with a
``<title>``, a ``<desc>`` and a table as its text alternative. Colours for health and severity always come with a
letter, a word or a shape, so that the charts read in black and white and without colour vision.
"""

import datetime
from decimal import Decimal

from products.charts import format_value, long_date

WIDTH = 720
LABEL_WIDTH = 190  # the names column of the bar charts
RIGHT = 70
TOP = 28
ROW = 30
AXIS = 40
HEALTH = (("green", "G", "green"), ("amber", "A", "amber"), ("red", "R", "red"))
SEVERITY_LETTER = {"low": "L", "medium": "M", "high": "H", "critical": "C"}


def _ticks(high: float, count: int = 4) -> list[float]:
    if high <= 0:
        return [0.0]
    step = high / count
    magnitude = 10 ** (len(str(int(step))) - 1) if step >= 1 else 1
    step = max(1, round(step / magnitude)) * magnitude
    ticks, value = [], 0.0
    while value <= high + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def _short(value: Decimal | float) -> str:
    """An amount in thousands or millions (``1.2 M``, ``350 k``)."""
    value = float(value)
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f} M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.0f} k"
    return f"{value:.0f}"


def health_chart(*, rows: list[dict], chart_id: str, what: str) -> dict:
    """Stacked bars of projects by health, one per row (``{"name", "health", "url"}``), each part lettered."""
    right = WIDTH - RIGHT
    height = TOP + ROW * max(len(rows), 1) + AXIS
    most = max([sum(r["health"].values()) for r in rows] or [0]) or 1
    scale = (right - LABEL_WIDTH) / most
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW + 4
        x = LABEL_WIDTH
        parts = []
        for colour, letter, word in HEALTH:
            count = row["health"][colour]
            if not count:
                continue
            width = count * scale
            parts.append(
                {
                    "x": x,
                    "width": width,
                    "colour": colour,
                    "label": f"{letter} {count}" if width >= 34 else (letter if width >= 14 else ""),
                    "text_x": x + width / 2,
                    "title": f"{row['name']}: {count} {word}",
                }
            )
            x += width
        bars.append(
            {
                "name": row["name"],
                "url": row.get("url", ""),
                "y": y,
                "text_y": y + (ROW - 8) / 2,
                "height": ROW - 8,
                "parts": parts,
                "total": sum(row["health"].values()),
                "total_x": x + 6,
            }
        )
    bottom = TOP + ROW * max(len(rows), 1)
    ticks = [{"x": LABEL_WIDTH + value * scale, "label": f"{value:.0f}"} for value in _ticks(most) if value <= most]
    totals = {colour: sum(r["health"][colour] for r in rows) for colour, _l, _w in HEALTH}
    description = (
        f"Running projects by health for {len(rows)} {what}: "
        f"{totals['green']} green, {totals['amber']} amber, {totals['red']} red. "
        + " ".join(
            f"{r['name']}: {r['health']['green']} green, {r['health']['amber']} amber, {r['health']['red']} red."
            for r in rows
        )
    )
    return _bar_frame(
        chart_id=chart_id,
        height=height,
        right=right,
        bottom=bottom,
        title=f"Projects by health, per {what.rstrip('s')}",
        description=description,
        axis_title="Running projects",
    ) | {"bars": bars, "ticks": ticks}


def _bar_frame(
    *, chart_id: str, height: float, right: float, bottom: float, title: str, description: str, axis_title: str
) -> dict:
    """The frame of a horizontal bar chart with its names on the left: size, plot area, texts and where they go."""
    return {
        "id": chart_id,
        "width": WIDTH,
        "height": height,
        "left": LABEL_WIDTH,
        "right": right,
        "top": TOP,
        "bottom": bottom,
        "title": title,
        "description": description,
        "axis_title": axis_title,
        "axis_title_y": height - 6,
        "tick_y": bottom + 16,
        "label_x": LABEL_WIDTH - 8,
    }


BUDGET_SERIES = (("planned", "Planned"), ("actual", "Actual"), ("forecast", "Forecast"))


def budget_chart(*, rows: list[dict], chart_id: str, what: str) -> dict:
    """Grouped bars of planned, actual and forecast per row (``{"name", "budget"}``), the forecast over plan marked."""
    right = WIDTH - RIGHT - 40
    group = 3 * 12 + 14
    height = TOP + group * max(len(rows), 1) + AXIS
    most = max([float(r["budget"][name]) for r in rows for name, _ in BUDGET_SERIES] or [0]) or 1.0
    scale = (right - LABEL_WIDTH) / most
    groups = []
    for index, row in enumerate(rows):
        y = TOP + index * group
        bars = []
        for offset, (name, label) in enumerate(BUDGET_SERIES):
            value = row["budget"][name]
            over = name == "forecast" and row["budget"]["over_budget"]
            width = float(value) * scale
            bars.append(
                {
                    "series": name,
                    "y": y + offset * 12,
                    "width": width,
                    "over": over,
                    "value_x": LABEL_WIDTH + width + 4,
                    "text_y": y + offset * 12 + 9,
                    "value": _short(value) + (" ▲ over plan" if over else ""),
                    "title": f"{row['name']}, {label.lower()}: {format_value(value)}"
                    + (" (over plan)" if over else ""),
                }
            )
        groups.append({"name": row["name"], "label_y": y + 20, "bars": bars})
    bottom = TOP + group * max(len(rows), 1)
    ticks = [{"x": LABEL_WIDTH + value * scale, "label": _short(value)} for value in _ticks(most) if value <= most]
    description = f"Budget planned, actual and forecast at completion for {len(rows)} {what}. " + " ".join(
        f"{r['name']}: planned {format_value(r['budget']['planned'])}, actual {format_value(r['budget']['actual'])}, "
        f"forecast {format_value(r['budget']['forecast'])}{' (over plan)' if r['budget']['over_budget'] else ''}."
        for r in rows
    )
    return _bar_frame(
        chart_id=chart_id,
        height=height,
        right=right,
        bottom=bottom,
        title=f"Budget planned, actual and forecast, per {what.rstrip('s')}",
        description=description,
        axis_title="Amount",
    ) | {"groups": groups, "ticks": ticks}


def _month(day: datetime.date, offset: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def _diamond(x: float, y: float, r: float = 7) -> str:
    return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z"


def _cross(x: float, y: float, r: float = 3) -> str:
    return f"M{x - r:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}M{x + r:.1f} {y - r:.1f}L{x - r:.1f} {y + r:.1f}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


TIMELINE_BEFORE = 6  # months shown before this one
TIMELINE_AFTER = 12  # and after it


def timeline_chart(*, timeline: dict, chart_id: str) -> dict:
    """Bars per project from start to end (lettered by health, late ones marked), milestones as diamonds (late ones
    crossed), the "blocks" dependencies as arrows and a line for today, over 6 months back to 12 ahead."""
    today = timeline["today"]
    first, last = _month(today, -TIMELINE_BEFORE), _month(today, TIMELINE_AFTER + 1)
    span = (last - first).days
    right = WIDTH - 20
    projects = timeline["projects"]
    height = TOP + ROW * max(len(projects), 1) + AXIS

    def x_of(day: datetime.date) -> float:
        day = min(max(day, first), last)
        return LABEL_WIDTH + (day - first).days / span * (right - LABEL_WIDTH)

    rows, where = [], {}
    for index, p in enumerate(projects):
        y = TOP + index * ROW
        start, end = x_of(p["start_date"]), x_of(p["end_date"])
        letter = {"green": "G", "amber": "A", "red": "R"}[p["health"]]
        milestones = []
        for m in p["milestones"]:
            if not first <= m["due_date"] <= last:
                continue
            cx, cy = x_of(m["due_date"]), y + ROW / 2
            state = "late" if m["late"] else ("done" if m["completed_on"] else "open")
            milestones.append(
                {
                    "state": state,
                    "path": _diamond(cx, cy),
                    "cross": _cross(cx, cy),
                    "title": f"{m['name']}, due {long_date(m['due_date'])}"
                    + {
                        "late": " (late)",
                        "done": f" (done {long_date(m['completed_on'])})" if m["completed_on"] else "",
                        "open": "",
                    }[state],
                }
            )
        where[p["id"]] = (start, end, y + ROW / 2)
        rows.append(
            {
                "id": p["id"],
                "name": p["name"],
                "health": p["health"],
                "late": p["late"],
                "y": y + 6,
                "height": ROW - 12,
                "x": start,
                "width": max(end - start, 2),
                "label_y": y + ROW / 2,
                "letter": letter + (" late" if p["late"] else ""),
                "letter_x": min(end + 4, right - 30),
                "milestones": milestones,
                "title": f"{p['name']}: {long_date(p['start_date'])} to {long_date(p['end_date'])}, {p['health']}"
                + (", late" if p["late"] else ""),
            }
        )
    arrows = []
    for link in timeline["blocks"]:
        if link["from"] in where and link["to"] in where:
            (_s, x1, y1), (x2, _e, y2) = where[link["from"]], where[link["to"]]
            mid = max(x1, x2) + 8 if x2 <= x1 + 8 else (x1 + x2) / 2
            arrows.append({"path": f"M{x1:.1f} {y1:.1f}C{mid:.1f} {y1:.1f} {mid:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"})
    bottom = TOP + ROW * max(len(projects), 1)
    ticks = []
    month = first
    while month <= last:
        ticks.append({"x": x_of(month), "label": month.strftime("%b %Y") if month.month == 1 else month.strftime("%b")})
        month = _month(month, 1)
    late = sum(1 for p in projects if p["late"])
    late_ms = sum(1 for p in projects for m in p["milestones"] if m["late"])
    description = (
        f"{len(projects)} running projects from {long_date(first)} to {long_date(last)}; today is {long_date(today)}. "
        f"{_plural(late, 'project is', 'projects are')} late, "
        f"{_plural(late_ms, 'milestone is', 'milestones are')} late, "
        f"{_plural(len(arrows), 'blocking dependency', 'blocking dependencies')} drawn."
    )
    return {
        "id": chart_id,
        "width": WIDTH,
        "height": height,
        "left": LABEL_WIDTH,
        "right": right,
        "top": TOP,
        "bottom": bottom,
        "title": "Project timeline",
        "description": description,
        "rows": rows,
        "arrows": arrows,
        "ticks": ticks,
        "today_x": x_of(today),
        "today_label": f"Today {today.day} {today.strftime('%b')}",
        "tick_y": bottom + 16,
        "axis_title": "Month",
        "axis_title_y": height - 6,
        "label_x": LABEL_WIDTH - 8,
    }


CELL = 56


def heatmap_chart(*, cells: list[dict], chart_id: str, link: str) -> dict:
    """The 5×5 risk map: probability up, impact across; each cell its count and severity letter, linked to the
    register's cell (``link`` is the register's query for the scope, without the cell)."""
    left, top = 90, 20
    drawn = []
    for cell in cells:
        column, row = cell["impact"] - 1, 5 - cell["probability"]
        x, y = left + column * CELL, top + row * CELL
        drawn.append(
            {
                "x": x,
                "y": y,
                "cx": x + CELL / 2,
                "count_y": y + CELL / 2 - 2,
                "letter_y": y + CELL - 8,
                "count": cell["count"],
                "probability": cell["probability"],
                "impact": cell["impact"],
                "severity": cell["severity"],
                "letter": SEVERITY_LETTER[cell["severity"]],
                "url": f"{link}&probability={cell['probability']}&impact={cell['impact']}",
                "title": f"Probability {cell['probability']}, impact {cell['impact']}: {cell['count']} risk"
                f"{'s' if cell['count'] != 1 else ''}, {cell['severity']}",
            }
        )
    total = sum(c["count"] for c in cells)
    by_severity = {}
    for c in cells:
        by_severity[c["severity"]] = by_severity.get(c["severity"], 0) + c["count"]
    description = (
        f"{total} not-closed risks on the 5×5 map. "
        + ", ".join(f"{by_severity.get(s, 0)} {s}" for s in ("critical", "high", "medium", "low"))
        + "."
    )
    return {
        "id": chart_id,
        "width": left + 5 * CELL + 20,
        "height": top + 5 * CELL + 50,
        "left": left,
        "top": top,
        "bottom": top + 5 * CELL,
        "title": "Risk heat map",
        "description": description,
        "cells": drawn,
        "x_ticks": [{"x": left + (i - 0.5) * CELL, "label": str(i)} for i in range(1, 6)],
        "y_ticks": [{"y": top + (5 - i + 0.5) * CELL, "label": str(i)} for i in range(1, 6)],
        "x_tick_y": top + 5 * CELL + 16,
        "x_title_x": left + 2.5 * CELL,
        "x_title_y": top + 5 * CELL + 36,
        "y_tick_x": left - 10,
        "y_title_y": top + 2.5 * CELL,
    }


def utilisation_band(percent: int) -> str:
    """The band a utilisation falls in: ``low`` (under 50), ``ok`` (to 85), ``full`` (to 100), ``over``."""
    if percent > 100:
        return "over"
    if percent > 85:
        return "full"
    return "ok" if percent >= 50 else "low"


def utilisation_chart(*, utilisation: dict, chart_id: str) -> dict:
    """Functions × months, each cell the average utilisation in percent (over 100 % marked ▲ and banded)."""
    left, top, cell_w, cell_h = 170, 34, 80, 30
    months = utilisation["months"]
    rows = []
    for index, row in enumerate(utilisation["rows"]):
        y = top + index * cell_h
        cells = []
        for column, month in enumerate(row["months"]):
            band = utilisation_band(month["percent"])
            x = left + column * cell_w
            cells.append(
                {
                    "x": x,
                    "y": y,
                    "cx": x + cell_w / 2,
                    "ty": y + cell_h / 2,
                    "band": band,
                    "text": f"{month['percent']} %" + (" ▲" if band == "over" else ""),
                    "title": f"{row['label']}, {month['month'].strftime('%B %Y')}: {month['percent']} % on average, "
                    f"{month['over_people']} of {row['people']} over 100 %",
                }
            )
        rows.append({"label": f"{row['label']} ({row['people']})", "label_y": y + cell_h / 2, "cells": cells})
    over = [
        f"{row['label']} in {m['month'].strftime('%B')}"
        for row in utilisation["rows"]
        for m in row["months"]
        if m["percent"] > 100
    ]
    description = f"Average utilisation of {len(utilisation['rows'])} functions over {len(months)} months. " + (
        f"Over 100 %: {', '.join(over)}." if over else "No function is over 100 % on average."
    )
    return {
        "id": chart_id,
        "width": left + cell_w * len(months) + 10,
        "height": top + cell_h * max(len(rows), 1) + 30,
        "left": left,
        "top": top,
        "cell_w": cell_w,
        "cell_h": cell_h,
        "title": "Utilisation by function per month",
        "description": description,
        "rows": rows,
        "columns": [{"x": left + i * cell_w + cell_w / 2, "label": m.strftime("%b %Y")} for i, m in enumerate(months)],
        "column_y": top - 10,
        "label_x": left - 8,
        "axis_title_y": top + cell_h * max(len(rows), 1) + 22,
        "axis_title_x": left + cell_w * len(months) / 2,
    }
