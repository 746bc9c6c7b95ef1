"""`flask --app wsgi lms …`: the command-line tools for admins and deployers."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.agencies import services as agencies
from lms.auth import services as accounts
from lms.auth.models import Role
from lms.core.db import utcnow
from lms.extensions import db

lms_cli = AppGroup("lms", help="Sinau administration commands.")


@lms_cli.command("create-user")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", required=True, help="Full name, any Unicode.")
@click.option("--login", "login", required=True, help="Phone number (any Indonesian format) or email.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--agency", default=None, help="Agency abbreviation or name (OPD).")
@click.option("--opd-head", is_flag=True, help="Mark as kepala OPD.")
def create_user(role, name, login, password, agency, opd_head):
    """Create an account (no prompts when every option is given)."""
    agency_id = None
    if agency:
        found = agencies.find_by_name(agency)
        if found is None:
            raise click.ClickException(f"unknown agency: {agency}")
        agency_id = found.id
    parsed = accounts.normalise_login(login)
    if parsed is None:
        raise click.ClickException("login must be an Indonesian mobile number or an email address")
    kind, value = parsed
    account = accounts.NewAccount(
        name=name, password=password, role=role, agency_id=agency_id, is_opd_head=opd_head,
        phone=value if kind == "phone" else None, email=value if kind == "email" else None,
    )
    try:
        password_hash = accounts.prepare_password(account)
        user = accounts.create_user(account, password_hash, utcnow())
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {error.message}") from None
    db.session.commit()
    click.echo(f"created {user.role} #{user.id} {user.name} <{user.login}>")


@lms_cli.command("seed-reference")
def seed_reference():
    """Add Kota Malang's agencies (OPD) that are missing. Safe to repeat."""
    added = agencies.seed()
    db.session.commit()
    click.echo(f"agencies: {added} added")


@lms_cli.command("demo")
@click.option("--if-new", is_flag=True, help="Do nothing if the database already has users.")
def demo(if_new):
    """Create realistic demo data (idempotent) and print the demo logins."""
    from lms.demo import create_demo_data

    created = create_demo_data(utcnow(), only_if_empty=if_new)
    db.session.commit()
    if created is None:
        click.echo("demo: database already has users; nothing changed")
        return
    click.echo("Demo accounts (login / password):")
    for line in created:
        click.echo(f"  {line}")


@lms_cli.command("import-courses")
@click.argument("path", required=False)
@click.option("--check", is_flag=True, help="Validate only; change nothing.")
def import_courses(path, check):
    """Import the Markdown curriculum from courses/ (or PATH).

    Every problem is reported as file:line: message before anything changes;
    --check runs the whole import in a transaction that is rolled back.
    """
    from lms.courses import importer

    root = Path(path or current_app.config["LMS_COURSES_PATH"])
    result = importer.import_courses(root, utcnow(), validators=importer.block_validators(current_app))
    if not result.ok:
        db.session.rollback()
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo(f"import-courses: {len(result.problems)} problem(s) in {root}; nothing imported", err=True)
        raise SystemExit(1)
    for line in result.details:
        click.echo(line)
    for line in result.summary():
        click.echo(line)
    if check:
        db.session.rollback()
        click.echo("check: no problems; nothing was changed (--check)")
    else:
        db.session.commit()
