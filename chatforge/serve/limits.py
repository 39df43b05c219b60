"""Request limits of the server: body size before parsing, characters per chat message, and 422s that always render.

    chatforge serve --model M --set max_body_bytes=1048576 --set max_message_chars=32000 --set max_total_chars=128000

- `BodySizeLimit` is a pure ASGI middleware: a `Content-Length` over `max_body_bytes` is answered 413
  before one byte of the body is read; a body without one (chunked) is counted as it streams in and
  refused as soon as it passes the limit. Nothing is buffered beyond the limit, so a 50 MB request
  costs the server nothing and the event loop stays free for the others (`/healthz` included).
- `check_chars` refuses a chat whose message or whole text is over `max_message_chars` /
  `max_total_chars` (413, naming the message and the setting), before anything is tokenised or stored.
- `utf8_text` rejects strings a database cannot store (a lone surrogate such as "\\ud800", a NUL).
- `render_validation_error` replaces FastAPI's default 422 handler, which fails (500) when the
  rejected input holds NaN, Infinity or a lone surrogate: inputs are made JSON-safe and cut short.
"""

from __future__ import annotations

import json
import math

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

INPUT_ECHO_CHARS = 200  # a 422 echoes at most this much of a rejected string


class BodySizeLimit:
    """Pure ASGI: refuse an HTTP request body over `max_bytes` with 413, without reading (or keeping) the rest."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def _refuse(self, send) -> None:
        body = json.dumps({"detail": f"request body is over the limit of {self.max_bytes} bytes (max_body_bytes)"})
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.max_bytes:
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(send)  # the server discards the body as it arrives; the app never runs
        state = {"received": 0, "started": False, "refused": False}

        async def counted_receive():
            if state["refused"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_bytes:
                    state["refused"] = True
                    if not state["started"]:
                        state["started"] = True
                        await self._refuse(send)
                    return {"type": "http.disconnect"}  # the app stops reading: for it the client is gone
            return message

        async def guarded_send(message):
            if message["type"] == "http.response.start":
                if state["started"]:  # our 413 went out: whatever the app answers to the "disconnect" is dropped
                    return
                state["started"] = True
            elif state["refused"]:
                return
            await send(message)

        await self.app(scope, counted_receive, guarded_send)


def check_chars(texts: list[str], max_message_chars: int, max_total_chars: int) -> None:
    """413 naming the message and the setting when one text or all of them together are too long (0 = no limit)."""
    total = 0
    for i, text in enumerate(texts):
        if max_message_chars and len(text) > max_message_chars:
            raise HTTPException(
                413,
                detail=f"messages[{i}].content: {len(text)} characters, over the limit of "
                f"{max_message_chars} per message (max_message_chars)",
            )
        total += len(text)
    if max_total_chars and total > max_total_chars:
        raise HTTPException(
            413, detail=f"messages: {total} characters in all, over the limit of {max_total_chars} (max_total_chars)"
        )


def utf8_text(value: str) -> str:
    """`value` unchanged when it can be written as UTF-8; a lone surrogate ("\\ud800") is a ValueError."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"not valid Unicode text: a lone surrogate at character {exc.start}") from None
    if "\x00" in value:  # PostgreSQL text cannot hold NUL: refuse it the same way on every database
        raise ValueError(f"a NUL character (U+0000) at character {value.index(chr(0))}") from None
    return value


def _json_safe(value):
    """`value` with NaN/Infinity as strings, strings UTF-8-safe and cut to INPUT_ECHO_CHARS, anything else as str."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        cut = value[:INPUT_ECHO_CHARS] + ("…" if len(value) > INPUT_ECHO_CHARS else "")
        return cut.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {str(_json_safe(k)): _json_safe(v) for k, v in list(value.items())[:50]}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value[:50]]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _json_safe(str(value))


async def render_validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 body (`detail`: type, loc, msg, input, ctx), made renderable whatever the input held."""
    return JSONResponse(status_code=422, content={"detail": _json_safe(list(exc.errors()))})


def install_limits(app: FastAPI, max_body_bytes: int) -> None:
    """The body-size middleware and the 422 renderer on `app`."""
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_exception_handler(RequestValidationError, render_validation_error)
