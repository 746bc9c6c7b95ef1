"""Drafts of modules, images uploaded in the browser, and course sources.

Published content stays in `lms.courses` (`ModuleRevision` rows, with
`source` = "file" | "browser" and the Markdown `source_text`); these tables
hold what only the authoring side needs.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from lms.core.db import utcnow
from lms.extensions import db


class ModuleDraft(db.Model):
    """The one shared draft of a module: what trainers saved but did not
    publish yet. Only trainers and admins see it.

    `lock_version` grows with every save; a save that carries an older
    version is refused (optimistic locking). `base_revision_number` is the
    published revision the draft started from; publishing over a newer
    revision is refused the same way.
    """

    __tablename__ = "authoring_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # last saved by
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown, without the quiz and exercise blocks
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)  # the front matter fields as typed
    quiz: Mapped[dict | None] = mapped_column(JSON)  # the ```quiz block's data
    exercise: Mapped[dict | None] = mapped_column(JSON)  # the ```exercise block's data
    base_revision_number: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    lock_version: Mapped[int] = mapped_column(default=1)


class CourseImage(db.Model):
    """An image uploaded in the browser: re-encoded, metadata stripped, kept
    in the database so every app instance serves it. Never replaced: a new
    upload with a taken name gets a new name, so old revisions keep theirs."""

    __tablename__ = "authoring_images"
    __table_args__ = (UniqueConstraint("course_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(120))
    mimetype: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CourseSource(db.Model):
    """The Markdown introduction of a course (the body of course.md), which
    the courses table keeps only as HTML. `browser_hash` is the sha256 of the
    course.md the browser last wrote (export-courses writes exactly that);
    None when a file import wrote the course last."""

    __tablename__ = "authoring_course_sources"

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    intro_markdown: Mapped[str] = mapped_column(Text, default="")
    browser_hash: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
