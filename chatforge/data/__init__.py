"""Data preparation: read conversations, FAQs and documents; clean, de-duplicate, redact, filter, split, format.

Run it with `chatforge data prepare INPUT... --out DIR`.
"""
