from __future__ import annotations

from lms.agencies.data import AGENCIES
from lms.agencies.models import Agency
from lms.extensions import db


def seed(entries=AGENCIES) -> int:
    """Add the reference agencies that are missing; returns how many were added."""
    existing = set(db.session.scalars(db.select(Agency.abbreviation)))
    added = 0
    for abbreviation, name, kind in entries:
        if abbreviation not in existing:
            db.session.add(Agency(abbreviation=abbreviation, name=name, kind=kind))
            added += 1
    db.session.flush()
    return added


def active_agencies() -> list[Agency]:
    return list(db.session.scalars(db.select(Agency).where(Agency.active).order_by(Agency.abbreviation)))


def all_agencies() -> list[Agency]:
    return list(db.session.scalars(db.select(Agency).order_by(Agency.active.desc(), Agency.abbreviation)))


def get(agency_id: int) -> Agency | None:
    return db.session.get(Agency, agency_id)


def find_by_name(text: str) -> Agency | None:
    """Match an abbreviation or a full name, ignoring case (used by imports)."""
    key = " ".join(text.split()).casefold()
    for agency in all_agencies():
        if key in (agency.abbreviation.casefold(), agency.name.casefold()):
            return agency
    return None


class AgencyError(ValueError):
    pass


def save(agency: Agency | None, abbreviation: str, name: str, kind: str) -> Agency:
    abbreviation, name = abbreviation.strip(), " ".join(name.split())
    clash = db.session.scalar(db.select(Agency).where(Agency.abbreviation == abbreviation))
    if clash is not None and clash is not agency:
        raise AgencyError(abbreviation)
    if agency is None:
        agency = Agency(abbreviation=abbreviation, name=name, kind=kind)
        db.session.add(agency)
    else:
        agency.abbreviation, agency.name, agency.kind = abbreviation, name, kind
    db.session.flush()
    return agency


def set_active(agency: Agency, active: bool) -> None:
    agency.active = active
    db.session.flush()


def blocklist_words() -> set[str]:
    """Agency names people are tempted to use as passwords."""
    words = set()
    for abbreviation, _name, _kind in AGENCIES:
        words.add(abbreviation.casefold().replace(" ", "").replace(".", "").replace("-", ""))
    return words
