"""The seed's FlightStatus, FlightSubscription and page bodies. Aware datetimes serialize in ISO 8601 with their own
offset: an airport's local one for its times, ``Z`` for the rest."""

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import AnyHttpUrl, BaseModel, Field

T = TypeVar("T")


class CarrierInfo(BaseModel):
    iata: str
    name: str


class AirportInfo(BaseModel):
    iata: str
    city: str
    name: str


class FlightInfo(BaseModel):
    id: str
    number: int
    carrier: CarrierInfo
    scheduled_departure: datetime
    scheduled_arrival: datetime
    origin: AirportInfo
    destination: AirportInfo


class Prediction(BaseModel):
    delay_index: int = Field(ge=1, le=10)
    distribution: list[float] = Field(min_length=4, max_length=4)
    reasons: list[str]


class HistoricalPerformance(BaseModel):
    samples: int
    n_months: int
    on_time_percentage: float
    cancel_percentage: float


class DepartureStatus(BaseModel):
    scheduled: datetime
    latest: datetime
    type: str
    terminal: str | None = None
    gate: str | None = None


class ArrivalStatus(DepartureStatus):
    baggage_claim: str | None = None


class RealtimeStatus(BaseModel):
    departure: DepartureStatus
    arrival: ArrivalStatus
    cancelled: bool
    source: str
    last_updated: datetime | None


class FlightStatus(BaseModel):
    flight: FlightInfo
    prediction: Prediction
    historical_performance: HistoricalPerformance | None
    status: RealtimeStatus
    inbound: "FlightStatus | None"


class Page(BaseModel, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]


class SubscriptionRequest(BaseModel):
    target: AnyHttpUrl = Field(description="url to which POST requests indicating change to flight status will be sent")


class FlightSubscription(BaseModel):
    flight_id: str
    target: str
    created: datetime
    updated: datetime
