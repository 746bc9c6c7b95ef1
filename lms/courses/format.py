"""Reading and checking the curriculum files (the format is docs/authoring.md).

`parse(path, validators)` reads a courses directory, or one course folder,
and returns what it found plus every problem as `Problem(path, line, message)`
(`str(problem)` is `path:line: message`, the line counted in the FILE, front
matter included). Nothing here touches the database or renders HTML.

Quiz and exercise blocks are checked by validators handed in from outside
(the quiz and exercise packages depend on this one, never the reverse):

    def validate(data: Mapping[str, Any], line_of: LineOf) -> Iterable[tuple[int, str]]

`data` is the block's YAML as plain Python data (a mapping); `line_of(path)`
gives the file line of any part of it, e.g. `line_of(("questions", 2, "options"))`
(the nearest enclosing part if that path does not exist). Each returned
`(line, message)` becomes a problem of that file.

Messages are for the people who write the curriculum and read the import
command's output; like the rest of the command-line tools they are English.
"""
from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

TRACKS = ("umum", "opd", "lansia")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MODULE_FILE_RE = re.compile(r"^(\d{2})-(.*)\.md$")
IMAGE_TYPES = ("png", "jpg", "jpeg", "gif", "webp")
IMAGE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:png|jpe?g|gif|webp)$", re.IGNORECASE)
ADMONITION_KINDS = ("note", "tip", "warning", "danger", "info")
# Module slugs that would collide with the course routes (/kursus/<course>/berkas/<file>).
RESERVED_SLUGS = frozenset({"berkas"})
BLOCK_KINDS = ("quiz", "exercise")
MAX_TITLE = 200
MAX_YAML_NODES = 20_000

LineOf = Callable[[tuple], int]
BlockValidator = Callable[[Mapping[str, Any], LineOf], Iterable[tuple[int, str]]]

MODULE_REQUIRED = ("slug", "title", "order", "duration_minutes", "objectives", "tracks", "sources", "verified_on")
MODULE_OPTIONAL = ("review_every", "time_sensitive")
COURSE_REQUIRED = ("title", "summary", "order", "tracks", "estimated_hours")
COURSE_OPTIONAL = ("cover", "required")
SOURCE_KEYS = ("title", "url", "date")
DEFAULT_REVIEW_EVERY = 365


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Block:
    """A ```quiz or ```exercise block: its YAML data (None if it did not parse)."""

    kind: str
    line: int  # line of the opening fence
    data: dict | None
    line_of: LineOf


@dataclass
class Video:
    line: int
    provider: str  # youtube | tiktok
    video_id: str
    title: str
    length: str | None
    url: str  # a clean link to the video's own page


@dataclass
class Body:
    """A Markdown body ready for the renderer: blocks cut out, each video line
    replaced by a paragraph holding `marker` + its index."""

    markdown: str
    marker: str
    videos: list[Video] = field(default_factory=list)
    images: dict[str, str] = field(default_factory=dict)  # file name -> sha256 (for cache busting)
    anchors: list[tuple[int, str]] = field(default_factory=list)  # in-page links: (line, id)
    blocks: dict[str, Block] = field(default_factory=dict)


@dataclass
class ModuleSource:
    course_slug: str
    slug: str
    path: Path
    display: str  # how problems name the file
    rel_path: str  # "<course>/NN-<slug>.md"
    content_hash: str
    title: str
    order: int
    metadata: dict
    body: Body
    slug_line: int = 1

    @property
    def quiz(self) -> Block | None:
        return self.body.blocks.get("quiz")

    @property
    def exercise(self) -> Block | None:
        return self.body.blocks.get("exercise")


@dataclass
class CourseSource:
    slug: str
    folder: Path
    display: str  # path of course.md as problems name it
    title: str = ""
    summary: str = ""
    order: int = 0
    tracks: list = field(default_factory=list)
    estimated_hours: float = 0
    cover: str | None = None
    required: dict = field(default_factory=dict)
    intro: Body | None = None
    modules: list[ModuleSource] = field(default_factory=list)


