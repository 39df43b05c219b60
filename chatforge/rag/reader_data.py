"""Reader training data: training Q&A turned into the grounded conversations the server will build.

    chatforge rag reader-data runs/data --index IDX --out runs/reader [--testset TESTSET.jsonl] [--unanswerable FILE]
    chatforge train sft --data runs/reader ...

Each training question (the last user turn of a prepared conversation, a FAQ pair, a pair of `data synth`'s
pairs.jsonl, whose `split` is kept and whose test pairs are left out) is
retrieved under the role of its source document (the record's `roles`, else its `doc_id`'s first role in the
index, else `default_role`) and its prompt is built by rag/grounding.py's `GroundingBuilder.build`, the
builder `rag ask`, `serve` and `eval` use: same system template, numbered passages, few-shot and history.
The target is the reference answer as the verifier (rag/verify.py) keeps it against those passages: its
unsupported sentences (greetings, links) dropped, each kept sentence citing `[n]` of the passage that holds
it. The mixture, per question:

- `grounded`: the retrieved passages (the gold among distractors, order shuffled so the gold is not
  always [1]) and the cited answer; a question whose answer no retrieved passage supports is skipped;
- `abstain_no_gold`: for a share `no_gold_share` of them, the same question with every passage that
  supports the answer removed (the next retrieved ones fill in), the target the abstention sentence in
  the question's language (verify.py's `abstain_en` / `abstain_fr`, the sentence the server answers with);
- `distractor_only`: for a share `distractor_share`, the question with the passages of another question
  from another document, readable under the same roles, that do not support its answer -> abstention;
- `unanswerable`: questions of `--unanswerable FILE`, retrieved as served -> abstention.

General replay stays with `train sft --replay`. A question that is also in `--testset` (same words, or a
word-set Jaccard of at least `testset_overlap`) is not used. Prepared folders keep their train / val split;
single files are split by a hash of the question. OUT gets train.jsonl, val.jsonl, config.yaml and
metrics.json (counts per split and kind, what was skipped and why, input hashes), and (`preferences`, on by
default) preferences/train.jsonl and val.jsonl: grounded preference pairs for `train dpo` on the same prompts
(rag/reader_prefs.py).
"""

from __future__ import annotations

import random
import time
import zlib
from collections import Counter
from pathlib import Path

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.data.chat_readers import read_jsonl
from chatforge.data.jsonl import write_jsonl
from chatforge.data.records import Rejection
from chatforge.errors import InputError
from chatforge.output import progress_bar, stderr
from chatforge.provenance import record_run
from chatforge.rag.prompt import PromptConfig
from chatforge.rag.reader_prefs import cap_pairs, count_kinds, question_pairs
from chatforge.rag.retrieve import RetrieveConfig
from chatforge.rag.verify import (
    CITATION,
    VerifyConfig,
    content_tokens,
    is_abstention,
    language,
    passage_supports,
    split_sentences,
    verify,
)
from chatforge.text_metrics import normalize

KINDS = ("grounded", "abstain_no_gold", "distractor_only", "unanswerable")


