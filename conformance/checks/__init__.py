"""The named checks: pure per-response checks (no HTTP client needed) and scenario checks that make requests."""
