# conf.py: group digits with a no-break space (4 457 472) instead of a comma
lstmparams_thousands_separator = "\N{NO-BREAK SPACE}"
