# conf.py: count by PyTorch's rules wherever a page does not say :framework:
lstmparams_default_framework = "pytorch"
