"""Personal-data redaction with typed placeholders: e-mail, phone, IBAN, payment card, custom patterns.

Candidates are found with regular expressions and, where the format has a checksum,
validated before redaction: IBANs by ISO 13616 mod-97, card numbers by the Luhn check.
So a 16-digit order reference that fails Luhn stays, a real card number becomes `[CARD]`.
Order matters: IBAN and card run before phone so long digit runs are not half-eaten.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_DIGIT = re.compile(r"\d")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# French numbers (0X XX XX XX XX, +33 X XX..., 0033...) and generic international +CC numbers.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)33[ .-]?(?:\(0\)[ .-]?)?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?!\d)"
    r"|(?<![\w+])\+(?:[1-9]\d{0,2})[ .-]?(?:\d[ .-]?){6,12}\d(?!\d)"
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
                if (check is not None and not check(m.group(0))) or (self._allowed and _canon(m.group(0)) in self._allowed):
                    return m.group(0)
                counts[label] += 1
                return f"[{label}]"

            text = pattern.sub(replace, text)
        return text, counts
