"""Respondents' private links: made from a random nonce and the app's secret key.

A link token is HMAC-SHA256(secret key, "respondent-link:" + nonce), 32 bytes,
URL-safe. Only the token's SHA-256 is stored for the lookup, as before, and the
nonce beside it: the app can so make the same link again to re-send it (DESIGN
§8 "resend sends the same link") without keeping the link itself. Rotating a
link draws a new nonce. Whoever holds both the database and the secret key can
make every link; either alone makes none (docs/invitation-links.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cxmaturity.store.models import hash_token

NONCE_BYTES = 32
# Links are built from CXM_BASE_URL only (DESIGN §8); this is `make run`'s own address.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def new_nonce() -> str:
    return secrets.token_hex(NONCE_BYTES)


def token_for(secret: str, nonce: str) -> str:
    digest = hmac.new(
        secret.encode("utf-8"), f"respondent-link:{nonce}".encode("ascii"), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def same_link(secret: str, nonce: str | None, token_hash: str) -> str | None:
    """The token of this respondent's current link, or None when it cannot be made again
    (a random token of before, or a secret key changed since)."""
    if nonce is None:
        return None
    token = token_for(secret, nonce)
    return token if hmac.compare_digest(hash_token(token), token_hash) else None


def link_url(base_url: str | None, token: str, page: str = "") -> str:
    return f"{(base_url or DEVELOPMENT_BASE_URL).rstrip('/')}/r/{token}/{page}"
