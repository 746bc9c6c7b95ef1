"""Practical exercises: submitting, withdrawing, reviewing with the rubric,
the gallery, the OPD report and what completion reads.

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
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func
from sqlalchemy.orm import aliased, selectinload

from lms.agencies.models import Agency
from lms.auth.models import Role, User
from lms.core.revisions import RevisionMemo
from lms.courses import services as courses
from lms.courses.models import Module, ModuleRevision
from lms.exercises import links
from lms.exercises.block import ExerciseSpec, read_exercise
from lms.exercises.images import CleanImage
from lms.exercises.models import (
    APPROVED,
    GALLERY_OFF,
    GALLERY_ON,
    REVIEWED,
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
from lms.waves.models import ENROLLED, Enrolment, LearningPathItem, Wave, wave_trainers

TEXT_MAX = 5000
NOTE_MAX = 1000
FEEDBACK_MAX = 5000
GALLERY_NAME_MAX = 60
QUEUE_FILTERS = (WAITING, REVISE, APPROVED)

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


def _spec(module_slug: str, number: int, content_hash: str, data: Mapping[str, Any] | None) -> ExerciseSpec | None:
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
    spec = _spec(module_slug, block.revision_number, block.content_hash, block.data)
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


def _event(submission: Submission, actor: User | None, action: str, from_status: str | None, to_status: str,
           now: datetime, note: str | None = None, score: int | None = None) -> SubmissionEvent:
    event = SubmissionEvent(
        submission_id=submission.id, actor_id=actor.id if actor else None, action=action,
        from_status=from_status, to_status=to_status, note=note, score=score, at=now,
    )
    db.session.add(event)
    return event


def _clean_text(value: str | None) -> str | None:
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
    text = _clean_text(answer.text) if "text" in kinds else None
    if text is not None and len(text) > TEXT_MAX:
        raise ExerciseError("text", _l("Jawaban maksimal %(max)d karakter.", max=TEXT_MAX))
    note = _clean_text(answer.note)
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
    _event(submission, user, SUBMITTED, None, WAITING, now, note=note)
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
    _event(submission, user, WITHDREW, WAITING, WITHDRAWN, now)
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
        _event(submission, user, GALLERY_ON, submission.status, submission.status, now, note=name)
    else:
        if submission.gallery_consent_at is None:
            return submission
        submission.gallery_consent_at, submission.gallery_name = None, None
        _event(submission, user, GALLERY_OFF, submission.status, submission.status, now)
    submission.updated_at = now
    db.session.flush()
    return submission


# --- reviewing ---------------------------------------------------------------------


def get_submission(submission_id: int) -> Submission | None:
    return db.session.get(Submission, submission_id)


def can_review(user: User, submission: Submission) -> bool:
    """Admins, and the trainers assigned to the submission's wave."""
    if user.is_admin:
        return True
    if not user.is_staff or submission.wave_id is None:
        return False
    wave = waves.get_wave(submission.wave_id)
    return wave is not None and waves.can_manage(user, wave)


def can_view(user: User, submission: Submission) -> bool:
    return submission.user_id == user.id or can_review(user, submission)


@dataclass(frozen=True)
class Scored:
    score: int
    max_score: int
    pass_score: int
    lines: tuple[dict, ...]  # [{criterion, label, points, max}]

    @property
    def passes(self) -> bool:
        return self.score >= self.pass_score


def score(spec: ExerciseSpec, choices: Sequence[int | None]) -> Scored:
    """The rubric's score: the sum of the chosen level of each criterion."""
    if len(choices) != len(spec.criteria):
        raise ExerciseError(None, _l("Pilih satu tingkat untuk setiap kriteria."))
    lines = []
    for index, (criterion, choice) in enumerate(zip(spec.criteria, choices, strict=True)):
        if choice is None or not 0 <= choice < len(criterion.levels):
            raise ExerciseError(f"c{index}", _l("Pilih satu tingkat untuk kriteria ini."))
        level = criterion.levels[choice]
        lines.append({"criterion": criterion.name, "label": level.label, "points": level.points,
                      "max": criterion.max_points})
    total = sum(line["points"] for line in lines)
    return Scored(total, spec.max_score, spec.pass_score, tuple(lines))


