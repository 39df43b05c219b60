"""Answer verification: every sentence that leaves must be supported by a retrieved passage.

    chatforge rag ask "TEXT" --model M --index IDX --role R     (and every served answer with --index)

After generation and before an answer leaves, `verify(answer, passages, cfg, question, instructions)`:
1. splits the answer into sentences (`split_sentences`; a citation written after the full stop
   stays with its sentence);
2. removes a sentence that repeats the instructions (`instructions`: the system prompt the model was
   given): most of its content tokens (`cfg.echo_max_overlap`) are the instructions' and fewer are the
   passages', as a base model that recites "You are the virtual assistant of ..." does;
3. removes a sentence whose lexical support is below `cfg.min_support`. Support
   (`sentence_support`) is the share of the sentence's content tokens found in the retrieved
   passages taken together (an answer may join facts of two passages); `passage_supports` gives
   the same share per passage. Tokens are accent-folded, case-folded words of 3+ characters minus French and English
   function words, compared on their first 5 characters (a language-agnostic stem: "refunds" ~
   "refund", "remboursement" ~ "rembourser"), plus every number;
4. removes a sentence that states an amount, number, duration, date or code absent from the
   passages that support it (each by at least `cfg.passage_min_support`: the "30" of another
   passage's "40 x 30 cm" vouches for nothing) (`numbers`, normalised: "$8" = "8 $" = "8,00 €" -> "8"; "1 000" = "1,000" -> "1000";
   "six months" = "6 mois" -> "6"; "AF-1234" -> "AF1234");
5. keeps and checks the citations `[n]` of what remains: n must name a passage that supports the
   sentence (`cfg.passage_min_support`), otherwise it is replaced by the best passage (a sentence
   without one gets it);
6. when nothing supported remains (or the model itself declined), answers with the passage
   sentence that best matches the question and the answer, quoted with its citation, when it
   matches well enough (`cfg.quote_min_overlap`), else abstains with the abstention sentence in
   the question's language (French or English, py3langid).

The result is a `Verified`; `Verified.grounding()` is the `grounding` object every answer carries
(`abstained, verified, support, citations, removed_sentences`). The functions here are also the
support measures eval uses, so a served answer and a scored answer are judged alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from pydantic import Field

from chatforge.config import StageConfig

ABSTAIN = {
    "en": "I don't have information about this in the documents.",
    "fr": "Je n'ai pas d'information à ce sujet dans les documents.",
}
QUOTE_INTRO = {"en": "The documents say:", "fr": "Les documents indiquent :"}


class VerifyConfig(StageConfig):
    enabled: bool = Field(True, description="Check answers against their passages before they leave.")
    min_support: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Least share of a sentence's content tokens found in the retrieved passages for it to stay.",
    )
    passage_min_support: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Least share of a sentence's content tokens one passage must hold to be cited for it, or to vouch for its figures.",
    )
    check_numbers: bool = Field(
        True, description="Remove a sentence stating an amount, number, duration, date or code that no passage holds."
    )
    echo_max_overlap: float = Field(
        0.8,
        ge=0,
        le=1,
        description="A sentence of 3+ content tokens is an echo of the instructions, and removed, when at least this share of them is in the system prompt and a smaller share in the passages.",
    )
    add_citations: bool = Field(True, description="Cite the best passage [n] after a kept sentence that cites none.")
    fallback: str = Field(
        "quote",
        pattern="^(quote|abstain)$",
        description="When nothing supported remains: quote the best passage sentence, or abstain.",
    )
    quote_min_overlap: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Least share of the question's content tokens a passage sentence must hold to be quoted instead of abstaining.",
    )
    abstain_en: str = Field(ABSTAIN["en"], description="Abstention sentence for English questions.")
    abstain_fr: str = Field(ABSTAIN["fr"], description="Abstention sentence for French questions.")


@dataclass
class Verified:
    text: str  # what the user sees
    verified: bool  # verification ran and every sentence of `text` passed it
    support: float  # mean support (sentence_support) of the sentences kept (0.0 when abstained)
    citations: list[int] = field(default_factory=list)  # passage numbers [n] cited in `text`, ascending
    removed_sentences: list[str] = field(default_factory=list)
    abstained: bool = False
    quoted: bool = False  # `text` is a passage sentence quoted because nothing of the answer was supported

    def grounding(self) -> dict:
        """The `grounding` object of an API answer and a stored message."""
        d = asdict(self)
        return {k: d[k] for k in ("abstained", "verified", "support", "citations", "removed_sentences")}


# ---- normalisation and tokens -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Accents dropped (NFKD), case folded."""
    return "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c)).casefold()


