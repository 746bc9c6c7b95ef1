"""Kota Malang's agencies (OPD), managed by admins."""
