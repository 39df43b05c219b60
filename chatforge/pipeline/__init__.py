"""Whole pipelines (run.py), the model registry with promotion gates (registry.py) and the feedback loop (loop.py)."""
