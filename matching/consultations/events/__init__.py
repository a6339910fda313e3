"""Events: set-up, time slots, tables, registrations and interpreters (the bottom of consultations)."""
