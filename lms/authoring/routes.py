"""Authoring pages (`/tulis/…`): trainers and admins write and fix courses
and modules in the browser. Every view is staff-only; every change is a POST
with the CSRF token and commits once."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from lms.authoring import canonical, diffs, forms, images, pipeline, services
from lms.core.access import staff_required
from lms.core.db import begin_read, begin_write, utcnow
from lms.courses import format as fmt
from lms.courses import importer, rendering
from lms.extensions import db

bp = Blueprint("authoring", __name__, url_prefix="/tulis")

ONE_YEAR = 365 * 24 * 3600
SOURCE_LABELS = {
    services.SOURCE_FILE: _l("impor berkas"),
    services.SOURCE_BROWSER: _l("ditulis di browser"),
    services.SOURCE_SYNCED: _l("ditulis di browser, sudah diekspor ke berkas"),
    None: _l("impor soal (GIFT/Aiken)"),
}
# The video placeholder's texts are stored in Indonesian inside the HTML
# (lms.courses.rendering); the preview shows them in the reader's language.
PLACEHOLDER_TRANSLATIONS = {
    rendering.PLAY_LABEL: _l("Putar video"),
    rendering.NOTE_LABEL: _l("Video baru dimuat setelah Anda menekan tombol (memakai kuota data)."),
    rendering.OPEN_LABELS["youtube"]: _l("Tonton di YouTube"),
    rendering.OPEN_LABELS["tiktok"]: _l("Tonton di TikTok"),
}
MSG_DRAFT_CONFLICT = _l("Materi ini baru saja disimpan oleh %(name)s pada %(time)s. Perubahan Anda belum disimpan.")
MSG_PUBLISHED_CONFLICT = _l("Materi ini baru saja diterbitkan oleh %(name)s pada %(time)s. Perubahan Anda belum disimpan.")
MSG_COURSE_CONFLICT = _l("Kursus ini baru saja diubah oleh %(name)s pada %(time)s. Perubahan Anda belum disimpan.")
MSG_CONFLICT_HINT = _l("Teks Anda masih ada di formulir. Bandingkan dengan versi terbaru di bawah; bila versi Anda yang "
                       "benar, tekan tombol yang sama sekali lagi untuk menimpanya.")
MSG_SOMEONE = _l("pengguna lain")
MSG_IMPORT = _l("impor berkas")


def _courses_path() -> Path:
    return Path(current_app.config["LMS_COURSES_PATH"])


def _validators() -> dict:
    return importer.block_validators(current_app)


def _today() -> str:
    return (utcnow() + timedelta(hours=7)).date().isoformat()  # Kota Malang is UTC+7 (WIB)


def _localise(html: str) -> str:
    return rendering.localise_placeholders(html, lambda text: str(PLACEHOLDER_TRANSLATIONS.get(text, text)))


def _when(moment) -> str:
    return format_datetime(moment, "d MMMM y, HH.mm") if moment else ""


def _conflict_view(conflict: services.Conflict, their_text: str) -> dict:
    template = {services.DRAFT: MSG_DRAFT_CONFLICT, services.PUBLISHED: MSG_PUBLISHED_CONFLICT,
                services.COURSE: MSG_COURSE_CONFLICT}[conflict.kind]
    who = conflict.who or (MSG_IMPORT if conflict.kind == services.COURSE or conflict.by_import else MSG_SOMEONE)
    return {
        "message": template % {"name": who, "time": _when(conflict.when)},
        "hint": MSG_CONFLICT_HINT,
        "diff": diffs.diff_texts(conflict.current_text, their_text),
    }


# --- overview -------------------------------------------------------------------------


@bp.get("")
@staff_required
def index():
    return render_template("authoring/index.html", courses=services.overview(), source_labels=SOURCE_LABELS)


# --- the module editor ------------------------------------------------------------------


class _Editor:
    """The editor's forms, from the request or from stored data, and what the checks found."""

    def __init__(self, state: services.Editing, formdata=None):
        self.state = state
        course = state.course
        if formdata is None:
            data = state.input
            self.form = forms.ModuleForm(formdata=forms.module_formdata(data.title, data.order, data.meta, data.body))
            self.form.draft_version.data = str(state.draft_version)
            self.form.base_revision.data = str(state.base_revision)
            self.quiz = forms.QuizForm(forms.quiz_formdata(data.quiz), prefix="quiz")
            self.exercise = forms.ExerciseForm(forms.exercise_formdata(data.exercise, state.module.slug), prefix="exercise")
        else:
            self.form = forms.ModuleForm(formdata=formdata)
            self.quiz = forms.QuizForm(formdata, prefix="quiz")
            self.exercise = forms.ExerciseForm(formdata, prefix="exercise")
        self.images = services.image_reader(course.slug, _courses_path())
        self.errors: dict[str, list] = {}
        self.summary: list[tuple[str, str]] = []
        self.body_problems: list[tuple[int, str]] = []
        self.other_problems: list[str] = []
        self.checked = False

    # what was typed
    def input(self) -> services.ModuleInput:
        order = self.form.order.data if self.form.order.data is not None else getattr(self.form.order, "raw_text", "")
        quiz, self.quiz_ids = forms.quiz_data(self.quiz)
        exercise, self.exercise_ids = forms.exercise_data(self.exercise)
        return services.ModuleInput((self.form.title.data or "").strip(), order, forms.module_meta(self.form),
                                    canonical.normalise_newlines(self.form.body.data or ""), quiz, exercise,
                                    original=self.state.input.original if self.state.input else None)

    def versions(self) -> tuple[int, int]:
        def number(value) -> int:
            try:
                return int(value or 0)
            except (TypeError, ValueError):
                return -1

        return number(self.form.draft_version.data), number(self.form.base_revision.data)

    def set_versions(self, draft_version: int, base_revision: int) -> None:
        self.form.draft_version.data = str(draft_version)
        self.form.base_revision.data = str(base_revision)

    # the checks
    def validate(self) -> bool:
        """Every check the import makes, with each problem next to its field. True when nothing was found."""
        self.checked = True
        data = self.input()
        self.form.validate()
        for field in _fields(self.form):
            if field.errors and field.type not in ("FieldList", "FormField", "CSRFTokenField"):
                self._error(field.id, field.errors[0])
        if self.form.sources.errors and not any(self.errors.get(e.form.title.id) or self.errors.get(e.form.url.id)
                                                or self.errors.get(e.form.date.id) for e in self.form.sources.entries):
            self._error("sources", self.form.sources.errors[0])
        for kind, block, ids in (("quiz", data.quiz, self.quiz_ids), ("exercise", data.exercise, self.exercise_ids)):
            if block is None:
                continue
            for path, message in pipeline.validate_block(kind, block, _validators()):
                self._error(_field_for(ids, path, message), message)
        preview = pipeline.preview_body(data.body, self.state.course.slug, self.images)
        self.body_problems = [(line, str(message)) for line, message in preview.problems]
        for line, message in self.body_problems:
            self.summary.append((self.form.body.id, _("Isi materi, baris %(line)d: %(message)s", line=line, message=message)))
        return not self.summary

    def full_check(self, problems) -> None:
        """Problems the import pipeline found in the whole module text."""
        data = self.input()
        text = data.text(self.state.module.slug)
        front, body_text, _blocks = canonical.split_module_text(text)
        first_body_line = front.count("\n") + 3  # "---", the front matter, "---"
        body, other = pipeline.problems_by_line(problems, first_body_line, body_text.split("\n"))
        for line, message in body:
            self.body_problems.append((line, str(message)))
            self.summary.append((self.form.body.id, _("Isi materi, baris %(line)d: %(message)s", line=line, message=message)))
        for message in other:
            self.other_problems.append(str(message))
            self.summary.append(("editor-problems", str(message)))

    def _error(self, field_id: str, message) -> None:
        message = str(message)
        self.errors.setdefault(field_id, []).append(message)
        self.summary.append((field_id, message))

    def pad(self) -> None:
        forms.pad_sources(self.form)
        forms.pad_quiz(self.quiz)
        forms.pad_exercise(self.exercise)

    def preview(self) -> pipeline.Preview:
        return pipeline.preview_body(canonical.normalise_newlines(self.form.body.data or ""), self.state.course.slug,
                                     self.images)


