"""Starts the staging server: a fresh SQLite database in a temp file, migrated and filled, served by waitress.

    python serve.py PORT        (binds 127.0.0.1:PORT; one process, so the notification worker lives beside it)
"""

import os
import signal
import sys
import tempfile
from pathlib import Path


def main() -> None:
    port = int(sys.argv[1])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a stop by PID still removes the database
    handle, database = tempfile.mkstemp(prefix="drf-flights-", suffix=".sqlite3")
    os.close(handle)
    os.environ["DRF_DATABASE"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flightsite.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        call_command("load_companies")
        call_command("load_flights")

        from waitress import serve

        from flightsite.wsgi import application

        serve(application, host="127.0.0.1", port=port, threads=8)
    finally:
        Path(database).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
