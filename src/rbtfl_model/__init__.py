"""rbtfl_model: a typed, lossless model of rbtfl news-graph story pages.

>>> import rbtfl_model
>>> story = rbtfl_model.loads("# Title\\n> Deck\\n\\n**Meta:** type: story\\n")
>>> story.title, story.meta.type
('Title', 'story')
"""

import importlib
from typing import TYPE_CHECKING

from rbtfl_model.__about__ import __version__
from rbtfl_model._parser import load, loads
from rbtfl_model._renderer import dump, dumps
from rbtfl_model.errors import (
    CorpusError,
    DataError,
    EditError,
    FormatError,
    ParseError,
    RbtflError,
)
from rbtfl_model.links import Link, plain_text, slugify
from rbtfl_model.model import MAX_COUNT, Count, Entity, Lens, Meta, Metric, Section, Story, Take
from rbtfl_model.validate import Diagnostic, recount, validate

if TYPE_CHECKING:
    from rbtfl_model.corpus import Corpus, load_dir
    from rbtfl_model.edits import find_take, find_takes, insert, remove, replace
    from rbtfl_model.frames import metrics_frame, takes_frame
    from rbtfl_model.graph import (
        Edge,
        EntityPair,
        GraphChanges,
        MissingTarget,
        SimilarStory,
        StoryGraph,
    )
    from rbtfl_model.interchange import (
        from_dict,
        from_json,
        from_yaml,
        json_schema,
        to_dict,
        to_json,
        to_yaml,
    )
    from rbtfl_model.quantity import Quantity, parse_quantity
    from rbtfl_model.tables import arrow_table, arrow_tables, write_parquet

#: Names whose modules load on first use: reading and writing one story needs none of them,
#: and every command and worker process pays for what ``import rbtfl_model`` imports.
_LAZY = {
    "Corpus": "corpus",
    "load_dir": "corpus",
    "metrics_frame": "frames",
    "takes_frame": "frames",
    "Edge": "graph",
    "EntityPair": "graph",
    "GraphChanges": "graph",
    "MissingTarget": "graph",
    "SimilarStory": "graph",
    "StoryGraph": "graph",
    "from_dict": "interchange",
    "from_json": "interchange",
    "from_yaml": "interchange",
    "json_schema": "interchange",
    "to_dict": "interchange",
    "to_json": "interchange",
    "to_yaml": "interchange",
    "Quantity": "quantity",
    "parse_quantity": "quantity",
    "find_take": "edits",
    "find_takes": "edits",
    "insert": "edits",
    "remove": "edits",
    "replace": "edits",
    "arrow_table": "tables",
    "arrow_tables": "tables",
    "write_parquet": "tables",
}


def __getattr__(name: str) -> object:
    """Import the module of a name in ``_LAZY`` on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rbtfl_model' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"rbtfl_model.{module}"), name)
    globals()[name] = value  # found once; later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "MAX_COUNT",
    "Corpus",
    "CorpusError",
    "Count",
    "DataError",
    "Diagnostic",
    "Edge",
    "EditError",
    "Entity",
    "EntityPair",
    "FormatError",
    "GraphChanges",
    "Lens",
    "Link",
    "Meta",
    "Metric",
    "MissingTarget",
    "ParseError",
    "Quantity",
    "RbtflError",
    "Section",
    "SimilarStory",
    "Story",
    "StoryGraph",
    "Take",
    "__version__",
    "arrow_table",
    "arrow_tables",
    "dump",
    "dumps",
    "find_take",
    "find_takes",
    "from_dict",
    "from_json",
    "from_yaml",
    "insert",
    "json_schema",
    "load",
    "load_dir",
    "loads",
    "metrics_frame",
    "parse_quantity",
    "plain_text",
    "recount",
    "remove",
    "replace",
    "slugify",
    "takes_frame",
    "to_dict",
    "to_json",
    "to_yaml",
    "validate",
    "write_parquet",
]
