"""Each API's raw spec and Swagger UI, served separately.

Connexion serves one `openapi.json` per base path, and both APIs share the root; so the mock serves them itself,
at `<prefix>/openapi.json` and `<prefix>/ui/`, with the mock's own URL first in `servers` so "Try it out" hits it.
"""

from __future__ import annotations

import json
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from api_contract import API_NAMES, load_spec

DOCS_PREFIXES = {"garuda": "/v2", "flightsayer": "/flights/v1"}
ASSETS = "/_mock/swagger-ui"

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "{spec}", dom_id: "#ui", persistAuthorization: true}});</script>
</body></html>"""


def _spec_endpoint(api: str):
    async def spec(request: Request) -> Response:
        document = load_spec(api, "mock")
        base = str(request.base_url).rstrip("/")
        document["servers"] = [{"url": base, "description": "This mock"}, *document.get("servers", [])]
        return Response(json.dumps(document), media_type="application/json")

    return spec


def _ui_endpoint(api: str):
    async def ui(request: Request) -> Response:
        title = escape(load_spec(api, "mock")["info"]["title"])
        page = _PAGE.format(title=title, assets=ASSETS, spec=f"{DOCS_PREFIXES[api]}/openapi.json")
        return HTMLResponse(page)

    return ui


def docs_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = [Mount(ASSETS, app=StaticFiles(directory=swagger_ui_path), name="swagger-ui")]
    for api in API_NAMES:
        prefix = DOCS_PREFIXES[api]
        routes += [
            Route(f"{prefix}/openapi.json", _spec_endpoint(api), methods=["GET"]),
            Route(f"{prefix}/ui/", _ui_endpoint(api), methods=["GET"]),
            Route(f"{prefix}/ui", lambda request, p=prefix: RedirectResponse(f"{p}/ui/"), methods=["GET"]),
        ]
    return routes


def docs_url(api: str) -> str:
    return f"{DOCS_PREFIXES[api]}/ui/"
