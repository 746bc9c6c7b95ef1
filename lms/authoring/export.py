"""`flask --app wsgi lms export-courses DIR`: the database back into the courses/ format.

Every course in the catalogue becomes a folder with its course.md, every
module in it a `NN-slug.md` file holding exactly the text its current
revision was made from (the content hash is that text's sha256, so
`import-courses DIR --check` finds every module unchanged), and every image
the lessons can show (uploaded in the browser, or beside the module files)
is copied beside them. A file whose content is already right is left alone;
module files of an exported course that no longer belong to it are removed,
so exporting into the curriculum folder itself keeps it importable.
Messages are English, like the other command-line tools.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lms.authoring import pipeline, services
from lms.authoring.models import CourseImage
from lms.courses import format as fmt
from lms.courses.models import Course, Module, ModuleRevision
from lms.extensions import db


@dataclass
class ExportResult:
    written: list[str] = field(default_factory=list)  # files written (new or changed)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # modules that could not be exported
    courses: int = 0
    modules: int = 0
    images: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _write(path: Path, data: bytes, root: Path, result: ExportResult) -> None:
    try:
        if path.is_file() and path.read_bytes() == data:
            result.unchanged += 1
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    result.written.append(str(path.relative_to(root)))


def export_courses(dest: Path | str, courses_path: Path | str, validators=None) -> ExportResult:
    root, source_root = Path(dest), Path(courses_path)
    root.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    courses = db.session.scalars(
        db.select(Course).where(Course.retired_at.is_(None)).order_by(Course.order, Course.slug)
    ).all()
    for course in courses:
        folder = root / course.slug
        folder.mkdir(parents=True, exist_ok=True)
        intro = services.course_intro(course, source_root)
        if intro is None:
            intro = ""
            result.warnings.append(f"{course.slug}/course.md: the introduction's Markdown is not stored; "
                                   f"written without an introduction")
        text = services.course_file_text(course.slug, services.course_values(course), intro)
        _write(folder / "course.md", text.encode("utf-8"), root, result)
        result.courses += 1

        written_modules: set[str] = set()
        rows = db.session.execute(
            db.select(Module, ModuleRevision).join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
            .where(Module.course_id == course.id, Module.retired_at.is_(None))
            .order_by(Module.order, Module.slug)
        ).all()
        for module, revision in rows:
            name = services.module_filename(module)
            module_text = services.revision_text(module, revision, source_root)
            if module_text is None:
                result.problems.append(f"{course.slug}/{name}: the Markdown of revision {revision.number} is not "
                                       f"stored (run import-courses once, then export again)")
                written_modules.add(name)  # keep whatever file is there
                continue
            if revision.source is None:
                result.warnings.append(f"{course.slug}/{name}: revision {revision.number} came from "
                                       f"import-questions; its questions are written into the quiz block")
                checked = pipeline.check_module(module_text, course.slug, name,
                                                services.image_reader(course.slug, source_root), validators)
                for problem in checked.problems:
                    result.warnings.append(f"{course.slug}/{name}:{problem.line}: import-courses will refuse this "
                                           f"file until it is fixed: {problem.message}")
            _write(folder / name, module_text.encode("utf-8"), root, result)
            written_modules.add(name)
            result.modules += 1

        # Images: those uploaded in the browser, and the files beside the modules.
        for filename, data in db.session.execute(
            db.select(CourseImage.filename, CourseImage.data).where(CourseImage.course_id == course.id)
        ):
            _write(folder / filename, data, root, result)
            result.images += 1
        source_folder = source_root / course.slug
        if source_folder.is_dir() and source_folder.resolve() != folder.resolve():
            for path in sorted(source_folder.iterdir()):
                if path.is_file() and fmt.IMAGE_NAME_RE.match(path.name):
                    _write(folder / path.name, path.read_bytes(), root, result)
                    result.images += 1

        for path in sorted(folder.iterdir()):
            if path.is_file() and fmt.MODULE_FILE_RE.match(path.name) and path.name not in written_modules:
                path.unlink()
                result.removed.append(str(path.relative_to(root)))
    return result
