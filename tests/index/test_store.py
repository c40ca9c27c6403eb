from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from tvaers.errors import CorruptIndexError, IndexNotFoundError, StaleIndexError
from tvaers.index import ExpectedState, build_index, index_status, is_current, load_index
from tvaers.index.store import GENERATIONS, vector_index_name
from tvaers.ingest.versions import CHUNKING_VERSION, CLEANING_VERSION
from tvaers.settings import HNSW_EF_SEARCH, VectorIndexKind

EXPECTED = ExpectedState(
    model_id="test:hash-64", corpus_fingerprint="corpus-1", overrides_hash="ov-1"
)


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in (index_dir / GENERATIONS).iterdir())


def current(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text().strip()


def test_build_writes_a_generation_with_a_complete_manifest(built_index: Path, corpus) -> None:
    folder = built_index / GENERATIONS / current(built_index)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model_id"] == "test:hash-64"
    assert manifest["dimension"] == 64
    assert manifest["vector_kind"] == "flat"
    assert manifest["corpus_fingerprint"] == "corpus-1"
    assert manifest["overrides_hash"] == "ov-1"
    assert manifest["cleaning_version"] == CLEANING_VERSION
    assert manifest["chunking_version"] == CHUNKING_VERSION
    assert manifest["chunk_count"] == len(corpus[1])
    assert manifest["created"]
    assert {"vectors.faiss", "chunks.jsonl", "documents.jsonl"} <= set(manifest["files"])
    assert any(name.startswith("bm25/") for name in manifest["files"])
    assert not (built_index / "CURRENT.tmp").exists()


def test_load_round_trips_chunks_and_documents(built_index: Path, corpus) -> None:
    documents, chunks = corpus
    index = load_index(built_index, expected=EXPECTED)
    assert index.chunks == chunks
    assert index.documents[documents[0].doc_id].clean_text == documents[0].clean_text
    assert index.vectors.size == len(chunks)
    assert index.title(chunks[0].doc_id) == documents[0].title


def test_missing_index_says_to_run_ingest(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match=r"no index at .*; run `tvaers ingest`"):
        load_index(tmp_path / "nothing")


def test_other_model_id_makes_the_index_stale(built_index: Path) -> None:
    expected = ExpectedState("bundled:other-model", "corpus-1", "ov-1")
    with pytest.raises(
        StaleIndexError,
        match=r"embedding model 'test:hash-64' → 'bundled:other-model'.*"
        r"run `tvaers ingest` to rebuild",
    ):
        load_index(built_index, expected=expected)


def test_changed_corpus_fingerprint_makes_the_index_stale(built_index: Path) -> None:
    expected = ExpectedState("test:hash-64", "corpus-2", "ov-1")
    with pytest.raises(StaleIndexError, match=r"corpus 'corpus-1' → 'corpus-2'"):
        load_index(built_index, expected=expected)


def test_changed_overrides_and_code_versions_are_named(built_index: Path) -> None:
    expected = ExpectedState("test:hash-64", "corpus-1", "ov-2", chunking_version="999")
    with pytest.raises(StaleIndexError, match=r"overrides file .*chunking code version"):
        load_index(built_index, expected=expected)


def test_truncated_faiss_file_is_reported_as_corrupt(built_index: Path) -> None:
    faiss_file = built_index / GENERATIONS / current(built_index) / "vectors.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(CorruptIndexError, match=r"vectors\.faiss does not match its checksum"):
        load_index(built_index)
    assert index_status(built_index).state == "corrupt"


def test_missing_file_is_reported_by_name(built_index: Path) -> None:
    (built_index / GENERATIONS / current(built_index) / "chunks.jsonl").unlink()
    with pytest.raises(CorruptIndexError, match=r"index file missing: .*chunks\.jsonl"):
        load_index(built_index)


def test_failed_build_leaves_the_previous_generation_serving(
    built_index: Path, corpus, hash_embedder
) -> None:
    before = current(built_index)

    def crash(stage: str) -> None:
        if stage == "vectors":
            raise RuntimeError("simulated crash after the FAISS write")

    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(
            *corpus,
            hash_embedder,
            built_index,
            fingerprint="corpus-2",
            overrides_hash="ov-1",
            on_stage=crash,
        )
    assert current(built_index) == before
    index = load_index(built_index, expected=EXPECTED)
    assert index.path.name == before
    # the next successful build cleans up the partial folder
    build_index(*corpus, hash_embedder, built_index, fingerprint="corpus-2", overrides_hash="ov-1")
    assert not [g for g in generations(built_index) if g.endswith(".partial")]
    assert load_index(built_index).manifest.corpus_fingerprint == "corpus-2"


def test_old_generations_are_pruned(built_index: Path, corpus, hash_embedder) -> None:
    for n in range(4):
        build_index(
            *corpus, hash_embedder, built_index, fingerprint=f"c{n}", overrides_hash="ov", keep=3
        )
    names = generations(built_index)
    assert len(names) == 3
    assert current(built_index) == names[-1]


def test_index_status_and_is_current(tmp_path: Path, built_index: Path) -> None:
    assert index_status(tmp_path / "none").state == "missing"
    status = index_status(built_index, expected=EXPECTED)
    assert status.state == "ok"
    assert "8 chunks" in status.message
    stale = ExpectedState("test:hash-64", "corpus-2", "ov-1")
    assert index_status(built_index, expected=stale).state == "stale"
    assert is_current(built_index, EXPECTED)
    assert not is_current(built_index, stale)


def test_hnsw_index_is_built_and_loaded(tmp_path: Path, corpus, hash_embedder) -> None:
    build_index(
        *corpus,
        hash_embedder,
        tmp_path,
        fingerprint="c",
        overrides_hash="o",
        vector_kind=VectorIndexKind.HNSW,
        vector_params={"hnsw_m": 16},
    )
    index = load_index(tmp_path)
    assert index.manifest.vector_kind is VectorIndexKind.HNSW
    assert index.vectors.size == 8
    assert index.vectors.ef_search == HNSW_EF_SEARCH
    assert load_index(tmp_path, ef_search=7).vectors._index.hnsw.efSearch == 7


def test_another_vector_index_kind_or_graph_makes_the_index_stale(
    built_index: Path, tmp_path: Path, corpus, hash_embedder
) -> None:
    hnsw = vector_index_name(VectorIndexKind.HNSW, {"hnsw_m": 16, "ef_construction": 40})
    with pytest.raises(StaleIndexError, match=r"vector index 'flat' → 'hnsw ef_construction=40"):
        load_index(built_index, expected=replace(EXPECTED, vector_index=hnsw))
    load_index(built_index, expected=replace(EXPECTED, vector_index="flat"))

    build_index(
        *corpus, hash_embedder, tmp_path, fingerprint="corpus-1", overrides_hash="ov-1",
        vector_kind=VectorIndexKind.HNSW,
        vector_params={"hnsw_m": 16, "ef_construction": 40, "ef_search": 8},
    )
    # the search depth is applied at load, not built in: another one is not stale
    load_index(tmp_path, expected=replace(EXPECTED, vector_index=hnsw), ef_search=99)
    with pytest.raises(StaleIndexError, match="hnsw_m=16' → 'hnsw ef_construction=40 hnsw_m=32'"):
        other = vector_index_name(VectorIndexKind.HNSW, {"hnsw_m": 32, "ef_construction": 40})
        load_index(tmp_path, expected=replace(EXPECTED, vector_index=other))


def test_build_refuses_chunks_without_their_document(tmp_path: Path, corpus, hash_embedder):
    documents, chunks = corpus
    with pytest.raises(ValueError, match="documents that were not given"):
        build_index(
            documents[:1], chunks, hash_embedder, tmp_path, fingerprint="c", overrides_hash="o"
        )


def test_concurrent_builds_each_complete_and_leave_a_valid_pointer(
    tmp_path: Path, corpus, hash_embedder
) -> None:
    errors: list[BaseException] = []

    def build(n: int) -> None:
        try:
            build_index(*corpus, hash_embedder, tmp_path, fingerprint=f"c{n}", overrides_hash="o")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert load_index(tmp_path).manifest.corpus_fingerprint in {"c0", "c1", "c2"}
    assert len(generations(tmp_path)) == 3