def _fields(form):
    for field in form:
        yield field
        if field.type == "FieldList":
            for entry in field.entries:
                yield entry
                if entry.type == "FormField":
                    yield from _fields(entry.form)


def _field_for(ids: dict[tuple, str], path: tuple, message: str = "") -> str:
    """The form field a block problem is about: its path inside the block, or
    the key the message names when the validator reported the missing key on
    its parent ("… 'title' wajib diisi")."""
    path = tuple(path)
    for key in re.findall(r"'([a-z_]+)'", message):
        if path + (key,) in ids:
            return ids[path + (key,)]
    while path and path not in ids:
        path = path[:-1]
    return ids.get(path, ids.get((), "quiz-enabled"))


def _render_editor(editor: _Editor, *, conflict: dict | None = None, status: int = 200, notice: str | None = None):
    editor.pad()
    preview = editor.preview()
    state = editor.state
    return render_template(
        "authoring/module.html",
        state=state, form=editor.form, quiz=editor.quiz, exercise=editor.exercise,
        errs=editor.errors, summary=editor.summary, body_problems=editor.body_problems,
        other_problems=editor.other_problems, conflict=conflict, notice=notice,
        preview_html=_localise(preview.html), images=services.course_images(state.course),
        current_number=state.current.number if state.current else None,
        lesson_url=url_for("courses.lesson", course_slug=state.course.slug, module_slug=state.module.slug)
        if state.current else None,
    ), status


