"""The generations of one evaluation: each variant's append-only log (the resume point) and the variant that asks through it.

    chatforge eval --model A --testset FILE --out DIR     (OUT/generations/<variant>.jsonl)

A generation is keyed by (task, question): asking a variant the same question twice for the same task,
or again in a resumed run, reads it back instead of generating. `on_make` is told of each generation
actually made (eval/progress.py counts them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from chatforge.eval.answerers import Generation, as_generation


class GenerationLog:
    """Append-only JSONL of one variant's generations, keyed by (task, question); the resume point."""

    def __init__(self, path: Path, on_make: Callable[[], None] | None = None):
        self.path, self.on_make = path, on_make
        self.done: dict[str, dict] = {}
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                    self.done[row["key"]] = row
                except (json.JSONDecodeError, KeyError):
                    continue  # a line cut by an interruption is regenerated

    @staticmethod
    def key(task: str, question: str) -> str:
        return hashlib.sha256(f"{task}\0{question}".encode("utf-8")).hexdigest()[:20]

    def get_or_make(self, task: str, question: str, make: Callable[[], Generation]) -> Generation:
        k = self.key(task, question)
        if k in self.done:
            return Generation(self.done[k]["text"], self.done[k].get("stats") or {})
        gen = make()
        if self.on_make is not None:
            self.on_make()
        row = {"key": k, "task": task, "question": question, "text": gen.text, "stats": gen.stats}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.done[k] = row
        return gen

    def has(self, task: str, question: str) -> bool:
        return self.key(task, question) in self.done


class Variant:
    """One model with or without retrieval: asks questions through the log, fetching passages when needed."""

    def __init__(
        self,
        name: str,
        answerer,
        log: GenerationLog,
        retriever=None,
        roles: list[str] | None = None,
        passages: dict[str, list[dict]] | None = None,
    ):
        self.name, self.answerer, self.log, self.retriever, self.roles = name, answerer, log, retriever, roles
        self.passages = passages if passages is not None else {}
        self.rag = retriever is not None

    def passages_for(self, questions: list[str]) -> list[list[dict] | None]:
        if not self.rag:
            return [None] * len(questions)
        missing = [q for q in dict.fromkeys(questions) if q not in self.passages]
        if missing:
            for q, hits in zip(missing, self.retriever.search_many(missing, [self.roles] * len(missing))):
                self.passages[q] = hits
        return [self.passages[q] for q in questions]

    def ask(self, questions: list[str], task: str = "answer") -> list[Generation]:
        ctx = self.passages_for(questions)
        return [
            self.log.get_or_make(task, q, lambda q=q, p=p: as_generation(self.answerer(q, p)))
            for q, p in zip(questions, ctx)
        ]

    def answers(self, questions: list[str]) -> list[str]:
        return [g.text for g in self.ask(questions)]
