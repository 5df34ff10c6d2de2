"""Report periods and schedule slots, in the organisation's time zone (``settings.TIME_ZONE``)."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

WEEKLY = "weekly"
MONTHLY = "monthly"


def organisation_zone() -> ZoneInfo:
    """The time zone schedules and periods are read in."""
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    key: str  # 2026-W48 or 2026-11
    start: datetime.date
    end: datetime.date
    label: str


def period_of(*, frequency: str, day: datetime.date) -> Period:
    """The ISO week (weekly) or calendar month (monthly) holding ``day``."""
    if frequency == WEEKLY:
        year, week, weekday = day.isocalendar()
        start = day - datetime.timedelta(days=weekday - 1)
        end = start + datetime.timedelta(days=6)
        return Period(f"{year}-W{week:02d}", start, end, f"week {week} of {year} ({start:%d %b} – {end:%d %b %Y})")
    start = day.replace(day=1)
    end = _add_months(start, 1) - datetime.timedelta(days=1)
    return Period(f"{day:%Y-%m}", start, end, f"{start:%B %Y}")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=organisation_zone())


def slot_at_or_before(*, frequency: str, weekday, day_of_month, hour: int, moment: datetime.datetime):
    """The latest moment of the schedule at or before ``moment`` (aware)."""
    local = moment.astimezone(organisation_zone())
    if frequency == WEEKLY:
        day = local.date() - datetime.timedelta(days=(local.weekday() - weekday) % 7)
        slot = _at(day, hour)
        return slot if slot <= moment else _at(day - datetime.timedelta(days=7), hour)
    slot = _at(local.date().replace(day=day_of_month), hour)
    return slot if slot <= moment else _at(_add_months(local.date().replace(day=day_of_month), -1), hour)


def slot_after(*, frequency: str, weekday, day_of_month, hour: int, moment: datetime.datetime):
    """The first moment of the schedule strictly after ``moment`` (aware)."""
    latest = slot_at_or_before(
        frequency=frequency, weekday=weekday, day_of_month=day_of_month, hour=hour, moment=moment
    ).astimezone(organisation_zone())
    if frequency == WEEKLY:
        return _at(latest.date() + datetime.timedelta(days=7), hour)
    return _at(_add_months(latest.date(), 1), hour)


def schedule_of(subscription) -> dict:
    return {
        "frequency": subscription.frequency,
        "weekday": subscription.weekday,
        "day_of_month": subscription.day_of_month,
        "hour": subscription.hour,
    }


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(organisation_zone()).date()
