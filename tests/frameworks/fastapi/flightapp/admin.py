"""The private admin endpoint ``trigger.py`` calls to change a flight: outside both APIs, hidden from the OpenAPI
document, and answered only to loopback clients."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel, Field

from flightapp import mutants
from flightapp.flightsayer.board import FlightClosed
from flightapp.flightsayer.models import FlightStatus

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def loopback_only(request: Request) -> None:
    if request.client is None or request.client.host not in LOOPBACK:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admin endpoints answer loopback clients only")


router = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[Depends(loopback_only)])


class FlightEvent(BaseModel):
    kind: Literal["delay", "cancellation"]
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30


@router.post("/flights/{flight_id}/events", response_model=FlightStatus)
async def change_flight(request: Request, flight_id: str, event: FlightEvent):
    board, notifier = request.app.state.board, request.app.state.notifier
    if flight_id not in board.legs:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no flight {flight_id}")
    try:
        changed = board.delay(flight_id, event.minutes) if event.kind == "delay" else board.cancel(flight_id)
    except FlightClosed as error:
        raise HTTPException(status.HTTP_409_CONFLICT, f"flight {flight_id} is cancelled") from error
    if event.kind == "cancellation" or not mutants.active("no_notification_for_delay"):
        notifier.publish(changed, final=event.kind == "cancellation")
    return changed
