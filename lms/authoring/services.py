"""Writing in the browser: drafts, publishing, history, images, courses.

Plain functions with explicit arguments (`user`, `now`, paths, validators);
they flush, never commit, and never read the request. Refusals are
exceptions the views turn into messages next to the fields:
`Conflict` (somebody saved or published first: optimistic locking),
`NotPublishable` (the import pipeline found problems), `NoChange`,
`AuthoringError(field, message)`.

A module has at most one draft, shared by all trainers and admins; every
save bumps its `lock_version`. Publishing checks the canonical module text
with the importer's own parser and validators and stores a new
`ModuleRevision` (source "browser", `source_text` = that text, content hash =
its sha256), so `export-courses` writes exactly the bytes that were hashed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l

from lms.auth.models import User
from lms.authoring import canonical, pipeline
from lms.authoring.images import CleanImage, base_name
from lms.authoring.models import CourseImage, CourseSource, ModuleDraft
from lms.courses import format as fmt
from lms.courses import importer
from lms.courses.models import Course, Module, ModuleRevision
from lms.extensions import db

SOURCE_FILE = importer.SOURCE_FILE
SOURCE_BROWSER = importer.SOURCE_BROWSER
SOURCE_SYNCED = importer.SOURCE_SYNCED

DRAFT = "draft"
PUBLISHED = "published"
COURSE = "course"


class AuthoringError(Exception):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


class Conflict(Exception):
    """Somebody saved (kind "draft") or published (kind "published") since the
    form was opened, or changed the course ("course"). `current_text` is what
    is there now, for the diff; `draft_version` / `base_revision` /
    `fingerprint` are the values a form must carry to overwrite it."""

    def __init__(self, kind: str, who: str | None, when: datetime | None, current_text: str, *,
                 draft_version: int = 0, base_revision: int = 0, fingerprint: str = "", by_import: bool = False):
        super().__init__(kind)
        self.kind, self.who, self.when, self.current_text = kind, who, when, current_text
        self.by_import = by_import  # the newer revision came from import-courses
        self.draft_version, self.base_revision, self.fingerprint = draft_version, base_revision, fingerprint


class NotPublishable(Exception):
    def __init__(self, checked: pipeline.Checked):
        super().__init__("not publishable")
        self.checked = checked


class NoChange(Exception):
    pass


# --- what is being edited --------------------------------------------------------


@dataclass
class ModuleInput:
    """A module as the editor holds it: the front matter fields, the body and the blocks."""

    title: str
    order: Any
    meta: dict
    body: str
    quiz: dict | None = None
    exercise: dict | None = None
    original: str | None = None  # the text of the revision the edit started from (unchanged parts keep their wording)

    def text(self, slug: str) -> str:
        return canonical.module_text(slug, self.title, self.order, self.meta, self.body, self.quiz, self.exercise,
                                     original=self.original)


@dataclass(frozen=True)
class Editing:
    course: Course
    module: Module
    current: ModuleRevision | None
    draft: ModuleDraft | None
    draft_author: str | None
    input: ModuleInput | None  # None: the module's Markdown source is not stored (see revision_text)
    lossy_quiz: bool  # the quiz came from import-questions and uses what a block cannot hold

    @property
    def draft_version(self) -> int:
        return self.draft.lock_version if self.draft else 0

    @property
    def base_revision(self) -> int:
        if self.draft is not None:
            return self.draft.base_revision_number or 0
        return self.current.number if self.current else 0


def module_by_slug(slug: str) -> tuple[Module, Course] | None:
    row = db.session.execute(
        db.select(Module, Course).join(Course, Course.id == Module.course_id).where(Module.slug == slug)
    ).first()
    return (row[0], row[1]) if row else None


def current_revision(module: Module) -> ModuleRevision | None:
    if module.current_revision_id is None:
        return None
    return db.session.get(ModuleRevision, module.current_revision_id)


def draft_of(module: Module) -> ModuleDraft | None:
    return db.session.scalar(db.select(ModuleDraft).where(ModuleDraft.module_id == module.id))


def _name(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return db.session.scalar(db.select(User.name).where(User.id == user_id))


def editing(slug: str, courses_path: Path) -> Editing | None:
    found = module_by_slug(slug)
    if found is None:
        return None
    module, course = found
    current = current_revision(module)
    draft = draft_of(module)
    lossy = False
    if draft is not None:
        data = input_from_draft(draft)
        base = revision_by_number(module, draft.base_revision_number) if draft.base_revision_number else None
        data.original = revision_text(module, base, courses_path) if base is not None else None
    elif current is not None:
        data, lossy = input_from_revision(module, current, courses_path)
    else:
        data = blank_input(module, course)
    return Editing(course, module, current, draft, _name(draft.author_id) if draft else None, data, lossy)


def blank_input(module: Module, course: Course, today: str = "") -> ModuleInput:
    meta = {"duration_minutes": 15, "objectives": [], "tracks": list(course.tracks or []), "time_sensitive": False,
            "verified_on": today, "review_every": fmt.DEFAULT_REVIEW_EVERY, "sources": []}
    return ModuleInput(module.title, module.order, meta, "")


def input_from_draft(draft: ModuleDraft) -> ModuleInput:
    meta = dict(draft.meta or {})
    order = meta.pop("order", 0)
    return ModuleInput(draft.title, order, meta, draft.body or "", draft.quiz, draft.exercise)


def input_from_revision(module: Module, revision: ModuleRevision, courses_path: Path) -> tuple[ModuleInput | None, bool]:
    text = revision_text(module, revision, courses_path)
    if text is None:
        return None, False
    front, body, _blocks = canonical.split_module_text(text)
    quiz, lossy = canonical.quiz_block_data(revision.quiz)
    order = _front_value(front, "order", module.order)
    return ModuleInput(revision.title, order, dict(revision.meta or {}), body, quiz, revision.exercise, text), lossy


def _front_value(front: str, key: str, default: Any) -> Any:
    try:
        data = yaml.safe_load(front)
    except yaml.YAMLError:
        return default
    return data.get(key, default) if isinstance(data, dict) else default


def revision_text(module: Module, revision: ModuleRevision, courses_path: Path) -> str | None:
    """The module file text of a revision: stored with it; for a revision made
    by import-questions, the text it copied with the new quiz written in; for
    a revision stored before texts were kept, the curriculum file if it still
    has the revision's hash. None if none of these exists."""
    if revision.source_text is not None:
        return revision.source_text
    if revision.source is None:
        earlier = db.session.execute(
            db.select(ModuleRevision.source_text, ModuleRevision.title)
            .where(ModuleRevision.module_id == module.id, ModuleRevision.number < revision.number,
                   ModuleRevision.source_text.is_not(None))
            .order_by(ModuleRevision.number.desc()).limit(1)
        ).first()
        if earlier is not None:
            front, body, _blocks = canonical.split_module_text(earlier[0])
            quiz, _lossy = canonical.quiz_block_data(revision.quiz)
            return canonical.module_text(module.slug, revision.title, _front_value(front, "order", module.order),
                                         dict(revision.meta or {}), body, quiz, revision.exercise)
    if module.source_path:
        path = Path(courses_path) / module.source_path
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(raw).hexdigest() == revision.content_hash:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def module_filename(module: Module) -> str:
    """The module's file name in its course folder (kept stable so exports round-trip)."""
    name = (module.source_path or "").rsplit("/", 1)[-1]
    match = fmt.MODULE_FILE_RE.match(name)
    if match and match.group(2) == module.slug:
        return name
    return f"{min(max(module.order, 0), 99):02d}-{module.slug}.md"


