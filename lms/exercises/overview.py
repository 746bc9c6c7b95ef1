"""The exercises part of the home page: a trainee's exercises on their waves'
paths with the state of their work, or, for staff, how many submissions wait
for their review.

Read-only; it combines the exercise of a module (`lms.exercises.services`)
with the trainers' queues (`lms.exercises.reviewing`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lms.auth.models import Role, User
from lms.courses.models import Module, ModuleRevision
from lms.exercises.models import APPROVED, REVISE, WAITING, WITHDRAWN, Submission
from lms.exercises.reviewing import waiting_for
from lms.exercises.services import STATUS_LABELS, spec_of
from lms.extensions import db
from lms.waves import services as waves
from lms.waves.models import LearningPathItem


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
        spec = spec_of(slug, number, content_hash, data)
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
