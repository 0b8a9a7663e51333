extensions = ["sphinxcontrib_lstmparams"]
