"""Rewrite story files in place: add entities that inline links mention but `Entities:` lacks.

Usage:  python examples/rewrite_in_place.py [FILE ...]
Without arguments it works on a temporary copy of the bundled stories, never on the originals.
Each file is rewritten atomically and only the `Entities:` line changes; the diff is printed.
"""

from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
from pathlib import Path

import attrs

import rbtfl_model as rm

STORIES = Path(__file__).parent / "stories"


def add_linked_entities(story: rm.Story) -> rm.Story:
    """The story with an entity for every inline entity link not yet listed."""
    listed = set(story.entity_slugs)
    missing: list[rm.Entity] = []
    for link in story.entity_links:
        if link.slug not in listed:
            missing.append(rm.Entity(link.text))
            listed.add(link.slug or "")
    if not missing:
        return story
    return attrs.evolve(story, entities=(*story.entities, *missing))


def rewrite(path: Path) -> bool:
    """Fix *path* in place; say whether it changed."""
    before = path.read_bytes().decode("utf-8")
    story = rm.loads(before)
    fixed = add_linked_entities(story)
    if fixed == story:
        return False
    rm.dump(fixed, path)
    after = path.read_bytes().decode("utf-8")
    diff = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), str(path), str(path), n=0
    )
    sys.stdout.writelines(diff)
    return True


def main(argv: list[str]) -> int:
    if argv:
        paths = [Path(arg) for arg in argv]
        changed = sum(rewrite(path) for path in paths)
    else:
        with tempfile.TemporaryDirectory() as folder:
            paths = []
            for source in sorted(STORIES.glob("*.md")):
                paths.append(Path(shutil.copy(source, folder)))
            changed = sum(rewrite(path) for path in paths)
    print(f"{changed} of {len(paths)} files rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
