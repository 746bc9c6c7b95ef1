"""An append-only record of administrative actions."""
