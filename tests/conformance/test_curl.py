"""The replay line of a failure (conformance/curl.py), for requests as sent and as httpx sent them after a redirect."""

from __future__ import annotations

import httpx

from conformance.curl import curl_line


def redirecting(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/flights/v1/search":  # Django's APPEND_SLASH
        return httpx.Response(301, headers={"Location": "/flights/v1/search/?limit=2"})
    if request.url.path == "/subscriptions/X" and request.method == "PUT":
        return httpx.Response(308, headers={"Location": "/subscriptions/X/"})
    return httpx.Response(200, json={"count": 0, "results": []})


def test_a_request_is_replayed_with_its_credentials_and_body() -> None:
    request = httpx.Request("PUT", "http://h/subscriptions/X", json={"target": "http://t"},
                            headers={"Authorization": "Token k"})
    assert curl_line(request) == ("curl -X PUT http://h/subscriptions/X -H 'authorization: Token k' "
                                  "-H 'content-type: application/json' -d '{\"target\":\"http://t\"}'")


def test_the_request_that_followed_a_redirect_is_replayed_too() -> None:
    with httpx.Client(transport=httpx.MockTransport(redirecting), base_url="http://h", follow_redirects=True) as http:
        followed = http.get("/flights/v1/search", params={"limit": 2}, headers={"Authorization": "Token k"})
        kept_body = http.put("/subscriptions/X", json={"target": "http://t"})
    assert followed.history and curl_line(followed.request) == \
        "curl -X GET 'http://h/flights/v1/search/?limit=2' -H 'authorization: Token k'"
    assert kept_body.history and curl_line(kept_body.request).endswith("-d '{\"target\":\"http://t\"}'")
