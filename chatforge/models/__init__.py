"""Base models: loading (hub id, folder, GGUF, the packaged default), chat templates, memory sizing, generation.

chatforge models inspect default --json
chatforge models recommend default --json
chatforge generate --model default --prompt "Bonjour"
"""
