"""Configuration from environment variables, with safe development defaults."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_KEY_LENGTH = 32
DEV_KEY_FILE = ".dev-secret-key"
# The fixed development key of earlier versions: refused in production should an old .env still carry it.
KNOWN_WEAK_KEYS = frozenset({"dev-only-secret-key-change-me-in-production-0000"})


class ConfigError(RuntimeError):
    """Raised when production configuration is unsafe."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_env(env: dict[str, str] | None = None) -> dict:
    env = dict(os.environ if env is None else env)
    instance = Path(env.get("LMS_INSTANCE_PATH", ROOT / "instance"))
    production = env.get("LMS_ENV", "development") == "production"
    config = {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": env.get("SECRET_KEY") or ("" if production else dev_secret_key(instance)),
        "SQLALCHEMY_DATABASE_URI": env.get(
            "DATABASE_URL", f"sqlite:///{instance / 'sinau.sqlite3'}"
        ),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "LMS_BASE_URL": env.get("LMS_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "LMS_COURSES_PATH": env.get("LMS_COURSES_PATH", str(ROOT / "courses")),
        "LMS_UPLOAD_PATH": env.get("LMS_UPLOAD_PATH", str(instance / "uploads")),
        "LMS_PROXY_HOPS": int(env.get("LMS_PROXY_HOPS", "0")),
        "SESSION_COOKIE_SECURE": production or _bool(env.get("SESSION_COOKIE_SECURE")),
        "INSTANCE_PATH": str(instance),
    }
    # Optional overrides of the defaults below (e.g. a stricter login limit for one deployment).
    for key in ("RATELIMIT_LOGIN",):
        if env.get(key):
            config[key] = env[key]
    return config


def dev_secret_key(instance: Path) -> str:
    """Development only: a random key made on first start and kept in the instance
    folder (git-ignored), so no key lives in the repository and sessions survive a
    restart and are shared by every gunicorn worker of `make run`."""
    path = instance / DEV_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    draft = instance / f"{DEV_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key)
    try:
        os.link(draft, path)  # atomic, and only if absent: a worker never reads half a key
    except FileExistsError:  # another worker made it first: use theirs
        key = path.read_text(encoding="ascii").strip()
    finally:
        draft.unlink()
    return key


class Defaults:
    """Settings that do not come from the environment."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "sinau_session"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    # Server-side session limits (lms.auth.services).
    SESSION_IDLE_TIMEOUT = timedelta(hours=24)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(days=14)
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    WTF_CSRF_SSL_STRICT = True
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    LANGUAGES = ("id", "en")
    PRIVACY_NOTICE_VERSION = "2026-11"
    # Authentication limits
    LOCKOUT_THRESHOLD = 10
    LOCKOUT_WINDOW = timedelta(minutes=15)
    RATELIMIT_LOGIN = "20 per minute"
    RATELIMIT_REGISTER = "10 per hour"
    RATELIMIT_HEADERS_ENABLED = False  # our 429 page sets Retry-After itself
    USERS_PER_PAGE = 25


def validate(config: dict) -> None:
    """Refuse to run production with unsafe settings."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_KEY_LENGTH or key in KNOWN_WEAK_KEYS:
        raise ConfigError(
            f"SECRET_KEY must be set to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters in production"
        )
    if config.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production")
