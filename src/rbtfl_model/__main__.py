"""``python -m rbtfl_model``: the ``rbtfl`` command line."""

from rbtfl_model._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
