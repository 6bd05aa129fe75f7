"""Retrieval: chunking and hybrid (BM25 + embedding) search over knowledge and persona memory."""
