"""The one clock of a build: the book's date, else SOURCE_DATE_EPOCH, else a fixed epoch.

Never the wall clock, so two builds of the same inputs give the same bytes on any day."""

from __future__ import annotations

import datetime as dt
import os

from .config import BookConfig

FALLBACK = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest date a zip entry can carry


def build_time(config: BookConfig) -> dt.datetime:
    return moment_of(config.date)


def moment_of(date: str | None) -> dt.datetime:
    """Midnight UTC of `date` (YYYY-MM-DD); else SOURCE_DATE_EPOCH; else 1980-01-01."""
    if date:
        return dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(dt.datetime.fromtimestamp(int(epoch), dt.UTC), FALLBACK)
    return FALLBACK


def w3c(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def long_date(date: str, lang: str) -> str:
    """book.yaml's date as the book's language writes it out: 23 listopada 2026, November 23, 2026
    (an imprint reads no ISO dates); ICU's long form for the language, in UTC so it is the same day."""
    import icu

    day = dt.date.fromisoformat(date)
    calendar = icu.GregorianCalendar(icu.TimeZone.getGMT())
    calendar.set(day.year, day.month - 1, day.day, 12, 0, 0)
    form = icu.DateFormat.createDateInstance(icu.DateFormat.LONG, icu.Locale(lang.replace("-", "_")))
    form.setTimeZone(icu.TimeZone.getGMT())
    return str(form.format(calendar.getTime()))
