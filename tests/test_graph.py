"""StoryGraph over the shared corpus: every story's links, quality reports, entities, exports."""

from __future__ import annotations

import json
import re
import sys
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import rbtfl_model as rm
from benchmarks.synthetic import MISSING_EVERY, RELATED_PER_STORY, generate
from tests.conftest import DATA, VALID

CRC = "china-rare-earth-controls"
JAPAN = "china-rare-earth-japan-controls"
LYNAS = "lynas-texas-limbo"
MP = "mp-materials-magnet-ramp"
NDPR = "ndpr-price-surge-2026"
US = "us-minerals-price-floor-allies"
GALLIUM = "gallium-germanium-controls"  # linked to, not in the corpus

#: file name -> outlinks as (target, kind), by target then kind (related before inline)
OUTLINKS = {
    "china-rare-earth-controls.md": [
        (JAPAN, "related"), (JAPAN, "inline"), (GALLIUM, "related"), (NDPR, "related"),
    ],
    "china-rare-earth-japan-controls.md": [
        (CRC, "related"), (LYNAS, "inline"), (MP, "related"), (NDPR, "related"), (US, "inline"),
    ],
    "lynas-texas-limbo.md": [(JAPAN, "related"), (JAPAN, "inline"), (NDPR, "related")],
    "mp-materials-magnet-ramp.md": [(CRC, "related"), (CRC, "inline"), (NDPR, "related")],
    "ndpr-price-surge-2026.md": [
        (CRC, "inline"), (JAPAN, "related"), (LYNAS, "related"), (MP, "related"),
    ],
    "us-minerals-price-floor-allies.md": [
        (JAPAN, "related"), (JAPAN, "inline"), (NDPR, "related"), (NDPR, "inline"),
    ],
}  # fmt: skip

#: file name -> the stories linking to it: (by Related:, by inline links)
BACKLINKS = {
    "china-rare-earth-controls.md": ([JAPAN, MP], [MP, NDPR]),
    "china-rare-earth-japan-controls.md": ([CRC, LYNAS, NDPR, US], [CRC, LYNAS, US]),
    "lynas-texas-limbo.md": ([NDPR], [JAPAN]),
    "mp-materials-magnet-ramp.md": ([JAPAN, NDPR], []),
    "ndpr-price-surge-2026.md": ([CRC, JAPAN, LYNAS, MP, US], [US]),
    "us-minerals-price-floor-allies.md": ([], [JAPAN]),
}

#: file name -> its entity slugs, from Entities: and from entity links
ENTITIES = {
    "china-rare-earth-controls.md": [],
    "china-rare-earth-japan-controls.md": ["dysprosium", "neodymium", "rare-earth-magnets"],
    "lynas-texas-limbo.md": ["dysprosium", "lynas", "lynas-malaysia", "terbium"],
    "mp-materials-magnet-ramp.md": ["mp-materials", "ndfeb-magnets"],
    "ndpr-price-surge-2026.md": ["lynas", "mp-materials", "ndpr-oxide", "neodymium"],
    "us-minerals-price-floor-allies.md": ["jogmec", "korea-zinc", "minerals-security-partnership"],
}

#: file name -> the top similar stories: (slug, Jaccard index, shared entities)
SIMILAR = {
    "china-rare-earth-controls.md": [],
    "china-rare-earth-japan-controls.md": [
        (LYNAS, Fraction(1, 6), ("dysprosium",)),
        (NDPR, Fraction(1, 6), ("neodymium",)),
    ],
    "lynas-texas-limbo.md": [
        (JAPAN, Fraction(1, 6), ("dysprosium",)),
        (NDPR, Fraction(1, 7), ("lynas",)),
    ],
    "mp-materials-magnet-ramp.md": [(NDPR, Fraction(1, 5), ("mp-materials",))],
    "ndpr-price-surge-2026.md": [
        (MP, Fraction(1, 5), ("mp-materials",)),
        (JAPAN, Fraction(1, 6), ("neodymium",)),
        (LYNAS, Fraction(1, 7), ("lynas",)),
    ],
    "us-minerals-price-floor-allies.md": [],
}

