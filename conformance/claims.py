"""Which resources of the backend a check of this run has taken, across every process of the run.

Checks run concurrently (``--jobs``), in several processes, against one backend. A check that subscribes to a
flight, or changes it through the trigger, must not share that flight with another check doing the same at the same
moment. Each claims what it uses; a claim is a file created exclusively in a folder the whole run shares, so two
processes can never both win one. Claims last for the run: there are far more flights than checks. Without a folder
(a check called on its own, in a test) claims are kept in memory.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path


class Claims:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self._taken: dict[str, str] = {}  # what this process claimed: digest -> owner
        self._lock = threading.Lock()

    def claim(self, kind: str, name: str, owner: str = "") -> bool:
        """Take ``name`` (of ``kind``: "flight"...) for ``owner``; False if anyone else in the run has it. An owner
        may claim again what it holds (schemathesis subscribes one flight more than once)."""
        digest = hashlib.sha256(f"{kind}\0{name}".encode()).hexdigest()[:32]
        with self._lock:
            if digest in self._taken:
                return bool(owner) and self._taken[digest] == owner
            if self.folder is not None:
                try:
                    os.close(os.open(self.folder / digest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                except FileExistsError:
                    return False
            self._taken[digest] = owner
            return True

    def claim_flight(self, flight_id: str, owner: str = "") -> bool:
        return self.claim("flight", flight_id, owner)

    def holds(self, kind: str, name: str, owner: str) -> bool:
        """Whether this process claimed ``name`` for ``owner``."""
        digest = hashlib.sha256(f"{kind}\0{name}".encode()).hexdigest()[:32]
        with self._lock:
            return self._taken.get(digest) == owner
