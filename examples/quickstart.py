"""Quickstart: load the bundled example story, list its takes by lens, edit, write back.

Run from the project root:  python examples/quickstart.py
The bundled stories are never modified: the edited story is written to a temporary folder.
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

import attrs

import rbtfl_model as rm

STORIES = Path(__file__).parent / "stories"


def main() -> int:
    path = STORIES / "china-rare-earth-japan-controls.md"
    story = rm.load(path)
    print(f"{story.title}")
    print(f"  slug={story.slug} locale={story.locale} date={story.meta.date}")
    for lens in story.lenses:
        print(f"  [{lens.name}]")
        for take in lens.takes:
            quoted = "quote" if take.quote else "no quote"
            print(f"    {take.outlet} ({take.region}, {take.language}) - {quoted}")

    # Change one value; everything else is written back exactly as it was.
    first = story.lenses[0]
    take = attrs.evolve(first.takes[0], quote="A shorter quote.")
    lens = attrs.evolve(first, takes=(take, *first.takes[1:]))
    edited = attrs.evolve(story, lenses=(lens, *story.lenses[1:]))

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / path.name
        rm.dump(edited, target)
        before = path.read_text(encoding="utf-8").splitlines(keepends=True)
        after = target.read_text(encoding="utf-8").splitlines(keepends=True)
    diff = list(difflib.unified_diff(before, after, "before", "after", n=0))
    sys.stdout.writelines(diff)
    print(
        f"\n{len(story.takes)} takes in {len(story.lenses)} lenses; edited lines: "
        f"{sum(1 for line in diff if line.startswith('+') and not line.startswith('+++'))}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
