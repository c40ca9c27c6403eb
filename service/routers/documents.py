"""GET /api/documents, /api/documents/{id} and /api/passages/{chunk_id}."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from tvaers.contracts import Chunk, Document, DocumentMeta, Footnote, Heading
from tvaers.service.state import RuntimeDep

router = APIRouter(prefix="/api", tags=["documents"])

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class DocumentSummary(DocumentMeta):
    chunks: int = Field(description="Passages of the document in the index.")


class OutlineEntry(Heading):
    """A heading and the first passage under it, so a document browser can open it."""

    chunk_id: str | None = Field(
        default=None, description="First passage under the heading; null if it has none."
    )


class DocumentDetail(DocumentSummary):
    outline: list[OutlineEntry]
    notes: list[Footnote] = Field(default_factory=list)


class PassageContext(BaseModel):
    """A passage with up to ``context`` paragraphs of its document on each side."""

    chunk: Chunk
    title: str
    year: int | None = None
    before: list[str]
    highlight: str
    after: list[str]


def _summary(doc: Document, chunks: int) -> dict:
    return {**doc.model_dump(include=set(DocumentMeta.model_fields)), "chunks": chunks}


@router.get("/documents", response_model=list[DocumentSummary])
def documents(runtime: RuntimeDep) -> list[DocumentSummary]:
    """The indexed documents with their bibliographic metadata."""
    counts = _chunk_counts(runtime.index.chunks)
    return [
        DocumentSummary(**_summary(d, counts.get(d.doc_id, 0)))
        for d in sorted(runtime.index.documents.values(), key=lambda d: d.doc_id)
    ]


@router.get("/documents/{doc_id}", response_model=DocumentDetail)
def document(
    doc_id: Annotated[str, Path(max_length=200)], runtime: RuntimeDep
) -> DocumentDetail:
    """One document's metadata and outline (headings with offsets and pages)."""
    doc = runtime.index.documents.get(doc_id)
    if doc is None:
        known = ", ".join(sorted(runtime.index.documents))
        raise HTTPException(status_code=404, detail=f"no document {doc_id!r}; known: {known}")
    counts = _chunk_counts(runtime.index.chunks)
    chunks = sorted(
        (c for c in runtime.index.chunks if c.doc_id == doc_id), key=lambda c: c.char_start
    )
    outline = [
        OutlineEntry(**h.model_dump(), chunk_id=_first_chunk_under(h, chunks)) for h in doc.outline
    ]
    return DocumentDetail(
        **_summary(doc, counts.get(doc_id, 0)), outline=outline, notes=doc.notes
    )


@router.get("/passages/{chunk_id}", response_model=PassageContext)
def passage(
    chunk_id: Annotated[str, Path(max_length=300)],
    runtime: RuntimeDep,
    context: Annotated[
        int, Query(ge=0, le=20, description="Paragraphs to show before and after.")
    ] = 1,
) -> PassageContext:
    """A passage (``#`` in the id is sent as ``%23``) with its surrounding paragraphs."""
    chunk = next((c for c in runtime.index.chunks if c.chunk_id == chunk_id), None)
    if chunk is None:
        raise HTTPException(
            status_code=404,
            detail=f"no passage {chunk_id!r}; ids look like 'doc-id#hash' and come from "
            "/api/search or /api/ask (send '#' as %23)",
        )
    doc = runtime.index.documents[chunk.doc_id]
    text = doc.clean_text
    before = _paragraphs(text[: chunk.char_start])[-context:] if context else []
    after = _paragraphs(text[chunk.char_end :])[:context] if context else []
    return PassageContext(
        chunk=chunk,
        title=doc.title,
        year=doc.year,
        before=before,
        highlight=chunk.text,
        after=after,
    )


def _first_chunk_under(heading: Heading, chunks: list[Chunk]) -> str | None:
    """The first passage (in text order) at or after the heading whose path lies under it."""
    depth = len(heading.path)
    for c in chunks:
        if c.char_start >= heading.char_start and c.heading_path[:depth] == heading.path:
            return c.chunk_id
    return None


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _chunk_counts(chunks: list[Chunk]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in chunks:
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
    return counts
