"""Quiz pages: intro, the attempt form, the result, and trainers' statistics."""
from __future__ import annotations

import functools
import html

import markdown
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, format_decimal, gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from lms.core.access import staff_required
from lms.core.db import begin_read, begin_write, utcnow
from lms.core.events import learner_progressed
from lms.courses.rendering import sanitise, trusted
from lms.extensions import db
from lms.quizzes import forms, pages, services
from lms.quizzes import statistics as quiz_statistics
from lms.quizzes.models import EXPIRED, OPEN
from lms.quizzes.questions import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUEFALSE,
    WEIGHTED,
    Question,
    matching_choices,
)

bp = Blueprint("quizzes", __name__, url_prefix="/kuis")

POLICY_NOTES = {
    pages.SHOW_AFTER_PASS: _l("Jawaban yang benar dan penjelasannya ditampilkan setelah Anda lulus kuis ini."),
    pages.SHOW_AFTER_LAST: _l("Jawaban yang benar dan penjelasannya ditampilkan setelah kesempatan terakhir Anda."),
    pages.SHOW_NEVER: _l("Kunci jawaban kuis ini tidak ditampilkan."),
}


# ------------------------------------------------------------ presentation


@functools.lru_cache(maxsize=4096)
def _render_text(text: str, text_format: str, inline: bool) -> str:
    """A question's or an option's text as safe HTML: Markdown and HTML are
    sanitised with the lessons' allow-list; plain text is escaped; Moodle's
    auto-format keeps line breaks."""
    if text_format == "markdown":
        out = sanitise(markdown.markdown(text, extensions=["sane_lists"], output_format="html"))
    elif text_format == "html":
        out = sanitise(text)
    elif text_format == "moodle":
        out = sanitise(text).replace("\n", "<br>")
    else:
        out = html.escape(text).replace("\n", "<br>")
    out = out.strip()
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


@bp.app_template_filter("quiz_text")
def quiz_text(text: str, text_format: str = "markdown") -> Markup:
    return trusted(_render_text(text or "", text_format or "plain", False))


@bp.app_template_filter("quiz_inline")
def quiz_inline(text: str, text_format: str = "markdown") -> Markup:
    return trusted(_render_text(text or "", text_format or "plain", True))


@bp.app_template_filter("quiz_percent")
def quiz_percent(value) -> str:
    if value is None:
        return "–"
    return format_decimal(round(float(value), 1), format="#,##0.#") + "%"


def _number(value: float) -> str:
    return format_decimal(value, format="#,##0.######")


def _html_list(question: Question, texts) -> list[Markup]:
    return [quiz_inline(t, question.text_format) for t in texts]


def right_answers(question: Question) -> list[Markup | str]:
    """What counts as right, for the result page (only when the policy allows)."""
    if question.type == SINGLE:
        return _html_list(question, [o.text for o in question.options if o.correct])
    if question.type == MULTIPLE:
        if question.scoring == WEIGHTED:
            return [Markup("{} ({})").format(quiz_inline(o.text, question.text_format), quiz_percent(o.weight))
                    for o in question.options if (o.weight or 0) > 0]
        return _html_list(question, [o.text for o in question.options if o.correct])
    if question.type == TRUEFALSE:
        return [_("Benar") if question.answer else _("Salah")]
    if question.type == SHORT:
        shown = []
        for answer in question.answers:
            text = answer.text.replace("\\*", "*")
            shown.append(text if answer.weight >= 100 else f"{text} ({quiz_percent(answer.weight)})")
        return shown
    if question.type == NUMERIC:
        shown = []
        for answer in question.numeric_answers:
            if answer.is_wildcard:
                continue
            if answer.is_range:
                text = _("%(min)s sampai %(max)s", min=_number(answer.min), max=_number(answer.max))
            elif answer.tolerance:
                text = f"{_number(answer.value)} ± {_number(answer.tolerance)}"
            else:
                text = _number(answer.value)
            shown.append(text if answer.weight >= 100 else f"{text} ({quiz_percent(answer.weight)})")
        return shown
    if question.type == MATCHING:
        return [Markup("{} → {}").format(quiz_inline(p.left, question.text_format),
                                         quiz_inline(p.right, question.text_format)) for p in question.pairs]
    return []


def your_answer(question: Question, response) -> list[Markup | str]:
    """The trainee's own answer, in words."""
    if response in (None, "", [], {}):
        return []
    if question.type in (SINGLE, MULTIPLE):
        chosen = response if isinstance(response, list) else [response]
        return _html_list(question, [o.text for o in question.options if o.id in chosen])
    if question.type == TRUEFALSE:
        return [_("Benar") if str(response).lower() == "true" else _("Salah")]
    if question.type == MATCHING:
        texts = dict(matching_choices(question))
        return [Markup("{} → {}").format(quiz_inline(p.left, question.text_format),
                                         quiz_inline(texts.get(response.get(p.id), "–"), question.text_format))
                for p in question.pairs if isinstance(response, dict) and response.get(p.id)]
    return [str(response)]


def _verdict(fraction: float) -> tuple[str, str]:
    if fraction >= 1.0:
        return "right", _("Benar")
    if fraction <= 0.0:
        return "wrong", _("Salah")
    return "partial", _("Sebagian benar (%(percent)s)", percent=quiz_percent(100 * fraction))


def _when(value) -> str:
    return format_datetime(value, "d MMM y, HH.mm") if value else ""


