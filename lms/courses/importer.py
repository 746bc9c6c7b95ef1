"""Importing the curriculum into the database (`flask --app wsgi lms import-courses`).

`import_courses` parses and renders everything first and returns every
problem without touching the database. Only when there are none does it
create or update courses and modules by slug, store a new revision for each
module whose file changed, retire what disappeared and restore what came
back. It flushes; the caller commits (or rolls back, for --check). Learner
data (Progress) is never touched.

Edits made in the browser (lms.authoring) are never overwritten silently: a
module whose current revision was published in the browser since its last
file import is skipped and reported as a conflict when its file differs
(and is not retired when its file is missing), unless `force=True`. Courses
edited in the browser are protected the same way when the caller passes
`browser_courses` (course slug → sha256 of the course.md the browser wrote).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import Flask, Response, current_app, has_request_context, url_for

from lms.courses import format as fmt
from lms.courses import rendering
from lms.courses.models import Course, Module, ModuleRevision
from lms.extensions import db

EXTENSION_KEY = "lms.courses.block_validators"
IMAGE_SOURCE_KEY = "lms.courses.image_source"
SOURCE_FILE = "file"
SOURCE_BROWSER = "browser"
SOURCE_SYNCED = "synced"  # published in the browser, later found unchanged in the files (exported)
CONFLICT_MESSAGE = "conflict: {file} was edited in the browser since its last import; use --force to overwrite"

ImageSource = Callable[[str, str], Response | None]


def register_block_validator(app: Flask, kind: str, validate: fmt.BlockValidator) -> None:
    """Let another package check ```quiz or ```exercise blocks at import time.

    `validate(data, line_of) -> [(line, message), …]` (see lms.courses.format).
    The quiz and exercise packages call this from their `init_app`; the
    courses package never imports them.
    """
    if kind not in fmt.BLOCK_KINDS:
        raise ValueError(f"unknown block kind {kind!r}; known: {', '.join(fmt.BLOCK_KINDS)}")
    app.extensions.setdefault(EXTENSION_KEY, {})[kind] = validate


def block_validators(app: Flask) -> dict[str, fmt.BlockValidator]:
    return dict(app.extensions.get(EXTENSION_KEY, {}))


def register_image_source(app: Flask, serve: ImageSource) -> None:
    """Let another package serve course images that are not files in the
    curriculum folder (images uploaded in the browser live in the database).
    `serve(course_slug, filename)` returns a response, or None if it has no
    such image. The courses package never imports that package."""
    app.extensions[IMAGE_SOURCE_KEY] = serve


def image_source(app: Flask) -> ImageSource | None:
    return app.extensions.get(IMAGE_SOURCE_KEY)


def default_asset_url(course_slug: str, filename: str) -> str:
    """The URL path of a course file (import time: `prepare` provides a bare request context)."""
    return url_for("courses.asset", course_slug=course_slug, filename=filename)


@dataclass
class Tally:
    added: int = 0
    changed: int = 0
    retired: int = 0
    unchanged: int = 0

    def line(self) -> str:
        return f"added {self.added}, changed {self.changed}, retired {self.retired}, unchanged {self.unchanged}"


@dataclass
class ImportResult:
    problems: list[fmt.Problem] = field(default_factory=list)
    courses: Tally = field(default_factory=Tally)
    modules: Tally = field(default_factory=Tally)
    revisions: int = 0  # new revisions stored
    rerendered: int = 0  # current revisions whose HTML was refreshed in place
    details: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # browser edits left alone (see the module docstring)
    course_folders: dict[str, Path] = field(default_factory=dict)  # courses the files wrote: slug -> folder

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        lines = [f"courses: {self.courses.line()}", f"modules: {self.modules.line()}"]
        if self.rerendered:
            lines.append(f"re-rendered {self.rerendered} unchanged module(s) (renderer or image changed)")
        if self.conflicts:
            lines.append(f"conflicts: {len(self.conflicts)} skipped (edited in the browser; use --force to overwrite)")
        return lines


def prepare(path: Path | str, validators: Mapping[str, fmt.BlockValidator] | None = None,
            asset_url: rendering.AssetUrl | None = None) -> tuple[fmt.Curriculum, dict[str, rendering.Rendered], list[fmt.Problem]]:
    """Parse and render everything; no database access.

    Runs inside a bare request context when there is none (the command line),
    so validators may return lazily translated messages: they come out in the
    default language.
    """
    asset_url = asset_url or default_asset_url
    with nullcontext() if has_request_context() else current_app.test_request_context():
        curriculum = fmt.parse(path, validators)
        problems = list(curriculum.problems)
        rendered: dict[str, rendering.Rendered] = {}
        for course in curriculum.courses:
            intro = rendering.render(course.intro, course.slug, asset_url)
            problems += rendering.check_anchors(course.intro, intro, course.display)
            rendered[f"course:{course.slug}"] = intro
            for module in course.modules:
                result = rendering.render(module.body, course.slug, asset_url)
                problems += rendering.check_anchors(module.body, result, module.display)
                rendered[module.slug] = result
    problems.sort(key=lambda p: (p.path, p.line))
    return curriculum, rendered, problems


def import_courses(path: Path | str, now: datetime, *, created_by: int | None = None,
                   validators: Mapping[str, fmt.BlockValidator] | None = None,
                   asset_url: rendering.AssetUrl | None = None, force: bool = False,
                   browser_courses: Mapping[str, str] | None = None) -> ImportResult:
    curriculum, rendered, problems = prepare(path, validators, asset_url)
    result = ImportResult(problems=problems)
    if problems:
        return result

    existing_courses = {c.slug: c for c in db.session.scalars(db.select(Course))}
    rows = db.session.execute(
        db.select(Module, ModuleRevision).outerjoin(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
    ).all()
    existing_modules = {module.slug: (module, revision) for module, revision in rows}
    course_slug_by_id = {c.id: c.slug for c in existing_courses.values()}
    in_scope = {c.slug for c in curriculum.courses}

    # Checks against the database, still before any change.
    for course in curriculum.courses:
        for module in course.modules:
            found = existing_modules.get(module.slug)
            if found is None:
                continue
            owner = course_slug_by_id.get(found[0].course_id)
            if owner != course.slug and owner not in in_scope and found[0].retired_at is None:
                result.problems.append(fmt.Problem(
                    module.display, module.slug_line,
                    f"slug '{module.slug}' is already used by a module of course '{owner}'",
                ))
    if result.problems:
        return result

    edited = set() if force else _edited_in_browser()
    protected_courses = {} if force else dict(browser_courses or {})
    present_modules: set[str] = set()
    for source in curriculum.courses:
        existing = existing_courses.get(source.slug)
        if existing is not None and source.slug in protected_courses \
                and _file_hash(source.folder / "course.md") != protected_courses[source.slug]:
            result.conflicts.append(CONFLICT_MESSAGE.format(file=source.display))
            course = existing
        else:
            course = _upsert_course(source, existing, rendered[f"course:{source.slug}"], now, result)
            result.course_folders[source.slug] = source.folder
        for module_source in source.modules:
            present_modules.add(module_source.slug)
            found = existing_modules.get(module_source.slug)
            if found is not None and found[0].id in edited and found[1] is not None \
                    and found[1].content_hash != module_source.content_hash:
                result.conflicts.append(CONFLICT_MESSAGE.format(file=module_source.display))
                continue
            _upsert_module(course, module_source, found, rendered[module_source.slug], now, created_by, result)

    # Retire what is gone: every course and module missing from a whole tree;
    # only the course's own modules when one course folder was imported.
    scope_ids = {c.id for c in existing_courses.values() if curriculum.whole_tree or c.slug in in_scope}
    if curriculum.whole_tree:
        for slug, course in sorted(existing_courses.items()):
            if slug not in in_scope and course.retired_at is None:
                if slug in protected_courses:
                    result.conflicts.append(CONFLICT_MESSAGE.format(file=f"{slug}/course.md"))
                    continue
                course.retired_at = now
                result.courses.retired += 1
                result.details.append(f"  - course {slug} retired")
    for slug, (module, _revision) in sorted(existing_modules.items()):
        if slug in present_modules or module.course_id not in scope_ids or module.retired_at is not None:
            continue
        if module.current_revision_id is None:
            continue  # a module started in the browser and never published: nothing to retire
        if module.id in edited:
            result.conflicts.append(CONFLICT_MESSAGE.format(file=module.source_path or slug))
            continue
        module.retired_at = now
        result.modules.retired += 1
        result.details.append(f"  - {course_slug_by_id.get(module.course_id)}/{slug} retired")
    db.session.flush()
    return result


def _edited_in_browser() -> set[int]:
    """Ids of modules with a revision published in the browser after their last file import."""
    last: dict[int, dict[str, int]] = {}
    for module_id, number, source in db.session.execute(
        db.select(ModuleRevision.module_id, ModuleRevision.number, ModuleRevision.source)
        .where(ModuleRevision.source.in_((SOURCE_FILE, SOURCE_BROWSER, SOURCE_SYNCED)))
    ):
        seen = last.setdefault(module_id, {})
        kind = SOURCE_BROWSER if source == SOURCE_BROWSER else SOURCE_FILE
        seen[kind] = max(seen.get(kind, 0), number)
    return {module_id for module_id, seen in last.items() if seen.get(SOURCE_BROWSER, 0) > seen.get(SOURCE_FILE, 0)}


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _source_text(source: fmt.ModuleSource) -> str | None:
    """The module file's text exactly as its bytes decode (its sha256 is the content hash)."""
    try:
        return source.path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


