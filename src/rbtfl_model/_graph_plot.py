"""Drawing a :class:`~rbtfl_model.graph.StoryGraph` with matplotlib (the ``plot`` extra).

Stories are labelled nodes placed by a force-directed layout (Fruchterman and Reingold,
1991) computed here with numpy, from a fixed start, so the same graph always gives the same
picture. ``related`` edges are solid arrows, ``inline`` ones dashed; missing targets are
hollow grey nodes, orphans are drawn in their own colour. matplotlib is imported on first use.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from rbtfl_model.graph import Edge, StoryGraph

__all__ = ["Labels", "figure_size", "plot"]

Labels = Literal["title", "slug"]

#: How many characters of a title a node label shows.
LABEL_WIDTH: Final = 28
#: Colours (matplotlib's default cycle) and line styles of each kind of node and edge.
STORY_COLOR: Final = "#1f77b4"
ORPHAN_COLOR: Final = "#ff7f0e"
MISSING_COLOR: Final = "#7f7f7f"
EDGE_COLORS: Final = {"related": "#1f77b4", "inline": "#2ca02c"}
EDGE_LINES: Final = {"related": "solid", "inline": "dashed"}
#: Arcs curve the two kinds apart where a story links another both ways.
EDGE_ARCS: Final = {"related": 0.08, "inline": -0.08}
_ITERATIONS: Final = 200


def plot(
    graph: StoryGraph,
    ax: Axes | None = None,
    *,
    around: str | None = None,
    depth: int = 1,
    labels: Labels = "title",
    missing: bool = True,
) -> Axes:
    """Draw *graph* on *ax* (a new figure if None) and return the axes."""
    if labels not in ("title", "slug"):
        raise ValueError(f"labels must be 'title' or 'slug', got {labels!r}")
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            "StoryGraph.plot() needs matplotlib: pip install 'rbtfl-model[plot]'"
        ) from error
    del matplotlib  # imported here only to name the extra when it is missing
    stories = _stories(graph, around, depth)
    edges = [edge for edge in graph.edges() if edge.source in stories]
    targets = sorted({e.target for e in edges if not e.in_corpus}) if missing else []
    shown = set(stories) | set(targets)
    edges = [edge for edge in edges if edge.target in shown]
    nodes = [*stories, *targets]
    positions = _layout(nodes, [(e.source, e.target) for e in edges])
    if ax is None:
        import matplotlib.pyplot as plt  # a pyplot figure, so that notebooks show it

        _, ax = plt.subplots(figsize=figure_size(len(nodes)))
    if around is None:
        title = repr(graph)
    else:
        title = f"{around} and its neighbours within {depth} links ({len(stories)} stories)"
    _draw(graph, ax, nodes, targets, edges, positions, labels, around)
    ax.set_title(title)
    return ax


def _stories(graph: StoryGraph, around: str | None, depth: int) -> list[str]:
    """The corpus stories to draw: all, or *around* and its neighbours within *depth*."""
    if around is None:
        return sorted(graph.corpus)
    if around not in graph.corpus:
        raise KeyError(around)
    near = graph.neighbors(around, depth)
    return sorted({around, *(slug for slug in near if slug in graph.corpus)})


def figure_size(nodes: int) -> tuple[float, float]:
    """A figure size in inches that leaves room for the labels of *nodes* nodes."""
    side = min(24.0, max(6.0, 2.2 * math.sqrt(nodes)))
    return (side * 1.25, side)


def _layout(nodes: list[str], links: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold positions in the unit square, from nodes evenly on a circle."""
    import numpy as np

    count = len(nodes)
    if count == 0:
        return {}
    if count == 1:
        return {nodes[0]: (0.5, 0.5)}
    index = {node: i for i, node in enumerate(nodes)}
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    pos = np.column_stack([np.cos(angles), np.sin(angles)]) * 0.5 + 0.5
    adjacency = np.zeros((count, count))
    for source, target in links:
        if source != target:
            adjacency[index[source], index[target]] = adjacency[index[target], index[source]] = 1
    k = math.sqrt(1.0 / count)  # the ideal distance between nodes
    temperature = 0.1
    for _ in range(_ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 0.01)
        force = k * k / distance**2 - adjacency * distance / k  # repulsion minus attraction
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.maximum(np.linalg.norm(displacement, axis=-1), 0.01)
        pos += displacement / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature -= 0.1 / (_ITERATIONS + 1)
    pos -= pos.min(axis=0)
    pos /= np.maximum(pos.max(axis=0), 1e-9)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def _label(graph: StoryGraph, slug: str, labels: Labels) -> str:
    story = graph.corpus.get(slug)
    if labels == "slug" or story is None:
        return slug
    title = story.title
    return title if len(title) <= LABEL_WIDTH else title[: LABEL_WIDTH - 1] + "…"


def _draw(
    graph: StoryGraph,
    ax: Axes,
    nodes: list[str],
    targets: list[str],
    edges: list[Edge],
    positions: dict[str, tuple[float, float]],
    labels: Labels,
    around: str | None,
) -> None:
    from matplotlib.lines import Line2D

    orphans = set(graph.orphans())
    for edge in edges:
        ax.annotate(
            "",
            xy=positions[edge.target],
            xytext=positions[edge.source],
            arrowprops={
                "arrowstyle": "-|>",
                "color": EDGE_COLORS[edge.kind],
                "linestyle": EDGE_LINES[edge.kind],
                "connectionstyle": f"arc3,rad={EDGE_ARCS[edge.kind]}",
                "alpha": 0.75,
                "shrinkA": 9,
                "shrinkB": 9,
                "linewidth": 1.2,
            },
            zorder=1,
        )
    missing = set(targets)
    for node in nodes:
        x, y = positions[node]
        if node in missing:
            face, edge_color, line = "white", MISSING_COLOR, "dashed"
        else:
            face = ORPHAN_COLOR if node in orphans else STORY_COLOR
            edge_color, line = ("black", "solid") if node == around else (face, "solid")
        ax.scatter(
            [x], [y], s=220, c=face, edgecolors=edge_color, linestyles=line, linewidths=2, zorder=2
        )
        ax.annotate(
            _label(graph, node, labels),
            (x, y),
            xytext=(0, 12),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=MISSING_COLOR if node in missing else "black",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            zorder=3,
        )
    handles = [
        Line2D([], [], color=EDGE_COLORS["related"], label="related"),
        Line2D([], [], color=EDGE_COLORS["inline"], linestyle="dashed", label="inline"),
        Line2D([], [], marker="o", linestyle="", color=STORY_COLOR, label="story"),
        Line2D([], [], marker="o", linestyle="", color=ORPHAN_COLOR, label="orphan"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="white",
            markeredgecolor=MISSING_COLOR,
            label="missing target",
        ),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.12, 1.12)
    ax.set_axis_off()