# ------------------------------------------------------------------- views


@bp.get("/<module_slug>")
def intro(module_slug: str):
    user = current_user._get_current_object()
    now = utcnow()
    overdue = pages.overdue_attempt_id(user, module_slug, now)
    if overdue is not None:
        # The time ran out while the trainee was away: close that attempt (the one write of this GET).
        begin_write()
        services.expire_attempt(user, overdue, now)
        db.session.commit()
        begin_read()
    found = pages.overview(user, module_slug)
    if found is None:
        abort(404)
    return render_template(
        "quizzes/intro.html", ov=found, info=found.info, settings=found.info.settings,
        form=forms.StartForm(), is_staff=user.is_staff, when=_when,
        question_count=min(found.info.settings.draw or len(found.info.quiz.questions), len(found.info.quiz.questions)),
    )


@bp.post("/<module_slug>/mulai")
def start(module_slug: str):
    form = forms.StartForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    try:
        started = services.start_attempt(user, module_slug, utcnow())
    except services.QuizError as error:
        db.session.commit()  # an attempt whose time ran out may have been closed on the way
        flash(str(error.message), "error")
        return redirect(url_for("quizzes.intro", module_slug=module_slug))
    if started is None:
        abort(404)
    db.session.commit()
    if started.resumed:
        flash(_("Anda melanjutkan percobaan yang belum dikirim."), "info")
    return redirect(url_for("quizzes.attempt", attempt_id=started.attempt_id))


def _render_attempt(page, responses: dict, errors: dict, now):
    remaining = services.seconds_left_at(page.attempt.deadline_at, now)
    return render_template(
        "quizzes/attempt.html", page=page, form=forms.AttemptForm(), responses=responses, errors=errors,
        field_name=forms.field_name, first_input_id=forms.first_input_id, seconds_left=remaining,
        deadline_text=format_datetime(page.attempt.deadline_at, "HH.mm") if page.attempt.deadline_at else None,
        total=len(page.views),
    )


@bp.get("/percobaan/<int:attempt_id>")
def attempt(attempt_id: int):
    user = current_user._get_current_object()
    now = utcnow()
    found = services.get_attempt(user, attempt_id)
    if found is None:
        abort(404)
    if found.status != OPEN:
        return redirect(url_for("quizzes.result", attempt_id=attempt_id))
    if services.is_overdue(found, now):
        begin_write()
        services.expire_attempt(user, attempt_id, now)
        db.session.commit()
        flash(_("Waktu mengerjakan kuis sudah habis. Percobaan ini ditutup."), "error")
        return redirect(url_for("quizzes.result", attempt_id=attempt_id))
    page = pages.attempt_page(user, attempt_id)
    return _render_attempt(page, {}, {}, now)


@bp.post("/percobaan/<int:attempt_id>")
def submit(attempt_id: int):
    form = forms.AttemptForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    now = utcnow()
    # Read the attempt and the answers without the write lock (SQLite: BEGIN IMMEDIATE
    # serialises writers; a wave of 500 submitting at once queues on it), then write.
    begin_read()
    found = services.get_attempt(user, attempt_id)
    if found is None:
        abort(404)
    if found.status != OPEN:  # a second tap, or a retried POST: the first one graded it
        return redirect(url_for("quizzes.result", attempt_id=attempt_id))
    page = pages.attempt_page(user, attempt_id)
    responses, errors = forms.read_answers(page.views, request.form)
    if errors and not services.is_overdue(found, now):
        return _render_attempt(page, responses, errors, now)  # nothing to write
    begin_write()  # submit_attempt closes the attempt only if it is still open: a race is harmless
    outcome = services.submit_attempt(user, attempt_id, responses, now)
    if outcome.graded_now and outcome.passed:
        learner_progressed.send(current_app._get_current_object(), user_id=user.id, now=now)
    db.session.commit()
    if outcome.expired and outcome.graded_now:
        flash(_("Jawaban datang setelah waktu habis, jadi tidak bisa dinilai. Percobaan ini ditutup."), "error")
    return redirect(url_for("quizzes.result", attempt_id=attempt_id))


@bp.get("/percobaan/<int:attempt_id>/hasil")
def result(attempt_id: int):
    user = current_user._get_current_object()
    found = services.get_attempt(user, attempt_id)
    if found is None:
        abort(404)
    if found.status == OPEN:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt_id))
    report = pages.attempt_report(user, attempt_id)
    items = []
    for item in report.items:
        kind, label = _verdict(item.grade.fraction)
        items.append({
            "item": item, "kind": kind, "label": label,
            "yours": your_answer(item.question, item.response),
            "right": right_answers(item.question),
        })
    return render_template(
        "quizzes/result.html", report=report, items=items, expired=report.attempt.status == EXPIRED,
        policy_note=POLICY_NOTES.get(report.policy), form=forms.StartForm(), when=_when,
        score_text=format_decimal(round(report.score, 2), format="#,##0.##"),
        max_text=format_decimal(report.max_score, format="#,##0.##"),
    )


@bp.get("/<module_slug>/statistik")
@staff_required
def statistics(module_slug: str):
    found = quiz_statistics.statistics(module_slug)
    if found is None:
        abort(404)
    return render_template("quizzes/statistics.html", stats=found, info=found.info,
                           weak_limit=quiz_percent(quiz_statistics.WEAK_FACILITY))

