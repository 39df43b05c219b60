"""Evaluation stage: metrics, suites (consistency, robustness, bias, hallucination, A/B, errors, resources), runner, report, gate.

chatforge eval --model A [--model B ...] --testset FILE --out DIR [--index IDX --role R]
"""
