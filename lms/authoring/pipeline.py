"""The import pipeline, run on text typed in the browser.

`check_module(text, …)` hands the canonical module file text to
`lms.courses.format.parse_module` (with the quiz and exercise validators the
importer uses) and renders it with `lms.courses.rendering`: the same
parser, checks, Markdown renderer and nh3 allow-list as `import-courses`.
The file lives in memory: `MemoryFile` and `ImageFolder` stand in for the
paths the parser reads (the module text, and the images beside it, which
come from the curriculum folder or from the database).

`preview_body(body, …)` renders a body on its own (problems do not stop
it) for the live preview. Problems on body lines are reported in the
trainer's language where the message is known (`body_message`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_request_context
from flask_babel import lazy_gettext as _l

from lms.authoring import canonical
from lms.courses import format as fmt
from lms.courses import rendering

ImageBytes = Callable[[str], bytes | None]  # file name -> the image's bytes, None if there is none


class _Missing:
    def is_file(self) -> bool:
        return False


class _ImageRef:
    def __init__(self, name: str, read: ImageBytes):
        self.name, self._read, self._data = name, read, None

    def _load(self) -> bytes | None:
        if self._data is None:
            self._data = self._read(self.name)
        return self._data

    def is_file(self) -> bool:
        return self._load() is not None

    def read_bytes(self) -> bytes:
        data = self._load()
        if data is None:  # pragma: no cover - the parser asks is_file() first
            raise FileNotFoundError(self.name)
        return data


class ImageFolder:
    """The folder beside a module as the parser sees it: `folder / name` is an image."""

    def __init__(self, course_slug: str, read: ImageBytes):
        self.name = course_slug
        self._read = read

    def __truediv__(self, name: str):
        if not fmt.IMAGE_NAME_RE.match(name or ""):
            return _Missing()
        return _ImageRef(name, self._read)


class MemoryFile:
    """A module file held in memory (what parse_module reads from a path)."""

    def __init__(self, name: str, data: bytes, parent: ImageFolder):
        self.name, self._data, self.parent = name, data, parent

    def read_bytes(self) -> bytes:
        return self._data

    def relative_to(self, _other):
        raise ValueError("in memory")

    def __str__(self) -> str:
        return f"{self.parent.name}/{self.name}"


@dataclass
class Checked:
    """What the import pipeline made of a module text."""

    text: str
    source: fmt.ModuleSource | None
    rendered: rendering.Rendered | None
    problems: list[fmt.Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.source is not None and self.rendered is not None and not self.problems


def _context():
    return nullcontext() if has_request_context() else current_app.test_request_context()


def check_module(text: str, course_slug: str, filename: str, images: ImageBytes,
                 validators: Mapping[str, fmt.BlockValidator] | None,
                 asset_url: rendering.AssetUrl | None = None) -> Checked:
    """Parse, check and render a module file's text exactly as import-courses does."""
    from lms.courses.importer import default_asset_url

    folder = ImageFolder(course_slug, images)
    path = MemoryFile(filename, text.encode("utf-8"), folder)
    course = fmt.CourseSource(slug=course_slug, folder=folder, display=f"{course_slug}/course.md")  # type: ignore[arg-type]
    problems: list[fmt.Problem] = []
    with _context():
        source = fmt.parse_module(path, course, problems, validators)  # type: ignore[arg-type]
        rendered = None
        if source is not None:
            rendered = rendering.render(source.body, course_slug, asset_url or default_asset_url)
            problems += rendering.check_anchors(source.body, rendered, source.display)
    return Checked(text, source, rendered, sorted(problems, key=lambda p: p.line))


@dataclass
class Preview:
    html: str
    toc: list[dict]
    problems: list[tuple[int, Any]]  # (body line, message)


def preview_body(body: str, course_slug: str, images: ImageBytes, *, allow_blocks: bool = True,
                 asset_url: rendering.AssetUrl | None = None) -> Preview:
    """Render a Markdown body (a lesson's, or a course introduction) for the live preview."""
    from lms.courses.importer import default_asset_url

    body = canonical.normalise_newlines(body)
    problems: list[fmt.Problem] = []
    with _context():
        scanned = fmt.scan_body(body.split("\n"), 1, "body", ImageFolder(course_slug, images), problems,  # type: ignore[arg-type]
                                allow_blocks, None)
        rendered = rendering.render(scanned, course_slug, asset_url or default_asset_url)
        problems += rendering.check_anchors(scanned, rendered, "body")
    lines = body.split("\n")
    found = [(p.line, body_message(p.message, lines[p.line - 1] if 0 < p.line <= len(lines) else "")) for p in problems]
    if allow_blocks:
        found += body_block_problems(body)
    return Preview(rendered.html, rendered.toc, sorted(found, key=lambda item: item[0]))