STOPWORDS = frozenset(
    """
the and for are but not you your yours our ours their they them this that these those with from into onto about
have has had was were been being will would can could should may might must shall does did doing done any all
each every some such than then there here what which who whom whose when where why how its it's also only very
just more most other own same both few nor too over under again further once out off own per via yes
les des une est sont pour par avec dans sur sous que qui quoi dont ont aux ces cet cette leur leurs vos votre
nos notre mais donc car pas plus moins tout tous toute toutes elle elles ils nous vous son ses sont etre avoir
fait faire peut peuvent doit doivent aussi comme encore tres deja ceux celle celles cela ceci lui eux meme sans
entre vers chez lors selon ainsi alors entre etes avez avons sera seront ete
quel quelle quels quelles combien comment pourquoi est-ce much many long what's
""".split()
)
CITATION = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_WORD = re.compile(r"[^\W_]+", re.U)
STEM = 5


def content_tokens(text: str) -> set[str]:
    """Folded content words (3+ letters, not function words) cut to STEM characters, and numbers."""
    out = set()
    for w in _WORD.findall(fold(CITATION.sub(" ", text))):
        if w.isdigit():
            out.add(w.lstrip("0") or "0")
        elif len(w) >= 3 and w not in STOPWORDS:
            out.add(w[:STEM])
    return out


# ---- numbers, amounts, durations, dates, codes ---------------------------------------------------------------

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
}
UNITS = (
    "minutes?|hours?|days?|weeks?|months?|years?|nights?|kilos?|kilograms?|kg|euros?|dollars?|percent|"
    "heures?|jours?|semaines?|mois|ans|annees?|nuits?|kilogrammes?|pour cent|fois|times|items?|bags?|bagages?|"
    "valises?|pieces?|passengers?|passagers?|business days|jours ouvres"
)
DIGIT_WORDS = {"one": 1, "un": 1, "et un": 1, "et une": 1, **{w: n for w, n in NUMBER_WORDS.items() if n < 10}}
SECOND_WORDS = {**DIGIT_WORDS, "hundred": 100, "cents": 100, "cent": 100}  # "twenty-one", "deux cents"
_WORD_NUMBER = re.compile(rf"\b({'|'.join(NUMBER_WORDS)})(?:[\s-]+({'|'.join(SECOND_WORDS)}))?\s+(?=(?:{UNITS})\b)")
# glued units / ordinals after digits: 8kg, 25cm, 30j, 1er, 2e, 3rd
_SUFFIX = (
    "kg|g|mg|cm|mm|km|m|l|ml|h|min|mn|s|j|d|k|eur|usd|gbp|chf|pct|st|nd|rd|th|er|re|e|eme|ieme|ere|"
    "x|pm|am|go|gb|mo|mb|ko|kb|w|kw|v"
)
_CODE = re.compile(r"(?<![\w-])(?=[\w-]*[^\W\d_])(?=[\w-]*\d)[^\W_]+(?:-[^\W_]+)*(?![\w-])", re.U)
_NUMERIC_CODE = re.compile(rf"^(\d+(?:[.,]\d+)?)({_SUFFIX})$|^(\d+)h(\d*)$|^(\d+)x(\d+)(?:x(\d+))?(?:{_SUFFIX})?$")
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:(?:[ \u00a0\u202f]|,(?=\d{3}(?!\d)))\d{3})+(?![\d])")
_DECIMAL = re.compile(r"(?<![\d.,])(\d+)[.,](\d+)(?![\d]|[.,]\d)")
_DIGITS = re.compile(r"\d+")


def _canon(value: str) -> str:
    """'008' -> '8', '8.50' -> '8.5', '8.00' -> '8'."""
    whole, _, frac = value.partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def _mentions(text: str) -> list[set[str]]:
    """Each figure the text states, as its set of equivalent normalised forms."""
    text = fold(CITATION.sub(" ", text))
    found: list[set[str]] = []

    def words(m):
        a, b = NUMBER_WORDS[m.group(1)], SECOND_WORDS.get(m.group(2) or "", 0)
        found.append({str(a * b if b == 100 else a + b if b else a)})
        return " "

    text = _WORD_NUMBER.sub(words, text)

    def code(m):
        tok = m.group(0)
        num = _NUMERIC_CODE.match(tok.replace("-", ""))
        if num:  # a figure with a glued unit, a time or dimensions, not a code
            for g in num.groups():
                if g:
                    if g[0].isdigit():
                        found.append({_canon(g.replace(",", "."))})
            return " "
        found.append({re.sub(r"[^0-9a-z]", "", tok).upper()})
        return " "

    text = _CODE.sub(code, text)

    def grouped(m):
        raw = m.group(0)
        joined = re.sub(r"\D", "", raw)
        alts = {_canon(joined)}
        if "," in raw and raw.count(",") == 1 and " " not in raw:  # "1,500": thousands (en) or 1.5 (fr)
            alts.add(_canon(raw.replace(",", ".")))
        found.append(alts)
        return " "

    text = _GROUPED.sub(grouped, text)

    def decimal(m):
        found.append({_canon(f"{m.group(1)}.{m.group(2)}")})
        return " "

    text = _DECIMAL.sub(decimal, text)
    found.extend({_canon(d)} for d in _DIGITS.findall(text))
    return found


