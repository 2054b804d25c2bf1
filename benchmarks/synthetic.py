"""A deterministic synthetic corpus made from the bundled example stories.

``generate(n, seed)`` returns *n* story texts. Story *i* is bundled story ``i % 6`` with:

- slug ``{bundled slug}-{i:05d}`` in its canonical URL, and `` #{i}`` after its title;
- exactly :data:`RELATED_PER_STORY` ``Related:`` links to other generated stories, chosen at
  random, plus one to ``gone-{i:05d}`` (not in the corpus) when ``i % 10 == 0``;
- each inline link to a bundled story pointing at a random generated copy of that story, so
  it keeps as many distinct inline story links as the bundled one (all inside the corpus);
- its metrics and each lens's takes rotated by a random amount.

Every text parses with ``rbtfl_model.loads``. The same *n* and *seed* give the same texts.

Command line: ``python benchmarks/synthetic.py N FOLDER [--seed S]`` writes the stories.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import sys
from pathlib import Path
from typing import Final, TypeVar

import attrs

import rbtfl_model as rm

__all__ = ["BUNDLED", "MISSING_EVERY", "RELATED_PER_STORY", "generate", "write"]

#: The bundled example stories the corpus is made from.
BUNDLED: Final = Path(__file__).resolve().parent.parent / "examples" / "stories"
RELATED_PER_STORY: Final = 3
MISSING_EVERY: Final = 10  # story i links to a missing target when i % MISSING_EVERY == 0

_T = TypeVar("_T")
_STORY_LINK_RE: Final = re.compile(r"(?<=/n/)(?P<slug>[^/?#\s)>]+)")


@functools.cache
def _bases() -> tuple[tuple[str, str], ...]:
    """The bundled stories' slugs and texts, in file name order."""
    bases: list[tuple[str, str]] = []
    for path in sorted(BUNDLED.glob("*.md")):
        story = rm.load(path)
        assert story.slug is not None, path
        bases.append((story.slug, path.read_bytes().decode("utf-8")))
    return tuple(bases)


def generate(n: int, seed: int = 0) -> list[str]:
    """*n* story texts, as the module docstring describes; *n* must be at least 6."""
    bases = _bases()
    if n < max(len(bases), RELATED_PER_STORY + 1):
        raise ValueError(f"n must be at least {len(bases)}, got {n}")
    rng = random.Random(seed)
    slugs = [f"{bases[i % len(bases)][0]}-{i:05d}" for i in range(n)]
    index = {slug: b for b, (slug, _) in enumerate(bases)}
    return [_story(i, slugs, index, rng) for i in range(n)]


def _story(i: int, slugs: list[str], index: dict[str, int], rng: random.Random) -> str:
    bases = _bases()
    base_slug, text = bases[i % len(bases)]

    def relink(match: re.Match[str]) -> str:
        b = index.get(match["slug"])
        if b is None:
            return match[0]
        copies = range(b, len(slugs), len(bases))
        return slugs[rng.choice(copies)]

    # relink every line but the canonical one, which gets the story's own slug below
    lines = text.splitlines(keepends=True)
    text = "".join(
        line if line.startswith("Canonical:") else _STORY_LINK_RE.sub(relink, line)
        for line in lines
    )
    story = rm.loads(text)
    # sample from the n - 1 other stories without building their list: O(1) per story
    others = rng.sample(range(len(slugs) - 1), RELATED_PER_STORY)
    related = tuple(slugs[j + (j >= i)] for j in others)
    if i % MISSING_EVERY == 0:
        related += (f"gone-{i:05d}",)
    assert story.canonical is not None
    story = attrs.evolve(
        story,
        title=f"{story.title} #{i}",
        canonical=story.canonical.replace(f"/n/{base_slug}", f"/n/{slugs[i]}"),
        related=related,
        metrics=_rotate(story.metrics, rng),
        lenses=tuple(attrs.evolve(lens, takes=_rotate(lens.takes, rng)) for lens in story.lenses),
    )
    return rm.dumps(story)


def _rotate(items: tuple[_T, ...], rng: random.Random) -> tuple[_T, ...]:
    if not items:
        return items
    k = rng.randrange(len(items))
    return items[k:] + items[:k]


def write(n: int, folder: Path, seed: int = 0) -> list[Path]:
    """Write ``generate(n, seed)`` into *folder* as ``{slug}.md``; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for text in generate(n, seed):
        slug = rm.loads(text).slug
        path = folder / f"{slug}.md"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="how many stories")
    parser.add_argument("folder", type=Path, help="where to write them")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write(args.n, args.folder, args.seed)
    print(f"wrote {len(paths)} stories to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
