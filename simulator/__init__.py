"""Pamong: a coaching-practice simulator."""

__version__ = "0.1.0"