def numbers(text: str) -> set[str]:
    """The normalised amounts, numbers, durations, dates and codes `text` states (every reading of each)."""
    out: set[str] = set()
    for alts in _mentions(text):
        out |= alts
        for a in alts:  # a code's digits count as its figures on the passage side ("A320" holds "320")
            if not a[:1].isdigit():
                out.update(_canon(d) for d in _DIGITS.findall(a))
    return out


def unsupported_numbers(sentence: str, passage_numbers: set[str]) -> list[str]:
    """The figures of `sentence` that no reading finds among `passage_numbers` (from `numbers`)."""
    return [sorted(alts)[0] for alts in _mentions(sentence) if not alts & passage_numbers]


# ---- sentences and support --------------------------------------------------------------------------------------

_SPLIT = re.compile(r"(?<=[.!?;:])\s+(?=\S)|\n+\s*(?:[-*•]\s+|\d+[.)]\s+)?")
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|p|pp|art|no|n°|cf|env|etc|mr|mrs|dr|st|vs|approx|min|max|ex)\.|\b[A-Z]\.)$", re.I
)


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of `text`; a citation written after a full stop stays with its sentence."""
    parts: list[str] = []
    for piece in _SPLIT.split(text or ""):
        piece = re.sub(r"^(?:[-*•]|\d+[.)])\s+", "", piece.strip())
        if not piece:
            continue
        lead = re.match(r"^(?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+", piece)
        if lead and parts:  # "... full stop. [2] Next" -> the [2] belongs to the previous sentence
            parts[-1] += " " + lead.group(0).strip()
            piece = piece[lead.end() :].strip()
            if not piece:
                continue
        if parts and _ABBREV.search(parts[-1]):  # "e.g. the" / "p. 2" did not end a sentence
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


def _passage_text(p) -> str:
    return str(p.get("text", "")) if isinstance(p, dict) else str(p)


def passage_supports(sentence: str, passages: list) -> list[float]:
    """Support of `sentence` by each passage: share of its content tokens the passage holds (1.0 with none)."""
    words = content_tokens(sentence)
    if not words:
        return [1.0] * len(passages)
    return [len(words & content_tokens(_passage_text(p))) / len(words) for p in passages]


def sentence_support(sentence: str, passages: list) -> float:
    """Share of the sentence's content tokens the passages hold together, 0..1 (0.0 without passages;
    1.0 for a sentence with no content word)."""
    if not passages:
        return 0.0
    words = content_tokens(sentence)
    if not words:
        return 1.0
    held = set().union(*(content_tokens(_passage_text(p)) for p in passages))
    return len(words & held) / len(words)


def citations(text: str) -> list[int]:
    """Passage numbers cited as [n] or [n, m] in `text`, in order of appearance, without repeats."""
    seen: dict[int, None] = {}
    for m in CITATION.finditer(text or ""):
        for n in re.split(r"\s*[,;]\s*", m.group(1)):
            seen[int(n)] = None
    return list(seen)


# The one list of abstention phrasings (French and English, accent- and punctuation-folded): the
# verifier, the reader's training targets and eval's abstention metrics all read it.
ABSTAIN_PATTERNS = [
    r"\bje n ai (pas|aucune) (d |de |l |cette )?information",
    r"\bje ne dispose (pas|d aucune)",
    r"\bne figure(nt)? pas dans",
    r"\bne mentionne(nt)? pas",
    r"\bje ne sais pas",
    r"\baucune information",
    r"\bpas d information",
    r"\bje ne (peux|suis pas en mesure de) (pas )?repondre",
    r"\bi (don t|do not) have (any )?(information|details|data)",
    r"\bi (don t|do not) know",
    r"\bno information (about|on)",
    r"\b(cannot|can t|unable to) answer",
    r"\bnot (mentioned|covered|found) in",
]
_ABSTAIN = re.compile("|".join(ABSTAIN_PATTERNS))


def is_abstention(text: str) -> bool:
    """True when `text` declines to answer (French or English phrasing) or is empty."""
    flat = " ".join(re.sub(r"[^\w\s]|_", " ", fold(text)).split())
    return not flat or bool(_ABSTAIN.search(flat))


def language(text: str) -> str:
    """'fr' or 'en' for the abstention sentence (py3langid between the two; English when unsure)."""
    from chatforge.data.filters import detect_language

    return (
        "fr"
        if detect_language(text or "", candidates=("en", "fr"), min_confidence=0.5, min_letters=4) == "fr"
        else "en"
    )


# ---- the verifier ---------------------------------------------------------------------------------------------


def abstention(question: str, cfg: VerifyConfig | None = None) -> str:
    cfg = cfg or VerifyConfig()
    return cfg.abstain_fr if language(question) == "fr" else cfg.abstain_en


def abstain(
    question: str, cfg: VerifyConfig | None = None, removed: list[str] | None = None, verified: bool = True
) -> Verified:
    """The abstention answer in the question's language."""
    return Verified(abstention(question, cfg), verified, 0.0, [], list(removed or []), abstained=True)


