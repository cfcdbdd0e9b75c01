"""Checking a zip-based workbook (ODS, XLSX) before a spreadsheet reader opens it.

A published table is a few megabytes; a file that would unzip to far more is damaged or a "zip
bomb" built to exhaust memory, and is refused in about the time it takes to inflate
:data:`MAX_UNZIPPED_BYTES`, in memory of one 1 MB chunk. Used by every reader of workbooks
(``importers.spreadsheet``, ``importers.national_form``).
"""

from __future__ import annotations

import io
import zipfile
import zlib

__all__ = ["MAX_UNZIPPED_BYTES", "zip_problem"]

#: the most a workbook may expand to when unzipped (every member together); a published table is a
#: few megabytes, so anything near this is a damaged file or a "zip bomb"
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024


def zip_problem(data: bytes) -> str | None:
    """Why a zip-based workbook (ODS, XLSX) must not be opened, or None when it may.

    Checked before the spreadsheet reader sees the file, so a zip bomb is refused in about the
    time it takes to inflate :data:`MAX_UNZIPPED_BYTES`, in memory of one 1 MB chunk: the declared
    sizes are summed first, then every member is really inflated and counted (declared sizes can
    lie), and a member that does not match its checksum is damage.
    """
    if data[:4] != b"PK\x03\x04":
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > MAX_UNZIPPED_BYTES:
                return (f"it would unzip to {declared:,} bytes, more than the {MAX_UNZIPPED_BYTES:,} a workbook "
                        "may (a damaged file or a zip bomb)")
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_UNZIPPED_BYTES:
                            return (f"it unzips to more than the {MAX_UNZIPPED_BYTES:,} bytes a workbook may "
                                    "(a damaged file or a zip bomb)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
            NotImplementedError, RuntimeError) as exc:  # zipfile's ways of meeting damage
        return f"the zip container is damaged ({str(exc)[:200] or type(exc).__name__})"
    return None
