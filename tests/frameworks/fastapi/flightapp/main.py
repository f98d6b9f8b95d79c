"""The application: both APIs, the admin endpoint, and the notifier's HTTP client for the app's lifetime.

FastAPI's and Starlette's defaults stay on: 422 validation bodies, trailing-slash redirects, 404/405 bodies, the
security helpers' own 401s, and the docs at /docs and /openapi.json."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from flightapp import admin
from flightapp.flightsayer import routes as flightsayer
from flightapp.flightsayer.board import default_board
from flightapp.flightsayer.notifications import Notifier
from flightapp.flightsayer.subscriptions import SubscriptionStore
from flightapp.garuda import routes as garuda
from flightapp.garuda.sessions import seeded_store


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.sessions = seeded_store()
    app.state.board = default_board()
    app.state.subscriptions = SubscriptionStore()
    async with httpx.AsyncClient(timeout=5.0) as client:
        app.state.notifier = Notifier(app.state.subscriptions, client,
                                      float(os.environ.get("FINAL_DELETE_SECONDS", "2")))
        yield
        await app.state.notifier.close()


app = FastAPI(title="Garuda flight sessions and Flightsayer flight status", lifespan=lifespan)
app.include_router(garuda.router)
app.include_router(flightsayer.flights)
app.include_router(flightsayer.subscriptions)
app.include_router(admin.router)
