"""Work the other apps keep for a person, shown on the home page beside the documents' inbox.

The core app does not know the apps built on it: each registers a provider (``register``, from its
``AppConfig.ready``) that answers, for a user, how many of its items wait for them and where they
are (运行监控与自评 waiting for a reviewer, or returned to a department). ``pending(user)`` asks them
all; an app with nothing waiting says nothing.

>>> Pending("运行监控与自评待审核", 2, "/cycle/overview/#waiting").count
2
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Pending:
    label: str  # what waits, in Chinese (运行监控与自评待审核)
    count: int
    url: str  # the page that lists them


Provider = Callable[[Any], "Pending | None"]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Add ``provider`` (once, however often an app is readied)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def pending(user: Any) -> list[Pending]:
    """What waits for ``user`` in the registered apps, those with nothing waiting left out."""
    found = [provider(user) for provider in _PROVIDERS]
    return [item for item in found if item is not None and item.count > 0]
