"""What lets checks run at once (``--jobs``): claims no two processes both win, one receiver every process reads,
and a rate limit the run as a whole keeps."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import httpx
import pytest

from conformance.claims import Claims
from conformance.rate_limit import RateLimiter
from conformance.webhooks.receiver import RemoteReceiver, serve_receiver


def _claim_all(folder: str, names: list[str], won: multiprocessing.Queue) -> None:
    claims = Claims(Path(folder))
    won.put([name for name in names if claims.claim_flight(name)])


def test_two_processes_never_both_win_a_flight(tmp_path: Path) -> None:
    names = [f"AA{n}BOSJFK2606011200" for n in range(1, 200)]
    won: multiprocessing.Queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_claim_all, args=(str(tmp_path), names, won)) for _ in range(3)]
    for worker in workers:
        worker.start()
    taken = [won.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    every = [name for part in taken for name in part]
    assert sorted(every) == sorted(names)  # each claimed exactly once


def test_an_owner_may_claim_again_what_it_holds_and_nobody_else_may(tmp_path: Path) -> None:
    mine, other = Claims(tmp_path), Claims(tmp_path)
    assert mine.claim_flight("AA1BOSJFK2606011200", "schemathesis")
    assert mine.claim_flight("AA1BOSJFK2606011200", "schemathesis")
    assert not mine.claim_flight("AA1BOSJFK2606011200")
    assert not other.claim_flight("AA1BOSJFK2606011200", "schemathesis")


def test_claims_without_a_folder_are_kept_in_memory() -> None:
    claims = Claims()
    assert claims.claim_flight("AA1BOSJFK2606011200") and not claims.claim_flight("AA1BOSJFK2606011200")


def test_another_process_reads_what_arrived_at_the_run_s_receiver() -> None:
    with serve_receiver() as receiver:
        remote = RemoteReceiver(receiver.public_url, receiver.local_url, receiver.token, receiver.key, prefix="gw3")
        path = remote.new_path("arrives")
        assert path.startswith(f"/{receiver.token}/gw3-arrives-") and path != remote.new_path("arrives")
        assert remote.wait_for(lambda arrival: arrival.path == path, 0.2) is None
        httpx.post(remote.url(path), json={"flight": {"id": "AA1BOSJFK2606011200"}}).raise_for_status()
        arrival = remote.wait_for(lambda arrival: arrival.path == path, 5)
        assert arrival is not None and arrival.flight_id == "AA1BOSJFK2606011200"
        assert [a.path for a in receiver.received()] == [path]


def test_what_arrived_is_read_only_with_the_run_s_key() -> None:
    with serve_receiver() as receiver:
        stranger = RemoteReceiver(receiver.public_url, receiver.local_url, receiver.token, "a guess", prefix="x")
        with pytest.raises(httpx.HTTPStatusError):
            stranger.received()


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize("per_second", [0.5, 3, 40])
def test_the_rate_limit_never_lets_more_requests_go_than_it_allows(per_second: float) -> None:
    time = FakeTime()
    limiter = RateLimiter(per_second, clock=time.clock, sleep=time.sleep)
    sent = []
    for _ in range(200):
        limiter.wait()
        sent.append(time.now)
    for index, at in enumerate(sent):
        within_a_second = [t for t in sent[index:] if t < at + 1 - 1e-9]
        assert len(within_a_second) <= max(1, per_second)
    assert sent[-1] <= 199 / per_second + 1e-9  # and it lets them go at that rate, no slower
