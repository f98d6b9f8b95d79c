"""One run of the suite: what every process of it shares, set up once and handed to the others.

With ``--jobs 1`` one process runs every check. With ``--jobs N`` pytest-xdist runs them in N worker processes and
the process that started them hosts what must exist once per run:

- the backend under test: the given ``--base-url``, or the bundled mock started for the run (one mock: checks in
  different processes must see one backend's state);
- the claims folder (:mod:`conformance.claims`), so no two concurrent checks take one flight;
- the webhook receiver (:mod:`conformance.webhooks.receiver`): one port the backend posts to, one record of what
  arrived, read by the workers through :class:`~conformance.webhooks.receiver.RemoteReceiver`;
- the rate limit, an N-th of ``--rate-limit`` for each process;
- the record of what was sent and answered (:mod:`conformance.reporting.traffic`): each process keeps its own, and
  the workers hand theirs to the hosting one when they finish.

Every client that talks to the backend comes from here (:meth:`SuiteRun.http_client`,
:meth:`SuiteRun.requests_session`), so each is held to the rate limit and counted.

The hosting process starts the receiver only when a push-notification check may need it: at once when it hands work
to workers (it cannot know which checks they will run), on first use otherwise.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import requests

from conformance.bundled_mock import running_bundled_mock
from conformance.claims import Claims
from conformance.config import ConformanceConfig
from conformance.rate_limit import RateLimiter
from conformance.reporting.traffic import TrafficRecord
from conformance.target import make_http_client
from conformance.webhooks.receiver import Receiver, RemoteReceiver, WebhookReceiver, serve_receiver


@dataclass(frozen=True)
class ReceiverPlace:
    """Where the receiver binds, as the user asked (``--webhook-host``, ``--webhook-port``,
    ``--webhook-public-url``)."""

    host: str = "127.0.0.1"
    port: int = 0
    public_url: str | None = None


@dataclass
class SuiteRun:
    base_url: str
    config: ConformanceConfig
    claims: Claims
    rate_limit: float | None = None  # requests a second, for this process
    receiver_place: ReceiverPlace = field(default_factory=ReceiverPlace)
    remote_receiver: dict[str, str] | None = None  # set in workers: how to reach the hosting process's receiver
    worker: str = ""  # this process's name in the run ("" when it hosts)
    bundled: bool = False  # the backend is the bundled mock, started for the run
    traffic: TrafficRecord = field(default_factory=TrafficRecord)
    _receiver: WebhookReceiver | None = None
    _limiter: RateLimiter | None = None
    _resources: ExitStack = field(default_factory=ExitStack)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def host(cls, base_url: str | None, config_path: Path | None, *, rate_limit: float | None, processes: int,
             receiver_place: ReceiverPlace) -> SuiteRun:
        """Set up the run in the process that hosts it: the bundled mock if no ``base_url``, the claims folder."""
        resources = ExitStack()
        bundled = not base_url
        try:
            if base_url:
                config = ConformanceConfig.from_file(config_path) if config_path else ConformanceConfig({})
            else:
                base_url, mock_config = resources.enter_context(running_bundled_mock())
                config = ConformanceConfig.from_file(config_path) if config_path else mock_config
            folder = Path(tempfile.mkdtemp(prefix="flight-conformance-claims-"))
            resources.callback(shutil.rmtree, folder, ignore_errors=True)
        except BaseException:
            resources.close()
            raise
        share = rate_limit / processes if rate_limit else None
        return cls(base_url.rstrip("/"), config, Claims(folder), share, receiver_place, bundled=bundled,
                   _resources=resources)

    def for_workers(self) -> dict[str, Any]:
        """What a worker needs to join the run (plain data: it crosses a process boundary). Starts the receiver,
        which workers cannot start themselves."""
        receiver = self.hosted_receiver()
        return {"base_url": self.base_url, "config": self.config.data, "claims": str(self.claims.folder),
                "rate_limit": self.rate_limit, "bundled": self.bundled,
                "receiver": {"public_url": receiver.public_url, "local_url": receiver.local_url,
                             "token": receiver.token, "key": receiver.key}}

    @classmethod
    def join(cls, shared: Mapping[str, Any], worker: str) -> SuiteRun:
        return cls(shared["base_url"], ConformanceConfig(shared["config"]), Claims(Path(shared["claims"])),
                   shared["rate_limit"], remote_receiver=shared["receiver"], worker=worker, bundled=shared["bundled"])

    def hosted_receiver(self) -> WebhookReceiver:
        with self._lock:
            if self._receiver is None:
                place = self.receiver_place
                self._receiver = self._resources.enter_context(
                    serve_receiver(place.host, place.port, place.public_url))
            return self._receiver

    def receiver(self) -> Receiver:
        """The run's receiver, as this process reaches it."""
        if self.remote_receiver is not None:
            return RemoteReceiver(prefix=self.worker, **self.remote_receiver)
        return self.hosted_receiver()

    @property
    def limiter(self) -> RateLimiter | None:
        with self._lock:
            if self.rate_limit and self._limiter is None:
                self._limiter = RateLimiter(self.rate_limit)
            return self._limiter

    @contextmanager
    def http_client(self) -> Iterator[httpx.Client]:
        """An httpx client of the backend, held to the rate limit, its answers counted."""
        with make_http_client(self.base_url, limiter=self.limiter) as client:
            client.event_hooks["response"].append(self.traffic.httpx_hook)
            yield client

    @contextmanager
    def requests_session(self) -> Iterator[requests.Session]:
        """A requests session (what schemathesis sends through), held to the rate limit, its answers counted."""
        with requests.Session() as session:
            if self.limiter is not None:
                self.limiter.mount_on(session)
            session.hooks["response"].append(self.traffic.requests_hook)
            yield session

    def close(self) -> None:
        self._resources.close()
