"""Tværs: cited guidance on cross-sector leadership from a Danish corpus."""

__version__ = "0.1.0"
