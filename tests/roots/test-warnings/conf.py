project = "Warnings"
extensions = ["sphinxcontrib_lstmparams"]
