"""Static files storage: whitenoise's compressed, hashed files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Falls back to the unhashed name when collectstatic has not run (tests, a fresh clone)."""

    manifest_strict = False

    def stored_name(self, name):
        # manifest_strict=False alone still hashes the file in STATIC_ROOT, which fails when
        # collectstatic has not run; then serve the plain name (found by the finders in DEBUG/tests).
        try:
            return super().stored_name(name)
        except ValueError:
            return name
