"""Security headers on every response; a Content-Security-Policy on pages."""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The code editor (CodeMirror) writes its base styles into a <style> element: it carries the
# response's nonce (EditorView.cspNonce), so no other inline style applies. Scripts stay 'self'.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The design diagram's renderer (Mermaid) writes <style> elements and style attributes while it
# lays a diagram out, which the page policy forbids. It runs in its own document, framed only by
# our pages and sandboxed to an opaque origin (the `sandbox` directive, and the iframe's own
# attribute): it can run its two nonce'd scripts and style itself, and reaches nothing else (no
# cookies, no network, no parent DOM). It hands back SVG text, which pages show as an <img>.
DIAGRAM_FRAME = "/diagram-frame"
FRAME_CSP = (
    "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-scripts"
)
# FastAPI's interactive docs load Swagger UI from its CDN; they are exempt from the page policy
_DOCS = ("/docs", "/redoc")


class SecurityHeaders:
    """Adds nosniff, referrer and framing rules everywhere and the CSP to our pages."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not scope["path"].startswith(_DOCS)
        framed = scope["path"] == DIAGRAM_FRAME
        policy = FRAME_CSP if framed else CSP
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce  # pages read it as request.state

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"SAMEORIGIN" if framed else b"DENY"),
                ]
                if with_csp:
                    value = policy.format(nonce=nonce).encode()
                    headers.append((b"content-security-policy", value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
