"""The LM head at labelled positions only (models/label_logits.py) gives the full-logits loss and gradients.

Checked against the model's own full-logits forward within 1e-5: the loss and a LoRA weight's gradient
(plain and softcapped tied head, tiles narrower than the vocabulary), TRL's SFTTrainer loss after
`score_labelled_only` (and that its head then sees only the labelled rows), DPO/KTO answer
log-probabilities, the pretraining loss and perplexity.
"""

from __future__ import annotations

import pytest
import torch

from chatforge.models.label_logits import label_logprobs, label_nll, score_labelled_only

TOL = 1e-5


def _lora(model):
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(1)
    peft = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], lora_dropout=0.0))
    for name, p in peft.named_parameters():  # LoRA B starts at zero: give it values so its gradient is not trivial
        if "lora_B" in name:
            torch.nn.init.normal_(p, std=0.02)
    return peft


def _models():
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig, LlamaConfig, LlamaForCausalLM

    small = dict(
        vocab_size=1000,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
    )
    torch.manual_seed(0)
    yield "llama", LlamaForCausalLM(LlamaConfig(**small))
    torch.manual_seed(0)  # Gemma 3 as the default model has it: tied head, plus a logit softcap to cover that path
    yield (
        "gemma3",
        Gemma3ForCausalLM(Gemma3TextConfig(**small, head_dim=8, final_logit_softcapping=5.0, tie_word_embeddings=True)),
    )


def _batch():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, 1000, (3, 24), generator=g)
    mask = torch.ones_like(ids)
    mask[1, 17:] = 0  # right padding
    labels = ids.masked_fill(mask == 0, -100)
    labels[:, :6] = -100  # a prompt without labels
    return ids, mask, labels


def _grad(model, loss) -> torch.Tensor:
    model.zero_grad()
    loss.backward()
    return next(p.grad.clone() for n, p in model.named_parameters() if "lora_B" in n)


@pytest.mark.parametrize("family", ["llama", "gemma3"])
def test_loss_and_lora_gradient_equal_full_logits(family):
    model = _lora(dict(_models())[family])
    ids, mask, labels = _batch()
    full = model(input_ids=ids, attention_mask=mask, labels=labels).loss  # transformers' own loss on full logits
    full_grad = _grad(model, full)
    logp, kept = label_logprobs(model, ids, labels, mask, vocab_chunk=96)  # 11 tiles across the 1,000 columns
    ours = -logp.sum() / kept.sum()
    assert logp.shape == (int((labels[:, 1:] != -100).sum()),)
    assert abs(ours.item() - full.item()) < TOL
    assert torch.allclose(_grad(model, ours), full_grad, atol=TOL, rtol=1e-4)
    assert full_grad.abs().max() > 1e-4  # the gradient compared is not zero


