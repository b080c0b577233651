"""Customer writes. Functions flush, never commit: the caller owns the transaction."""

from sqlalchemy.exc import IntegrityError

from ..core.extensions import db
from .models import Customer
from .queries import customer_by_email


def normalize_email(email: str) -> str:
    """How addresses are stored and compared: no surrounding spaces, lower case."""
    return email.strip().lower()


def find_or_create_customer(email: str, *, name: str = "", locale: str | None = None) -> Customer:
    """The customer with this email (any case), created if new; a name given now fills an empty one."""
    email = normalize_email(email)
    customer = customer_by_email(email)
    if customer is None:
        try:
            with db.session.begin_nested():  # a concurrent request may create the same customer
                customer = Customer(email=email, name=name.strip(), locale=locale)
                db.session.add(customer)
        except IntegrityError:
            customer = customer_by_email(email)  # the other request's row, which made this insert fail
            if customer is None:
                raise
    else:
        if name and not customer.name:
            customer.name = name.strip()
        if locale:  # the language they write in now is the one to answer in
            customer.locale = locale
    return customer
