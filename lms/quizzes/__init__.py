"""Quizzes: questions, the ```quiz block, grading, GIFT and Aiken import.

The modules imported here are pure logic (no database, no routes); attempts
(services.py), the trainee's quiz pages (pages.py), trainers' statistics
(statistics.py), question import (importing.py), models.py, routes.py and
forms.py sit on top of them. The layers above call:

- `parse_quiz_block(data, line_of)` → (Quiz | None, [(line, message)]);
  `validate_quiz_block(data, line_of)` → [(line, str)] for
  `lms.courses.importer.register_block_validator(app, "quiz", …)`
- `parse_gift(text)`, `parse_aiken(text)` → ImportResult
- `export_gift(questions, category=None)` → str
- `grade(question, response)` → GradeResult;
  `grade_attempt(questions, responses)` → AttemptResult(score, max_score, percent, results)
- `public_view(question, option_order)` → dict safe to send to a learner
- `Quiz.to_dict()` / `Quiz.from_dict()` (and the same on Question) for JSON storage
"""
from lms.quizzes.aiken import parse_aiken
from lms.quizzes.block import parse_quiz_block, validate_quiz_block
from lms.quizzes.gift import GiftExportError, export_gift, parse_gift
from lms.quizzes.grading import AttemptResult, GradeResult, grade, grade_attempt, parse_number, public_view
from lms.quizzes.questions import (
    ImportResult,
    NumericAnswer,
    Option,
    Pair,
    Question,
    Quiz,
    QuizSettings,
    ShortAnswer,
    choice_ids,
    matching_choices,
    slugify,
)

__all__ = [
    "AttemptResult", "GiftExportError", "GradeResult", "ImportResult", "NumericAnswer", "Option", "Pair",
    "Question", "Quiz", "QuizSettings", "ShortAnswer", "choice_ids", "export_gift", "grade", "grade_attempt",
    "matching_choices", "parse_aiken", "parse_gift", "parse_number", "parse_quiz_block", "public_view", "slugify",
    "validate_quiz_block",
]
