"""PyTorch: the steps of ``forward``, torchinfo's summary layout and its printed text."""
