"""A folder of story files as a read-only mapping from slug to story.

Stories are keyed by the slug of their canonical URL, whatever its locale: ``/en/n/x`` and
``/ko/n/x`` are both ``x``, as links to them are. Every problem found while loading a folder
(a file that does not parse, a story without a canonical URL, two files with one slug) is a
:class:`ParseError` with path, line, column and rule code, and all of them are reported
together. The codes of the folder rules (a file that does not parse is ``RB001``):

========  =====================================================================
code      what
========  =====================================================================
RB601     the story has no ``Canonical:`` line, so no slug
RB602     the canonical URL does not end ``/{locale}/n/{slug}``
RB603     another file has the same slug (each file names the others)
========  =====================================================================
"""

from __future__ import annotations

import contextlib
import gc
import html
import itertools
import os
import weakref
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from pathlib import Path
from typing import Final, Literal, TypeVar, cast, overload

import attrs

from rbtfl_model import _grammar as G
from rbtfl_model._files import check_patterns, scan
from rbtfl_model._snapshot import FileRecord, read_files
from rbtfl_model._sourcemap import source_map
from rbtfl_model.errors import CorpusError, ParseError
from rbtfl_model.graph import StoryGraph
from rbtfl_model.model import Story

__all__ = ["Corpus", "CorpusError", "load_dir"]

#: How many stories ``Corpus._repr_html_`` lists.
_HTML_ROWS: Final = 20
#: Rule codes of the errors that keep a story out of a corpus.
NO_CANONICAL: Final = "RB601"
BAD_CANONICAL: Final = "RB602"
DUPLICATE_SLUG: Final = "RB603"

_T = TypeVar("_T")


def _by_slug(stories: Mapping[str, Story]) -> Mapping[str, Story]:
    slugs = list(stories)
    ordered = sorted(slugs)
    if slugs == ordered:  # as a refresh passes them: a copy, which dict makes in one call
        return dict(stories)
    return {slug: stories[slug] for slug in ordered}


def _paths(paths: Mapping[str, str | os.PathLike[str]]) -> Mapping[str, str]:
    # kept as str, made a Path when asked for: a Path object and its parts take some 300
    # bytes, and a loaded folder's names are its records' keys already
    if set(map(type, paths.values())) <= {str}:  # as load_dir passes them: a copy will do
        return dict(cast("Mapping[str, str]", paths))
    return {slug: os.fspath(path) for slug, path in paths.items()}


def _errors(errors: Iterable[ParseError]) -> tuple[ParseError, ...]:
    return tuple(errors)


