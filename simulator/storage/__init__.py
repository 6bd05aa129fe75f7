"""Storing sessions: the store and its SQLite / PostgreSQL backends."""
