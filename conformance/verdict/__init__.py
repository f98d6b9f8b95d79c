"""Run machinery that turns a run's outcomes into a verdict a CI team can act on.

- :mod:`conformance.verdict.exit_codes`: what the run's exit code says;
- :mod:`conformance.verdict.preflight`: the backend answers and the config's credentials and ids work, before any
  check runs;
- :mod:`conformance.verdict.run_errors`: which outcomes are the run's own errors, not the backend's failures;
- :mod:`conformance.verdict.causes` and :mod:`conformance.verdict.findings`: failures with one cause are one finding;
- :mod:`conformance.verdict.adoption`: ``--baseline`` and ``--waivers``, which findings fail the run.
"""
