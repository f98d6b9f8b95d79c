"""In a real browser (headless Chromium), a page on another origin cannot read ``/_mock/state`` nor reset the mock,
and a rebound name gets nothing; a page on a local origin still reads the APIs.

The page is served by a second server on another port; its script calls the mock and writes what it could do into
the DOM, which ``chromium --dump-dom`` prints. ``evil.example`` is mapped to 127.0.0.1 inside the browser only, so a
page can sit on a foreign, non-local origin without any DNS. Chromium comes from the system (``apt-get install
chromium``; CI installs it and sets ``MOCK_REQUIRE_BROWSER=1``, so there it is never skipped).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.mock.conftest import GARUDA, new_session
from tests.mock.live_server import running_mock
from tests.serving import serving

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
EVIL = "evil.example"
SCRIPT = """
const mock = %(mock)s, garuda = %(garuda)s, results = {};
async function attempt(name, call) {
  try { results[name] = await call(); } catch (error) { results[name] = "blocked " + error.name; }
}
(async () => {
  await attempt("state", async () => { const r = await fetch(mock + "/_mock/state"); return "read " + r.status; });
  await attempt("reset_json", async () => {
    const r = await fetch(mock + "/_mock/reset", {method: "POST", headers: {"Content-Type": "application/json"},
                                                   body: "{}"});
    return "read " + r.status;
  });
  await attempt("reset_no_cors", async () => {
    await fetch(mock + "/_mock/reset", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"},
                                        body: "{}"});
    return "sent";
  });
  await attempt("reset_beacon", async () => navigator.sendBeacon(mock + "/_mock/reset", "{}") ? "sent" : "refused");
  await attempt("sessions", async () => {
    const r = await fetch(mock + "/v2/flight_sessions", {headers: garuda});
    return "read " + r.status + " " + (await r.json()).data.length;
  });
  document.getElementById("out").textContent = JSON.stringify(results);
})();
"""


def _page(mock: str) -> str:
    script = SCRIPT % {"mock": json.dumps(mock), "garuda": json.dumps(GARUDA)}
    return f'<!DOCTYPE html><html><body><pre id="out">pending</pre><script>{script}</script></body></html>'


def _dump_dom(url: str, profile: Path) -> str:
    """The DOM of ``url`` once its scripts have run (virtual time lets them finish without waiting in real time)."""
    assert BROWSER is not None
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               f"--host-resolver-rules=MAP {EVIL} 127.0.0.1", "--virtual-time-budget=10000", "--dump-dom", url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               start_new_session=True)
    try:
        return process.communicate(timeout=90)[0]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the group this browser leads: its renderers too
            process.communicate()


def _results(dom: str) -> dict[str, str]:
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(unescape(found.group(1)))


@pytest.fixture(scope="module")
def mock_and_page() -> Iterator[tuple[str, int]]:
    if BROWSER is None:
        if os.environ.get("MOCK_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed, and MOCK_REQUIRE_BROWSER is set")
        pytest.skip("chromium is not installed (apt-get install chromium; CI installs it)")
    with running_mock() as (base, _):
        page = Starlette(routes=[Route("/", lambda request: HTMLResponse(_page(base)))])
        with serving(page) as page_base:
            yield base, int(page_base.rsplit(":", 1)[1])


def _state(base: str) -> dict:
    return httpx.get(f"{base}/_mock/state").json()


def test_a_page_on_a_foreign_origin_can_neither_read_the_state_nor_reset_nor_read_the_apis(
        mock_and_page: tuple[str, int], tmp_path: Path) -> None:
    base, page_port = mock_and_page
    created = httpx.post(f"{base}/v2/flight_sessions", headers=GARUDA, json=new_session()).json()["data"]
    before = _state(base)
    results = _results(_dump_dom(f"http://{EVIL}:{page_port}/", tmp_path))
    assert results["state"] == "blocked TypeError"
    assert results["reset_json"] == "blocked TypeError"
    assert results["sessions"] == "blocked TypeError"  # not a local origin: no CORS grant from the APIs either
    assert _state(base) == before  # the no-cors POST and the beacon reached the mock, and were refused
    assert created in httpx.get(f"{base}/v2/flight_sessions", headers=GARUDA).json()["data"]


def test_a_page_on_another_local_port_reads_the_apis_but_not_the_control_api(mock_and_page: tuple[str, int],
                                                                             tmp_path: Path) -> None:
    base, page_port = mock_and_page
    httpx.post(f"{base}/v2/flight_sessions", headers=GARUDA, json=new_session())
    before = _state(base)
    results = _results(_dump_dom(f"http://127.0.0.1:{page_port}/", tmp_path))
    assert results["state"] == "blocked TypeError"
    assert results["reset_json"] == "blocked TypeError"
    assert results["sessions"].startswith("read 200 ") and int(results["sessions"].split()[-1]) >= 1, results
    assert _state(base) == before


def test_a_rebound_name_gets_a_refusal_instead_of_the_state(mock_and_page: tuple[str, int], tmp_path: Path) -> None:
    base, _ = mock_and_page
    port = base.rsplit(":", 1)[1]
    rebound = _dump_dom(f"http://{EVIL}:{port}/_mock/state", tmp_path)
    assert "--allowed-host" in rebound and "flight_sessions" not in rebound
    direct = _dump_dom(f"{base}/_mock/state", tmp_path)
    assert "flight_sessions" in direct  # the same page under the mock's own name is the state