@dataclass
class Curriculum:
    courses: list[CourseSource]
    problems: list[Problem]
    whole_tree: bool  # True: a courses directory (absent courses retire); False: one course folder


# --- YAML that remembers where everything was -------------------------------


class YamlLines:
    """Maps a path inside parsed YAML to its line in the file."""

    def __init__(self, first_line: int):
        self.first_line = first_line
        self.lines: dict[tuple, int] = {(): first_line}

    def __call__(self, path: tuple = ()) -> int:
        path = tuple(path)
        while path not in self.lines:
            path = path[:-1]
        return self.lines[path]


class _YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def load_yaml(text: str, first_line: int) -> tuple[Any, YamlLines, list[tuple[int, str]]]:
    """Parse one YAML document; `first_line` is the file line of the text's first line.

    Returns (data, line_of, errors). Duplicate keys and non-text keys are errors
    (plain YAML silently keeps the last duplicate)."""
    lines = YamlLines(first_line)
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = f"YAML error: {error.problem or error.context or 'not valid YAML'}"
            if error.context and error.context_mark and mark and error.context_mark.line != mark.line:
                message += f" ({error.context} on line {first_line + error.context_mark.line})"
            source = text.split("\n")
            nearby = {m.line for m in (mark, error.context_mark) if m is not None and m.line < len(source)}
            if any(" #" in source[n] for n in nearby):
                message += "; note that ' #' starts a comment in YAML: put such text in quotes"
            return None, lines, [(first_line + (mark.line if mark else 0), message)]
        except yaml.YAMLError as error:
            return None, lines, [(first_line, f"YAML error: {error}")]
        if node is None:
            return None, lines, []
        errors: list[tuple[int, str]] = []
        budget = [MAX_YAML_NODES]

        def line(n) -> int:
            return first_line + n.start_mark.line

        def walk(n, path: tuple, active: frozenset):
            budget[0] -= 1
            if budget[0] < 0:
                raise _YamlError(line(n), "YAML is too large (too many aliases?)")
            if id(n) in active:
                raise _YamlError(line(n), "YAML alias refers to itself")
            if isinstance(n, ScalarNode):
                try:
                    return loader.construct_object(n, deep=True)
                except yaml.MarkedYAMLError as error:
                    raise _YamlError(line(n), f"YAML error: {error.problem}") from None
                except (ValueError, TypeError, OverflowError) as error:
                    raise _YamlError(line(n), f"cannot read value {n.value!r}: {error}") from None
            inner = active | {id(n)}
            if isinstance(n, SequenceNode):
                if n.tag != _SEQ_TAG:
                    raise _YamlError(line(n), f"unsupported YAML tag {n.tag}")
                items = []
                for index, item in enumerate(n.value):
                    lines.lines[path + (index,)] = line(item)
                    items.append(walk(item, path + (index,), inner))
                return items
            if isinstance(n, MappingNode):
                if n.tag != _MAP_TAG:
                    raise _YamlError(line(n), f"unsupported YAML tag {n.tag}")
                result: dict = {}
                for key_node, value_node in n.value:
                    if not isinstance(key_node, ScalarNode):
                        raise _YamlError(line(key_node), "keys must be plain text")
                    key = walk(key_node, path, inner)
                    if not isinstance(key, str):
                        hint = gotcha(key) or "keys must be text"
                        raise _YamlError(line(key_node), f"key {key_node.value!r}: {hint}")
                    if key in result:
                        errors.append((line(key_node), f"duplicate key '{key}'"))
                        continue
                    lines.lines[path + (key,)] = line(key_node)
                    result[key] = walk(value_node, path + (key,), inner)
                return result
            raise _YamlError(line(n), "unsupported YAML")  # pragma: no cover

        try:
            data = walk(node, (), frozenset())
        except _YamlError as error:
            return None, lines, [(error.line, error.message)]
        lines.lines[()] = line(node)
        return data, lines, errors
    finally:
        loader.dispose()