@bp.get("/modul/<slug>")
@staff_required
def edit_module(slug: str):
    state = services.editing(slug, _courses_path())
    if state is None:
        abort(404)
    if state.input is None:
        return render_template("authoring/missing_source.html", state=state)
    editor = _Editor(state)
    if state.draft is not None and (state.current is not None or state.draft.body):
        editor.validate()  # a saved draft shows what still stands in the way of publishing
    return _render_editor(editor)


@bp.post("/modul/<slug>")
@staff_required
def save_module(slug: str):
    state = services.editing(slug, _courses_path())
    if state is None:
        abort(404)
    if state.input is None:
        abort(409)
    editor = _Editor(state, CombinedMultiDict([request.form, request.files]))
    action = request.form.get("action", "save")
    if action == "add-question":
        forms.add_question(editor.quiz)
        return _render_editor(editor)
    if action == "add-criterion":
        forms.add_criterion(editor.exercise)
        return _render_editor(editor)
    if action == "add-source":
        editor.form.sources.append_entry()
        return _render_editor(editor)
    if action == "preview":
        editor.validate()
        return _render_editor(editor)
    if action == "upload":
        return _upload_in_form(editor)
    if action == "discard":
        draft_version, _base = editor.versions()
        if services.discard_draft(state.module, draft_version):
            db.session.commit()
            flash(_("Draf dibuang. Formulir kembali ke versi yang terbit."), "success")
        else:
            flash(_("Draf tidak dibuang: ada yang baru saja menyimpannya. Periksa dulu isinya."), "warning")
        return redirect(url_for("authoring.edit_module", slug=slug))

    data = editor.input()
    draft_version, base_revision = editor.versions()
    user = current_user._get_current_object()
    clean = editor.validate()
    now = utcnow()
    try:
        if action == "publish" and clean:
            revision = services.publish(state.module, state.course, data, user, now, draft_version=draft_version,
                                        base_revision=base_revision, validators=_validators(), images=editor.images,
                                        courses_path=_courses_path())
        else:
            services.save_draft(state.module, data, user, now, draft_version=draft_version,
                                base_revision=base_revision, courses_path=_courses_path())
            revision = None
    except services.Conflict as conflict:
        db.session.rollback()
        editor.set_versions(conflict.draft_version, conflict.base_revision)
        return _render_editor(editor, conflict=_conflict_view(conflict, data.text(state.module.slug)), status=409)
    except services.NotPublishable as refused:
        db.session.commit()  # the draft is saved; publishing waits for the fixes
        editor.full_check(refused.checked.problems)
        draft = services.draft_of(state.module)
        editor.set_versions(draft.lock_version, draft.base_revision_number or 0)
        return _render_editor(editor, status=422, notice=_("Draf disimpan, tetapi belum bisa diterbitkan."))
    except services.NoChange:
        db.session.commit()
        flash(_("Tidak ada perubahan dibanding versi yang sedang terbit; draf dibuang."), "info")
        return redirect(url_for("authoring.edit_module", slug=slug))
    db.session.commit()
    if revision is not None:
        flash(_("Versi %(n)d diterbitkan. Peserta kini membaca versi ini.", n=revision.number), "success")
        return redirect(url_for("authoring.edit_module", slug=slug))
    if action == "publish" or not clean:
        draft = services.draft_of(state.module)
        editor.set_versions(draft.lock_version, draft.base_revision_number or 0)
        return _render_editor(editor, status=422 if action == "publish" else 200,
                              notice=_("Draf disimpan, tetapi masih ada yang perlu diperbaiki sebelum diterbitkan."))
    flash(_("Draf disimpan. Peserta belum melihatnya sampai diterbitkan."), "success")
    return redirect(url_for("authoring.edit_module", slug=slug))


