"""Project date formats, layered over Django's per-locale formats (FORMAT_MODULE_PATH)."""
