"""Writing and fixing lessons in the browser.

Trainers and admins edit a module's metadata, Markdown body, quiz and
exercise in forms (`/tulis/…`). Saving keeps a shared draft per module with
optimistic locking; publishing turns the draft into a new `ModuleRevision`
through exactly the pipeline `import-courses` uses (the canonical module file
text is parsed, checked and rendered by `lms.courses.format` and
`lms.courses.rendering`), so a published revision's content hash equals the
hash of the file `export-courses` writes for it. Images are stored in the
database and served through the course asset route.

This package sits above `lms.courses`; `lms.courses` never imports it.
"""
