"""The link graph of a corpus: stories, the links between them and the entities they share.

Edges come from two places: ``Related:`` (kind ``related``) and links to other stories in
the prose (kind ``inline``); one edge per source, target and kind. An edge whose target is
not in the corpus is kept and flagged (``in_corpus=False``); its target is a node only when
the graph is built with ``include_missing=True``. Walks (:meth:`StoryGraph.neighbors`,
:meth:`~StoryGraph.shortest_path`, :meth:`~StoryGraph.components`) go through nodes only.

Results are tuples of frozen records in a fixed order, by slug unless said otherwise.
"""

from __future__ import annotations

import html
import itertools
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

import attrs

from rbtfl_model import _graph_export
from rbtfl_model.model import Story

if TYPE_CHECKING:
    import networkx
    from matplotlib.axes import Axes

    from rbtfl_model._graph_plot import Labels

__all__ = [
    "Direction",
    "Edge",
    "EdgeKind",
    "EntityPair",
    "GraphChanges",
    "MissingTarget",
    "SimilarStory",
    "StoryGraph",
]

EdgeKind = Literal["related", "inline"]
Direction = Literal["out", "in", "both"]
EDGE_KINDS: Final[tuple[EdgeKind, ...]] = ("related", "inline")
_KIND_ORDER: Final = {kind: i for i, kind in enumerate(EDGE_KINDS)}
_V = TypeVar("_V")


@attrs.frozen
class Edge:
    """A link from one story to another: ``related`` or ``inline``."""

    source: str
    target: str
    kind: EdgeKind
    in_corpus: bool  # whether the target is a story of the corpus


@attrs.frozen
class GraphChanges:
    """What differs between two graphs: stories by slug, and edges in graph order.

    A story is ``changed`` when its content differs (a story whose file only moved, or was
    written again unchanged, is not). An edge whose target joined or left the corpus is gone
    and appears again with its new ``in_corpus``.
    """

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    appeared: tuple[Edge, ...]
    gone: tuple[Edge, ...]

    @property
    def affected(self) -> tuple[str, ...]:
        """The nodes whose stories, links in or links out differ, by slug."""
        slugs = {*self.added, *self.removed, *self.changed}
        for edge in (*self.appeared, *self.gone):
            slugs.update((edge.source, edge.target))
        return tuple(sorted(slugs))

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.appeared or self.gone)


@attrs.frozen
class MissingTarget:
    """A slug that stories link to but the corpus does not hold."""

    slug: str
    sources: tuple[str, ...]  # the stories linking to it, by slug