def _best_quote(question: str, answer: str, passages: list) -> tuple[str, int, float] | None:
    """(sentence, passage number, share of the question's content tokens it holds) of the best passage sentence."""
    q = content_tokens(question)
    want = q | content_tokens(answer)
    if not q:
        return None
    best = None
    for n, p in enumerate(passages, start=1):
        for s in split_sentences(_passage_text(p)):
            words = content_tokens(s)
            score = (len(words & want), len(words & q))
            if words and (best is None or score > best[0]):
                best = (score, s, n)
    if best is None:
        return None
    return best[1], best[2], best[0][1] / len(q)


def echoes(sentence: str, instructions: str, support: float, cfg: VerifyConfig) -> bool:
    """True when `sentence` repeats the instructions rather than the passages (see the module docstring)."""
    words = content_tokens(sentence)
    if len(words) < 3 or not instructions:
        return False
    share = len(words & content_tokens(instructions)) / len(words)
    return share >= cfg.echo_max_overlap and share > support


def verify(
    answer: str, passages: list, cfg: VerifyConfig | None = None, question: str = "", instructions: str = ""
) -> Verified:
    """Keep the supported sentences of `answer` with checked citations; else quote a passage or abstain.

    `instructions` is the text the model was told (its system prompt): a sentence repeating it is removed.
    """
    cfg = cfg or VerifyConfig()
    if not cfg.enabled:
        return Verified(answer, False, sentence_support(answer, passages) if passages else 0.0, citations(answer))
    if not passages:
        return abstain(question, cfg, [s for s in split_sentences(answer) if not is_abstention(s)])
    pnums = [numbers(_passage_text(p)) for p in passages]
    kept: list[tuple[str, float]] = []
    removed: list[str] = []
    fillers: list[int] = []  # positions in `kept` of sentences with no content word ("Yes.", "Hello!")
    declined = False
    for sentence in split_sentences(answer):
        if is_abstention(sentence):
            declined = True
            removed.append(sentence)
            continue
        body = CITATION.sub("", sentence).strip()
        sup = passage_supports(body, passages)
        support = sentence_support(body, passages)
        best = max(range(len(passages)), key=lambda i: (sup[i], len(pnums[i])))
        vouching = [i for i in range(len(passages)) if sup[i] >= cfg.passage_min_support] or [best]
        held = set().union(*(pnums[i] for i in vouching))
        if (
            support < cfg.min_support
            or echoes(body, instructions, support, cfg)
            or (cfg.check_numbers and unsupported_numbers(body, held))
        ):
            removed.append(sentence)
            continue
        words = content_tokens(body)
        if all(w[:1].isdigit() for w in words):  # "Yes.", or a bare figure ("1", a prompt's list number cut off)
            fillers.append(len(kept))
            kept.append((sentence, 1.0))
            continue
        cited = citations(sentence)
        ok = [n for n in cited if 1 <= n <= len(passages) and sup[n - 1] >= cfg.passage_min_support]
        if cited != ok or (not cited and cfg.add_citations):
            end = re.search(r"[.!?;:]*$", body).start()
            sentence = f"{body[:end]} [{', '.join(map(str, ok or [best + 1]))}]{body[end:]}"
        kept.append((sentence, support))
    if len(fillers) == len(kept):  # nothing with content survived
        removed += [kept[i][0] for i in fillers]
        if cfg.fallback == "quote" and not declined:
            quote = _best_quote(question, answer, passages)
            if quote and quote[2] >= cfg.quote_min_overlap:
                lang = language(question)
                text = f'{QUOTE_INTRO[lang]} "{quote[0].strip()}" [{quote[1]}]'
                return Verified(text, True, 1.0, [quote[1]], removed, quoted=True)
        return abstain(question, cfg, removed)
    text = " ".join(s for s, _ in kept)
    scored = [s for i, (_, s) in enumerate(kept) if i not in fillers]
    return Verified(text, True, round(sum(scored) / len(scored), 4), sorted(citations(text)), removed)
