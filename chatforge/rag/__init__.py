"""Knowledge grounding: chunk documents, embed them, index them in Qdrant with per-role access,
retrieve with hybrid search, and build grounded prompts with numbered citations.

    chatforge rag ingest DOCS... --index IDX
    chatforge rag query TEXT --index IDX --role R --json
    chatforge rag eval --index IDX --testset FILE --json
"""
