"""A contract-first, stateful mock of the Garuda and Flightsayer APIs, built from ``specs/``."""

import warnings

# connexion imports starlette's TestClient at import time, which warns about its httpx backend; the mock never uses
# it, and the warning would be the first thing a newcomer sees when starting the server.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
