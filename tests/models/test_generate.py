import math

from chatforge.models.generate import chat_loop, stream
from chatforge.models.load import load_model
from chatforge.models.perplexity import perplexity, perplexity_of_ids, token_stream


def test_stream_yields_pieces_and_stats(tiny_dir):
    model, tok = load_model(tiny_dir)
    stats: dict = {}
    pieces = list(stream(model, tok, prompt="Hirondelle Air flies", max_new_tokens=8, stats=stats))
    assert stats["prompt_tokens"] > 0 and 1 <= stats["new_tokens"] <= 8
    assert "".join(pieces) == "".join(pieces).strip("\x00")  # plain text
    sampled = list(stream(model, tok, prompt="Hirondelle", max_new_tokens=4, temperature=0.8, seed=1))
    assert sampled == list(stream(model, tok, prompt="Hirondelle", max_new_tokens=4, temperature=0.8, seed=1))


def test_chat_loop_keeps_the_conversation(tiny_dir, monkeypatch):
    model, tok = load_model(tiny_dir)
    seen = []
    import chatforge.models.generate as gen

    real = gen.stream

    def spy(model, tokenizer, **kw):
        seen.append([m["content"] for m in kw["messages"]])
        yield from real(model, tokenizer, **kw)

    monkeypatch.setattr(gen, "stream", spy)
    lines = iter(["Bonjour", "", "Et le bagage ?", "/exit"])
    out = []
    messages = chat_loop(model, tok, lambda: next(lines), out.append, system="Sois bref.", max_new_tokens=4)
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant"]
    assert seen[1][:3] == ["Sois bref.", "Bonjour", messages[2]["content"]]


def test_perplexity_of_uniform_model_is_vocabulary_size(tiny_dir):
    import torch

    model, tok = load_model(tiny_dir)
    with torch.no_grad():  # zero output layer: every token equally likely
        model.lm_head.weight = torch.nn.Parameter(torch.zeros_like(model.lm_head.weight))
    ids = token_stream(tok, ["Hirondelle Air flies to Nice.", "Le vol part de Nantes."])
    assert ids.count(tok.eos_token_id) == 2
    r = perplexity_of_ids(model, ids, context=8)
    assert math.isclose(r["perplexity"], len(tok), rel_tol=1e-4)
    assert r["tokens"] == len(ids) - math.ceil(len(ids) / 8)  # first token of each window is not predicted
    assert math.isclose(perplexity(model, tok, ["Hirondelle Air"], context=8)["perplexity"], len(tok), rel_tol=1e-4)
