"""Practical exercises: the exercise of a module, submitting, withdrawing,
sharing to the gallery, screenshots and what completion reads.

Reviewing is in `reviewing.py`, the home page in `overview.py`, the public
gallery and the OPD report in `reports.py`; they import this module, never
the other way round.

Plain functions with explicit arguments (`user`, `now`); they flush, never
commit, and raise `ExerciseError(field, message)` when a rule refuses.
Reads return plain dataclasses or loaded rows, in a fixed number of queries.

Who may submit: a trainee holding a seat in a wave whose track the exercise
lists (any wave when `tracks` is empty). That wave's trainers review it;
it is recorded on the submission. A trainee without such a seat can read the
instructions but cannot submit: nobody would review it.
"""
from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from lms.auth.models import Role, User
from lms.core.revisions import RevisionMemo
from lms.courses import services as courses
from lms.exercises import links
from lms.exercises.block import ExerciseSpec, read_exercise
from lms.exercises.images import CleanImage
from lms.exercises.models import (
    APPROVED,
    GALLERY_OFF,
    GALLERY_ON,
    REVISE,
    SUBMITTED,
    WAITING,
    WITHDREW,
    WITHDRAWN,
    Submission,
    SubmissionEvent,
    SubmissionImage,
)
from lms.extensions import db
from lms.waves import services as waves
from lms.waves.models import LearningPathItem, Wave

TEXT_MAX = 5000
NOTE_MAX = 1000
FEEDBACK_MAX = 5000
GALLERY_NAME_MAX = 60

STATUS_LABELS = {
    WAITING: _l("Menunggu penilaian"),
    APPROVED: _l("Lulus"),
    REVISE: _l("Perlu revisi"),
    WITHDRAWN: _l("Ditarik"),
    None: _l("Belum dikirim"),
}


class ExerciseError(ValueError):
    def __init__(self, field: str | None, message):
        super().__init__(str(message))
        self.field, self.message = field, message


# --- the exercise of a module -----------------------------------------------

# Reading a stored exercise builds its rubric (~45 µs a criterion); the home page
# reads every exercise on a trainee's path (docs/performance.md). ExerciseSpec is frozen.
_SPECS: RevisionMemo[ExerciseSpec | None] = RevisionMemo(1024)


def spec_of(module_slug: str, number: int, content_hash: str, data: Mapping[str, Any] | None) -> ExerciseSpec | None:
    return _SPECS.get(module_slug, number, content_hash, lambda: read_exercise(data))


@dataclass(frozen=True)
class Exercise:
    course_slug: str
    course_title: str
    module_slug: str
    module_title: str
    revision_number: int
    spec: ExerciseSpec
    retired: bool


def get_exercise(module_slug: str) -> Exercise | None:
    """The exercise of a module's current revision (one query)."""
    block = courses.current_block(module_slug, "exercise")
    if block is None:
        return None
    spec = spec_of(module_slug, block.revision_number, block.content_hash, block.data)
    if spec is None:
        return None
    return Exercise(block.course_slug, block.course_title, module_slug, block.module_title, block.revision_number,
                    spec, retired=block.retired)


def reviewing_wave(user: User, exercise: Exercise) -> Wave | None:
    """The wave whose trainers review this trainee's work on this exercise:
    a wave where they hold a seat and whose track the exercise applies to,
    preferring one whose learning path holds the module, then the newest."""
    candidates = [w for w in waves.waves_of(user) if exercise.spec.applies_to(w.track)]
    if not candidates:
        return None
    on_path = set(db.session.scalars(
        db.select(LearningPathItem.wave_id).where(
            LearningPathItem.wave_id.in_([w.id for w in candidates]),
            LearningPathItem.module_slug == exercise.module_slug,
        )
    ))
    candidates.sort(key=lambda w: (w.id in on_path, w.starts_on, w.id), reverse=True)
    return candidates[0]


# --- the trainee's side -----------------------------------------------------------


def attempts_of(user_id: int, module_slug: str) -> list[Submission]:
    """Every attempt of one trainee at one exercise, newest first."""
    return list(db.session.scalars(
        db.select(Submission)
        .where(Submission.user_id == user_id, Submission.module_slug == module_slug)
        .options(selectinload(Submission.image))
        .order_by(Submission.attempt.desc())
    ))


def history_of(submission_ids: Sequence[int]) -> dict[int, list[SubmissionEvent]]:
    if not submission_ids:
        return {}
    result: dict[int, list[SubmissionEvent]] = defaultdict(list)
    rows = db.session.scalars(
        db.select(SubmissionEvent).where(SubmissionEvent.submission_id.in_(submission_ids))
        .order_by(SubmissionEvent.at, SubmissionEvent.id)
    )
    for event in rows:
        result[event.submission_id].append(event)
    return dict(result)


