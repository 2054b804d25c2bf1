"""Writing a :class:`~rbtfl_model.graph.StoryGraph` out: node-link JSON, DOT and networkx.

All three hold the same nodes and edges (the edges whose two ends are nodes) with the same
attributes, and only scalar attribute values, so that networkx can write them as GraphML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx

    from rbtfl_model.graph import Edge, StoryGraph

__all__ = ["dot", "node_link", "to_networkx"]

Attrs = dict[str, str | bool]


def node_attrs(graph: StoryGraph, slug: str) -> Attrs:
    """A node's attributes: ``in_corpus``, and ``title`` and ``locale`` for a story."""
    story = graph.corpus.get(slug)
    if story is None:
        return {"in_corpus": False}
    attrs: Attrs = {"in_corpus": True, "title": story.title}
    if story.locale is not None:
        attrs["locale"] = story.locale
    return attrs


def edge_attrs(edge: Edge) -> Attrs:
    """An edge's attributes: ``kind`` and ``in_corpus``."""
    return {"kind": edge.kind, "in_corpus": edge.in_corpus}


def exported_edges(graph: StoryGraph) -> list[Edge]:
    """The edges whose two ends are nodes of *graph*."""
    nodes = set(graph.nodes())
    return [edge for edge in graph.edges() if edge.source in nodes and edge.target in nodes]


def node_link(graph: StoryGraph) -> dict[str, Any]:
    """The graph as node-link data; networkx reads it with ``node_link_graph(edges="links")``."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [{"id": slug, **node_attrs(graph, slug)} for slug in graph.nodes()],
        "links": [
            {"source": edge.source, "target": edge.target, "key": edge.kind, **edge_attrs(edge)}
            for edge in exported_edges(graph)
        ],
    }


def dot(graph: StoryGraph) -> str:
    """The graph in Graphviz DOT; every ID is a quoted string."""
    lines = ["digraph stories {"]
    for slug in graph.nodes():
        lines.append(f"  {_quote(slug)} [{_attr_list(node_attrs(graph, slug))}];")
    for edge in exported_edges(graph):
        ends = f"{_quote(edge.source)} -> {_quote(edge.target)}"
        lines.append(f"  {ends} [key={_quote(edge.kind)}, {_attr_list(edge_attrs(edge))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _attr_list(attrs: Attrs) -> str:
    return ", ".join(f"{name}={_quote(_dot_value(value))}" for name, value in attrs.items())


def _dot_value(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _quote(text: str) -> str:
    """A DOT double-quoted string; a backslash is doubled, as Graphviz labels read it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_networkx(graph: StoryGraph) -> networkx.MultiDiGraph:
    """The graph as a networkx ``MultiDiGraph`` keyed by edge kind."""
    try:
        import networkx
    except ImportError as error:
        raise ImportError(
            "StoryGraph.to_networkx() needs networkx: pip install 'rbtfl-model[graph]'"
        ) from error
    result = networkx.MultiDiGraph()
    for slug in graph.nodes():
        result.add_node(slug, **node_attrs(graph, slug))
    for edge in exported_edges(graph):
        result.add_edge(edge.source, edge.target, key=edge.kind, **edge_attrs(edge))
    return result
