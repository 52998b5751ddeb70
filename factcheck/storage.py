"""Static files storage: whitenoise's compressed, hashed files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Falls back to the unhashed name when collectstatic has not run (tests, a fresh clone)."""

    manifest_strict = False

    def stored_name(self, name):
        # With no manifest entry Django hashes the file found under STATIC_ROOT, and raises when
        # collectstatic never ran. Only URL lookups come here; collectstatic's post-processing does
        # not, so a missing file referenced from CSS still fails the build.
        try:
            return super().stored_name(name)
        except ValueError:
            return name
