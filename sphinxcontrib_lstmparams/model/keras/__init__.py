"""Keras 3: its layer names, its summary layout and its printed text."""
