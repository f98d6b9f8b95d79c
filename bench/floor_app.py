"""The floor: a bare Starlette app answering fixed bytes, served exactly like the mock.

`python bench/floor_app.py PORT BODY_FILE` answers every GET and write (POST, PUT, PATCH,
DELETE) with the bytes in BODY_FILE, its body read and dropped. Whatever the mock
spends beyond this (routing, auth, validation, state, serialisation) is the mock's own cost.
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route


def build(body: bytes) -> Starlette:
    async def answer(request) -> Response:
        await request.body()  # a write's body is read, as any server must before it answers
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/{path:path}", answer, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])])


if __name__ == "__main__":
    port, body_file = int(sys.argv[1]), Path(sys.argv[2])
    uvicorn.run(build(body_file.read_bytes()), host="127.0.0.1", port=port, log_level="warning", access_log=False)
