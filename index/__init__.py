"""Tværs index: embeddings, FAISS, BM25 and fused search over the chunks."""
