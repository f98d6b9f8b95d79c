"""`manage.py change_flight --port N FLIGHT_ID delay 23` / `... FLIGHT_ID cancellation`: changes a flight on the
running server through its private /ops/ endpoint, so the server's own worker sends the notifications."""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Delay or cancel a flight on the running server; its subscribers are notified."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("flight_id")
        parser.add_argument("kind", choices=["delay", "cancellation"])
        parser.add_argument("minutes", type=int, nargs="?", default=None)
        parser.add_argument("--port", type=int, required=True, help="port the server listens on (127.0.0.1)")

    def handle(self, *args, flight_id, kind, minutes, port, **options):
        body = {"kind": kind} if kind == "cancellation" else {"kind": kind, "minutes": minutes or 15}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/ops/flights/{flight_id}/changes/", data=json.dumps(body).encode(),
            method="POST", headers={"Content-Type": "application/json", "Accept": "application/json",
                                    "Authorization": f"Token {settings.OPS_TOKEN}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                self.stdout.write(f"{flight_id}: {kind} applied ({response.status})")
        except urllib.error.HTTPError as error:
            raise CommandError(f"{flight_id}: {kind} refused: {error.code} {error.read()[:300]!r}") from error
        except OSError as error:
            raise CommandError(f"server on port {port} unreachable: {error}") from error
