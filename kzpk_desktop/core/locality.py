"""Is a path on a network filesystem? SQLite's file locking is unreliable there."""

from __future__ import annotations

import os
from pathlib import Path

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.sshfs",
        "fuse.rclone",
        "davfs",
        "fuse.davfs2",
    }
)


def filesystem_type(path: str | Path) -> str | None:
    """The filesystem type of the mount holding ``path`` (Linux, from /proc/mounts)."""
    target = os.path.realpath(Path(path).parent if not Path(path).is_dir() else path)
    best, kind = "", None
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 3:
                    mount = parts[1].replace("\\040", " ")
                    if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
                        best, kind = mount, parts[2]
    except OSError:
        return None
    return kind


def network_warning(path: str | Path) -> str | None:
    """A sentence to show when the database sits on a network share, else None."""
    kind = filesystem_type(path)
    if kind in NETWORK_FILESYSTEMS:
        return (
            f"'{path}' is on a network filesystem ({kind}). SQLite cannot lock files reliably there: "
            "two people writing at once can corrupt it. Keep the database on a local disk."
        )
    return None
