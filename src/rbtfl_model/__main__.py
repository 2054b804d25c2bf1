"""``python -m rbtfl_model``: the ``rbtfl`` command line."""

from rbtfl_model._cli import main

raise SystemExit(main())