UNRECIPROCATED = [(CRC, NDPR), (JAPAN, MP), (LYNAS, JAPAN), (MP, CRC), (US, JAPAN), (US, NDPR)]


@pytest.fixture(scope="module")
def graph() -> rm.StoryGraph:
    return rm.load_dir(DATA / "valid").graph()


def slug_of(path: Path) -> str:
    slug = rm.load(path).slug
    assert slug is not None
    return slug


def test_the_tables_cover_the_corpus() -> None:
    names = [path.name for path in VALID]
    assert names
    for table in (OUTLINKS, BACKLINKS, ENTITIES, SIMILAR):
        assert sorted(table) == names


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_outlinks(graph: rm.StoryGraph, path: Path) -> None:
    slug = slug_of(path)
    edges = graph.outlinks(slug)
    assert [(edge.target, edge.kind) for edge in edges] == OUTLINKS[path.name]
    assert all(edge.source == slug for edge in edges)
    assert all(edge.in_corpus == (edge.target != GALLIUM) for edge in edges)
    assert graph.outlinks(slug, ["inline"]) == tuple(e for e in edges if e.kind == "inline")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_backlinks_by_kind(graph: rm.StoryGraph, path: Path) -> None:
    slug = slug_of(path)
    related, inline = BACKLINKS[path.name]
    assert [edge.source for edge in graph.backlinks(slug, ["related"])] == related
    assert [edge.source for edge in graph.backlinks(slug, ["inline"])] == inline
    assert all(edge.target == slug for edge in graph.backlinks(slug))
    assert len(graph.backlinks(slug)) == len(related) + len(inline)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_entities_of(graph: rm.StoryGraph, path: Path) -> None:
    slug = slug_of(path)
    assert list(graph.entities_of(slug)) == ENTITIES[path.name]
    for entity in graph.entities_of(slug):
        assert slug in graph.stories_with(entity)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_similar(graph: rm.StoryGraph, path: Path) -> None:
    found = graph.similar(slug_of(path), k=3)
    expected = SIMILAR[path.name]
    assert [(s.slug, s.shared) for s in found] == [(slug, shared) for slug, _, shared in expected]
    assert [s.score for s in found] == [pytest.approx(float(score)) for _, score, _ in expected]
    assert len(graph.similar(slug_of(path), k=1)) == min(1, len(expected))
    with pytest.raises(ValueError, match="k must be"):
        graph.similar(slug_of(path), k=-1)


def test_a_missing_target_is_kept_flagged_and_not_a_node(graph: rm.StoryGraph) -> None:
    assert graph.missing() == (rm.MissingTarget(GALLIUM, (CRC,)),)
    assert GALLIUM not in graph.nodes()
    assert [(e.source, e.kind, e.in_corpus) for e in graph.backlinks(GALLIUM)] == [
        (CRC, "related", False)
    ]
    with pytest.raises(KeyError):
        graph.neighbors(GALLIUM)
    with pytest.raises(KeyError):
        graph.backlinks("no-such-story")


def test_include_missing_makes_targets_nodes() -> None:
    graph = rm.load_dir(DATA / "valid").graph(include_missing=True)
    assert graph.nodes() == (CRC, JAPAN, GALLIUM, LYNAS, MP, NDPR, US)
    assert graph.neighbors(GALLIUM) == (CRC,)
    assert graph.shortest_path(GALLIUM, LYNAS) == (GALLIUM, CRC, JAPAN, LYNAS)


def test_quality_reports(graph: rm.StoryGraph) -> None:
    assert graph.orphans() == ()
    assert [(edge.source, edge.target) for edge in graph.unreciprocated()] == UNRECIPROCATED
    assert all(edge.kind == "related" for edge in graph.unreciprocated())
    assert graph.components() == ((CRC, JAPAN, LYNAS, MP, NDPR, US),)


