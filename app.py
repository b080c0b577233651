"""WSGI entry point: `gunicorn app:app`, and what `flask --app app` finds."""

from helpdesk import create_app

app = create_app()
