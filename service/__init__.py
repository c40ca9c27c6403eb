"""Tværs service: the FastAPI app and web pages."""
