"""Helpers shared by the API tests."""

import re
from urllib.parse import parse_qs, urlsplit

from django.core import mail


def emailed_token():
    """The token in the link of the last email sent."""
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    return parse_qs(urlsplit(link).query)["token"][0]


def errors(response):
    """The type and the (attr, code) pairs of an error response, once its shape is checked."""
    body = response.json()
    assert set(body) == {"type", "errors"}
    assert body["errors"]
    assert all(set(error) == {"code", "detail", "attr"} for error in body["errors"])
    return body["type"], {(error["attr"], error["code"]) for error in body["errors"]}
