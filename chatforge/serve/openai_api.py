"""The OpenAI-compatible API: `POST /v1/chat/completions` (JSON or server-sent events) and `GET /v1/models`.

    curl -H "Authorization: Bearer $KEY" localhost:8000/v1/chat/completions \
         -d '{"model": "default", "messages": [{"role": "user", "content": "Bagage cabine ?"}], "stream": true}'

The wire format is OpenAI's, so the official `openai` client works unchanged: a response is a
`chat.completion` with `usage`; a stream is `chat.completion.chunk` events, the first with the
assistant role, the last with `finish_reason`, then (with `stream_options.include_usage`) a
chunk with empty `choices` and `usage`, then `data: [DONE]`.

chatforge adds fields the client ignores: `conversation_id` and `regenerate_of` in the request
(`extra_body` in the openai client), and `conversation_id`, `message_id`, `variant` and
`sources` in the response (on the first and last chunk of a stream). The user message is
committed before generation starts, the answer before the message that carries its id.

Limits: a prompt plus `max_tokens` over the model's context is a 400 naming the limit;
`max_tokens` above the server's cap is lowered to it; a full queue is a 503 with Retry-After.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette.sse import EventSourceResponse

from chatforge.serve.ab import assign
from chatforge.serve.auth import Principal, principal
from chatforge.serve.engines import ContextTooLong, EngineError, QueueFull

router = APIRouter(tags=["openai"])


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # OpenAI content parts: keep the text ones
            return "".join(p.get("text", "") for p in self.content if p.get("type") == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # unknown OpenAI fields (logprobs, tools, ...) are accepted and ignored

    model: str = Field(description="Model name (A/B routing decides which model answers; see GET /v1/models).")
    messages: list[ChatMessage] = Field(min_length=1, description="The conversation so far; the last one is the user's.")
    stream: bool = Field(False, description="Stream server-sent events.")
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(None, ge=1, description="Longest answer in tokens (capped by the server).")
    max_completion_tokens: int | None = Field(None, ge=1, description="Alias of max_tokens (newer clients).")
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    user: str | None = None
    conversation_id: int | None = Field(None, description="chatforge: continue this stored conversation.")
    regenerate_of: int | None = Field(None, description="chatforge: this answer replaces the answer with this message id.")


def _chunk(cid: str, model: str, created: int, delta: dict, finish: str | None = None, **extra) -> str:
    body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
    return json.dumps(body, ensure_ascii=False)


def _usage(gen) -> dict:
    return {"prompt_tokens": gen.prompt_tokens, "completion_tokens": gen.completion_tokens,
            "total_tokens": gen.prompt_tokens + gen.completion_tokens}


def _engine_http_error(exc: EngineError) -> HTTPException:
    headers = {"Retry-After": "2"} if isinstance(exc, QueueFull) or exc.status in (429, 503) else None
    return HTTPException(exc.status, detail=str(exc), headers=headers)


class Turn:
    """Everything decided before generation: who, which variant/engine, stored ids, the messages to generate from."""

    def __init__(self, request: Request, req: ChatRequest, who: Principal):
        state = request.app.state
        cfg = state.cfg
        self.state, self.req, self.who = state, req, who
        self.variant = assign(state.store, who.user_id, who.user, cfg.b_share) if "B" in state.engines else "A"
        self.engine = state.engines[self.variant]
        asked = req.max_completion_tokens or req.max_tokens or cfg.default_max_tokens
        self.max_tokens = min(asked, cfg.max_tokens_cap)
        self.temperature = cfg.temperature if req.temperature is None else req.temperature
        self.top_p = req.top_p or 1.0
        self.history = [{"role": m.role if m.role != "developer" else "system", "content": m.text()} for m in req.messages]
        if self.history[-1]["role"] != "user":
            raise HTTPException(422, detail="messages: the last message must be the user's")
        self.question = self.history[-1]["content"]
        self.sources: list[str] = []
        self.passages: list[dict] = []

    def start(self) -> None:
        """Store the conversation and the user message (committed), then ground the prompt."""
        store, req = self.state.store, self.req
        try:
            self.conv = store.conversation(self.who.user_id, req.conversation_id, self.question)  # store cuts the title
        except KeyError:
            raise HTTPException(404, detail=f"conversation {req.conversation_id} not found for this user") from None
        if req.regenerate_of is not None:
            old = store.message(req.regenerate_of)
            if old is None or old.conversation_id != self.conv.id or old.role != "assistant":
                raise HTTPException(404, detail=f"regenerate_of: no answer {req.regenerate_of} in this conversation")
            self.parent_id = old.parent_id
        else:
            self.parent_id = store.add_message(conversation_id=self.conv.id, role="user", content=self.question).id
        self.gen_messages = self.history
        if self.state.grounding is not None:
            self.gen_messages, self.sources, self.passages = self.state.grounding.ground(
                self.question, list(self.who.roles), self.history[:-1])

    def submit(self):
        try:
            gen = self.engine.submit(self.gen_messages, self.max_tokens, self.temperature, self.top_p)
        except (ContextTooLong, QueueFull) as exc:
            raise _engine_http_error(exc) from None
        # a registry: engine may swap versions mid-answer: the answer names the version that wrote it (model_watch.py)
        self.model = getattr(gen, "model_name", None) or self.engine.name
        return gen

    def finish(self, gen, text: str):
        """Commit the answer; record metrics. Returns the stored message."""
        msg = self.state.store.add_message(
            conversation_id=self.conv.id, role="assistant", content=text, model=self.model, variant=self.variant,
            parent_id=self.parent_id, regenerates=self.req.regenerate_of, prompt=self.history, sources=self.sources,
            prompt_tokens=gen.prompt_tokens, completion_tokens=gen.completion_tokens,
            finish_reason=gen.finish_reason, latency_s=gen.seconds)
        self.state.metrics.observe_generation(gen, self.model, self.variant)
        return msg

    def extras(self) -> dict:
        return {"conversation_id": self.conv.id, "variant": self.variant, "sources": self.sources}


@router.get("/v1/models")
def list_models(request: Request, _: Principal = Depends(principal)) -> dict:
    engines = request.app.state.engines
    return {"object": "list", "data": [{"id": e.name, "object": "model", "created": 0, "owned_by": "chatforge",
                                        "variant": v} for v, e in engines.items()]}


@router.post("/v1/chat/completions")
async def chat_completions(req: ChatRequest, request: Request, who: Principal = Depends(principal)):
    turn = Turn(request, req, who)
    await run_in_threadpool(turn.start)
    gen = turn.submit()
    cid = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if not req.stream:
        try:
            text = "".join([piece async for piece in gen])
        except EngineError as exc:
            raise _engine_http_error(exc) from None
        finally:
            gen.cancel()  # no-op once finished; frees the slot if this handler is cancelled
        msg = await run_in_threadpool(turn.finish, gen, text)
        return JSONResponse({
            "id": cid, "object": "chat.completion", "created": created, "model": turn.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": gen.finish_reason, "logprobs": None}],
            "usage": _usage(gen), "message_id": msg.id, **turn.extras()})

    include_usage = bool(req.stream_options and req.stream_options.include_usage)

    async def events():
        model = turn.model
        done = False
        try:
            yield {"data": _chunk(cid, model, created, {"role": "assistant", "content": ""}, **turn.extras())}
            parts = []
            try:
                async for piece in gen:
                    parts.append(piece)
                    yield {"data": _chunk(cid, model, created, {"content": piece})}
            except EngineError as exc:
                yield {"data": json.dumps({"error": {"message": str(exc), "code": exc.status}})}
                done = True
                return
            msg = await run_in_threadpool(turn.finish, gen, "".join(parts))
            yield {"data": _chunk(cid, model, created, {}, gen.finish_reason, message_id=msg.id, **turn.extras())}
            if include_usage:
                yield {"data": json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                           "model": model, "choices": [], "usage": _usage(gen)})}
            yield {"data": "[DONE]"}
            done = True
        finally:
            if not done:  # the client went away: free the generation slot
                gen.cancel()

    return EventSourceResponse(events(), ping=15)
