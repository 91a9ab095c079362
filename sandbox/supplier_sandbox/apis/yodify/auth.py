"""Yodify sandbox auth (owned by source-yodify): static bearer tokens and an OAuth2 token endpoint.

The docs name only the OAuth2 scope `yodify`; no token URL, grant type or host. The sandbox serves
the client-credentials grant at `TOKEN_PATH` (an ASP.NET IdentityServer-style path, chosen here:
connectors take the token URL as config). Issued tokens expire after `ttl` seconds, and an expired
or unknown token gets the API's documented 401 `ValidationProblemDetails`.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from urllib.parse import parse_qs

from ...http import Request, Response

TOKEN_PATH = "/connect/token"
STATIC_TOKEN = "yodify-sandbox-token"
# a valid token without the `yodify` scope: every API route answers 403 with no body, as documented
NO_SCOPE_TOKEN = "yodify-sandbox-noscope-token"
CLIENT_ID = "yodify-sandbox-client"
CLIENT_SECRET = "yodify-sandbox-secret"
SCOPE = "yodify"


def unauthorized(instance: str, expired: bool = False) -> Response:
    # ASP.NET Core's JwtBearer handler says why in WWW-Authenticate (RFC 6750 section 3)
    challenge = 'Bearer error="invalid_token", error_description="The token expired"' if expired else 'Bearer error="invalid_token"'
    return Response.json(
        {
            "type": "https://tools.ietf.org/html/rfc7235#section-3.1",
            "title": "Unauthorized",
            "status": 401,
            "detail": "Request is unauthorized.",
            "instance": instance,
            "errors": {"Authorization": ["The access token is missing, invalid or expired."]},
        },
        status=401,
        headers={"WWW-Authenticate": challenge},
    )


class YodifyAuth:
    """Static tokens plus client-credentials tokens with an expiry; thread-safe."""

    def __init__(self, ttl: float = 3600, advertised_ttl: int | None = None, static_tokens: tuple[str, ...] = (STATIC_TOKEN,),
                 clients: dict[str, str] | None = None) -> None:
        self.ttl = ttl
        # what `expires_in` says; larger than `ttl` simulates a server that revokes tokens early
        self.advertised_ttl = ttl if advertised_ttl is None else advertised_ttl
        self.static_tokens = set(static_tokens)
        self.clients = dict(clients or {CLIENT_ID: CLIENT_SECRET})
        self.issued: dict[str, float] = {}  # token -> monotonic expiry
        self.tokens_issued = 0
        self.rejected_expired = 0
        self._lock = threading.Lock()

    def expire_all(self) -> None:
        """Make every issued token expire now (tests: a token that dies mid-sync)."""
        with self._lock:
            for token in self.issued:
                self.issued[token] = 0.0

    def check(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        expired = False
        if scheme.lower() == "bearer" and token:
            if token in self.static_tokens:
                return None
            if token == NO_SCOPE_TOKEN:
                return Response(403, b"", {})
            with self._lock:
                expiry = self.issued.get(token)
                if expiry is not None and time.monotonic() < expiry:
                    return None
                if expiry is not None:
                    self.rejected_expired += 1
                    expired = True
        return unauthorized(request.path, expired)

    def token_endpoint(self, request: Request) -> Response:
        """RFC 6749 section 4.4: form body, client credentials in the body or HTTP Basic."""
        if request.method != "POST":
            return Response.json({"error": "invalid_request", "error_description": "POST required"}, status=405)
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8"), keep_blank_values=True).items()}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            try:
                client_id, _, client_secret = base64.b64decode(basic[6:]).decode("utf-8").partition(":")
            except ValueError:
                pass
        if form.get("grant_type") != "client_credentials":
            return Response.json({"error": "unsupported_grant_type", "error_description": "Only client_credentials is supported."}, status=400)
        if not client_id or self.clients.get(client_id) != client_secret:
            return Response.json({"error": "invalid_client", "error_description": "Client authentication failed."}, status=401)
        scopes = (form.get("scope") or SCOPE).split()
        if SCOPE not in scopes:
            return Response.json({"error": "invalid_scope", "error_description": f"Scope must include '{SCOPE}'."}, status=400)
        token = "yd_" + secrets.token_urlsafe(24)
        with self._lock:
            self.issued[token] = time.monotonic() + self.ttl
            self.tokens_issued += 1
        return Response.json({"access_token": token, "token_type": "Bearer", "expires_in": max(1, int(self.advertised_ttl)), "scope": SCOPE})
