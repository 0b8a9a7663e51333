project = "Hostile"
author = "Tests"
extensions = ["sphinxcontrib_lstmparams", "myst_parser"]
numfig = True
latex_documents = [
    ("index", "hostile.tex", "Hostile", "Tests", "howto"),
    ("rtl", "rtl.tex", "RTL", "Tests", "howto"),
]
man_pages = [("index", "hostile", "Hostile", ["Tests"], 1), ("rtl", "rtl", "RTL", ["Tests"], 1)]
