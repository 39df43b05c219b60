from chatforge.models.templates import GEMMA_TEMPLATE, ensure_chat_template, family, stop_token_ids
from chatforge.models.tiny import SAMPLE_TEXT, train_bpe_tokenizer

CONVO = [
    {"role": "system", "content": "Réponds en français."},
    {"role": "user", "content": "Bagage ?"},
    {"role": "assistant", "content": "25 euros."},
    {"role": "user", "content": "Et en cabine ?"},
    {"role": "assistant", "content": "Gratuit."},
]


def _tok():
    tok = train_bpe_tokenizer([SAMPLE_TEXT] * 10, 320)
    tok.bos_token = "<|endoftext|>"
    return tok


def test_gemma_template_layout_and_assistant_mask():
    tok = _tok()
    assert family("gemma3_text") == "gemma" and family("llama") == "generic"
    assert ensure_chat_template(tok, "gemma3_text") == "gemma" and tok.chat_template == GEMMA_TEMPLATE
    text = tok.apply_chat_template(CONVO, tokenize=False)
    assert text == (
        "<|endoftext|><start_of_turn>user\nRéponds en français.\n\nBagage ?<end_of_turn>\n"
        "<start_of_turn>model\n25 euros.<|endoftext|>\n"  # replies end with EOS (see templates.py)
        "<start_of_turn>user\nEt en cabine ?<end_of_turn>\n<start_of_turn>model\nGratuit.<|endoftext|>\n"
    )
    prompt = tok.apply_chat_template(CONVO[:2], tokenize=False, add_generation_prompt=True)
    assert prompt.endswith("Bagage ?<end_of_turn>\n<start_of_turn>model\n")
    enc = tok.apply_chat_template(CONVO, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    trained = tok.decode([i for i, m in zip(enc["input_ids"], enc["assistant_masks"]) if m])
    assert trained == "25 euros.<|endoftext|>Gratuit.<|endoftext|>"


def test_generic_template_and_own_template_kept():
    tok = _tok()
    assert ensure_chat_template(tok, "llama") == "generic"
    enc = tok.apply_chat_template(CONVO, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    assert (
        tok.decode([i for i, m in zip(enc["input_ids"], enc["assistant_masks"]) if m])
        == "25 euros.<|im_end|>Gratuit.<|im_end|>"
    )
    assert stop_token_ids(tok, "llama") == [tok.eos_token_id, tok.convert_tokens_to_ids("<|im_end|>")]
    tok.chat_template = "{{ messages[0]['content'] }}"
    assert ensure_chat_template(tok, "gemma3_text") == "tokenizer"
