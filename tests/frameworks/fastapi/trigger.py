"""Change a flight on a running backend: ``python trigger.py PORT FLIGHT_ID delay|cancellation [MINUTES]``.

Calls the private admin endpoint; exits non-zero (printing why) when the change is refused or the server is down."""

import json
import sys
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4) or argv[2] not in ("delay", "cancellation"):
        print(__doc__, file=sys.stderr)
        return 2
    port, flight_id, kind = argv[:3]
    event = {"kind": kind, "minutes": int(argv[3])} if kind == "delay" and len(argv) == 4 else {"kind": kind}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/flights/{flight_id}/events",
                                     data=json.dumps(event).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
    except urllib.error.HTTPError as error:
        print(f"{kind} of {flight_id} refused: {error.code} {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"backend on port {port} unreachable: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
