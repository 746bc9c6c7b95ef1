"""The repository's curriculum: valid, complete, and the brief's default paths per track."""
from __future__ import annotations

from pathlib import Path

import pytest

from lms.courses.models import Course, Module, ModuleRevision
from lms.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ["literasi-digital-dasar", "produksi-konten-hp", "kreator-youtube", "kreator-tiktok",
             "umkm-malang-go-digital", "komunikasi-publik-opd"]

# The brief's "Who takes what" table (required modules), in catalogue order.
EXPECTED_PATHS = {
    "opd": ["empat-pilar-literasi-digital", "amankan-akun-anti-penipuan", "lindungi-data-pribadi", "rambu-hukum-uu-ite-kuhp",
            "ide-naskah-ajakan", "rekam-pakai-hp", "edit-takarir-aksesibel", "ai-dengan-jujur",
            "kanal-youtube-studio", "pedoman-komunitas-youtube", "akun-pedoman-tiktok", "endorse-transparan",
            "akun-resmi-vs-pribadi", "netralitas-asn-medsos", "konten-layanan-publik", "tanggapi-kritik-krisis"],
    "umum": ["empat-pilar-literasi-digital", "saring-sebelum-sharing", "amankan-akun-anti-penipuan", "lindungi-data-pribadi",
             "rambu-hukum-uu-ite-kuhp", "ide-naskah-ajakan", "rekam-pakai-hp", "edit-takarir-aksesibel", "hak-cipta-musik-aset",
             "akun-pedoman-tiktok", "video-pendek-fyf", "cerita-produk-lokal-malang", "foto-video-produk-jujur"],
    "lansia": ["empat-pilar-literasi-digital", "saring-sebelum-sharing", "amankan-akun-anti-penipuan", "lindungi-data-pribadi",
               "rekam-pakai-hp", "edit-takarir-aksesibel", "akun-pedoman-tiktok", "cerita-produk-lokal-malang"],
}


@pytest.fixture
def app_config(base_config):
    return {**base_config, "LMS_COURSES_PATH": str(ROOT / "courses")}


@pytest.fixture
def imported(app):
    result = app.test_cli_runner().invoke(args=["lms", "import-courses"])
    assert result.exit_code == 0, result.output
    return result


def test_check_passes_on_the_repository(app):
    result = app.test_cli_runner().invoke(args=["lms", "import-courses", "--check"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(Course).count() == 0  # --check writes nothing


def test_lint_has_no_errors(app):
    result = app.test_cli_runner().invoke(args=["lms", "lint-courses"])
    assert result.exit_code == 0, result.output
    assert " 0 errors" in result.output


def test_six_courses_with_sourced_modules_and_quizzes(app, imported):
    with app.app_context():
        courses = {c.slug: c for c in db.session.scalars(db.select(Course))}
        assert set(PROGRAMME) <= set(courses)
        revisions = db.session.execute(
            db.select(Course.slug, Module.slug, ModuleRevision)
            .join(Module, Module.course_id == Course.id)
            .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
            .where(Course.slug.in_(PROGRAMME))
        ).all()
    assert len(revisions) >= 24
    for course_slug, module_slug, revision in revisions:
        where = f"{course_slug}/{module_slug}"
        questions = (revision.quiz or {}).get("questions", [])
        assert len(questions) >= 5, where
        assert all(q.get("explanation") for q in questions), where
        assert len({q["type"] for q in questions}) >= 2, where
        sources = revision.meta["sources"]
        assert any(s.get("url", "").startswith("https://") or s.get("url", "").startswith("http://") for s in sources), where
        assert all(s.get("date") for s in sources), where
        assert revision.meta["objectives"], where


def test_signature_exercises_exist(app, imported):
    with app.app_context():
        rows = dict(db.session.execute(
            db.select(Module.slug, ModuleRevision.exercise)
            .join(ModuleRevision, ModuleRevision.id == Module.current_revision_id)
            .where(Module.slug.in_(["video-pendek-fyf", "konten-layanan-publik"]))
        ).all())
    tiktok = " ".join(c["criterion"] for c in rows["video-pendek-fyf"]["rubric"])
    for criterion in ("Pembuka 3 detik pertama", "Takarir", "Pengungkapan konten berbayar", "Tidak ada data pribadi warga"):
        assert criterion.split()[0] in tiktok, criterion
    assert rows["konten-layanan-publik"]["tracks"] == ["opd"]


@pytest.mark.parametrize("track", ["opd", "umum", "lansia"])
def test_new_waves_get_the_briefs_required_modules(app, imported, track):
    from lms.core.db import utcnow
    from lms.waves import services as waves

    with app.app_context():
        now = utcnow()
        wave = waves.save_wave(None, waves.WaveData(
            name=f"Gelombang {track}", programme="Pelatihan Influencer Kota Malang 2026", code=f"X{track[:3].upper()}",
            track=track, starts_on=now.date(), ends_on=now.date()), None, now)
        assert [item.module_slug for item in waves.learning_path(wave)] == EXPECTED_PATHS[track]
