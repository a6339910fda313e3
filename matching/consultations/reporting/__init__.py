"""Reporting: the results dashboard and its exports (the top of consultations)."""
