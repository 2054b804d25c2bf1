"""Notebook-style analysis of the bundled stories with pandas (needs `rbtfl-model[pandas]`).

Run:  python examples/notebook_analysis.py
"""

from __future__ import annotations

from pathlib import Path

import rbtfl_model as rm

STORIES = Path(__file__).parent / "stories"


def main() -> int:
    stories = [rm.load(path) for path in sorted(STORIES.glob("*.md"))]

    takes = rm.takes_frame(stories)
    print(f"{len(takes)} takes from {takes['slug'].nunique()} stories")
    print("\nTakes per lens:")
    print(takes.groupby("lens").size().sort_values(ascending=False).to_string())
    print("\nShare of takes with a quote, by region:")
    print(takes.groupby("region")["has_quote"].mean().round(2).to_string())

    metrics = rm.metrics_frame(stories)
    percent = metrics[metrics["unit"] == "%"]
    print(f"\n{len(metrics)} metrics, {len(percent)} of them in percent:")
    print(percent[["slug", "value", "low", "high", "approximate"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