def gotcha(value: Any) -> str | None:
    """Explain a value that YAML read as something the author did not mean."""
    if isinstance(value, bool):
        word = "true" if value else "false"
        return (f"YAML read this as the boolean {word} (yes/no/on/off/true/false are booleans); "
                f"put the text in quotes")
    if isinstance(value, datetime | date):
        return f'YAML read an unquoted date; write it in quotes, e.g. "{value.isoformat()[:10]}"'
    if value is None:
        return "the value is empty"
    return None


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime | date):
        return "a date"
    if value is None:
        return "empty"
    return type(value).__name__


def json_problems(data: Any, line_of: LineOf, path: tuple = ()) -> list[tuple[int, str]]:
    """Values a JSON column cannot hold (dates, NaN) inside a block."""
    found: list[tuple[int, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += json_problems(value, line_of, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += json_problems(value, line_of, path + (index,))
    elif isinstance(data, datetime | date):
        found.append((line_of(path), gotcha(data)))
    elif isinstance(data, float) and not math.isfinite(data):
        found.append((line_of(path), "numbers must be finite (not .nan or .inf)"))
    elif isinstance(data, bytes):
        found.append((line_of(path), "binary values are not supported"))
    return found


# --- field checks ------------------------------------------------------------


class _Fields:
    """Typed reads from a front-matter mapping, each failure a problem with its line."""

    def __init__(self, display: str, data: dict, line_of: YamlLines, problems: list[Problem]):
        self.display, self.data, self.line_of, self.problems = display, data, line_of, problems

    def error(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.display, self.line_of(path), message))

    def keys(self, required: Iterable[str], optional: Iterable[str]) -> None:
        required, optional = tuple(required), tuple(optional)
        for key in self.data:
            if key not in required and key not in optional:
                close = [k for k in (*required, *optional) if _similar(k, key)]
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                known = ", ".join((*required, *optional))
                self.error((key,), f"unknown key '{key}'{hint}; known keys: {known}")
        for key in required:
            if key not in self.data:
                self.error((), f"missing required key '{key}'")

    def _wrong(self, path: tuple, value: Any, expected: str) -> None:
        hint = gotcha(value)
        name = ".".join(str(p) for p in path)
        self.error(path, f"{name}: expected {expected}, got {_type_name(value)}" + (f"; {hint}" if hint else ""))

    def text(self, key: str, *, path: tuple | None = None, value: Any = None, max_length: int | None = None) -> str | None:
        path = path or (key,)
        value = self.data.get(key) if value is None and len(path) == 1 else value
        if not isinstance(value, str):
            if key in self.data or len(path) > 1:
                self._wrong(path, value, "text")
            return None
        value = value.strip()
        if not value:
            self.error(path, f"{'.'.join(map(str, path))}: must not be empty")
            return None
        if max_length and len(value) > max_length:
            self.error(path, f"{'.'.join(map(str, path))}: at most {max_length} characters")
        return value

    def integer(self, key: str, minimum: int = 0, maximum: int | None = None) -> int | None:
        value = self.data.get(key)
        if key not in self.data:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong((key,), value, "a whole number")
            return None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.error((key,), f"{key}: must be {bound}")
            return None
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if key not in self.data:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self._wrong((key,), value, "a number such as 5 or 1.5")
            return None
        if value <= 0:
            self.error((key,), f"{key}: must be more than 0")
            return None
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self._wrong((key,), value, "true or false")
            return default
        return value

    def text_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if key not in self.data:
            return []
        if not isinstance(value, list) or not value:
            if isinstance(value, list):
                self.error((key,), f"{key}: must list at least one item")
            else:
                self._wrong((key,), value, "a list")
            return []
        result = []
        for index, item in enumerate(value):
            text = self.text(key, path=(key, index), value=item)
            if text:
                result.append(text)
        return result

    def tracks(self, key: str = "tracks") -> list[str]:
        value = self.data.get(key)
        if key not in self.data:
            return []
        if not isinstance(value, list) or not value:
            self._wrong((key,), value, "a list of tracks such as [umum, opd, lansia]")
            return []
        return self.track_items(value, (key,))

    def track_items(self, value: list, path: tuple) -> list[str]:
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self._wrong(path + (index,), item, f"one of {', '.join(TRACKS)}")
            elif item not in TRACKS:
                self.error(path + (index,), f"unknown track '{item}'; tracks are {', '.join(TRACKS)}")
            elif item in result:
                self.error(path + (index,), f"track '{item}' is listed twice")
            else:
                result.append(item)
        return result

    def date_text(self, path: tuple, value: Any, allow_month: bool = False) -> str | None:
        name = ".".join(str(p) for p in path)
        example = '"YYYY-MM-DD"' + (' or "YYYY-MM"' if allow_month else "")
        if not isinstance(value, str):
            self._wrong(path, value, f"a date in quotes, {example}")
            return None
        formats = ("%Y-%m-%d", "%Y-%m") if allow_month else ("%Y-%m-%d",)
        for fmt in formats:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}" if fmt == "%Y-%m-%d" else r"\d{4}-\d{2}", value):
                try:
                    datetime.strptime(value, fmt)
                except ValueError:
                    self.error(path, f"{name}: {value!r} is not a real date")
                    return None
                return value
        self.error(path, f"{name}: write the date as {example}, got {value!r}")
        return None


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    # A small edit distance: typos such as "objetives" or "tracks " → "tracks".
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


def _http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"\s", value)


