"""Running the web app: bind the address (loopback unless asked), print where it is, serve."""

from __future__ import annotations

import socket
import sys
import threading
import webbrowser

from indexer.errors import NewsdexError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(folder: str, host: str, port: int, open_browser: bool = False) -> None:
    """Serve the index at folder on host:port until interrupted."""
    import uvicorn

    from web.app import create_app

    app = create_app(folder, allowed_hosts=_allowed_hosts(host))
    sock = _bind(host, port)
    url = f"http://{_url_host(host)}:{sock.getsockname()[1]}/"
    if host not in LOOPBACK:
        print(f"newsdex: warning: listening on {host}: anyone who can reach this machine can "
              f"read the archive", file=sys.stderr, flush=True)
    print(f"newsdex: serving {folder} at {url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound here so that a busy port is one clear line, not a log."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
    except OSError as e:
        raise NewsdexError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.set_inheritable(True)
    return sock


def _allowed_hosts(host: str) -> list[str] | None:
    """Host headers the app answers: on loopback only loopback names, so that a web page
    elsewhere cannot reach the archive by pointing a DNS name at 127.0.0.1 (DNS rebinding)."""
    return list(LOOPBACK) if host in LOOPBACK else None


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
