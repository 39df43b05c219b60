"""Serving `registry:NAME@production`: follow the alias and swap models without dropping in-flight requests.

    chatforge serve --model registry:hirondelle@production [--model-b registry:hirondelle@candidate] \
                    [--set registry_poll_s=5]
    chatforge registry promote hirondelle 4        # picked up by the running server within registry_poll_s

`RegistryEngine` stands where an engine stands (`submit`, `name`, `kind`, `queue_depth`,
`active`, `close`). A watcher thread reads the alias every `poll_s` seconds; when it names
another version, that version's engine is loaded in the watcher thread while the old one
keeps answering, then the engine used for new requests is swapped under a lock. The old
engine is closed only once every generation submitted to it has finished (or after
`drain_timeout_s`), so a stream in flight during a promotion completes normally. The engine
name is `NAME:VERSION` (what `/v1/models` lists and answers record), and each Generation
carries the name of the engine that produced it (`model_name`), so an answer that spans a
swap is stored under the version that wrote it. The registry is `$CHATFORGE_REGISTRY` or
runs/registry, as for every `registry:` spec. A registry that cannot be read, or an alias
that disappears, leaves the current version serving (logged), never an empty server.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from chatforge.registry.versions import Registry, RegistryError, Version, parse_ref

log = logging.getLogger("chatforge.serve")


def _done(gen) -> bool:
    return gen.finish_reason is not None or gen.seconds is not None


class RegistryEngine:
    """The engine of whatever version `registry:NAME@REF` names now; see the module docstring."""

    def __init__(
        self,
        spec: str,
        make: Callable[[str], object],
        registry: Registry | None = None,
        poll_s: float = 5.0,
        drain_timeout_s: float = 600.0,
        watch: bool = True,
    ):
        self.spec = spec
        self.registered, self.ref = parse_ref(spec)
        self.registry = registry or Registry(create=False)
        self.make, self.poll_s, self.drain_timeout_s = make, poll_s, drain_timeout_s
        self._lock = threading.Lock()
        self._check_lock = threading.Lock()  # the watcher and a manual check_now never load the same version twice
        self._stop = threading.Event()
        self.swaps: list[dict] = []  # {"from", "to", "at", "load_s"}, oldest first
        self.on_swap: list[Callable[[object], None]] = []
        first = self.registry.get(self.registered, self.ref)
        self.version = first.version
        self._engine = self._load(first)
        self._inflight: list = []  # generations submitted to the current engine and not yet seen finished
        self._drains: list[threading.Thread] = []
        self._watcher = None
        if watch and poll_s > 0:
            self._watcher = threading.Thread(target=self._watch, name=f"registry-watch-{self.registered}", daemon=True)
            self._watcher.start()

    def _load(self, v: Version):
        engine = self.make(v.path)
        engine.name = f"{v.name}:{v.version}"
        return engine

    # ---- what the API uses -------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._engine.name

    @property
    def kind(self) -> str:
        return self._engine.kind

    @property
    def queue_depth(self) -> int:
        return self._engine.queue_depth

    @property
    def active(self) -> int:
        return self._engine.active

    def __getattr__(self, attr):  # anything else an engine offers (context_length, tokenizer...), from the current one
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self._engine, attr)

    def submit(self, messages: list[dict], max_tokens: int, temperature: float = 0.0, top_p: float = 1.0):
        # under the lock: a generation is either on the old engine's drain list or on the new engine, never lost between
        with self._lock:
            engine = self._engine
            gen = engine.submit(messages, max_tokens, temperature, top_p)
            gen.model_name = engine.name
            if len(self._inflight) > 64:
                self._inflight = [g for g in self._inflight if not _done(g)]
            self._inflight.append(gen)
        return gen

    # ---- following the alias -----------------------------------------------------------------

    def check_now(self) -> bool:
        """Read the alias once; load and swap if it moved. True when a swap happened."""
        with self._check_lock:
            return self._check()

    def _check(self) -> bool:
        try:
            v = self.registry.get(self.registered, self.ref)
        except Exception as exc:  # a registry hiccup (RegistryError, a database or network error) must not stop serving
            log.warning(
                "registry %s: cannot read %s@%s (%s); still serving %s",
                self.registry.uri,
                self.registered,
                self.ref,
                exc,
                self.name,
            )
            return False
        if v.version == self.version:
            return False
        start = time.perf_counter()
        try:
            new = self._load(v)
        except Exception as exc:
            log.error("cannot load %s (%s); still serving %s", v.ref, exc, self.name)
            return False
        with self._lock:
            old, old_gens = self._engine, [g for g in self._inflight if not _done(g)]
            self._engine, self._inflight, previous, self.version = new, [], self.version, v.version
        self.swaps.append(
            {
                "from": previous,
                "to": v.version,
                "at": time.time(),
                "in_flight": len(old_gens),
                "load_s": round(time.perf_counter() - start, 3),
            }
        )
        log.warning("%s@%s: now serving version %s (was %s)", self.registered, self.ref, v.version, previous)
        for hook in self.on_swap:
            hook(new)
        drain = threading.Thread(target=self._drain, args=(old, old_gens), name=f"drain-{old.name}", daemon=True)
        self._drains.append(drain)
        drain.start()
        return True

    def _drain(self, engine, gens: list) -> None:
        """Close `engine` once its generations are done (their streams complete on the old model)."""
        deadline = time.monotonic() + self.drain_timeout_s
        while any(not _done(g) for g in gens) and time.monotonic() < deadline:
            time.sleep(0.05)
        getattr(engine, "close", lambda: None)()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll_s):
            self.check_now()

    def wait_drained(self, timeout: float = 30.0) -> bool:
        """For tests and shutdown: wait for the old engines to be closed."""
        deadline = time.monotonic() + timeout
        for t in self._drains:
            t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._drains)

    def close(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(self.poll_s + 1)
        getattr(self._engine, "close", lambda: None)()


def engine_for(spec: str, make: Callable[[str], object], poll_s: float = 5.0):
    """A plain engine for a model spec, or a `RegistryEngine` following a `registry:` one."""
    if spec.startswith("registry:"):
        from chatforge.errors import ModelError

        try:
            return RegistryEngine(spec, make, poll_s=poll_s)
        except RegistryError as exc:  # serve reports it like any model that cannot be loaded
            raise ModelError(f"{spec}: {exc}") from None
    return make(spec)


def registry_b_share(spec: str | None) -> float | None:
    """The A/B share `chatforge loop --ab-share` stored for a `registry:` model B, if any."""
    if not spec or not spec.startswith("registry:"):
        return None
    name, _ = parse_ref(spec)
    try:
        return Registry(create=False).ab_share(name)
    except Exception:  # no such model yet: the configured b_share stands
        return None
