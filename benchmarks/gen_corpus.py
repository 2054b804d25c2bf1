"""A deterministic generator of synthetic story corpora, made from the bundled stories.

Each generated story is one of the bundled stories with new values: a varied title, its own
slug and canonical URL, a date, takes drawn from every bundled take, metric numbers changed,
and related slugs and inline story links pointing at other stories of the same corpus. The
bundled file's layout (line endings, blank lines) is kept, so sizes follow the bundled ones.

    from benchmarks.gen_corpus import generate, write
    texts = generate(1000, seed=7)          # the same list for the same arguments
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import attrs

import rbtfl_model as rm

BUNDLED: Final = Path(__file__).resolve().parent.parent / "tests" / "data" / "valid"

ANGLES: Final = (
    "Analysis",
    "Update",
    "Explainer",
    "Week ahead",
    "Briefing",
    "Deep dive",
    "Follow-up",
    "Market view",
)
#: A story link in prose: ``/{locale}/n/{slug}``.
STORY_LINK_RE: Final = re.compile(r"(?P<prefix>/[a-z]{2}/n/)(?P<slug>[^)\s\"]+)")
DIGIT_RE: Final = re.compile(r"[0-9]")


def _templates() -> list[rm.Story]:
    paths = sorted(BUNDLED.glob("*.md"))
    if not paths:
        raise FileNotFoundError(f"no bundled stories in {BUNDLED}")
    return [rm.load(path) for path in paths]


def generate(n: int, seed: int = 0) -> list[str]:
    """*n* story texts, the same for the same *n* and *seed*; slugs are unique."""
    rng = random.Random(seed)
    templates = _templates()
    takes = [take for story in templates for take in story.takes]
    picks = [rng.randrange(len(templates)) for _ in range(n)]
    slugs = [f"{templates[t].slug}-{i:05d}" for i, t in enumerate(picks)]
    return [_story(templates[t], slugs[i], slugs, takes, rng) for i, t in enumerate(picks)]


def write(n: int, folder: Path, seed: int = 0) -> list[Path]:
    """Write :func:`generate`'s stories to *folder* as ``{slug}.md``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for text in generate(n, seed):
        story = rm.loads(text)
        path = folder / f"{story.slug}.md"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def _story(
    template: rm.Story,
    slug: str,
    slugs: Sequence[str],
    takes: Sequence[rm.Take],
    rng: random.Random,
) -> str:
    def relink(text: str | None) -> str | None:
        if text is None:
            return None
        return STORY_LINK_RE.sub(lambda m: m["prefix"] + rng.choice(slugs), text)

    def renumber(value: str) -> str:
        return DIGIT_RE.sub(lambda _: str(rng.randrange(10)), value)

    locale = template.locale or "en"
    lenses = tuple(
        # about as many takes as the template has, so sizes follow the bundled stories
        attrs.evolve(
            lens, takes=tuple(rng.sample(takes, max(1, len(lens.takes) + rng.randint(-1, 1))))
        )
        for lens in template.lenses
    )
    wanted = min(len(slugs) - 1, rng.randint(1, 4))
    related = [other for other in rng.sample(slugs, wanted + 1) if other != slug][:wanted]
    date = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(730))
    story = attrs.evolve(
        template,
        title=f"{rng.choice(ANGLES)}: {template.title}",
        meta=attrs.evolve(template.meta, date=date),
        summary=relink(template.summary),
        split=relink(template.split),
        why_it_matters=relink(template.why_it_matters),
        metrics=tuple(
            rm.Metric(renumber(m.value), relink(m.description) or "") for m in template.metrics
        ),
        lenses=lenses,
        related=tuple(related),
        canonical=f"https://rbtfl.xyz/{locale}/n/{slug}",
    )
    return rm.dumps(rm.recount(story))
