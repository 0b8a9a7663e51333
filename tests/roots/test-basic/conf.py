extensions = ["sphinxcontrib_lstmparams"]
numfig = True