class ReaderDataConfig(StageConfig):
    retrieval: RetrieveConfig = Field(
        default_factory=RetrieveConfig, description="Retrieval as served (k = passages in each prompt)."
    )
    prompt: PromptConfig = Field(
        default_factory=PromptConfig, description="The grounded prompt as served (template, few-shot, passage length)."
    )
    verify: VerifyConfig = Field(
        default_factory=VerifyConfig, description="Support thresholds of the targets and the abstention sentences."
    )
    no_gold_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share of answerable questions also given once without their supporting passages, answered by the abstention sentence.",
    )
    distractor_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share of answerable questions also given once with another document's passages only, answered by the abstention sentence.",
    )
    shuffle: bool = Field(
        True, description="Shuffle the passages of each example, so the gold passage is not always [1]."
    )
    roles: list[str] | None = Field(
        None,
        description="Ask every question under these roles; unset = the record's roles, else its document's first role, else default_role.",
    )
    default_role: str | None = Field(
        "public",
        description="Role of a question with no roles and no indexed document; unset = such questions are skipped.",
    )
    testset: Path | None = Field(
        None, description="Test set JSONL (question per row): its questions are never used for training."
    )
    testset_overlap: float = Field(
        0.8, gt=0, le=1, description="Word-set Jaccard from which a training question counts as a test question."
    )
    unanswerable: Path | None = Field(
        None, description="JSONL of questions the documents cannot answer (question, optional roles / doc_id / lang)."
    )
    val_ratio: float = Field(
        0.1, ge=0, lt=1, description="Share of a single input file's questions written to val.jsonl."
    )
    max_questions: int | None = Field(
        None, ge=1, description="Use at most this many training questions per split (a seeded sample); unset = all."
    )
    preferences: bool = Field(
        True,
        description="Also write grounded preference pairs (OUT/preferences/train.jsonl, val.jsonl) for `train dpo`.",
    )
    max_pairs: int | None = Field(
        None, ge=1, description="Write at most this many preference pairs per split (a seeded sample); unset = all."
    )
    batch_size: int = Field(32, ge=1, description="Questions embedded and searched per batch.")
    seed: int = Field(42, description="Seed of the shares, the passage order and the sample.")


# ---- reading the questions ------------------------------------------------------------------------------------


def _meta(rec_meta: dict, key: str):
    """A field of a record, also where `data prepare` nests the input's extra fields (`meta`)."""
    if rec_meta.get(key) is not None:
        return rec_meta[key]
    inner = rec_meta.get("meta")
    return inner.get(key) if isinstance(inner, dict) else None


def exchange(messages: list[dict]) -> tuple[list[dict], str, str] | None:
    """(earlier turns, question, answer) of a conversation's last answered user turn; None without one."""
    turns = [m for m in messages if m.get("role") in ("user", "assistant")]
    answers = [i for i, m in enumerate(turns) if m["role"] == "assistant" and str(m.get("content") or "").strip()]
    for a in reversed(answers):
        users = [i for i in range(a) if turns[i]["role"] == "user" and str(turns[i].get("content") or "").strip()]
        if users:
            u = users[-1]
            return (
                [{"role": m["role"], "content": m["content"]} for m in turns[:u]],
                turns[u]["content"],
                turns[a]["content"],
            )
    return None


def _question(rec, source: str) -> dict | None:
    ex = exchange(rec.messages)
    if ex is None:
        return None
    history, question, answer = ex
    roles = _meta(rec.meta, "roles")
    return {
        "id": rec.id or f"{rec.source}:{rec.line}",
        "history": history,
        "question": question,
        "answer": answer,
        "doc_id": _meta(rec.meta, "doc_id"),
        "roles": [roles] if isinstance(roles, str) else roles,
        "lang": _meta(rec.meta, "lang"),
        "source": source,
    }


def read_questions(inputs: list[Path], val_ratio: float, skipped: Counter, rejected: list) -> tuple[dict, list[Path]]:
    """{"train": [...], "val": [...]} questions from prepared folders (train / val kept) and chat files."""
    splits: dict[str, list[dict]] = {"train": [], "val": []}
    files: list[Path] = []
    for inp in map(Path, inputs):
        if inp.is_dir():
            named = [(inp / f"{s}.jsonl", s) for s in ("train", "val") if (inp / f"{s}.jsonl").is_file()]
            if not named:
                raise InputError(
                    f"{inp}: no train.jsonl or val.jsonl (give the --out folder of `chatforge data prepare` or a JSONL file)"
                )
        elif inp.is_file():
            named = [(inp, None)]
        else:
            raise InputError(f"{inp}: no such file or folder")
        for path, split in named:
            files.append(path)
            for rec in read_jsonl(path, None, ("cp1252",)):
                if isinstance(rec, Rejection):
                    rejected.append(rec)
                    continue
                q = _question(rec, f"{rec.source}:{rec.line}")
                if q is None:
                    skipped["no_question"] += 1
                    continue
                if "<passages>" in q["question"]:  # a conversation grounded already (data synth's train.jsonl)
                    skipped["already_grounded"] += 1
                    continue
                named_split = _meta(rec.meta, "split")  # data synth's pairs.jsonl names each pair's split
                if named_split == "test":
                    skipped["testset"] += 1
                    continue
                to = split or (
                    named_split
                    if named_split in ("train", "val")
                    else "val"
                    if zlib.crc32(q["question"].encode()) % 1000 < val_ratio * 1000
                    else "train"
                )
                splits[to].append(q)
    return splits, files


