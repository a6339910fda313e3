"""Outcomes: what came of each meeting, MOUs and follow-ups."""
