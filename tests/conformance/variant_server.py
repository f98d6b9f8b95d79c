"""Serve the mock as one named variant, legitimate or broken, or as several at once, in a process of its own, for tests
that run the whole suite against it.

    python -m tests.conformance.variant_server --kind legitimate --variant NAME [--variant NAME...] --port P \
        --config-out FILE

Several variants are stacked in the order given, the first outermost (``breakage.stacked``). The variant's breakage
wraps the whole app, and its ``notification`` rewrite (if any) sits between the flight simulator and the delivery
worker, so what is pushed to subscribers is what the variant would send. The suite's config for the variant (the
mock's, rewritten by the variant's ``config``) is written to FILE.
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
import yaml

from conformance.bundled_mock import free_port, stop_process
from mock_server.app import MockApp, create_app
from tests.conformance.breakage import Breakage, BreakingMiddleware, stacked
from tests.serving import wait_until_answering

KINDS = ("legitimate", "broken")
STARTUP_SECONDS = 60.0
# The variants retire a finished flight's subscriptions 1 s after the final notification, as the bundled mock does,
# so the suite may allow as little as it does the bundled mock (the lives-on check waits this long).
SUITE_ARGS = ("--webhook-final-grace", "5")


def breakage_of(kind: str, names: Sequence[str], app: MockApp) -> Breakage:
    if kind == "legitimate":
        from tests.conformance.legitimate_variants import legitimate_variants, served_together

        return served_together(legitimate_variants(app), tuple(names))
    from tests.conformance.broken_variants import variants

    broken = variants(app.state.conformance_config())
    return stacked(" + ".join(names), *(broken[name][0] for name in names)) if len(names) > 1 else broken[names[0]][0]


def build(kind: str, names: str | Sequence[str]) -> tuple[BreakingMiddleware, dict[str, Any]]:
    """The wrapped app and the suite's config for it."""
    app = create_app(webhook_grace_seconds=1)
    breakage = breakage_of(kind, [names] if isinstance(names, str) else names, app)
    wrapped = BreakingMiddleware(app)
    wrapped.breakage = breakage
    if breakage.notification is not None:
        simulator, worker = app.simulation.simulator, app.simulation.worker
        rewrite = breakage.notification

        def notify(flight_id: str, status: Mapping[str, Any]) -> None:
            pushed = copy.deepcopy(dict(status))
            rewrite(pushed)
            worker.notify(flight_id, pushed)

        simulator.remove_listener(worker.notify)
        simulator.add_listener(notify)
    config = app.state.conformance_config()
    return wrapped, breakage.config(config) if breakage.config is not None else config


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.conformance.variant_server")
    parser.add_argument("--kind", choices=KINDS, required=True)
    parser.add_argument("--variant", action="append", required=True, help="repeat to stack several, outermost first")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config-out", type=Path, required=True)
    args = parser.parse_args(argv)
    app, config = build(args.kind, args.variant)
    args.config_out.write_text(yaml.safe_dump(config), encoding="utf-8")
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="error", access_log=False, lifespan="on")


@contextmanager
def running_variant(kind: str, names: str | Sequence[str], folder: Path) -> Iterator[tuple[str, Path]]:
    """Yield (base URL, config file) of the variant (or variants, stacked) served in its own process; stop it by its
    PID afterwards."""
    names = [names] if isinstance(names, str) else list(names)
    port = free_port()
    config = folder / "conformance.yaml"
    log = (folder / "server.log").open("w")
    chosen = [argument for name in names for argument in ("--variant", name)]
    process = subprocess.Popen([sys.executable, "-m", "tests.conformance.variant_server", "--kind", kind, *chosen,
                                "--port", str(port), "--config-out", str(config)],
                               stdout=log, stderr=subprocess.STDOUT, env=environment())
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(process, f"{base_url}/v2/openapi.json", what=f"the {kind} variant {' + '.join(names)!r}",
                             log=folder / "server.log", timeout=STARTUP_SECONDS,
                             ready=lambda response: response.status_code == 200)
        yield base_url, config
    finally:
        stop_process(process)
        log.close()


def environment() -> dict[str, str]:
    """The test run's environment with bytecode caching on: each process of these runs imports the same ~900
    modules, and compiling them afresh costs every one of them about two seconds."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


if __name__ == "__main__":
    main()
