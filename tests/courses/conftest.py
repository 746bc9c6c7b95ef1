"""Fixtures for the course pipeline: a curriculum folder per test under
tmp_path (LMS_COURSES_PATH points at it, so course images are served from it)."""
from __future__ import annotations

import pytest

from .helpers import import_tree


@pytest.fixture
def courses_dir(tmp_path):
    path = tmp_path / "courses"
    path.mkdir()
    return path


@pytest.fixture
def app_config(base_config, courses_dir):
    return {**base_config, "LMS_COURSES_PATH": str(courses_dir)}


@pytest.fixture
def do_import(app):
    """do_import(path) → ImportResult, committed (fails the test on problems)."""

    def run(path, expect_ok=True, **kwargs):
        return import_tree(app, path, expect_ok=expect_ok, **kwargs)

    return run