# --- images ------------------------------------------------------------------------


def image_reader(course_slug: str, courses_path: Path) -> pipeline.ImageBytes:
    """The images beside a course's modules: curriculum files first (as the
    asset route serves them), then images uploaded in the browser."""
    folder = Path(courses_path) / course_slug

    def read(name: str) -> bytes | None:
        path = folder / name
        if path.is_file():
            return path.read_bytes()
        return db.session.scalar(
            db.select(CourseImage.data).join(Course, Course.id == CourseImage.course_id)
            .where(Course.slug == course_slug, CourseImage.filename == name)
        )

    return read


@dataclass(frozen=True)
class ImageRow:
    filename: str
    size: int
    width: int
    height: int
    uploaded_at: datetime
    uploaded_by: str | None

    @property
    def markdown(self) -> str:
        return f"![{MARKDOWN_ALT}]({self.filename})"


MARKDOWN_ALT = "Keterangan gambar"


def course_images(course: Course) -> list[ImageRow]:
    rows = db.session.execute(
        db.select(CourseImage.filename, CourseImage.size, CourseImage.width, CourseImage.height,
                  CourseImage.uploaded_at, User.name)
        .outerjoin(User, User.id == CourseImage.uploaded_by)
        .where(CourseImage.course_id == course.id).order_by(CourseImage.uploaded_at.desc(), CourseImage.id.desc())
    ).all()
    return [ImageRow(*row) for row in rows]