CANNOT_STAFF = "staff"
CANNOT_RETIRED = "retired"
CANNOT_NO_WAVE = "no-wave"
CANNOT_WAITING = "waiting"
CANNOT_APPROVED = "approved"


@dataclass
class TraineeState:
    exercise: Exercise
    wave: Wave | None
    attempts: list[Submission]  # newest first
    history: dict[int, list[SubmissionEvent]]
    blocked: str | None  # why no new submission is possible (None: it is)

    @property
    def latest(self) -> Submission | None:
        return self.attempts[0] if self.attempts else None

    @property
    def can_submit(self) -> bool:
        return self.blocked is None

    @property
    def can_withdraw(self) -> bool:
        return self.latest is not None and self.latest.status == WAITING

    @property
    def approved(self) -> Submission | None:
        return next((s for s in self.attempts if s.status == APPROVED), None)

    @property
    def can_share(self) -> bool:
        approved = self.approved
        return approved is not None and approved.video_url is not None


def trainee_state(user: User, exercise: Exercise) -> TraineeState:
    attempts = attempts_of(user.id, exercise.module_slug)
    wave = reviewing_wave(user, exercise) if user.role == Role.TRAINEE.value else None
    latest = attempts[0] if attempts else None
    blocked = None
    if user.role != Role.TRAINEE.value:
        blocked = CANNOT_STAFF
    elif any(s.status == APPROVED for s in attempts):
        blocked = CANNOT_APPROVED
    elif latest is not None and latest.status == WAITING:
        blocked = CANNOT_WAITING
    elif exercise.retired:
        blocked = CANNOT_RETIRED
    elif wave is None:
        blocked = CANNOT_NO_WAVE
    return TraineeState(exercise, wave, attempts, history_of([s.id for s in attempts]), blocked)


@dataclass
class Answer:
    link: str | None = None
    text: str | None = None
    image: CleanImage | None = None
    note: str | None = None


MSG_NOTHING = _l("Isi minimal satu bagian tugas sebelum mengirim.")
MSG_NOT_TRAINEE = _l("Hanya peserta yang bisa mengirim tugas praktik.")
MSG_NO_WAVE = _l("Tugas ini dinilai pelatih gelombang Anda. Anda belum terdaftar di gelombang yang memakai tugas ini.")
MSG_ALREADY_WAITING = _l("Kiriman Anda sebelumnya masih menunggu penilaian. Tarik dulu bila ingin menggantinya.")
MSG_ALREADY_APPROVED = _l("Tugas ini sudah lulus. Tidak perlu mengirim lagi.")
MSG_RETIRED = _l("Modul ini sudah tidak dipakai lagi, jadi tugasnya tidak menerima kiriman baru.")


def record_event(submission: Submission, actor: User | None, action: str, from_status: str | None, to_status: str,
           now: datetime, note: str | None = None, score: int | None = None) -> SubmissionEvent:
    event = SubmissionEvent(
        submission_id=submission.id, actor_id=actor.id if actor else None, action=action,
        from_status=from_status, to_status=to_status, note=note, score=score, at=now,
    )
    db.session.add(event)
    return event


def clean_text(value: str | None) -> str | None:
    value = (value or "").replace("\r\n", "\n").strip()
    return value or None


def submit(user: User, exercise: Exercise, answer: Answer, now: datetime) -> Submission:
    """A new attempt (status menunggu). The image is already re-encoded."""
    if user.role != Role.TRAINEE.value:
        raise ExerciseError(None, MSG_NOT_TRAINEE)
    if exercise.retired:
        raise ExerciseError(None, MSG_RETIRED)
    attempts = attempts_of(user.id, exercise.module_slug)
    if any(s.status == APPROVED for s in attempts):
        raise ExerciseError(None, MSG_ALREADY_APPROVED)
    if attempts and attempts[0].status == WAITING:
        raise ExerciseError(None, MSG_ALREADY_WAITING)
    wave = reviewing_wave(user, exercise)
    if wave is None:
        raise ExerciseError(None, MSG_NO_WAVE)
    kinds = exercise.spec.submit
    link = None
    if "link" in kinds and (answer.link or "").strip():
        try:
            link = links.parse_video_link(answer.link)
        except links.LinkError as error:
            raise ExerciseError("link", error.message) from None
    text = clean_text(answer.text) if "text" in kinds else None
    if text is not None and len(text) > TEXT_MAX:
        raise ExerciseError("text", _l("Jawaban maksimal %(max)d karakter.", max=TEXT_MAX))
    note = clean_text(answer.note)
    if note is not None and len(note) > NOTE_MAX:
        raise ExerciseError("note", _l("Catatan maksimal %(max)d karakter.", max=NOTE_MAX))
    image = answer.image if "image" in kinds else None
    if link is None and text is None and image is None:
        raise ExerciseError(kinds[0] if kinds else None, MSG_NOTHING)

    stored_image = None
    if image is not None:
        stored_image = SubmissionImage(
            token=secrets.token_urlsafe(32), user_id=user.id, mimetype=image.mimetype, width=image.width,
            height=image.height, size=len(image.data), data=image.data, created_at=now,
        )
        db.session.add(stored_image)
        db.session.flush()
    submission = Submission(
        user_id=user.id, wave_id=wave.id, course_slug=exercise.course_slug, module_slug=exercise.module_slug,
        revision_number=exercise.revision_number, exercise_slug=exercise.spec.slug, exercise_title=exercise.spec.title,
        attempt=(max((s.attempt for s in attempts), default=0) + 1), status=WAITING,
        video_provider=link.provider if link else None, video_id=link.video_id if link else None,
        video_url=link.url if link else None, text_answer=text, image_id=stored_image.id if stored_image else None,
        note=note, submitted_at=now, updated_at=now,
    )
    db.session.add(submission)
    db.session.flush()
    record_event(submission, user, SUBMITTED, None, WAITING, now, note=note)
    db.session.flush()
    return submission


