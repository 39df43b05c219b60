import openai
import pytest

from chatforge.rag.ingest import ingest


@pytest.fixture(scope="module")
def role_index(tmp_path_factory):
    kb = tmp_path_factory.mktemp("kb")
    (kb / "access.yaml").write_text(
        'rules:\n  - glob: "pub.md"\n    roles: [public, support, finance]\n  - glob: "support.md"\n    roles: [support]\n'
        '  - glob: "fin.md"\n    roles: [finance]\n', encoding="utf-8")
    (kb / "pub.md").write_text("# Vélo\n\nUn vélo voyage en soute pour 50 euros par vol.\n", encoding="utf-8")
    (kb / "support.md").write_text("# Vélo support\n\nUn vélo abîmé se déclare au comptoir bagages sous 7 jours.\n", encoding="utf-8")
    (kb / "fin.md").write_text("# Vélo budget\n\nLe budget vélo interne est de 90 000 euros, marge vélo 12 %.\n", encoding="utf-8")
    idx = tmp_path_factory.mktemp("idx") / "idx"
    ingest([kb], idx, progress=False)
    return idx


def test_key_roles_filter_retrieval_and_answers_carry_sources(serve, long_engine, role_index):
    from chatforge.serve.grounding import Grounding

    grounding = Grounding(role_index)
    try:
        server, store = serve(engines={"A": long_engine}, grounding=grounding)
        support, _ = store.create_key("sam", ["support"])
        finance, _ = store.create_key("fiona", ["finance"])
        q = [{"role": "user", "content": "Quel est le budget vélo et la marge vélo ?"}]
        support_reply = openai.OpenAI(base_url=server.url + "/v1", api_key=support).chat.completions.create(
            model="m", messages=q, max_tokens=3)
        sources = support_reply.model_extra["sources"]
        assert sources and not any("fin.md" in s for s in sources)  # never a finance passage for support
        assert any("support.md" in s for s in sources)
        stream = openai.OpenAI(base_url=server.url + "/v1", api_key=finance).chat.completions.create(
            model="m", messages=q, max_tokens=3, stream=True)
        chunks = list(stream)
        fin_sources = chunks[0].model_extra["sources"]
        assert any("fin.md" in s for s in fin_sources) and not any("support.md" in s for s in fin_sources)
        msgs = store.messages(support_reply.model_extra["conversation_id"])
        assert msgs[-1].sources == sources and msgs[-1].prompt == q  # stored prompt: the user's chat, not the passages
    finally:
        grounding.close()
