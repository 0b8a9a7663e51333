# conf.py: build every PyTorch and Keras layer of the site in the installed frameworks (without
# allocating weights) and warn where one disagrees with the page; the pages stay the same
lstmparams_verify = ["torch", "keras"]
