"""What the control API changes besides the data (the request journal, the inboxes and the injection rules), and the
limits the front door enforces (who may use the control API, how large a body may be).

It lives next to :class:`mock_server.state.MockState`, not inside it: resetting or restoring the data leaves the
journal and the rules alone, so a test can set up a fault and then reset the data without losing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_server.control.access import ControlAccess
from mock_server.control.faults import FaultRules
from mock_server.control.inbox import Inboxes
from mock_server.control.journal import DEFAULT_SIZE, RequestJournal
from mock_server.control.latency import LatencyRules
from mock_server.limits import DEFAULT_MAX_BODY_BYTES


@dataclass
class ControlState:
    journal: RequestJournal = field(default_factory=RequestJournal)
    latency: LatencyRules = field(default_factory=LatencyRules)
    faults: FaultRules = field(default_factory=FaultRules)
    inboxes: Inboxes = field(default_factory=Inboxes)
    # Set once at start-up (the CLI's --no-control, --control-token, --max-body-bytes); read on every request.
    access: ControlAccess = field(default_factory=ControlAccess)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @classmethod
    def with_journal_size(cls, size: int = DEFAULT_SIZE) -> ControlState:
        return cls(journal=RequestJournal(size))
