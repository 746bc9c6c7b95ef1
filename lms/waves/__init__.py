"""Waves (gelombang): cohorts of about 50 trainees with their seats, waitlist,
in-person sessions, attendance and announcements.

Other domains read a wave through `lms.waves.services` (learning path,
enrolments, attendance); nothing here imports certificates or reports.
"""
