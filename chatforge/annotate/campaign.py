"""Opening a campaign: items from a source, K answers per prompt (generated and/or existing), shuffled, assigned.

    chatforge annotate create --name NAME --prompts FILE --model M [--model M2] --answers-per-prompt K \
                              --annotators-per-item N [--annotators alice,bob,...]

Generated answer slot j of a prompt comes from model j mod len(models), sampled with the
recorded settings and a seed of its own (seed * 100003 + prompt line * K + j), so a campaign
can be regenerated answer for answer. Items are committed as their answers are made: an
interrupted `create` run again with the same name carries on where it stopped. Once every
answer exists the items are shuffled (queue order) and each item's answers shuffled and
labelled A, B, C... with the campaign seed: position and label say nothing about the model.

`--annotators` and `--reviewers` list the campaign's members (store/annotation.py: who sees it); the
annotators are also given their items at once, each only items whose sources their key roles
may read.
"""

from __future__ import annotations

import random

from pydantic import Field
from sqlalchemy import func, select

from chatforge.annotate.sources import Source
from chatforge.config import StageConfig
from chatforge.data.pii import PIIConfig
from chatforge.errors import UserError
from chatforge.store.annotation import Answer, Assignment, Campaign, Item, add_members, key_roles, labels, readable
from chatforge.store.database import Store


class CampaignConfig(StageConfig):
    name: str = Field(..., min_length=1, max_length=200, description="Campaign name (unique in the database).")
    models: list[str] = Field(
        default_factory=list,
        description="Models generating answers (id, folder, .gguf, 'default'); slots alternate between them.",
    )
    answers_per_prompt: int = Field(
        2, ge=0, le=8, description="Answers generated per prompt (added to existing answers in review mode)."
    )
    annotators_per_item: int = Field(2, ge=1, le=20, description="Annotators who judge each item.")
    temperature: float = Field(0.8, ge=0, le=2, description="Sampling temperature of generated answers.")
    top_p: float = Field(0.95, gt=0, le=1, description="Nucleus sampling of generated answers.")
    max_new_tokens: int = Field(256, ge=1, description="Longest generated answer, in tokens.")
    seed: int = Field(0, description="Seed of the sampling, of the item order and of the answer labels.")
    device: str | None = Field(None, description="cpu / cuda for generation; unset = cuda when available.")
    limit: int | None = Field(None, ge=1, description="Use at most this many prompts.")
    pii: PIIConfig = Field(
        default_factory=PIIConfig,
        description="Personal-data redaction of served conversations (--from-feedback), as data prepare.",
    )


class CampaignError(UserError, ValueError):
    """A campaign that cannot be created as asked (name taken with other settings, no items...)."""


def _settings(cfg: CampaignConfig, mode: str, source: dict) -> dict:
    return {
        "mode": mode,
        "models": cfg.models,
        "answers_per_prompt": cfg.answers_per_prompt,
        "sampling": {"temperature": cfg.temperature, "top_p": cfg.top_p, "max_new_tokens": cfg.max_new_tokens},
        "seed": cfg.seed,
        "source": source,
    }


def open_campaign(store: Store, cfg: CampaignConfig, mode: str, sources: list[Source], source: dict) -> Campaign:
    """The campaign row and its items (answers known so far), created once; an existing one is resumed."""
    sources = sources[: cfg.limit] if cfg.limit else sources
    settings = _settings(cfg, mode, source)
    with store.session() as s:
        camp = s.scalar(select(Campaign).where(Campaign.name == cfg.name))
        if camp is not None:
            if camp.settings != settings or camp.annotators_per_item != cfg.annotators_per_item:
                raise CampaignError(f"campaign {cfg.name!r} exists with other settings; pick another --name")
            return camp
        if not sources:
            raise CampaignError("no usable prompt in the source")
        if mode != "generate" and not cfg.models and not any(src.answers for src in sources):
            raise CampaignError("no answers to review")
        if mode == "generate" and (not cfg.models or cfg.answers_per_prompt < 1):
            raise CampaignError("generating answers needs --model and --answers-per-prompt >= 1")
        camp = Campaign(name=cfg.name, mode=mode, annotators_per_item=cfg.annotators_per_item, settings=settings)
        s.add(camp)
        s.flush()
        order = list(range(len(sources)))
        random.Random(cfg.seed).shuffle(order)
        for position, index in enumerate(order):
            src = sources[index]
            item = Item(campaign_id=camp.id, source_index=index, position=position, prompt=src.prompt, meta=src.meta)
            s.add(item)
            s.flush()
            for slot, ans in enumerate(src.answers):
                s.add(
                    Answer(item_id=item.id, slot=slot, content=ans["content"], model=ans["model"], origin=ans["origin"])
                )
        s.commit()
        return camp


