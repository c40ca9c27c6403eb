"""Exercises for trainers (cases, dilemmas, discussion and quiz questions) built from the texts."""
