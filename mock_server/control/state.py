"""What the control API changes besides the data: the request journal and the injection rules.

It lives next to :class:`mock_server.state.MockState`, not inside it: resetting or restoring the data leaves the
journal and the rules alone, so a test can set up a fault and then reset the data without losing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_server.control.faults import FaultRules
from mock_server.control.journal import DEFAULT_SIZE, RequestJournal
from mock_server.control.latency import LatencyRules


@dataclass
class ControlState:
    journal: RequestJournal = field(default_factory=RequestJournal)
    latency: LatencyRules = field(default_factory=LatencyRules)
    faults: FaultRules = field(default_factory=FaultRules)

    @classmethod
    def with_journal_size(cls, size: int = DEFAULT_SIZE) -> ControlState:
        return cls(journal=RequestJournal(size))
