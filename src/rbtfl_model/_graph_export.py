"""Writing a :class:`~rbtfl_model.graph.StoryGraph` out: node-link data, DOT, GraphML, networkx.

All four hold the same nodes and edges (the edges whose two ends are nodes) with the same
attributes, all scalars. Story nodes are keyed by slug; with ``include_entities`` each entity
is a node too, keyed ``entity:<slug>``, with an edge of kind ``entity`` from every story that
has it. DOT and GraphML are text a reader must take back unchanged, so a value they cannot
hold is refused up front with a :class:`~rbtfl_model.errors.FormatError` naming the node, the
attribute and the character, never written in a form the reader would change.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from rbtfl_model.errors import FormatError

if TYPE_CHECKING:
    import networkx

    from rbtfl_model.graph import StoryGraph

__all__ = ["dot", "graphml", "node_link", "to_networkx"]

Attrs = dict[str, str | bool]
#: (node id, attributes, what the node is called in an error message)
Node = tuple[str, Attrs, str]
#: (source id, target id, key, attributes)
Link = tuple[str, str, str, Attrs]

#: Entity node ids: the prefix keeps them apart from story slugs.
ENTITY_PREFIX: Final = "entity:"


# -- what every format holds ------------------------------------------------------------------


def nodes(graph: StoryGraph, include_entities: bool) -> list[Node]:
    """Every node with its attributes: stories by slug, then entities by slug if asked for."""
    found: list[Node] = []
    for slug in graph.nodes():
        story = graph.corpus.get(slug)
        attrs: Attrs = {"type": "story", "in_corpus": story is not None}
        if story is not None:
            attrs["title"] = story.title
            if story.locale is not None:
                attrs["locale"] = story.locale
        found.append((slug, attrs, f"story {slug!r}"))
    if include_entities:
        names = _entity_names(graph)
        story_ids = set(graph.nodes())
        for entity in graph.entities():
            node_id = ENTITY_PREFIX + entity
            if node_id in story_ids:
                raise FormatError(
                    f"entity {entity!r}", "its node id is also a story's slug", node_id
                )
            # "title" as for stories, not "name", which pydot cannot read as a node attribute
            attrs = {"type": "entity", "title": names[entity], "slug": entity}
            found.append((node_id, attrs, f"entity {entity!r}"))
    return found


def links(graph: StoryGraph, include_entities: bool) -> list[Link]:
    """Every edge between two nodes: story links by source, target and kind, then entities."""
    node_ids = set(graph.nodes())
    found: list[Link] = [
        (edge.source, edge.target, edge.kind, {"kind": edge.kind, "in_corpus": edge.in_corpus})
        for edge in graph.edges()
        if edge.source in node_ids and edge.target in node_ids
    ]
    if include_entities:
        for slug in sorted(graph.corpus):
            for entity in graph.entities_of(slug):
                found.append((slug, ENTITY_PREFIX + entity, "entity", {"kind": "entity"}))
    return found


def _entity_names(graph: StoryGraph) -> dict[str, str]:
    """Each entity slug's name: the first ``Entities:`` name with that slug, by story slug;
    for an entity only linked to, the first link's text."""
    names: dict[str, str] = {}
    stories = [graph.corpus[slug] for slug in sorted(graph.corpus)]
    for story in stories:
        for entity, slug in zip(story.entities, story.entity_slugs, strict=True):
            names.setdefault(slug, entity.name)
    for story in stories:
        for link in story.entity_links:
            if link.slug is not None:
                names.setdefault(link.slug, link.text)
    return names


# -- node-link and networkx -----------------------------------------------------------------


