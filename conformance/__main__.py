"""``python -m conformance``: the same command as ``flight-conformance`` (see :mod:`conformance.cli`)."""

from __future__ import annotations

from conformance.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