def test_neighbors(graph: rm.StoryGraph) -> None:
    assert graph.neighbors(CRC) == (JAPAN, MP, NDPR)
    assert graph.neighbors(CRC, direction="out") == (JAPAN, NDPR)
    assert graph.neighbors(US, direction="in") == (JAPAN,)
    assert graph.neighbors(JAPAN, direction="out", kinds=["inline"]) == (LYNAS, US)
    assert graph.neighbors(CRC, depth=2) == (JAPAN, LYNAS, MP, NDPR, US)
    assert graph.neighbors(CRC, depth=0) == ()
    with pytest.raises(ValueError, match="direction"):
        graph.neighbors(CRC, direction="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="edge kinds"):
        graph.neighbors(CRC, kinds=["cites"])  # type: ignore[list-item]


def test_shortest_path_between_stories_not_directly_linked(graph: rm.StoryGraph) -> None:
    assert MP not in graph.neighbors(US)
    assert graph.shortest_path(MP, US) == (MP, JAPAN, US)
    assert graph.shortest_path(MP, US, direction="out") == (MP, CRC, JAPAN, US)
    assert graph.shortest_path(US, MP, direction="out") == (US, JAPAN, MP)
    assert graph.shortest_path(CRC, LYNAS, kinds=["related"]) == (CRC, JAPAN, LYNAS)
    assert graph.shortest_path(US, US) == (US,)


def lonely_corpus() -> rm.Corpus:
    lonely = rm.loads("# Alone\n> Nobody links here.\n\n**Meta:** type: story\n")
    lonely = attrs.evolve(lonely, canonical="https://rbtfl.xyz/en/n/lonely")
    return rm.Corpus.from_stories([*(rm.load(path) for path in VALID), lonely])


def test_an_unlinked_story_is_an_orphan() -> None:
    graph = lonely_corpus().graph()
    assert graph.orphans() == ("lonely",)
    assert graph.components() == ((CRC, JAPAN, LYNAS, MP, NDPR, US), ("lonely",))
    assert graph.shortest_path("lonely", CRC) is None
    assert graph.neighbors("lonely", depth=5) == ()


def test_entity_index(graph: rm.StoryGraph) -> None:
    assert graph.stories_with("dysprosium") == (JAPAN, LYNAS)
    assert graph.stories_with("mp-materials") == (MP, NDPR)
    assert graph.stories_with("no-such-entity") == ()
    assert len(graph.entities()) == 12  # 16 listed, 4 shared by two stories
    pairs = graph.cooccurrence()
    assert len(pairs) == 3 + 6 + 1 + 6 + 3  # n*(n-1)/2 over each story's entities
    assert pairs[0] == rm.EntityPair("dysprosium", "lynas", (LYNAS,))
    assert all(pair.first < pair.second and pair.count == 1 for pair in pairs)
    with pytest.raises(KeyError):
        graph.entities_of(GALLIUM)


# -- exports -------------------------------------------------------------------------------


def edge_keys(graph: rm.StoryGraph) -> set[tuple[str, str, str]]:
    nodes = set(graph.nodes())
    return {(e.source, e.target, e.kind) for e in graph.edges() if e.target in nodes}


@pytest.mark.parametrize("include_missing", [False, True], ids=["corpus", "with-missing"])
def test_node_link(include_missing: bool) -> None:
    graph = rm.load_dir(DATA / "valid").graph(include_missing=include_missing)
    data = json.loads(json.dumps(graph.to_node_link()))
    assert [node["id"] for node in data["nodes"]] == list(graph.nodes())
    assert {(e["source"], e["target"], e["kind"]) for e in data["links"]} == edge_keys(graph)
    assert len(data["links"]) == len(edge_keys(graph)) == (23 if include_missing else 22)
    titles = {node["id"]: node.get("title") for node in data["nodes"]}
    assert titles[LYNAS] == "Lynas's Texas heavy rare earth plant stuck in limbo"


DOT_NODE_RE = re.compile(r'  "(?P<id>[^"]+)" \[(?P<attrs>.*)\];')
DOT_EDGE_RE = re.compile(
    r'  "(?P<source>[^"]+)" -> "(?P<target>[^"]+)" \[key="(?P<key>\w+)", .*\];'
)


def test_dot_structure(graph: rm.StoryGraph) -> None:
    lines = graph.to_dot().splitlines()
    assert lines[0] == "digraph stories {"
    assert lines[-1] == "}"
    nodes = [m["id"] for line in lines if (m := DOT_NODE_RE.fullmatch(line))]
    edges = {
        (m["source"], m["target"], m["key"]) for line in lines if (m := DOT_EDGE_RE.fullmatch(line))
    }
    assert nodes == list(graph.nodes())
    assert edges == edge_keys(graph)
    assert len(lines) == 2 + len(nodes) + len(edges)


def test_dot_quotes_titles() -> None:
    story = attrs.evolve(rm.load(VALID[0]), title='Say "no" \\ to it')
    dot = rm.Corpus.from_stories([story]).graph().to_dot()
    # only quotes are escaped: Graphviz and pydot keep any other backslash as it is
    assert 'title="Say \\"no\\" \\ to it"' in dot


# pydot 4 still calls pyparsing's old camelCase names, which warn
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dot_parses_with_pydot(graph: rm.StoryGraph, tmp_path: Path) -> None:
    networkx = pytest.importorskip("networkx")
    pytest.importorskip("pydot")
    (tmp_path / "graph.dot").write_text(graph.to_dot(), encoding="utf-8")
    parsed = networkx.nx_pydot.read_dot(tmp_path / "graph.dot")
    assert sorted(parsed.nodes) == list(graph.nodes())
    assert {(u, v, k.strip('"')) for u, v, k in parsed.edges(keys=True)} == edge_keys(graph)
    assert parsed.nodes[LYNAS]["locale"].strip('"') == "ko"


@pytest.mark.parametrize("include_missing", [False, True], ids=["corpus", "with-missing"])
def test_to_networkx_matches_the_graph(include_missing: bool, tmp_path: Path) -> None:
    networkx = pytest.importorskip("networkx")
    graph = rm.load_dir(DATA / "valid").graph(include_missing=include_missing)
    nx_graph = graph.to_networkx()
    assert isinstance(nx_graph, networkx.MultiDiGraph)
    assert sorted(nx_graph.nodes) == list(graph.nodes())
    assert set(nx_graph.edges(keys=True)) == edge_keys(graph)
    assert nx_graph.nodes[MP] == {
        "type": "story",
        "in_corpus": True,
        "title": rm.load(VALID[3]).title,
        "locale": "en",
    }
    assert nx_graph.edges[CRC, JAPAN, "inline"] == {"kind": "inline", "in_corpus": True}
    # GraphML takes the attributes as they are: all scalars
    networkx.write_graphml(nx_graph, tmp_path / "graph.graphml")
    read = networkx.read_graphml(tmp_path / "graph.graphml")
    assert {(u, v, d["kind"]) for u, v, d in read.edges(data=True)} == edge_keys(graph)
    assert read.nodes[MP]["locale"] == "en"


def test_to_networkx_names_the_extra(graph: rm.StoryGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "networkx", None)  # makes `import networkx` fail
    with pytest.raises(ImportError, match=re.escape("rbtfl-model[graph]")):
        graph.to_networkx()


# -- a synthetic corpus --------------------------------------------------------------------


def test_synthetic_corpus_graph_counts() -> None:
    n = 300
    texts = generate(n, seed=7)
    assert texts == generate(n, seed=7)
    assert texts != generate(n, seed=8)
    graph = rm.Corpus.from_stories(rm.loads(text) for text in texts).graph()
    bundled = rm.load_dir(DATA / "valid").graph()
    inline_per_base = [len(bundled.outlinks(slug, ["inline"])) for slug in bundled.nodes()]
    missing = len(range(0, n, MISSING_EVERY))
    assert len(graph.nodes()) == n
    assert len(graph.edges(["related"])) == RELATED_PER_STORY * n + missing
    assert len(graph.edges(["inline"])) == sum(inline_per_base) * n // len(inline_per_base)
    assert len(graph.missing()) == missing
    assert all(len(target.sources) == 1 for target in graph.missing())
    assert graph.orphans() == ()
    assert graph.cooccurrence()[0].count == n // len(inline_per_base)
