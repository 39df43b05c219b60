"""Degenerate output: answers that are not answers, whatever their overlap with the reference.

    chatforge eval --model A --testset FILE --out DIR   (report.json: degenerate; errors bucket `degenerate`)

Four kinds, each item flagged with every kind that applies (normalised tokens, text_metrics.py):
- `echo`: the answer repeats the question (it holds the question's token sequence, at least
  `ECHO_MIN` tokens, one token may be missing) or the system prompt (it shares a run of
  `PROMPT_RUN` consecutive tokens with it);
- `same_answer`: the answer (not an abstention) is identical or near-identical (the same tokens in
  the same order for a share >= `NEAR`, difflib's ratio) to the answer given to a different question (another paraphrase group, or another item
  when there is no group) whose reference differs (token F1 < `NEAR`): one answer for everything;
- `loop`: a repetition loop: an n-gram of `LOOP_N` tokens occurring `LOOP_TIMES` times or more,
  or, over 20 tokens or more, fewer than half of the trigrams distinct;
- `length`: the generation stopped at the token limit (`finish_reason == "length"`, or
  `new_tokens` reached `max_new_tokens`).
The suite's `value` is the share of items flagged; `counts` per kind, with examples.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from chatforge.text_metrics import token_f1, tokens

ECHO_MIN = 4
PROMPT_RUN = 8
NEAR = 0.9
LOOP_N, LOOP_TIMES = 4, 3
KINDS = ("echo", "same_answer", "loop", "length")


def _ngrams(toks: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)]


def echoes_question(answer: str, question: str) -> bool:
    """The answer holds the question's token sequence (one of its tokens may be missing)."""
    q, a = tokens(question), tokens(answer)
    if len(q) < ECHO_MIN or len(a) < len(q) - 1:
        return False
    if " ".join(q) in " ".join(a):
        return True
    need = len(q) - 1  # a sub-run of all but one token, in order
    grams = set(_ngrams(a, need))
    return any(tuple(q[:k] + q[k + 1 :]) in grams for k in range(len(q)))


def echoes_prompt(answer: str, prompts: list[str]) -> bool:
    a = set(_ngrams(tokens(answer), PROMPT_RUN))
    return bool(a) and any(a & set(_ngrams(tokens(p), PROMPT_RUN)) for p in prompts if p)


def loops(answer: str) -> bool:
    toks = tokens(answer)
    if len(toks) >= LOOP_N * LOOP_TIMES and Counter(_ngrams(toks, LOOP_N)).most_common(1)[0][1] >= LOOP_TIMES:
        return True
    tri = _ngrams(toks, 3)
    return len(toks) >= 20 and len(set(tri)) < 0.5 * len(tri)


def hit_length(stats: dict | None, max_new_tokens: int | None) -> bool:
    stats = stats or {}
    if stats.get("finish_reason") is not None:
        return stats["finish_reason"] == "length"
    n = stats.get("new_tokens")
    return bool(max_new_tokens) and isinstance(n, int) and n >= max_new_tokens


def near_identical(a: list[str], b: list[str]) -> bool:
    """Token sequences equal, or matching in order for a share >= NEAR (bags of words alike are not enough)."""
    if a == b:
        return True
    m = SequenceMatcher(None, a, b, autojunk=False)
    return m.quick_ratio() >= NEAR and m.ratio() >= NEAR


def question_key(item: dict, i: int) -> str:
    """Items asking the same thing share a key: their paraphrase group, else each item is its own."""
    return f"group:{item['paraphrase_group']}" if item.get("paraphrase_group") else f"item:{item.get('id', i)}"


def shared_answers(items: list[dict], answers: list[str], abstained: list[bool] | None = None) -> list[bool]:
    """True for an answer also given (identical or near) to a different question with a different reference."""
    abstained = abstained or [False] * len(answers)
    norm = [tokens(a) for a in answers]
    out = [False] * len(answers)
    reps: list[tuple[list[str], list[int]]] = []  # clusters of near-identical answers: (representative, members)
    for i, text in enumerate(norm):
        if not text or abstained[i]:
            continue
        for rep, members in reps:
            if near_identical(text, rep):
                members.append(i)
                break
        else:
            reps.append((text, [i]))
    for _, members in reps:
        if len(members) < 2:
            continue
        for i in members:
            for j in members:
                if (
                    question_key(items[i], i) != question_key(items[j], j)
                    and token_f1(items[i].get("answer", ""), items[j].get("answer", "")) < NEAR
                ):
                    out[i] = True
                    break
    return out


def degenerate_flags(
    items: list[dict],
    answers: list[str],
    stats: list[dict] | None = None,
    prompts: list[str] | None = None,
    max_new_tokens: int | None = None,
    abstained: list[bool] | None = None,
) -> list[list[str]]:
    """The degenerate kinds of each answer (empty list: a normal answer)."""
    stats = stats or [{}] * len(answers)
    same = shared_answers(items, answers, abstained)
    flags = []
    for i, (it, ans) in enumerate(zip(items, answers)):
        kinds = []
        if echoes_question(ans, it.get("question", "")) or echoes_prompt(ans, prompts or []):
            kinds.append("echo")
        if same[i]:
            kinds.append("same_answer")
        if loops(ans):
            kinds.append("loop")
        if hit_length(stats[i], max_new_tokens):
            kinds.append("length")
        flags.append(kinds)
    return flags


def degenerate_suite(items: list[dict], answers: list[str], flags: list[list[str]], max_examples: int = 3) -> dict:
    """{value (share of items flagged), flagged, counts per kind, examples per kind}."""
    counts = {k: sum(1 for f in flags if k in f) for k in KINDS}
    examples = {
        k: [
            {"id": it.get("id"), "question": it.get("question"), "answer": a[:300]}
            for it, a, f in zip(items, answers, flags)
            if k in f
        ][:max_examples]
        for k in KINDS
    }
    flagged = sum(1 for f in flags if f)
    return {
        "value": round(flagged / len(items), 4) if items else None,
        "flagged": flagged,
        "counts": counts,
        "examples": examples,
    }
