"""Reviewing practical exercises: who may review or view a submission, the
rubric's score, the decision (lulus or perlu revisi) and the trainers' queues.

Plain functions with explicit arguments (`reviewer`, `now`); they flush, never
commit, and raise `ExerciseError(field, message)` when a rule refuses.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import aliased

from lms.agencies.models import Agency
from lms.auth.models import User
from lms.exercises.block import ExerciseSpec
from lms.exercises.models import APPROVED, REVIEWED, REVISE, WAITING, Submission
from lms.exercises.services import FEEDBACK_MAX, Exercise, ExerciseError, clean_text, record_event
from lms.extensions import db
from lms.waves import services as waves
from lms.waves.models import Wave, wave_trainers

QUEUE_FILTERS = (WAITING, REVISE, APPROVED)


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
    feedback = clean_text(feedback)
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
    record_event(submission, reviewer, REVIEWED, WAITING, decision, now, note=feedback, score=result.score)
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
