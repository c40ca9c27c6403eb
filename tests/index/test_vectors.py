from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tvaers.index.vectors import VectorStore
from tvaers.settings import VectorIndexKind


def random_unit_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_flat_search_returns_exact_cosines_best_first() -> None:
    data = random_unit_vectors(200, 32, seed=1)
    store = VectorStore(VectorIndexKind.FLAT)
    store.add(data)
    hits = store.search(data[:3], k=5)
    for row, ranking in enumerate(hits):
        assert ranking[0][0] == row
        assert ranking[0][1] == pytest.approx(1.0, abs=1e-5)
        expected = np.sort(data @ data[row])[::-1][:5]
        assert [s for _, s in ranking] == pytest.approx(expected.tolist(), abs=1e-5)


def test_hnsw_recall_at_10_is_close_to_flat() -> None:
    data = random_unit_vectors(3000, 64, seed=2)
    queries = random_unit_vectors(100, 64, seed=3)
    flat, hnsw = VectorStore(VectorIndexKind.FLAT), VectorStore(VectorIndexKind.HNSW)
    flat.add(data)
    hnsw.add(data)
    exact = flat.search(queries, k=10)
    approx = hnsw.search(queries, k=10)
    recall = np.mean(
        [
            len({i for i, _ in a} & {i for i, _ in e}) / 10
            for a, e in zip(approx, exact, strict=True)
        ]
    )
    assert recall >= 0.95


@pytest.mark.parametrize("kind", list(VectorIndexKind))
def test_save_and_load_round_trip(tmp_path: Path, kind: VectorIndexKind) -> None:
    data = random_unit_vectors(100, 16, seed=4)
    store = VectorStore(kind)
    store.add(data)
    store.save(tmp_path / "v.faiss")
    loaded = VectorStore(kind).load(tmp_path / "v.faiss")
    assert loaded.size == 100
    assert loaded.dimension == 16
    assert loaded.search(data[:2], k=3) == store.search(data[:2], k=3)


def test_k_larger_than_the_index_returns_every_vector() -> None:
    store = VectorStore()
    store.add(random_unit_vectors(3, 8, seed=5))
    assert len(store.search(random_unit_vectors(1, 8, seed=6), k=10)[0]) == 3


def test_empty_store_returns_no_hits() -> None:
    assert VectorStore().search(random_unit_vectors(2, 8, seed=7), k=5) == [[], []]


def test_dimension_mismatch_is_refused() -> None:
    store = VectorStore()
    store.add(random_unit_vectors(3, 8, seed=8))
    with pytest.raises(ValueError, match="dimension 16, index 8"):
        store.add(random_unit_vectors(3, 16, seed=9))


def test_bad_hnsw_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="m=2"):
        VectorStore(VectorIndexKind.HNSW, hnsw_m=2)


def test_hnsw_search_depth_changes_after_the_build_and_a_deeper_search_finds_more() -> None:
    data = random_unit_vectors(3_000, 32, seed=10)
    queries = random_unit_vectors(40, 32, seed=11)
    exact = VectorStore()
    exact.add(data)
    truth = [{i for i, _ in row} for row in exact.search(queries, k=10)]
    store = VectorStore(VectorIndexKind.HNSW, hnsw_m=4, ef_construction=8, ef_search=1)
    store.add(data)

    def recall() -> float:
        found = store.search(queries, k=10)
        pairs = zip(found, truth, strict=True)
        return float(np.mean([len({i for i, _ in f} & t) / 10 for f, t in pairs]))

    shallow = recall()
    store.set_ef_search(400)
    assert store._index.hnsw.efSearch == 400
    assert recall() > shallow
    with pytest.raises(ValueError, match="ef_search must be >= 1"):
        store.set_ef_search(0)
    flat = VectorStore()
    flat.set_ef_search(5)  # no graph: nothing to change, no error