def store_image(course: Course, original_name: str | None, clean: CleanImage, user, now: datetime,
                courses_path: Path) -> CourseImage:
    """Keep a re-encoded image under a free name ("pilar.png", "pilar-2.png"…).
    The same picture uploaded twice is stored once."""
    same = db.session.scalar(
        db.select(CourseImage).where(CourseImage.course_id == course.id,
                                     CourseImage.sha256 == hashlib.sha256(clean.data).hexdigest())
    )
    if same is not None:
        return same
    taken = set(db.session.scalars(db.select(CourseImage.filename).where(CourseImage.course_id == course.id)))
    folder = Path(courses_path) / course.slug
    stem, n = base_name(original_name), 1
    name = f"{stem}.{clean.extension}"
    while name in taken or (folder / name).exists():
        n += 1
        name = f"{stem}-{n}.{clean.extension}"
    image = CourseImage(course_id=course.id, filename=name, mimetype=clean.mimetype,
                        sha256=hashlib.sha256(clean.data).hexdigest(), size=len(clean.data),
                        width=clean.width, height=clean.height, data=clean.data, uploaded_by=user.id, uploaded_at=now)
    db.session.add(image)
    db.session.flush()
    return image


@dataclass(frozen=True)
class StoredImage:
    data: bytes
    mimetype: str
    sha256: str


def stored_image(course_slug: str, filename: str) -> StoredImage | None:
    row = db.session.execute(
        db.select(CourseImage.data, CourseImage.mimetype, CourseImage.sha256)
        .join(Course, Course.id == CourseImage.course_id)
        .where(Course.slug == course_slug, CourseImage.filename == filename)
    ).first()
    return StoredImage(*row) if row else None


# --- drafts and publishing -------------------------------------------------------------


def _lock(module: Module) -> None:
    """Serialise saves of one module (PostgreSQL: the module row; SQLite writes are serial anyway)."""
    db.session.execute(db.select(Module.id).where(Module.id == module.id).with_for_update())


def _current_number(module: Module) -> int:
    db.session.refresh(module, ["current_revision_id"])
    revision = current_revision(module)
    return revision.number if revision else 0


def save_draft(module: Module, data: ModuleInput, user, now: datetime, *, draft_version: int,
               base_revision: int, courses_path: Path) -> ModuleDraft:
    """Keep what the trainer typed as the module's draft. Refused with a
    `Conflict` when the draft was saved by someone else since the form was
    opened (`draft_version` differs) or a newer revision was published."""
    _lock(module)
    current = current_revision(module) if _current_number(module) else None
    number = current.number if current else 0
    draft = draft_of(module)
    if draft is not None and draft.lock_version != draft_version:
        raise Conflict(DRAFT, _name(draft.author_id), draft.updated_at, input_from_draft(draft).text(module.slug),
                       draft_version=draft.lock_version, base_revision=number)
    if number != base_revision:
        current_text = revision_text(module, current, courses_path) if current else ""
        raise Conflict(PUBLISHED, _name(current.created_by) if current else None, current.created_at if current else None,
                       current_text or "", draft_version=draft.lock_version if draft else 0, base_revision=number,
                       by_import=current is not None and current.source == SOURCE_FILE)
    if draft is None:
        draft = ModuleDraft(module_id=module.id, created_at=now, lock_version=0)
        db.session.add(draft)
    draft.title = data.title or ""
    draft.meta = {**data.meta, "order": data.order}
    draft.body = canonical.normalise_newlines(data.body)
    draft.quiz = data.quiz
    draft.exercise = data.exercise
    draft.base_revision_number = number or None
    draft.author_id = user.id
    draft.updated_at = now
    draft.lock_version = (draft.lock_version or 0) + 1
    db.session.flush()
    return draft


