"""Local stand-in for the Cognito authorizer: signed, expiring JWTs shaped like Cognito ID tokens."""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from local.settings import STATE_DIR

ISSUER = "servicecycle-local"
AUDIENCE = "servicecycle-local"
ALGORITHM = "HS256"
KEY_FILE = STATE_DIR / "jwt-signing-key"


class InvalidToken(Exception):
    pass


def signing_key() -> bytes:
    """The local signing key, made once and kept so tokens survive a restart of the server."""
    if not KEY_FILE.exists():
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_bytes(secrets.token_hex(32).encode())
        KEY_FILE.chmod(0o600)
    return KEY_FILE.read_bytes().strip()


def issue_token(
    account_id: str,
    role: str = "admin",
    *,
    key: bytes | None = None,
    ttl: timedelta = timedelta(hours=12),
    subject: str | None = None,
    now: datetime | None = None,
) -> str:
    issued = now or datetime.now(UTC)
    claims = {
        "sub": subject or f"user-{account_id}",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "token_use": "id",
        "custom:account_id": account_id,
        "custom:role": role,
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    return jwt.encode(claims, key or signing_key(), algorithm=ALGORITHM)


def verify_authorization(header: str | None, key: bytes) -> dict[str, Any]:
    """Claims of a valid ``Authorization`` header (``Bearer <jwt>`` or the bare token, as Cognito takes)."""
    if not header:
        raise InvalidToken("no token")
    token = header.removeprefix("Bearer ").strip()
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from None
    return {name: str(value) for name, value in claims.items()}
