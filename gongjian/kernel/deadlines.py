"""Deadlines in calendar or working days, period due dates, and the status of a due item."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


PERIOD_MONTHS = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.HALF_YEARLY: 6, Period.YEARLY: 12}


class DueStatus(models.TextChoices):
    PENDING = "pending", _("未到期")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    ON_TIME = "on_time", _("按时完成")
    LATE = "late", _("逾期完成")


def _holidays() -> tuple[set[date], set[date]]:
    """Public holidays and the weekend days worked in their place (调休), from settings."""
    off = {date.fromisoformat(d) for d in getattr(settings, "GONGJIAN_HOLIDAYS", [])}
    on = {date.fromisoformat(d) for d in getattr(settings, "GONGJIAN_MAKEUP_WORKDAYS", [])}
    return off, on


def is_working_day(day: date) -> bool:
    off, on = _holidays()
    if day in on:
        return True
    return day.weekday() < 5 and day not in off


def add_days(start: date, days: int, *, working: bool = False) -> date:
    """`days` after `start`: calendar days, or working days (weekends, holidays skipped)."""
    if not working:
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_end(day: date, period: str) -> date:
    """The last day of the period (month, quarter, half-year, year) that contains `day`."""
    months = PERIOD_MONTHS[Period(period)]
    first_month = ((day.month - 1) // months) * months + 1
    last_month = first_month + months - 1
    return date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def next_due(last_done: date | None, period: str, *, start: date | None = None) -> date:
    """When a regularly rotated item is next due: the end of the period after the last one."""
    base = last_done or start or timezone.localdate()
    if last_done is None:
        return period_end(base, period)
    return period_end(add_months(period_end(last_done, period), 1), period)


def due_status(due: date, done: date | None = None, *, today: date | None = None,
               soon_days: int = 3) -> DueStatus:
    today = today or timezone.localdate()
    if done is not None:
        return DueStatus.ON_TIME if done <= due else DueStatus.LATE
    if today > due:
        return DueStatus.OVERDUE
    if (due - today).days <= soon_days:
        return DueStatus.DUE_SOON
    return DueStatus.PENDING
