"""The ```exercise block of a module file: checks at import, and reading it back.

`validate_exercise_block(data, line_of)` is registered with the importer
(lms/__init__.py) and returns every problem as (line, message), messages in
Indonesian naming the key. The block is stored raw in
`ModuleRevision.exercise`; `read_exercise(data)` turns it into an `ExerciseSpec`
for the pages (docs/authoring.md, "Exercise block").

A YAML gotcha the curriculum relies on: in a flow mapping an unquoted label
with commas, `{label: Ada, sebagian salah, points: 1}`, is read as the label
"Ada" plus an empty key "sebagian salah". Such empty keys between `label`
and `points` are read back as part of the label ("Ada, sebagian salah");
any other unknown key is an error.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

KINDS = ("link", "text", "image")
TRACKS = ("umum", "opd", "lansia")
KEYS = ("slug", "title", "instructions", "submit", "tracks", "rubric", "pass_score")
REQUIRED = ("slug", "title", "instructions", "submit", "rubric", "pass_score")
CRITERION_KEYS = ("criterion", "levels")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_TITLE = 200
MAX_INSTRUCTIONS = 10_000
MAX_LABEL = 300
MAX_CRITERIA = 20
MAX_LEVELS = 10
MAX_POINTS = 100
MIN_LEVELS = 2


@dataclass(frozen=True)
class Level:
    label: str
    points: int


@dataclass(frozen=True)
class Criterion:
    name: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> int:
        return max((level.points for level in self.levels), default=0)


@dataclass(frozen=True)
class ExerciseSpec:
    slug: str
    title: str
    instructions: str  # Markdown
    submit: tuple[str, ...]
    tracks: tuple[str, ...]  # empty: every track
    criteria: tuple[Criterion, ...]
    pass_score: int

    @property
    def max_score(self) -> int:
        return sum(c.max_points for c in self.criteria)

    def applies_to(self, track: str) -> bool:
        return not self.tracks or track in self.tracks


# ------------------------------------------------------------------ messages


def _where():
    return _l("tugas praktik")


def _criterion_where(number: int):
    return _l("kriteria ke-%(n)d", n=number)


def _level_where(criterion: int, level: int):
    return _l("kriteria ke-%(c)d, tingkat ke-%(n)d", c=criterion, n=level)


def _unknown(where, key):
    return _l("%(where)s: kunci '%(key)s' tidak dikenal", where=where, key=key)


def _required(where, key):
    return _l("%(where)s: '%(key)s' wajib diisi", where=where, key=key)


def _not_text(where, key):
    return _l("%(where)s: '%(key)s' harus berupa teks (beri tanda kutip bila perlu)", where=where, key=key)


def _too_long(where, key, limit):
    return _l("%(where)s: '%(key)s' maksimal %(max)d karakter", where=where, key=key, max=limit)


# ------------------------------------------------------------------ validation


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(data: Mapping, key: str, path: tuple, line_of, problems: list, where, limit: int) -> str | None:
    if key not in data:
        problems.append((line_of(path), _required(where, key)))
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        problems.append((line_of(path + (key,)), _not_text(where, key)))
        return None
    if len(value.strip()) > limit:
        problems.append((line_of(path + (key,)), _too_long(where, key, limit)))
    return value.strip()


def _level_label(level: Mapping) -> str | None:
    """The label, with the comma-split pieces of an unquoted flow label joined back."""
    label = level.get("label")
    if not isinstance(label, str):
        return None
    pieces, collecting = [label.strip()], False
    for key, value in level.items():
        if key == "label":
            collecting = True
        elif key == "points":
            collecting = False
        elif collecting and value is None:
            pieces.append(key.strip())
    return ", ".join(p for p in pieces if p)


def _continuation_keys(level: Mapping) -> set[str]:
    keys, collecting = set(), False
    for key, value in level.items():
        if key == "label":
            collecting = True
        elif key == "points":
            collecting = False
        elif collecting and value is None:
            keys.add(key)
    return keys


def _levels(value: Any, path: tuple, number: int, line_of, problems: list) -> int | None:
    """Check one criterion's levels; returns its highest points (None if unusable)."""
    where = _criterion_where(number)
    if not isinstance(value, list):
        problems.append((line_of(path), _l("%(where)s: 'levels' harus berupa daftar tingkat", where=where)))
        return None
    if len(value) < MIN_LEVELS:
        problems.append((line_of(path), _l("%(where)s: butuh minimal %(min)d tingkat", where=where, min=MIN_LEVELS)))
    if len(value) > MAX_LEVELS:
        problems.append((line_of(path), _l("%(where)s: maksimal %(max)d tingkat", where=where, max=MAX_LEVELS)))
    highest, labels = None, set()
    for index, level in enumerate(value):
        level_path = path + (index,)
        lwhere = _level_where(number, index + 1)
        if not isinstance(level, dict):
            problems.append((line_of(level_path), _l("%(where)s: tulis sebagai {label: …, points: …}", where=lwhere)))
            continue
        allowed = {"label", "points"} | _continuation_keys(level)
        for key in level:
            if key not in allowed:
                problems.append((line_of(level_path + (key,)), _unknown(lwhere, key)))
        if "label" not in level:
            problems.append((line_of(level_path), _required(lwhere, "label")))
        else:
            label = _level_label(level)
            if not label:
                problems.append((line_of(level_path + ("label",)), _not_text(lwhere, "label")))
            elif len(label) > MAX_LABEL:
                problems.append((line_of(level_path + ("label",)), _too_long(lwhere, "label", MAX_LABEL)))
            elif label.casefold() in labels:
                problems.append((line_of(level_path + ("label",)),
                                 _l("%(where)s: label '%(label)s' sudah dipakai tingkat lain", where=lwhere, label=label)))
            else:
                labels.add(label.casefold())
        if "points" not in level:
            problems.append((line_of(level_path), _required(lwhere, "points")))
            continue
        points = level["points"]
        if not _is_int(points) or not 0 <= points <= MAX_POINTS:
            problems.append((line_of(level_path + ("points",)),
                             _l("%(where)s: 'points' harus bilangan bulat dari 0 sampai %(max)d", where=lwhere, max=MAX_POINTS)))
            continue
        highest = points if highest is None else max(highest, points)
    return highest


