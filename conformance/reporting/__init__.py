"""The run report (``--report FILE.html``, ``--report-json FILE``, and the summary at the end of every run): what was
checked and what was not, per API and check group, with the requests sent and the answers each operation gave.

- :mod:`conformance.reporting.traffic`: every request's answer, counted as it happens;
- :mod:`conformance.reporting.outcomes`: every check's outcome, read off pytest's reports;
- :mod:`conformance.reporting.model`: the report built from both;
- :mod:`conformance.reporting.terminal` and :func:`render_html`: the report as text and as one HTML page.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from conformance.reporting.model import RunReport


def render_html(report: RunReport) -> str:
    """One self-contained page (styles inline, nothing fetched when it is opened), every value escaped."""
    environment = Environment(loader=PackageLoader("conformance.reporting", "templates"),
                              autoescape=select_autoescape(default=True, default_for_string=True))
    return environment.get_template("report.html.j2").render(report=report)
