"""The FastAPI application behind `chatforge serve`: API, web chat, health, metrics, admin.

    chatforge serve --model MODEL [--model-b M --b-share 0.2] [--index IDX] [--db URL] [--port P]

Routes: `/v1/chat/completions` and `/v1/models` (openai_api.py), `/v1/feedback`
(feedback.py), `/v1/conversations` (the caller's own), admin-only `/v1/admin/conversations`,
`/v1/admin/feedback/export`, `/v1/admin/ab` and `/v1/admin/users/{name}/erase` (annotate/erasure.py), `/healthz`,
`/metrics` (admin key unless `public_metrics`), the OpenAPI schema at `/openapi.json` (the `/docs` and `/redoc`
pages only with `api_docs`: they load their assets from a CDN), the web chat at `/` (static/) and, for admin keys,
the operator console at `/console` with its API under `/v1/admin/console/` (console.py).
Every response carries the security headers of exposure.py; models are named without their paths.

`create_app(cfg)` loads the engines, opens the database and, with an index, the retriever;
tests pass ready-made `store` / `engines` to share them. With `store.retention_days` the lifespan runs
the retention purge at start and then every `store.purge_interval_s` (store/retention.py); with
`store.redact_at_rest` the store redacts what users write before writing it.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Literal

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import Field

from chatforge.annotate import erasure, router as annotate
from chatforge.config import StageConfig
from chatforge.rag.answer import AskConfig
from chatforge.serve import ab, console, feedback, openai_api
from chatforge.serve.exposure import SecurityHeaders, public_name
from chatforge.serve.limits import install_limits
from chatforge.serve.metrics import Metrics, MetricsMiddleware
from chatforge.store.auth import Principal, RateLimiter, admin, principal
from chatforge.store.database import Store
from chatforge.store.retention import StoreConfig, purge_forever

STATIC = Path(__file__).parent / "static"
ID = dict(ge=1, le=2**63 - 1)  # database ids are signed 64-bit: a larger one is a 422, not a failed query


class ServeConfig(StageConfig):
    model: str = Field("default", description="Model A: Hugging Face id, folder, .gguf file, or 'default'.")
    model_b: str | None = Field(None, description="Model B for A/B testing; unset = no A/B.")
    b_share: float = Field(0.2, ge=0, le=1, description="Share of users routed to model B (sticky per user).")
    index: Path | None = Field(None, description="RAG index folder: answers are grounded and carry their sources.")
    db: str = Field("runs/serve/chatforge.db", description="SQLite file (WAL) or a postgresql:// URL.")
    host: str = Field("127.0.0.1", description="Interface to listen on (0.0.0.0 for every one).")
    port: int = Field(8000, ge=0, le=65535, description="TCP port (0 = any free one).")
    engine: Literal["auto", "transformers", "llamacpp"] = Field(
        "auto",
        description="Generation engine; auto = llama.cpp on CPU when installed and the model has a GGUF, else transformers.",
    )
    backend_url: str | None = Field(
        None, description="Forward generation to this OpenAI-compatible server (vLLM, Ollama, llama.cpp)."
    )
    backend_key: str | None = Field(None, description="API key for the backend server.")
    device: str | None = Field(None, description="cpu / cuda; unset = cuda when available.")
    torch_threads: int | None = Field(
        None,
        ge=1,
        description="torch intra-op threads; unset = torch's default (1 avoids oversubscription on busy CPUs).",
    )
    max_batch: int = Field(8, ge=1, description="Requests decoded together by the transformers engine.")
    queue_size: int = Field(32, ge=1, description="Requests waiting per engine before new ones get 503 + Retry-After.")
    default_max_tokens: int = Field(256, ge=1, description="Answer length when the request gives no max_tokens.")
    max_tokens_cap: int = Field(
        1024, ge=1, description="Upper bound on max_tokens (larger requests are lowered to it)."
    )
    temperature: float = Field(
        0.0, ge=0, le=2, description="Sampling temperature when the request gives none (0 = greedy)."
    )
    rate_limit_per_minute: float = Field(120, ge=0, description="Requests per minute per key (0 = unlimited).")
    rag: AskConfig = Field(
        default_factory=AskConfig, description="Retrieval, prompt, verification and gate settings used with --index."
    )
    allow_base_model: bool = Field(
        False,
        description="Serve a pretrained base without chat tuning and without --index (refused otherwise; with --index it is served behind the verifier and gate).",
    )
    registry_poll_s: float = Field(
        5.0,
        ge=0,
        description="registry: models: seconds between reads of the alias; a newly promoted version is swapped in (0 = never).",
    )
    store: StoreConfig = Field(
        default_factory=StoreConfig, description="What the database keeps: retention period, redaction at rest."
    )
    api_docs: bool = Field(
        False,
        description="Serve the /docs (Swagger UI) and /redoc pages; they load their scripts from a CDN (jsDelivr). /openapi.json is always served.",
    )
    public_metrics: bool = Field(
        False,
        description="Serve /metrics without a key (for a Prometheus scraper on a private network); by default it needs an admin key.",
    )
    max_body_bytes: int = Field(
        1_048_576,
        ge=0,
        description="Largest request body in bytes; a larger one is a 413 before it is read (0 = no limit).",
    )
    max_message_chars: int = Field(
        32_000, ge=0, description="Longest chat message in characters; a longer one is a 413 (0 = no limit)."
    )
    max_total_chars: int = Field(
        128_000,
        ge=0,
        description="Most characters in all of a request's messages together; more is a 413 (0 = no limit).",
    )


def create_app(cfg: ServeConfig, store: Store | None = None, engines: dict | None = None, grounding=None) -> FastAPI:
    """The app; engines, store and grounding are created from `cfg` unless given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        purger = None
        if cfg.store.retention_days:
            purger = asyncio.create_task(
                purge_forever(app.state.store, cfg.store, on_purge=lambda r: setattr(app.state, "last_purge", r))
            )
        yield
        if purger is not None:
            purger.cancel()
        if app.state.owns_resources:
            for engine in app.state.engines.values():
                getattr(engine, "close", lambda: None)()
            app.state.store.close()
        if app.state.grounding is not None and (app.state.owns_resources or app.state.owns_grounding):
            app.state.grounding.close()

    docs = dict(docs_url="/docs", redoc_url="/redoc") if cfg.api_docs else dict(docs_url=None, redoc_url=None)
    app = FastAPI(
        title="chatforge",
        version="0.1.0",
        lifespan=lifespan,
        **docs,
        description="OpenAI-compatible chat API with keys and roles, RAG grounding, A/B routing and feedback.",
    )
    app.state.cfg = cfg
    app.state.owns_resources = engines is None
    app.state.store = store or Store(cfg.db)
    app.state.last_purge = None
    if cfg.store.redact_at_rest and app.state.store.redact is None:
        from chatforge.data.pii import Redactor

        redactor = Redactor.from_config(cfg.store.pii)
        app.state.store.redact = lambda text: redactor.redact(text)[0]
    if engines is None:
        from chatforge.serve.engines import make_engine
        from chatforge.serve.model_watch import engine_for  # registry:NAME@REF specs follow their alias

        if cfg.torch_threads:
            import torch

            torch.set_num_threads(cfg.torch_threads)
        opts = dict(
            engine=cfg.engine,
            backend_url=cfg.backend_url,
            backend_key=cfg.backend_key,
            max_batch=cfg.max_batch,
            queue_size=cfg.queue_size,
            device=cfg.device,
        )

        def make(spec: str):
            engine = make_engine(spec, **opts)
            engine.name = public_name(spec)  # answers, /v1/models, /healthz and metrics never show a file path
            return engine

        engines = {"A": engine_for(cfg.model, make, cfg.registry_poll_s)}
        if cfg.model_b:
            engines["B"] = engine_for(cfg.model_b, make, cfg.registry_poll_s)
    app.state.engines = engines
    app.state.owns_grounding = grounding is None and cfg.index is not None  # closed with the app even in tests
    if grounding is None and cfg.index is not None:  # one retriever for the server's life (rag/grounding.py)
        from chatforge.rag.grounding import GroundingBuilder

        r = cfg.rag
        grounding = GroundingBuilder.open(cfg.index, r.retrieval, r.prompt, r.verify, r.gate)
    app.state.grounding = grounding
    app.state.metrics = Metrics()
    for engine in engines.values():
        app.state.metrics.watch_engine(engine)
    app.state.limiter = RateLimiter(cfg.rate_limit_per_minute)
    install_limits(app, cfg.max_body_bytes)  # body-size limit (413 before parsing), renderable 422s
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(SecurityHeaders, docs=cfg.api_docs)
    app.include_router(openai_api.router)
    app.include_router(feedback.router)
    app.include_router(erasure.router)
    annotate.mount(app)  # /v1/annotate/... and the /annotate pages
    console.mount(app)  # the operator console: /console and /v1/admin/console/... (admin only)

    @app.get("/healthz", tags=["ops"])
    def healthz(request: Request) -> dict:
        st = request.app.state
        return {
            "ok": True,
            "models": {v: public_name(e.name) for v, e in st.engines.items()},
            "rag": st.grounding is not None,
        }

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    def metrics(request: Request):
        if not request.app.state.cfg.public_metrics:
            admin(request)  # 401 without a key, 403 without the admin role
        return request.app.state.metrics.render()

    @app.get("/v1/me", tags=["chat"])
    def me(who: Principal = Depends(principal)) -> dict:
        return {"user": who.user, "roles": list(who.roles), "admin": who.is_admin}

    @app.get("/v1/conversations", tags=["chat"])
    def my_conversations(request: Request, who: Principal = Depends(principal)) -> dict:
        return {"data": request.app.state.store.conversations(who.user_id)}

    @app.get("/v1/conversations/{conversation_id}", tags=["chat"])
    def my_conversation(
        request: Request, conversation_id: int = PathParam(**ID), who: Principal = Depends(principal)
    ) -> dict:
        store = request.app.state.store
        if not any(c["id"] == conversation_id for c in store.conversations(who.user_id, limit=10_000)):
            raise HTTPException(404, detail="no such conversation for this user")
        return {
            "id": conversation_id,
            "messages": [
                {
                    "id": m.id,
                    "role": m.role,
                    "content": m.content,
                    "sources": m.sources,
                    "grounding": m.grounding,
                    "variant": m.variant,
                    "parent_id": m.parent_id,
                    "regenerates": m.regenerates,
                }
                for m in store.messages(conversation_id)
            ],
        }

    @app.get("/v1/admin/conversations", tags=["admin"])
    def all_conversations(
        request: Request, limit: int = Query(100, ge=1, le=10_000), _: Principal = Depends(admin)
    ) -> dict:
        return {"data": request.app.state.store.conversations(None, limit)}

    @app.get("/v1/admin/ab", tags=["admin"])
    def ab_report(request: Request, _: Principal = Depends(admin)) -> dict:
        return ab.report(request.app.state.store)

    @app.get("/", include_in_schema=False)
    def index_page():
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
