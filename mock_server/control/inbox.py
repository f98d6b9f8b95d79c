"""Inboxes: named webhook targets the mock serves itself (``/_mock/inbox/NAME``), so a subscription's notifications
can be read back without running a receiver.

Bounded like the journal: the newest ``size`` messages an inbox, ``MAX_MESSAGES`` in all and ``MAX_INBOXES`` names
(past either, the inbox written to longest ago loses its oldest message, and goes when empty), and ``BODY_LIMIT`` bytes
of each body: at most about 16 MiB of bodies. Credential headers are stored as ``[redacted]``.
"""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from datetime import UTC, datetime
from typing import Any

DEFAULT_SIZE = 100
MAX_INBOXES = 100
MAX_MESSAGES = 1000
BODY_LIMIT = 16 * 1024
NAME = re.compile(r"^[A-Za-z0-9._~-]{1,64}$")
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
REDACTED = "[redacted]"


class Inboxes:
    def __init__(self, size: int = DEFAULT_SIZE, max_inboxes: int = MAX_INBOXES,
                 max_messages: int = MAX_MESSAGES) -> None:
        if size < 1 or max_inboxes < 1 or max_messages < 1:
            raise ValueError("an inbox holds at least one message, and there is room for at least one inbox")
        self.size, self.max_inboxes, self.max_messages = size, max_inboxes, max_messages
        self._boxes: OrderedDict[str, deque[dict[str, Any]]] = OrderedDict()
        self._received: dict[str, int] = {}
        self._next_id = 1

    def record(self, name: str, *, method: str, headers: list[tuple[str, str]], body: bytes) -> dict[str, Any]:
        """Keep one arrival in ``name`` (created on first use) and answer what was kept."""
        if not NAME.match(name):
            raise ValueError("an inbox name is 1 to 64 letters, digits, '.', '_', '~' or '-'")
        box = self._boxes.get(name)
        if box is None:
            if len(self._boxes) >= self.max_inboxes:
                dropped, _ = self._boxes.popitem(last=False)
                self._received.pop(dropped, None)
            box = self._boxes[name] = deque(maxlen=self.size)
        self._boxes.move_to_end(name)
        if len(box) < self.size and sum(len(b) for b in self._boxes.values()) >= self.max_messages:
            self._drop_oldest()
        message = {
            "id": self._next_id,
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": method,
            "headers": [[k, REDACTED if k.lower() in _SECRET_HEADERS else v] for k, v in headers],
            "body": body[:BODY_LIMIT].decode("utf-8", "replace"),
            "bytes": len(body),
            "truncated": len(body) > BODY_LIMIT,
        }
        self._next_id += 1
        box.append(message)
        self._received[name] = self._received.get(name, 0) + 1
        return message

    def _drop_oldest(self) -> None:
        """Make room for one message: the oldest of the inbox written to longest ago (which goes once empty)."""
        name, box = next(iter(self._boxes.items()))
        box.popleft()
        if not box:
            del self._boxes[name]
            self._received.pop(name, None)

    def messages(self, name: str, *, after: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; an inbox nothing was sent to is empty, not missing (a target can be read before use)."""
        return [m for m in self._boxes.get(name, ()) if after is None or m["id"] > after]

    def summary(self) -> list[dict[str, Any]]:
        """Every inbox: its name, messages kept, messages received in all, and the last arrival's time."""
        return [{"name": name, "messages": len(box), "received": self._received.get(name, 0),
                 "last": box[-1]["time"] if box else None} for name, box in self._boxes.items()]

    def clear(self, name: str | None = None) -> None:
        if name is None:
            self._boxes.clear()
            self._received.clear()
        else:
            self._boxes.pop(name, None)
            self._received.pop(name, None)
