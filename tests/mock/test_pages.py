"""Page links: absolute, keeping every other query parameter in order, as DRF writes them."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import URL

from mock_server.flightsayer.pages import page_head, page_json, page_link

_queries = st.lists(st.tuples(st.sampled_from(["limit", "offset", "departure_airport", "earliest_departure", "x y"]),
                              st.text(max_size=8)), max_size=5)


@given(query=_queries, count=st.integers(0, 300), offset=st.integers(0, 400), limit=st.integers(1, 100),
       path=st.sampled_from(["/flights/v1/search", "/flights/v1/search/", "/subscriptions/"]))
def test_links_are_page_link_of_the_next_and_previous_offsets(query, count, offset, limit, path) -> None:
    url = URL(f"http://mock.example:8080{path}?ignored=1")
    head = page_head(url, query, count=count, offset=offset, limit=limit)
    assert head["next"] == (page_link(url, query, limit=limit, offset=offset + limit)
                            if offset + limit < count else None)
    assert head["previous"] == (page_link(url, query, limit=limit, offset=max(0, min(offset, count) - limit))
                                if offset > 0 else None)


@given(count=st.integers(0, 2**62), links=st.lists(st.none() | st.text(), min_size=2, max_size=2),
       results=st.lists(st.sampled_from([b'{"a":1}', b"null", b'{"b":"\\u00e9"}']), max_size=3))
def test_a_page_is_the_standard_librarys_compact_json_of_its_head_and_results(count, links, results) -> None:
    head = {"count": count, "next": links[0], "previous": links[1]}
    expected = {**head, "results": [json.loads(r) for r in results]}
    assert page_json(head, results) == json.dumps(expected, separators=(",", ":")).encode()
