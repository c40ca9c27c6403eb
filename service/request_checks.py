"""Checks on a request before FastAPI parses it: what it would let through silently.

* A URL whose percent-escapes are not UTF-8 (``?q=s%E6rlig``, Latin-1) is
  decoded by the server with replacement characters and searched as "s�rlig";
  it gets a 400 that names the byte, as a non-UTF-8 body already does.
* A JSON body that is not UTF-8 gets a 400 that names the byte (FastAPI says
  only "There was an error parsing the body"); UTF-16 and UTF-32, which JSON
  allows and ``json.loads`` detects, still pass.
* A JSON string with a lone surrogate (``"\\ud800"``) is valid JSON but not
  text: it cannot be stored, echoed or logged as UTF-8 (FastAPI's 422 failed on
  it with a 500 whose traceback held the input). It gets a 422 naming the field.
* A body over ``max_body_bytes`` gets a 413 before it is read into memory.
* HEAD is answered as GET without the body (``curl -I /healthz`` got a 405:
  FastAPI routes list GET only).
* A path with a trailing slash (``/api/search/?q=tillid``) is redirected (307)
  to the path without it by a *relative* Location. Starlette's own redirect
  built an absolute URL from the request's Host header, so a forged Host sent
  the client to another site.

A pure ASGI middleware, so the body it reads is replayed to the app unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

__all__ = ["MAX_BODY_BYTES", "RequestChecks", "body_problem", "slash_redirect", "url_problem"]

#: Larger than any request Tværs needs (an answer to score is at most 10,000 characters).
MAX_BODY_BYTES = 1_000_000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class RequestChecks:
    def __init__(self, app: App, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = url_problem(scope.get("raw_path") or b"", scope.get("query_string") or b"")
        if problem:
            await _reject(send, 400, problem)
            return
        location = slash_redirect(scope.get("raw_path") or b"", scope.get("query_string") or b"")
        if location is not None:
            await _redirect(send, location)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await _reject(send, 413, self._too_large())
            return
        if scope["method"] == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _headers_only(send))
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message]), send)
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await _reject(send, 413, self._too_large())
                return
        if b"json" in headers.get(b"content-type", b""):
            problem = body_problem(body)
            if problem:
                await _reject(send, *problem)
                return
        await self.app(scope, _replay([{"type": "http.request", "body": body}], receive), send)

    def _too_large(self) -> str:
        return f"the request body is larger than {self.max_body_bytes:,} bytes"


def url_problem(raw_path: bytes, query: bytes) -> str | None:
    """Why the URL's percent-escapes are not UTF-8, or None."""
    for part, what in ((raw_path, "path"), (query.replace(b"+", b" "), "query string")):
        raw = unquote_to_bytes(part)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return (
                f"the URL's {what} is not UTF-8 (byte {raw[exc.start]:#04x} after "
                f"{raw[: exc.start].decode('utf-8', 'replace')!r}); encode text as UTF-8 "
                "before percent-escaping it"
            )
    return None


def body_problem(body: bytes) -> tuple[int, str] | None:
    """``(status, why)`` when a JSON body is not text, else None (also for bodies that
    are not JSON at all: FastAPI reports those)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        try:
            json.loads(body)  # UTF-16/32 are JSON too
        except UnicodeDecodeError as exc:
            return 400, (
                f"the request body is not UTF-8 (byte {exc.object[exc.start]:#04x} "
                f"at position {exc.start}); send JSON encoded as UTF-8"
            )
        except ValueError:
            return None
    if b"\\u" not in body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    found = _find_surrogate(data, "body")
    if found is None:
        return None
    return 422, (
        f"{found} holds a lone surrogate (an unpaired \\ud800-\\udfff escape), which is "
        "not text; send valid Unicode"
    )


def _find_surrogate(value: Any, where: str) -> str | None:
    if isinstance(value, str):
        return where if any("\ud800" <= c <= "\udfff" for c in value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{_key(key)}"
            found = _find_surrogate(key, path) or _find_surrogate(item, path)
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _find_surrogate(item, f"{where}[{i}]")
            if found:
                return found
    return None


def _key(key: str) -> str:
    return key.encode("utf-8", "replace").decode("utf-8")


def _headers_only(send: Send) -> Send:
    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_head


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


def slash_redirect(raw_path: bytes, query: bytes) -> bytes | None:
    """Where a path with a trailing slash is sent (None: it has none, or is ``/``).

    Always a path on this server: ``//evil.example/`` goes to ``/evil.example``, not
    to the protocol-relative ``//evil.example``.
    """
    if len(raw_path) <= 1 or not raw_path.endswith(b"/") or b"\\" in raw_path:
        return None  # a backslash is left to 404: browsers read "/\\host" as "//host"
    path = b"/" + raw_path.strip(b"/")
    return path + (b"?" + query if query else b"")


async def _redirect(send: Send, location: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 307,
            "headers": [(b"location", location), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _reject(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
