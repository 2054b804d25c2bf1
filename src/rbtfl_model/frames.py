"""Notebook tables of stories, as pandas DataFrames (needs the ``rbtfl-model[pandas]`` extra).

pandas is imported when a function is called, not when this module is imported. The
``date`` column is ``datetime64`` (``NaT`` for a story without a date).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from rbtfl_model.model import Story

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["METRIC_COLUMNS", "TAKE_COLUMNS", "metrics_frame", "takes_frame"]

#: Columns of :func:`takes_frame`, in order.
TAKE_COLUMNS: Final = (
    "slug",
    "date",
    "locale",
    "lens",
    "outlet",
    "region",
    "language",
    "has_quote",
    "source",
)
#: Columns of :func:`metrics_frame`, in order.
METRIC_COLUMNS: Final = (
    "slug",
    "date",
    "locale",
    "value",
    "description",
    "low",
    "high",
    "unit",
    "approximate",
    "bound",
)


def takes_frame(stories: Iterable[Story]) -> pd.DataFrame:
    """One row per take: the story's slug, date and locale, then the take's lens and fields."""
    rows = [
        (
            story.slug,
            story.meta.date,
            story.locale,
            lens.name,
            take.outlet,
            take.region,
            take.language,
            take.quote is not None,
            take.source,
        )
        for story in stories
        for lens in story.lenses
        for take in lens.takes
    ]
    return _frame(rows, TAKE_COLUMNS)


def metrics_frame(stories: Iterable[Story]) -> pd.DataFrame:
    """One row per "By the numbers" metric: the story's slug, date and locale, the metric,
    then its quantity (``low``/``high`` as exact ``Decimal``, None where the value is not
    numeric).
    """
    rows = []
    for story in stories:
        for metric in story.metrics:
            q = metric.quantity
            rows.append(
                (story.slug, story.meta.date, story.locale, metric.value, metric.description)
                + ((q.low, q.high, q.unit, q.approximate, q.bound) if q else (None,) * 5)
            )
    return _frame(rows, METRIC_COLUMNS)


def _frame(rows: list[tuple[Any, ...]], columns: tuple[str, ...]) -> pd.DataFrame:
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "rbtfl_model.frames needs pandas: pip install 'rbtfl-model[pandas]'"
        ) from exc
    frame: pd.DataFrame = pd.DataFrame.from_records(rows, columns=list(columns))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame
