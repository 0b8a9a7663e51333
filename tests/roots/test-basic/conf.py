project = "Basic"
author = "Tests"
copyright = "2026, Tests"
version = release = "1.0"
extensions = ["sphinxcontrib_lstmparams"]
numfig = True
