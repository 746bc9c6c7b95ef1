"""The OPD report: agencies, heads and staff, exercises and approved videos."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from sqlalchemy import event

from lms.auth.models import User
from lms.core.db import utcnow
from lms.exercises import reports, reviewing, services
from lms.exercises.models import Submission
from lms.extensions import db

from .conftest import M2, login_as

TT = "7301234567890123456"
EVIL_NAME = '=HYPERLINK("http://evil.example","klik")'


def _send_and_review(app, wave_id, user, trainer, decision="lulus", link=None):
    with app.app_context():
        person = db.session.get(User, user.id)
        exercise = services.get_exercise(M2)
        sent = services.submit(person, exercise, services.Answer(link=link or f"https://www.tiktok.com/@opd/video/{TT}"), utcnow())
        if decision:
            reviewing.review(db.session.get(User, trainer.id), sent, exercise, [1 if decision == "lulus" else 0],
                            "Catatan", decision, utcnow())
        db.session.commit()


@pytest.fixture
def opd(app, course, make_wave, enrol, make_user, make_agency):
    trainer = make_user(role="trainer")
    admin = make_user(role="admin")
    wave = make_wave(track="opd", trainers=[trainer], stage=1)
    later = make_wave(track="opd", trainers=[trainer], stage=2)
    capil, dinkes = make_agency("Dispendukcapil"), make_agency("Dinkes")
    make_agency("Bapenda")  # no one from Bapenda takes part
    head_a = make_user(name="Dr. Hendra Kusuma", agency_id=capil, is_opd_head=True)
    staff_a = make_user(name="Staf Capil", agency_id=capil)
    head_b = make_user(name=EVIL_NAME, agency_id=dinkes, is_opd_head=True)
    staff_b = make_user(name="Staf Dinkes", agency_id=dinkes)
    for person in (head_a, staff_a, head_b):
        enrol(wave, person)
    enrol(later, staff_b)
    _send_and_review(app, wave.id, head_a, trainer, "lulus")
    _send_and_review(app, wave.id, head_b, trainer, None)  # waiting
    _send_and_review(app, later.id, staff_b, trainer, "lulus", link="https://vm.tiktok.com/ZMabc123/")
    return {"wave": wave, "later": later, "admin": admin, "trainer": trainer, "capil": capil, "dinkes": dinkes}


def test_report_shows_agencies_and_marks_done(app, opd):
    with app.app_context():
        report = reports.opd_report()
    by_name = {a.abbreviation: a for a in report.agencies}
    assert set(by_name) == {"Dispendukcapil", "Dinkes"} and report.agencies_total == 3
    capil, dinkes = by_name["Dispendukcapil"], by_name["Dinkes"]
    assert capil.done and not dinkes.done  # Dinkes' approved video is the staff member's, not the head's
    assert [p.name for p in capil.heads] == ["Dr. Hendra Kusuma"] and [p.name for p in capil.staff] == ["Staf Capil"]
    assert (capil.submitted, capil.approved) == (1, 1) and (dinkes.submitted, dinkes.approved) == (2, 1)
    assert capil.heads[0].videos == [("Video kepala OPD uji", f"https://www.tiktok.com/@opd/video/{TT}")]
    assert report.done_count == 1


def test_filters_by_wave_and_stage(app, opd):
    with app.app_context():
        first = reports.opd_report(wave_id=opd["wave"].id)
        second = reports.opd_report(stage=2)
    assert {a.abbreviation for a in first.agencies} == {"Dispendukcapil", "Dinkes"}
    assert [p.name for p in {a.abbreviation: a for a in first.agencies}["Dinkes"].people] == [EVIL_NAME]
    assert [(a.abbreviation, [p.name for p in a.people]) for a in second.agencies] == [("Dinkes", ["Staf Dinkes"])]
    assert second.agencies[0].approved == 1


def test_page_and_a_fixed_number_of_queries(app, opd, make_user, make_agency, enrol):
    client, _ = login_as(app, opd["admin"])
    html = re.sub(r"\s+", " ", client.get("/laporan/opd").get_data(as_text=True))
    assert "Dispendukcapil" in html and "Dr. Hendra Kusuma" in html and f"https://www.tiktok.com/@opd/video/{TT}" in html
    assert "Selesai" in html
    assert "&#34;klik&#34;" in html or "&quot;klik&quot;" in html  # escaped
    assert "Dinkes" in client.get("/laporan/opd?tahap=2").get_data(as_text=True)

    def count():
        statements = []

        def listener(*_args, **_kwargs):
            statements.append(1)

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                reports.opd_report()
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for n in range(4):
        agency = make_agency(f"OPD{n}")
        for k in range(3):
            person = make_user(name=f"Pegawai {n}-{k}", agency_id=agency, is_opd_head=k == 0)
            enrol(opd["wave"], person)
            _send_and_review(app, opd["wave"].id, person, opd["trainer"], "lulus")
    assert count() == before <= 5


def test_exports_neutralise_formulas(app, opd):
    client, _ = login_as(app, opd["admin"])
    response = client.get("/laporan/opd.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    names = [row[3] for row in rows[1:]]
    assert "'" + EVIL_NAME in names and EVIL_NAME not in names
    assert any(row[7] == f"https://www.tiktok.com/@opd/video/{TT}" and row[8] == "Ya" for row in rows)

    xlsx = client.get("/laporan/opd.xlsx").data
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        strings = zf.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in zf.namelist() else sheet
    assert "<f>" not in sheet
    assert "&apos;=HYPERLINK" in strings or "'=HYPERLINK" in strings
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Submission.id))) == 3
