"""Garuda drone flight sessions: the tenants, their references and their sessions."""
