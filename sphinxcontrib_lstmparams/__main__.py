"""``python -m sphinxcontrib_lstmparams``: the same as the ``lstm-params`` command."""

from .cli.main import main

raise SystemExit(main())
