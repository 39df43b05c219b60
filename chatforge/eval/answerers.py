"""The models under evaluation, seen as answerers: (question, passages or None) -> Generation.

    chatforge eval --model A [--model B ...] --testset FILE --out DIR [--index IDX --role R]

Anything callable as `answerer(question, passages)` can be evaluated and may return a plain
string or a `Generation`; the runner (runner.py) never needs more. `HFAnswerer` wraps a model
`chatforge.models.load.load_model` accepts: without passages it sends the question under a
short system prompt; with passages it goes through the grounding path of `chatforge rag ask` and the
server (rag/grounding.py: the same messages, FAQ few-shot under the evaluated roles included, the
answerability gate when the index has one, then verification of the reply); the Generation's stats
then carry `grounding` (abstained, verified, support, citations, removed_sentences), `gate` and the
model's `raw` reply.
Optional extras the runner uses when present: `classify(question, labels)` for the intent
task, and `model` / `tokenizer` attributes for perplexity on the references.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chatforge.text_metrics import normalize

DEFAULT_SYSTEM = (
    "You are the customer assistant of the organisation. Answer in the language of the question, "
    "briefly and precisely. If you do not know, say that you do not have the information."
)


@dataclass
class Generation:
    text: str
    stats: dict = field(default_factory=dict)  # seconds, ttft_s, new_tokens, tokens_per_s (models/generate.py)


def as_generation(out) -> Generation:
    return out if isinstance(out, Generation) else Generation(str(out or ""))


def match_label(output: str, labels: list[str]) -> str:
    """The label named earliest in a model's output (normalised, `_` read as a space), else "unknown"."""
    text = f" {normalize(output)} "
    found = [(text.find(f" {normalize(lab.replace('_', ' '))} "), lab) for lab in labels]
    found = [(pos, lab) for pos, lab in found if pos >= 0]
    return min(found)[1] if found else "unknown"


class HFAnswerer:
    """A causal LM with its chat template; greedy by default so every answer can be reproduced."""

    def __init__(
        self,
        spec: str,
        max_new_tokens: int = 96,
        temperature: float = 0.0,
        system: str = DEFAULT_SYSTEM,
        prompt_cfg=None,
        device: str | None = None,
        model=None,
        tokenizer=None,
        grounding=None,
        roles: list[str] | None = None,
    ):
        if model is None:
            from chatforge.models.load import load_model

            model, tokenizer = load_model(spec, device=device)
        self.name, self.model, self.tokenizer = spec, model, tokenizer
        self.max_new_tokens, self.temperature, self.system, self.prompt_cfg = (
            max_new_tokens,
            temperature,
            system,
            prompt_cfg,
        )
        # rag.grounding.GroundingBuilder (the runner's, over its retriever) and the roles the passages were read under
        self.grounding, self.roles = grounding, list(roles or [])

    def _generate(self, messages: list[dict], max_new_tokens: int) -> Generation:
        from chatforge.models.generate import stream

        stats: dict = {}
        text = "".join(
            stream(
                self.model,
                self.tokenizer,
                messages=messages,
                max_new_tokens=max_new_tokens,
                temperature=self.temperature,
                seed=0 if self.temperature > 0 else None,
                stats=stats,
            )
        )
        return Generation(text.strip(), stats)

    def __call__(self, question: str, passages: list[dict] | None = None) -> Generation:
        if passages is None:
            messages = ([{"role": "system", "content": self.system}] if self.system else []) + [
                {"role": "user", "content": question}
            ]
            return self._generate(messages, self.max_new_tokens)
        if self.grounding is None:
            from chatforge.rag.grounding import GroundingBuilder

            self.grounding = GroundingBuilder(self.prompt_cfg)
        prompt = self.grounding.build(question, passages, self.roles)
        gen = Generation("") if prompt.abstain else self._generate(prompt.messages, self.max_new_tokens)
        answer = self.grounding.finish(prompt, gen.text)
        return Generation(
            answer.text, {**gen.stats, "grounding": answer.grounding(), "gate": prompt.gate, "raw": gen.text}
        )

    def classify(self, question: str, labels: list[str]) -> str:
        prompt = (
            f"Classify the customer's question into exactly one of these intents: {', '.join(labels)}.\n"
            f"Reply with the intent only.\n\nQuestion: {question}"
        )
        return match_label(self._generate([{"role": "user", "content": prompt}], 8).text, labels)