class TestsetFilter:
    """Whether a question is one of the test set's (normalised words equal, or Jaccard >= `overlap`)."""

    def __init__(self, path: Path | None, overlap: float):
        from chatforge.rag.evaluate import read_testset

        self.overlap = overlap
        self.sets = [set(normalize(r["question"]).split()) for r in read_testset(path)] if path else []
        self.exact = {" ".join(sorted(s)) for s in self.sets}

    def __contains__(self, question: str) -> bool:
        words = set(normalize(question).split())
        if not words or not self.sets:
            return False
        if " ".join(sorted(words)) in self.exact:
            return True
        return any(len(words & t) / len(words | t) >= self.overlap for t in self.sets)


# ---- building the examples ------------------------------------------------------------------------------------


def abstention_for(question: str, lang: str | None, cfg: VerifyConfig) -> str:
    """verify.py's abstention sentence in the question's language (the record's, else detected as the server does)."""
    lang = lang if lang in ("fr", "en") else language(question)
    return cfg.abstain_fr if lang == "fr" else cfg.abstain_en


def _target_cfg(cfg: VerifyConfig) -> VerifyConfig:
    return cfg.model_copy(update={"enabled": True, "fallback": "abstain", "add_citations": True})


def gold_indexes(target: str, passages: list[dict], min_support: float) -> set[int]:
    """Positions of the passages that each hold `min_support` of some sentence of `target`."""
    gold: set[int] = set()
    for s in split_sentences(target):
        body = CITATION.sub("", s).strip()
        if content_tokens(body):
            gold |= {i for i, sup in enumerate(passage_supports(body, passages)) if sup >= min_support}
    return gold


def passage_ref(passage: dict) -> str:
    """A passage's chunk id ("doc#n"), as the examples list their passages."""
    return str(passage.get("chunk_id") or passage.get("doc_id"))


