"""Admin changes to categories and custom fields. Flushes, never commits."""

from sqlalchemy import select

from ..core.extensions import db
from ..tickets.models import Category, CustomField, FieldType


def next_position(category: Category) -> int:
    return max((f.position for f in category.fields), default=-1) + 1


def create_category(name_en: str, name_es: str, *, active: bool = True) -> Category:
    position = (db.session.scalar(select(db.func.max(Category.position))) or 0) + 1
    category = Category(name_en=name_en, name_es=name_es, active=active, position=position)
    db.session.add(category)
    db.session.flush()
    return category


def save_field(category: Category, form, field: CustomField | None = None) -> CustomField:
    """Create or update a field from a validated FieldForm. A field's type is fixed once it exists."""
    if field is None:
        field = CustomField(category=category, type=FieldType(form.type.data), position=next_position(category))
        db.session.add(field)
    for name in ("label_en", "label_es", "help_en", "help_es"):
        setattr(field, name, getattr(form, name).data or "")
    field.is_required = bool(form.is_required.data)
    field.is_agent_only = bool(form.is_agent_only.data)
    field.options = form.parsed_options if field.type in (FieldType.SELECT, FieldType.MULTISELECT) else []
    field.min_value = form.min_number if field.type is FieldType.NUMBER else None
    field.max_value = form.max_number if field.type is FieldType.NUMBER else None
    db.session.flush()
    return field


def move_field(field: CustomField, step: int) -> None:
    """Swap the field with its neighbour above (step -1) or below (+1); positions are renumbered 0…n."""
    fields = list(field.category.fields)
    index = fields.index(field)
    target = index + step
    if 0 <= target < len(fields):
        fields[index], fields[target] = fields[target], fields[index]
    for position, each in enumerate(fields):
        each.position = position
    db.session.flush()
    db.session.expire(field.category, ["fields"])


def set_retired(field: CustomField, retired: bool) -> None:
    """Retire (hide from every form) or restore a field; its answers on tickets are never deleted."""
    field.is_active = not retired
    db.session.flush()
