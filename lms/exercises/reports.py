"""What approved exercises show beyond the trainee: the public gallery of
videos whose makers agreed to show them, and the OPD report per agency.

Read-only, in a fixed number of queries.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func

from lms.agencies.models import Agency
from lms.auth.models import Role, User
from lms.exercises import links
from lms.exercises.models import APPROVED, WITHDRAWN, Submission
from lms.extensions import db
from lms.waves.models import ENROLLED, Enrolment, Wave


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
