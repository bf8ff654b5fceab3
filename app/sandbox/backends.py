"""How a sandboxed process is started: bubblewrap, or an explicitly unsafe local process.

Both put rlimits on the process (CPU seconds, address space, file size, open files, process
count) with `prlimit` and, when the service runs as root, drop to an unprivileged uid of the
worker's slot with `setpriv` before anything of the candidate's runs: RLIMIT_NPROC is not
enforced for root, and each slot's own uid keeps one run's processes from counting against
another's.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

HARNESS = Path(__file__).with_name("harness.py")
TESTKIT = Path(__file__).with_name("testkit.py")
CHECKER = Path(__file__).with_name("checker.py")
WORKDIR = "/sandbox"
# the checker (trusted code on plain data) runs as nobody when the service is root
CHECKER_UID = 65534
# What PyTorch questions get on top of the limits (docs/SANDBOX.md has the measurements):
# importing torch on one thread maps ~600 MB more address space than NumPy does and takes
# ~1.5 s of CPU and 1.5-3 s of wall time warm (more on a cold page cache or a busy machine).
TORCH_MEMORY_MB = 640
TORCH_STARTUP_SECONDS = 20.0


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
    # every writable tmpfs of the sandbox (/tmp, /sandbox, /dev/shm) has this size
    tmpfs_mb: int = 32
    # the encoded results of one run (large arrays are legitimate results)
    result_bytes: int = 16 * 1024 * 1024
    # time (wall and CPU) the sandbox may take to import its framework before wall_seconds and
    # cpu_seconds start; 0: those limits cover the import too (NumPy's is quick)
    startup_seconds: float = 0.0

    @property
    def cpu_bound(self) -> int:
        """The hard CPU limit of the process: the run's seconds and the startup's."""
        return self.cpu_seconds + math.ceil(self.startup_seconds)

    def for_framework(self, framework: str) -> Limits:
        """These limits, raised for PyTorch only as far as importing it needs."""
        if framework != "pytorch":
            return self
        return replace(
            self,
            memory_mb=self.memory_mb + TORCH_MEMORY_MB,
            startup_seconds=max(self.startup_seconds, TORCH_STARTUP_SECONDS),
        )


def tool(name: str) -> str:
    """The absolute path of a tool: the sandbox is started with an empty environment."""
    return shutil.which(name) or name


def _limits_prefix(limits: Limits) -> list[str]:
    return [
        tool("prlimit"),
        f"--cpu={limits.cpu_bound}",
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
    return [tool("setpriv"), f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]


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
    # writes its sandbox's host pid to the info descriptor given to command()
    reports_pid: bool = True

    def command(self, *, slot: int, limits: Limits, info_fd: int | None = None) -> list[str]:
        """The argv that runs the harness in a fresh sandbox for this worker slot.

        With info_fd, bubblewrap writes the host pid of the sandbox's process there (JSON), so
        that the runner can kill the sandbox itself at the deadline.
        """
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
            tool("bwrap"),
            "--unshare-all",
            "--unshare-user",
            "--die-with-parent",
            # the harness is the sandbox's pid 1: bubblewrap then waits for it itself, where its
            # own init process would be left a zombie for the server to reap (when the server is
            # pid 1 in a container, nothing reaps it and runs fail at the process limit)
            "--as-pid-1",
            "--new-session",
            "--clearenv",
            "--disable-userns",
            *(["--info-fd", str(info_fd)] if info_fd is not None else []),
            *binds,
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", size, "--tmpfs", "/dev/shm",
            # bubblewrap's root and /dev are tmpfs without a size: they are made read-only, and
            # only the sized tmpfs mounts stay writable
            "--remount-ro", "/dev",
            "--size", size, "--tmpfs", "/tmp",
            "--size", size, "--tmpfs", WORKDIR,
            "--ro-bind", str(HARNESS), f"{WORKDIR}/harness.py",
            "--ro-bind", str(TESTKIT), f"{WORKDIR}/testkit.py",
            "--remount-ro", "/",
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

    def command(self, *, slot: int, limits: Limits, info_fd: int | None = None) -> list[str]:
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


def checker_command(python: str, limits: Limits) -> list[str]:
    """The argv of the checker: the sandbox's Python (for NumPy), limited, as nobody when root.

    The checker runs trusted code (the question's snippets) on plain data once the sandbox has
    ended; the limits bound what a huge or deeply nested result can cost.
    """
    drop = (
        [tool("setpriv"), f"--reuid={CHECKER_UID}", f"--regid={CHECKER_UID}", "--clear-groups",
         "--"]
        if os.geteuid() == 0
        else []
    )  # fmt: skip
    return [
        tool("prlimit"),
        f"--cpu={limits.cpu_bound}",
        f"--as={max(limits.memory_mb, 1024) * 1024 * 1024}",
        "--fsize=0",
        "--core=0",
        "--",
        *drop,
        python, "-I", "-B", str(CHECKER),
    ]  # fmt: skip
