"""The five Garuda operations under ``/v2/flight_sessions``. Thin: validation is pydantic's, storage the store's."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse

from flightapp import mutants
from flightapp.garuda.models import Envelope, FlightSession, FlightSessionCreate, FlightSessionPatch, as_answered
from flightapp.garuda.security import CurrentCompany
from flightapp.garuda.sessions import SessionStore, UnusableReference

router = APIRouter(prefix="/v2/flight_sessions", tags=["garuda"])


def store(request: Request) -> SessionStore:
    return request.app.state.sessions


def not_found() -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, "Flight session not found")


def unusable(error: UnusableReference) -> HTTPException:
    return HTTPException(422, [{"loc": ["body", error.field], "msg": error.reason}])


@router.get("", response_model=Envelope[list[FlightSession]])
def list_flight_sessions(request: Request, company: CurrentCompany,
                         deployment_id: Annotated[str | None, Query()] = None,
                         flight_plan_id: Annotated[str | None, Query()] = None):
    found = store(request).list(company, deployment_id, flight_plan_id)
    return Envelope(data=[as_answered(s) for s in found])


@router.post("", response_model=Envelope[FlightSession])
def create_flight_session(request: Request, company: CurrentCompany, body: FlightSessionCreate):
    try:
        session = store(request).create(company, body.model_dump())
    except UnusableReference as error:
        raise unusable(error) from error
    return Envelope(data=as_answered(session))


@router.get("/{flight_session_id}", response_model=Envelope[FlightSession])
def get_flight_session(request: Request, company: CurrentCompany, flight_session_id: str):
    session = store(request).get(company, flight_session_id)
    if session is None:
        raise not_found()
    return Envelope(data=as_answered(session))


@router.patch("/{flight_session_id}", response_model=Envelope[FlightSession])
def update_flight_session(request: Request, company: CurrentCompany, flight_session_id: str,
                          body: FlightSessionPatch):
    changes = body.model_dump(exclude_unset=not mutants.active("patch_full_replace"))
    try:
        session = store(request).update(company, flight_session_id, changes)
    except UnusableReference as error:
        raise unusable(error) from error
    if session is None:
        raise not_found()
    return Envelope(data=as_answered(session))


@router.delete("/{flight_session_id}", response_model=Envelope[FlightSession])
def delete_flight_session(request: Request, company: CurrentCompany, flight_session_id: str):
    session = store(request).delete(company, flight_session_id)
    if session is None:
        raise not_found()
    if mutants.active("delete_no_object"):
        return JSONResponse({"success": True})
    return Envelope(data=as_answered(session))
