"""What an ingest run did, for people (``render_text``) and machines (JSON).

The report is the only place a user learns that a dropped-in file was
skipped, so skipped files and their reasons are always shown, and the
chunk size distribution makes a cleaning regression (sudden tiny or huge
passages) visible without opening the index.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, Field

from tvaers.ingest.pipeline import IngestResult, SkippedFile

__all__ = ["DocumentSummary", "IngestReport", "SizeStats"]


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    source_file: str
    year_label: str
    pages: int | None
    chars: int
    chunks: int


class SizeStats(BaseModel):
    """Chunk sizes in characters (nearest-rank percentiles)."""

    min: int
    p10: int
    p50: int
    p90: int
    max: int

    @classmethod
    def of(cls, sizes: Sequence[int]) -> SizeStats | None:
        if not sizes:
            return None
        ordered = sorted(sizes)

        def rank(q: float) -> int:
            return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

        return cls(min=ordered[0], p10=rank(0.1), p50=rank(0.5), p90=rank(0.9), max=ordered[-1])


class IngestReport(BaseModel):
    documents: list[DocumentSummary]
    total_chunks: int
    chunk_chars: SizeStats | None
    block_types: dict[str, int]
    skipped: list[SkippedFile]
    corpus_fingerprint: str
    elapsed_seconds: float = Field(description="Reading, cleaning and chunking.")
    index_seconds: float | None = Field(
        default=None, description="Embedding and indexing (None: no index was built)."
    )

    @classmethod
    def from_result(cls, result: IngestResult, index_seconds: float | None = None) -> IngestReport:
        per_doc = Counter(chunk.doc_id for chunk in result.chunks)
        return cls(
            documents=[
                DocumentSummary(
                    doc_id=doc.doc_id,
                    title=doc.title,
                    source_file=doc.source_file,
                    year_label=doc.year_label,
                    pages=doc.pages,
                    chars=len(doc.clean_text),
                    chunks=per_doc[doc.doc_id],
                )
                for doc in result.documents
            ],
            total_chunks=len(result.chunks),
            chunk_chars=SizeStats.of([len(chunk.text) for chunk in result.chunks]),
            block_types=dict(
                Counter(str(chunk.block_type) for chunk in result.chunks).most_common()
            ),
            skipped=result.skipped,
            corpus_fingerprint=result.fingerprint,
            elapsed_seconds=result.elapsed_seconds,
            index_seconds=None if index_seconds is None else round(index_seconds, 2),
        )

    def render_text(self) -> str:
        """A terminal summary: one line per document, then sizes, types and skipped files."""
        lines = [f"Ingested {len(self.documents)} document(s), {self.total_chunks} chunk(s):"]
        width = max((len(d.doc_id) for d in self.documents), default=0)
        for d in self.documents:
            pages = f"{d.pages} p." if d.pages else "–"
            lines.append(
                f"  {d.doc_id:<{width}}  {d.chunks:>4} chunks  {d.chars:>7} chars  "
                f"{pages:>6}  {d.year_label:>5}  {d.title}"
            )
        if self.chunk_chars:
            s = self.chunk_chars
            lines.append(
                f"Chunk size (chars): min {s.min}, p10 {s.p10}, median {s.p50}, "
                f"p90 {s.p90}, max {s.max}"
            )
        if self.block_types:
            kinds = ", ".join(f"{kind} {n}" for kind, n in self.block_types.items())
            lines.append(f"Block types: {kinds}")
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} file(s):")
            lines.extend(f"  {s.path}: {s.reason}" for s in self.skipped)
        else:
            lines.append("Skipped: none")
        took = f"Took {self.elapsed_seconds:.1f} s to read, clean and chunk"
        if self.index_seconds is not None:
            took += f", {self.index_seconds:.1f} s to embed and index"
        lines.append(f"{took}; corpus {self.corpus_fingerprint[:12]}")
        return "\n".join(lines)
