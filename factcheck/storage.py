"""Static files storage: whitenoise's compressed, hashed files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Falls back to the unhashed name when collectstatic has not run (tests, a fresh clone)."""

    manifest_strict = False
