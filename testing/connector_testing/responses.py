"""A `requests.Response` built in memory, for unit tests of components that read a response."""

from __future__ import annotations

import json
from typing import Any

import requests


def json_response(body: Any, status: int = 200) -> requests.Response:
    """A response whose body is `body` as JSON (a bare array stays one array)."""
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response
