"""Courses: the Markdown curriculum in courses/, imported into revisions, and
what each trainee has read.

Other domains (quizzes, exercises) depend on this package, never the other
way round: they hand their block validators to the importer through
`lms.courses.importer.register_block_validator`.
"""
