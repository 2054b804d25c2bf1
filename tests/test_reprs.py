"""Short reprs for a corpus and its graph, and HTML tables for notebooks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import rbtfl_model as rm
from rbtfl_model import Story

EXAMPLES = Path(__file__).parent.parent / "examples" / "stories"


def story(slug: str, title: str = "T") -> Story:
    return Story(title=title, deck="D", canonical=f"https://rbtfl.xyz/en/n/{slug}")


def test_corpus_repr() -> None:
    corpus = rm.load_dir(EXAMPLES)
    assert repr(corpus) == f"Corpus(6 stories, root={str(EXAMPLES)!r})"
    assert corpus.root == EXAMPLES
    assert repr(rm.Corpus.from_stories([story("a")])) == "Corpus(1 story)"
    assert repr(rm.Corpus.from_stories([])) == "Corpus(0 stories)"


def test_corpus_repr_counts_errors(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(rm.dumps(story("a")), encoding="utf-8")
    (tmp_path / "bad.md").write_text("no title\n", encoding="utf-8")
    corpus = rm.load_dir(tmp_path, errors="collect")
    assert repr(corpus) == f"Corpus(1 story, 1 error, root={str(tmp_path / 'sub')!r})"


def test_corpus_html_lists_the_first_twenty_stories_escaped() -> None:
    corpus = rm.Corpus.from_stories(
        [story(f"s{i:02d}", "<b>&</b>" if i == 0 else "T") for i in range(25)]
    )
    table = ET.fromstring(corpus._repr_html_())  # well-formed: every text escaped
    assert table.findtext("caption") == "Corpus(25 stories)"
    rows = table.findall("./tbody/tr")
    assert len(rows) == 21
    assert [td.text for td in rows[0]] == ["s00", "<b>&</b>", None, "0"]  # no date
    assert rows[-1][0].text == "… and 5 more"


def test_graph_repr() -> None:
    graph = rm.load_dir(EXAMPLES).graph()
    assert repr(graph) == "StoryGraph(6 stories, 22 edges, 1 missing)"
    assert repr(rm.Corpus.from_stories([story("a")]).graph()) == (
        "StoryGraph(1 story, 0 edges, 0 missing)"
    )


def test_graph_html() -> None:
    graph = rm.load_dir(EXAMPLES).graph()
    table = ET.fromstring(graph._repr_html_())
    cells = {row.findtext("th"): row.findtext("td") for row in table.findall("tr")}
    assert cells == {
        "stories": "6",
        "related edges": "14",
        "inline edges": "8",
        "components": "1",
        "entities": "12",
        "orphans": "none",
        "missing": "gallium-germanium-controls (from china-rare-earth-controls)",
    }