def generate_answers(store: Store, camp: Campaign, cfg: CampaignConfig, progress: bool = True) -> int:
    """Fill every missing generated slot, one model loaded at a time; returns the answers made."""
    from chatforge.models.generate import stream
    from chatforge.models.load import load_model
    from chatforge.output import progress_bar

    k, models = cfg.answers_per_prompt, cfg.models
    if not models or k < 1:
        return 0
    made = 0
    with store.session() as s:
        items = list(s.scalars(select(Item).where(Item.campaign_id == camp.id).order_by(Item.source_index)))
        existing = dict(
            s.execute(
                select(Answer.item_id, func.count(Answer.id))
                .join(Item, Item.id == Answer.item_id)
                .where(Item.campaign_id == camp.id, Answer.origin != "generated")
                .group_by(Answer.item_id)
            ).all()
        )
        have = {
            (a.item_id, a.slot)
            for a in s.scalars(select(Answer).join(Item, Item.id == Answer.item_id).where(Item.campaign_id == camp.id))
        }
    for m, spec in enumerate(models):
        todo = [
            (it, j)
            for it in items
            for j in range(k)
            if j % len(models) == m and (it.id, existing.get(it.id, 0) + j) not in have
        ]
        if not todo:
            continue
        model, tokenizer = load_model(spec, cfg.device)
        with progress_bar(disable=not progress) as bar:
            task = bar.add_task(f"answers from {spec}", total=len(todo), unit="answers")
            for it, j in todo:
                seed = cfg.seed * 100003 + it.source_index * k + j
                sampling = {
                    "temperature": cfg.temperature,
                    "top_p": cfg.top_p,
                    "max_new_tokens": cfg.max_new_tokens,
                    "seed": seed,
                }
                text = "".join(
                    stream(
                        model,
                        tokenizer,
                        messages=it.prompt,
                        max_new_tokens=cfg.max_new_tokens,
                        temperature=cfg.temperature,
                        top_p=cfg.top_p,
                        seed=seed,
                    )
                ).strip()
                with store.session() as s:  # committed per answer: an interrupted run loses at most one
                    s.add(
                        Answer(
                            item_id=it.id,
                            slot=existing.get(it.id, 0) + j,
                            content=text,
                            model=spec,
                            origin="generated",
                            sampling=sampling,
                        )
                    )
                    s.commit()
                made += 1
                bar.advance(task)
        del model
    return made


def finalize(store: Store, camp: Campaign) -> dict:
    """Shuffle and label each item's answers, then open the campaign; returns counts."""
    with store.session() as s:
        camp = s.get(Campaign, camp.id)
        items = list(s.scalars(select(Item).where(Item.campaign_id == camp.id)))
        n_answers = 0
        for it in items:
            answers = sorted(s.scalars(select(Answer).where(Answer.item_id == it.id)), key=lambda a: a.slot)
            random.Random(f"{camp.settings['seed']}:{it.source_index}").shuffle(answers)
            for a, label in zip(answers, labels(len(answers))):
                a.label = label
            n_answers += len(answers)
        camp.status = "open"
        s.commit()
        return {"items": len(items), "answers": n_answers}


def add_reviewers(store: Store, camp_name: str, users: list[str]) -> int:
    """List `users` as the campaign's reviewers; returns how many were new."""
    with store.session() as s:
        camp = s.scalar(select(Campaign).where(Campaign.name == camp_name))
        if camp is None:
            raise CampaignError(f"no campaign named {camp_name!r}")
        made = add_members(s, camp, [store.user(u, s).id for u in users], "reviewer")
        s.commit()
    return made


def assign(store: Store, camp_name: str, users: list[str]) -> int:
    """List `users` as annotators and give each item to annotators_per_item of them, the least loaded first,
    each only items whose sources the roles of their active keys may read; returns new assignments."""
    made = 0
    with store.session() as s:
        camp = s.scalar(select(Campaign).where(Campaign.name == camp_name))
        if camp is None:
            raise CampaignError(f"no campaign named {camp_name!r}")
        user_ids = [store.user(u, s).id for u in users]
        add_members(s, camp, user_ids, "annotator")
        roles = {u: key_roles(s, u) for u in user_ids}
        load = {u: 0 for u in user_ids}
        for uid, n in s.execute(
            select(Assignment.user_id, func.count())
            .join(Item, Item.id == Assignment.item_id)
            .where(Item.campaign_id == camp.id)
            .group_by(Assignment.user_id)
        ).all():
            if uid in load:
                load[uid] = n
        for it in s.scalars(select(Item).where(Item.campaign_id == camp.id).order_by(Item.position)):
            taken = set(
                s.scalars(select(Assignment.user_id).where(Assignment.item_id == it.id, Assignment.status != "skipped"))
            )
            skipped = set(s.scalars(select(Assignment.user_id).where(Assignment.item_id == it.id)))
            free = sorted(
                (u for u in user_ids if u not in skipped and readable(it, camp.mode, roles[u])),
                key=lambda u: (load[u], user_ids.index(u)),
            )
            for uid in free[: max(0, camp.annotators_per_item - len(taken))]:
                s.add(Assignment(item_id=it.id, user_id=uid))
                load[uid] += 1
                made += 1
        s.commit()
    return made