@attrs.frozen
class EntityPair:
    """Two entities (``first < second``) and the stories that have both."""

    first: str
    second: str
    stories: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many stories have both entities."""
        return len(self.stories)


@attrs.frozen
class SimilarStory:
    """A story ranked by the entities it shares: ``score`` is their Jaccard index."""

    slug: str
    score: float
    shared: tuple[str, ...]  # the shared entity slugs


class StoryGraph:
    """Stories and their links, indexed both ways; built in time linear in stories and links.

    Immutable once built. Story nodes are keyed by slug, entities by entity slug. Given the
    graph of an earlier state of the corpus as *previous*, the stories that are the same
    objects in both keep their edges and entities, and only the others are read for links.
    """

    __slots__ = (
        "__weakref__",
        "_backward",
        "_corpus",
        "_entities",
        "_forward",
        "_members",
        "_nodes",
    )

    def __init__(
        self,
        corpus: Mapping[str, Story],
        *,
        include_missing: bool = False,
        previous: StoryGraph | None = None,
    ) -> None:
        self._corpus = corpus
        if previous is not None and self._follow(previous, include_missing):
            return
        self._forward: dict[str, tuple[Edge, ...]] = {}
        backward: dict[str, list[Edge]] = {}
        members: dict[str, list[str]] = {}
        self._entities: dict[str, tuple[str, ...]] = {}
        for slug in sorted(corpus):
            story = corpus[slug]
            edges = _edges_of(slug, story, corpus)
            self._forward[slug] = edges
            for edge in edges:
                backward.setdefault(edge.target, []).append(edge)
            self._entities[slug] = entities = story_entities(story)
            for entity in entities:
                members.setdefault(entity, []).append(slug)  # slugs come in sorted order
        # sources arrive in slug order, and each source's edges in (target, kind) order
        self._backward = {target: tuple(edges) for target, edges in backward.items()}
        self._members = {entity: tuple(slugs) for entity, slugs in members.items()}
        missing = (target for target in self._backward if target not in corpus)
        self._nodes: Collection[str] = (
            frozenset(itertools.chain(corpus, missing)) if include_missing else corpus.keys()
        )

    @property
    def corpus(self) -> Mapping[str, Story]:
        """The stories the graph was built from."""
        return self._corpus

    def __repr__(self) -> str:
        """One line: ``StoryGraph(6 stories, 22 edges, 1 missing)``.

        Edges are those between stories of the corpus; missing counts the link targets it
        does not hold.
        """
        edges = sum(edge.in_corpus for edge in self.edges())
        return (
            f"StoryGraph({len(self._corpus):,} {'story' if len(self._corpus) == 1 else 'stories'}"
            f", {edges:,} {'edge' if edges == 1 else 'edges'}, {len(self.missing()):,} missing)"
        )

    def _repr_html_(self) -> str:
        """A table of what the graph holds, for notebooks."""
        edges = self.edges()
        missing = self.missing()
        rows = [
            ("stories", f"{len(self._corpus):,}"),
            *(
                (f"{kind} edges", f"{sum(e.kind == kind and e.in_corpus for e in edges):,}")
                for kind in EDGE_KINDS
            ),
            ("components", f"{len(self.components()):,}"),
            ("entities", f"{len(self._members):,}"),
            ("orphans", ", ".join(self.orphans()) or "none"),
            (
                "missing",
                ", ".join(f"{m.slug} (from {', '.join(m.sources)})" for m in missing) or "none",
            ),
        ]
        body = "".join(
            f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
            for name, value in rows
        )
        return f"<table><caption>{html.escape(repr(self))}</caption>{body}</table>"

    def nodes(self) -> tuple[str, ...]:
        """Every story node, by slug: the corpus, and missing targets if asked for."""
        return tuple(sorted(self._nodes))

    def edges(self, kinds: Iterable[EdgeKind] | None = None) -> tuple[Edge, ...]:
        """Every edge, missing targets included, by source, target and kind."""
        wanted = _kinds(kinds)
        return tuple(e for edges in self._forward.values() for e in edges if e.kind in wanted)

    def outlinks(self, slug: str, kinds: Iterable[EdgeKind] | None = None) -> tuple[Edge, ...]:
        """The edges from story *slug*, by target and kind."""
        self._check_known(slug)
        wanted = _kinds(kinds)
        return tuple(edge for edge in self._forward.get(slug, ()) if edge.kind in wanted)

    def backlinks(self, slug: str, kinds: Iterable[EdgeKind] | None = None) -> tuple[Edge, ...]:
        """The edges to *slug*, which may be a story or only a link target, by source and kind."""
        self._check_known(slug)
        wanted = _kinds(kinds)
        return tuple(edge for edge in self._backward.get(slug, ()) if edge.kind in wanted)

    def neighbors(
        self,
        slug: str,
        depth: int = 1,
        direction: Direction = "both",
        kinds: Iterable[EdgeKind] | None = None,
    ) -> tuple[str, ...]:
        """The nodes at most *depth* steps from node *slug*, itself excluded, by slug."""
        if depth < 0:
            raise ValueError(f"depth must be at least 0, got {depth!r}")
        step = self._stepper(direction, kinds)
        seen = self._bfs(slug, step, depth=depth)
        del seen[slug]
        return tuple(sorted(seen))

    def shortest_path(
        self,
        source: str,
        target: str,
        *,
        direction: Direction = "both",
        kinds: Iterable[EdgeKind] | None = None,
    ) -> tuple[str, ...] | None:
        """The fewest-steps path of nodes from *source* to *target*, or None if there is none.

        By default links count both ways ("how are these connected"); ``direction="out"``
        follows them only forwards. Of equally short paths, the first in slug order wins.
        """
        self._check_node(target)
        came_from = self._bfs(source, self._stepper(direction, kinds), stop=target)
        if target not in came_from:
            return None
        path = [target]
        while (previous := came_from[path[-1]]) is not None:
            path.append(previous)
        return tuple(reversed(path))

    def components(self) -> tuple[tuple[str, ...], ...]:
        """The weakly connected components: largest first, then by their first slug."""
        step = self._stepper("both", None)
        seen: set[str] = set()
        found: list[tuple[str, ...]] = []
        for slug in sorted(self._nodes):
            if slug not in seen:
                component = self._bfs(slug, step)
                seen.update(component)
                found.append(tuple(sorted(component)))
        return tuple(sorted(found, key=lambda component: (-len(component), component[0])))

    def missing(self) -> tuple[MissingTarget, ...]:
        """The link targets the corpus does not hold, each with the stories linking to it."""
        return tuple(
            MissingTarget(target, tuple(sorted({edge.source for edge in edges})))
            for target, edges in sorted(self._backward.items())
            if target not in self._corpus
        )

    def orphans(self) -> tuple[str, ...]:
        """The stories with no link to or from another story of the corpus."""

        def linked(edge: Edge) -> bool:
            return edge.in_corpus and edge.source != edge.target

        return tuple(
            slug
            for slug in self._forward
            if not any(map(linked, self._forward[slug]))
            and not any(map(linked, self._backward.get(slug, ())))
        )

    def unreciprocated(self) -> tuple[Edge, ...]:
        """The ``related`` edges between stories of the corpus with no ``related`` edge back."""
        related = [edge for edge in self.edges(["related"]) if edge.in_corpus]
        pairs = {(edge.source, edge.target) for edge in related}
        return tuple(edge for edge in related if (edge.target, edge.source) not in pairs)

    def entities_of(self, slug: str) -> tuple[str, ...]:
        """The entity slugs of story *slug*: its ``Entities:`` and its entity links, sorted."""
        if slug not in self._entities:
            raise KeyError(slug)
        return self._entities[slug]

    def stories_with(self, entity: str) -> tuple[str, ...]:
        """The stories that have the entity *entity* (a slug), by slug."""
        return self._members.get(entity, ())

    def entities(self) -> tuple[str, ...]:
        """Every entity slug of the corpus, sorted."""
        return tuple(sorted(self._members))

    def cooccurrence(self) -> tuple[EntityPair, ...]:
        """The pairs of entities that share a story: most shared first, then by slugs."""
        pairs: dict[tuple[str, str], list[str]] = {}
        for slug, entities in self._entities.items():
            for pair in itertools.combinations(entities, 2):  # entities are sorted
                pairs.setdefault(pair, []).append(slug)
        found = [EntityPair(a, b, tuple(slugs)) for (a, b), slugs in pairs.items()]
        return tuple(sorted(found, key=lambda pair: (-pair.count, pair.first, pair.second)))

    def similar(self, slug: str, k: int = 5) -> tuple[SimilarStory, ...]:
        """Up to *k* other stories sharing entities with *slug*, by Jaccard index, then slug."""
        if k < 0:
            raise ValueError(f"k must be at least 0, got {k!r}")
        mine = set(self.entities_of(slug))
        shared: dict[str, list[str]] = {}
        for entity in sorted(mine):
            for other in self._members[entity]:
                if other != slug:
                    shared.setdefault(other, []).append(entity)
        found = [
            SimilarStory(other, len(common) / len(mine.union(self._entities[other])), tuple(common))
            for other, common in shared.items()
        ]
        return tuple(sorted(found, key=lambda similar: (-similar.score, similar.slug))[:k])

    def to_node_link(self, *, include_entities: bool = False) -> dict[str, Any]:
        """The graph as JSON-ready ``{"nodes": [...], "links": [...]}``, as d3 reads it.

        networkx reads it back with ``node_link_graph(data, edges="links")``. Each node has
        a ``type``: ``story`` (with ``in_corpus``, and ``title`` and ``locale`` for a story
        of the corpus) or, with *include_entities*, ``entity`` (with ``slug``, and its name
        as ``title``), keyed ``entity:<slug>`` and linked from each of its stories by an edge
        of kind ``entity``. Edges have a ``key`` and a ``kind``, and ``in_corpus`` for links.
        Raises :class:`~rbtfl_model.errors.FormatError` if an entity's id is a story's slug.
        """
        return _graph_export.node_link(self, include_entities=include_entities)

    def to_dot(self, *, include_entities: bool = False) -> str:
        """The graph in Graphviz DOT, one statement per node and per edge, as pydot reads it.

        The nodes, edges and attributes of :meth:`to_node_link`, booleans as ``true`` and
        ``false``. Raises :class:`~rbtfl_model.errors.FormatError`, naming the node and the
        character, for a value DOT cannot hold: a NUL, a lone surrogate, or a backslash
        before a quote, a line break or the end of a text whose ``<`` and ``>`` do not pair
        up (other texts with those backslashes are written as HTML strings ``<...>``).
        """
        return _graph_export.dot(self, include_entities=include_entities)

    def to_graphml(self, *, include_entities: bool = False) -> str:
        """The graph as GraphML, which ``networkx.read_graphml`` reads back unchanged.

        The nodes, edges and attributes of :meth:`to_node_link`; edge ids are kinds, so read
        it with ``read_graphml(path, force_multigraph=True, edge_key_type=str)``. Needs no
        networkx. Raises :class:`~rbtfl_model.errors.FormatError`, naming the node and the
        character, for a value XML 1.0 cannot hold (U+0000 to U+001F other than tab and line
        breaks, U+FFFE, U+FFFF, lone surrogates).
        """
        return _graph_export.graphml(self, include_entities=include_entities)

    def to_networkx(self, *, include_entities: bool = False) -> networkx.MultiDiGraph:
        """The graph as a networkx ``MultiDiGraph`` (edge keys are kinds); needs ``[graph]``.

        The nodes, edges and attributes of :meth:`to_node_link`.
        """
        return _graph_export.to_networkx(self, include_entities=include_entities)

    def changes_since(self, old: StoryGraph) -> GraphChanges:
        """What differs from the graph *old*: stories added, removed or changed, and edges.

        Takes time in proportion to the stories, and to the edges only of stories whose
        edges are not the very objects *old* holds (as after :meth:`Corpus.refresh`).
        """
        mine, theirs = self._corpus, old._corpus
        added = tuple(slug for slug in self._forward if slug not in theirs)
        removed = tuple(slug for slug in old._forward if slug not in mine)
        changed = tuple(
            slug
            for slug in self._forward
            if slug in theirs
            and (story := mine[slug]) is not (before := theirs[slug])
            and story != before
        )
        appeared: list[Edge] = []
        gone: list[Edge] = []
        for slug in sorted(self._forward.keys() | old._forward.keys()):
            now, then = self._forward.get(slug, ()), old._forward.get(slug, ())
            if now is then or now == then:
                continue
            now_set, then_set = set(now), set(then)
            appeared += (edge for edge in now if edge not in then_set)
            gone += (edge for edge in then if edge not in now_set)
        return GraphChanges(added, removed, changed, tuple(appeared), tuple(gone))

    def _follow(self, previous: StoryGraph, include_missing: bool) -> bool:
        """Build from *previous*: edges and entities of unchanged stories are kept as they are.

        A story is unchanged if it is the same object in both corpora; its edges are made
        again only if a target joined or left the corpus (``in_corpus`` flips). The work is
        in proportion to the changed stories, their edges and the edges to their targets,
        besides copying the indexes. Returns False, having done nothing, when over half the
        stories changed: building afresh is then as quick.
        """
        corpus, old = self._corpus, previous._corpus
        dirty = _dirty(corpus, old, limit=len(corpus) // 2)
        if dirty is None:
            return False
        joined_or_left = {slug for slug, now in dirty.items() if (now is None) != (slug not in old)}
        # the sources whose edges are made again: the dirty ones, and those linking to a
        # story that joined or left
        remade: dict[str, tuple[Edge, ...]] = {}
        targets = set(joined_or_left)
        for slug, now in dirty.items():
            targets.update(edge.target for edge in previous._forward.get(slug, ()))
            if now is not None:
                remade[slug] = _edges_of(slug, now, corpus)
        for target in joined_or_left:
            for edge in previous._backward.get(target, ()):
                if edge.source not in dirty and edge.source not in remade:
                    remade[edge.source] = tuple(
                        attrs.evolve(e, in_corpus=e.target in corpus)
                        if e.target in joined_or_left
                        else e
                        for e in previous._forward[edge.source]
                    )
        incoming: dict[str, list[Edge]] = {}
        for edges in remade.values():
            for edge in edges:
                incoming.setdefault(edge.target, []).append(edge)
        targets.update(incoming)
        backward = dict(previous._backward)
        for target in targets:
            kept = [
                e
                for e in backward.get(target, ())
                if e.source not in dirty and e.source not in remade
            ]
            kept += incoming.get(target, ())
            if kept:
                kept.sort(key=_backward_order)
                backward[target] = tuple(kept)
            else:
                backward.pop(target, None)
        # the same slugs as before: the indexes are copies in the same (slug) order, updated
        ordered = None if not joined_or_left else sorted(corpus)
        self._forward = _updated(previous._forward, remade, ordered)
        self._backward = backward
        self._follow_entities(previous, dirty, ordered)
        missing = (target for target in backward if target not in corpus)
        self._nodes = (
            frozenset(itertools.chain(corpus, missing)) if include_missing else corpus.keys()
        )
        return True

    def _follow_entities(
        self,
        previous: StoryGraph,
        dirty: Mapping[str, Story | None],
        ordered: list[str] | None,
    ) -> None:
        """The entity indexes of :meth:`_follow`: only the dirty stories' entities change."""
        fresh: dict[str, tuple[str, ...]] = {}
        touched: set[str] = set()
        joined: dict[str, list[str]] = {}  # entity: the dirty stories that have it now
        for slug, story in dirty.items():
            touched.update(previous._entities.get(slug, ()))
            if story is not None:
                fresh[slug] = entities = story_entities(story)
                for entity in entities:
                    joined.setdefault(entity, []).append(slug)
        touched.update(joined)
        members = dict(previous._members)
        for entity in touched:
            slugs = [s for s in members.get(entity, ()) if s not in dirty]
            slugs += joined.get(entity, ())
            if slugs:
                members[entity] = tuple(sorted(slugs))
            else:
                members.pop(entity, None)
        self._entities = _updated(previous._entities, fresh, ordered)
        self._members = members

    def plot(
        self,
        ax: Axes | None = None,
        *,
        around: str | None = None,
        depth: int = 1,
        labels: Labels = "title",
        missing: bool = True,
    ) -> Axes:
        """Draw the graph with matplotlib (``pip install 'rbtfl-model[plot]'``); return the axes.

        Stories are nodes labelled by title (or by slug with ``labels="slug"``), ``related``
        edges solid arrows, ``inline`` edges dashed, orphans in their own colour and, unless
        *missing* is False, missing targets as hollow grey nodes. With *around*, only that
        story and the stories within *depth* links of it. Draws on *ax*, or on a new pyplot
        figure (which a notebook shows); save it with ``ax.figure.savefig(path)``.
        """
        from rbtfl_model import _graph_plot  # matplotlib and numpy load only for a picture

        return _graph_plot.plot(
            self, ax, around=around, depth=depth, labels=labels, missing=missing
        )

    def _check_known(self, slug: str) -> None:
        if slug not in self._corpus and slug not in self._backward:
            raise KeyError(slug)

    def _check_node(self, slug: str) -> None:
        if slug not in self._nodes:
            raise KeyError(slug)

    def _stepper(
        self, direction: Direction, kinds: Iterable[EdgeKind] | None
    ) -> Callable[[str], list[str]]:
        """A function giving the nodes one step from a node, in slug order."""
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction must be 'out', 'in' or 'both', got {direction!r}")
        wanted = _kinds(kinds)
        nodes = self._nodes

        def step(slug: str) -> list[str]:
            found: set[str] = set()
            if direction != "in":
                found.update(e.target for e in self._forward.get(slug, ()) if e.kind in wanted)
            if direction != "out":
                found.update(e.source for e in self._backward.get(slug, ()) if e.kind in wanted)
            return sorted(node for node in found if node in nodes)

        return step

    def _bfs(
        self,
        start: str,
        step: Callable[[str], list[str]],
        *,
        depth: int | None = None,
        stop: str | None = None,
    ) -> dict[str, str | None]:
        """Breadth-first from *start*: each node reached, and the node it was reached from."""
        self._check_node(start)
        came_from: dict[str, str | None] = {start: None}
        frontier = deque([(start, 0)])
        while frontier and stop not in came_from:
            slug, distance = frontier.popleft()
            if depth is not None and distance >= depth:
                continue
            for node in step(slug):
                if node not in came_from:
                    came_from[node] = slug
                    frontier.append((node, distance + 1))
        return came_from


