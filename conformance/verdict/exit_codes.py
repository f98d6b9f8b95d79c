"""The suite's exit codes, the same from the command, tox and a plain pytest run of the plugin."""

from __future__ import annotations

from enum import IntEnum

import pytest


class Exit(IntEnum):
    PASSED = 0  # every finding is known or waived, or there is none; something was checked
    FAILED = 1  # a new finding: the backend breaks what the seeds (or HTTP) state
    USAGE = 2  # an unknown option or a bad value
    CONFIG = 3  # the config (or the waivers, the baseline) is unreadable, or preflight found a config key not working
    NOTHING_CHECKED = 4  # no check was selected, or every selected one was skipped (the reasons are listed)
    ABORTED = 5  # interrupted, or an internal error
    UNREACHABLE = 6  # preflight: the backend does not answer at all
    RUN_ERRORS = 7  # no new finding, but checks that could not be judged (trigger, connection, setup)
    NOTHING_RAN = 4  # the former name of NOTHING_CHECKED


MEANING = {
    Exit.PASSED: "no new finding: every selected check passed, or failed only with findings of the --baseline or "
                 "--waivers",
    Exit.FAILED: "a new finding: the backend breaks a rule of the seeds or of HTTP",
    Exit.USAGE: "usage error: unknown option or bad value",
    Exit.CONFIG: "config problem: a file unreadable (--conformance-config, --baseline, --waivers), or preflight "
                 "found a config key that does not work",
    Exit.NOTHING_CHECKED: "nothing was checked: no check matched the selection (-k, --api, --read-only), or every "
                          "selected one was skipped",
    Exit.ABORTED: "interrupted, or an internal error",
    Exit.UNREACHABLE: "preflight: the backend does not answer at --base-url",
    Exit.RUN_ERRORS: "errors of the run and no new finding: a check could not be judged (trigger, connection, setup)",
}

# What a plain pytest exit status means in the suite's terms, when the suite did not decide the code itself.
FROM_PYTEST = {pytest.ExitCode.OK: Exit.PASSED, pytest.ExitCode.TESTS_FAILED: Exit.FAILED,
               pytest.ExitCode.USAGE_ERROR: Exit.USAGE, pytest.ExitCode.NO_TESTS_COLLECTED: Exit.NOTHING_CHECKED,
               pytest.ExitCode.INTERRUPTED: Exit.ABORTED, pytest.ExitCode.INTERNAL_ERROR: Exit.ABORTED}

# Where the suite leaves the exit code it decided, for the command to read back (pytest's own statuses overlap ours).
DECIDED: pytest.StashKey[Exit] = pytest.StashKey()
