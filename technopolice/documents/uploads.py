"""An upload handler that never writes the upload to disk.

Django spools uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file: for a leak
that would leave the original, metadata and all, on the server's disk. This handler keeps
every file in memory instead, and stops keeping bytes one past DOCUMENTS_MAX_BYTES, so
memory stays bounded and cleaning still sees that the file is too large.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class MemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        # Memory for the whole request: as many full-size files as one form may carry.
        self.budget = settings.DOCUMENTS_MAX_FILES * (settings.DOCUMENTS_MAX_BYTES + 1)

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = min(settings.DOCUMENTS_MAX_BYTES + 1 - self.kept, self.budget)
        if room > 0:
            taken = raw_data[:room]
            self.buffer.write(taken)
            self.kept += len(taken)
            self.budget -= len(taken)
        return None  # consumed: no later handler (and so no temporary file) sees it

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, self.kept, self.charset
        )


def memory_only(request) -> None:
    """Call before the view reads request.POST or request.FILES."""
    request.upload_handlers = [MemoryOnlyUploadHandler(request)]
