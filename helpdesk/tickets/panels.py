"""Panels other domains add to the agent's ticket page: each provider returns template context for one ticket.

Providers are registered in `create_app`, so `tickets` never imports the domains that show something on its page.
"""

from collections.abc import Callable
from typing import Any

from .models import Ticket

Provider = Callable[[Ticket], dict[str, Any]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def context_for(ticket: Ticket) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for provider in _providers:
        context.update(provider(ticket))
    return context