def review(reviewer: User, submission: Submission, exercise: Exercise, choices: Sequence[int | None],
           feedback: str | None, decision: str, now: datetime) -> Submission:
    """Judge a waiting submission: lulus (only when the score reaches the pass
    score) or perlu-revisi (feedback required, so the trainee knows what to fix)."""
    if not can_review(reviewer, submission):
        raise ExerciseError(None, _l("Kiriman tidak ditemukan."))
    if submission.status != WAITING:
        raise ExerciseError(None, _l("Kiriman ini sudah dinilai atau ditarik peserta."))
    if decision not in (APPROVED, REVISE):
        raise ExerciseError("decision", _l("Pilih keputusan: lulus atau perlu revisi."))
    result = score(exercise.spec, choices)
    feedback = _clean_text(feedback)
    if feedback is not None and len(feedback) > FEEDBACK_MAX:
        raise ExerciseError("feedback", _l("Umpan balik maksimal %(max)d karakter.", max=FEEDBACK_MAX))
    if decision == APPROVED and not result.passes:
        raise ExerciseError("decision", _l(
            "Skor %(score)d belum mencapai batas lulus %(needed)d. Pilih \"Perlu revisi\" atau periksa lagi nilainya.",
            score=result.score, needed=result.pass_score))
    if decision == REVISE and feedback is None:
        raise ExerciseError("feedback", _l("Tulis apa yang perlu diperbaiki, supaya peserta tahu cara merevisinya."))
    submission.status = decision
    submission.score, submission.max_score, submission.pass_score = result.score, result.max_score, result.pass_score
    submission.rubric_scores = list(result.lines)
    submission.feedback = feedback
    submission.reviewed_by, submission.reviewed_at, submission.updated_at = reviewer.id, now, now
    _event(submission, reviewer, REVIEWED, WAITING, decision, now, note=feedback, score=result.score)
    db.session.flush()
    return submission


@dataclass(frozen=True)
class QueueRow:
    submission_id: int
    user_name: str
    agency: str | None
    is_opd_head: bool
    exercise_title: str
    module_slug: str
    attempt: int
    status: str
    submitted_at: datetime
    reviewed_at: datetime | None
    score: int | None
    max_score: int | None
    has_video: bool
    has_text: bool
    has_image: bool


def queue(wave: Wave, status: str) -> list[QueueRow]:
    """A wave's submissions in one state (one query). "perlu-revisi" lists only
    those the trainee has not answered with a newer attempt yet."""
    newer = aliased(Submission)
    stmt = (
        db.select(Submission, User.name, User.is_opd_head, Agency.abbreviation)
        .join(User, User.id == Submission.user_id)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(Submission.wave_id == wave.id, Submission.status == status)
    )
    if status == REVISE:
        stmt = stmt.where(~db.select(newer.id).where(
            newer.user_id == Submission.user_id, newer.module_slug == Submission.module_slug,
            newer.attempt > Submission.attempt,
        ).exists())
    stmt = stmt.order_by(Submission.submitted_at if status == WAITING else Submission.reviewed_at.desc(), Submission.id)
    return [
        QueueRow(s.id, name, abbreviation, head, s.exercise_title, s.module_slug, s.attempt, s.status, s.submitted_at,
                 s.reviewed_at, s.score, s.max_score, s.video_url is not None, s.text_answer is not None, s.image_id is not None)
        for s, name, head, abbreviation in db.session.execute(stmt)
    ]


def waiting_counts(wave_ids: Sequence[int]) -> dict[int, int]:
    if not wave_ids:
        return {}
    rows = db.session.execute(
        db.select(Submission.wave_id, func.count(Submission.id))
        .where(Submission.wave_id.in_(list(wave_ids)), Submission.status == WAITING)
        .group_by(Submission.wave_id)
    )
    return dict(rows.all())


def waiting_for(user: User) -> int:
    """How many submissions wait for this staff member's review."""
    stmt = db.select(func.count(Submission.id)).where(Submission.status == WAITING)
    if not user.is_admin:
        stmt = stmt.join(wave_trainers, wave_trainers.c.wave_id == Submission.wave_id).where(wave_trainers.c.user_id == user.id)
    return db.session.scalar(stmt) or 0


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


