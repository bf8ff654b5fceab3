"""How a sandboxed process is started: bubblewrap, or an explicitly unsafe local process.

Both put rlimits on the process (CPU seconds, address space, file size, open files, process
count) with `prlimit` and, when the service runs as root, drop to an unprivileged uid of the
worker's slot with `setpriv` before anything of the candidate's runs: RLIMIT_NPROC is not
enforced for root, and each slot's own uid keeps one run's processes from counting against
another's.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

HARNESS = Path(__file__).with_name("harness.py")
WORKDIR = "/sandbox"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run."""

    wall_seconds: float = 10.0
    cpu_seconds: int = 10
    memory_mb: int = 768
    file_mb: int = 4
    open_files: int = 64
    processes: int = 32
    output_bytes: int = 64 * 1024
    tmpfs_mb: int = 32


def _limits_prefix(limits: Limits) -> list[str]:
    return [
        "prlimit",
        f"--cpu={limits.cpu_seconds}",
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--fsize={limits.file_mb * 1024 * 1024}",
        f"--nofile={limits.open_files}",
        f"--nproc={limits.processes}",
        "--core=0",
        "--",
    ]


def _drop_prefix(uid: int) -> list[str]:
    """Become uid (with no groups) when running as root; otherwise stay the service's user."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]


def _missing(tools: tuple[str, ...], python: str) -> str | None:
    """The first tool or interpreter that is not installed, as a reason."""
    for tool in tools:
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: apt-get install bubblewrap util-linux)"
    if not Path(python).is_file():
        return f"the sandbox Python {python} does not exist (Debian: apt-get install python3)"
    return None


@dataclass(frozen=True)
class Bubblewrap:
    """Namespaces for everything, no network, read-only /usr, a small tmpfs, no environment."""

    python: str = "/usr/bin/python3"
    uid_base: int = 61000
    name: str = "bubblewrap"
    # the sandbox brings its own tmpfs work directory
    needs_workdir: bool = False

    def command(self, *, slot: int, limits: Limits) -> list[str]:
        """The argv that runs the harness in a fresh sandbox for this worker slot."""
        # /etc/alternatives holds only symlinks into /usr (Debian's BLAS for NumPy goes through it)
        binds = ["--ro-bind", "/usr", "/usr"]
        binds += ["--ro-bind-try", "/etc/alternatives", "/etc/alternatives"]
        for link in ("lib", "lib64", "bin", "sbin"):
            if Path(f"/{link}").is_symlink():
                binds += ["--symlink", f"usr/{link}", f"/{link}"]
            elif Path(f"/{link}").is_dir():
                binds += ["--ro-bind", f"/{link}", f"/{link}"]
        size = str(limits.tmpfs_mb * 1024 * 1024)
        return [
            *_limits_prefix(limits),
            *_drop_prefix(self.uid_base + slot),
            "bwrap",
            "--unshare-all",
            "--unshare-user",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--disable-userns",
            *binds,
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", size, "--tmpfs", "/tmp",
            "--size", size, "--tmpfs", WORKDIR,
            "--ro-bind", str(HARNESS), f"{WORKDIR}/harness.py",
            "--chdir", WORKDIR,
            "--hostname", "sandbox",
            "--",
            self.python, "-I", "-B", f"{WORKDIR}/harness.py",
        ]  # fmt: skip

    def missing(self) -> str | None:
        """Why this backend cannot work here, judged from the binaries alone."""
        return _missing(("bwrap", "prlimit", "setpriv"), self.python)


@dataclass(frozen=True)
class UnsafeLocal:
    """No isolation beyond rlimits and an unprivileged uid: for a trusted single-user machine."""

    python: str = "/usr/bin/python3"
    uid_base: int = 61000
    name: str = "unsafe-local"
    # runs in a fresh host directory owned by the slot's uid
    needs_workdir: bool = True

    def command(self, *, slot: int, limits: Limits) -> list[str]:
        """The argv that runs the harness (in the runner's work directory) with rlimits only."""
        return [
            *_limits_prefix(limits),
            *_drop_prefix(self.uid_base + slot),
            self.python, "-I", "-B", str(HARNESS),
        ]  # fmt: skip

    def missing(self) -> str | None:
        """Why this backend cannot work here."""
        return _missing(("prlimit", "setpriv"), self.python)


Backend = Bubblewrap | UnsafeLocal