# --- front matter and body ----------------------------------------------------


def _split_front_matter(text: str, display: str, problems: list[Problem]) -> tuple[str, int, list[str], int] | None:
    """(yaml text, its first file line, body lines, body's first file line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.append(Problem(display, 1, "the file must start with front matter: a line '---', YAML, then '---'"))
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), 2, lines[index + 1:], index + 2
    problems.append(Problem(display, 1, "front matter is not closed: add a line '---' after the YAML"))
    return None


def _read_text(path: Path, display: str, problems: list[Problem]) -> tuple[bytes, str] | None:
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(display, 1, f"cannot read file: {error.strerror}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(display, line, "the file is not UTF-8 text"))
        return None
    return raw, text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
_VIDEO_RE = re.compile(r"^\[\[video\s+(?P<inner>.*)\]\]$")
_IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_ANCHOR_RE = re.compile(r"(?<!!)\[[^\]]*\]\(\s*#(?P<anchor>[^)\s]+)\s*\)")
_ADMONITION_RE = re.compile(r"^\s*!!!\s*(?P<kind>[^\s\"]*)")
_INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LENGTH_RE = re.compile(r"^(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{2})$")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_TIKTOK_ID = re.compile(r"^\d{8,25}$")
_TIKTOK_USER = re.compile(r"^@[A-Za-z0-9._]{1,40}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
                  "youtube-nocookie.com", "www.youtube-nocookie.com"}
_TIKTOK_HOSTS = {"tiktok.com", "www.tiktok.com", "m.tiktok.com"}


def parse_video_url(url: str) -> tuple[str, str, str] | str:
    """(provider, id, clean page URL) for a YouTube or TikTok link, or a message why not."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "the video URL is not a valid URL"
    if parts.scheme not in ("http", "https"):
        return "the video URL must start with https://"
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        candidate = None
        if host == "youtu.be":
            candidate = segments[0] if segments else None
        elif segments[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in ("shorts", "live", "embed", "v"):
            candidate = segments[1]
        if not candidate:
            return "YouTube link without a video id; use a watch, youtu.be, shorts or live link"
        if not _YOUTUBE_ID.match(candidate):
            return f"'{candidate}' is not a YouTube video id (11 letters, digits, - or _)"
        return "youtube", candidate, f"https://www.youtube.com/watch?v={candidate}"
    if host in _TIKTOK_HOSTS:
        if len(segments) >= 3 and _TIKTOK_USER.match(segments[0]) and segments[1] == "video" and _TIKTOK_ID.match(segments[2]):
            return "tiktok", segments[2], f"https://www.tiktok.com/{segments[0]}/video/{segments[2]}"
        return "TikTok link must look like https://www.tiktok.com/@account/video/1234567890123456789"
    if host.endswith("tiktok.com"):
        return "short TikTok links cannot be checked; open it and copy the full tiktok.com/@account/video/… link"
    return "only YouTube and TikTok videos can be embedded"


def _parse_video(inner: str) -> tuple[Video | None, str | None]:
    parts = [p.strip() for p in inner.split("|")]
    if len(parts) < 2 or len(parts) > 3 or not parts[0]:
        return None, "write a video as [[video URL | Title]] or [[video URL | Title | 3:20]]"
    url, title = parts[0], parts[1]
    if not title:
        return None, "the video needs a title: [[video URL | Title]]"
    if len(title) > MAX_TITLE:
        return None, f"the video title is longer than {MAX_TITLE} characters"
    length = parts[2] if len(parts) == 3 and parts[2] else None
    if length is not None:
        match = _LENGTH_RE.match(length)
        if not match or int(match["s"]) > 59 or (match["h"] and int(match["m"]) > 59):
            return None, f"video length {length!r} must look like 3:20 or 1:02:30"
    parsed = parse_video_url(url)
    if isinstance(parsed, str):
        return None, parsed
    provider, video_id, page = parsed
    return Video(0, provider, video_id, title, length, page), None


def scan_body(lines: list[str], first_line: int, display: str, folder: Path, problems: list[Problem],
              allow_blocks: bool, validators: Mapping[str, BlockValidator | None] | None = None) -> Body:
    """Walk a Markdown body line by line: cut out quiz/exercise blocks, find
    videos, images, in-page links and callouts, and check each where it is."""
    marker = "sinauvideo" + secrets.token_hex(8) + "n"
    out: list[str] = []
    body = Body(markdown="", marker=marker)
    fence: tuple[str, int] | None = None  # (char, length) of an open ordinary code fence
    index = 0
    while index < len(lines):
        text = lines[index]
        number = first_line + index
        if fence is not None:
            out.append(text)
            stripped = text.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1] and len(text) - len(text.lstrip()) <= 3:
                fence = None
            index += 1
            continue
        opening = _FENCE_RE.match(text)
        if opening:
            char, length, info = opening["fence"][0], len(opening["fence"]), opening["info"].lower()
            if info in BLOCK_KINDS and not opening["indent"]:
                end = index + 1
                while end < len(lines):
                    closing = lines[end].strip()
                    if closing and set(closing) == {char} and len(closing) >= length:
                        break
                    end += 1
                if end >= len(lines):
                    problems.append(Problem(display, number, f"the {info} block is not closed: add a line {opening['fence']}"))
                    index = len(lines)
                    continue
                _take_block(body, info, lines[index + 1:end], number, display, problems, allow_blocks, validators)
                out.append("")
                index = end + 1
                continue
            fence = (char, length)
            out.append(text)
            index += 1
            continue
        stripped = text.strip()
        if stripped.startswith("[[video"):
            match = _VIDEO_RE.match(stripped)
            video, message = _parse_video(match["inner"]) if match else (None, None)
            if video is None:
                problems.append(Problem(display, number, message or "write a video as [[video URL | Title | 3:20]] on a line of its own"))
            else:
                video.line = number
                indent = text[: len(text) - len(text.lstrip())]
                out.extend(["", f"{indent}{marker}{len(body.videos)}", ""])
                body.videos.append(video)
                index += 1
                continue
        if re.match(r"^#(?!#)", text):
            problems.append(Problem(display, number, "a line starting with a single # becomes the page's main heading: "
                                                     "use ## and ### for headings (write \\# for a hashtag)"))
        admonition = _ADMONITION_RE.match(text)
        if admonition and admonition["kind"].lower() not in ADMONITION_KINDS:
            problems.append(Problem(display, number, f"unknown callout '{admonition['kind']}'; use one of {', '.join(ADMONITION_KINDS)}"))
        visible = _INLINE_CODE_RE.sub("", text)
        for image in _IMAGE_RE.finditer(visible):
            _check_image(body, image["alt"], image["src"], number, display, folder, problems)
        for anchor in _ANCHOR_RE.finditer(visible):
            body.anchors.append((number, anchor["anchor"]))
        out.append(text)
        index += 1
    body.markdown = "\n".join(out)
    return body


