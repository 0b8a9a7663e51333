"""``python -m sphinxcontrib_lstmparams.myst``: the mystmd plugin, as ``lstm-params-myst``."""

import sys

from .plugin import main

sys.exit(main())
