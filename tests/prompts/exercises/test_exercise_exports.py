"""Markdown, HTML, DOCX (read back with python-docx) and GIFT (Moodle syntax) exports."""

from __future__ import annotations

import io

import docx
import pytest
from gift_syntax import GiftSyntaxError, parse_gift

from tvaers.contracts import Citation, ExerciseItem, ExerciseOptions, ExerciseQuote, ExerciseSheet
from tvaers.prompts.exercises.export import export, file_stem
from tvaers.prompts.exercises.export_gift import gift_escape, to_gift
from tvaers.prompts.exercises.export_markdown import to_markdown
from tvaers.prompts.exercises.quiz import BLANK
from tvaers.prompts.exercises.view import source_line


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def _sambo_sheet() -> ExerciseSheet:
    """A hand-made quiz item whose quote holds every GIFT special character."""
    text = "Aftalen SAM:BO = fælles regler {ikke #1} ~ på Fyn, også for patienter."
    citation = Citation(
        n=1, chunk_id="doc#1", doc_id="doc", title="Titel: med kolon", heading_path=["A", "B"],
        page_start=3, page_end=4, text=text, char_start=0, char_end=len(text), score=0.0,
    )
    start = text.index("regler")
    item = ExerciseItem(
        item_id="quiz-1", kind="quiz", title="Quizspørgsmål 1: SAM:BO",
        body="Hvilket ord mangler?", answer="regler", options=["regler", "mål", "møder", "øer"],
        correct_index=0, quiz_type="multiple_choice",
        quotes=[ExerciseQuote(text=text, citation=1, sentence_start=0, sentence_end=len(text))],
        gapped=text[:start] + BLANK + text[start + 6 :], blank_start=start, blank_end=start + 6,
        citations=[citation],
    )
    fill = item.model_copy(update={"item_id": "quiz-2", "quiz_type": "fill_blank",
                                   "options": [], "correct_index": None})
    return ExerciseSheet(sheet_id="x", title="Ark: SAM:BO", options=ExerciseOptions(),
                         items=[item, fill])


def test_gift_escapes_every_special_character() -> None:
    assert gift_escape("SAM:BO") == "SAM\\:BO"
    assert gift_escape("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    sheet = _sambo_sheet()
    text = to_gift(sheet)
    assert "SAM\\:BO" in text
    assert all("SAM:BO" not in line for line in text.splitlines() if not line.startswith("//"))
    mc, fill = parse_gift(text)
    assert mc.title == "Quizspørgsmål 1: SAM:BO" and mc.kind == "multiple_choice"
    assert mc.right == ["regler"] and mc.wrong == ["mål", "møder", "øer"]
    quote = sheet.items[0].quotes[0].text
    assert mc.before.endswith("»" + quote[: quote.index("regler")])
    assert mc.after.startswith(quote[quote.index("regler") + 6 :] + "«")
    assert mc.feedback == source_line(sheet.items[0].citations[0], "da")
    assert fill.kind == "short_answer" and fill.right == ["regler"]


@pytest.mark.parametrize(
    "bad",
    [
        "::T::Text with a colon: here {=a ~b}",
        "::T::Text {=a ~b} and {=c}",
        "::T::Text {~a ~b}",
        "::T::Text {=a =b ~c}",
        "T::Text {=a}",
        "::T::Text {=}",
        "::T::Text = equals {=a}",
    ],
)
def test_the_gift_checker_rejects_what_moodle_would_not_import(bad: str) -> None:
    with pytest.raises(GiftSyntaxError):
        parse_gift(bad)


@pytest.mark.slow
def test_done_sheet_gift_passes_the_moodle_syntax_check(done_sheet) -> None:
    out = export(done_sheet, "gift")
    assert out.filename.endswith(".gift.txt")
    questions = parse_gift(out.content.decode("utf-8"))
    quizzes = [i for i in done_sheet.items if i.kind == "quiz"]
    assert len(questions) == len(quizzes) == 4
    for q, item in zip(questions, quizzes, strict=True):
        assert q.title == item.title and q.right == [item.answer]
        before, after = item.gapped.split(BLANK)
        assert q.before == f"{item.body} »{before}" and q.after.startswith(f"{after}«")
        if item.quiz_type == "multiple_choice":
            assert sorted(q.wrong) == sorted(o for o in item.options if o != item.answer)
        else:
            assert q.kind == "short_answer"


@pytest.mark.slow
def test_done_sheet_docx_pair_reads_back_with_python_docx(done_sheet) -> None:
    handout = _docx_text(export(done_sheet, "docx", "handout").content)
    key = _docx_text(export(done_sheet, "docx", "key").content)
    assert "Øvelsesark: Private partnere og konsortier" in handout
    assert "Deltagerark" in handout and "Trænerens nøgle" in key
    for item in done_sheet.items:
        for text in (handout, key):
            assert item.title in text
            for citation in item.citations:
                assert source_line(citation, "da") in text
        for quote in item.quotes if item.kind != "quiz" else []:
            assert f"»{quote.text}«" in handout
        for quote in item.trainer_note:
            assert quote.text in key and quote.text not in handout
        if item.kind == "quiz":
            assert f"»{item.gapped}«" in handout
            assert "Svar: " in key
    assert "Svar:" not in handout
    assert "æ" in handout and "ø" in handout and "å" in handout
    assert export(done_sheet, "docx", "key").filename.endswith("-key.docx")


@pytest.mark.slow
def test_markdown_and_html_mark_quotes_apart_and_keep_answers_for_the_key(done_sheet) -> None:
    handout = to_markdown(done_sheet, "handout")
    key = to_markdown(done_sheet, "key")
    assert "Svar:" not in handout and key.count("**Svar:**") == 4
    assert "Tekst i citationstegn er citeret ordret" in handout
    for item in done_sheet.items:
        assert item.body in handout
    html = export(done_sheet, "html", "key").content.decode("utf-8")
    assert html.startswith("<!doctype html>") and '<html lang="da">' in html
    assert html.count('<article class="item') == 6 and "<script" not in html
    case = done_sheet.items[0]
    assert f"<q>{case.quotes[0].text}</q>" in html or "&" in case.quotes[0].text
    assert file_stem("Øvelsesark: Private partnere") == "oevelsesark-private-partnere"
