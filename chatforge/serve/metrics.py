"""Prometheus metrics for `chatforge serve`, published at `GET /metrics`.

Requests and errors by endpoint and status code, request latency, time to first token,
decode speed (tokens/s), generated tokens, queue depth and rows being decoded per model.
Each app owns its registry, so several apps (tests, A/B engines) never share counters.
"""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.responses import Response

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
TOKENS_PER_S_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)


class Metrics:
    def __init__(self):
        self.registry = r = CollectorRegistry()
        self.requests = Counter(
            "chatforge_requests", "HTTP requests by endpoint and status code.", ["endpoint", "code"], registry=r
        )
        self.errors = Counter("chatforge_errors", "HTTP responses with status >= 400, by code.", ["code"], registry=r)
        self.latency = Histogram(
            "chatforge_request_latency_seconds",
            "Time to the response headers (streams: to the first byte).",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.generation = Histogram(
            "chatforge_generation_seconds",
            "Whole generation time per answer.",
            ["model", "variant"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.ttft = Histogram(
            "chatforge_time_to_first_token_seconds",
            "From request to first generated text.",
            ["model", "variant"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.tokens_per_s = Histogram(
            "chatforge_decode_tokens_per_second",
            "Decode speed per answer (after the first token).",
            ["model", "variant"],
            buckets=TOKENS_PER_S_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "chatforge_generated_tokens", "Completion tokens generated.", ["model", "variant"], registry=r
        )
        self.prompt_tokens = Counter(
            "chatforge_prompt_tokens", "Prompt tokens processed.", ["model", "variant"], registry=r
        )
        self.queue_depth = Gauge(
            "chatforge_queue_depth", "Requests waiting for a generation slot.", ["model"], registry=r
        )
        self.active = Gauge("chatforge_active_generations", "Rows being decoded now.", ["model"], registry=r)

    def watch_engine(self, engine) -> None:
        """Gauges read the engine's live counters at scrape time."""
        self.queue_depth.labels(engine.name).set_function(lambda: engine.queue_depth)
        self.active.labels(engine.name).set_function(lambda: engine.active)

    def observe_generation(self, gen, model: str, variant: str) -> None:
        labels = (model, variant)
        if gen.ttft_s is not None:
            self.ttft.labels(*labels).observe(gen.ttft_s)
        if gen.seconds is not None:
            self.generation.labels(*labels).observe(gen.seconds)
        if gen.tokens_per_s:
            self.tokens_per_s.labels(*labels).observe(gen.tokens_per_s)
        self.tokens.labels(*labels).inc(gen.completion_tokens)
        self.prompt_tokens.labels(*labels).inc(gen.prompt_tokens)

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Pure ASGI (streams and disconnects pass through untouched): counts every request by its route template."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = {"code": 500}

        async def send_and_time(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                metrics = scope["app"].state.metrics
                route = scope.get("route")
                endpoint = getattr(route, "path", None) or "static"
                metrics.latency.labels(endpoint).observe(time.perf_counter() - start)
            await send(message)

        try:
            await self.app(scope, receive, send_and_time)
        finally:
            metrics = scope["app"].state.metrics
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or "static"
            code = str(status["code"])
            metrics.requests.labels(endpoint, code).inc()
            if status["code"] >= 400:
                metrics.errors.labels(code).inc()
