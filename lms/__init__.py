"""Sinau: the learning platform of Kota Malang's influencer training."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from lms import config as config_module

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides what the environment says."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_module.Defaults)
    app.config.update(config_module.from_env())
    if config:
        app.config.update(config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _db_uri(app)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(app))
    config_module.validate(app.config)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO)

    _init_extensions(app)
    _register_blueprints(app)
    _connect_domains(app)
    _register_cli(app)
    return app


def _db_uri(app: Flask) -> str:
    from lms.core.db import normalise_uri

    return normalise_uri(app.config["SQLALCHEMY_DATABASE_URI"])


def _engine_options(app: Flask) -> dict:
    from lms.core.db import engine_options

    return engine_options(app.config["SQLALCHEMY_DATABASE_URI"])


def _init_extensions(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from lms.auth import session_loader
    from lms.core import errors, i18n, security
    from lms.core.db import configure_engine
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "sinau")
    limiter.init_app(app)
    session_loader.init_app(app, login_manager)
    security.init_app(app)
    errors.init_app(app)
    if app.config["LMS_PROXY_HOPS"]:
        hops = app.config["LMS_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _register_blueprints(app: Flask) -> None:
    from lms.admin.routes import bp as admin_bp
    from lms.agencies.routes import bp as agencies_bp
    from lms.auth.routes import bp as auth_bp
    from lms.authoring.routes import bp as authoring_bp
    from lms.certificates.routes import bp as certificates_bp
    from lms.completion.routes import bp as completion_bp
    from lms.courses.routes import bp as courses_bp
    from lms.exercises.routes import bp as exercises_bp
    from lms.quizzes.routes import bp as quizzes_bp
    from lms.site.routes import bp as site_bp
    from lms.waves.routes import bp as waves_bp

    for bp in (site_bp, auth_bp, admin_bp, agencies_bp, courses_bp, quizzes_bp, waves_bp, completion_bp, exercises_bp, certificates_bp,
               authoring_bp):
        app.register_blueprint(bp)


def _connect_domains(app: Flask) -> None:
    """Hooks between packages that must not import each other."""
    from lms.certificates.routes import init_app as certificates_init
    from lms.completion.routes import init_app as completion_init
    from lms.authoring.routes import serve_stored_image
    from lms.courses.importer import register_block_validator, register_image_source
    from lms.exercises.block import validate_exercise_block
    from lms.quizzes.block import validate_quiz_block

    register_block_validator(app, "quiz", validate_quiz_block)
    register_block_validator(app, "exercise", validate_exercise_block)
    register_image_source(app, serve_stored_image)  # images uploaded in the browser, served by /kursus/…/berkas/…
    completion_init(app)
    certificates_init(app)  # wave_completed → issue the certificate


def _register_cli(app: Flask) -> None:
    from lms.cli import lms_cli

    app.cli.add_command(lms_cli)
