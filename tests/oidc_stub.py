"""A local OpenID Connect provider for the tests of single sign-on: the authorisation code flow
with PKCE, ID tokens signed RS256 with a key published at its JWKS address, and userinfo. It
serves on 127.0.0.1 in a thread, so that the service's own HTTP calls reach it for real."""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "earlyhelp-test"
CLIENT_SECRET = "stub-secret"


@dataclass
class Grant:
    email: str
    nonce: str
    redirect_uri: str
    code_challenge: str
    amr: list[str]


@dataclass
class StubProvider:
    """Who signs in next (`person`), and what the provider says of them."""

    person: str = ""
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    key: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    base: str = ""

    def settings(self) -> dict[str, Any]:
        return {
            "SINGLE_SIGN_ON": True,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.base}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.base}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.base}/jwks",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": "RS256",
        }

    def authorise(self, query: dict[str, str]) -> str:
        """The provider's answer to the browser: back to the service with a code."""
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            email=self.person,
            nonce=query["nonce"],
            redirect_uri=query["redirect_uri"],
            code_challenge=query.get("code_challenge", ""),
            amr=list(self.amr),
        )
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant = self.grants.pop(form.get("code", ""), None)
        if grant is None or form.get("client_secret") != CLIENT_SECRET or form.get("client_id") != CLIENT_ID:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant.code_challenge or form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.base,
            "aud": CLIENT_ID,
            "sub": hashlib.sha256(grant.email.encode()).hexdigest()[:16],
            "email": grant.email,
            "nonce": grant.nonce,
            "amr": grant.amr,
            "iat": now,
            "exp": now + 300,
        }
        access = secrets.token_urlsafe(16)
        self.tokens[access] = grant.email
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "stub"})
        return 200, {"id_token": id_token, "access_token": access, "token_type": "Bearer"}

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [public | {"kid": "stub", "alg": "RS256", "use": "sig"}]}


def serve(provider: StubProvider) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/authorize":
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                self.send_response(302)
                self.send_header("Location", provider.authorise(query))
                self.end_headers()
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/userinfo":
                access = self.headers.get("Authorization", "").removeprefix("Bearer ")
                email = provider.tokens.get(access)
                self._json(200, {"email": email, "sub": "x"} if email else {"error": "invalid_token"})
            else:
                self._json(404, {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            if urlparse(self.path).path == "/token":
                self._json(*provider.token(form))
            else:
                self._json(404, {})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
