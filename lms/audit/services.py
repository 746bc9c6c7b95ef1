from __future__ import annotations

from datetime import datetime

from lms.audit.models import AuditEvent
from lms.extensions import db


def record(actor, action: str, target_type: str, target_id: int | None, now: datetime, **detail) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        at=now,
    )
    db.session.add(event)
    db.session.flush()
    return event


def recent(limit: int = 100) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))