def discard_draft(module: Module, draft_version: int) -> bool:
    _lock(module)
    draft = draft_of(module)
    if draft is None or draft.lock_version != draft_version:
        return False
    db.session.delete(draft)
    db.session.flush()
    return True


def check(module: Module, course: Course, data: ModuleInput, validators, images: pipeline.ImageBytes) -> pipeline.Checked:
    """The import pipeline on the module's canonical file text."""
    return pipeline.check_module(data.text(module.slug), course.slug, module_filename(module), images, validators)


def publish(module: Module, course: Course, data: ModuleInput, user, now: datetime, *, draft_version: int,
            base_revision: int, validators, images: pipeline.ImageBytes, courses_path: Path) -> ModuleRevision:
    """Save the draft, then publish it as a new revision. The draft stays
    saved when publishing is refused (`NotPublishable`)."""
    save_draft(module, data, user, now, draft_version=draft_version, base_revision=base_revision,
               courses_path=courses_path)
    checked = check(module, course, data, validators, images)
    if not checked.ok:
        raise NotPublishable(checked)
    current = current_revision(module)
    draft = draft_of(module)
    if current is not None and current.content_hash == canonical.text_hash(checked.text):
        db.session.delete(draft)
        db.session.flush()
        raise NoChange()
    revision = _store_revision(module, checked, user, now)
    db.session.delete(draft)
    db.session.flush()
    return revision


def _store_revision(module: Module, checked: pipeline.Checked, user, now: datetime) -> ModuleRevision:
    source, rendered = checked.source, checked.rendered
    number = (db.session.scalar(
        db.select(db.func.max(ModuleRevision.number)).where(ModuleRevision.module_id == module.id)
    ) or 0) + 1
    revision = ModuleRevision(
        module_id=module.id, number=number, content_hash=source.content_hash, title=source.title,
        meta=source.metadata, body_html=rendered.html, toc=rendered.toc,
        quiz=source.quiz.data if source.quiz else None, exercise=source.exercise.data if source.exercise else None,
        created_at=now, created_by=user.id, source=SOURCE_BROWSER, source_text=checked.text,
    )
    db.session.add(revision)
    db.session.flush()
    module.current_revision_id = revision.id
    module.title, module.order = source.title, source.order
    module.retired_at = None
    if not module.source_path:
        module.source_path = f"{db.session.scalar(db.select(Course.slug).where(Course.id == module.course_id))}/" \
                             f"{module_filename(module)}"
    db.session.flush()
    return revision


def restore(module: Module, course: Course, number: int, user, now: datetime, *, expected_current: int,
            validators, images: pipeline.ImageBytes, courses_path: Path) -> ModuleRevision:
    """Publish an earlier revision's content again, as a NEW revision."""
    _lock(module)
    current = current_revision(module) if _current_number(module) else None
    if (current.number if current else 0) != expected_current:
        raise Conflict(PUBLISHED, _name(current.created_by) if current else None,
                       current.created_at if current else None,
                       (revision_text(module, current, courses_path) if current else "") or "",
                       base_revision=current.number if current else 0)
    old = revision_by_number(module, number)
    if old is None:
        raise AuthoringError("number", _l("Versi itu tidak ada."))
    text = revision_text(module, old, courses_path)
    if text is None:
        raise AuthoringError("number", _l("Teks Markdown versi itu tidak tersimpan, jadi tidak bisa dipulihkan."))
    if current is not None and current.content_hash == canonical.text_hash(text):
        raise NoChange()
    checked = pipeline.check_module(text, course.slug, module_filename(module), images, validators)
    if not checked.ok:
        raise NotPublishable(checked)
    return _store_revision(module, checked, user, now)


def revision_by_number(module: Module, number: int) -> ModuleRevision | None:
    return db.session.scalar(
        db.select(ModuleRevision).where(ModuleRevision.module_id == module.id, ModuleRevision.number == number)
    )


@dataclass(frozen=True)
class HistoryRow:
    number: int
    title: str
    created_at: datetime
    author: str | None
    source: str | None
    content_hash: str
    current: bool
    has_text: bool


