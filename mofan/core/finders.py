"""Static files taken one by one from npm packages. Django's own finders serve whole folders, and
the folders of some packages (echarts/dist: 46 MB of builds and source maps) are mostly what we
do not serve; this finder names the single files the pages load, nothing else."""

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class VendorFileFinder(BaseFinder):
    """Finds the files in settings.VENDOR_FILES: {URL path under /static/: file on disk}."""

    def __init__(self, *args, **kwargs):
        self.files = {
            name: str(path) for name, path in getattr(settings, "VENDOR_FILES", {}).items()
        }

    def check(self, **kwargs):
        from pathlib import Path

        return [
            Error(f"静态文件 {path} 不存在：请先运行 make setup（npm ci）。", id="mofan.E101")
            for path in self.files.values()
            if not Path(path).is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        found = self.files.get(path)
        if found is None:
            return [] if find_all else None
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for name, path in self.files.items():
            folder, _, filename = path.rpartition("/")
            storage = FileSystemStorage(location=folder)
            storage.prefix = name.rpartition("/")[0]
            yield filename, storage
