"""Static files storage for production: WhiteNoise's compressed files with hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Files GOV.UK Frontend's stylesheet refers to that the service deliberately does not ship. The
# GOV.UK crest is Crown copyright, for GOV.UK services only (a council is not GOV.UK); it appears
# only in the footer's copyright logo, which base.html does not use.
NOT_SHIPPED = frozenset({"images/govuk-crest.svg"})


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; a stylesheet's reference to a file in NOT_SHIPPED is left
    as it is instead of failing collectstatic. Any other missing file still fails it."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if self.clean_name(name).lstrip("/") in NOT_SHIPPED:
                return name
            raise