def _check_image(body: Body, alt: str, src: str, number: int, display: str, folder: Path, problems: list[Problem]) -> None:
    if not alt.strip():
        problems.append(Problem(display, number, f"image {src!r} needs a description: ![what the picture shows]({src})"))
    if not src:
        problems.append(Problem(display, number, "image without a file name"))
        return
    if "/" in src or "\\" in src or ":" in src or not IMAGE_NAME_RE.match(src):
        problems.append(Problem(display, number, f"image {src!r}: images are files beside the module "
                                                 f"(a plain file name ending in {', '.join(IMAGE_TYPES)})"))
        return
    path = folder / src
    if not path.is_file():
        problems.append(Problem(display, number, f"image {src!r} not found in {folder.name}/"))
        return
    if src not in body.images:
        body.images[src] = hashlib.sha256(path.read_bytes()).hexdigest()


def _take_block(body: Body, kind: str, lines: list[str], fence_line: int, display: str, problems: list[Problem],
                allow_blocks: bool, validators: Mapping[str, BlockValidator | None] | None) -> None:
    if not allow_blocks:
        problems.append(Problem(display, fence_line, f"a {kind} block belongs in a module file, not in course.md"))
        return
    if kind in body.blocks:
        problems.append(Problem(display, fence_line, f"a module has at most one {kind} block "
                                                     f"(the first is on line {body.blocks[kind].line})"))
        return
    if kind == "quiz" and "exercise" in body.blocks:
        problems.append(Problem(display, fence_line, "the quiz block comes before the exercise block"))
    data, line_of, errors = load_yaml("\n".join(lines), fence_line + 1)
    problems.extend(Problem(display, line, message) for line, message in errors)
    if errors:
        body.blocks[kind] = Block(kind, fence_line, None, line_of)
        return
    if not isinstance(data, dict):
        problems.append(Problem(display, fence_line, f"the {kind} block must hold YAML keys and values"))
        body.blocks[kind] = Block(kind, fence_line, None, line_of)
        return
    body.blocks[kind] = Block(kind, fence_line, data, line_of)
    problems.extend(Problem(display, line, message) for line, message in json_problems(data, line_of))
    validate = (validators or {}).get(kind)
    if validate is not None:
        for line, message in validate(data, line_of) or ():
            problems.append(Problem(display, int(line), str(message)))