# eq=False: a corpus compares as the mapping it is (and, holding dicts, is not hashable)
@attrs.frozen(eq=False)
class Corpus(Mapping[str, Story]):
    """Stories keyed by slug, iterating in slug order, each with the path it came from.

    Build one with :func:`load_dir` or :meth:`from_stories`. ``errors`` holds the files that
    were left out, when :func:`load_dir` was asked to collect rather than raise. A corpus
    loaded from a folder follows it with :meth:`refresh`, which reads only what changed.
    """

    _stories: Mapping[str, Story] = attrs.field(alias="stories", converter=_by_slug)
    _paths: Mapping[str, str] = attrs.field(alias="paths", factory=dict, converter=_paths)
    errors: tuple[ParseError, ...] = attrs.field(default=(), converter=_errors)
    # where load_dir found the stories and what it read there: what refresh starts from
    _source: _Source | None = attrs.field(default=None, alias="_source", repr=False)
    _graphs: _Graphs = attrs.field(factory=lambda: _Graphs(), init=False, repr=False)

    @classmethod
    def from_stories(
        cls,
        stories: Iterable[Story],
        *,
        paths: Iterable[str | os.PathLike[str]] | None = None,
        errors: Literal["raise", "collect"] = "raise",
    ) -> Corpus:
        """A corpus of loaded stories; raises :class:`CorpusError` as :func:`load_dir` does.

        *paths*, if given, holds the file of each story, in the same order, for
        :meth:`path` and the errors. With ``errors="collect"`` stories without a slug or
        sharing one are left out and reported in ``errors``.
        """
        _check_errors_mode(errors)
        stories = tuple(stories)
        files = (None,) * len(stories) if paths is None else tuple(_file(p) for p in paths)
        slugs = (story.slug for story in stories)
        found, problems = _key_by_slug(zip(stories, files, slugs, strict=True))
        if problems and errors == "raise":
            raise CorpusError(problems)
        return cls(
            {slug: story for slug, (story, _) in found.items()},
            {slug: file for slug, (_, file) in found.items() if file is not None},
            problems,
        )

    def __getitem__(self, slug: str) -> Story:
        return self._stories[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._stories)

    def __len__(self) -> int:
        return len(self._stories)

    # Look-ups and the items and values views are its dict's, not Mapping's mixins: those
    # go through __getitem__ for each key (and an exception for each key missing), and a
    # graph asks a corpus of 10,000 stories for each story and each link's target. keys()
    # stays Mapping's KeysView (its 'in' is this one): a graph keeps it, and it pickles.
    def __contains__(self, slug: object) -> bool:
        return slug in self._stories

    def items(self) -> ItemsView[str, Story]:
        """The (slug, story) pairs, by slug."""
        return self._stories.items()

    def values(self) -> ValuesView[Story]:
        """The stories, by slug."""
        return self._stories.values()

    @overload
    def get(self, slug: str, /) -> Story | None: ...
    @overload
    def get(self, slug: str, /, default: Story | _T) -> Story | _T: ...
    def get(self, slug: str, /, default: object = None) -> object:
        """The story *slug*, or *default* if the corpus has none of that slug."""
        return self._stories.get(slug, default)

    def path(self, slug: str) -> Path | None:
        """The file the story *slug* was loaded from; None for a story made in memory."""
        if slug not in self._stories:
            raise KeyError(slug)
        path = self._paths.get(slug)
        return Path(path) if path is not None else None

    def graph(self, *, include_missing: bool = False) -> StoryGraph:
        """The link graph over this corpus; see :class:`rbtfl_model.graph.StoryGraph`.

        While a graph of this corpus is in use (referenced), this returns that graph again.
        The graph of a corpus made by :meth:`refresh` is built from the graph of the corpus
        it was refreshed from, if that one is still in use: only the stories that changed
        are read for links, the others keep their edges.
        """
        graphs = self._graphs
        graph = _alive(graphs.built, include_missing)
        if graph is None:
            previous = _alive(graphs.base, include_missing) or _alive(
                graphs.base, not include_missing
            )
            with _collector_paused():  # finding every story's links makes objects, no cycles
                graph = StoryGraph(self, include_missing=include_missing, previous=previous)
            graphs.built[include_missing] = weakref.ref(graph)
        return graph

    def refresh(self) -> Corpus:
        """The folder's stories as they are now, reading only the files that changed.

        Returns a new corpus, loaded as :func:`load_dir` loaded this one (same folder,
        patterns and ``errors``) and with what it would return: the same stories, paths and
        errors, and a :class:`CorpusError` under ``errors="raise"``. A file whose size,
        times, device and inode are those it had when read is not opened; its story is the
        same object as here, links already found included. Other files are read and
        hashed, and parsed only if their bytes are new (a renamed file keeps its story).
        This corpus is left as it was. Raises :class:`ValueError` for a corpus not made by
        :func:`load_dir`.
        """
        if self._source is None:
            raise ValueError("only a corpus made by load_dir can be refreshed")
        corpus = _load(self._source, since=self)
        # weak references, copied: a chain of refreshes keeps no old corpus or graph alive
        corpus._graphs.base = {**self._graphs.base, **self._graphs.built}
        return corpus

    @property
    def root(self) -> Path | None:
        """The folder holding every file the stories came from; None if none came from one."""
        if not self._paths:
            return None
        return Path(os.path.commonpath([Path(path).parent for path in self._paths.values()]))

    def __repr__(self) -> str:
        """One line: ``Corpus(6 stories, root='examples/stories')``, and errors if any."""
        parts = [_count(len(self), "story", "stories")]
        if self.errors:
            parts.append(_count(len(self.errors), "error", "errors"))
        if self.root is not None:
            parts.append(f"root={os.fspath(self.root)!r}")
        return f"Corpus({', '.join(parts)})"

    def _repr_html_(self) -> str:
        """A table of the stories (the first 20) for notebooks: slug, title, date, takes."""
        rows = []
        for slug in itertools.islice(self._stories, _HTML_ROWS):
            story = self._stories[slug]
            date = story.meta.date.isoformat() if story.meta.date else ""
            cells = (slug, story.title, date, str(len(story.takes)))
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        more = len(self) - _HTML_ROWS
        if more > 0:
            rows.append(f'<tr><td colspan="4">… and {more} more</td></tr>')
        return (
            f"<table><caption>{html.escape(repr(self))}</caption>"
            "<thead><tr><th>slug</th><th>title</th><th>date</th><th>takes</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def load_dir(
    path: str | os.PathLike[str],
    *,
    pattern: str | Sequence[str] = "*.md",
    recursive: bool = True,
    errors: Literal["raise", "collect"] = "raise",
) -> Corpus:
    """Load every file under *path* whose name matches *pattern* into a :class:`Corpus`.

    *pattern* is a glob pattern for file names, or a sequence of them (a file matching
    any is loaded), like ``("*.md", "*.txt")``; ``rbtfl --glob`` takes the same.

    With ``errors="raise"`` any problem raises one :class:`CorpusError` listing them all;
    with ``errors="collect"`` the good files make the corpus and the rest are in its
    ``errors``. Files with the same slug are all left out, each error naming the others.
    Symlinked folders are not entered, and symlinked files that lead out of *path* are
    skipped: a folder is loaded only from what lies inside it.
    """
    _check_errors_mode(errors)
    patterns = check_patterns((pattern,) if isinstance(pattern, str) else tuple(pattern))
    return _load(_Source(Path(path), patterns, recursive, errors))


