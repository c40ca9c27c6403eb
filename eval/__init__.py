"""Tværs evaluation: gold sets, retrieval and answer metrics, reports."""