def body_block_problems(body: str) -> list[tuple[int, Any]]:
    found: list[tuple[int, Any]] = []
    for line, kind in canonical.body_blocks_in(body):
        found.append((line, MSG_BLOCK_IN_BODY[kind]))
    unclosed = canonical.unclosed_fence(body)
    if unclosed is not None:
        found.append((unclosed, MSG_UNCLOSED_FENCE))
    return found


MSG_BLOCK_IN_BODY = {
    "quiz": _l("Kuis diisi lewat bagian \"Kuis\" di bawah, bukan di isi materi. Hapus blok ```quiz ini."),
    "exercise": _l("Tugas praktik diisi lewat bagian \"Tugas praktik\" di bawah, bukan di isi materi. "
                   "Hapus blok ```exercise ini."),
}
MSG_UNCLOSED_FENCE = _l("Blok kode ini belum ditutup: tambahkan baris ``` setelahnya.")

# --- messages for people -------------------------------------------------------

_KNOWN: list[tuple[re.Pattern, Callable[[re.Match], Any]]] = [
    (re.compile(r"^a line starting with a single # "),
     lambda m: _l("Baris yang diawali satu # menjadi judul utama halaman: pakai ## atau ### untuk subjudul "
                  "(tulis \\# untuk tagar).")),
    (re.compile(r"^unknown callout '(?P<kind>[^']*)'"),
     lambda m: _l("Jenis kotak '%(kind)s' tidak dikenal; pakai note, tip, warning, danger atau info.", kind=m["kind"])),
    (re.compile(r"^image (?P<src>.*) needs a description"),
     lambda m: _l("Gambar %(src)s perlu keterangan: ![apa isi gambarnya](nama-berkas.png).", src=m["src"])),
    (re.compile(r"^image without a file name"), lambda m: _l("Gambar ini belum punya nama berkas.")),
    (re.compile(r"^image (?P<src>.*): images are files beside the module"),
     lambda m: _l("Gambar %(src)s: tulis nama berkasnya saja (png, jpg, jpeg, gif atau webp), "
                  "tanpa alamat web.", src=m["src"])),
    (re.compile(r"^image (?P<src>.*) not found in "),
     lambda m: _l("Gambar %(src)s belum ada. Unggah dulu lewat \"Unggah gambar\".", src=m["src"])),
    (re.compile(r"^link to #(?P<anchor>\S+): no heading has that id"),
     lambda m: _l("Tautan ke #%(anchor)s: tidak ada subjudul dengan id itu.", anchor=m["anchor"])),
    (re.compile(r"^a video line must stand on its own line"),
     lambda m: _l("Baris video harus berdiri sendiri, dengan baris kosong sebelum dan sesudahnya.")),
    (re.compile(r"^the (?P<kind>quiz|exercise) block is not closed"), lambda m: MSG_UNCLOSED_FENCE),
]


def body_message(message: str, line_text: str = "") -> Any:
    """A body problem from lms.courses.format (English, for the command line) in the reader's language."""
    for pattern, build in _KNOWN:
        match = pattern.match(message)
        if match:
            return build(match)
    if line_text.strip().startswith("[[video"):
        return _l("Baris video tidak bisa dibaca (%(detail)s). Tulis [[video alamat-YouTube-atau-TikTok | Judul | 3:20]].",
                  detail=message)
    return message


# --- block validation mapped onto form fields ------------------------------------


class PathLines:
    """A `line_of` for block validators that numbers paths instead of file
    lines, so each problem can be put back next to its form field."""

    def __init__(self, data: Any):
        self.known: set[tuple] = {()}
        self.paths: list[tuple] = []
        self._collect(data, ())

    def _collect(self, value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                self.known.add(path + (key,))
                self._collect(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.known.add(path + (index,))
                self._collect(item, path + (index,))

    def __call__(self, path: tuple = ()) -> int:
        path = tuple(path)
        while path not in self.known:
            path = path[:-1]
        self.paths.append(path)
        return len(self.paths)

    def path(self, line: int) -> tuple:
        return self.paths[line - 1] if 1 <= line <= len(self.paths) else ()


def validate_block(kind: str, data: dict, validators: Mapping[str, fmt.BlockValidator] | None) -> list[tuple[tuple, str]]:
    """Run the importer's validator for a block: [(path inside the data, message)]."""
    validate = (validators or {}).get(kind)
    lines = PathLines(data)
    found: list[tuple[tuple, str]] = []
    found += [(lines.path(line), message) for line, message in fmt.json_problems(data, lines)]
    if validate is not None:
        with _context():
            found += [(lines.path(int(line)), str(message)) for line, message in validate(data, lines) or ()]
    return found


def problems_by_line(problems: Iterable[fmt.Problem], body_first_line: int, body_lines: list[str]) -> tuple[list, list]:
    """Split a checked module's problems into (body problems as (body line, message), other messages)."""
    body, other = [], []
    for problem in problems:
        line = problem.line - body_first_line + 1
        if 1 <= line <= len(body_lines):
            body.append((line, body_message(problem.message, body_lines[line - 1])))
        else:
            other.append(problem.message)
    return body, other
