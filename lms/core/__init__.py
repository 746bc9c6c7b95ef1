"""Cross-cutting pieces every domain package may use: database setup, time,
security headers, error pages, language selection and health."""
