"""Administration of accounts: search, roles, deactivation, password resets."""
