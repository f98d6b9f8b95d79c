"""A tiny webhook receiver for trying push notifications locally: prints every POST it gets and answers 204.

    python -m mock_server.receiver [--host 127.0.0.1] [--port 9000]

then subscribe with ``{"target": "http://127.0.0.1:9000/hook"}`` and watch each status change arrive. The mock
retries anything but a 2xx, so answering 204 at once is all a receiver has to do.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

import uvicorn


@dataclass(frozen=True, slots=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def summarise(status: Any) -> str:
    """One line saying where a FlightStatus stands, e.g. ``UA576BOSSFO1606092145 departure actual 21:52-04:00 ...``."""
    try:
        realtime = status["status"]
        departure, arrival = realtime["departure"], realtime["arrival"]
        line = (f"{status['flight']['id']} departure {departure['type']} {departure['latest'][11:]} "
                f"gate {departure.get('gate') or '-'}, arrival {arrival['type']} {arrival['latest'][11:]} "
                f"gate {arrival.get('gate') or '-'}, delay index {status['prediction']['delay_index']}")
        return line + (", CANCELLED" if realtime["cancelled"] else "")
    except (KeyError, TypeError, IndexError):
        return "not a FlightStatus"


class Receiver:
    """An ASGI app that records and prints each request; ``answer(request)`` picks the status code (default 204)."""

    def __init__(self, *, out: TextIO | None = sys.stdout,
                 answer: Callable[[ReceivedRequest], int] = lambda _request: 204) -> None:
        self.out = out
        self.answer = answer
        self.received: list[ReceivedRequest] = []

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        request = ReceivedRequest(scope["method"], scope["path"],
                                  {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]},
                                  b"".join(chunks))
        self.received.append(request)
        code = self.answer(request)
        if self.out is not None:
            try:
                summary = summarise(request.json())
            except ValueError:
                summary = f"{len(request.body)} bytes, not JSON"
            print(f"{request.method} {request.path} -> {code}: {summary}", file=self.out, flush=True)
        await send({"type": "http.response.start", "status": code, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mock_server.receiver", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9000, help="port to listen on (default 9000)")
    args = parser.parse_args(argv)
    print(f"Receiving webhooks at http://{args.host}:{args.port}/ (any path); Ctrl+C stops.", flush=True)
    uvicorn.run(Receiver(), host=args.host, port=args.port, log_level="warning", access_log=False, lifespan="off")


if __name__ == "__main__":
    main()
