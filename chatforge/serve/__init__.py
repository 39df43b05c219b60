"""Serving: an OpenAI-compatible API and a web chat with keys, roles, RAG, A/B routing, feedback and metrics."""
