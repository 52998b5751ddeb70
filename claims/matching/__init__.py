"""Matching: one claim, however it is worded and in whatever language.

- `language` — which language a text is in (a fastText model shipped inside its pip package)
- `embeddings` — multilingual sentence vectors (USE v3, pure numpy, weights in the package)
- `ranking` — lexical and semantic candidates fused into "likely the same claim" / "related"

Every model is loaded lazily, once per process, from files inside the installed package: nothing
is downloaded at run time.
"""