_COURSE_FIELDS = ("title", "summary", "order", "tracks", "estimated_hours", "cover", "required")


def _upsert_course(source: fmt.CourseSource, course: Course | None, intro: rendering.Rendered,
                   now: datetime, result: ImportResult) -> Course:
    values = {name: getattr(source, name) for name in _COURSE_FIELDS}
    values["intro_html"] = intro.html
    if course is None:
        course = Course(slug=source.slug, **values)
        db.session.add(course)
        db.session.flush()
        result.courses.added += 1
        result.details.append(f"  + course {source.slug}")
        return course
    changed = [name for name, value in values.items() if getattr(course, name) != value]
    for name in changed:
        setattr(course, name, values[name])
    if course.retired_at is not None:
        course.retired_at = None
        changed.append("restored")
    if changed:
        result.courses.changed += 1
        result.details.append(f"  ~ course {source.slug} ({', '.join(changed)})")
    else:
        result.courses.unchanged += 1
    return course


def _revision_values(source: fmt.ModuleSource, rendered: rendering.Rendered) -> dict:
    return {
        "content_hash": source.content_hash,
        "title": source.title,
        "meta": source.metadata,
        "body_html": rendered.html,
        "toc": rendered.toc,
        "quiz": source.quiz.data if source.quiz else None,
        "exercise": source.exercise.data if source.exercise else None,
        "source": SOURCE_FILE,
        "source_text": _source_text(source),
    }


