"""Static files storage: whitenoise's compressed, hashed files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Falls back to the unhashed name when collectstatic has not run (tests, a fresh clone)."""

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        # Without collectstatic the file is not under STATIC_ROOT at all: serve the plain name
        # (whitenoise finds it through the finders in development) instead of raising.
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None:
                raise
            return name
