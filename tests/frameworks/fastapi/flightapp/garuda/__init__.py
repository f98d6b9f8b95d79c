"""Garuda drone flight sessions: CRUD in a ``{"success": true, "data": ...}`` envelope."""
