"""The answerability gate: decides before generating whether the documents can answer a question.

    chatforge rag gate fit --index IDX --questions VALIDATION.jsonl [--role R] [--target-precision 0.9] [--json]

Features, per question, from one retrieval (retrieve.py gives each branch's scores searched alone):
`dense_top1`, `dense_margin` (cosine of the best chunk, minus the second's), `sparse_top1`,
`sparse_margin` (the same for BM25), `question_coverage`: the share of the question's content
words (verify.py's tokens) found in the best passage, and what the best `FOCUS_K` passages miss of
the question, weighted by the words' rarity in the index (IDF over its chunks, stored in the gate):
`miss_max_idf` (the rarest question word none of them holds: "cryptocurrency", "parking" in a domain
that never mentions it), `miss_idf_share` (the IDF-weighted share of question words they miss) and
`unseen` (question words no chunk of the index holds). The reader's own confidence (mean token
log-probability of a forced answer) is not a feature: remote engines (`--backend-url`, llama.cpp
streams) do not return log-probabilities, and the gate must decide before any generation.

`fit_gate` standardises the features, fits a scikit-learn LogisticRegression (balanced classes)
predicting "unanswerable" on a validation file whose items say `answerable: false` (or
`unanswerable: true`, or carry empty `facts`), then picks the lowest probability threshold at which
abstaining is right at least `target_precision` of the time on that file (the most abstentions that
keep the precision). If no threshold reaches it the gate never abstains (`reached: false`) and the
verifier alone decides. The fitted gate is JSON in the index folder, `IDX/gate.json`
(coefficients, scaling, threshold, feature names, counts, precision and recall on the file);
`rag ask` and `serve` load it when present.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from chatforge.errors import UserError
from chatforge.rag.verify import content_tokens

GATE_FILE = "gate.json"
FEATURES = (
    "dense_top1",
    "dense_margin",
    "sparse_top1",
    "sparse_margin",
    "question_coverage",
    "miss_max_idf",
    "miss_idf_share",
    "unseen",
)
FOCUS_K = 3  # passages whose words count as "covered" for the miss_* features


class GateError(UserError, ValueError):
    """A validation file the gate cannot be fitted on, or a gate file that cannot be read."""


def features(
    question: str, passages: list[dict], branch: dict | None, df: dict[str, int] | None = None, n_chunks: int = 0
) -> dict[str, float]:
    """The gate's features for one retrieval (`branch` from Retriever.search_many(branch_scores=...));
    `df`/`n_chunks`: document frequency of each content word over the index's chunks (Gate.df)."""
    branch = branch or {}
    out = {}
    for name in ("dense", "sparse"):
        s = list(branch.get(name) or [])
        out[f"{name}_top1"] = s[0] if s else 0.0
        out[f"{name}_margin"] = s[0] - s[1] if len(s) > 1 else (s[0] if s else 0.0)
    q = content_tokens(question)
    cover = [len(q & content_tokens(str(p.get("text", "")))) / len(q) for p in passages] if q else []
    out["question_coverage"] = max(cover, default=0.0)
    df = df or {}
    idf = {w: math.log((n_chunks + 1) / (df.get(w, 0) + 0.5)) for w in q}
    covered = set().union(*(content_tokens(str(p.get("text", ""))) for p in passages[:FOCUS_K]))
    missing = [w for w in q if w not in covered]
    out["miss_max_idf"] = max((idf[w] for w in missing), default=0.0)
    out["miss_idf_share"] = sum(idf[w] for w in missing) / (sum(idf.values()) or 1.0)
    out["unseen"] = float(sum(1 for w in q if w not in df)) if df else 0.0
    return out


def document_frequency(texts) -> tuple[dict[str, int], int]:
    """(content word -> number of chunks holding it, number of chunks) over an index's chunk texts."""
    df: dict[str, int] = {}
    n = 0
    for text in texts:
        n += 1
        for w in content_tokens(str(text or "")):
            df[w] = df.get(w, 0) + 1
    return df, n


def is_answerable(item: dict) -> bool:
    """An item's label: `answerable` when given, else not `unanswerable`, else non-empty `facts` when given."""
    if "answerable" in item:
        return bool(item["answerable"])
    if "unanswerable" in item:
        return not item["unanswerable"]
    if "facts" in item:
        return bool(item["facts"])
    return True


