"""chatforge: build a specialised chatbot from an open LLM and your own data, prove it is better, deploy it, improve it."""

__version__ = "0.1.0"
