"""Reads about customers. No writes."""

from sqlalchemy import select

from ..core.extensions import db
from .models import Customer


def customer_by_email(email: str) -> Customer | None:
    """The customer with this (already normalized) address, if any."""
    return db.session.scalar(select(Customer).where(Customer.email == email))
