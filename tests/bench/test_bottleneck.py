"""The bench prints a ratio only when the floor, not the load generator, set the floor's rate: judged from the CPU
time each spent (figures here are made up; the bench measures real ones)."""

from __future__ import annotations

from dataclasses import dataclass

from bench.bottleneck import MAX_SHARE, judge


@dataclass
class Run:
    rps: float = 10_000.0
    cpu_s: float = 1.0
    wall_s: float = 5.0
    server_cpu_s: float = 4.0


def test_a_cheap_generator_on_contended_cores_is_trusted() -> None:
    verdict = judge([Run(cpu_s=0.8, server_cpu_s=3.5), Run(cpu_s=0.9, server_cpu_s=3.9)], generator="wrk")
    assert verdict.trusted, verdict.reason
    assert 0.18 < verdict.share < 0.19


def test_a_generator_busy_the_whole_run_is_the_bottleneck() -> None:
    verdict = judge([Run(rps=300, cpu_s=4.8, wall_s=5.0, server_cpu_s=0.3)], generator="python")
    assert not verdict.trusted
    assert "python ran flat out" in verdict.reason and "300 req/s" in verdict.reason


def test_one_flat_out_floor_run_is_enough_to_refuse_the_ratio() -> None:
    verdict = judge([Run(cpu_s=0.5), Run(cpu_s=4.9, server_cpu_s=0.1)], generator="autocannon")
    assert not verdict.trusted


def test_a_generator_taking_half_of_contended_cores_gives_no_ratio() -> None:
    verdict = judge([Run(cpu_s=2.5, server_cpu_s=2.5)], generator="autocannon")
    assert not verdict.trusted
    assert "autocannon spent 50% of the CPU" in verdict.reason
    assert verdict.share == 0.5


def test_a_share_just_under_the_limit_is_trusted_and_just_over_is_not() -> None:
    server = 3.0
    at_limit = server * MAX_SHARE / (1 - MAX_SHARE)  # the generator's CPU that makes its share exactly the limit
    assert judge([Run(cpu_s=at_limit * 0.99, server_cpu_s=server)], generator="g").trusted
    assert not judge([Run(cpu_s=at_limit * 1.01, server_cpu_s=server)], generator="g").trusted


def test_a_large_share_is_harmless_when_the_floor_ran_flat_out_on_a_core_of_its_own() -> None:
    verdict = judge([Run(cpu_s=3.5, wall_s=5.0, server_cpu_s=4.9)], generator="autocannon")
    assert verdict.trusted, verdict.reason
    assert "the floor ran flat out" in verdict.reason


def test_more_threads_raise_the_mark_for_flat_out() -> None:
    busy_on_one_of_two = Run(cpu_s=4.7, wall_s=5.0, server_cpu_s=4.9)
    assert not judge([busy_on_one_of_two], generator="g", threads=1).trusted
    assert judge([busy_on_one_of_two], generator="g", threads=2).trusted


def test_cpu_time_not_measured_gives_no_ratio() -> None:
    verdict = judge([Run(server_cpu_s=float("nan"))], generator="wrk")
    assert not verdict.trusted and "not measured" in verdict.reason


def test_no_floor_run_gives_no_ratio() -> None:
    assert not judge([], generator="wrk").trusted
