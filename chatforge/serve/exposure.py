"""What `chatforge serve` shows of itself: security headers on every response, and model names without paths.

`SecurityHeaders` (pure ASGI, so streams and disconnects pass through untouched) adds to every
response a Content-Security-Policy that lets pages load scripts, styles and data only from the
server itself (the web chat at `/` and the annotation page at `/annotate` need nothing else:
no inline script or style, no CDN), refuses framing (`frame-ancestors 'none'` and
`X-Frame-Options: DENY`), and sets `X-Content-Type-Options: nosniff` and
`Referrer-Policy: no-referrer`. With `api_docs` on, `/docs` and `/redoc` get the looser policy
FastAPI's pages need (their inline start-up script and jsDelivr's assets).

`public_name(spec)` is how a model is named in `/healthz`, `/v1/models`, answers and metrics:
a local file or folder by its last component, never its path; hub ids, `registry:` specs and
`default` unchanged.
"""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's /docs and /redoc pages: an inline start-up script, swagger-ui / redoc from jsDelivr, redoc's fonts and worker
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (a header the route set itself is kept)."""

    def __init__(self, app, docs: bool = False):
        self.app = app
        self.docs = docs

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        docs_page = self.docs and scope.get("path", "").startswith(DOCS_PATHS)
        extra = {**HEADERS, "content-security-policy": DOCS_CSP if docs_page else CSP}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def public_name(name: str) -> str:
    """`name` fit for callers: a path (absolute, relative, `~`, or one that exists here) becomes its last part."""
    text = str(name)
    if "\\" in text:
        return PureWindowsPath(text).name or "model"
    if "/" not in text or text.startswith("registry:"):
        return text
    path = Path(text.rstrip("/"))
    if text.startswith(("/", "./", "../", "~")) or path.expanduser().exists():
        return path.name or "model"
    return text  # a hub id such as `org/model`
