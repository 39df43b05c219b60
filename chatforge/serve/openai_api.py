"""The OpenAI-compatible API: `POST /v1/chat/completions` (JSON or server-sent events) and `GET /v1/models`.

    curl -H "Authorization: Bearer $KEY" localhost:8000/v1/chat/completions \
         -d '{"model": "default", "messages": [{"role": "user", "content": "Bagage cabine ?"}], "stream": true}'

The wire format is OpenAI's, so the official `openai` client works unchanged: a response is a
`chat.completion` with `usage`; a stream is `chat.completion.chunk` events, the first with the
assistant role, the last with `finish_reason`, then (with `stream_options.include_usage`) a
chunk with empty `choices` and `usage`, then `data: [DONE]`.

chatforge adds fields the client ignores: `conversation_id` and `regenerate_of` in the request
(`extra_body` in the openai client), and `conversation_id`, `message_id`, `variant` and
`sources` in the response (on the first and last chunk of a stream). With an index, the response
(and a stream's last chunk, and the stored message) also carries `grounding: {abstained, verified,
support, citations, removed_sentences}`: the answer went through the grounding path of
rag/grounding.py (gate before generation, verification after). A stream then generates the whole
answer, verifies it, and streams the verified text (`verify then stream`), so streaming and JSON
answers say the same thing; without verification (`rag.verify.enabled: false`) pieces stream as generated.

A request is checked before anything is stored or retrieved: body size (limits.py), characters per
message and in all, the stored conversation and `regenerate_of`, and the prompt plus `max_tokens`
against the model's context (a 400 naming the limit); `max_tokens` above the server's cap is lowered
to it; a full queue is a 503 with Retry-After. Tokenising, retrieval and database work run in worker
threads, off the event loop. A JSON answer is committed with its conversation and user message in
one transaction; a stream commits the conversation and user message when it starts (its first chunk
names them) and deletes them again if it ends without an answer. A client that leaves, streaming or
not, cancels its generation; nothing of that turn is kept.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sse_starlette.sse import EventSourceResponse
from starlette.background import BackgroundTask

from chatforge.serve.ab import assign
from chatforge.serve.engines import ContextTooLong, EngineError, Generation, QueueFull
from chatforge.serve.limits import check_chars, utf8_text
from chatforge.store.auth import Principal, principal

router = APIRouter(tags=["openai"])

MAX_ID = 2**63 - 1  # database ids are signed 64-bit integers
DISCONNECT_POLL_S = 0.25  # how often a JSON request waiting on its answer checks that its client is still there
CLIENT_GONE = 499  # the status logged for a client that left before its answer (nginx's "client closed request")


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    @field_validator("content")
    @classmethod
    def _storable(cls, content):
        for part in [] if isinstance(content, str) else content or []:
            if part.get("type") == "text" and not isinstance(part.get("text"), str):
                raise ValueError("a content part of type text needs a string `text`")
        for text in [content] if isinstance(content, str) else [p.get("text") for p in content or []]:
            if isinstance(text, str):
                utf8_text(text)
        return content

    def text(self) -> str:
        if isinstance(self.content, list):  # OpenAI content parts: keep the text ones
            return "".join(p.get("text", "") for p in self.content if p.get("type") == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # unknown OpenAI fields (logprobs, tools, ...) are accepted and ignored

    model: str = Field(description="Model name (A/B routing decides which model answers; see GET /v1/models).")
    messages: list[ChatMessage] = Field(
        min_length=1, description="The conversation so far; the last one is the user's."
    )
    stream: bool = Field(False, description="Stream server-sent events.")
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(
        None, ge=1, le=MAX_ID, description="Longest answer in tokens (capped by the server)."
    )
    max_completion_tokens: int | None = Field(None, ge=1, le=MAX_ID, description="Alias of max_tokens (newer clients).")
    temperature: float | None = Field(None, ge=0, le=2, allow_inf_nan=False)
    top_p: float | None = Field(None, gt=0, le=1, allow_inf_nan=False)
    user: str | None = None
    conversation_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="chatforge: continue this stored conversation."
    )
    regenerate_of: int | None = Field(
        None, ge=1, le=MAX_ID, description="chatforge: this answer replaces the answer with this message id."
    )


def _chunk(cid: str, model: str, created: int, delta: dict, finish: str | None = None, **extra) -> str:
    body = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return json.dumps(body, ensure_ascii=False)


def _grounding(turn) -> dict:
    """The `grounding` field of a grounded answer (none without an index)."""
    g = turn.grounding()
    return {"grounding": g} if g is not None else {}


def stream_pieces(text: str, words: int = 4) -> list[str]:
    """`text` cut into chunks of a few words whose concatenation is exactly `text`."""
    tokens = re.findall(r"\s*\S+", text)
    pieces = ["".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]
    if pieces and len("".join(pieces)) < len(text):  # trailing whitespace
        pieces[-1] += text[len("".join(pieces)) :]
    return pieces


def _usage(gen) -> dict:
    return {
        "prompt_tokens": gen.prompt_tokens,
        "completion_tokens": gen.completion_tokens,
        "total_tokens": gen.prompt_tokens + gen.completion_tokens,
    }


def _engine_http_error(exc: EngineError) -> HTTPException:
    headers = {"Retry-After": "2"} if isinstance(exc, QueueFull) or exc.status in (429, 503) else None
    return HTTPException(exc.status, detail=str(exc), headers=headers)


def _check_context(engine, messages: list[dict], max_tokens: int) -> None:
    """The engine's own context check, for a prompt not submitted yet (an engine that does not tokenise: none)."""
    encode, limit = getattr(engine, "encode", None), getattr(engine, "context_length", None)
    if encode is None or not limit:
        return
    n = len(encode(messages))
    if n + max_tokens > limit:
        raise _engine_http_error(
            ContextTooLong(
                f"this model's context limit is {limit} tokens; the prompt has {n} and max_tokens asks for "
                f"{max_tokens} more: shorten the conversation or lower max_tokens"
            )
        )


