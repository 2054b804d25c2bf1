"""Notebook tables of stories, as pandas DataFrames (needs the ``rbtfl-model[pandas]`` extra).

The frames hold the rows of :mod:`rbtfl_model.tables`, the same as the Arrow tables, with
fixed dtypes, so a frame of one story, of none and of a corpus concatenate without mixed
types: ``string`` for text (``<NA>`` when missing), ``datetime64[ns]`` for the ``date``
column (``NaT`` for a story without a date), ``Int32`` for counts, ``boolean`` for flags,
tuples for lists and exact ``Decimal`` objects for quantities. pandas is imported when a
function is called, not when this module is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from rbtfl_model.tables import DECIMAL_TYPE, TABLES, Stories, rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["METRIC_COLUMNS", "TAKE_COLUMNS", "frame", "metrics_frame", "takes_frame"]

#: Columns of :func:`takes_frame`, in order.
TAKE_COLUMNS: Final = tuple(column.name for column in TABLES["takes"])
#: Columns of :func:`metrics_frame`, in order.
METRIC_COLUMNS: Final = tuple(column.name for column in TABLES["metrics"])

#: The pandas dtype of each Arrow type of :data:`rbtfl_model.tables.TABLES`.
_DTYPES: Final = {
    "string": "string",
    "date32": "datetime64[ns]",
    "int32": "Int32",
    "bool": "boolean",
    "list<string>": "object",
    DECIMAL_TYPE: "object",
}


def takes_frame(stories: Stories) -> pd.DataFrame:
    """One row per take: the story's slug, date and locale, then the take's lens and fields.

    *stories* is a story, a corpus or an iterable of stories.
    """
    return frame(stories, "takes")


def metrics_frame(stories: Stories) -> pd.DataFrame:
    """One row per "By the numbers" metric: the story's slug, date and locale, the metric,
    then its quantity (``low``/``high`` as exact ``Decimal``, missing where the value is not
    numeric).

    *stories* is a story, a corpus or an iterable of stories.
    """
    return frame(stories, "metrics")


def frame(stories: Stories, name: str) -> pd.DataFrame:
    """Table *name* of :mod:`rbtfl_model.tables` (``"stories"``, ``"takes"``, ``"metrics"``,
    ``"links"``, ``"entities"`` or ``"edges"``) as a DataFrame with fixed dtypes."""
    table_rows = rows(stories, name)
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "rbtfl_model.frames needs pandas: pip install 'rbtfl-model[pandas]'"
        ) from exc
    columns = TABLES[name]
    values = list(zip(*table_rows, strict=True)) or [()] * len(columns)
    data: dict[str, Any] = {
        column.name: pd.Series(list(column_values), dtype=_DTYPES[column.type])
        for column, column_values in zip(columns, values, strict=True)
    }
    return pd.DataFrame(data, columns=[column.name for column in columns])
