"""The production storage of static files: WhiteNoise's compressed, hashed copies, with the URL
of each name worked out once per process.

Every page's shell has a dozen `{% static %}` tags, and the manifest storage works each one out
anew on every render (the manifest lookup, `urljoin`, quoting): some 30 µs a tag. The manifest is
read when the process starts and does not change under it, so a name's URL is kept once known.
Only names the manifest holds are kept (the set of files collected), and `force=True` (what
`collectstatic` itself uses) is never kept.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_urls: dict[str, str] = {}

    def url(self, name, force=False):
        known = self._known_urls.get(name)
        if known is not None and not force:
            return known
        url = super().url(name, force)
        if not force and self.hashed_files.get(self.clean_name(name)) is not None:
            self._known_urls[name] = url
        return url