def _upsert_module(course: Course, source: fmt.ModuleSource, found: tuple[Module, ModuleRevision | None] | None,
                   rendered: rendering.Rendered, now: datetime, created_by: int | None, result: ImportResult) -> None:
    label = f"{course.slug}/{source.slug}"
    if found is None:
        module = Module(course_id=course.id, slug=source.slug, order=source.order, title=source.title,
                        source_path=source.rel_path)
        db.session.add(module)
        db.session.flush()
        _new_revision(module, 1, source, rendered, now, created_by)
        result.modules.added += 1
        result.revisions += 1
        result.details.append(f"  + {label} (revision 1)")
        return
    module, current = found
    changes = []
    for name, value in (("course_id", course.id), ("order", source.order), ("title", source.title),
                        ("source_path", source.rel_path)):
        if getattr(module, name) != value:
            setattr(module, name, value)
            changes.append("moved" if name == "course_id" else name)
    if module.retired_at is not None:
        module.retired_at = None
        changes.append("restored")
    if current is None or current.content_hash != source.content_hash:
        number = (db.session.scalar(
            db.select(db.func.max(ModuleRevision.number)).where(ModuleRevision.module_id == module.id)
        ) or 0) + 1
        _new_revision(module, number, source, rendered, now, created_by)
        result.revisions += 1
        changes.insert(0, f"revision {number}")
    else:
        if current.source_text is None:
            current.source_text = _source_text(source)  # revisions stored before the text was kept
        if current.source == SOURCE_BROWSER:
            current.source = SOURCE_SYNCED  # the files now hold this browser edit (it was exported)
        if current.body_html != rendered.html or current.toc != rendered.toc:
            # Same file, different HTML: the renderer or an image changed. The
            # meaning of the revision is the same, so it is refreshed in place.
            current.body_html, current.toc = rendered.html, rendered.toc
            result.rerendered += 1
    if changes:
        result.modules.changed += 1
        result.details.append(f"  ~ {label} ({', '.join(changes)})")
    else:
        result.modules.unchanged += 1


def _new_revision(module: Module, number: int, source: fmt.ModuleSource, rendered: rendering.Rendered,
                  now: datetime, created_by: int | None) -> None:
    revision = ModuleRevision(module_id=module.id, number=number, created_at=now, created_by=created_by,
                              **_revision_values(source, rendered))
    db.session.add(revision)
    db.session.flush()
    module.current_revision_id = revision.id