def lock_submission(submission_id: int) -> Submission | None:
    """The row, locked for a state change (FOR UPDATE on PostgreSQL; SQLite's
    write transaction is already exclusive)."""
    return db.session.scalar(
        db.select(Submission).where(Submission.id == submission_id).with_for_update().execution_options(populate_existing=True)
    )


def withdraw(user: User, submission: Submission, now: datetime) -> Submission:
    if submission.user_id != user.id:
        raise ExerciseError(None, _l("Kiriman tidak ditemukan."))
    if submission.status != WAITING:
        raise ExerciseError(None, _l("Kiriman ini sudah dinilai, jadi tidak bisa ditarik lagi."))
    submission.status = WITHDRAWN
    submission.updated_at = now
    record_event(submission, user, WITHDREW, WAITING, WITHDRAWN, now)
    db.session.flush()
    return submission


def set_gallery(user: User, submission: Submission, consent: bool, name: str | None, now: datetime) -> Submission:
    """Show (consent) or hide an approved video on the public gallery."""
    if submission.user_id != user.id:
        raise ExerciseError(None, _l("Kiriman tidak ditemukan."))
    if consent:
        if submission.status != APPROVED or not submission.video_url:
            raise ExerciseError(None, _l("Hanya video yang sudah lulus yang bisa ditampilkan di galeri."))
        name = " ".join((name or "").split())
        if not name:
            raise ExerciseError("name", _l("Tulis nama yang boleh ditampilkan."))
        if len(name) > GALLERY_NAME_MAX:
            raise ExerciseError("name", _l("Nama maksimal %(max)d karakter.", max=GALLERY_NAME_MAX))
        submission.gallery_consent_at, submission.gallery_name = now, name
        record_event(submission, user, GALLERY_ON, submission.status, submission.status, now, note=name)
    else:
        if submission.gallery_consent_at is None:
            return submission
        submission.gallery_consent_at, submission.gallery_name = None, None
        record_event(submission, user, GALLERY_OFF, submission.status, submission.status, now)
    submission.updated_at = now
    db.session.flush()
    return submission


# --- images ------------------------------------------------------------------------


def image_by_token(token: str) -> tuple[SubmissionImage, Submission] | None:
    if not token or len(token) > 64:
        return None
    row = db.session.execute(
        db.select(SubmissionImage, Submission)
        .join(Submission, Submission.image_id == SubmissionImage.id)
        .where(SubmissionImage.token == token)
    ).first()
    return (row[0], row[1]) if row else None


def image_data(image: SubmissionImage) -> bytes:
    return image.data


# --- what completion reads ---------------------------------------------------------


def statuses_for(user_ids_query, slugs: Sequence[str]) -> dict[tuple[int, str], str]:
    """(user id, module slug) → status of the trainee's work on that exercise:
    "lulus" once any attempt is approved, else the newest attempt's status
    (withdrawn attempts are ignored). One query."""
    if not slugs:
        return {}
    rows = db.session.execute(
        db.select(Submission.user_id, Submission.module_slug, Submission.status, Submission.attempt)
        .where(Submission.user_id.in_(user_ids_query), Submission.module_slug.in_(list(slugs)),
               Submission.status != WITHDRAWN)
    )
    best: dict[tuple[int, str], tuple[bool, int, str]] = {}
    for user_id, slug, status, attempt in rows:
        key = (user_id, slug)
        rank = (status == APPROVED, attempt, status)
        if key not in best or rank > best[key]:
            best[key] = rank
    return {key: rank[2] for key, rank in best.items()}