def _dirty(
    corpus: Mapping[str, Story], old: Mapping[str, Story], limit: int
) -> dict[str, Story | None] | None:
    """The stories of *corpus* that are not those of *old* (changed or added) and the slugs
    *old* alone has (removed, as None); None as soon as there are over *limit*."""
    dirty: dict[str, Story | None] = {}
    before = old.get
    for slug, story in corpus.items():
        if before(slug) is not story:
            dirty[slug] = story
            if len(dirty) > limit:
                return None
    kept = len(corpus) - sum(slug not in old for slug in dirty)  # slugs of corpus in old
    if kept != len(old):  # some slugs of old are not in corpus
        dirty.update((slug, None) for slug in old if slug not in corpus)
    return dirty if len(dirty) <= limit else None


def _updated(
    index: Mapping[str, _V], new: Mapping[str, _V], ordered: list[str] | None
) -> dict[str, _V]:
    """*index* with the values *new* has; keyed by *ordered*, or by its own keys if None."""
    if ordered is None:
        return {**index, **new}
    return {slug: new[slug] if slug in new else index[slug] for slug in ordered}


def _kinds(kinds: Iterable[EdgeKind] | None) -> frozenset[str]:
    if kinds is None:
        return frozenset(EDGE_KINDS)
    wanted = frozenset(kinds)
    if not wanted <= frozenset(EDGE_KINDS):
        raise ValueError(f"edge kinds are 'related' and 'inline', got {sorted(wanted)!r}")
    return wanted


def _backward_order(edge: Edge) -> tuple[str, int]:
    """The order of the edges to one target: by source, then kind."""
    return edge.source, _KIND_ORDER[edge.kind]


def _edges_of(slug: str, story: Story, corpus: Collection[str]) -> tuple[Edge, ...]:
    """The story's edges, one per target and kind, by target and kind."""
    return tuple(
        Edge(slug, target, kind, target in corpus) for target, kind in story_targets(story)
    )


def story_targets(story: Story) -> tuple[tuple[str, EdgeKind], ...]:
    """The slugs *story* links to with the kind of each link, one per target and kind, by
    target and kind: what the story's edges of any graph are made from."""
    pairs: set[tuple[str, EdgeKind]] = {(target, "related") for target in story.related}
    pairs.update((slug, "inline") for slug in story._site_slugs()[0])
    return tuple(sorted(pairs, key=lambda pair: (pair[0], _KIND_ORDER[pair[1]])))


def story_entities(story: Story) -> tuple[str, ...]:
    """The story's entity slugs, from ``Entities:`` and from entity links, sorted."""
    return story._site_slugs()[1]