@attrs.frozen(eq=False)
class _Source:
    """How a folder was loaded, and each file's record of what was read: by path, in walk order."""

    root: Path
    patterns: tuple[str, ...]
    recursive: bool
    errors: Literal["raise", "collect"]
    records: Mapping[str, FileRecord] = attrs.field(factory=dict)


class _Graphs:
    """The graphs built from a corpus, and those it may build from, held weakly by kind.

    Weakly: a graph holds its corpus, so a strong reference back would keep both alive
    until the cyclic collector runs; and a service that drops an old graph lets it go.
    """

    __slots__ = ("base", "built")

    def __init__(self) -> None:
        self.built: dict[bool, weakref.ref[StoryGraph]] = {}  # by include_missing
        self.base: dict[bool, weakref.ref[StoryGraph]] = {}  # of the corpus refreshed from

    def __reduce__(self) -> tuple[type[_Graphs], tuple[()]]:
        # weak references do not pickle; a corpus unpickled elsewhere has built no graph
        return _Graphs, ()


def _alive(refs: Mapping[bool, weakref.ref[StoryGraph]], key: bool) -> StoryGraph | None:
    ref = refs.get(key)
    return ref() if ref is not None else None


def _load(source: _Source, since: Corpus | None = None) -> Corpus:
    """Load the folder *source* names, reading only the files its records do not match.

    *since* is the corpus loaded from *source*'s records, if any: see :func:`_replaced`.
    """
    if not source.root.is_dir():
        raise NotADirectoryError(f"not a folder: {os.fspath(source.root)!r}")
    with _collector_paused():
        found = scan(source.root, source.patterns, recursive=source.recursive)
        records, read = read_files(found, source.records)
        now = attrs.evolve(source, records=records)
        if since is not None:
            stories = _replaced(since, source.records, records, read)
            if stories is not None:
                return Corpus(stories, since._paths, since.errors, _source=now)
        return _keyed(now)


def _keyed(source: _Source) -> Corpus:
    """The corpus of the stories *source*'s records hold, keyed by slug; raises
    :class:`CorpusError` for its problems under ``errors="raise"``."""
    records = source.records.values()
    loaded = [(r.story, r.path, r.slug) for r in records if r.story is not None]
    problems = [record.error for record in records if record.error is not None]
    found_slugs, clashes = _key_by_slug(loaded)
    problems += clashes
    problems.sort(key=lambda error: (error.path or "", error.line, error.column))
    if problems and source.errors == "raise":
        raise CorpusError(problems)
    stories = {slug: story for slug, (story, _) in found_slugs.items()}
    paths = {slug: file for slug, (_, file) in found_slugs.items() if file is not None}
    return Corpus(stories, paths, problems, _source=source)


