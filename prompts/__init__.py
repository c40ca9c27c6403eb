"""Tværs prompts: jinja2 templates and the topic map for templated advice."""