# --- files --------------------------------------------------------------------


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_module(path: Path, course: CourseSource, problems: list[Problem],
                 validators: Mapping[str, BlockValidator | None] | None = None) -> ModuleSource | None:
    display = _display(path)
    match = MODULE_FILE_RE.match(path.name)
    file_slug = match.group(2) if match else None
    if not match or not SLUG_RE.match(file_slug or ""):
        problems.append(Problem(display, 1, "module files are named NN-slug.md (two digits, a hyphen, the slug)"))
        return None
    read = _read_text(path, display, problems)
    if read is None:
        return None
    raw, text = read
    split = _split_front_matter(text, display, problems)
    if split is None:
        return None
    yaml_text, yaml_line, body_lines, body_line = split
    data, line_of, errors = load_yaml(yaml_text, yaml_line)
    problems.extend(Problem(display, line, message) for line, message in errors)
    if errors:
        return None
    if not isinstance(data, dict):
        problems.append(Problem(display, 1, "the front matter must be YAML keys and values"))
        return None
    before = len(problems)
    f = _Fields(display, data, line_of, problems)
    f.keys(MODULE_REQUIRED, MODULE_OPTIONAL)
    slug = f.text("slug") if "slug" in data else None
    if slug is not None:
        if not SLUG_RE.match(slug):
            f.error(("slug",), f"slug '{slug}' may only hold lowercase letters, digits and single hyphens")
        elif slug != file_slug:
            f.error(("slug",), f"slug '{slug}' does not match the file name {path.name} "
                               f"(rename the file to {match.group(1)}-{slug}.md or fix the slug)")
        elif slug in RESERVED_SLUGS:
            f.error(("slug",), f"'{slug}' is reserved; choose another slug")
    title = f.text("title", max_length=MAX_TITLE) if "title" in data else None
    order = f.integer("order", minimum=0)
    duration = f.integer("duration_minutes", minimum=1, maximum=600)
    objectives = f.text_list("objectives")
    tracks = f.tracks()
    verified_on = f.date_text(("verified_on",), data["verified_on"]) if "verified_on" in data else None
    review_every = f.integer("review_every", minimum=1) if "review_every" in data else DEFAULT_REVIEW_EVERY
    time_sensitive = f.boolean("time_sensitive", False)
    sources = _sources(f, data.get("sources")) if "sources" in data else []
    body = scan_body(body_lines, body_line, display, path.parent, problems, True, validators)
    if len(problems) > before:
        return None
    metadata = {
        "objectives": objectives,
        "tracks": tracks,
        "duration_minutes": duration,
        "sources": sources,
        "verified_on": verified_on,
        "review_every": review_every,
        "time_sensitive": time_sensitive,
    }
    return ModuleSource(
        course_slug=course.slug, slug=slug, path=path, display=display, rel_path=f"{course.slug}/{path.name}",
        content_hash=hashlib.sha256(raw).hexdigest(), title=title, order=order, metadata=metadata, body=body,
        slug_line=line_of(("slug",)),
    )


