"""Personal-data redaction with typed placeholders: e-mail, phone, IBAN, payment card, custom patterns.

Candidates are found with regular expressions and, where the format has a checksum,
validated before redaction: IBANs by ISO 13616 mod-97, card numbers by the Luhn check.
So a 16-digit order reference that fails Luhn stays, a real card number becomes `[CARD]`.
Order matters: IBAN and card run before phone so long digit runs are not half-eaten.

One component for every place user text leaves a store: `data prepare` (its `pii:` config),
`feedback export` (CLI and admin API), `chatforge loop`, annotation campaigns built from
served conversations (`annotate create --from-feedback`) and, at rest, the serving database
(`store.redact_at_rest`). `PIIConfig` is the shared config, `Redactor.from_config` builds the
redactor, and `Redactor.counts` adds up what was replaced, by type, for the report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pydantic import Field

from chatforge.config import StageConfig

_DIGIT = re.compile(r"\d")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# French numbers (0X XX XX XX XX, +33 X XX..., 0033...) and generic international +CC numbers.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)33[ .-]?(?:\(0\)[ .-]?)?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?!\d)"
    r"|(?<![\w+])\+(?:[1-9]\d{0,2})[ .-]?(?:\d[ .-]?){6,12}\d(?!\d)"
)


# keys of training / annotation rows whose string values (or messages' `content`) are user-visible text
TEXT_KEYS = frozenset(
    {
        "content",
        "messages",
        "prompt",
        "completion",
        "chosen",
        "rejected",
        "answer",
        "answers",
        "question",
        "comment",
        "correction",
        "text",
    }
)


class PIIConfig(StageConfig):
    enabled: bool = Field(True, description="Redact personal data with typed placeholders such as [EMAIL].")
    email: bool = Field(True, description="Redact e-mail addresses.")
    phone: bool = Field(True, description="Redact phone numbers (French formats and +CC international).")
    iban: bool = Field(True, description="Redact IBANs that pass the mod-97 check.")
    card: bool = Field(True, description="Redact payment card numbers that pass the Luhn check.")
    patterns: dict[str, str] = Field(
        default_factory=dict, description="Extra detectors: NAME -> regular expression; matches become [NAME]."
    )
    allow: list[str] = Field(
        default_factory=list,
        description="Values that are not personal data and are kept (the organisation's public phone number, contact address).",
    )


def luhn_ok(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = ord(ch) - 48
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    s = candidate.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    rearranged = s[4:] + s[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def _canon(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value).lower()


def _card_ok(candidate: str) -> bool:
    digits = re.sub(r"[ -]", "", candidate)
    return 13 <= len(digits) <= 19 and luhn_ok(digits)


@dataclass
class Redactor:
    """Replace personal data with `[TYPE]` placeholders and count what was replaced.

    `patterns` adds custom detectors: name -> regex (the placeholder is `[NAME]`).
    `allow` lists values that are not personal data and stay (the company's own
    public phone number or contact address); compared without spaces, dots and dashes.
    """

    email: bool = True
    phone: bool = True
    iban: bool = True
    card: bool = True
    patterns: dict[str, str] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts: Counter = Counter()  # every replacement made by this redactor, by type
        self._allowed = {_canon(v) for v in self.allow}
        self._rules: list[tuple[str, re.Pattern, object]] = []
        if self.email:
            self._rules.append(("EMAIL", EMAIL, None))
        if self.iban:
            self._rules.append(("IBAN", IBAN, iban_ok))
        if self.card:
            self._rules.append(("CARD", CARD, _card_ok))
        if self.phone:
            self._rules.append(("PHONE", PHONE, None))
        for name, pattern in self.patterns.items():
            try:
                self._rules.append((name.upper(), re.compile(pattern), None))
            except re.error as exc:
                raise ValueError(f"pii.patterns.{name}: invalid regular expression: {exc}") from None

    def redact(self, text: str) -> tuple[str, Counter]:
        counts: Counter = Counter()
        has_digit = _DIGIT.search(text) is not None
        has_at = "@" in text
        for label, pattern, check in self._rules:
            if (label in ("CARD", "PHONE", "IBAN") and not has_digit) or (label == "EMAIL" and not has_at):
                continue

            def replace(m: re.Match, label=label, check=check) -> str:
                if (check is not None and not check(m.group(0))) or (
                    self._allowed and _canon(m.group(0)) in self._allowed
                ):
                    return m.group(0)
                counts[label] += 1
                return f"[{label}]"

            text = pattern.sub(replace, text)
        self.counts.update(counts)
        return text, counts

    @classmethod
    def from_config(cls, cfg: PIIConfig | None = None) -> "Redactor | None":
        """The redactor `cfg` describes (defaults: every type on), or None when `cfg.enabled` is false."""
        cfg = cfg or PIIConfig()
        if not cfg.enabled:
            return None
        return cls(cfg.email, cfg.phone, cfg.iban, cfg.card, dict(cfg.patterns), list(cfg.allow))

    def text(self, text: str) -> str:
        """`text` redacted (counted in `self.counts`)."""
        return self.redact(text)[0] if isinstance(text, str) else text

    def row(self, value, key: str | None = None):
        """A copy of a JSON-like row with the text under TEXT_KEYS redacted (ids, roles, labels kept as they are)."""
        if isinstance(value, dict):
            return {k: self.row(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.row(v, key) for v in value]
        if isinstance(value, str) and key in TEXT_KEYS:
            return self.text(value)
        return value

    def summary(self) -> dict[str, int]:
        """What was redacted so far, by type (sorted), for reports."""
        return dict(sorted(self.counts.items()))
