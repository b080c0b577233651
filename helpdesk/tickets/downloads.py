"""Serving attachments: always as a download (nosniff), or inline only for content-verified raster images."""

from flask import Response, abort, send_file
from sqlalchemy import select

from ..core.extensions import db
from ..core.storage import path_for
from .models import Attachment, Ticket, TicketMessage


def attachment_of(ticket: Ticket, attachment_id: int, *, public_only: bool) -> Attachment:
    """The attachment if it belongs to this ticket (and, for customers, to a public message); else 404."""
    query = (
        select(Attachment)
        .join(TicketMessage, Attachment.message_id == TicketMessage.id)
        .where(Attachment.id == attachment_id, TicketMessage.ticket_id == ticket.id)
    )
    if public_only:
        query = query.where(TicketMessage.is_internal.is_(False))
    attachment = db.session.scalar(query)
    if attachment is None or not path_for(attachment.storage_key).exists():
        abort(404)
    return attachment


def send_attachment(attachment: Attachment, *, preview: bool = False) -> Response:
    path = path_for(attachment.storage_key)
    if preview:
        if not attachment.image_type:  # SVG, HTML and everything else: never rendered by the browser
            abort(404)
        response = send_file(path, mimetype=f"image/{attachment.image_type}", download_name=attachment.filename, max_age=3600)
        response.headers["Content-Disposition"] = "inline"
    else:
        response = send_file(path, mimetype="application/octet-stream", as_attachment=True, download_name=attachment.filename, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.public = False
    return response