class Turn:
    """One request's turn: checks, variant and engine, the prompt, and the rows it stores (all or none)."""

    def __init__(self, request: Request, req: ChatRequest, who: Principal):
        state = request.app.state
        cfg = state.cfg
        self.state, self.req, self.who = state, req, who
        asked = req.max_completion_tokens or req.max_tokens or cfg.default_max_tokens
        self.max_tokens = min(asked, cfg.max_tokens_cap)
        self.temperature = cfg.temperature if req.temperature is None else req.temperature
        self.top_p = req.top_p or 1.0
        self.history = [
            {"role": m.role if m.role != "developer" else "system", "content": m.text()} for m in req.messages
        ]
        if self.history[-1]["role"] != "user":
            raise HTTPException(422, detail="messages: the last message must be the user's")
        check_chars([m["content"] for m in self.history], cfg.max_message_chars, cfg.max_total_chars)
        self.question = self.history[-1]["content"]
        self.sources: list[str] = []
        self.grounded = None  # rag.grounding.GroundedPrompt with an index
        self.verified = None  # rag.verify.Verified once the answer is checked
        self.parent_id: int | None = None  # a regeneration answers the user message of the answer it replaces
        self.conv_id: int | None = req.conversation_id
        self.opened: tuple[int | None, int | None] | None = None  # rows a stream wrote before its answer
        self.answered = False

    def prepare(self) -> None:
        """In a worker thread, writing no chat row: variant, stored conversation, regenerate_of, context, grounding."""
        state, req, store = self.state, self.req, self.state.store
        self.variant = (
            assign(store, self.who.user_id, self.who.user, state.cfg.b_share) if "B" in state.engines else "A"
        )
        self.engine = state.engines[self.variant]
        if req.conversation_id is not None:
            try:
                store.conversation(self.who.user_id, req.conversation_id, "")  # an existing id only reads
            except KeyError:
                raise HTTPException(404, detail=f"conversation {req.conversation_id} not found for this user") from None
        if req.regenerate_of is not None:
            old = store.message(req.regenerate_of)
            if (
                old is None
                or req.conversation_id is None
                or old.conversation_id != req.conversation_id
                or old.role != "assistant"
            ):
                raise HTTPException(404, detail=f"regenerate_of: no answer {req.regenerate_of} in this conversation")
            self.parent_id = old.parent_id
        self.gen_messages = self.history
        if state.grounding is not None:
            _check_context(self.engine, self.history, self.max_tokens)  # a prompt too long already: no retrieval
            self.grounded = state.grounding.ground(self.question, list(self.who.roles), self.history[:-1])
            self.gen_messages, self.sources = self.grounded.messages, self.grounded.sources

    @property
    def verifying(self) -> bool:
        """Answers are checked (and a stream verified before it is sent): an index and verification on."""
        return self.grounded is not None and self.state.grounding.verify_cfg.enabled

    def check(self, text: str) -> str:
        """The answer that leaves: verified against the passages (or the gate's abstention); `grounding` set."""
        if self.grounded is None:
            return text
        self.verified = self.state.grounding.finish(self.grounded, text)
        return self.verified.text

    def grounding(self) -> dict | None:
        return self.verified.grounding() if self.verified is not None else None

    async def submit(self):
        """The engine's Generation; a tokenising engine is called in a worker thread (the prompt can be long)."""
        args = (self.gen_messages, self.max_tokens, self.temperature, self.top_p)
        if self.grounded is not None and self.grounded.abstain:  # the gate (or no passage): nothing to generate
            gen = Generation(0, self.max_tokens, self.temperature, self.top_p, self.gen_messages)
            gen.finish_reason = "stop"
            gen.push(None)
            self.model = self.engine.name
            return gen
        try:
            if getattr(self.engine, "encode", None) is not None:
                gen = await run_in_threadpool(self.engine.submit, *args)
            else:  # a remote engine starts its forwarding task on this loop
                gen = self.engine.submit(*args)
        except (ContextTooLong, QueueFull) as exc:
            raise _engine_http_error(exc) from None
        # a registry: engine may swap versions mid-answer: the answer names the version that wrote it (model_watch.py)
        self.model = getattr(gen, "model_name", None) or self.engine.name
        return gen

    def _answer_fields(self, gen, text: str) -> dict:
        return dict(
            content=text,
            model=self.model,
            variant=self.variant,
            regenerates=self.req.regenerate_of,
            prompt=self.history,
            sources=self.sources,
            grounding=self.grounding(),
            prompt_tokens=gen.prompt_tokens,
            completion_tokens=gen.completion_tokens,
            finish_reason=gen.finish_reason,
            latency_s=gen.seconds,
        )

    def _question(self) -> str | None:
        return None if self.req.regenerate_of is not None else self.question

    def record(self, gen, text: str):
        """A JSON answer: conversation (when new), user message and answer in one transaction; the answer row."""
        extra = {"parent_id": self.parent_id} if self.req.regenerate_of is not None else {}
        try:
            conv, msg = self.state.store.record_turn(
                self.who.user_id, self.conv_id, self._question(), **extra, **self._answer_fields(gen, text)
            )
        except KeyError:  # erased while the answer was generated
            raise HTTPException(404, detail=f"conversation {self.conv_id} not found for this user") from None
        self.conv_id, self.answered = conv.id, True
        self.state.metrics.observe_generation(gen, self.model, self.variant)
        return msg

    def open(self) -> None:
        """A stream: commit the conversation (when new) and the user message now; its first chunk names them."""
        try:
            conv, asked = self.state.store.open_turn(self.who.user_id, self.conv_id, self._question())
        except KeyError:
            raise HTTPException(404, detail=f"conversation {self.conv_id} not found for this user") from None
        self.opened = (conv.id if self.conv_id is None else None, asked.id if asked is not None else None)
        self.conv_id = conv.id
        if asked is not None:
            self.parent_id = asked.id

    def finish(self, gen, text: str):
        """A stream's answer, committed; record metrics. Returns the stored message."""
        msg = self.state.store.add_message(
            conversation_id=self.conv_id, role="assistant", parent_id=self.parent_id, **self._answer_fields(gen, text)
        )
        self.answered = True
        self.state.metrics.observe_generation(gen, self.model, self.variant)
        return msg

    def abandon(self) -> None:
        """A stream that ended without an answer (client gone, engine error): delete what `open` wrote."""
        if self.opened is not None and not self.answered:
            self.state.store.drop_turn(*self.opened)
            self.opened = None

    def extras(self) -> dict:
        return {"conversation_id": self.conv_id, "variant": self.variant, "sources": self.sources}


