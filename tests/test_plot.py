"""A picture of the graph: StoryGraph.plot and ``rbtfl graph --format png|svg``."""

from __future__ import annotations

import io
import struct
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import rbtfl_model as rm
from rbtfl_model import Story, _cli
from rbtfl_model._graph_plot import MISSING_COLOR, ORPHAN_COLOR

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")  # no window, whatever the machine has

EXAMPLES = Path(__file__).parent.parent / "examples" / "stories"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def graph() -> rm.StoryGraph:
    return rm.load_dir(EXAMPLES).graph()


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, after checking that it is one."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def texts(ax: Any) -> set[str]:
    """The node labels: the texts that are not the (empty) text of an arrow."""
    return {text.get_text() for text in ax.texts if text.get_text()}


def test_plot_the_bundled_stories_as_a_png(graph: rm.StoryGraph) -> None:
    ax: Any = graph.plot()  # matplotlib's types make every figure maybe a SubFigure
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=100)
    data = buffer.getvalue()
    width, height = png_size(data)
    assert 400 <= width <= 3000
    assert 300 <= height <= 3000
    pixels = matplotlib.image.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (height, width)
    assert pixels.std() > 0.05  # not a blank picture
    assert ax.get_title() == "StoryGraph(6 stories, 22 edges, 1 missing)"


def test_nodes_are_labelled_by_title_or_slug(graph: rm.StoryGraph) -> None:
    labels = texts(graph.plot())
    assert "China tightens rare earth e…" in labels
    assert "gallium-germanium-controls" in labels  # a missing target has only its slug
    by_slug = texts(graph.plot(labels="slug"))
    assert set(graph.corpus) | {"gallium-germanium-controls"} <= by_slug
    assert "gallium-germanium-controls" not in texts(graph.plot(labels="slug", missing=False))


def test_edges_kinds_have_their_own_styles(graph: rm.StoryGraph) -> None:
    ax: Any = graph.plot()
    arrows = [text.arrow_patch for text in ax.texts if text.arrow_patch is not None]
    assert len(arrows) == len(graph.edges())  # the edge to the missing target is drawn too
    styles = {arrow.get_linestyle() for arrow in arrows}
    assert len(styles) == 2


def test_orphans_and_missing_targets_are_marked(graph: rm.StoryGraph) -> None:
    alone = Story(title="Alone", deck="D", canonical="https://rbtfl.xyz/en/n/alone")
    corpus = rm.Corpus.from_stories([*graph.corpus.values(), alone])
    ax: Any = corpus.graph().plot()
    faces = [tuple(c.get_facecolor()[0]) for c in ax.collections]
    orange = matplotlib.colors.to_rgba(ORPHAN_COLOR)
    assert faces.count(orange) == 1
    edges = [tuple(c.get_edgecolor()[0]) for c in ax.collections]
    assert edges.count(matplotlib.colors.to_rgba(MISSING_COLOR)) == 1


def test_only_the_neighbourhood_of_a_story(graph: rm.StoryGraph) -> None:
    ax = graph.plot(around="lynas-texas-limbo", depth=1, labels="slug", missing=False)
    expected = {"lynas-texas-limbo", *graph.neighbors("lynas-texas-limbo", 1)}
    assert texts(ax) == expected
    assert len(expected) < len(graph.corpus)
    assert "lynas-texas-limbo" in ax.get_title()


def test_plot_on_given_axes(graph: rm.StoryGraph) -> None:
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    assert graph.plot(ax) is ax


def test_plot_refusals(graph: rm.StoryGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(KeyError):
        graph.plot(around="nowhere")
    bad: Any = "titles"
    with pytest.raises(ValueError, match="labels must be 'title' or 'slug'"):
        graph.plot(labels=bad)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"rbtfl-model\[plot\]"):
        graph.plot()


def test_plot_of_an_empty_graph() -> None:
    ax = rm.Corpus.from_stories([]).graph().plot()
    assert ax.get_title() == "StoryGraph(0 stories, 0 edges, 0 missing)"


# -- the command line -----------------------------------------------------------------------


def test_graph_as_png(tmp_path: Path) -> None:
    out = tmp_path / "graph.png"
    assert _cli.main(["graph", str(EXAMPLES), "--format", "png", "-o", str(out)]) == 0
    width, height = png_size(out.read_bytes())
    assert 400 <= width <= 3000
    assert 300 <= height <= 3000


def test_graph_as_svg(tmp_path: Path) -> None:
    out = tmp_path / "graph.svg"
    assert _cli.main(["graph", str(EXAMPLES), "--format", "svg", "-o", str(out)]) == 0
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "gallium-germanium-controls" in out.read_text(encoding="utf-8")


def test_a_picture_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli.main(["graph", str(EXAMPLES), "--format", "png"]) == 2
    assert "--format png needs -o FILE" in capsys.readouterr().err


def test_text_formats_can_go_to_a_file_too(tmp_path: Path) -> None:
    out = tmp_path / "graph.dot"
    assert _cli.main(["graph", str(EXAMPLES), "--format", "dot", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == rm.load_dir(EXAMPLES).graph().to_dot()
