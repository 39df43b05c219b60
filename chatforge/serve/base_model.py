"""No silent toy: a pretrained base without chat tuning is refused, or served only behind the verifier and gate.

    chatforge serve --model default --index IDX        # served; a warning on stderr says how
    chatforge serve --model default                    # refused: "... pass --index IDX or --allow-base-model"
    chatforge serve --model default --allow-base-model # served raw, with a warning

A base model continues text rather than answering: under a grounded prompt it repeats the system
prompt and the passages. `guard(cfg)` checks each served model (models/chat_tuning.py) before any
weights load. With an index, a base is served with verification and the index's gate forced on, so
what leaves is a supported sentence, a quoted passage or an abstention; without one it is refused
unless `allow_base_model`. A model generated elsewhere (`backend_url`) is not checked.
"""

from __future__ import annotations

from chatforge.errors import ConfigError
from chatforge.models.chat_tuning import chat_tuned
from chatforge.rag.gate import GATE_FILE
from chatforge.serve.exposure import public_name


class BaseModelRefused(ConfigError):
    """A base model asked to serve without an index and without --allow-base-model."""


def guard(cfg) -> list[str]:
    """Warnings to print at start-up; raises BaseModelRefused. May turn verification and the gate back on in `cfg.rag`."""
    if cfg.backend_url:
        return []
    warnings = []
    for opt, spec in (("--model", cfg.model), ("--model-b", cfg.model_b)):
        if spec is None:
            continue
        tuned, why = chat_tuned(spec)
        if tuned is not False:
            continue
        name = public_name(spec)
        if cfg.index is None:
            if not cfg.allow_base_model:
                raise BaseModelRefused(
                    f"{opt} {name}: {why}; it would repeat its prompt instead of answering. Serve a chat-tuned model "
                    "(the pipeline's: --model registry:NAME@production, or a `train sft` output), add --index IDX to "
                    "serve it only behind the verifier and the answerability gate, or pass --allow-base-model"
                )
            warnings.append(
                f"warning: {opt} {name}: {why}; served without checks because of --allow-base-model: "
                "expect it to continue the prompt rather than answer"
            )
            continue
        forced = []
        if not cfg.rag.verify.enabled:
            cfg.rag.verify.enabled = True
            forced.append("rag.verify.enabled")
        if not cfg.rag.gate:
            cfg.rag.gate = True
            forced.append("rag.gate")
        gate = (
            "the answerability gate of the index"
            if (cfg.index / GATE_FILE).is_file()
            else "no answerability gate yet (fit one: chatforge rag gate fit --index IDX --questions VALIDATION.jsonl)"
        )
        warnings.append(
            f"warning: {opt} {name}: {why}. It is served only behind the verifier (each answer sentence must be "
            f"supported by a passage, else a quoted passage or an abstention is sent) and {gate}"
            + (f"; turned back on: {', '.join(forced)}" if forced else "")
            + ". Serve a chat-tuned model for real answers."
        )
    return warnings