def _replaced(
    since: Corpus,
    before: Mapping[str, FileRecord],
    records: Mapping[str, FileRecord],
    read: Iterable[str],
) -> dict[str, Story] | None:
    """The stories of *since* (loaded from the records *before*) with those of the files
    *read* again in their places, if that is what keying *records* afresh gives; else None.

    It is when *since* had no problems (so each of its files holds a story of a slug of
    its own), the same files were found, and each file read again still holds a story of
    the slug it had: then its paths and errors hold too, and a refresh after a few edits
    costs a copy of the index, not the keying and sorting of every story again.
    """
    if since.errors or len(records) != len(before):
        return None
    stories = dict(since._stories)
    for name in read:
        old, new = before.get(name), records.get(name)
        if old is None or new is None or new.story is None:
            return None
        slug = new.slug
        if slug is None or slug != old.slug:
            return None
        stories[slug] = new.story
    return stories


def _check_errors_mode(errors: str) -> None:
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', got {errors!r}")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, then restore it as it was.

    Loading creates many objects but no reference cycles, and each full collection walks
    every story loaded so far: left running, it makes loading a large folder superlinear
    (about 1.4x the time per story at 10,000 stories as at 1,000), and so it made building
    the graph (its links cost half again at 10,000 stories).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _key_by_slug(
    stories: Iterable[tuple[Story, str | None, str | None]],
) -> tuple[dict[str, tuple[Story, str | None]], list[ParseError]]:
    """Key (story, path, slug) by slug; a story without a slug, or sharing one, is an error."""
    found: dict[str, tuple[Story, str | None]] = {}
    clashes: dict[str, list[tuple[Story, str | None]]] = {}  # a list for a shared slug only
    errors: list[ParseError] = []
    for story, path, slug in stories:
        if slug is None:
            errors.append(_no_slug(story, path))
            continue
        claim = (story, path)
        if slug in clashes:
            clashes[slug].append(claim)
        elif (first := found.setdefault(slug, claim)) is not claim:
            clashes[slug] = [first, claim]
    shared = [slug for slug in found if slug in clashes] if clashes else []  # first-claim order
    for slug in shared:
        del found[slug]
        claimants = clashes[slug]
        for i, (story, path) in enumerate(claimants):
            others = ", ".join(
                repr(_name(other)) for j, (_, other) in enumerate(claimants) if j != i
            )
            msg = f"slug {slug!r} is also the slug of {others}"
            errors.append(_at_canonical(story, path, msg, DUPLICATE_SLUG))
    return found, errors


def _file(path: str | os.PathLike[str]) -> str:
    """A file's name as a corpus keeps it: as its :class:`Path` spells it."""
    return os.fspath(Path(path))


def _name(path: str | None) -> str:
    return _file(path) if path is not None else "<string>"


def _no_slug(story: Story, path: str | None) -> ParseError:
    if story.canonical is None:
        smap = source_map(story)
        line = smap.line_count + 1 if smap is not None else 1
        msg = "expected a 'Canonical: https://rbtfl.xyz/{locale}/n/{slug}' line, found none"
        return ParseError(msg, line=line, column=1, path=_name(path), code=NO_CANONICAL)
    msg = f"expected a canonical URL ending '/{{locale}}/n/{{slug}}', found {story.canonical!r}"
    return _at_canonical(story, path, msg, BAD_CANONICAL)


def _at_canonical(story: Story, path: str | None, msg: str, code: str) -> ParseError:
    """An error pointing at the story's canonical URL, or at line 1 if its place is unknown."""
    smap = source_map(story)
    found = smap.where((G.CANONICAL, story.canonical)) if smap is not None else None
    if smap is None or found is None:
        return ParseError(msg, line=1, column=1, path=_name(path), code=code)
    line, column = found
    return ParseError(
        msg,
        line=line,
        column=column,
        source_line=smap.source_line(line),
        span=len(story.canonical or ""),
        path=_name(path),
        code=code,
    )
