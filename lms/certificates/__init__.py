"""Certificates: issued per wave on completion, PDF with QR code, public verification."""
