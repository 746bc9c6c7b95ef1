"""Issuing: automatically on completion, in bulk by staff, exactly once even under a race."""
from __future__ import annotations

import re
import threading

import pytest

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.core.db import utcnow
from lms.extensions import db
from lms.waves import services as waves

from .conftest import complete_modules, login_as, text_of

SERIAL = re.compile(r"^SINAU/\d{4}/G03/\d{4}$")


def _certificates(app, wave_id=None):
    with app.app_context():
        stmt = db.select(Certificate).order_by(Certificate.id)
        if wave_id is not None:
            stmt = stmt.where(Certificate.wave_id == wave_id)
        rows = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return rows


def test_marking_the_last_module_issues_the_certificate(app, setting, enrol, make_user):
    trainee = make_user(name="Ṣāliḥah Ni Luh Putu Ayu Déwi")
    enrol(setting.wave, trainee)
    complete_modules(app, trainee, modules=("kursus-uji-m1",))
    assert _certificates(app) == []
    client, actions = login_as(app, trainee)
    client.get("/kursus/kursus-uji/kursus-uji-m2")
    actions.post("/kursus/kursus-uji/kursus-uji-m2/selesai")
    [certificate] = _certificates(app)
    assert certificate.user_id == trainee.id and certificate.wave_id == setting.wave.id
    assert certificate.issued_by is None  # automatic
    assert certificate.name == "Ṣāliḥah Ni Luh Putu Ayu Déwi"
    assert SERIAL.match(certificate.serial) and certificate.serial.endswith("/0001")
    assert len(certificate.code) >= 32 and certificate.code not in certificate.serial
    assert certificate.hours == 16 and certificate.wave_name == "Gelombang 3"
    assert [(m["module"], m["revision"]) for m in certificate.modules] == [("kursus-uji-m1", 1), ("kursus-uji-m2", 1)]
    html = text_of(client.get("/sertifikat"))
    assert certificate.serial in html
    assert f"http://sinau.test/verify/{certificate.code}" in html  # the share link, ready to copy
    assert f"/sertifikat/{certificate.id}.pdf" in html and f"/sertifikat/{certificate.id}/open-badge.json" in html


def test_not_completed_gets_no_certificate(app, setting, enrol, make_user):
    trainee = make_user()
    enrol(setting.wave, trainee)
    complete_modules(app, trainee, modules=("kursus-uji-m2",))
    with app.app_context():
        with pytest.raises(services.CertificateError):
            services.issue(waves.get_wave(setting.wave.id), db.session.get(User, trainee.id), utcnow())


def test_issue_is_idempotent_and_sequences_count_per_wave(app, setting, graduate, issue, make_wave, enrol, make_user):
    a, b = graduate("Peserta A"), graduate("Peserta B")
    first = issue(setting.wave, a)
    assert issue(setting.wave, a) == first
    second = issue(setting.wave, b)
    assert first[2].endswith("/0001") and second[2].endswith("/0002")
    other = make_wave(exercises_required=False, code="G04")
    c = make_user()
    enrol(other, c)
    complete_modules(app, c)
    assert issue(other, c)[2].endswith("/G04/0001")


def _race(app, wave_id: int, user_ids: list[int]) -> list:
    barrier = threading.Barrier(len(user_ids))
    results, errors = [], []

    def worker(user_id):
        try:
            with app.app_context():
                barrier.wait(5)
                certificate, new = services.issue(waves.get_wave(wave_id), db.session.get(User, user_id), utcnow())
                db.session.commit()
                results.append((certificate.id, new))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    return results


def test_two_requests_racing_issue_exactly_one(app, setting, graduate):
    trainee = graduate()
    results = _race(app, setting.wave.id, [trainee.id, trainee.id])
    assert len({cid for cid, _ in results}) == 1
    assert sorted(new for _, new in results) == [False, True]
    assert len(_certificates(app)) == 1


def test_racing_trainees_get_distinct_serials(app, setting, graduate):
    people = [graduate(f"Peserta {i}") for i in range(3)]
    results = _race(app, setting.wave.id, [p.id for p in people])
    assert all(new for _, new in results)
    serials = sorted(c.serial for c in _certificates(app))
    assert [s[-4:] for s in serials] == ["0001", "0002", "0003"]


def test_savepoint_turns_a_duplicate_into_already_issued(app, setting, graduate, issue):
    """The partial unique index refuses a second valid certificate; the
    savepoint keeps the surrounding transaction usable."""
    trainee = graduate()
    cid, _code, _serial = issue(setting.wave, trainee)
    with app.app_context():
        original = db.session.get(Certificate, cid)
        duplicate = Certificate(
            **{c.key: getattr(original, c.key) for c in Certificate.__table__.columns if c.key not in ("id",)}
        )
        duplicate.sequence, duplicate.serial, duplicate.code = 99, "SINAU/2026/G03/0099", "x" * 32
        assert services._insert(duplicate) is False
        assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 1  # still usable
        # With the first revoked, a new valid one is allowed beside it.
        original.revoked_at = utcnow()
        db.session.flush()
        again = Certificate(**{c.key: getattr(duplicate, c.key) for c in Certificate.__table__.columns if c.key != "id"})
        assert services._insert(again) is True
        db.session.rollback()


def test_bulk_issue_preview_then_confirm(app, setting, graduate, enrol, make_user, issue):
    done_1, done_2 = graduate("Bu Sri Sukun"), graduate("Pak Anwar Blimbing")
    issue(setting.wave, done_2)
    not_done = make_user(name="Mas Belum Selesai")
    enrol(setting.wave, not_done)
    client, actions = login_as(app, setting.trainer)
    page = text_of(client.get(f"/gelombang/{setting.wave.id}/sertifikat/terbitkan"))
    assert "Bu Sri Sukun" in page
    assert "Pak Anwar Blimbing" not in page  # already has one
    assert "Mas Belum Selesai" not in page
    assert "Terbitkan 1 sertifikat" in page
    assert len(_certificates(app)) == 1  # the preview changes nothing
    response = actions.post(f"/gelombang/{setting.wave.id}/sertifikat/terbitkan")
    assert response.status_code == 302
    rows = _certificates(app)
    assert len(rows) == 2
    new = [c for c in rows if c.user_id == done_1.id][0]
    assert new.issued_by == setting.trainer.id
    actions.post(f"/gelombang/{setting.wave.id}/sertifikat/terbitkan")  # a second tap issues nothing
    assert len(_certificates(app)) == 2
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "certificates.issued")) == 1


def test_bulk_issue_needs_csrf_and_a_managed_wave(app, setting, graduate, make_user):
    graduate()
    client, actions = login_as(app, setting.trainer)
    assert client.post(f"/gelombang/{setting.wave.id}/sertifikat/terbitkan").status_code == 400
    stranger = make_user(role="trainer")
    client, actions = login_as(app, stranger)
    assert client.get(f"/gelombang/{setting.wave.id}/sertifikat/terbitkan").status_code == 404
    assert actions.post(f"/gelombang/{setting.wave.id}/sertifikat/terbitkan").status_code == 404
    trainee = make_user()
    client, actions = login_as(app, trainee)
    assert client.get(f"/gelombang/{setting.wave.id}/sertifikat/terbitkan").status_code == 403
    assert _certificates(app) == []
