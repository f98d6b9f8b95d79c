"""The six Flightsayer operations. Paths as the seed writes them: ``/subscriptions/`` with its slash,
``/flights/v1/search`` without; Starlette's ``redirect_slashes`` answers the other form with a 307."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from pydantic import AwareDatetime

from flightapp import mutants
from flightapp.flightsayer.board import FlightBoard
from flightapp.flightsayer.models import FlightStatus, FlightSubscription, Page, SubscriptionRequest
from flightapp.flightsayer.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from flightapp.flightsayer.security import CurrentUser
from flightapp.flightsayer.subscriptions import Subscription, SubscriptionStore

FLIGHT_ID_PATTERN = r"^[A-Z0-9]{2}[0-9]{1,4}[A-Z]{3}[A-Z]{3}[0-9]{10}$"
AIRPORT_PATTERN = r"^[A-Z]{3}$"

FlightId = Annotated[str, Path(pattern=FLIGHT_ID_PATTERN, examples=["UA576BOSSFO1606092145"],
                               description="<carrier><number><origin><destination><YYMMDDHHMM in UTC>")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0)]

flights = APIRouter(prefix="/flights/v1", tags=["flightsayer"])
subscriptions = APIRouter(prefix="/subscriptions", tags=["flightsayer"])


def board(request: Request) -> FlightBoard:
    return request.app.state.board


def subscription_store(request: Request) -> SubscriptionStore:
    return request.app.state.subscriptions


def known_flight(request: Request, flight_id: str) -> None:
    if flight_id not in board(request).legs:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")


def answered(sub: Subscription) -> FlightSubscription:
    return FlightSubscription(flight_id=sub.flight_id, target=sub.target, created=sub.created, updated=sub.updated)


@flights.get("/status/{flight_id}", response_model=FlightStatus)
def flight_status(request: Request, user: CurrentUser, flight_id: FlightId):
    known_flight(request, flight_id)
    return board(request).status(flight_id)


@flights.get("/search", response_model=Page[FlightStatus])
def search_flights(request: Request, user: CurrentUser,
                   departure_airport: Annotated[str | None, Query(pattern=AIRPORT_PATTERN)] = None,
                   arrival_airport: Annotated[str | None, Query(pattern=AIRPORT_PATTERN)] = None,
                   earliest_departure: AwareDatetime | None = None,
                   latest_departure: AwareDatetime | None = None,
                   limit: Limit = DEFAULT_LIMIT, offset: Offset = 0):
    def matches(leg) -> bool:
        if latest_departure is not None and mutants.active("exclusive_latest_departure"):
            before_latest = leg.departure < latest_departure
        else:
            before_latest = latest_departure is None or leg.departure <= latest_departure
        return ((departure_airport is None or leg.origin.iata == departure_airport)
                and (arrival_airport is None or leg.destination.iata == arrival_airport)
                and (earliest_departure is None or leg.departure >= earliest_departure)
                and before_latest)

    found = [leg.flight_id for leg in board(request).ordered() if matches(leg)]
    page = paginate(found, request.url, limit, offset)
    return page.model_copy(update={"results": [board(request).status(flight_id) for flight_id in page.results]})


@subscriptions.get("/", response_model=Page[FlightSubscription])
def list_subscriptions(request: Request, user: CurrentUser, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0):
    mine = [answered(sub) for sub in subscription_store(request).of_user(user)]
    return paginate(mine, request.url, limit, offset)


@subscriptions.put("/{flight_id}", response_model=FlightSubscription,
                   responses={201: {"model": FlightSubscription, "description": "New subscription created."}})
def put_subscription(request: Request, response: Response, user: CurrentUser, flight_id: FlightId,
                     body: SubscriptionRequest):
    known_flight(request, flight_id)
    sub, created = subscription_store(request).put(user, flight_id, str(body.target))
    response.status_code = 201 if created or mutants.active("update_answers_201") else 200
    return answered(sub)


@subscriptions.get("/{flight_id}", response_model=FlightSubscription)
def get_subscription(request: Request, user: CurrentUser, flight_id: FlightId):
    sub = subscription_store(request).get(user, flight_id)
    if sub is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
    return answered(sub)


@subscriptions.delete("/{flight_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_subscription(request: Request, user: CurrentUser, flight_id: FlightId) -> None:
    if not subscription_store(request).delete(user, flight_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not found.")