def test_trl_sft_loss_unchanged_and_head_sees_labelled_rows_only(tmp_path, monkeypatch):
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer
    from trl.trainer import utils as trl_utils

    from chatforge.models.load import load_model
    from chatforge.models.tiny import build_tiny_model
    from chatforge.train import peft_setup

    chats = [
        [
            {"role": "system", "content": "Tu es l'assistant de la compagnie, poli et bref."},
            {"role": "user", "content": f"Combien coute le bagage numero {i} ?"},
            {"role": "assistant", "content": f"Il coute {20 + i} euros."},
        ]
        for i in range(8)
    ]
    base = build_tiny_model(
        tmp_path / "base",
        [m["content"] for c in chats for m in c] * 5,
        n_layer=2,
        n_embd=32,
        n_head=4,
        context_length=128,
    )
    model, tok = load_model(base)
    args = SFTConfig(
        output_dir=str(tmp_path / "out"),
        per_device_train_batch_size=4,
        max_length=64,
        assistant_only_loss=True,
        use_cpu=True,
        report_to=[],
        seed=0,
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        processing_class=tok,
        train_dataset=Dataset.from_list([{"messages": c} for c in chats]),
        peft_config=peft_setup.lora_config("lora", "llama", 4, 8, 0.0),
    )
    trainer.model.train()
    batch = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    labels = batch["labels"]
    target = labels[:, 1:]

    rows = []
    real = trl_utils._ChunkedLogProbFunction

    class Counting:  # TRL's own function, counting the rows its LM head projects
        @staticmethod
        def apply(hidden, *rest):
            rows.append(hidden.shape[0])
            return real.apply(hidden, *rest)

    monkeypatch.setattr(trl_utils, "_ChunkedLogProbFunction", Counting)
    for name in ("_use_triton", "_CHUNKED_LOGPROB_CHUNK_SIZE"):  # restored after the test
        monkeypatch.setattr(trl_utils, name, getattr(trl_utils, name))
    score_labelled_only("cpu")
    loss = trainer.compute_loss(trainer.model, dict(batch))
    grad = _grad(trainer.model, loss)

    logits = trainer.model(**{k: v for k, v in batch.items() if k != "labels"}).logits[:, :-1].float()
    full = torch.nn.functional.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100)
    assert rows == [int((target != -100).sum())]  # the head ran on the assistant tokens alone
    assert rows[0] < target.numel() / 2  # system and user turns are most of the positions here
    assert abs(loss.item() - full.item()) < TOL
    assert torch.allclose(grad, _grad(trainer.model, full), atol=TOL, rtol=1e-4)


def test_answer_logprobs_equal_full_logits(pref_base):
    from chatforge.models.load import load_model
    from chatforge.train.dpo import answer_logprobs

    model, tok = load_model(pref_base)
    prompts = [[{"role": "user", "content": "Which gate?"}], [{"role": "user", "content": "Bags?"}]]
    answers = [[{"role": "assistant", "content": "Gate 12, level 2."}], [{"role": "assistant", "content": "One."}]]
    expected = []
    for prompt, answer in zip(prompts, answers):  # the full-logits computation dpo.py did before
        head = tok.apply_chat_template(prompt, tokenize=True, add_generation_prompt=True, return_dict=True)["input_ids"]
        full = tok.apply_chat_template(prompt + answer, tokenize=True, return_dict=True)["input_ids"]
        ids = torch.tensor([list(full)])
        with torch.no_grad():
            logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1).gather(1, ids[0, 1:, None])[:, 0]
        expected.append(logp[len(head) - 1 :].sum().item())
    got = answer_logprobs(model, tok, prompts, answers)
    assert all(abs(g - e) < TOL for g, e in zip(got, expected)), (got, expected)


def test_pretrain_loss_and_perplexity_equal_full_logits():
    from chatforge.models.perplexity import perplexity_of_ids

    _, model = next(_models())
    x = torch.randint(0, 1000, (4, 32), generator=torch.Generator().manual_seed(2))
    full = model(input_ids=x, labels=x).loss  # what pretrain.py computed before
    full_grad = torch.autograd.grad(full, model.model.layers[0].mlp.up_proj.weight)[0]
    ours = label_nll(model, x, x)
    ours_grad = torch.autograd.grad(ours, model.model.layers[0].mlp.up_proj.weight)[0]
    assert abs(ours.item() - full.item()) < TOL
    assert torch.allclose(ours_grad, full_grad, atol=TOL, rtol=1e-4)

    ids = x.flatten().tolist()[:100]  # windows of 32: three full ones and a short last one, padded in its batch
    got = perplexity_of_ids(model, ids, context=32, batch_size=4)
    nll, n = 0.0, 0
    with torch.no_grad():
        for w in (ids[i : i + 32] for i in range(0, len(ids), 32)):
            t = torch.tensor([w])
            nll += torch.nn.functional.cross_entropy(
                model(input_ids=t).logits[0, :-1], t[0, 1:], reduction="sum"
            ).item()
            n += len(w) - 1
    assert got["tokens"] == n
    assert abs(got["loss"] - nll / n) < TOL
