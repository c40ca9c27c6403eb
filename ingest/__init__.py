"""Tværs ingest: raw files to clean, structured, citable passages."""
