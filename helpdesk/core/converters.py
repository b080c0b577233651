"""URL converters: `<id:name>` for every record id in a route."""

from werkzeug.routing import IntegerConverter, Map

from .models import MAX_INT


class IdConverter(IntegerConverter):
    """A record id: ASCII digits, 1 to MAX_INT (a bigger number is a 404, never an overflow in the database)."""

    regex = r"[0-9]+"  # werkzeug's \d+ also takes other scripts' digits (١, ７)

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_INT)
