"""Static files storage: whitenoise's compressed, hashed files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Falls back to the unhashed name when collectstatic has not run (tests, a fresh clone)."""

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        # Without a manifest the parent hashes the file's content from STATIC_ROOT, which does not
        # exist before collectstatic: serve the plain name instead of failing the page.
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name