def node_link(graph: StoryGraph, *, include_entities: bool = False) -> dict[str, Any]:
    """The graph as node-link data; networkx reads it with ``node_link_graph(edges="links")``."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [{"id": node_id, **attrs} for node_id, attrs, _ in nodes(graph, include_entities)],
        "links": [
            {"source": source, "target": target, "key": key, **attrs}
            for source, target, key, attrs in links(graph, include_entities)
        ],
    }


def to_networkx(graph: StoryGraph, *, include_entities: bool = False) -> networkx.MultiDiGraph:
    """The graph as a networkx ``MultiDiGraph`` keyed by edge kind."""
    try:
        import networkx
    except ImportError as error:
        raise ImportError(
            "StoryGraph.to_networkx() needs networkx: pip install 'rbtfl-model[graph]'"
        ) from error
    result = networkx.MultiDiGraph()
    for node_id, attrs, _ in nodes(graph, include_entities):
        result.add_node(node_id, **attrs)
    for source, target, key, attrs in links(graph, include_entities):
        result.add_edge(source, target, key=key, **attrs)
    return result


# -- refusals -------------------------------------------------------------------------------


def _check_encodable(text: str, field: str, fmt: str) -> None:
    """Refuse a lone surrogate: no UTF-8 file can hold one."""
    if match := _SURROGATE_RE.search(text):
        raise FormatError(
            field, f"{fmt} cannot hold {_char(match[0])}, which UTF-8 cannot encode", text
        )


def _char(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X})"


_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


# -- DOT ------------------------------------------------------------------------------------


def dot(graph: StoryGraph, *, include_entities: bool = False) -> str:
    """The graph in Graphviz DOT, one statement per node and per edge (a line, unless a text
    holds a line break).

    Every ID is a double-quoted string, or an HTML string ``<...>`` where a double-quoted
    one cannot hold the text (a backslash right before a quote, a line break or the end).
    """
    lines = ["digraph stories {"]
    for node_id, attrs, name in nodes(graph, include_entities):
        lines.append(f"  {_dot_id(node_id, name)} [{_attr_list(attrs, name)}];")
    for source, target, key, attrs in links(graph, include_entities):
        ends = f"{_dot_id(source, source)} -> {_dot_id(target, target)}"  # checked as nodes
        lines.append(f"  {ends} [key={_dot_id(key, key)}, {_attr_list(attrs, key)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _attr_list(attrs: Attrs, name: str) -> str:
    return ", ".join(
        f"{attr}={_dot_id(_dot_value(value), f'{name} {attr}')}" for attr, value in attrs.items()
    )


def _dot_value(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _dot_id(text: str, field: str) -> str:
    """*text* as a DOT ID that Graphviz and pydot read back as *text*.

    In a double-quoted string only ``\\"`` is an escape, ``\\\\`` stays two backslashes and
    a backslash before a line break joins the lines; so a quote becomes ``\\"``, everything
    else is written as it is, and a text whose backslashes these rules would change is
    written as an HTML string, which has no escapes, if its ``<`` and ``>`` pair up.
    """
    if "\x00" in text:
        raise FormatError(field, f"DOT cannot hold {_char(chr(0))}", text)
    _check_encodable(text, field, "DOT")
    # Graphviz drops an attribute whose quoted value is a lone newline; "<\n>" it keeps
    if _DOT_UNQUOTABLE_RE.search(text) is None and text != "\n":
        return '"' + text.replace('"', '\\"') + '"'
    if _angles_pair_up(text):
        return f"<{text}>"
    raise FormatError(
        field,
        "DOT cannot hold a backslash before a quote, a line break or the end"
        " in a text whose '<' and '>' do not pair up",
        text,
    )


_DOT_UNQUOTABLE_RE: Final = re.compile(
    r"""
    (?<!\\)\\(?:\\\\)*(?="|\Z)    # an odd run of backslashes before a quote or the end
    | \\(?=[\r\n])                # a backslash before a line break: a line continuation
    """,
    re.VERBOSE,
)


def _angles_pair_up(text: str) -> bool:
    """Whether every ``>`` closes an earlier ``<`` and every ``<`` is closed."""
    depth = 0
    for ch in text:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# -- GraphML --------------------------------------------------------------------------------


def graphml(graph: StoryGraph, *, include_entities: bool = False) -> str:
    """The graph as a GraphML document that ``networkx.read_graphml`` reads back unchanged.

    Booleans are ``attr.type="boolean"``, every other value a string; edge ids are kinds.
    """
    node_list = nodes(graph, include_entities)
    link_list = links(graph, include_entities)
    keys: dict[tuple[str, str], str] = {}  # (for, attribute name) -> key id
    key_lines: list[str] = []
    for domain, attr_dicts in (
        ("node", [attrs for _, attrs, _ in node_list]),
        ("edge", [attrs for _, _, _, attrs in link_list]),
    ):
        for attrs in attr_dicts:
            for attr, value in attrs.items():
                if (domain, attr) not in keys:
                    keys[domain, attr] = key_id = f"d{len(keys)}"
                    kind = "boolean" if isinstance(value, bool) else "string"
                    key_lines.append(
                        f'  <key id="{key_id}" for="{domain}" attr.name="{attr}"'
                        f' attr.type="{kind}"/>'
                    )
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        *key_lines,
        '  <graph edgedefault="directed">',
    ]
    for node_id, attrs, name in node_list:
        lines.append(f'    <node id="{_xml(node_id, name)}">')
        lines.extend(_data_lines(attrs, "node", keys, name))
        lines.append("    </node>")
    for source, target, key, attrs in link_list:
        ends = f'source="{_xml(source, source)}" target="{_xml(target, target)}"'
        lines.append(f'    <edge id="{key}" {ends}>')
        lines.extend(_data_lines(attrs, "edge", keys, key))
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


def _data_lines(
    attrs: Attrs, domain: str, keys: dict[tuple[str, str], str], name: str
) -> list[str]:
    return [
        f'      <data key="{keys[domain, attr]}">{_xml(_dot_value(value), f"{name} {attr}")}</data>'
        for attr, value in attrs.items()
    ]


def _xml(text: str, field: str) -> str:
    """*text* escaped for XML text and attribute values alike; refused if XML cannot hold it.

    Tabs and line breaks are written as character references, because a parser turns them
    into spaces in attributes and a raw carriage return into a newline everywhere.
    """
    if match := _XML_INVALID_RE.search(text):
        _check_encodable(text, field, "GraphML")
        raise FormatError(field, f"XML 1.0 cannot hold {_char(match[0])}", text)
    return text.translate(_XML_ESCAPES)


_XML_INVALID_RE: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_ESCAPES: Final = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)