def history(module: Module) -> list[HistoryRow]:
    rows = db.session.execute(
        db.select(ModuleRevision.id, ModuleRevision.number, ModuleRevision.title, ModuleRevision.created_at, User.name,
                  ModuleRevision.source, ModuleRevision.content_hash, ModuleRevision.source_text.is_not(None))
        .outerjoin(User, User.id == ModuleRevision.created_by)
        .where(ModuleRevision.module_id == module.id).order_by(ModuleRevision.number.desc())
    ).all()
    return [HistoryRow(number, title, created_at, author, source, content_hash, rid == module.current_revision_id,
                       bool(has_text))
            for rid, number, title, created_at, author, source, content_hash, has_text in rows]


# --- creating modules --------------------------------------------------------------------


def create_module(course: Course, slug: str, title: str, order: int, user, now: datetime, today: str) -> Module:
    """A new module of the course, with an empty draft. Trainees see it once it is published."""
    if db.session.scalar(db.select(Module.id).where(Module.slug == slug)) is not None:
        raise AuthoringError("slug", _l("Alamat ini sudah dipakai modul lain (slug harus unik di semua kursus)."))
    module = Module(course_id=course.id, slug=slug, order=order, title=title, source_path="")
    db.session.add(module)
    db.session.flush()
    module.source_path = f"{course.slug}/{module_filename(module)}"
    data = blank_input(module, course, today)
    draft = ModuleDraft(module_id=module.id, title=title, meta={**data.meta, "order": order}, body="",
                        base_revision_number=None, author_id=user.id, created_at=now, updated_at=now, lock_version=1)
    db.session.add(draft)
    db.session.flush()
    return module


# --- overview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleLine:
    slug: str
    title: str
    number: int | None  # current revision
    source: str | None  # of the current revision
    retired: bool
    draft_by: str | None
    draft_at: datetime | None
    has_draft: bool


@dataclass(frozen=True)
class CourseLine:
    slug: str
    title: str
    retired: bool
    modules: tuple[ModuleLine, ...] = field(default_factory=tuple)


