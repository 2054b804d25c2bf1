"""Load a generated corpus with a process pool, and print the speed-up over one process.

Run from the project root:  python examples/parallel_load.py [N_STORIES]

``loads`` holds no state between calls and stories pickle to equal objects, so any process
pool can parse story files: ``concurrent.futures`` here; Dask, Spark or Ray the same way.

Parsing is fast (about a tenth of a millisecond a story), and pickling a story back to the
parent costs about as much as parsing it. So each worker here does the per-story work too
(links, validation) and sends back only the results; a pool pays off for that kind of job.
"""

from __future__ import annotations

import concurrent.futures
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for benchmarks.synthetic

import rbtfl_model as rm
from benchmarks.synthetic import write

Result = tuple[str, int, tuple[str, ...]]  # slug, number of links, diagnostic codes


def analyse(paths: Sequence[Path]) -> list[Result]:
    """One worker's share: parse its files, find links, validate; return small results."""
    results = []
    for path in paths:
        story = rm.load(path)
        codes = tuple(diagnostic.code for diagnostic in rm.validate(story))
        results.append((story.slug or path.stem, len(story.links), codes))
    return results


def parallel(paths: Sequence[Path], workers: int) -> list[Result]:
    """Parse *paths* in *workers* processes, in chunks, keeping the files' order."""
    size = max(1, len(paths) // (workers * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        return [result for part in pool.map(analyse, chunks) for result in part]


def main(argv: Sequence[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 4000
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="rbtfl-parallel-") as tmp:
        paths = write(n, Path(tmp), seed=1)
        start = time.perf_counter()
        sequential = analyse(paths)
        one = time.perf_counter() - start
        start = time.perf_counter()
        results = parallel(paths, workers)
        many = time.perf_counter() - start
    if results != sequential:  # the same results, in the same order
        print("parallel results differ from sequential ones", file=sys.stderr)
        return 1
    links = sum(count for _, count, _ in results)
    print(f"{n} stories, {workers} worker processes, {links} links: the same results")
    print(f"sequential: {one:.3f} s")
    print(f"parallel:   {many:.3f} s")
    print(f"speed-up:   {one / many:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
