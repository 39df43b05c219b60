"""Whole pipelines (run.py) and the feedback loop (loop.py); the model registry lives in chatforge/registry/."""
