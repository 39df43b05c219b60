import openai


def test_key_roles_filter_retrieval_and_answers_carry_sources(serve, long_engine, grounding):
    server, store = serve(engines={"A": long_engine}, grounding=grounding)
    support, _ = store.create_key("sam", ["support"])
    finance, _ = store.create_key("fiona", ["finance"])
    q = [{"role": "user", "content": "Quel est le budget vélo et la marge vélo ?"}]
    support_reply = openai.OpenAI(base_url=server.url + "/v1", api_key=support).chat.completions.create(
        model="m", messages=q, max_tokens=3
    )
    sources = support_reply.model_extra["sources"]
    assert sources and not any("fin.md" in s for s in sources)  # never a finance passage for support
    assert any("support.md" in s for s in sources)
    stream = openai.OpenAI(base_url=server.url + "/v1", api_key=finance).chat.completions.create(
        model="m", messages=q, max_tokens=3, stream=True
    )
    chunks = list(stream)
    fin_sources = chunks[0].model_extra["sources"]
    assert any("fin.md" in s for s in fin_sources) and not any("support.md" in s for s in fin_sources)
    msgs = store.messages(support_reply.model_extra["conversation_id"])
    assert msgs[-1].sources == sources and msgs[-1].prompt == q  # stored prompt: the user's chat, not the passages