def overview() -> list[CourseLine]:
    """Every course with its modules, their published revision and drafts. Two queries."""
    courses = db.session.scalars(db.select(Course).order_by(Course.retired_at.is_not(None), Course.order, Course.slug)).all()
    rows = db.session.execute(
        db.select(Module.course_id, Module.slug, Module.title, Module.retired_at, ModuleRevision.number,
                  ModuleRevision.source, ModuleDraft.id, ModuleDraft.updated_at, User.name)
        .outerjoin(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .outerjoin(ModuleDraft, ModuleDraft.module_id == Module.id)
        .outerjoin(User, User.id == ModuleDraft.author_id)
        .order_by(Module.order, Module.slug)
    ).all()
    by_course: dict[int, list[ModuleLine]] = {}
    for course_id, slug, title, retired_at, number, source, draft_id, draft_at, draft_by in rows:
        by_course.setdefault(course_id, []).append(
            ModuleLine(slug, title, number, source, retired_at is not None, draft_by, draft_at, draft_id is not None))
    return [CourseLine(c.slug, c.title, c.retired_at is not None, tuple(by_course.get(c.id, ()))) for c in courses]


# --- courses ---------------------------------------------------------------------------


@dataclass
class CourseValues:
    title: str
    summary: str
    order: int
    tracks: list[str]
    estimated_hours: float
    cover: str | None
    required: dict[str, list[str]]


def course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(db.select(Course).where(Course.slug == slug))


def course_values(course: Course) -> CourseValues:
    return CourseValues(course.title, course.summary, course.order, list(course.tracks or []), course.estimated_hours,
                        course.cover, {k: list(v) for k, v in (course.required or {}).items()})


def course_intro(course: Course, courses_path: Path) -> str | None:
    """The course introduction's Markdown: stored by the browser or the last
    import; else the course.md in the curriculum folder. None if unknown."""
    stored = db.session.get(CourseSource, course.id)
    if stored is not None:
        return stored.intro_markdown
    try:
        text = (Path(courses_path) / course.slug / "course.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return canonical.split_course_text(text)


def course_file_text(course_slug: str, values: CourseValues, intro: str) -> str:
    del course_slug  # the folder name is the slug; course.md does not repeat it
    return canonical.course_text(values.title, values.summary, values.order, values.tracks, values.estimated_hours,
                                 values.cover, values.required, intro)


def course_fingerprint(course: Course, courses_path: Path) -> str:
    return canonical.text_hash(course_file_text(course.slug, course_values(course), course_intro(course, courses_path) or ""))


def published_modules(course: Course) -> list[tuple[str, str]]:
    """(slug, title) of the course's modules trainees can open: what `required` may list."""
    return list(db.session.execute(
        db.select(Module.slug, Module.title)
        .where(Module.course_id == course.id, Module.retired_at.is_(None), Module.current_revision_id.is_not(None))
        .order_by(Module.order, Module.slug)
    ).all())


def create_course(slug: str, values: CourseValues, intro: str, intro_html: str, user, now: datetime) -> Course:
    if course_by_slug(slug) is not None:
        raise AuthoringError("slug", _l("Alamat ini sudah dipakai kursus lain."))
    course = Course(slug=slug, title=values.title, summary=values.summary, order=values.order, tracks=values.tracks,
                    estimated_hours=values.estimated_hours, cover=values.cover or None, required={},
                    intro_html=intro_html)
    db.session.add(course)
    db.session.flush()
    _store_course_source(course, values, intro, user, now)
    return course


def update_course(course: Course, values: CourseValues, intro: str, intro_html: str, user, now: datetime, *,
                  fingerprint: str, courses_path: Path) -> Course:
    """Change a course's metadata and introduction. Refused with a `Conflict`
    when the course changed since the form was opened (`fingerprint`)."""
    db.session.execute(db.select(Course.id).where(Course.id == course.id).with_for_update())
    db.session.refresh(course)
    current_intro = course_intro(course, courses_path) or ""
    current_text = course_file_text(course.slug, course_values(course), current_intro)
    if canonical.text_hash(current_text) != fingerprint:
        stored = db.session.get(CourseSource, course.id)
        raise Conflict(COURSE, _name(stored.updated_by) if stored else None, stored.updated_at if stored else None,
                       current_text, fingerprint=canonical.text_hash(current_text))
    course.title, course.summary, course.order = values.title, values.summary, values.order
    course.tracks, course.estimated_hours, course.cover = values.tracks, values.estimated_hours, values.cover or None
    course.required = values.required
    course.intro_html = intro_html
    _store_course_source(course, values, intro, user, now)
    db.session.flush()
    return course


def _store_course_source(course: Course, values: CourseValues, intro: str, user, now: datetime) -> None:
    intro = canonical.normalise_newlines(intro).strip("\n")
    stored = db.session.get(CourseSource, course.id)
    if stored is None:
        stored = CourseSource(course_id=course.id)
        db.session.add(stored)
    stored.intro_markdown = intro
    stored.browser_hash = canonical.text_hash(course_file_text(course.slug, values, intro))
    stored.updated_at, stored.updated_by = now, user.id if user is not None else None
    db.session.flush()


# --- files and the browser together ------------------------------------------------------


def browser_course_hashes() -> dict[str, str]:
    """course slug → sha256 of the course.md the browser wrote, for courses
    whose last change came from the browser (import-courses protects them)."""
    return dict(db.session.execute(
        db.select(Course.slug, CourseSource.browser_hash)
        .join(CourseSource, CourseSource.course_id == Course.id)
        .where(CourseSource.browser_hash.is_not(None))
    ).all())


def record_file_import(result: importer.ImportResult, now: datetime) -> None:
    """After import-courses wrote courses from files: remember their
    introductions' Markdown, and that the files now hold them."""
    for slug, folder in result.course_folders.items():
        course = course_by_slug(slug)
        if course is None:
            continue
        try:
            text = (Path(folder) / "course.md").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        stored = db.session.get(CourseSource, course.id)
        if stored is None:
            stored = CourseSource(course_id=course.id)
            db.session.add(stored)
        stored.intro_markdown = canonical.split_course_text(text)
        stored.browser_hash = None
        stored.updated_at, stored.updated_by = now, None
    db.session.flush()
