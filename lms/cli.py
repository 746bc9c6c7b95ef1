"""`flask --app wsgi lms …`: the command-line tools for admins and deployers."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.agencies import services as agencies
from lms.auth import services as accounts
from lms.auth.models import Role
from lms.core.backup import BackupError, backup_database
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
@click.option("--force", is_flag=True, help="Overwrite modules and courses edited in the browser since their last import.")
def import_courses(path, check, force):
    """Import the Markdown curriculum from courses/ (or PATH).

    Every problem is reported as file:line: message before anything changes;
    --check runs the whole import in a transaction that is rolled back.
    A module or course edited in the browser since its last import is not
    overwritten: it is reported as a conflict and skipped, unless --force.
    """
    from lms.authoring import services as authoring
    from lms.courses import importer

    root = Path(path or current_app.config["LMS_COURSES_PATH"])
    result = importer.import_courses(root, utcnow(), validators=importer.block_validators(current_app),
                                     force=force, browser_courses=authoring.browser_course_hashes())
    if not result.ok:
        db.session.rollback()
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo(f"import-courses: {len(result.problems)} problem(s) in {root}; nothing imported", err=True)
        raise SystemExit(1)
    for line in result.details:
        click.echo(line)
    for line in result.conflicts:
        click.echo(line, err=True)
    for line in result.summary():
        click.echo(line)
    if check:
        db.session.rollback()
        click.echo("check: no problems; nothing was changed (--check)")
    else:
        authoring.record_file_import(result, utcnow())
        db.session.commit()


@lms_cli.command("export-courses")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_courses(directory):
    """Write the courses, modules and images in the database to DIRECTORY in
    the courses/ format (course.md, NN-slug.md, images). Importing that
    folder again finds everything unchanged; files already up to date are
    left alone, and module files that no longer belong to a course removed."""
    from lms.authoring.export import export_courses as export
    from lms.courses import importer

    result = export(directory, Path(current_app.config["LMS_COURSES_PATH"]), importer.block_validators(current_app))
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in result.problems:
        click.echo(f"export-courses: {line}", err=True)
    for line in result.written:
        click.echo(f"  wrote {line}")
    for line in result.removed:
        click.echo(f"  removed {line}")
    click.echo(f"export-courses: {result.courses} course(s), {result.modules} module(s), {result.images} image(s) "
               f"to {directory} ({len(result.written)} written, {result.unchanged} already up to date)")
    if not result.ok:
        raise SystemExit(1)


QUESTION_FORMATS = {".gift": "gift", ".txt": "gift", ".aiken": "aiken"}


@lms_cli.command("import-questions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--module", "module_slug", required=True, help="Slug of the module whose quiz receives the questions.")
@click.option("--format", "fmt", type=click.Choice(["gift", "aiken"]), default=None,
              help="File format (default: by extension, .gift/.txt → gift, .aiken → aiken).")
@click.option("--check", is_flag=True, help="Parse and report only; change nothing.")
@click.option("--replace", is_flag=True, help="Replace the quiz's questions instead of appending to them.")
def import_questions(file, module_slug, fmt, check, replace):
    """Add Moodle GIFT or Aiken questions to a module's quiz as a NEW revision.

    Every error, warning and skipped item (essays, descriptions) is printed
    as FILE:line: message. Nothing is written when there are errors or with
    --check. The new revision copies the current one and keeps the quiz's
    settings; its content hash is sha256("questions:" + quiz JSON), so the
    next import-courses replaces it with the module file's own content.
    """
    from lms.quizzes import importing, parse_aiken, parse_gift

    fmt = fmt or QUESTION_FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise click.UsageError(f"cannot tell the format of {file}; pass --format gift or --format aiken")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        click.echo(f"{file}:1: the file is not UTF-8 text ({error.reason}); save it as UTF-8", err=True)
        raise SystemExit(1) from None
    with current_app.test_request_context():  # the parsers' messages come out in the default language
        parsed = parse_gift(text) if fmt == "gift" else parse_aiken(text)
        for line, message in parsed.errors:
            click.echo(f"{file}:{line}: {message}", err=True)
        for line, message in parsed.warnings:
            click.echo(f"{file}:{line}: warning: {message}", err=True)
        for line, message in parsed.skipped:
            click.echo(f"{file}:{line}: skipped: {message}", err=True)
    if parsed.errors:
        click.echo(f"import-questions: {len(parsed.errors)} error(s) in {file}; nothing imported", err=True)
        raise SystemExit(1)
    outcome = importing.import_questions(module_slug, parsed.questions, utcnow(), replace=replace, dry_run=check,
                                         line_of=parsed.line_of)
    for line, message in outcome.warnings:
        click.echo(f"{file}:{line}: warning: {message}", err=True)
    if not outcome.ok:
        db.session.rollback()
        for problem in outcome.problems:
            click.echo(f"import-questions: {problem}; nothing imported", err=True)
        raise SystemExit(1)
    action = "replacing" if replace else "appended to"
    summary = (f"{module_slug}: {outcome.added} question(s) {action} the quiz"
               + (f" ({outcome.replaced} removed)" if replace else "")
               + f", {outcome.total} in all; {len(parsed.skipped)} skipped")
    if check:
        db.session.rollback()
        click.echo(summary)
        click.echo("check: no problems; nothing was changed (--check)")
        return
    db.session.commit()
    click.echo(summary)
    click.echo(f"{module_slug}: revision {outcome.revision_number} stored, content hash {outcome.content_hash}")


@lms_cli.command("export-questions")
@click.option("--module", "module_slug", required=True, help="Slug of the module whose quiz is exported.")
@click.option("--format", "fmt", type=click.Choice(["gift"]), default="gift", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def export_questions(module_slug, fmt, output):
    """Write the questions of a module's current quiz as GIFT (for Moodle, or to edit and import again)."""
    from lms.quizzes import GiftExportError, export_gift, importing

    questions = importing.current_questions(module_slug)
    if questions is None:
        raise click.ClickException(f"module '{module_slug}' has no quiz (or does not exist)")
    try:
        with current_app.test_request_context():
            text = export_gift(questions)
    except GiftExportError as error:
        with current_app.test_request_context():
            for problem in error.problems:
                click.echo(f"export-questions: {problem}", err=True)
        raise SystemExit(1) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{module_slug}: {len(questions)} question(s) written to {output}", err=True)


@lms_cli.command("lint-courses")
@click.argument("path", required=False)
def lint_courses(path):
    """Editorial warnings on the curriculum (review dates, quizzes, links, long sentences)."""
    from lms.courses import format as fmt
    from lms.courses import importer
    from lms.courses.lint import lint

    root = Path(path or current_app.config["LMS_COURSES_PATH"])
    curriculum = fmt.parse(root, importer.block_validators(current_app))
    for problem in curriculum.problems:
        click.echo(str(problem), err=True)
    warnings = lint(curriculum, utcnow().date())
    for warning in warnings:
        click.echo(str(warning))
    modules = sum(len(c.modules) for c in curriculum.courses)
    click.echo(f"lint-courses: {len(curriculum.courses)} courses, {modules} modules, "
               f"{len(curriculum.problems)} errors, {len(warnings)} warnings")
    if curriculum.problems:
        raise SystemExit(1)


@lms_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup(target: Path):
    """Write a consistent backup while Sinau runs: SQLite's online backup API, or pg_dump -Fc."""
    try:
        result = backup_database(db.engine, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup ({result.kind}): {result.path} ({result.size:,} bytes)")