@dataclass
class Gate:
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float  # abstain when P(unanswerable) >= threshold; above 1 = never
    target_precision: float
    reached: bool
    precision: float | None = None  # of abstention, on the validation file
    recall: float | None = None  # share of its unanswerable questions the gate abstains on
    counts: dict = field(default_factory=dict)  # answerable / unanswerable questions fitted on
    source: str | None = None
    created: float = 0.0
    df: dict = field(default_factory=dict)  # content word -> chunks holding it, over the index (IDF features)
    n_chunks: int = 0

    def features_for(self, question: str, passages: list[dict], branch: dict | None) -> dict[str, float]:
        """The features of one retrieval, with this gate's word statistics."""
        return features(question, passages, branch, self.df, self.n_chunks)

    def p_unanswerable(self, feats: dict[str, float]) -> float:
        z = self.intercept + sum(
            c * ((feats.get(n, 0.0) - m) / s) for n, m, s, c in zip(self.features, self.mean, self.scale, self.coef)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def decide(self, feats: dict[str, float]) -> dict:
        """{"answerable", "p_unanswerable"} for one question."""
        p = self.p_unanswerable(feats)
        return {"answerable": p < self.threshold, "p_unanswerable": round(p, 4)}

    def to_json(self) -> dict:
        return {"version": 1, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> "Gate":
        data = {k: v for k, v in data.items() if k != "version"}
        gate = cls(**data)
        if not (len(gate.features) == len(gate.mean) == len(gate.scale) == len(gate.coef)):
            raise GateError("gate: features, mean, scale and coef differ in length")
        return gate

    def save(self, folder: str | Path) -> Path:
        path = Path(folder) / GATE_FILE
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2), encoding="utf-8")
        os.replace(tmp, path)
        return path


def load_gate(folder: str | Path | None) -> Gate | None:
    """The gate stored with an index, or None when the folder has none."""
    if folder is None:
        return None
    path = Path(folder) / GATE_FILE
    if not path.is_file():
        return None
    try:
        return Gate.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, TypeError, KeyError) as exc:
        raise GateError(f"{path}: not a gate file ({exc}); refit it with `chatforge rag gate fit`") from None


def pick_threshold(
    p: list[float], unanswerable: list[bool], target: float
) -> tuple[float, bool, float | None, float | None]:
    """(threshold, reached, precision, recall): the lowest threshold whose abstentions are right >= target."""
    best = None
    for t in sorted(set(p), reverse=True):
        chosen = [u for pi, u in zip(p, unanswerable) if pi >= t]
        precision = sum(chosen) / len(chosen)
        if precision >= target:
            best = (t, precision, sum(chosen) / max(1, sum(unanswerable)))
    if best is None:
        return 1.01, False, None, 0.0
    t, precision, recall = best
    return t, True, round(precision, 4), round(recall, 4)


def fit_gate(
    rows: list[dict[str, float]],
    answerable: list[bool],
    target_precision: float = 0.9,
    source: str | None = None,
    df: dict[str, int] | None = None,
    n_chunks: int = 0,
) -> Gate:
    """A gate fitted on feature rows and their labels (True = the documents answer it)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    n_ans, n_un = sum(answerable), len(answerable) - sum(answerable)
    if n_ans < 2 or n_un < 2:
        raise GateError(f"the gate needs at least 2 answerable and 2 unanswerable questions; got {n_ans} and {n_un}")
    X = np.array([[r[f] for f in FEATURES] for r in rows], dtype=float)
    y = np.array([not a for a in answerable], dtype=int)  # 1 = unanswerable: the class the gate abstains on
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(class_weight="balanced", max_iter=1000).fit((X - mean) / scale, y)
    gate = Gate(
        list(FEATURES),
        mean.tolist(),
        scale.tolist(),
        model.coef_[0].tolist(),
        float(model.intercept_[0]),
        1.01,
        target_precision,
        False,
        counts={"answerable": n_ans, "unanswerable": n_un},
        source=source,
        created=round(time.time(), 3),
        df=dict(df or {}),
        n_chunks=n_chunks,
    )
    probs = [gate.p_unanswerable(r) for r in rows]
    gate.threshold, gate.reached, gate.precision, gate.recall = pick_threshold(
        probs, list(map(bool, y)), target_precision
    )
    return gate


def fit_from_questions(
    index_dir: str | Path,
    questions: str | Path,
    roles: list[str] | None = None,
    target_precision: float = 0.9,
    retrieval=None,
) -> tuple[Gate, dict]:
    """Retrieve every validation question (under `roles`, else its document's first role, else `public`),
    fit the gate, store it as IDX/gate.json. Returns (gate, summary)."""
    from collections import Counter

    from chatforge.rag.evaluate import _document_roles, read_testset
    from chatforge.rag.retrieve import Retriever

    items = read_testset(questions)
    with Retriever(index_dir, retrieval) as retriever:
        doc_roles = _document_roles(retriever)
        asked = [
            list(roles or it.get("roles") or doc_roles.get(it.get("doc_id"), [])[:1] or ["public"]) for it in items
        ]
        branch: list[dict] = []
        hits = retriever.search_many([it["question"] for it in items], asked, branch_scores=branch)
        df, n_chunks = document_frequency(p.get("text") for p in retriever.index.scroll_payloads(["text"]))
    rows = [features(it["question"], h, b, df, n_chunks) for it, h, b in zip(items, hits, branch)]
    labels = [is_answerable(it) for it in items]
    gate = fit_gate(rows, labels, target_precision, source=str(questions), df=df, n_chunks=n_chunks)
    path = gate.save(index_dir)
    summary = {
        "gate": str(path),
        "threshold": round(gate.threshold, 4),
        "reached": gate.reached,
        "precision": gate.precision,
        "recall": gate.recall,
        "counts": gate.counts,
        "roles_used": dict(Counter(",".join(r) for r in asked)),
        "features": gate.features,
        "coef": [round(c, 4) for c in gate.coef],
    }
    return gate, summary
