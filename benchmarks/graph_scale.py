"""Is building the story graph linear? Time it at 1,000 and 10,000 synthetic stories.

Writes each corpus (see ``synthetic.py``) into a temporary folder, then times, in this one
process: ``load_dir`` (parsing), the first ``graph()`` (which finds every story's links with
mistletoe) and a second ``graph()`` over the same corpus (links cached: the indexing alone).
Prints milliseconds per story at each size and the 10k/1k ratio, which is about 1 when the
cost per story does not grow with the corpus. Each step is timed ``--repeat`` times and the
fastest kept, as the machine is shared.

Run from the project root:  python benchmarks/graph_scale.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

import rbtfl_model as rm
from benchmarks.synthetic import write

_T = TypeVar("_T")
STEPS = ("load_dir", "graph", "graph (links cached)", "total")


def best_of(repeat: int, run: Callable[[], _T]) -> tuple[float, _T]:
    """The fastest of *repeat* runs of *run*, in seconds, and the last result."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure(n: int, repeat: int, seed: int) -> dict[str, float]:
    """Seconds per story for each step over a synthetic corpus of *n* stories."""
    with tempfile.TemporaryDirectory() as folder:
        write(n, Path(folder), seed)
        load_time, _ = best_of(repeat, lambda: rm.load_dir(folder))

        def fresh_graph() -> rm.StoryGraph:
            return rm.load_dir(folder).graph()  # new stories: their links are not found yet

        corpus = rm.load_dir(folder)
        graph_time, _ = best_of(1, corpus.graph)  # the first build finds the links
        cached_time, graph = best_of(repeat, corpus.graph)
        assert len(graph.nodes()) == n
        total_time, _ = best_of(repeat, fresh_graph)
    return {
        "load_dir": load_time / n,
        "graph": graph_time / n,
        "graph (links cached)": cached_time / n,
        "total": total_time / n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    results = {n: measure(n, args.repeat, args.seed) for n in args.sizes}
    print(f"{'step':<22}" + "".join(f"{f'{n:,} ms/story':>18}" for n in args.sizes) + "   ratio")
    first, last = args.sizes[0], args.sizes[-1]
    for step in STEPS:
        cells = "".join(f"{results[n][step] * 1e3:>18.4f}" for n in args.sizes)
        print(f"{step:<22}{cells}   {results[last][step] / results[first][step]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
