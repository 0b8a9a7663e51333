project = "Pages"
author = "Tests"
copyright = "2026, Tests"
extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
numfig = True
