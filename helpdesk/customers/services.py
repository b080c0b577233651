"""Customer writes. Functions flush, never commit: the caller owns the transaction."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..core.extensions import db
from .models import Customer


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_or_create_customer(email: str, *, name: str = "", locale: str | None = None) -> Customer:
    """The customer with this email (any case), created if new; a name given now fills an empty one."""
    email = normalize_email(email)
    customer = db.session.scalar(select(Customer).where(Customer.email == email))
    if customer is None:
        try:
            with db.session.begin_nested():  # a concurrent request may create the same customer
                customer = Customer(email=email, name=name.strip(), locale=locale)
                db.session.add(customer)
        except IntegrityError:
            customer = db.session.scalars(select(Customer).where(Customer.email == email)).one()
    else:
        if name and not customer.name:
            customer.name = name.strip()
        if locale:  # the language they write in now is the one to answer in
            customer.locale = locale
    return customer
