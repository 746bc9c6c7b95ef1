"""Messages for people: Indonesian msgids, lazy, with an English translation ready to merge.

The English catalogue lives outside this package (translations/en); the
entries for lms/quizzes are kept in fixtures/messages-en.po until they are
merged there. This test keeps that file in step with the code."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from lms.quizzes import parse_gift

from .conftest import FIXTURES

PACKAGE = Path(__file__).resolve().parents[2] / "lms" / "quizzes"


def source_messages() -> set[str]:
    return {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"_l": None})}


def catalogue() -> dict[str, str]:
    with open(FIXTURES / "messages-en.po", "rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale="en") if m.id}


def test_every_quiz_message_has_an_english_translation():
    translated = catalogue()
    assert sorted(m for m in source_messages() if not translated.get(m)) == []


def test_translations_keep_the_placeholders():
    for msgid, msgstr in catalogue().items():
        names = sorted(part.split(")")[0] for part in msgid.split("%(")[1:])
        assert sorted(part.split(")")[0] for part in msgstr.split("%(")[1:]) == names, msgid


def test_messages_are_lazy_and_render_in_indonesian_without_an_app():
    result = parse_gift("::A:: Rusak {=a")
    line, message = result.errors[0]
    assert not isinstance(message, str)  # translated when shown, in the reader's language
    assert str(message).startswith("pertanyaan 'A': kurung kurawal")