def _sources(f: _Fields, value: Any) -> list[dict]:
    if not isinstance(value, list):
        f._wrong(("sources",), value, "a list of sources (or [] when there are none)")
        return []
    result = []
    for index, item in enumerate(value):
        path = ("sources", index)
        if not isinstance(item, dict):
            f._wrong(path, item, "a source with title, url and date")
            continue
        for key in item:
            if key not in SOURCE_KEYS:
                f.error(path + (key,), f"unknown key '{key}' in a source; a source has title, url and date")
        for key in SOURCE_KEYS:
            if key not in item:
                f.error(path, f"source {index + 1} is missing '{key}'")
        title = f.text("title", path=path + ("title",), value=item.get("title")) if "title" in item else None
        url = item.get("url")
        if "url" in item:
            if not isinstance(url, str) or not _http_url(url.strip()):
                f.error(path + ("url",), f"source {index + 1}: url must be an http:// or https:// address")
                url = None
            else:
                url = url.strip()
        when = f.date_text(path + ("date",), item.get("date"), allow_month=True) if "date" in item else None
        if title and url and when:
            result.append({"title": title, "url": url, "date": when})
    return result


def parse_course(folder: Path, problems: list[Problem],
                 validators: Mapping[str, BlockValidator | None] | None = None) -> CourseSource | None:
    course_file = folder / "course.md"
    display = _display(course_file)
    course = CourseSource(slug=folder.name, folder=folder, display=display)
    if not SLUG_RE.match(folder.name):
        problems.append(Problem(display, 1, f"course folder '{folder.name}' is not a slug "
                                            f"(lowercase letters, digits and single hyphens)"))
        return None
    if not course_file.is_file():
        problems.append(Problem(display, 1, "course.md is missing: every course folder needs one"))
        return None
    before = len(problems)
    read = _read_text(course_file, display, problems)
    split = _split_front_matter(read[1], display, problems) if read else None
    if split is None:
        return None
    yaml_text, yaml_line, body_lines, body_line = split
    data, line_of, errors = load_yaml(yaml_text, yaml_line)
    problems.extend(Problem(display, line, message) for line, message in errors)
    if errors:
        return None
    if not isinstance(data, dict):
        problems.append(Problem(display, 1, "the front matter must be YAML keys and values"))
        return None
    f = _Fields(display, data, line_of, problems)
    f.keys(COURSE_REQUIRED, COURSE_OPTIONAL)
    course.title = f.text("title", max_length=MAX_TITLE) if "title" in data else ""
    course.summary = f.text("summary") if "summary" in data else ""
    course.order = f.integer("order", minimum=0) or 0
    course.tracks = f.tracks()
    course.estimated_hours = f.number("estimated_hours") or 0
    if "cover" in data:
        cover = f.text("cover")
        if cover and not IMAGE_NAME_RE.match(cover):
            f.error(("cover",), f"cover {cover!r} must be an image file name ({', '.join(IMAGE_TYPES)}) in this folder")
        elif cover and not (folder / cover).is_file():
            f.error(("cover",), f"cover image {cover!r} not found in {folder.name}/")
        else:
            course.cover = cover
    course.intro = scan_body(body_lines, body_line, display, folder, problems, False)

    module_files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".md" and p.name != "course.md")
    for path in module_files:
        module = parse_module(path, course, problems, validators)
        if module is not None:
            course.modules.append(module)
    course.modules.sort(key=lambda m: (m.order, m.slug))

    if "required" in data:
        # A module file's slug must equal its file name, so the file names say
        # which slugs exist even when a module file has problems of its own.
        known = {m.group(2) for m in (MODULE_FILE_RE.match(p.name) for p in module_files) if m}
        course.required = _required(f, data["required"], known)
    return None if len(problems) > before else course


