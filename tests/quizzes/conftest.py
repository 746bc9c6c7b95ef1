"""Helpers for the quiz tests. The pure-logic tests use no app and no database;
`make_quiz` (below) builds an imported course for the page and command tests."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"


class FakeLines:
    """A stand-in for the importer's `line_of`: every distinct key path gets its own line number,
    and `path(line)` tells which path an error was reported at."""

    FIRST = 1000

    def __init__(self):
        self.paths: list[tuple] = []

    def __call__(self, path: tuple) -> int:
        assert isinstance(path, tuple)
        if path not in self.paths:
            self.paths.append(path)
        return self.FIRST + self.paths.index(path)

    def path(self, line: int) -> tuple:
        return self.paths[line - self.FIRST]


@pytest.fixture
def fake_lines():
    return FakeLines()


def load_yaml(name: str):
    return yaml.safe_load((FIXTURES / name).read_text("utf-8"))


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


# --- fixtures for the pages, services and commands (app and database) --------

QUIZ_MODULE = "kuis-uji"
QUIZ_COURSE = "kursus-kuis"


def quiz_module_text(quiz_yaml: str, slug: str = QUIZ_MODULE, order: int = 1) -> str:
    from tests.courses.helpers import module_text

    return module_text(slug, title=f"Modul {slug}", order=order) + "\n```quiz\n" + quiz_yaml.strip("\n") + "\n```\n"


@pytest.fixture
def courses_dir(tmp_path):
    path = tmp_path / "courses"
    path.mkdir()
    return path


@pytest.fixture
def make_quiz(app, courses_dir):
    """make_quiz(quiz_yaml, slug=…) → module slug: a course with one module
    holding that quiz block, imported (with the quiz validator) and committed."""
    from tests.courses.helpers import import_tree, write_course

    modules: list[tuple[str, str]] = []

    def build(quiz_yaml: str, slug: str = QUIZ_MODULE) -> str:
        modules.append((slug, quiz_module_text(quiz_yaml, slug, order=len(modules) + 1)))
        write_course(courses_dir, QUIZ_COURSE, modules=modules, title="Kursus Kuis")
        from lms.courses import importer

        import_tree(app, courses_dir, validators=importer.block_validators(app))
        return slug

    return build
