"""Courses, modules, their immutable revisions, and learner progress.

Content rows (Course, Module, ModuleRevision) are written by the importer
and, for edits made in the browser, by lms.authoring (which sits above this
package). Learner data (Progress, and later quiz attempts, submissions and
certificates) refers to content by stable slugs and revision numbers, never by
ids an import could change.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.db import utcnow
from lms.extensions import db

STATUS_STARTED = "started"
STATUS_COMPLETED = "completed"


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    order: Mapped[int] = mapped_column(default=0)
    tracks: Mapped[list] = mapped_column(JSON, default=list)
    estimated_hours: Mapped[float] = mapped_column(Float, default=0)
    cover: Mapped[str | None] = mapped_column(String(200))
    intro_html: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[dict] = mapped_column(JSON, default=dict)  # {track: [module slugs]}
    retired_at: Mapped[datetime | None]


class Module(db.Model):
    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)  # unique across all courses
    order: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    # Modules and revisions point at each other; this side is added after both
    # tables exist (use_alter) and is cleared if a revision row ever goes.
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_revisions.id", use_alter=True, ondelete="SET NULL")
    )
    retired_at: Mapped[datetime | None]
    source_path: Mapped[str] = mapped_column(String(300), default="")  # "<course>/NN-<slug>.md"


class ModuleRevision(db.Model):
    """One imported version of a module file. Never edited in meaning: a new
    file content makes a new revision (the HTML may be re-rendered in place
    when the renderer or an image changes)."""

    __tablename__ = "module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1..n per module
    content_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the file's bytes
    title: Mapped[str] = mapped_column(String(200))
    # objectives, tracks, duration_minutes, sources, verified_on, review_every, time_sensitive
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    body_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised at import
    toc: Mapped[list] = mapped_column(JSON, default=list)  # [{level, id, title}]
    quiz: Mapped[dict | None] = mapped_column(JSON)
    exercise: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where the revision came from: "file" (import-courses) or "browser"
    # (published or restored in lms.authoring); None when another tool
    # (import-questions) copied the previous revision.
    source: Mapped[str | None] = mapped_column(String(10))
    # The module file's text (front matter, body, blocks): what export-courses
    # writes and what the history's diff compares. content_hash is its sha256.
    source_text: Mapped[str | None] = mapped_column(Text)


class Progress(db.Model):
    """What one trainee has read: started when a lesson is opened, completed
    when they tap "Tandai selesai"."""

    __tablename__ = "progress"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug"),
        Index("ix_progress_module_slug_status", "module_slug", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(80))
    course_slug: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default=STATUS_STARTED)  # started | completed
    first_opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    revision_number_completed: Mapped[int | None]
    best_score: Mapped[float | None] = mapped_column(Float)  # filled by the quiz package
    quiz_passed_at: Mapped[datetime | None]  # first time the module's quiz was passed (quiz package)
