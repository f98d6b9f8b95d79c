"""Validate recorded traffic offline: ``python -m conformance.traffic FILE.har [--json] [--exclusive-tenants]``.

A HAR file (as browsers' developer tools export it) is judged exchange by exchange exactly as the validating proxy
judges live traffic (:mod:`conformance.contract_validation`, then :mod:`conformance.live` replayed in the recording's
time order), so a frontend team can find out after the fact whether its requests or the backend's answers broke the
contract.
"""

from conformance.traffic.har import HarEntry, read_har
from conformance.traffic.report import TrafficReport, judge_entries

__all__ = ["HarEntry", "TrafficReport", "judge_entries", "read_har"]
