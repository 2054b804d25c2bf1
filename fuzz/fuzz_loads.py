"""Coverage-guided fuzzing of ``loads`` with atheris; see ``fuzz/README.md``.

For every input: ``loads`` either raises ``ParseError`` or returns a story that ``dumps``
writes back exactly, whose links and validation never raise, which a few edits (title,
deck, recount) leave writable and readable back as the edited story, and which (recounted
or not) dumps canonically and reads back the same.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import attrs
    import mistletoe  # noqa: F401  # instrumented too: links run its inline parser

    import rbtfl_model as rm


def check(data: str | bytes) -> None:
    """Raise AssertionError (or let an unexpected exception out) if a property fails."""
    try:
        story = rm.loads(data)
    except rm.ParseError as exc:
        if exc.line < 1 or exc.column < 1:
            raise AssertionError(f"position out of range: {exc}") from exc
        str(exc)  # formatting the message must not raise either
        return
    text = data if isinstance(data, str) else data.decode("utf-8")
    dumped = rm.dumps(story)
    assert dumped == text, (text, dumped)
    story.links  # noqa: B018  # the property's work is the check
    rm.validate(story)
    # edits re-render some blocks and merge them into the parsed layout
    for edited in (
        attrs.evolve(story, title=story.title + " x"),
        attrs.evolve(story, deck="new deck"),
        rm.recount(story),
    ):
        assert rm.loads(rm.dumps(edited)) == edited
    # closure: what loads accepts, recount and a canonical dump keep
    for each in (story, rm.recount(story)):
        assert rm.loads(rm.dumps(each, canonical=True)) == each


def test_one_input(data: bytes) -> None:
    check(data)
    # The same bytes as str: undecodable bytes become lone surrogates, which must be
    # refused with ParseError rather than parsed into a story dump could not write.
    check(data.decode("utf-8", "surrogateescape"))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
