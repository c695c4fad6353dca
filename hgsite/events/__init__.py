"""The user's tag events: the record (model), the project's log (log), import and export (transfer)."""
