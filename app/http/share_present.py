"""Share links in their public shape."""

from __future__ import annotations

from datetime import datetime

from app.http.share_schemas import SharePublic
from app.store.models import ShareLink


def share_public(link: ShareLink, now: datetime, url: str | None = None) -> SharePublic:
    """A link as its owner sees it."""
    return SharePublic(
        id=link.id or 0,
        kind=link.kind,
        interview_id=link.interview_id,
        run_id=link.run_id,
        created_at=link.created_at,
        expires_at=link.expires_at,
        revoked=link.revoked_at is not None,
        active=link.revoked_at is None and link.expires_at > now,
        views=link.views,
        last_viewed_at=link.last_viewed_at,
        url=url,
    )
