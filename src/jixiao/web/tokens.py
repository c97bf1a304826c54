"""API tokens for scripts: ``issue_token`` makes one, ``user_for_token`` checks one.

In: a user and what the token is for (``issue_token``), or the secret a script sends as
``Authorization: Bearer …`` (``user_for_token``). Out: the secret, shown once and never stored (only
its SHA-256 digest is kept in ``ApiToken``), or the active user it belongs to (None when unknown).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from jixiao.web.models import ApiToken, AuditEvent

#: Every secret starts with this, so a leaked token is easy to recognise in logs and code.
PREFIX = "jx_"
#: The longest secret accepted for checking (longer input is refused without hashing it).
MAX_LENGTH = 200


def digest(secret: str) -> str:
    """The SHA-256 (hex) of a secret: what the database keeps."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user: Any, name: str = "") -> str:
    """A new token for ``user``; the secret is returned once and cannot be recovered later."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], digest=digest(secret))
    AuditEvent.objects.create(actor=user, action="token", detail={"token": token.pk, "name": token.name})
    return secret


def user_for_token(secret: str) -> Any | None:
    """The active user owning ``secret`` (its last use noted), or None."""
    if not secret or len(secret) > MAX_LENGTH or not secret.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
