"""Time-based one-time passwords for authenticator apps (RFC 6238 over RFC 4226).

SHA-1, 6 digits, 30-second steps: the parameters every common authenticator app
(Google Authenticator, Microsoft Authenticator, Aegis, 2FAS, FreeOTP) reads from
an ``otpauth://`` QR code. Pure functions; the account rules that use them are
in `lms.auth.services`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# One step either side: a phone's clock a little off, or a code typed as it changed.
DRIFT_STEPS = 1
RECOVERY_COUNT = 8
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand


def new_secret() -> str:
    """160 random bits as unpadded base32 (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    text = secret.strip().replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: HMAC-SHA-1 of the counter, dynamically truncated."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** digits).zfill(digits)


def step_at(now: datetime) -> int:
    """The 30-second step of a naive UTC time (how Sinau stores every time)."""
    return int(now.replace(tzinfo=timezone.utc).timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return hotp(_key(secret), step)


def normalise_code(raw: str) -> str:
    """What someone typed, without spaces or dashes ("123 456" → "123456")."""
    return "".join(ch for ch in (raw or "") if not ch.isspace() and ch != "-").lower()


def matching_step(secret: str, raw_code: str, now: datetime, after_step: int) -> int | None:
    """The step whose code was typed, if it is within the drift window and later
    than `after_step` (a code is accepted once: no replay); else None."""
    code = normalise_code(raw_code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    current = step_at(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Compare every candidate, in constant time, so timing says nothing about which matched.
        if hmac.compare_digest(hotp(key, step), code) and step > after_step and found is None:
            found = step
    return found


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// URI that authenticator apps read from a QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS,
                       "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes(count: int = RECOVERY_COUNT) -> list[str]:
    """Single-use codes for when the phone is lost: 10 characters (~50 bits) each, as xxxxx-xxxxx."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_hash(raw_code: str) -> str:
    """Recovery codes are random and long, so a plain SHA-256 of the normalised code is enough to store."""
    return hashlib.sha256(normalise_code(raw_code).encode("utf-8")).hexdigest()
