"""limit/offset pages with absolute ``next``/``previous`` links that keep the request's other query parameters, as
Django REST framework's LimitOffsetPagination writes them (the seed's ``next`` link is one of those)."""

from collections.abc import Sequence
from typing import TypeVar

from starlette.datastructures import URL

from flightapp import mutants
from flightapp.flightsayer.models import Page

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def paginate(items: Sequence[T], url: URL, limit: int, offset: int) -> Page[T]:
    base = url.replace(query="") if mutants.active("next_drops_filters") else url
    step = limit - 1 if mutants.active("overlapping_pages") else limit
    after = offset + limit
    next_url = str(base.include_query_params(limit=limit, offset=offset + step)) if after < len(items) else None
    if offset <= 0:
        previous_url = None
    elif offset - limit <= 0:
        previous_url = str(url.include_query_params(limit=limit).remove_query_params("offset"))
    else:
        previous_url = str(url.include_query_params(limit=limit, offset=offset - limit))
    return Page(count=len(items), next=next_url, previous=previous_url, results=list(items[offset:after]))
