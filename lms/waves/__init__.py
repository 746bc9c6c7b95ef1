"""Waves (gelombang): cohorts of about 50 trainees with their seats, waitlist,
in-person sessions, attendance and announcements.

Other domains read a wave through `lms.waves.services` (learning path,
enrolments) and `lms.waves.attendance`; nothing here imports certificates or
reports. `services` is the base of the package: `attendance`, `announcements`,
`importing` and `overview` import it, never the other way round.
"""
