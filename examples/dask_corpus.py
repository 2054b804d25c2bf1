"""A corpus too big for one machine: read it with Dask, validate it, write partitioned Parquet.

Run:  python examples/dask_corpus.py STORIES OUT [--scheduler NAME|ADDRESS] [--partitions N]

Needs ``dask[bag]`` and ``rbtfl-model[pyarrow]``. Story files become a Dask bag of paths;
each task parses and validates its share. Files that do not parse, stories without a slug
and stories sharing a slug are reported and left out, as ``rbtfl export`` and ``load_dir``
do; validation findings are counted by code. Each of the six tables of
``rbtfl_model.tables`` is then written as a folder of Parquet files, one per partition,
``OUT/<table>/part-00000.parquet`` and on, all with the one fixed schema: read a folder back
with ``pyarrow.parquet.read_table``, ``dask.dataframe.read_parquet`` or DuckDB's
``read_parquet('OUT/takes/*.parquet')``.

``--scheduler`` is ``threads`` (the default), ``processes`` or ``synchronous`` for Dask's
local schedulers, or the address of a ``dask.distributed`` scheduler, such as
``tcp://10.0.0.5:8786``, to run on a cluster; then every worker must see STORIES and OUT at
the same paths (a shared file system).
"""

from __future__ import annotations

import argparse
import collections
import sys
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

import attrs
import dask
import dask.bag as db
from dask.base import compute
from dask.delayed import delayed

import rbtfl_model as rm
from rbtfl_model.tables import TABLES, arrow_table

LOCAL_SCHEDULERS = ("threads", "processes", "synchronous")


@attrs.frozen
class Loaded:
    """One file after parsing and validation: its story, or why it has none."""

    path: str
    story: rm.Story | None
    error: str | None = None
    codes: tuple[str, ...] = ()


def load(path: str) -> Loaded:
    """Parse and validate one file (this runs on the workers)."""
    try:
        story = rm.load(path)
    except rm.ParseError as error:
        return Loaded(path, None, str(error))
    if story.slug is None:
        return Loaded(path, None, f"{path}: no canonical URL, so no slug")
    return Loaded(path, story, codes=tuple(d.code for d in rm.validate(story)))


def write_part(
    loaded: Iterable[Loaded],
    name: str,
    index: int,
    out: str,
    corpus: Collection[str],
) -> int:
    """Write table *name* of one partition's stories; return its number of rows."""
    import pyarrow.parquet as pq

    stories = [
        item.story for item in loaded if item.story is not None and item.story.slug in corpus
    ]
    table = arrow_table(stories, name, corpus=corpus)
    pq.write_table(table, Path(out, name, f"part-{index:05d}.parquet"))
    rows: int = table.num_rows
    return rows


def run(stories: Path, out: Path, partitions: int) -> int:
    paths = sorted(str(path) for path in stories.rglob("*.md") if path.is_file())
    npartitions = max(1, min(partitions, len(paths)))
    # dask leaves from_sequence untyped
    bag = db.from_sequence(paths, npartitions=npartitions).map(load)  # type: ignore[no-untyped-call]
    bag = bag.persist()  # parse once; every table below reads the same stories

    results: list[Loaded] = bag.map(lambda item: attrs.evolve(item, story=None)).compute()
    problems = [item.error for item in results if item.error is not None]
    slugs = collections.Counter(
        bag.filter(lambda item: item.story is not None).map(lambda item: item.story.slug).compute()
    )
    shared = {slug for slug, count in slugs.items() if count > 1}
    problems += [f"slug {slug!r} is shared by {slugs[slug]} files" for slug in sorted(shared)]
    corpus = frozenset(slugs) - shared

    for name in TABLES:
        Path(out, name).mkdir(parents=True, exist_ok=True)
    parts = bag.to_delayed()
    writes = [
        delayed(write_part)(part, name, index, str(out), corpus)
        for name in TABLES
        for index, part in enumerate(parts)
    ]
    counts = compute(*writes)  # type: ignore[no-untyped-call]
    per_table = {
        name: sum(counts[i * len(parts) : (i + 1) * len(parts)]) for i, name in enumerate(TABLES)
    }

    codes = collections.Counter(code for item in results for code in item.codes)
    print(f"{len(paths)} files, {len(corpus)} stories written in {len(parts)} partitions")
    for problem in problems:
        print(f"left out: {problem}")
    for code, count in sorted(codes.items()):
        print(f"finding {code}: {count}")
    for name, count in per_table.items():
        print(f"{name}: {count} rows")
    return 1 if problems else 0


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("stories", type=Path, help="a folder of story files")
    parser.add_argument("out", type=Path, help="the folder to write the tables into")
    parser.add_argument("--scheduler", default="threads", help="a local scheduler or an address")
    parser.add_argument("--partitions", type=int, default=8, help="how many partitions")
    args = parser.parse_args(argv)
    if args.scheduler in LOCAL_SCHEDULERS:
        with dask.config.set(scheduler=args.scheduler):
            return run(args.stories, args.out, args.partitions)
    from dask.distributed import Client  # needs distributed: pip install 'dask[distributed]'

    with Client(args.scheduler):
        return run(args.stories, args.out, args.partitions)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
