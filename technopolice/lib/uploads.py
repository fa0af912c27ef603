"""An upload handler that never writes the upload to disk.

Django spools uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file: for a leaked
document or a camera photo that would leave the original, EXIF and GPS position included, on
the server's disk before it is cleaned. This handler keeps every file in memory instead, and
stops keeping bytes one past ``max_bytes``, so memory stays bounded and the form still sees
that the file is too large.

Views install it before anything reads ``request.POST`` or ``request.FILES``, which the CSRF
check does: such a view is ``csrf_exempt`` outside and ``csrf_protect`` inside, as Django's
"Modifying upload handlers on the fly" prescribes.
"""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class MemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, max_bytes: int, max_files: int = 1) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        # Memory for the whole request: as many full-size files as the form may carry.
        self.budget = max_files * (max_bytes + 1)

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = min(self.max_bytes + 1 - self.kept, self.budget)
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


def memory_only(request, *, max_bytes: int, max_files: int = 1) -> None:
    """Keep this request's files in memory only; call before the view reads POST or FILES."""
    request.upload_handlers = [MemoryOnlyUploadHandler(request, max_bytes=max_bytes, max_files=max_files)]
