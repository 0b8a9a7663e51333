extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
