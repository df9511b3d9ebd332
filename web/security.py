"""What every response of `newsdex serve` carries, and what every request must be.

- A Content-Security-Policy allowing only this server's own files: no inline script or style,
  no other origin, no framing; so even a string that escaped escaping could not run.
- Only GET and HEAD: the app is read-only (405 otherwise).
- On loopback, only loopback Host names: a page elsewhere cannot reach the archive by pointing
  its own DNS name at 127.0.0.1 (DNS rebinding).
"""

from __future__ import annotations

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class Guard:
    """ASGI middleware: the checks and headers above, around the app."""

    def __init__(self, app, allowed_hosts: list[str] | None) -> None:
        self.app = app
        self.allowed = set(allowed_hosts) if allowed_hosts is not None else None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        problem = self.refuse(scope)
        if problem:
            status, text = problem
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    *HEADERS]})
            await send({"type": "http.response.body", "body": text.encode() + b"\n"})
            return None

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        return await self.app(scope, receive, send_with_headers)

    def refuse(self, scope) -> tuple[int, str] | None:
        if scope["method"] not in ("GET", "HEAD"):
            return 405, "read-only: only GET and HEAD"
        if self.allowed is not None and host_name(scope) not in self.allowed:
            return 400, "unknown host name: open this server by 127.0.0.1 or localhost"
        return None


def host_name(scope) -> str:
    """The Host header's name, without the port ("[::1]:8080" -> "::1")."""
    host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
    if host.startswith("["):
        return host[1:host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