def validate_exercise_block(data: Mapping[str, Any], line_of) -> list[tuple[int, Any]]:
    problems: list[tuple[int, Any]] = []
    where = _where()
    for key in data:
        if key not in KEYS:
            problems.append((line_of((key,)), _unknown(where, key)))

    if "slug" not in data:
        problems.append((line_of(()), _required(where, "slug")))
    elif not isinstance(data["slug"], str) or not SLUG.fullmatch(data["slug"]):
        problems.append((line_of(("slug",)), _l(
            "%(where)s: 'slug' harus berupa slug (huruf kecil, angka dan tanda hubung)", where=where)))
    _text(data, "title", (), line_of, problems, where, MAX_TITLE)
    _text(data, "instructions", (), line_of, problems, where, MAX_INSTRUCTIONS)

    if "submit" not in data:
        problems.append((line_of(()), _required(where, "submit")))
    else:
        submit = data["submit"]
        if not isinstance(submit, list) or not submit:
            problems.append((line_of(("submit",)), _l(
                "%(where)s: 'submit' harus daftar berisi satu atau lebih dari: %(kinds)s", where=where, kinds=", ".join(KINDS))))
        else:
            seen = set()
            for index, kind in enumerate(submit):
                if not isinstance(kind, str) or kind not in KINDS:
                    problems.append((line_of(("submit", index)), _l(
                        "%(where)s: jenis kiriman '%(kind)s' tidak dikenal; pilih dari: %(kinds)s",
                        where=where, kind=kind, kinds=", ".join(KINDS))))
                elif kind in seen:
                    problems.append((line_of(("submit", index)), _l(
                        "%(where)s: jenis kiriman '%(kind)s' tertulis dua kali", where=where, kind=kind)))
                seen.add(kind)

    if "tracks" in data:
        tracks = data["tracks"]
        if not isinstance(tracks, list):
            problems.append((line_of(("tracks",)), _l(
                "%(where)s: 'tracks' harus daftar jalur, misalnya [umum, opd, lansia] (kosong [] = semua jalur)", where=where)))
        else:
            seen = set()
            for index, track in enumerate(tracks):
                if not isinstance(track, str) or track not in TRACKS:
                    problems.append((line_of(("tracks", index)), _l(
                        "%(where)s: jalur '%(track)s' tidak dikenal; pilih dari: %(tracks)s",
                        where=where, track=track, tracks=", ".join(TRACKS))))
                elif track in seen:
                    problems.append((line_of(("tracks", index)), _l(
                        "%(where)s: jalur '%(track)s' tertulis dua kali", where=where, track=track)))
                seen.add(track)

    total: int | None = None
    if "rubric" not in data:
        problems.append((line_of(()), _required(where, "rubric")))
    elif not isinstance(data["rubric"], list) or not data["rubric"]:
        problems.append((line_of(("rubric",)), _l("%(where)s: 'rubric' harus daftar berisi minimal satu kriteria", where=where)))
    else:
        rubric = data["rubric"]
        if len(rubric) > MAX_CRITERIA:
            problems.append((line_of(("rubric",)), _l("%(where)s: maksimal %(max)d kriteria", where=where, max=MAX_CRITERIA)))
        total, names = 0, set()
        for index, criterion in enumerate(rubric):
            path = ("rubric", index)
            cwhere = _criterion_where(index + 1)
            if not isinstance(criterion, dict):
                problems.append((line_of(path), _l("%(where)s: tulis sebagai criterion: … dan levels: …", where=cwhere)))
                total = None
                continue
            for key in criterion:
                if key not in CRITERION_KEYS:
                    problems.append((line_of(path + (key,)), _unknown(cwhere, key)))
            name = _text(criterion, "criterion", path, line_of, problems, cwhere, MAX_LABEL)
            if name and name.casefold() in names:
                problems.append((line_of(path + ("criterion",)), _l(
                    "%(where)s: kriteria '%(name)s' tertulis dua kali", where=cwhere, name=name)))
            if name:
                names.add(name.casefold())
            if "levels" not in criterion:
                problems.append((line_of(path), _required(cwhere, "levels")))
                total = None
                continue
            highest = _levels(criterion["levels"], path + ("levels",), index + 1, line_of, problems)
            if highest is None:
                total = None
            elif total is not None:
                total += highest

    if "pass_score" not in data:
        problems.append((line_of(()), _required(where, "pass_score")))
    else:
        pass_score = data["pass_score"]
        if not _is_int(pass_score) or pass_score < 0:
            problems.append((line_of(("pass_score",)), _l(
                "%(where)s: 'pass_score' harus bilangan bulat minimal 0", where=where)))
        elif total is not None and pass_score > total:
            problems.append((line_of(("pass_score",)), _l(
                "%(where)s: 'pass_score' (%(score)d) melebihi skor tertinggi rubrik (%(total)d, jumlah poin tertinggi tiap kriteria)",
                where=where, score=pass_score, total=total)))
    return problems


# ------------------------------------------------------------------ reading back


def read_exercise(data: Mapping[str, Any] | None) -> ExerciseSpec | None:
    """A stored block (already validated at import) as an `ExerciseSpec`."""
    if not data or not isinstance(data, Mapping):
        return None
    criteria = []
    for item in data.get("rubric") or ():
        levels = tuple(
            Level(_level_label(level) or "", int(level.get("points", 0)))
            for level in item.get("levels") or () if isinstance(level, Mapping)
        )
        criteria.append(Criterion(str(item.get("criterion", "")).strip(), levels))
    return ExerciseSpec(
        slug=str(data.get("slug", "")),
        title=str(data.get("title", "")).strip(),
        instructions=str(data.get("instructions", "")),
        submit=tuple(k for k in KINDS if k in (data.get("submit") or ())),
        tracks=tuple(t for t in TRACKS if t in (data.get("tracks") or ())),
        criteria=tuple(criteria),
        pass_score=int(data.get("pass_score", 0)),
    )
