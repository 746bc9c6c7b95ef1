"""Practical exercises: trainees send a video link, a written answer or a
screenshot; trainers review it with the module's rubric; approved work counts
toward wave completion, feeds the OPD report and, with consent, the public
gallery."""
