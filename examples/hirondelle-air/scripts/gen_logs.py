#!/usr/bin/env python3
"""Generate the deliberately dirty raw conversation logs of Hirondelle Air.

Writes, under examples/hirondelle-air/logs/:
  webchat_export.jsonl        OpenAI "messages" shape (1-3 user turns)
  sharegpt_export.jsonl       ShareGPT shape
  email_tickets.csv           ticket_id,date,customer_message,agent_reply,channel
  legacy_export_cp1252.jsonl  prompt/completion, encoded in cp1252 (not UTF-8)
  MANIFEST.json               exactly what was planted (tests rely on it)

Deterministic: seeded ``random.Random``; run again and the files are the same.
Everything is fictional; every e-mail, phone number, IBAN and card number is
synthetic (the e-mail domains are reserved ``example`` names).

Usage: python3 examples/hirondelle-air/scripts/gen_logs.py
"""

from __future__ import annotations

import copy
import csv
import io
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import log_scenarios as S  # noqa: E402

SEED = 20250
ROOT = HERE.parent
LOGS = ROOT / "logs"

WEBCHAT = "logs/webchat_export.jsonl"
SHAREGPT = "logs/sharegpt_export.jsonl"
EMAILS = "logs/email_tickets.csv"
LEGACY = "logs/legacy_export_cp1252.jsonl"

# base conversations, exact duplicates, near duplicates, English bases, low-quality bases
PLAN = {
    WEBCHAT: dict(base=200, exact=20, near=20, en=11, lq=6, style="chat", max_turns=3),
    SHAREGPT: dict(base=126, exact=10, near=10, en=8, lq=4, style="chat", max_turns=2),
    EMAILS: dict(base=104, exact=10, near=10, en=6, lq=0, style="email", max_turns=1),
    LEGACY: dict(base=74, exact=8, near=8, en=4, lq=2, style="chat", max_turns=1),
}
LQ_SPLIT = {WEBCHAT: [0, 1, 2, 6, 9, 10], SHAREGPT: [3, 4, 5, 7], LEGACY: [8, 11]}

DOMESTIC = ["Lyon", "Marseille", "Nice", "Toulouse", "Strasbourg", "Ajaccio", "Bastia"]
INTL = ["Bruxelles", "Genève", "Porto", "Dublin"]
SEASONAL = {"Ajaccio", "Bastia"}
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
EN_DEST = {"Bruxelles": "Brussels", "Genève": "Geneva"}

# Scenarios whose question is asked before the trip: a context sentence such as
# "Je pars à Nice le 3 mai." may precede it. The others are asked after the fact.
PRE_TRIP = {
    "cabin_bag",
    "checked_bag_add",
    "overweight",
    "too_heavy",
    "fares",
    "fare_bags",
    "essentiel_bag",
    "change_flex",
    "checkin_online",
    "desk",
    "gate",
    "pets",
    "pet_heavy",
    "bike",
    "ski_surf",
    "checked_bag",
    "boarding_pass",
}
PII_SCEN = {
    "taxes_iban",
    "lost_bag",
    "card_declined",
    "double_charge",
    "invoice",
    "update_contact",
    "boarding_pass",
    "card",
}

# Placeholders survive every dirt transformation (ASCII, no spaces, case-free);
# the PII values replace them at the very end, so dirt never splits a number.
TAGS = {"ref": "@@0@@", "email": "@@1@@", "phone": "@@2@@", "iban": "@@3@@", "card": "@@4@@", "order": "@@5@@"}
TOPIC_SLUG = {
    "bag": "bagages",
    "fare": "tarifs",
    "check": "enregistrement",
    "delay": "indemnisation",
    "pet": "animaux",
    "child": "enfants",
    "plume": "plume",
    "help": "assistance",
    "other": "aide",
}


def slug_for(key: str) -> str:
    for frag, slug in [
        ("bag", "bag"),
        ("heavy", "bag"),
        ("overweight", "bag"),
        ("fare", "fare"),
        ("refund", "fare"),
        ("change", "fare"),
        ("taxes", "fare"),
        ("checkin", "check"),
        ("desk", "check"),
        ("gate", "check"),
        ("boarding", "check"),
        ("delay", "delay"),
        ("weather", "delay"),
        ("pet", "pet"),
        ("dog", "pet"),
        ("umnr", "child"),
        ("teen", "child"),
        ("infant", "child"),
        ("plume", "plume"),
        ("pmr", "help"),
        ("bike", "bag"),
        ("ski", "bag"),
    ]:
        if frag in key:
            return TOPIC_SLUG[slug]
    return TOPIC_SLUG["other"]


# ---------------------------------------------------------------- numbers


