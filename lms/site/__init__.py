"""Site-wide pages: the entry redirect, the home dashboard, health, language, privacy."""
