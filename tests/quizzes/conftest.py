"""Helpers for the quiz tests: pure logic, no app and no database."""
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
