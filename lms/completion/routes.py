from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.auth.models import User
from lms.completion import grid as grid_rows
from lms.completion import providers, services
from lms.core.access import staff_required
from lms.core.db import utcnow
from lms.core.events import learner_progressed, wave_completed
from lms.core.exports import csv_bytes, xlsx_bytes
from lms.extensions import db
from lms.waves import services as waves

bp = Blueprint("completion", __name__)

_MARKS = {services.MODULE_DONE: "✓", services.MODULE_STARTED: "◐"}


@lru_cache(maxsize=16384)
def _cell_html(locale: str, title: str, status: str, score: int | None, passed: bool, exercise: str | None) -> Markup:
    """One module cell; Markup.format escapes every value. Keyed by the reader's
    locale, so each distinct cell is built and its words translated once."""
    parts = [Markup('<td class="module-col cell-{}" title="{}">').format(status, title),
             Markup('  <span aria-hidden="true">{}</span>').format(_MARKS.get(status, "·")),
             Markup('  <span class="visually-hidden">{}</span>').format(services.MODULE_LABELS[status])]
    if score is not None:
        parts.append(Markup('  <span class="score{}">{}</span>').format(" passed" if passed else "", score))
    if exercise:
        parts.append(Markup('  <span class="exercise exercise-{}">{}</span>').format(exercise, providers.exercise_label(exercise)))
    parts.append(Markup("</td>"))
    return Markup("\n").join(parts)


@bp.app_template_filter("progress_cells")
def progress_cells(row) -> Markup:
    """A grid row's module cells as HTML. The same markup came from a Jinja loop,
    which took ~0.2 s of the page for a wave of 500 × 30 (docs/performance.md);
    the few distinct cells are built once and reused."""
    locale = str(get_locale())
    return Markup("\n").join(
        _cell_html(locale, cell.module.title, cell.status, None if cell.best_score is None else int(round(cell.best_score)),
                   cell.quiz_passed, cell.exercise_status)
        for cell in row.cells
    )


def _managed_wave(wave_id: int):
    wave = waves.get_wave(wave_id)
    if wave is None or not waves.can_manage(current_user, wave):
        abort(404)  # a wave this trainer is not assigned to does not exist for them
    return wave


@bp.get("/gelombang/<int:wave_id>/kemajuan")
@staff_required
def grid(wave_id: int):
    wave = _managed_wave(wave_id)
    status = request.args.get("status") or None
    sort = request.args.get("urut", "nama")
    number = request.args.get("halaman", 1, type=int)
    progress = services.evaluate(wave, utcnow())
    page = grid_rows.page_of(grid_rows.filtered(progress, status, sort), number)
    return render_template(
        "completion/grid.html",
        wave=wave,
        progress=progress,
        page=page,
        counts=progress.counts(),
        labels=services.STATUS_LABELS,
        status=status,
        sort=sort,
    )


@bp.get("/gelombang/<int:wave_id>/kemajuan/<int:user_id>")
@staff_required
def trainee(wave_id: int, user_id: int):
    wave = _managed_wave(wave_id)
    person = db.session.get(User, user_id) or abort(404)
    row = services.trainee_progress(wave, person, utcnow())
    if row is None:
        abort(404)
    return render_template("completion/trainee.html", wave=wave, row=row, module_labels=services.MODULE_LABELS,
                           exercise_label=providers.exercise_label)


def _export_table(wave):
    progress = services.evaluate(wave, utcnow())
    header = [_("Nama"), _("Nomor HP"), _("Perangkat daerah"), _("Status"), _("Kemajuan (%)"), _("Modul selesai"),
              _("Kuis belum lulus"), _("Tugas belum disetujui"), _("Hadir"), _("Pertemuan")]
    for module in progress.path:
        header += [module.title, _("Skor kuis: %(m)s", m=module.title)]
    rows = []
    for row in progress.rows:
        line = [row.user.name, row.user.phone or row.user.email or "", row.user.agency.abbreviation if row.user.agency else "",
                str(row.status_label), row.percent, row.modules_done, row.quizzes_missing, row.exercises_missing,
                row.attended, row.held]
        for cell in row.cells:
            line += [cell.status, None if cell.best_score is None else round(cell.best_score, 1)]
        rows.append(line)
    return header, rows


@bp.get("/gelombang/<int:wave_id>/kemajuan.csv")
@staff_required
def export_csv(wave_id: int):
    wave = _managed_wave(wave_id)
    header, rows = _export_table(wave)
    return _download(csv_bytes(header, rows), f"kemajuan-{wave.code}.csv", "text/csv; charset=utf-8")


@bp.get("/gelombang/<int:wave_id>/kemajuan.xlsx")
@staff_required
def export_xlsx(wave_id: int):
    wave = _managed_wave(wave_id)
    header, rows = _export_table(wave)
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(xlsx_bytes(header, rows, sheet=wave.code), f"kemajuan-{wave.code}.xlsx", mimetype)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def record_on_progress(sender, user_id: int, now, **_extra) -> None:
    """Receiver of `learner_progressed`: record newly completed waves."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    for wave in services.record_completions(user, now):
        wave_completed.send(sender, user_id=user.id, wave_id=wave.id, now=now)


def init_app(app) -> None:
    learner_progressed.connect(record_on_progress, app)
