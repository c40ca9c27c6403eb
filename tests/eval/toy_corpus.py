"""A tiny hand-made corpus and gold items: offsets the tests can count by hand."""

from __future__ import annotations

from tvaers.contracts import Document, GoldItem, GoldQuote, Hit

DOC_A_TEXT = (
    "Forord\n\n"
    "Ledere i kommuner og regioner skal samarbejde om patientens forløb. "
    "Det kræver tillid, fælles mål og en klar aftale om behandling, pleje og genoptræning.\n\n"
    "Kapitel 1\n\n"
    "Tillid opstår, når parterne holder hvad de lover, også når det er svært."
)
DOC_B_TEXT = (
    "Indledning\n\n"
    "Private partnere bidrager med viden om teknologi, men de har andre mål end det offentlige. "
    "Et godt partnerskab bygger på en tydelig kontrakt og løbende dialog om gevinsterne."
)


def make_doc(doc_id: str, text: str, title: str = "") -> Document:
    return Document(doc_id=doc_id, title=title or doc_id.title(), source_file=f"{doc_id}.txt",
                    source_sha256="0" * 64, clean_text=text)


def make_hit(doc_id: str, start: int, end: int, text: str = "", title: str = "") -> Hit:
    return Hit(chunk_id=f"{doc_id}#{start}-{end}", doc_id=doc_id, title=title or doc_id,
               heading_path=["Kapitel"], text=text or f"chunk {start}-{end}",
               char_start=start, char_end=end, score=1.0)


def item(id: str, question: str = "Spørgsmål?", *, lang: str = "da", kind: str = "fact",
         relevant: list[tuple[str, str]] = (), split: str = "tune",
         follows: str | None = None) -> GoldItem:
    return GoldItem(id=id, question=question, lang=lang, kind=kind,
                    relevant=[GoldQuote(doc=d, quote=q) for d, q in relevant],
                    split=split, follows=follows)


def toy_docs() -> list[Document]:
    return [make_doc("doc-a", DOC_A_TEXT, "Ledelse på tværs"),
            make_doc("doc-b", DOC_B_TEXT, "Partnerskaber")]