def _upload_in_form(editor: _Editor):
    """The editor's "Unggah" button without JavaScript: store the image and
    add its Markdown to the end of the body (nothing else is saved)."""
    upload = request.files.get(editor.form.image.name)
    data = upload.read(images.MAX_BYTES + 1) if upload else b""
    try:
        clean = images.reencode(data)
    except images.ImageError as error:
        editor._error(editor.form.image.id, error.message)
        return _render_editor(editor, status=413 if len(data) > images.MAX_BYTES else 400)
    image = services.store_image(editor.state.course, upload.filename, clean, current_user._get_current_object(),
                                 utcnow(), _courses_path())
    db.session.commit()
    alt = (editor.form.image_alt.data or "").strip() or services.MARKDOWN_ALT
    body = (editor.form.body.data or "").rstrip("\r\n")
    editor.form.body.data = f"{body}\n\n![{alt}]({image.filename})\n" if body else f"![{alt}]({image.filename})\n"
    editor.form.image_alt.data = ""
    return _render_editor(editor, notice=_("Gambar %(name)s diunggah dan ditambahkan di akhir isi materi. "
                                           "Simpan draf agar tidak hilang.", name=image.filename))


# --- images ---------------------------------------------------------------------------


@bp.post("/kursus/<course_slug>/gambar")
@staff_required
def upload_image(course_slug: str):
    """Upload from the editor's toolbar (fetch): JSON with the file name and its Markdown."""
    course = services.course_by_slug(course_slug)
    if course is None:
        abort(404)
    upload = request.files.get("image")
    data = upload.read(images.MAX_BYTES + 1) if upload else b""
    if len(data) > images.MAX_BYTES:
        return jsonify(error=str(images.MSG_TOO_BIG)), 413
    begin_read()  # re-encoding takes a moment: no write lock meanwhile
    try:
        clean = images.reencode(data)
    except images.ImageError as error:
        return jsonify(error=str(error.message)), 400
    begin_write()
    course = services.course_by_slug(course_slug)
    image = services.store_image(course, upload.filename, clean, current_user._get_current_object(), utcnow(),
                                 _courses_path())
    db.session.commit()
    alt = (request.form.get("alt") or "").strip().replace("]", "") or services.MARKDOWN_ALT
    return jsonify(filename=image.filename, markdown=f"![{alt}]({image.filename})",
                   url=url_for("courses.asset", course_slug=course_slug, filename=image.filename),
                   width=image.width, height=image.height)


def serve_stored_image(course_slug: str, filename: str) -> Response | None:
    """The course asset route's source for images uploaded in the browser
    (registered with lms.courses.importer.register_image_source)."""
    found = services.stored_image(course_slug, filename)
    if found is None:
        return None
    response = Response(found.data, mimetype=found.mimetype)
    response.set_etag(found.sha256)
    response.cache_control.max_age = ONE_YEAR
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# --- the live preview ---------------------------------------------------------------------


@bp.post("/pratinjau")
@staff_required
def preview():
    """The editor's live preview: the body rendered by the import pipeline
    (sanitised HTML) and every problem the import would report, as JSON."""
    begin_read()  # only reads
    module_slug = request.form.get("module", "")
    if module_slug:
        state = services.editing(module_slug, _courses_path())
        if state is None or state.input is None:
            abort(404)
        editor = _Editor(state, request.form)
        editor.validate()
        result = editor.preview()
        problems = [{"field": field_id, "message": message} for field_id, message in editor.summary]
        return jsonify(html=_localise(result.html), toc=result.toc, problems=problems,
                       lines=[{"line": line, "message": message} for line, message in editor.body_problems])
    course = services.course_by_slug(request.form.get("course", ""))
    if course is None:
        abort(404)
    result = pipeline.preview_body(request.form.get("intro", ""), course.slug,
                                   services.image_reader(course.slug, _courses_path()), allow_blocks=False)
    lines = [{"line": line, "message": str(message)} for line, message in result.problems]
    problems = [{"field": "intro", "message": _("Pengantar, baris %(line)d: %(message)s", line=p["line"],
                                                message=p["message"])} for p in lines]
    return jsonify(html=_localise(result.html), toc=result.toc, problems=problems, lines=lines)


