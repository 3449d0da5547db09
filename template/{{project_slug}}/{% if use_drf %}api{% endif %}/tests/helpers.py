"""Helpers shared by the API tests."""

import re

from django.core import mail


def emailed_token():
    """The token in the link of the last email sent, as a person copies it (not URL-decoded)."""
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    return link.partition("?token=")[2]


def errors(response):
    """The type and the (attr, code) pairs of an error response, once its shape is checked."""
    body = response.json()
    assert set(body) == {"type", "errors"}
    assert body["errors"]
    assert all(set(error) == {"code", "detail", "attr"} for error in body["errors"])
    return body["type"], {(error["attr"], error["code"]) for error in body["errors"]}
