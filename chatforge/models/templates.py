"""Chat templates: the tokenizer's own when it has one, else a documented template for the model family.

Templates are Jinja, applied with `tokenizer.apply_chat_template`. Ours wrap each
assistant reply in `{% generation %}...{% endgeneration %}`, so
`apply_chat_template(..., return_assistant_tokens_mask=True, return_dict=True)`
marks exactly the tokens later stages train on (the reply and its end-of-turn marker).

Gemma (the default base ships without a template), as in Google's Gemma 3 format:

    <bos><start_of_turn>user
    {system}

    {user}<end_of_turn>
    <start_of_turn>model
    {assistant}<eos>

The system prompt, which Gemma has no role for, opens the first user turn. A reply ends with
`<eos>`, not Gemma's `<end_of_turn>`: a tokenizer without a template is a pretrained (not
instruction-tuned) checkpoint, whose turn markers were never trained. In the default base the
`<end_of_turn>` embedding sits at cosine 0.995 from hundreds of `<unusedN>` rows, and the output
layer is tied to those embeddings, so a LoRA fine-tune cannot learn to emit it: greedy decoding
picks a neighbour ("mobilpay", "Казіно") and runs on. `<eos>` is a trained token and a stop
token. Gemma instruction-tuned tokenizers carry their own template, which is used as it is.
Every other family without a template gets the generic ChatML-style layout
`<|im_start|>{role}\\n{content}<|im_end|>\\n`.
"""

from __future__ import annotations

GEMMA_TEMPLATE = (
    "{{ bos_token }}"
    "{% set ns = namespace(system='') %}"
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{% set ns.system = message['content'] + '\n\n' %}"
    "{% elif message['role'] == 'user' %}"
    "{{ '<start_of_turn>user\n' + ns.system + message['content'] + '<end_of_turn>\n' }}{% set ns.system = '' %}"
    "{% else %}"
    "{{ '<start_of_turn>model\n' }}{% generation %}{{ message['content'] + eos_token }}{% endgeneration %}{{ '\n' }}"
    "{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{% endif %}"
)

GENERIC_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'assistant' %}"
    "{{ '<|im_start|>assistant\n' }}{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\n' }}"
    "{% else %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# Strings that end an assistant turn, per template: generation stops on them.
END_OF_TURN = {"gemma": "<end_of_turn>", "generic": "<|im_end|>"}


def family(model_type: str | None) -> str:
    """Template family for a `config.model_type`."""
    return "gemma" if (model_type or "").startswith("gemma") else "generic"


def ensure_chat_template(tokenizer, model_type: str | None) -> str:
    """Give `tokenizer` a chat template if it has none; return where it came from ("tokenizer" or the family)."""
    if getattr(tokenizer, "chat_template", None):
        return "tokenizer"
    fam = family(model_type)
    tokenizer.chat_template = GEMMA_TEMPLATE if fam == "gemma" else GENERIC_TEMPLATE
    return fam


def stop_token_ids(tokenizer, model_type: str | None) -> list[int]:
    """Token ids that end a reply: EOS plus the family's end-of-turn marker when it is one token."""
    ids = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    marker = END_OF_TURN[family(model_type)]
    marker_id = tokenizer.convert_tokens_to_ids(marker)
    if isinstance(marker_id, int) and marker_id != tokenizer.unk_token_id and marker_id not in ids:
        ids.append(marker_id)
    return ids