# --- history ---------------------------------------------------------------------------------


def _module_or_404(slug: str) -> tuple:
    found = services.module_by_slug(slug)
    if found is None:
        abort(404)
    return found


@bp.get("/modul/<slug>/riwayat")
@staff_required
def history(slug: str):
    module, course = _module_or_404(slug)
    rows = services.history(module)
    return render_template("authoring/history.html", module=module, course=course, rows=rows,
                           source_labels=SOURCE_LABELS, restore_form=forms.RestoreForm(),
                           current_number=next((r.number for r in rows if r.current), 0))


@bp.get("/modul/<slug>/riwayat/beda")
@staff_required
def compare(slug: str):
    module, course = _module_or_404(slug)
    old_number, new_number = request.args.get("dari", type=int), request.args.get("ke", type=int)
    old = services.revision_by_number(module, old_number) if old_number else None
    new = services.revision_by_number(module, new_number) if new_number else None
    if old is None or new is None:
        abort(404)
    old_text = services.revision_text(module, old, _courses_path())
    new_text = services.revision_text(module, new, _courses_path())
    diff = diffs.diff_texts(old_text or "", new_text or "") if old_text is not None and new_text is not None else None
    return render_template("authoring/compare.html", module=module, course=course, old=old, new=new, diff=diff,
                           rows=services.history(module))


@bp.post("/modul/<slug>/riwayat/<int:number>/pulihkan")
@staff_required
def restore(slug: str, number: int):
    module, course = _module_or_404(slug)
    form = forms.RestoreForm()
    try:
        expected = int(form.current.data or 0)
    except ValueError:
        abort(400)
    try:
        revision = services.restore(module, course, number, current_user._get_current_object(), utcnow(),
                                    expected_current=expected, validators=_validators(),
                                    images=services.image_reader(course.slug, _courses_path()),
                                    courses_path=_courses_path())
    except services.Conflict as conflict:
        db.session.rollback()
        flash(_conflict_view(conflict, "")["message"].replace(_("Perubahan Anda belum disimpan."),
                                                              _("Versi lama belum dipulihkan.")), "warning")
        return redirect(url_for("authoring.history", slug=slug))
    except services.NoChange:
        db.session.rollback()
        flash(_("Versi %(n)d sama dengan versi yang sedang terbit; tidak ada yang dipulihkan.", n=number), "info")
        return redirect(url_for("authoring.history", slug=slug))
    except services.NotPublishable as refused:
        db.session.rollback()
        flash(_("Versi %(n)d tidak bisa diterbitkan lagi: %(problems)s", n=number,
                problems="; ".join(str(p.message) for p in refused.checked.problems[:5])), "error")
        return redirect(url_for("authoring.history", slug=slug))
    except services.AuthoringError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("authoring.history", slug=slug))
    db.session.commit()
    flash(_("Isi versi %(old)d diterbitkan lagi sebagai versi %(new)d.", old=number, new=revision.number), "success")
    return redirect(url_for("authoring.history", slug=slug))


# --- creating modules --------------------------------------------------------------------------


@bp.route("/kursus/<course_slug>/modul-baru", methods=["GET", "POST"])
@staff_required
def new_module(course_slug: str):
    course = services.course_by_slug(course_slug)
    if course is None:
        abort(404)
    form = forms.NewModuleForm()
    if form.validate_on_submit():
        try:
            module = services.create_module(course, form.slug.data, form.title.data.strip(), form.order.data,
                                            current_user._get_current_object(), utcnow(), _today())
        except services.AuthoringError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Modul dibuat sebagai draf. Lengkapi isinya, lalu terbitkan."), "success")
            return redirect(url_for("authoring.edit_module", slug=module.slug))
    return render_template("authoring/new_module.html", form=form, course=course)


# --- courses ------------------------------------------------------------------------------------


def _course_form_choices(form: forms.CourseForm, course) -> None:
    choices = services.published_modules(course) if course is not None else []
    for track in ("umum", "opd", "lansia"):
        getattr(form, f"required_{track}").choices = forms.choices(choices)


def _course_values(form: forms.CourseForm) -> services.CourseValues:
    required = {}
    for track in ("umum", "opd", "lansia"):
        chosen = getattr(form, f"required_{track}").data or []
        if chosen:
            required[track] = list(chosen)
    return services.CourseValues(
        title=form.title.data.strip(), summary=" ".join((form.summary.data or "").split()), order=form.order.data,
        tracks=[t for t, _label in forms.TRACK_CHOICES if t in (form.tracks.data or [])],
        estimated_hours=forms.number(form.estimated_hours.data), cover=(form.cover.data or "").strip() or None,
        required=required,
    )


