"""Importing questions into a module's quiz as a new revision (`lms import-questions`),
and reading them back for export."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func

from lms.courses.models import Module, ModuleRevision
from lms.extensions import db
from lms.quizzes.questions import Question, Quiz, QuizSettings, unique_id
from lms.quizzes.services import current_quiz, load_quiz


@dataclass
class QuestionImport:
    """What `import_questions` did or would do."""

    module_slug: str
    problems: list[str] = field(default_factory=list)  # refusals (nothing is written)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    added: int = 0
    replaced: int = 0  # questions of the previous quiz dropped by --replace
    total: int = 0
    revision_number: int | None = None  # the new revision (None with dry_run or problems)
    content_hash: str | None = None
    quiz: Quiz | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def quiz_hash(quiz: Quiz) -> str:
    """The content hash of a revision made by import-questions: sha256 of "questions:" + the quiz JSON."""
    text = json.dumps(quiz.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(("questions:" + text).encode("utf-8")).hexdigest()


def import_questions(module_slug: str, questions: Sequence[Question], now: datetime, *, replace: bool = False,
                     dry_run: bool = False, line_of: Mapping[str, int] | None = None,
                     created_by: int | None = None) -> QuestionImport:
    """Store a new revision of the module with these questions appended to its quiz (or replacing them).

    The new revision copies the current one (title, metadata, body, table of
    contents, exercise); the quiz keeps its settings (the defaults if the
    module had none). Ids that clash with questions already in the quiz get
    a suffix ("q1" → "q1-2", with a warning). With `dry_run` nothing is written.
    """
    outcome = QuestionImport(module_slug)
    row = db.session.execute(
        db.select(Module, ModuleRevision).join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
        .where(Module.slug == module_slug)
    ).first()
    if row is None:
        outcome.problems.append(f"unknown module '{module_slug}' (or it has no revision yet)")
        return outcome
    module, revision = row
    existing = load_quiz(revision.quiz)
    settings = existing.settings if existing is not None else QuizSettings()
    kept = [] if replace or existing is None else list(existing.questions)
    outcome.replaced = len(existing.questions) if replace and existing is not None else 0
    used = {q.id for q in kept}
    added: list[Question] = []
    for question in questions:
        qid = unique_id(question.id, used)
        if qid != question.id:
            line = (line_of or {}).get(question.id, 0)
            outcome.warnings.append((line, f"id '{question.id}' is already in the quiz; stored as '{qid}'"))
            question = Question.from_dict({**question.to_dict(), "id": qid})
        added.append(question)
    if not added:
        outcome.problems.append("no questions to import")
    all_questions = kept + added
    if settings.draw and settings.draw > len(all_questions):
        outcome.problems.append(f"the quiz draws {settings.draw} questions per attempt but would hold "
                                f"only {len(all_questions)}")
    quiz = Quiz(settings=settings, questions=tuple(all_questions))
    outcome.quiz, outcome.added, outcome.total = quiz, len(added), len(all_questions)
    outcome.content_hash = quiz_hash(quiz)
    if outcome.problems or dry_run:
        return outcome
    number = (db.session.scalar(
        db.select(func.max(ModuleRevision.number)).where(ModuleRevision.module_id == module.id)
    ) or 0) + 1
    new = ModuleRevision(
        module_id=module.id, number=number, content_hash=outcome.content_hash, title=revision.title,
        meta=dict(revision.meta or {}), body_html=revision.body_html, toc=list(revision.toc or []),
        quiz=quiz.to_dict(), exercise=revision.exercise, created_at=now, created_by=created_by,
    )
    db.session.add(new)
    db.session.flush()
    module.current_revision_id = new.id
    db.session.flush()
    outcome.revision_number = number
    return outcome


def current_questions(module_slug: str) -> list[Question] | None:
    """The questions of the module's current quiz (for export); None if the module has no quiz."""
    info = current_quiz(module_slug)
    return list(info.quiz.questions) if info is not None else None