def luhn_check_digit(payload: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def luhn_valid(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return luhn_check_digit(digits[:-1]) == int(digits[-1])


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    num = "".join(str(int(c, 36)) for c in s)
    return int(num) % 97 == 1


def group4(s: str) -> str:
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


class Vault:
    """Creates distinct synthetic PII values; none is a substring of another."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: list[str] = []

    def _ok(self, v: str) -> bool:
        d = re.sub(r"\D", "", v)
        for u in self.seen:
            if v in u or u in v:
                return False
            du = re.sub(r"\D", "", u)
            if len(d) >= 9 and len(du) >= 9 and (d in du or du in d):
                return False
        return True

    def _keep(self, v: str) -> str:
        self.seen.append(v)
        return v

    def ref(self) -> tuple[str, str]:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        while True:
            v = "".join(self.rng.choice(alphabet) for _ in range(6))
            letters = sum(c.isalpha() for c in v)
            if 2 <= letters <= 5 and self._ok(v):
                return self._keep(v), "plain"

    def email(self, first: str, last: str) -> tuple[str, str]:
        f = unicodedata.normalize("NFD", first.lower())
        f = "".join(c for c in f if not unicodedata.combining(c))
        while True:
            form = self.rng.choice(["{f}.{l}", "{f0}{l}{n}", "{f}_{l}", "{f}.{l}{n}", "{l}.{f}"])
            local = form.format(f=f, l=last, f0=f[0], n=self.rng.randint(1, 99))
            v = f"{local}@{self.rng.choice(S.EMAIL_DOMAINS)}"
            if self._ok(v):
                return self._keep(v), "plain"

    def phone(self) -> tuple[str, str]:
        while True:
            first = self.rng.choice("67")
            rest = "".join(str(self.rng.randint(0, 9)) for _ in range(8))
            pairs = [rest[i : i + 2] for i in range(0, 8, 2)]
            fmt = self.rng.choices(
                ["spaced", "international_spaced", "compact", "dotted", "international_compact"],
                weights=[4, 3, 3, 1, 1],
            )[0]
            v = {
                "spaced": f"0{first} " + " ".join(pairs),
                "international_spaced": f"+33 {first} " + " ".join(pairs),
                "compact": f"0{first}{rest}",
                "dotted": f"0{first}." + ".".join(pairs),
                "international_compact": f"+33{first}{rest}",
            }[fmt]
            if self._ok(v):
                return self._keep(v), fmt

    def iban(self) -> tuple[str, str]:
        while True:
            bank = str(
                self.rng.choice(
                    [
                        10096,
                        10278,
                        11315,
                        12548,
                        13335,
                        14445,
                        16958,
                        17515,
                        18206,
                        20041,
                        30002,
                        30003,
                        30004,
                        30027,
                        30056,
                        30066,
                        30076,
                    ]
                )
            )
            branch = f"{self.rng.randint(0, 99999):05d}"
            account = f"{self.rng.randint(0, 10**11 - 1):011d}"
            key = 97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97)
            bban = f"{bank}{branch}{account}{key:02d}"
            check = 98 - int(bban + "152700") % 97  # F=15, R=27, then "00"
            raw = f"FR{check:02d}{bban}"
            assert iban_valid(raw)
            fmt = self.rng.choices(["grouped", "compact"], weights=[3, 2])[0]
            v = group4(raw) if fmt == "grouped" else raw
            if self._ok(v):
                return self._keep(v), fmt

    def card(self) -> tuple[str, str]:
        while True:
            prefix = self.rng.choice(["4", "4", "4", "51", "52", "53", "54", "55"])
            body = prefix + "".join(str(self.rng.randint(0, 9)) for _ in range(15 - len(prefix)))
            raw = body + str(luhn_check_digit(body))
            assert luhn_valid(raw)
            fmt = self.rng.choice(["spaced", "compact"])
            v = group4(raw) if fmt == "spaced" else raw
            if self._ok(v):
                return self._keep(v), fmt

    def order(self) -> tuple[str, str]:
        while True:
            body = self.rng.choice(["2024", "2025"]) + "".join(str(self.rng.randint(0, 9)) for _ in range(11))
            good = luhn_check_digit(body)
            raw = body + str((good + self.rng.randint(1, 9)) % 10)
            assert not luhn_valid(raw)
            fmt = self.rng.choices(["compact", "spaced"], weights=[4, 1])[0]
            v = group4(raw) if fmt == "spaced" else raw
            if self._ok(v):
                return self._keep(v), fmt


# ---------------------------------------------------------------- composing


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def make_ctx(rng: random.Random, lang: str) -> dict:
    dest = rng.choice(DOMESTIC + INTL)
    month = rng.choice([5, 6, 7, 8]) if dest in SEASONAL else rng.randrange(12)
    day = rng.randint(1, 28)
    if lang == "fr":
        date = f"{'1er' if day == 1 else day} {MONTHS_FR[month]}"
        shown = dest
    else:
        date = f"{day} {MONTHS_EN[month]}"
        shown = EN_DEST.get(dest, dest)
    intl = dest in INTL
    ctx = dict(
        dest=shown,
        date=date,
        kind="international" if intl else "intérieur",
        kinds="internationaux" if intl else "intérieurs",
        desk=60 if intl else 45,
        comp=400 if dest in ("Porto", "Dublin") else 250,
        h=rng.choice([3, 4, 5, 6]),
        hs=rng.choice(["2 h", "1 h 30", "2 h 15", "2 h 40", "1 h 50", "2 h 50"]),
        kg=rng.randint(24, 31),
        kg2=rng.randint(33, 40),
        pkg=rng.randint(10, 25),
        age=rng.randint(5, 11),
        tage=rng.randint(12, 17),
        m=rng.randint(3, 22),
        price=rng.choice(range(79, 640, 7)),
        name=rng.choice(S.FIRST_NAMES if lang == "fr" else S.EN_NAMES),
        agent=rng.choice(S.AGENT_NAMES),
    )
    ctx.update(TAGS)
    return ctx


def fill(template: str, ctx: dict) -> str:
    return template.format(**ctx)


KEEP_CAPITAL = (
    "Essentiel",
    "Flex",
    "Liberté",
    "Plume",
    "Nantes",
    "Hirondelle",
    "ATR",
    "EU",
    "I ",
    "I'm",
    "Lyon",
    "Marseille",
    "Nice",
    "Toulouse",
    "Strasbourg",
    "Bruxelles",
    "Genève",
    "Porto",
    "Dublin",
    "Ajaccio",
    "Bastia",
    "Brussels",
    "Geneva",
    "Online",
    "Under",
    "For",
    "Flex",
    "My",
    "Can",
    "How",
    "What",
    "When",
    "Adding",
    "Yes",
    "Your",
    "You",
    "Small",
    "At",
    "Plume",
    "Thank",
    "Apologies",
    "Such",
    "With",
    "Quick",
    "We",
    "Lost",
    "Dear",
)


def join(parts: list[str]) -> str:
    """Joins message parts; after a greeting ending with ',' (or none), the next part starts lower-case."""
    out = ""
    for p in parts:
        if not p:
            continue
        if out and not out.endswith((".", "!", "?", ":")) and not p.startswith(KEEP_CAPITAL):
            p = p[0].lower() + p[1:]
        out = f"{out} {p}" if out else p
    return out


def chat_user(rng, scen, ctx, lang, first: bool) -> str:
    greet_pool, ctx_pool, close_pool = (
        (S.USER_GREET_FR, S.USER_CTX_FR, S.USER_CLOSE_FR)
        if lang == "fr"
        else (S.USER_GREET_EN, S.USER_CTX_EN, S.USER_CLOSE_EN)
    )
    q = fill(rng.choice(scen["q"]), ctx)
    if not first:
        return q
    situ = fill(rng.choice(ctx_pool), ctx) if scen["key"] in PRE_TRIP else ""
    text = join([rng.choice(greet_pool), situ, q, rng.choice(close_pool)])
    if lang == "fr" and rng.random() < 0.18:  # a hurried customer: no capitals, no accents
        text = strip_accents(text.lower()).rstrip("?!. ")
    return text


def chat_agent(rng, scen, ctx, lang, first: bool) -> str:
    a = fill(rng.choice(scen["a"]), ctx)
    if not first:
        return a
    greet_pool, close_pool = (
        (S.AGENT_GREET_FR, S.AGENT_CLOSE_FR) if lang == "fr" else (S.AGENT_GREET_EN, S.AGENT_CLOSE_EN)
    )
    return join([fill(rng.choice(greet_pool), ctx), a, rng.choice(close_pool)])


SIGN_FR = ["Cordialement,", "Bien cordialement,", "Merci d'avance,", "Bonne journée,", "Salutations,"]
SIGN_EN = ["Kind regards,", "Best regards,", "Thanks,", "Regards,"]


def email_pair(rng, scen, ctx, lang, vault, pii) -> tuple[str, str]:
    q = fill(rng.choice(scen["q"]), ctx)
    situ = fill(rng.choice(S.USER_CTX_FR if lang == "fr" else S.USER_CTX_EN), ctx) if scen["key"] in PRE_TRIP else ""
    first = ctx["name"]
    if lang == "fr":
        hello = rng.choice(["Bonjour,", "Madame, Monsieur,", "Bonjour à vous,", "Bonjour l'équipe Hirondelle,"])
        body = join([situ, q])
        sig = f"{rng.choice(SIGN_FR)}\n{first}"
    else:
        hello = rng.choice(["Hello,", "Dear Sir or Madam,", "Hi,"])
        body = join([situ, q])
        sig = f"{rng.choice(SIGN_EN)}\n{first}"
    if "@@2@@" not in body and rng.random() < 0.3:  # phone number in the signature
        sig += ("\nTél : " if lang == "fr" else "\nPhone: ") + TAGS["phone"]
    customer = f"{hello}\n\n{body}\n\n{sig}"
    a = fill(rng.choice(scen["a"]), ctx)
    agent_name = ctx["agent"]
    if lang == "fr":
        agent = (
            f"Bonjour {first},\n\n{a}\n\n"
            f"{rng.choice(['Bien cordialement,', 'Cordialement,', 'Belle journée,'])}\n"
            f"{agent_name}\nService Relation Client, Hirondelle Air"
        )
    else:
        agent = (
            f"Hello {first},\n\n{a}\n\n{rng.choice(['Kind regards,', 'Best regards,'])}\n"
            f"{agent_name}\nCustomer Relations, Hirondelle Air"
        )
    return customer, agent


def build_conversation(rng, lang: str, style: str, max_turns: int, scen_pool: list) -> tuple[list, dict]:
    """Returns (messages, info). Messages are [role, text] with placeholders."""
    special = {"card_declined": 2.0, "double_charge": 0.5, "invoice": 0.3}
    weights = [special.get(s["key"], 1.6 if s["key"] in PII_SCEN else 1.0) for s in scen_pool]
    scen = rng.choices(scen_pool, weights=weights)[0]
    ctx = make_ctx(rng, lang)
    info = {"scenarios": [scen["key"]], "lang": lang}
    if style == "email":
        c, a = email_pair(rng, scen, ctx, lang, None, None)
        return [["user", c], ["assistant", a]], info
    msgs = [["user", chat_user(rng, scen, ctx, lang, True)], ["assistant", chat_agent(rng, scen, ctx, lang, True)]]
    n_user = 1
    if max_turns >= 2:
        n_user = rng.choices([1, 2, 3][:max_turns], weights=[55, 30, 15][:max_turns])[0]
    used = {scen["key"]}
    for turn in range(2, n_user + 1):
        last = turn == n_user
        if last and rng.random() < 0.5:
            u, a = rng.choice(S.FOLLOW_THANKS_FR if lang == "fr" else S.FOLLOW_THANKS_EN)
            info["scenarios"].append("thanks")
        else:
            nxt = rng.choice([s for s in scen_pool if s["key"] not in used])
            used.add(nxt["key"])
            info["scenarios"].append(nxt["key"])
            link = rng.choice(S.FOLLOW_LINK_FR if lang == "fr" else S.FOLLOW_LINK_EN)
            u = link + fill(rng.choice(nxt["q"]), ctx)
            a = fill(rng.choice(nxt["a"]), ctx)
        msgs += [["user", u], ["assistant", a]]
    return msgs, info


# ---------------------------------------------------------------- dirt


def can_mojibake(text: str) -> bool:
    try:
        text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return False
    return any(ord(c) > 127 for c in text)


def mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252: 'réservation' -> 'rÃ©servation', '€' -> 'â‚¬'."""
    return text.encode("utf-8").decode("cp1252")


def html_dirt(rng, text: str, lang: str, slug: str) -> tuple[str, list]:
    feats = []
    t = text
    if "é" in t and rng.random() < 0.5:
        t = t.replace("é", "&eacute;")
        feats.append("&eacute;")
    m = list(re.finditer(r"(\d+) (€|kg|h|min|minutes|cm|heures|points)\b|(\d+) (€)", t))
    if m and rng.random() < 0.5:
        x = rng.choice(m)
        t = t[: x.start()] + f"<b>{x.group(0)}</b>" + t[x.end() :]
        feats.append("<b>")
    spots = [mm.start() for mm in re.finditer(r" (?=[:?!;])|(?<=\d) (?=(?:€|kg|h|cm)\b)", t)]
    if spots and rng.random() < 0.5:
        i = rng.choice(spots)
        t = t[:i] + "&nbsp;" + t[i + 1 :]
        feats.append("&nbsp;")
    if rng.random() < 0.35:
        url = f"https://www.hirondelle-air.example/{slug}"
        link = (
            f' Plus d\'informations sur <a href="{url}">notre site</a>.'
            if lang == "fr"
            else f' More details on <a href="{url}">our website</a>.'
        )
        paras = t.split("\n\n")
        if len(paras) >= 3:  # e-mail: keep the link in the answer, above the signature
            paras[1] += link
            t = "\n\n".join(paras)
        else:
            t = t + link
        feats.append("<a href>")
    if "\n" in t:
        paras = [p for p in t.split("\n\n")]
        t = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paras)
        feats += ["<p>", "<br>"]
    else:
        if ". " in t and rng.random() < 0.5:
            t = t.replace(". ", ".<br>", 1 + rng.randrange(2))
            feats.append("<br>")
        if rng.random() < 0.6 or not feats:
            t = f"<p>{t}</p>"
            feats.append("<p>")
    return t, sorted(set(feats))


def whitespace_dirt(rng, text: str, cp1252_safe: bool) -> tuple[str, list]:
    kinds = set()
    parts = text.split(" ")
    seps = [("  ", "double_space"), ("   ", "multiple_spaces"), ("\t", "tab"), ("\u00a0", "nbsp")]
    if not cp1252_safe:
        seps.append((" \u200b", "zero_width_space"))
    out = parts[0]
    for p in parts[1:]:
        if rng.random() < 0.12:
            sep, kind = rng.choice(seps)
            kinds.add(kind)
        else:
            sep = " "
        out += sep + p
    if rng.random() < 0.6 or not kinds:
        out += rng.choice(["\n", "\n\n", "  ", " \n", "\t\n"])
        kinds.add("trailing_whitespace")
    if rng.random() < 0.25:
        lead = rng.choice(["  ", "\n", " "] + ([] if cp1252_safe else ["\u200b"]))
        out = lead + out
        kinds.add("leading_whitespace")
    return out, sorted(kinds)


# ---------------------------------------------------------------- similarity guard


def shingles(text: str, n: int = 5) -> set:
    t = re.sub(r"\s+", " ", text.lower()).strip()
    return {t[i : i + n] for i in range(max(1, len(t) - n + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


MAX_BASE_SIM = 0.55


# ---------------------------------------------------------------- near-duplicate edits

WORD_SWAPS = [
    ("vol", "trajet"),
    ("valise", "bagage"),
    ("billet", "ticket"),
    ("Bonjour", "Bonsoir"),
    ("maximum", "max"),
    ("gratuitement", "sans frais"),
    ("merci", "merci bien"),
    ("possible", "faisable"),
    ("rapidement", "vite"),
    ("flight", "trip"),
    ("Hello", "Hi"),
    ("please", "kindly"),
    ("bag", "suitcase"),
    ("dossier", "fichier"),
    ("réservation", "résa"),
    ("combien", "quel montant"),
]


def near_edit(rng, msgs: list, lang: str, protected: list) -> tuple[list, str]:
    """One small edit; never touches a PII value or booking reference (``protected``)."""
    msgs = copy.deepcopy(msgs)

    def free(text: str, start: int, end: int) -> bool:
        for v in protected:
            for m in re.finditer(re.escape(v), text):
                if start < m.end() and m.start() < end:
                    return False
        return True

    order = ["greeting_added", "punctuation_changed", "word_changed"]
    rng.shuffle(order)
    for kind in order:
        u = msgs[0][1]
        if kind == "greeting_added":
            head = u.lstrip().lower()
            if lang == "fr" and not head.startswith(("bonjour", "bonsoir", "salut", "hello", "<p>")):
                msgs[0][1] = rng.choice(["Bonjour, ", "Bonjour ! ", "Bonsoir, "]) + u
                return msgs, kind
            if lang == "en" and not head.startswith(("hi", "hello", "good", "<p>")):
                msgs[0][1] = rng.choice(["Hello, ", "Hi! "]) + u
                return msgs, kind
        elif kind == "punctuation_changed":
            for target, repl in [("?", rng.choice([" ?", "??", " !"])), ("!", "."), (".", " !"), (",", "")]:
                i = u.rfind(target)
                if i > 0 and u[i - 1] != " " and free(u, i - 1, i + 2):
                    msgs[0][1] = u[:i] + repl + u[i + 1 :]
                    return msgs, kind
        else:
            idx = list(range(len(msgs)))
            rng.shuffle(idx)
            for k in idx:
                for old, new in WORD_SWAPS:
                    m = re.search(rf"\b{re.escape(old)}\b", msgs[k][1])
                    if m and free(msgs[k][1], m.start(), m.end()):
                        msgs[k][1] = msgs[k][1][: m.start()] + new + msgs[k][1][m.end() :]
                        return msgs, kind
    msgs[0][1] = "Bonjour, " + msgs[0][1]
    return msgs, "greeting_added"


# ---------------------------------------------------------------- main


def main() -> None:
    rng = random.Random(SEED)
    vault = Vault(rng)
    accepted_shingles: list[set] = []
    bases: dict[str, list[dict]] = {}
    rejected = 0

    for fname, plan in PLAN.items():
        items = []
        langs = ["en"] * plan["en"] + ["fr"] * (plan["base"] - plan["en"] - plan["lq"])
        rng.shuffle(langs)
        for lang in langs:
            pool = S.FR if lang == "fr" else S.EN
            for attempt in range(400):
                msgs, info = build_conversation(rng, lang, plan["style"], plan["max_turns"], pool)
                if fname == LEGACY:
                    # cp1252 cannot encode every character; keep only encodable texts
                    try:
                        for _, t in msgs:
                            t.encode("cp1252")
                    except UnicodeEncodeError:
                        continue
                sh = shingles(" ".join(t for _, t in msgs))
                if all(jaccard(sh, o) <= MAX_BASE_SIM for o in accepted_shingles):
                    break
                rejected += 1
            else:
                raise SystemExit("could not build a distinct conversation")
            accepted_shingles.append(sh)
            items.append(dict(msgs=msgs, info=info, lq=False))
        for k in LQ_SPLIT.get(fname, []):
            lq_msgs = [[r, t] for pair in S.LOW_QUALITY[k] for r, t in zip(("user", "assistant"), pair)]
            lang = "en" if k == 10 else "fr"
            items.insert(
                rng.randrange(len(items) + 1),
                dict(msgs=lq_msgs, info={"scenarios": ["low_quality"], "lang": lang}, lq=True),
            )
            accepted_shingles.append(shingles(" ".join(t for _, t in lq_msgs)))
        bases[fname] = items

    # ---- dirt + PII values, record by record
    for fname, items in bases.items():
        cp = fname == LEGACY
        style = PLAN[fname]["style"]
        p_moji, p_html, p_ws = {
            WEBCHAT: (0.10, 0.20, 0.30),
            SHAREGPT: (0.10, 0.12, 0.30),
            EMAILS: (0.10, 0.35, 0.25),
            LEGACY: (0.12, 0.12, 0.30),
        }[fname]
        for it in items:
            dirt = {}
            msgs = it["msgs"]
            lang = it["info"]["lang"]
            if not it["lq"]:
                if rng.random() < p_moji:
                    cand = [i for i, (_, t) in enumerate(msgs) if can_mojibake(t)]
                    if cand:
                        chosen = cand if rng.random() < 0.5 else [rng.choice(cand)]
                        for i in chosen:
                            msgs[i][1] = mojibake(msgs[i][1])
                        dirt["mojibake"] = chosen
                if rng.random() < p_html:
                    roles = [i for i, (r, _) in enumerate(msgs) if r == "assistant"]
                    if style == "email" and rng.random() < 0.3:
                        roles = [0] + roles
                    i = rng.choice(roles)
                    msgs[i][1], feats = html_dirt(rng, msgs[i][1], lang, slug_for(it["info"]["scenarios"][0]))
                    dirt["html"] = {"messages": [i], "features": feats}
                if rng.random() < p_ws:
                    chosen = rng.sample(range(len(msgs)), min(len(msgs), rng.choice([1, 1, 2])))
                    kinds = set()
                    for i in sorted(chosen):
                        msgs[i][1], k = whitespace_dirt(rng, msgs[i][1], cp)
                        kinds.update(k)
                    dirt["whitespace"] = {"messages": sorted(chosen), "kinds": sorted(kinds)}
            it["dirt"] = dirt
            # PII values
            values = {}
            first = it["info"].get("name")
            for slot, tag in TAGS.items():
                if any(tag in t for _, t in msgs):
                    if slot == "ref":
                        values[slot] = vault.ref()
                    elif slot == "email":
                        fn = rng.choice(S.FIRST_NAMES)
                        values[slot] = vault.email(fn, rng.choice(S.LAST_NAMES))
                    else:
                        values[slot] = getattr(vault, slot)()
            for m in msgs:
                for slot, (v, _) in values.items():
                    m[1] = m[1].replace(TAGS[slot], v)
                assert "@@" not in m[1], m[1]
            it["values"] = values

    # ---- ids, duplicates, malformed lines
    manifest_dups, manifest_near = [], []
    final: dict[str, list[dict]] = {}
    prefix = {WEBCHAT: "wc", SHAREGPT: "sg", EMAILS: "TCK", LEGACY: None}
    for fname, items in bases.items():
        ids = rng.sample(range(1000, 9999), len(items) + 40)
        ids_iter = iter(sorted(ids[: len(items)]) + ids[len(items) :])
        stamp = [2025, 1, 1]
        for it in items:
            it["kind"] = "base"
            n = next(ids_iter)
            if fname == WEBCHAT:
                it["id"] = f"wc-2025-{n:05d}"
            elif fname == SHAREGPT:
                it["id"] = f"sg_{n:05d}"
            elif fname == EMAILS:
                it["id"] = f"TCK-{100000 + n}"
            else:
                it["id"] = None
        if fname == EMAILS:
            days = sorted(rng.randrange(0, 300) for _ in items)
            for it, d in zip(items, days):
                month, day = 1, d + 1
                mdays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
                while day > mdays[month - 1]:
                    day -= mdays[month - 1]
                    month += 1
                it["date"] = f"2025-{month:02d}-{day:02d} {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
        plan = PLAN[fname]
        eligible = [it for it in items if not it["lq"]]
        near_src = rng.sample([it for it in eligible if len(" ".join(t for _, t in it["msgs"])) >= 220], plan["near"])
        exact_src = rng.sample([it for it in eligible if it not in near_src], plan["exact"])
        seq = list(items)
        for src in exact_src:
            dup = copy.deepcopy(src)
            dup["kind"] = "exact_duplicate"
            dup["src"] = src
            if src["id"] is not None and rng.random() < 0.5:
                dup["id"] = next(ids_iter)
                dup["id"] = {
                    WEBCHAT: f"wc-2025-{dup['id']:05d}",
                    SHAREGPT: f"sg_{dup['id']:05d}",
                    EMAILS: f"TCK-{100000 + dup['id']}",
                }[fname]
            pos = seq.index(src)
            seq.insert(rng.randint(pos + 1, len(seq)), dup)
        for src in near_src:
            dup = copy.deepcopy(src)
            dup["kind"] = "near_duplicate"
            dup["src"] = src
            dup["msgs"], dup["edit"] = near_edit(
                rng, src["msgs"], src["info"]["lang"], [v for v, _ in src["values"].values()]
            )
            if src["id"] is not None:
                n = next(ids_iter)
                dup["id"] = {WEBCHAT: f"wc-2025-{n:05d}", SHAREGPT: f"sg_{n:05d}", EMAILS: f"TCK-{100000 + n}"}[fname]
            pos = seq.index(src)
            seq.insert(rng.randint(pos + 1, len(seq)), dup)
        final[fname] = seq

    # malformed lines (JSONL files only), never carrying PII
    def plain_conv(lang="fr"):
        for _ in range(200):
            msgs, _ = build_conversation(rng, lang, "chat", 1, [s for s in S.FR if s["key"] not in PII_SCEN])
            if not any("@@" in t for _, t in msgs):
                return msgs
        raise SystemExit("no plain conversation")

    def truncated(obj_text: str) -> str:
        cut = int(len(obj_text) * rng.uniform(0.45, 0.75))
        return obj_text[:cut]

    malformed_specs = {
        WEBCHAT: ["truncated_json", "bare_string", "missing_field", "empty_content"],
        SHAREGPT: ["truncated_json", "missing_field", "empty_content"],
        LEGACY: ["truncated_json", "bare_string"],
    }
    for fname, kinds in malformed_specs.items():
        for kind in kinds:
            msgs = [[r, t.replace("@@", "")] for r, t in plain_conv()]
            if fname == WEBCHAT:
                cid = f"wc-2025-{rng.randint(10000, 19999):05d}"
                if kind == "truncated_json":
                    line = truncated(
                        json.dumps(
                            {
                                "conversation_id": cid,
                                "channel": "webchat",
                                "messages": [{"role": r, "content": t} for r, t in msgs],
                            },
                            ensure_ascii=False,
                        )
                    )
                elif kind == "bare_string":
                    line = json.dumps("bonjour je n'arrive pas a me connecter a mon compte", ensure_ascii=False)
                elif kind == "missing_field":
                    line = json.dumps({"conversation_id": cid, "channel": "webchat", "status": "abandoned"})
                else:
                    line = json.dumps(
                        {
                            "conversation_id": cid,
                            "channel": "webchat",
                            "messages": [
                                {"role": "user", "content": ""},
                                {"role": "assistant", "content": "Bonjour, comment puis-je vous aider ?"},
                            ],
                        },
                        ensure_ascii=False,
                    )
            elif fname == SHAREGPT:
                sid = f"sg_{rng.randint(10000, 19999):05d}"
                if kind == "truncated_json":
                    line = truncated(
                        json.dumps(
                            {
                                "id": sid,
                                "conversations": [
                                    {"from": "human" if r == "user" else "gpt", "value": t} for r, t in msgs
                                ],
                            },
                            ensure_ascii=False,
                        )
                    )
                elif kind == "missing_field":
                    line = json.dumps({"id": sid, "source": "chat-widget-v1"})
                else:
                    line = json.dumps(
                        {
                            "id": sid,
                            "conversations": [{"from": "human", "value": msgs[0][1]}, {"from": "gpt", "value": ""}],
                        },
                        ensure_ascii=False,
                    )
            else:
                if kind == "truncated_json":
                    line = truncated(json.dumps({"prompt": msgs[0][1], "completion": msgs[1][1]}, ensure_ascii=False))
                else:
                    line = json.dumps("Client : ma réservation n'apparaît plus dans mon espace", ensure_ascii=False)
            if kind == "truncated_json":
                try:
                    json.loads(line)
                    raise SystemExit("truncation produced valid JSON")
                except json.JSONDecodeError:
                    pass
            seq = final[fname]
            seq.insert(rng.randint(1, len(seq) - 1), {"kind": "malformed", "malformed": kind, "line": line})

    # ---- serialise
    LOGS.mkdir(parents=True, exist_ok=True)
    where = {}  # id(record) -> (file, line or row)

    def record_json(fname, it):
        if fname == WEBCHAT:
            return json.dumps(
                {
                    "conversation_id": it["id"],
                    "channel": "webchat",
                    "messages": [{"role": r, "content": t} for r, t in it["msgs"]],
                },
                ensure_ascii=False,
            )
        if fname == SHAREGPT:
            return json.dumps(
                {
                    "id": it["id"],
                    "conversations": [{"from": "human" if r == "user" else "gpt", "value": t} for r, t in it["msgs"]],
                },
                ensure_ascii=False,
            )
        return json.dumps({"prompt": it["msgs"][0][1], "completion": it["msgs"][1][1]}, ensure_ascii=False)

    for fname in (WEBCHAT, SHAREGPT, LEGACY):
        lines = []
        for n, it in enumerate(final[fname], start=1):
            lines.append(it["line"] if it["kind"] == "malformed" else record_json(fname, it))
            where[id(it)] = (fname, n)
        text = "\n".join(lines) + "\n"
        path = ROOT / fname
        if fname == LEGACY:
            path.write_bytes(text.encode("cp1252"))
        else:
            path.write_text(text, encoding="utf-8")

    buf = io.StringIO()
    w = csv.writer(buf)  # QUOTE_MINIMAL: fields with commas, quotes or newlines are quoted
    w.writerow(["ticket_id", "date", "customer_message", "agent_reply", "channel"])
    for n, it in enumerate(final[EMAILS], start=1):
        src = it.get("src", it)
        if "channel" not in src:
            src["channel"] = rng.choice(["email", "email", "web_form"])
        it["channel"] = src["channel"]
        date = src["date"]
        w.writerow([it["id"], date, it["msgs"][0][1], it["msgs"][1][1], it["channel"]])
        where[id(it)] = (EMAILS, n)
    (ROOT / EMAILS).write_text(buf.getvalue(), encoding="utf-8", newline="")

    # ---- manifest
    def loc(it):
        f, n = where[id(it)]
        d = {"file": f, ("row" if f == EMAILS else "line"): n}
        if it.get("id") is not None:
            d["id"] = it["id"]
        return d

    valid = {f: [it for it in seq if it["kind"] != "malformed"] for f, seq in final.items()}
    all_valid = [it for f in final for it in valid[f]]

    def text_of(it):
        return "\n".join(t for _, t in it["msgs"])

    def pii_block(slot: str, label_formats: bool = True) -> dict:
        occurrences, occ_base, by_file, by_format = 0, 0, {}, {}
        distinct = {}
        for f in final:
            for it in valid[f]:
                if slot not in it["values"]:
                    continue
                v, fmt = it["values"][slot]
                c = text_of(it).count(v)
                occurrences += c
                if it["kind"] == "base":
                    occ_base += c
                by_file[f] = by_file.get(f, 0) + c
                by_format[fmt] = by_format.get(fmt, 0) + c
                distinct[v] = fmt
        # cross-check: the value strings occur nowhere else
        total_scan = sum(text_of(it).count(v) for it in all_valid for v in distinct)
        assert total_scan == occurrences, (slot, total_scan, occurrences)
        out = {
            "occurrences": occurrences,
            "occurrences_in_base_records": occ_base,
            "distinct_count": len(distinct),
            "by_file": by_file,
        }
        if label_formats:
            out["by_format"] = by_format
        out["values"] = sorted(distinct)
        return out

    mojibake_items, html_items, ws_items = [], [], []
    html_features, ws_kinds = {}, {}
    for f in final:
        for it in valid[f]:
            if it["kind"] != "base":
                continue
            d = it["dirt"]
            if "mojibake" in d:
                mojibake_items.append({**loc(it), "messages": d["mojibake"]})
            if "html" in d:
                html_items.append({**loc(it), **d["html"]})
                for ft in d["html"]["features"]:
                    html_features[ft] = html_features.get(ft, 0) + 1
            if "whitespace" in d:
                ws_items.append({**loc(it), **d["whitespace"]})
                for k in d["whitespace"]["kinds"]:
                    ws_kinds[k] = ws_kinds.get(k, 0) + 1

    exact_items, near_items = [], []
    for f in final:
        for it in valid[f]:
            if it["kind"] == "exact_duplicate":
                exact_items.append(
                    {
                        **loc(it),
                        "duplicate_of": loc(it["src"]),
                        "same_id": it.get("id") == it["src"].get("id") and it.get("id") is not None,
                    }
                )
            elif it["kind"] == "near_duplicate":
                sim = jaccard(shingles(text_of(it)), shingles(text_of(it["src"])))
                near_items.append(
                    {**loc(it), "near_duplicate_of": loc(it["src"]), "edit": it["edit"], "char5_jaccard": round(sim, 3)}
                )
    malformed = []
    for f in final:
        for it in final[f]:
            if it["kind"] == "malformed":
                malformed.append({"file": f, "line": where[id(it)][1], "kind": it["malformed"]})

    lq_items = [
        {**loc(it), "messages": [{"role": r, "content": t} for r, t in it["msgs"]]}
        for f in final
        for it in valid[f]
        if it["lq"]
    ]
    en_items = [loc(it) for f in final for it in valid[f] if it["info"]["lang"] == "en"]

    files = {}
    for f in final:
        files[f] = {
            "format": {
                WEBCHAT: "openai_messages",
                SHAREGPT: "sharegpt",
                EMAILS: "csv_tickets",
                LEGACY: "prompt_completion",
            }[f],
            "encoding": "cp1252" if f == LEGACY else "utf-8",
            ("data_rows" if f == EMAILS else "lines"): len(final[f]),
            "valid_records": len(valid[f]),
            "base_records": sum(it["kind"] == "base" for it in valid[f]),
            "exact_duplicates": sum(it["kind"] == "exact_duplicate" for it in valid[f]),
            "near_duplicates": sum(it["kind"] == "near_duplicate" for it in valid[f]),
            "malformed_lines": sum(it["kind"] == "malformed" for it in final[f]),
            "english_records": sum(it["info"]["lang"] == "en" for it in valid[f]),
            "low_quality_records": sum(it["lq"] for it in valid[f]),
            "multi_turn_records": sum(len(it["msgs"]) > 2 for it in valid[f]),
        }

    manifest = {
        "description": (
            "Raw Hirondelle Air customer conversations, deliberately dirty, for the data-cleaning stage. "
            "Written and generated for chatforge; fictional; all PII is synthetic."
        ),
        "generator": "scripts/gen_logs.py",
        "seed": SEED,
        "cp1252_file": LEGACY,
        "files": files,
        "total_valid_records": len(all_valid),
        "total_base_records": sum(it["kind"] == "base" for it in all_valid),
        "counting_rules": {
            "valid_record": "a line/row that parses and has the expected non-empty fields; malformed lines are not records",
            "exact_duplicate": "a later record whose message texts are identical to an earlier record of the same file "
            "(ids may differ; same_id tells); the earlier one is the original to keep",
            "near_duplicate": "a later record equal to an earlier one except one small edit (greeting added, "
            "punctuation changed or one word changed); char5_jaccard is computed on lower-cased, "
            "whitespace-collapsed text",
            "base_similarity": f"any two base records have char-5-gram Jaccard <= {MAX_BASE_SIM} before dirt",
            "pii_occurrences": "number of times the exact value string occurs in message texts of valid records "
            "(duplicates included); occurrences_in_base_records excludes the duplicate copies",
            "line_numbers": "1-based physical line numbers for JSONL; 1-based data row (header excluded) for the CSV",
            "dirt_lists": "mojibake/html/whitespace lists name base records only; their duplicates inherit the dirt",
            "company_contacts": "the airline's public phone number and e-mail address never appear in the logs",
        },
        "exact_duplicates": {"count": len(exact_items), "items": exact_items},
        "near_duplicates": {"count": len(near_items), "items": near_items},
        "pii": {
            "emails": pii_block("email", label_formats=False),
            "phones": pii_block("phone"),
            "ibans": pii_block("iban"),
            "cards_luhn_valid": pii_block("card"),
        },
        "not_pii": {
            "luhn_invalid_16_digit_numbers": {
                "note": "order numbers with 16 digits that FAIL the Luhn check: must NOT be redacted as card numbers",
                **pii_block("order"),
            },
            "booking_references": {
                "note": "6 uppercase letters/digits; booking references are not PII and must be kept",
                **pii_block("ref", label_formats=False),
            },
        },
        "malformed_lines": {"count": len(malformed), "items": malformed},
        "low_quality": {"count": len(lq_items), "items": lq_items},
        "english": {"count": len(en_items), "items": en_items},
        "mojibake": {
            "count": len(mojibake_items),
            "how": "UTF-8 bytes decoded as cp1252 (text.encode('utf-8').decode('cp1252')); ftfy.fix_text repairs it",
            "items": mojibake_items,
        },
        "html": {"count": len(html_items), "features": html_features, "items": html_items},
        "whitespace": {"count": len(ws_items), "kinds": ws_kinds, "items": ws_items},
        "similarity_rejections_during_generation": rejected,
    }
    (LOGS / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"records: {len(all_valid)}; exact dups {len(exact_items)}; near dups {len(near_items)}; "
        f"malformed {len(malformed)}; rejections {rejected}"
    )
    for k, v in manifest["pii"].items():
        print(k, v["occurrences"], v.get("by_format"))
    for k, v in manifest["not_pii"].items():
        print(k, v["occurrences"], v.get("by_format"))


if __name__ == "__main__":
    main()
