"""``python -m sphinxcontrib_lstmparams``: the same as the ``lstm-params`` command."""

from .cli import main

raise SystemExit(main())
