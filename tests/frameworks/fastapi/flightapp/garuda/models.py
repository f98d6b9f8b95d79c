"""Request and response bodies. Times are epoch milliseconds; the seed's tables call them "String" while every
example sends a bare integer, so a string of digits is accepted too (pydantic's lax mode) and integers are answered."""

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, Field

from flightapp import mutants

EpochMillis = Annotated[int, Field(ge=0, le=253402300799999, description="epoch milliseconds")]
ResourceId = Annotated[str, Field(min_length=1, max_length=64)]

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    success: bool = True
    data: T


class FlightSessionCreate(BaseModel):
    deployment_id: ResourceId
    flight_plan_id: ResourceId
    start_date_time: EpochMillis
    end_date_time: EpochMillis


class FlightSessionPatch(BaseModel):
    """"You can pass in any subset of the properties of the flight session": every field optional, none nullable
    (the None default is never validated, an explicit null is refused); handlers read ``exclude_unset``."""

    deployment_id: ResourceId = None  # type: ignore[assignment]
    flight_plan_id: ResourceId = None  # type: ignore[assignment]
    start_date_time: EpochMillis = None  # type: ignore[assignment]
    end_date_time: EpochMillis = None  # type: ignore[assignment]


class FlightSession(BaseModel):
    flight_session_id: str
    flight_plan_id: str
    deployment_id: str
    company_id: str
    start_date_time: int
    end_date_time: int


def as_answered(session: FlightSession) -> FlightSession:
    """What leaves the service: the stored session, or the ``times_in_seconds`` mutant's truncated times."""
    if mutants.active("times_in_seconds"):
        return session.model_copy(update={"start_date_time": session.start_date_time // 1000,
                                          "end_date_time": session.end_date_time // 1000})
    return session
