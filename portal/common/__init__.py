"""Helpers every app uses, at the bottom of the house with the pure cores: form and page helpers,
uploads, the task queue hand-off, e-mail, abuse limits, the search box's querysets and filters.

Nothing here imports an app of the portal."""