# --- the home page -------------------------------------------------------------------


@dataclass(frozen=True)
class HomeExercise:
    module_slug: str
    title: str
    status: str | None  # None: not sent yet
    score: int | None
    max_score: int | None
    feedback: str | None

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class HomeSummary:
    items: list[HomeExercise] = field(default_factory=list)
    waiting_reviews: int | None = None  # staff only


HOME_LIMIT = 6


def home_summary(user: User) -> HomeSummary:
    """The trainee's exercises on their waves' paths (and any they sent), or,
    for staff, how many submissions wait for them. Fixed number of queries."""
    if user.is_staff:
        return HomeSummary(waiting_reviews=waiting_for(user))
    if user.role != Role.TRAINEE.value:
        return HomeSummary()
    my_waves = waves.waves_of(user)
    tracks = {w.track for w in my_waves}
    path_slugs: list[str] = []
    if my_waves:
        for slug in db.session.scalars(
            db.select(LearningPathItem.module_slug).where(LearningPathItem.wave_id.in_([w.id for w in my_waves]))
            .order_by(LearningPathItem.wave_id, LearningPathItem.position)
        ):
            if slug not in path_slugs:
                path_slugs.append(slug)
    latest: dict[str, Submission] = {}
    for s in db.session.scalars(
        db.select(Submission).where(Submission.user_id == user.id, Submission.status != WITHDRAWN)
        .order_by(Submission.attempt)
    ):
        if latest.get(s.module_slug) is None or latest[s.module_slug].status != APPROVED:
            latest[s.module_slug] = s
    slugs = path_slugs + [slug for slug in latest if slug not in path_slugs]
    if not slugs:
        return HomeSummary()
    exercises = {}
    for slug, number, content_hash, data in db.session.execute(
        db.select(Module.slug, ModuleRevision.number, ModuleRevision.content_hash, ModuleRevision.exercise)
        .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .where(Module.slug.in_(slugs), Module.retired_at.is_(None))
    ):
        spec = _spec(slug, number, content_hash, data)
        if spec is not None:
            exercises[slug] = spec
    items = []
    for slug in slugs:
        sent = latest.get(slug)
        spec = exercises.get(slug)
        if sent is None and (spec is None or not any(spec.applies_to(t) for t in tracks)):
            continue
        title = sent.exercise_title if sent is not None else spec.title
        items.append(HomeExercise(slug, title, sent.status if sent else None, sent.score if sent else None,
                                  sent.max_score if sent else None, sent.feedback if sent else None))
    # What needs doing first: revisions, then not sent, then waiting, then done.
    order = {REVISE: 0, None: 1, WAITING: 2, APPROVED: 3}
    items.sort(key=lambda i: order.get(i.status, 4))
    return HomeSummary(items=items[:HOME_LIMIT])


# --- the public gallery --------------------------------------------------------------


@dataclass(frozen=True)
class GalleryItem:
    name: str
    title: str
    provider: str
    video_id: str
    url: str


GALLERY_PAGE = 24


def gallery(page: int = 1) -> tuple[list[GalleryItem], bool]:
    """Approved videos whose makers agreed to show them, newest consent first.
    Only the name they chose and the exercise title; nothing else about them."""
    page = max(1, page)
    rows = db.session.execute(
        db.select(Submission.gallery_name, Submission.exercise_title, Submission.video_provider, Submission.video_id,
                  Submission.video_url)
        .join(User, User.id == Submission.user_id)
        .where(Submission.status == APPROVED, Submission.gallery_consent_at.is_not(None),
               Submission.video_url.is_not(None), User.active)
        .order_by(Submission.gallery_consent_at.desc(), Submission.id.desc())
        .offset((page - 1) * GALLERY_PAGE).limit(GALLERY_PAGE + 1)
    ).all()
    items = []
    for name, title, provider, video_id, url in rows[:GALLERY_PAGE]:
        link = links.rebuild(provider, video_id, url)
        if link is not None:
            items.append(GalleryItem(name or "", title, link.provider, link.video_id, link.url))
    return items, len(rows) > GALLERY_PAGE


# --- the OPD report ------------------------------------------------------------------


