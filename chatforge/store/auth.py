"""API keys on every call: `Authorization: Bearer KEY`, roles from the key, admin checks, per-key rate limit.

    chatforge keys create --user alice --roles support,admin   # prints the key once
    chatforge keys list | chatforge keys revoke ID

A missing, unknown or revoked key is a 401; a known key without the `admin` role on an
admin endpoint is a 403; a key over its request rate is a 429 with `Retry-After`. The
key's roles are the retrieval role filter (the RAG stage), so they decide which passages a
user's answers may draw on.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request

ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user and the roles of the key used."""

    user_id: int
    user: str
    key_id: int
    roles: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles


class RateLimiter:
    """Token bucket per key: `per_minute` requests a minute, bursts up to the same number."""

    def __init__(self, per_minute: float):
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, per_minute)
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: int) -> float:
        """0 when allowed, else seconds until a request would be."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key_id] = (tokens - 1, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1 - tokens) / self.rate


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def principal(request: Request) -> Principal:
    """FastAPI dependency: the caller, or 401 / 429."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise _unauthorized(
            "missing API key: send 'Authorization: Bearer KEY' (create one with `chatforge keys create`)"
        )
    found = request.app.state.store.verify_key(key.strip())
    if found is None:
        raise _unauthorized("invalid or revoked API key")
    user, row = found
    who = Principal(user.id, user.name, row.id, tuple(row.roles or ()))
    wait = request.app.state.limiter.take(row.id)
    if wait > 0:
        raise HTTPException(
            429, detail="rate limit exceeded for this key", headers={"Retry-After": str(math.ceil(wait))}
        )
    request.state.principal = who
    return who


def admin(request: Request) -> Principal:
    """FastAPI dependency for admin endpoints: 401 without a key, 403 without the admin role."""
    who = principal(request)
    if not who.is_admin:
        raise HTTPException(403, detail=f"this endpoint needs the '{ADMIN_ROLE}' role")
    return who
