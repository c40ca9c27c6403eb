"""``tvaers bench``: the speed figures the README reports.

Measured, never asserted in tests: cold model preparation and load, cold
ingest of the corpus (read, clean, chunk, embed, index), index size, query
latency per mode, and the approximate (HNSW) index against exact search on a
synthetic corpus far larger than the bundled one.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, computed_field, model_validator

from tvaers.settings import SearchMode, Settings, VectorIndexKind

if TYPE_CHECKING:
    from tvaers.runtime import Runtime

log = logging.getLogger(__name__)

#: The topic of the trainers' benchmark sheet (issue 6's "done means").
EXERCISE_TOPIC = "private-partnere"

__all__ = ["AnnBench", "BenchReport", "ModeLatency", "run_bench"]


class ModeLatency(BaseModel):
    mode: SearchMode
    queries: int
    p50_ms: float
    p95_ms: float


class AnnPoint(BaseModel):
    """HNSW at one search depth: recall@10 against exact search, and its speed."""

    ef_search: int
    recall_at_10: float
    p50_ms: float


class AnnBench(BaseModel):
    vectors: int
    dimension: int
    queries: int
    build_seconds: float
    #: The configured ``hnsw_ef_search``; its point is in ``sweep``.
    ef_search: int
    exact_p50_ms: float
    #: The same graph searched at several depths, the configured one included.
    sweep: list[AnnPoint]

    @model_validator(mode="after")
    def _configured_depth_measured(self) -> AnnBench:
        if not any(p.ef_search == self.ef_search for p in self.sweep):
            raise ValueError(f"the sweep has no point at the configured ef_search {self.ef_search}")
        return self

    @property
    def configured(self) -> AnnPoint:
        return next(p for p in self.sweep if p.ef_search == self.ef_search)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall_at_10(self) -> float:
        """At the configured depth."""
        return self.configured.recall_at_10

    @computed_field  # type: ignore[prop-decorator]
    @property
    def approx_p50_ms(self) -> float:
        return self.configured.p50_ms


class BenchReport(BaseModel):
    model: str
    model_prepare_seconds: float | None
    model_load_seconds: float
    question_engines: str = ""
    ingest_seconds: float
    read_clean_chunk_seconds: float
    documents: int
    chunks: int
    chunks_per_second: float
    index_bytes: int
    latency: list[ModeLatency]
    answer_p50_ms: float | None = None
    answer_p95_ms: float | None = None
    exercise_first_seconds: float | None = None
    exercise_warm_seconds: float | None = None
    ann: AnnBench | None = None

    def render_markdown(self) -> str:
        rows = [
            ("model", self.model),
            (
                "model prepare (cold: conversion, ONNX export)",
                "n/a"
                if self.model_prepare_seconds is None
                else f"{self.model_prepare_seconds:.1f} s",
            ),
            ("model load", f"{self.model_load_seconds:.1f} s"),
            ("question embedding", self.question_engines),
            (
                "cold ingest (read, clean, chunk, embed, index)",
                f"{self.ingest_seconds:.1f} s ({self.documents} documents, {self.chunks} chunks)",
            ),
            ("  of which read, clean, chunk", f"{self.read_clean_chunk_seconds:.2f} s"),
            ("ingest throughput", f"{self.chunks_per_second:.1f} chunks/s"),
            ("index size on disk", f"{self.index_bytes / 1e6:.2f} MB"),
        ]
        for lat in self.latency:
            rows.append(
                (
                    f"query latency, {lat.mode.value}",
                    f"p50 {lat.p50_ms:.1f} ms, p95 {lat.p95_ms:.1f} ms",
                )
            )
        if self.answer_p50_ms is not None:
            rows.append(
                (
                    "answer (retrieve, decide, compose advice)",
                    f"p50 {self.answer_p50_ms:.0f} ms, p95 {self.answer_p95_ms:.0f} ms",
                )
            )
        if self.exercise_first_seconds is not None:
            rows.append(
                (
                    "exercise sheet, 6 items (case, dilemma, 4 quiz)",
                    f"{self.exercise_first_seconds:.1f} s first, "
                    f"{self.exercise_warm_seconds:.1f} s warm",
                )
            )
        if self.ann:
            a = self.ann
            rows.append(
                (
                    f"HNSW vs exact, {a.vectors:,} synthetic vectors (ef_search {a.ef_search})",
                    f"recall@10 {a.recall_at_10:.3f}; p50 {a.approx_p50_ms:.2f} ms vs "
                    f"{a.exact_p50_ms:.2f} ms exact; build {a.build_seconds:.0f} s",
                )
            )
            rows += [
                (
                    f"  HNSW at ef_search {p.ef_search}",
                    f"recall@10 {p.recall_at_10:.3f}; p50 {p.p50_ms:.2f} ms",
                )
                for p in a.sweep
                if p.ef_search != a.ef_search
            ]
        lines = ["| measure | value |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in rows]
        return "\n".join(lines)


def run_bench(
    settings: Settings,
    questions: Sequence[str],
    *,
    ann_vectors: int = 100_000,
    ann_queries: int = 200,
    repeats: int = 3,
) -> BenchReport:
    """Run every measurement in temporary folders; the served index is not touched."""
    from tvaers.index.store import load_index
    from tvaers.ingest.pipeline import load_documents
    from tvaers.runtime import (
        Runtime,
        build_index_from_settings,
        load_embedder,
        make_retriever,
        overrides_path,
    )
    from tvaers.settings import BUNDLED_MODEL

    with tempfile.TemporaryDirectory(prefix="tvaers-bench-") as tmp:
        tmp_dir = Path(tmp)
        prepare_seconds = None
        if settings.model == BUNDLED_MODEL:
            from tvaers.index.model_prepare import prepare_bundled_model

            started = time.perf_counter()
            prepare_bundled_model(tmp_dir / "models")
            prepare_seconds = time.perf_counter() - started

        started = time.perf_counter()
        embedder = load_embedder(settings)
        load_seconds = time.perf_counter() - started

        started = time.perf_counter()
        result = load_documents(settings.corpus_dir, overrides_path=overrides_path(settings))
        read_seconds = time.perf_counter() - started
        index_dir = tmp_dir / "index"
        build_index_from_settings(settings, result, embedder, index_dir=index_dir)
        ingest_seconds = time.perf_counter() - started
        index_bytes = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())

        index = load_index(index_dir)
        retriever = make_retriever(settings, index, embedder)
        latency = [_latency(retriever, questions, mode, repeats) for mode in SearchMode]
        runtime = Runtime(settings=settings, embedder=embedder, index=index, retriever=retriever)
        answers = _answer_times(runtime, questions)
        exercise = _exercise_times(runtime)

    ann = (
        _ann_bench(
            ann_vectors,
            ann_queries,
            ef_search=settings.hnsw_ef_search,
            m=settings.hnsw_m,
            ef_construction=settings.hnsw_ef_construction,
        )
        if ann_vectors
        else None
    )
    return BenchReport(
        model=embedder.model_id,
        model_prepare_seconds=prepare_seconds,
        model_load_seconds=load_seconds,
        question_engines=embedder.question_engines,
        ingest_seconds=ingest_seconds,
        read_clean_chunk_seconds=read_seconds,
        documents=len(result.documents),
        chunks=len(result.chunks),
        chunks_per_second=len(result.chunks) / ingest_seconds,
        index_bytes=index_bytes,
        latency=latency,
        answer_p50_ms=statistics.median(answers),
        answer_p95_ms=_p95(answers),
        exercise_first_seconds=exercise[0],
        exercise_warm_seconds=exercise[1],
        ann=ann,
    )


def _latency(
    retriever: object, questions: Sequence[str], mode: SearchMode, repeats: int
) -> ModeLatency:
    retriever.search(questions[0], k=10, mode=mode)  # type: ignore[attr-defined]  # warm-up
    times: list[float] = []
    for _ in range(repeats):
        for question in questions:
            started = time.perf_counter()
            retriever.search(question, k=10, mode=mode)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - started) * 1000)
    return ModeLatency(
        mode=mode, queries=len(times), p50_ms=statistics.median(times), p95_ms=_p95(times)
    )


def _answer_times(runtime: Runtime, questions: Sequence[str]) -> list[float]:
    """Milliseconds per answer, as POST /api/ask composes it (once per question)."""
    from tvaers.prompts.composer import Composer

    composer = Composer(runtime)
    composer.compose(questions[0])  # warm-up
    times = []
    for question in questions:
        started = time.perf_counter()
        composer.compose(question)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _exercise_times(runtime: Runtime) -> tuple[float, float]:
    """Seconds for the trainers' six-item sheet: a process's first build, then a warm one."""
    from tvaers.contracts import ExerciseOptions
    from tvaers.prompts.exercises.builder import ExerciseBuilder

    builder = ExerciseBuilder.from_runtime(runtime)
    options = ExerciseOptions(
        topics=[EXERCISE_TOPIC], kinds=["case", "dilemma", "quiz"], n=6, seed=1
    )
    times = []
    for seed in (1, 2):
        started = time.perf_counter()
        builder.build(options.model_copy(update={"seed": seed}))
        times.append(time.perf_counter() - started)
    return times[0], times[1]


def _p95(values: list[float]) -> float:
    return float(np.percentile(np.asarray(values), 95))


#: Search depths the HNSW part of the bench also reports.
EF_SEARCH_SWEEP = (32, 64, 128, 256, 512)


def _ann_bench(
    n: int,
    n_queries: int,
    *,
    ef_search: int,
    m: int,
    ef_construction: int,
    dimension: int = 384,
    k: int = 10,
) -> AnnBench:
    """Clustered random unit vectors: closer to real embeddings than uniform noise."""
    from tvaers.index.vectors import VectorStore

    rng = np.random.default_rng(0)
    centres = rng.standard_normal((max(n // 200, 1), dimension)).astype(np.float32)
    assign = rng.integers(0, len(centres), size=n)
    data = centres[assign] + 0.6 * rng.standard_normal((n, dimension)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    queries = data[rng.choice(n, n_queries, replace=False)] + 0.3 * rng.standard_normal(
        (n_queries, dimension)
    ).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    exact = VectorStore(VectorIndexKind.FLAT)
    exact.add(data)
    started = time.perf_counter()
    approx = VectorStore(
        VectorIndexKind.HNSW, hnsw_m=m, ef_construction=ef_construction, ef_search=ef_search
    )
    approx.add(data)
    build_seconds = time.perf_counter() - started

    exact_hits, exact_times = _timed_searches(exact, queries, k)
    sweep = []
    for depth in sorted({*EF_SEARCH_SWEEP, ef_search}):
        approx.set_ef_search(depth)
        approx_hits, approx_times = _timed_searches(approx, queries, k)
        overlap = [
            len({i for i, _ in a} & {i for i, _ in e}) / k
            for a, e in zip(approx_hits, exact_hits, strict=True)
        ]
        sweep.append(
            AnnPoint(
                ef_search=depth,
                recall_at_10=float(np.mean(overlap)),
                p50_ms=statistics.median(approx_times),
            )
        )
    return AnnBench(
        vectors=n,
        dimension=dimension,
        queries=n_queries,
        build_seconds=build_seconds,
        ef_search=ef_search,
        exact_p50_ms=statistics.median(exact_times),
        sweep=sweep,
    )


def _timed_searches(store: object, queries: np.ndarray, k: int) -> tuple[list, list[float]]:
    hits, times = [], []
    for row in queries:
        started = time.perf_counter()
        hits.extend(store.search(row[None, :], k))  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
    return hits, times
