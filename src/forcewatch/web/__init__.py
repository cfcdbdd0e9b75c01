"""The web app and JSON API (FastAPI + Jinja2). Every asset is served locally."""

from .app import create_app

__all__ = ["create_app"]
