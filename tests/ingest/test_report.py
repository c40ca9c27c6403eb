"""The ingest report: counts, size distribution, skipped files, JSON and text forms."""

from __future__ import annotations

import json

from tvaers.contracts import BlockType, Chunk, Document
from tvaers.ingest.pipeline import IngestResult, SkippedFile
from tvaers.ingest.report import IngestReport, SizeStats


def _result() -> IngestResult:
    text = "x" * 2000
    doc = Document(
        doc_id="notat",
        title="Et notat",
        source_file="notat.txt",
        source_sha256="0" * 64,
        clean_text=text,
        pages=3,
    )
    sizes = [100, 200, 300, 400, 1000]
    chunks, start = [], 0
    for i, size in enumerate(sizes):
        kind = BlockType.QUOTE if i == 0 else BlockType.PARAGRAPH
        chunks.append(
            Chunk(
                chunk_id=f"notat#{i}",
                doc_id="notat",
                heading_path=["A"],
                text=text[start : start + size],
                char_start=start,
                char_end=start + size,
                block_type=kind,
            )
        )
        start += size
    skipped = [SkippedFile(path="scan.pdf", reason="no text layer")]
    return IngestResult([doc], chunks, skipped, fingerprint="f" * 64, elapsed_seconds=1.25)


def test_size_stats_use_nearest_rank_percentiles() -> None:
    stats = SizeStats.of([100, 200, 300, 400, 1000])
    assert stats == SizeStats(min=100, p10=100, p50=300, p90=1000, max=1000)
    assert SizeStats.of([]) is None


def test_report_counts_chunks_per_document_and_block_type() -> None:
    report = IngestReport.from_result(_result())
    assert report.documents[0].chunks == 5
    assert report.documents[0].year_label == "u.å."
    assert report.total_chunks == 5
    assert report.block_types == {"paragraph": 4, "quote": 1}


def test_report_serialises_to_json_with_skipped_reasons() -> None:
    data = json.loads(IngestReport.from_result(_result()).model_dump_json())
    assert data["skipped"] == [{"path": "scan.pdf", "reason": "no text layer"}]
    assert data["chunk_chars"]["p50"] == 300
    assert data["elapsed_seconds"] == 1.25


def test_text_report_names_documents_sizes_and_skipped_files() -> None:
    text = IngestReport.from_result(_result()).render_text()
    assert "Ingested 1 document(s), 5 chunk(s)" in text
    assert "notat" in text and "Et notat" in text
    assert "median 300" in text
    assert "scan.pdf: no text layer" in text


def test_text_report_says_when_nothing_was_skipped() -> None:
    result = _result()
    result.skipped = []
    assert "Skipped: none" in IngestReport.from_result(result).render_text()
