"""rbtfl_model: a typed, lossless model of rbtfl news-graph story pages.

>>> import rbtfl_model
>>> story = rbtfl_model.loads("# Title\\n> Deck\\n\\n**Meta:** type: story\\n")
>>> story.title, story.meta.type
('Title', 'story')
"""

from rbtfl_model.__about__ import __version__
from rbtfl_model._parser import load, loads
from rbtfl_model._renderer import dump, dumps
from rbtfl_model.corpus import Corpus, CorpusError, load_dir
from rbtfl_model.edits import EditError, find_take, find_takes, insert, remove, replace
from rbtfl_model.errors import DataError, FormatError, ParseError, RbtflError
from rbtfl_model.frames import metrics_frame, takes_frame
from rbtfl_model.graph import Edge, EntityPair, MissingTarget, SimilarStory, StoryGraph
from rbtfl_model.interchange import (
    from_dict,
    from_json,
    from_yaml,
    json_schema,
    to_dict,
    to_json,
    to_yaml,
)
from rbtfl_model.links import Link, plain_text, slugify
from rbtfl_model.model import Count, Entity, Lens, Meta, Metric, Section, Story, Take
from rbtfl_model.quantity import Quantity, parse_quantity
from rbtfl_model.tables import arrow_table, arrow_tables, write_parquet
from rbtfl_model.validate import Diagnostic, recount, validate

__all__ = [
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