class ReaderBuilder:
    """Turns questions with their retrieved passages into conversations, with one GroundingBuilder."""

    def __init__(self, grounding, cfg: ReaderDataConfig):
        self.grounding, self.cfg = grounding, cfg
        self.vcfg = _target_cfg(cfg.verify)
        self.pairs: list[dict] = []  # the preference pairs of the questions built so far (reader_prefs.py)

    def conversation(self, q: dict, passages: list[dict], target: str) -> list[dict]:
        prompt = self.grounding.build(q["question"], passages, q["asked"], q["history"])
        return prompt.messages + [{"role": "assistant", "content": target}]

    def row(self, q: dict, kind: str, passages: list[dict], target: str, citations: list[int] | None = None) -> dict:
        return {
            "messages": self.conversation(q, passages, target),
            "id": f"{q['id']}#{kind}",
            "kind": kind,
            "roles": q["asked"],
            "doc_id": q.get("doc_id"),
            "passages": [passage_ref(p) for p in passages],
            "citations": citations or [],
            "source": q.get("source"),
        }

    def _order(self, passages: list[dict], rng: random.Random) -> list[dict]:
        out = list(passages)
        if self.cfg.shuffle:
            rng.shuffle(out)
        return out

    def seen(self, passages: list[dict]) -> list[dict]:
        """The passages as the prompt shows them (cut to `max_passage_chars`): targets are checked against these."""
        cut = self.cfg.prompt.max_passage_chars
        return [{**p, "text": str(p.get("text", ""))[:cut]} for p in passages]

    def answerable(
        self, q: dict, deep: list[dict], others: list[dict], rng: random.Random, skipped: Counter
    ) -> list[dict]:
        """The grounded example of `q` and, by the shares, its no-gold and distractor-only negatives."""
        k = self.cfg.retrieval.k
        deep = self.seen(deep)
        passages = self._order(deep[:k], rng)
        if is_abstention(q["answer"]):
            skipped["ungrounded"] += 1
            return []
        checked = verify(q["answer"], passages, self.vcfg, q["question"])
        if checked.abstained or not checked.citations:
            skipped["ungrounded"] += 1
            return []
        rows = [self.row(q, "grounded", passages, checked.text, checked.citations)]
        abstain = abstention_for(q["question"], q.get("lang"), self.cfg.verify)
        cited = {passage_ref(passages[n - 1]) for n in checked.citations}
        strict = cited | {passage_ref(deep[i]) for i in gold_indexes(checked.text, deep, self.vcfg.min_support)}
        lenient = strict | {
            passage_ref(deep[i]) for i in gold_indexes(checked.text, deep, self.vcfg.passage_min_support)
        }
        if rng.random() < self.cfg.no_gold_share:
            for gold in (strict, lenient):  # the fewest passages removed that leave the answer unsupported
                rest = [p for p in deep if passage_ref(p) not in gold][:k]
                if rest and verify(q["answer"], rest, self.vcfg, q["question"]).abstained:
                    rows.append(self.row(q, "abstain_no_gold", self._order(rest, rng), abstain))
                    break
            else:
                skipped["no_clean_negative"] += 1
        if rng.random() < self.cfg.distractor_share:
            pool = [
                o
                for o in others
                if o is not q
                and o["asked"] == q["asked"]
                and o["passages"]
                and not lenient & {passage_ref(p) for p in o["passages"][:k]}
            ]
            for other in rng.sample(pool, min(3, len(pool))):
                foreign = self.seen(other["passages"][:k])
                if verify(q["answer"], foreign, self.vcfg, q["question"]).abstained:
                    rows.append(self.row(q, "distractor_only", self._order(foreign, rng), abstain))
                    break
            else:
                skipped["no_clean_negative"] += 1
        if self.cfg.preferences:  # their own generator: the conversations are the same with pairs on or off
            prng = random.Random(f"{self.cfg.seed}:pairs:{q['id']}:{q['question']}")
            self.pairs += question_pairs(rows, passages, checked.text, abstain, self.vcfg, prng)
        return rows

    def unanswerable(self, q: dict, deep: list[dict], rng: random.Random) -> list[dict]:
        passages = self._order(deep[: self.cfg.retrieval.k], rng)
        return [self.row(q, "unanswerable", passages, abstention_for(q["question"], q.get("lang"), self.cfg.verify))]


def _roles_of(q: dict, cfg: ReaderDataConfig, doc_roles: dict[str, list[str]]) -> list[str]:
    if cfg.roles:
        return list(cfg.roles)
    if q.get("roles"):
        return list(q["roles"])
    first = doc_roles.get(q.get("doc_id"), [])[:1]
    return first or ([cfg.default_role] if cfg.default_role else [])


