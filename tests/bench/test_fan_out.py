"""The fan-out bench counts every delivery, at the receiver and in the log, and times each from its own change."""

from __future__ import annotations

import pytest

from bench.webhooks import run_burst


def test_a_burst_arrives_whole_and_each_post_is_timed_from_its_own_change() -> None:
    burst = run_burst(subscriptions=40, changes=2, per_host=4)
    assert burst.delivered == burst.expected == 80
    assert 0 < burst.p50_ms <= burst.p99_ms <= burst.max_ms < 60_000
    assert burst.deliveries_per_s > 0 and burst.worker_cpu_us > 0
    assert 0 <= burst.receiver_busy < 1


def test_a_burst_with_a_delivery_missing_fails_instead_of_reporting_a_rate(monkeypatch) -> None:
    import bench.webhooks as webhooks

    real = webhooks.DeliveryWorker

    class LosesOne(real):
        def deliveries(self) -> list[dict]:
            return super().deliveries()[1:]

    monkeypatch.setattr(webhooks, "DeliveryWorker", LosesOne)
    with pytest.raises(RuntimeError, match="20 deliveries expected, 19 logged"):
        run_burst(subscriptions=20)
