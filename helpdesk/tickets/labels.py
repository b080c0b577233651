"""Translated labels for stored values (statuses, priorities, channels, activity kinds), for templates."""

import functools

from flask_babel import force_locale, get_locale, pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.extensions import db
from .forms import channel_choices, level_choices, priority_choices, status_choices
from .models import Activity, Category

ACTIVITY = {
    "created": _l("created the ticket via %(new)s"),
    "status": _l("changed the status from %(old)s to %(new)s"),
    "priority": _l("changed the priority from %(old)s to %(new)s"),
    "impact": _l("changed the impact from %(old)s to %(new)s"),
    "urgency": _l("changed the urgency from %(old)s to %(new)s"),
    "assignee": _l("changed the assignee from %(old)s to %(new)s"),
    "category": _l("changed the category from %(old)s to %(new)s"),
    "team": _l("changed the team from %(old)s to %(new)s"),
    "reply": _l("replied to the customer"),
    "note": _l("added an internal note"),
    "customer_reply": _l("replied"),
    "field": _l("set the answer to “%(old)s” to: %(new)s"),
    "nobody": _l("nobody"),
}


_TABLES = {"status": status_choices, "priority": priority_choices, "level": level_choices, "channel": channel_choices}


@functools.lru_cache(maxsize=16)
def _labels(kind: str, locale: str) -> dict[str, str]:
    with force_locale(locale):
        return {value: str(name) for value, name in _TABLES[kind]()}


def labels(kind: str) -> dict[str, str]:
    """All translated labels of one kind for the current locale: {'pending': 'Pendiente', …}."""
    return _labels(kind, str(get_locale()))


def label(kind: str, value: object) -> str:
    """The translated label of a stored value, e.g. label('status', 'pending') -> 'Pending' / 'Pendiente'."""
    if value is None:
        return "—"
    value = getattr(value, "value", value)
    return labels(kind).get(value, value)


@functools.lru_cache(maxsize=8)
def _activity_templates(locale: str) -> dict[str, str]:
    with force_locale(locale):
        templates = {kind: str(text) for kind, text in ACTIVITY.items()}
        # "None" agrees with its noun in Spanish: la categoría → ninguna, el equipo → ninguno.
        templates["no_category"] = pgettext("category", "none")
        templates["no_team"] = pgettext("team", "none")
        return templates


def _category_names(names: list[str], locale: str) -> dict[str, str]:
    """Categories by the English name the trail stores, in the viewer's language (category changes are rare)."""
    categories = db.session.scalars(select(Category).where(Category.name_en.in_([n for n in names if n])))
    return {c.name_en: c.name(locale) for c in categories}


def activity_text(entry: Activity) -> str:
    locale = str(get_locale())
    templates = _activity_templates(locale)
    template = templates.get(entry.kind)
    if template is None:
        return entry.kind
    kinds = {"status": "status", "priority": "priority", "impact": "level", "urgency": "level", "created": "channel"}
    if entry.kind in kinds:
        old, new = label(kinds[entry.kind], entry.old), label(kinds[entry.kind], entry.new)
    elif entry.kind == "field":
        old, new = entry.old, entry.new or "—"
    elif entry.kind == "category":
        names, none = _category_names([entry.old, entry.new], locale), templates["no_category"]
        old, new = names.get(entry.old, entry.old) or none, names.get(entry.new, entry.new) or none
    else:
        nobody = templates["no_team" if entry.kind == "team" else "nobody"]
        old, new = entry.old or nobody, entry.new or nobody
    return template % {"old": old, "new": new}