def reader_data(
    inputs: list[str | Path],
    index_dir: str | Path,
    out: str | Path,
    cfg: ReaderDataConfig | None = None,
    progress: bool = True,
) -> dict:
    """Write OUT/train.jsonl and OUT/val.jsonl of grounded reader conversations; returns the summary."""
    from chatforge.rag.evaluate import _document_roles, read_testset
    from chatforge.rag.grounding import GroundingBuilder

    cfg = cfg or ReaderDataConfig()
    started = time.perf_counter()
    skipped: Counter = Counter()
    rejected: list[Rejection] = []
    splits, files = read_questions([Path(p) for p in inputs], cfg.val_ratio, skipped, rejected)
    for r in rejected:
        stderr.print(f"[yellow]rejected[/yellow] {r.source}:{r.line}: {r.reason}", highlight=False, soft_wrap=True)
    testset = TestsetFilter(cfg.testset, cfg.testset_overlap)
    unanswerable = (
        [
            {
                "id": r.get("id") or f"{cfg.unanswerable}:{n}",
                "history": [],
                "question": r["question"],
                "doc_id": r.get("doc_id"),
                "roles": r.get("roles"),
                "lang": r.get("lang"),
                "source": f"{cfg.unanswerable}:{n}",
            }
            for n, r in enumerate(read_testset(cfg.unanswerable), start=1)
        ]
        if cfg.unanswerable
        else []
    )
    files += [p for p in (cfg.testset, cfg.unanswerable) if p]
    for q in unanswerable:
        split = "val" if zlib.crc32(q["question"].encode()) % 1000 < cfg.val_ratio * 1000 else "train"
        splits[split].append({**q, "unanswerable": True})
    rng = random.Random(cfg.seed)
    for name, qs in splits.items():
        kept = [q for q in qs if q["question"] not in testset]
        skipped["testset"] += len(qs) - len(kept)
        if cfg.max_questions and len(kept) > cfg.max_questions:
            kept = rng.sample(kept, cfg.max_questions)
        splits[name] = kept

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    depth = cfg.retrieval.k * 3  # the served k, and enough behind them to replace the gold in no-gold examples
    rows: dict[str, list[dict]] = {"train": [], "val": []}
    pairs: dict[str, list[dict]] = {"train": [], "val": []}
    role_counts: Counter = Counter()
    with GroundingBuilder.open(index_dir, cfg.retrieval, cfg.prompt, cfg.verify, use_gate=False) as grounding:
        doc_roles = _document_roles(grounding.retriever)
        builder = ReaderBuilder(grounding, cfg)
        with progress_bar(disable=not progress) as bar:
            for name, qs in splits.items():
                for q in qs:
                    q["asked"] = _roles_of(q, cfg, doc_roles)
                runnable = [q for q in qs if q["asked"]]
                skipped["no_role"] += len(qs) - len(runnable)
                task = bar.add_task(f"reader data ({name})", total=2 * len(runnable))
                for i in range(0, len(runnable), cfg.batch_size):
                    batch = runnable[i : i + cfg.batch_size]
                    found = grounding.retriever.search_many(
                        [q["question"] for q in batch], [q["asked"] for q in batch], k=depth
                    )
                    for q, hits in zip(batch, found):
                        q["passages"] = hits
                        role_counts[",".join(q["asked"])] += 1
                    bar.advance(task, len(batch))
                others = [o for o in runnable if not o.get("unanswerable")]
                for q in runnable:
                    qrng = random.Random(f"{cfg.seed}:{q['id']}:{q['question']}")
                    if q.get("unanswerable"):
                        rows[name] += builder.unanswerable(q, q["passages"], qrng)
                    else:
                        rows[name] += builder.answerable(q, q["passages"], others, qrng, skipped)
                    bar.advance(task)
                pairs[name], builder.pairs = cap_pairs(builder.pairs, cfg.max_pairs, cfg.seed, name), []
    for name in rows:
        random.Random(f"{cfg.seed}:{name}").shuffle(rows[name])  # kinds interleaved for training
    paths = {name: str(write_jsonl(rs, out / f"{name}.jsonl")) for name, rs in rows.items()}
    kinds = {name: {k: sum(r["kind"] == k for r in rs) for k in KINDS} for name, rs in rows.items()}
    summary = {
        "ok": True,
        "out": str(out),
        "index": str(index_dir),
        "examples": {n: len(rs) for n, rs in rows.items()},
        "kinds": kinds,
    }
    for name in pairs:  # no stale pairs of an earlier run beside these conversations
        (out / "preferences" / f"{name}.jsonl").unlink(missing_ok=True)
    if cfg.preferences:
        for name, ps in pairs.items():
            paths[f"preferences_{name}"] = str(write_jsonl(ps, out / "preferences" / f"{name}.jsonl"))
        summary["pairs"] = {n: len(ps) for n, ps in pairs.items()}
        summary["pair_kinds"] = {n: count_kinds(ps) for n, ps in pairs.items()}
    summary |= {
        "skipped": {k: skipped[k] for k in sorted(skipped) if skipped[k]},
        "rejected": len(rejected),
        "roles": dict(role_counts),
        "seconds": round(time.perf_counter() - started, 2),
    }
    record_run(out, cfg, dict(summary), inputs=files)
    summary["paths"] = {**paths, "metrics": str(out / "metrics.json")}
    return summary
