project = "I18n"
extensions = ["sphinxcontrib_lstmparams"]
