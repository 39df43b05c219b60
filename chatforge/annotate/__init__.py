"""The human annotation workspace: campaigns of prompts with several answers, ranked, flagged and corrected by people.

chatforge annotate create --name NAME --prompts FILE --model M --answers-per-prompt K --annotators-per-item N
chatforge annotate export --name NAME --format rm|dpo|sft|kto --out FILE
chatforge annotate report --name NAME --json
(pages at /annotate of `chatforge serve`)
"""
