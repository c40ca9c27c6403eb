"""Source lines under an answer: two passages of one section must not read alike."""

from __future__ import annotations

from tvaers.contracts import Citation
from tvaers.prompts.composer import _source_lines
from tvaers.prompts.frame import AnswerContext, render_answer


def _citation(n: int, text: str, heading: list[str], page: int) -> Citation:
    return Citation(chunk_id=f"notat#{n}", doc_id="notat", heading_path=heading, text=text,
                    char_start=0, char_end=len(text), page_start=page, page_end=page, n=n,
                    title="Notat", year=2014, score=1.0)


def test_two_passages_of_one_section_on_one_page_name_their_opening_words() -> None:
    citations = [
        _citation(1, "Andre bliver utålmodige over den omfattende organisationsform, men "
                     "det ændrer ikke på noget.", ["5. Organisering"], 19),
        _citation(2, "Et helt andet afsnit.", ["6. Risici"], 19),
        _citation(3, "Hvordan organiserer man sig på tværs af virksomheder?", ["5. Organisering"],
                  19),
    ]
    lines = _source_lines(citations, "da")
    first = "Andre bliver utålmodige over den omfattende organisationsform, men …"
    assert lines[0].opening == first
    assert lines[1].opening == ""  # its own section: the line already tells it apart
    assert lines[2].opening == "Hvordan organiserer man sig på tværs af virksomheder?"
    text = render_answer("da", AnswerContext(not_covered=True, orientation="", sources=lines))
    rendered = [line for line in text.splitlines() if line[:1] == "[" and line[1].isdigit()]
    assert len(set(rendered)) == 3
    assert rendered[0].endswith(": »Andre bliver utålmodige over den omfattende "
                                "organisationsform, men …«")
    assert rendered[1] == "[2] Notat (2014), 6. Risici, s. 19"
