from __future__ import annotations

from tvaers.prompts.topics import load_topics, resolve_topics


def test_topic_map_covers_the_corpus_themes_in_both_languages() -> None:
    topics = load_topics()
    assert 15 <= len(topics) <= 20
    for topic in topics:
        for lang in ("da", "en"):
            assert topic.name[lang] and topic.description[lang] and topic.keywords[lang]
            assert 2 <= len(topic.reflection[lang]) <= 3
            assert all(q.endswith("?") for q in topic.reflection[lang])


def test_every_topic_passage_resolves_to_chunks(corpus_documents) -> None:
    resolved = resolve_topics(
        load_topics(), corpus_documents.documents, corpus_documents.chunks
    )
    unresolved = {r.topic.slug: [q.quote[:60] for q in r.unresolved] for r in resolved}
    assert not any(unresolved.values()), unresolved
    ids = {c.chunk_id for c in corpus_documents.chunks}
    for r in resolved:
        assert r.chunk_ids and set(r.chunk_ids) <= ids
