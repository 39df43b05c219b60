"""The verifier removes sentences that repeat the system prompt (a base model reciting its instructions)."""

from __future__ import annotations

from chatforge.rag.prompt import PromptConfig, build_prompt
from chatforge.rag.verify import VerifyConfig, verify

PASSAGES = [
    {
        "doc_id": "board",
        "text": "The Utility Board of Riverbend Municipal Utilities meets on the second Tuesday of each month "
        "at 6:30 p.m. in the Council Chamber. Meetings are public.",
    },
    {"doc_id": "contact", "text": "Riverbend Municipal Utilities answers customer questions by phone on weekdays."},
]
QUESTION = "When are the Utility Board's public meetings held?"


def _system() -> str:
    cfg = PromptConfig(
        assistant="the virtual assistant of Riverbend Municipal Utilities", organisation="Riverbend Municipal Utilities"
    )
    messages = build_prompt(QUESTION, PASSAGES, cfg).messages
    return "\n".join(m["content"] for m in messages if m["role"] == "system")


def test_recited_instructions_are_removed_and_the_fact_stays():
    told = _system()
    echo = "You are the virtual assistant of Riverbend Municipal Utilities, answering questions for Riverbend Municipal Utilities [1]."
    fact = "The Utility Board meets on the second Tuesday of each month at 6:30 p.m. [1]."
    v = verify(f"{echo} {fact}", PASSAGES, VerifyConfig(), QUESTION, told)
    assert echo in v.removed_sentences
    assert "second Tuesday" in v.text and "virtual assistant" not in v.text
    # without the instructions the same echo passes: the passages name the organisation
    assert "virtual assistant" in verify(f"{echo} {fact}", PASSAGES, VerifyConfig(), QUESTION).text


def test_an_answer_that_is_only_recited_instructions_does_not_leave():
    told = _system()
    reply = (
        "You are the virtual assistant of Riverbend Municipal Utilities, answering questions for Riverbend "
        "Municipal Utilities [3]. 1 [3]. Answer only from the numbered passages inside <passages> [3]. 2 [3]."
    )
    v = verify(reply, PASSAGES, VerifyConfig(), QUESTION, told)
    assert "virtual assistant" not in v.text and "numbered passages" not in v.text
    assert v.abstained or v.quoted
