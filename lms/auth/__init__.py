"""Accounts, roles, login sessions and password rules."""
