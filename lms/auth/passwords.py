"""Password rules (OWASP ASVS 5.0 V6): length, not composition.

Long passphrases, spaces and any Unicode are welcome; nothing is truncated.
A blocklist refuses the common and local passwords people reach for first.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from lms.agencies.services import blocklist_words

MIN_LENGTH = 8
MAX_LENGTH = 256
_STRIP = re.compile(r"[\s.\-_]+")
_TRAILING = re.compile(r"[\d\W_]+$")


@functools.cache
def _blocklist() -> frozenset[str]:
    text = resources.files("lms.auth").joinpath("common_passwords.txt").read_text("utf-8")
    words = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(words | blocklist_words())


def _forms(password: str) -> set[str]:
    squashed = _STRIP.sub("", unicodedata.normalize("NFKC", password).casefold())
    return {squashed, _TRAILING.sub("", squashed)}


def policy_errors(password: str, personal: tuple[str, ...] = ()) -> list:
    """Why this password is not acceptable (an empty list when it is)."""
    length = len(password)
    if length < MIN_LENGTH:
        return [_l("Kata sandi minimal %(n)d karakter. Kalimat pendek yang mudah diingat lebih kuat.", n=MIN_LENGTH)]
    if length > MAX_LENGTH:
        return [_l("Kata sandi maksimal %(n)d karakter.", n=MAX_LENGTH)]
    forms = _forms(password)
    if forms & _blocklist() or "" in forms:
        return [_l("Kata sandi ini terlalu umum dan mudah ditebak. Pilih gabungan beberapa kata, misalnya \"kopi tubruk pagi di sukun\".")]
    for value in personal:
        if value and _forms(value) & forms:
            return [_l("Kata sandi tidak boleh sama dengan nama, nomor HP atau email Anda.")]
    return []


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@functools.cache
def _dummy_hash() -> str:
    return hash_password("sinau dummy password for timing")


def verify_dummy(password: str) -> bool:
    """Spend the same time as a real check, for logins that match no account."""
    check_password_hash(_dummy_hash(), password)
    return False