@router.get("/v1/models")
def list_models(request: Request, _: Principal = Depends(principal)) -> dict:
    engines = request.app.state.engines
    return {
        "object": "list",
        "data": [
            {"id": e.name, "object": "model", "created": 0, "owned_by": "chatforge", "variant": v}
            for v, e in engines.items()
        ],
    }


async def _answer_unless_gone(gen, request: Request) -> str | None:
    """The whole answer, or None when the client hung up first (the generation is then cancelled)."""
    parts: list[str] = []

    async def read():
        async for piece in gen:
            parts.append(piece)

    reader = asyncio.ensure_future(read())
    try:
        while True:
            done, _ = await asyncio.wait({reader}, timeout=DISCONNECT_POLL_S)
            if done:
                reader.result()  # an EngineError surfaces here
                return "".join(parts)
            if await request.is_disconnected():
                return None
    finally:
        gen.cancel()  # no-op once finished; frees the slot when the client left or this handler is cancelled
        reader.cancel()


@router.post("/v1/chat/completions")
async def chat_completions(req: ChatRequest, request: Request, who: Principal = Depends(principal)):
    turn = Turn(request, req, who)
    await run_in_threadpool(turn.prepare)
    gen = await turn.submit()
    cid = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if not req.stream:
        try:
            text = await _answer_unless_gone(gen, request)
        except EngineError as exc:
            raise _engine_http_error(exc) from None
        if text is None:  # nobody to answer: store nothing, as for an abandoned stream
            return Response(status_code=CLIENT_GONE)
        text = await run_in_threadpool(turn.check, text)
        msg = await run_in_threadpool(turn.record, gen, text)
        return JSONResponse(
            {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": turn.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": gen.finish_reason,
                        "logprobs": None,
                    }
                ],
                "usage": _usage(gen),
                "message_id": msg.id,
                **turn.extras(),
                **_grounding(turn),
            }
        )

    try:
        await run_in_threadpool(turn.open)
    except BaseException:
        gen.cancel()
        raise
    include_usage = bool(req.stream_options and req.stream_options.include_usage)

    async def events():
        model = turn.model
        yield {"data": _chunk(cid, model, created, {"role": "assistant", "content": ""}, **turn.extras())}
        parts = []
        try:
            async for piece in gen:
                parts.append(piece)
                if not turn.verifying:
                    yield {"data": _chunk(cid, model, created, {"content": piece})}
        except EngineError as exc:
            yield {"data": json.dumps({"error": {"message": str(exc), "code": exc.status}})}
            return
        text = await run_in_threadpool(turn.check, "".join(parts))
        if turn.verifying:  # verify then stream: the verified text, a few words per chunk
            for piece in stream_pieces(text):
                yield {"data": _chunk(cid, model, created, {"content": piece})}
        with anyio.CancelScope(shield=True):  # a client leaving now does not split the answer from its turn
            msg = await run_in_threadpool(turn.finish, gen, text)
        yield {
            "data": _chunk(
                cid, model, created, {}, gen.finish_reason, message_id=msg.id, **turn.extras(), **_grounding(turn)
            )
        }
        if include_usage:
            yield {
                "data": json.dumps(
                    {
                        "id": cid,
                        "object": "chat.completion.chunk",
                        "created": created,
                        "model": model,
                        "choices": [],
                        "usage": _usage(gen),
                    }
                )
            }
        yield {"data": "[DONE]"}

    async def settle():  # after the stream however it ended (even unstarted): free the slot, drop an unanswered turn
        gen.cancel()  # no-op once finished
        await run_in_threadpool(turn.abandon)

    return EventSourceResponse(events(), ping=15, background=BackgroundTask(settle))