def _required(f: _Fields, value: Any, known: set[str]) -> dict:
    if not isinstance(value, dict):
        f._wrong(("required",), value, "a mapping of track: [module slugs]")
        return {}
    result = {}
    for track, slugs in value.items():
        path = ("required", track)
        if track not in TRACKS:
            f.error(path, f"unknown track '{track}' in required; tracks are {', '.join(TRACKS)}")
            continue
        if not isinstance(slugs, list):
            f._wrong(path, slugs, "a list of module slugs")
            continue
        chosen: list[str] = []
        for index, slug in enumerate(slugs):
            if not isinstance(slug, str):
                f._wrong(path + (index,), slug, "a module slug")
            elif slug in chosen:
                f.error(path + (index,), f"module '{slug}' is listed twice for {track}")
            elif slug not in known:
                f.error(path + (index,), f"required module '{slug}' is not a module of this course")
            else:
                chosen.append(slug)
        result[track] = chosen
    return result


def parse(path: Path | str, validators: Mapping[str, BlockValidator | None] | None = None) -> Curriculum:
    """Read a courses directory (every course folder in it) or a single course folder."""
    root = Path(path)
    problems: list[Problem] = []
    if not root.is_dir():
        return Curriculum([], [Problem(_display(root), 1, "no such folder")], whole_tree=False)
    whole_tree = not (root / "course.md").exists()
    if whole_tree:
        folders = sorted(
            p for p in root.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_")) and any(p.iterdir())
        )
        # Importing a whole tree retires every course it does not hold: refuse
        # a path that looks like a course folder without its course.md.
        if any(p.suffix.lower() == ".md" for p in root.iterdir() if p.is_file()):
            problems.append(Problem(_display(root / "course.md"), 1, "this folder holds .md files but no course.md"))
            return Curriculum([], problems, whole_tree=True)
        if not folders:
            problems.append(Problem(_display(root), 1, "no course folders found"))
            return Curriculum([], problems, whole_tree=True)
    else:
        folders = [root]
    courses = []
    for folder in folders:
        course = parse_course(folder, problems, validators)
        if course is not None:
            courses.append(course)
    # Module slugs are unique across the whole tree: progress points at them.
    seen: dict[str, ModuleSource] = {}
    for course in courses:
        for module in course.modules:
            if module.slug in seen:
                problems.append(Problem(module.display, module.slug_line,
                                        f"slug '{module.slug}' is already used by {seen[module.slug].display}"))
            else:
                seen[module.slug] = module
    courses.sort(key=lambda c: (c.order, c.slug))
    problems.sort(key=lambda p: (p.path, p.line))
    return Curriculum(courses, problems, whole_tree)
