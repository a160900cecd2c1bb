"""``private_files.write_private_atomically``: whole and owner-only, or nothing changed.

The refusal is the file system's own: a file-size limit (``RLIMIT_FSIZE``) on a child process makes its
writes past the limit fail with EFBIG, as a full disk's fail with ENOSPC.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from referral_desktop.private_files import write_private_atomically

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and RLIMIT_FSIZE are POSIX's")

CHILD = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from referral_desktop.private_files import write_private_atomically
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
    try:
        write_private_atomically(Path(sys.argv[1]), b"new " * 10_000)
    except OSError as error:
        print("refused", error.errno)
""")


def test_written_whole_and_owner_only(tmp_path):
    target = tmp_path / "summary.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_a_refused_write_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "copy.pdf"
    target.write_bytes(b"an earlier copy")
    result = subprocess.run([sys.executable, "-c", CHILD, str(target)], capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("refused"), (result.stdout, result.stderr[-1000:])
    assert target.read_bytes() == b"an earlier copy"
    assert [p.name for p in tmp_path.iterdir()] == ["copy.pdf"]


def test_the_folder_is_left_as_it_is(tmp_path):
    """A PDF goes where the professional chose: the folder's own permissions are not the app's to change."""
    folder = tmp_path / "Documents"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    write_private_atomically(folder / "copy.pdf", b"%PDF")
    assert folder.stat().st_mode & 0o777 == 0o755