@dataclass
class ReportPerson:
    user_id: int
    name: str
    is_head: bool
    waves: list[str] = field(default_factory=list)  # wave codes
    submitted: set[str] = field(default_factory=set)  # module slugs with an attempt
    approved: set[str] = field(default_factory=set)
    videos: list[tuple[str, str]] = field(default_factory=list)  # (exercise title, canonical URL) approved

    @property
    def has_approved_video(self) -> bool:
        return bool(self.videos)


@dataclass
class ReportAgency:
    agency_id: int
    abbreviation: str
    name: str
    heads: list[ReportPerson] = field(default_factory=list)
    staff: list[ReportPerson] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """A head of the agency has an approved video."""
        return any(p.has_approved_video for p in self.heads)

    @property
    def people(self) -> list[ReportPerson]:
        return self.heads + self.staff

    @property
    def submitted(self) -> int:
        return sum(len(p.submitted) for p in self.people)

    @property
    def approved(self) -> int:
        return sum(len(p.approved) for p in self.people)


@dataclass
class OpdReport:
    agencies: list[ReportAgency]
    agencies_total: int  # active agencies in the reference list
    waves: list[Wave]  # for the filter
    stages: list[int]

    @property
    def done_count(self) -> int:
        return sum(1 for a in self.agencies if a.done)


def opd_report(wave_id: int | None = None, stage: int | None = None) -> OpdReport:
    """Per agency: its heads and staff holding a seat in a wave, their waves,
    exercises sent and approved, and links to approved videos. Filtered by
    wave and by stage (tahap). Four queries whatever the size of the data."""
    all_waves = list(db.session.scalars(db.select(Wave).order_by(Wave.starts_on.desc(), Wave.code)))
    people_stmt = (
        db.select(User.id, User.name, User.is_opd_head, Agency.id, Agency.abbreviation, Agency.name, Wave.code)
        .join(Agency, Agency.id == User.agency_id)
        .join(Enrolment, and_(Enrolment.user_id == User.id, Enrolment.status == ENROLLED))
        .join(Wave, Wave.id == Enrolment.wave_id)
        .where(User.role == Role.TRAINEE.value)
        .order_by(Agency.abbreviation, User.is_opd_head.desc(), User.name, User.id, Wave.code)
    )
    submissions_stmt = (
        db.select(Submission.user_id, Submission.module_slug, Submission.status, Submission.exercise_title,
                  Submission.video_url)
        .join(User, User.id == Submission.user_id)
        .outerjoin(Wave, Wave.id == Submission.wave_id)
        .where(User.agency_id.is_not(None), User.role == Role.TRAINEE.value, Submission.status != WITHDRAWN)
        .order_by(Submission.submitted_at, Submission.id)
    )
    if wave_id is not None:
        people_stmt = people_stmt.where(Wave.id == wave_id)
        submissions_stmt = submissions_stmt.where(Submission.wave_id == wave_id)
    if stage is not None:
        people_stmt = people_stmt.where(Wave.stage == stage)
        submissions_stmt = submissions_stmt.where(Wave.stage == stage)

    agencies: dict[int, ReportAgency] = {}
    people: dict[int, ReportPerson] = {}
    for user_id, name, head, agency_id, abbreviation, agency_name, code in db.session.execute(people_stmt):
        agency = agencies.get(agency_id)
        if agency is None:
            agency = agencies[agency_id] = ReportAgency(agency_id, abbreviation, agency_name)
        person = people.get(user_id)
        if person is None:
            person = people[user_id] = ReportPerson(user_id, name, bool(head))
            (agency.heads if head else agency.staff).append(person)
        if code not in person.waves:
            person.waves.append(code)
    for user_id, slug, status, title, url in db.session.execute(submissions_stmt):
        person = people.get(user_id)
        if person is None:
            continue
        person.submitted.add(slug)
        if status == APPROVED:
            person.approved.add(slug)
            if url:
                person.videos.append((title, url))
    total = db.session.scalar(db.select(func.count(Agency.id)).where(Agency.active)) or 0
    stages = sorted({w.stage for w in all_waves})
    return OpdReport(list(agencies.values()), total, all_waves, stages)