def _check_intro(form: forms.CourseForm, course_slug: str) -> tuple[pipeline.Preview, list[str]]:
    result = pipeline.preview_body(form.intro.data or "", course_slug,
                                   services.image_reader(course_slug, _courses_path()), allow_blocks=False)
    messages = [_("Pengantar, baris %(line)d: %(message)s", line=line, message=str(message))
                for line, message in result.problems]
    return result, messages


def _check_cover(form: forms.CourseForm, course_slug: str) -> None:
    cover = (form.cover.data or "").strip()
    if cover and (not fmt.IMAGE_NAME_RE.match(cover)
                  or services.image_reader(course_slug, _courses_path())(cover) is None):
        form.cover.errors = list(form.cover.errors) + [_("Gambar sampul itu belum ada. Unggah dulu, lalu tulis nama berkasnya.")]


@bp.route("/kursus/baru", methods=["GET", "POST"])
@staff_required
def new_course():
    form = forms.NewCourseForm()
    _course_form_choices(form, None)
    intro_problems: list[str] = []
    if request.method == "GET":
        form.order.data = 1
        form.tracks.data = ["umum", "opd", "lansia"]
    if form.validate_on_submit():
        result, intro_problems = _check_intro(form, form.slug.data)
        _check_cover(form, form.slug.data)
        if not intro_problems and not form.cover.errors:
            try:
                course = services.create_course(form.slug.data, _course_values(form), form.intro.data or "", result.html,
                                                current_user._get_current_object(), utcnow())
            except services.AuthoringError as error:
                db.session.rollback()
                form.slug.errors.append(error.message)
            else:
                db.session.commit()
                flash(_("Kursus dibuat. Tambahkan modulnya; kursus muncul di katalog setelah ada modul yang terbit."),
                      "success")
                return redirect(url_for("authoring.edit_course", course_slug=course.slug))
    return render_template("authoring/course.html", form=form, course=None, intro_problems=intro_problems,
                           preview_html="", conflict=None, images=[])


@bp.route("/kursus/<course_slug>", methods=["GET", "POST"])
@staff_required
def edit_course(course_slug: str):
    course = services.course_by_slug(course_slug)
    if course is None:
        abort(404)
    intro = services.course_intro(course, _courses_path())
    if request.method == "GET":
        values = services.course_values(course)
        data = MultiDict({"title": values.title, "summary": values.summary, "order": str(values.order),
                          "estimated_hours": canonical.scalar(values.estimated_hours), "cover": values.cover or "",
                          "intro": intro or ""})
        for track in values.tracks:
            data.add("tracks", track)
        for track, slugs in values.required.items():
            for slug in slugs:
                data.add(f"required_{track}", slug)
        form = forms.CourseForm(formdata=data)
        form.fingerprint.data = services.course_fingerprint(course, _courses_path())
    else:
        form = forms.CourseForm()
    _course_form_choices(form, course)
    intro_problems: list[str] = []
    conflict = None
    status = 200
    result, _messages = _check_intro(form, course.slug)
    if request.method == "POST" and form.validate_on_submit():
        result, intro_problems = _check_intro(form, course.slug)
        _check_cover(form, course.slug)
        if not intro_problems and not form.cover.errors:
            values = _course_values(form)
            try:
                services.update_course(course, values, form.intro.data or "", result.html,
                                       current_user._get_current_object(), utcnow(),
                                       fingerprint=form.fingerprint.data or "", courses_path=_courses_path())
            except services.Conflict as error:
                db.session.rollback()
                form.fingerprint.data = error.fingerprint
                conflict = _conflict_view(error, services.course_file_text(course.slug, values, form.intro.data or ""))
                status = 409
            else:
                db.session.commit()
                flash(_("Kursus disimpan. Peserta langsung melihat perubahannya."), "success")
                return redirect(url_for("authoring.edit_course", course_slug=course.slug))
    elif request.method == "POST":
        status = 422
    return render_template("authoring/course.html", form=form, course=course, intro_problems=intro_problems,
                           preview_html=_localise(result.html), conflict=conflict,
                           images=services.course_images(course), intro_unknown=intro is None), status
