"""The notebook kernels' manager: IPC (unix socket) transport, files in a private folder.

The default TCP transport loses about one kernel start in 30-120 to a port race when
notebooks run in parallel; unix sockets in a private folder do not race.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import uuid
import weakref
from collections.abc import Collection, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode, default

#: Environment given to every kernel, on top of the caller's environment. tqdm is silenced
#: (tqdm.auto with ipywidgets can trip nbclient). Matplotlib is pinned to the inline
#: backend: it renders with Agg, never opens a window, and turns each figure into a PNG
#: output; ``MPLBACKEND=Agg`` itself would silently drop every figure from the report,
#: and a GUI backend inherited from the caller's shell would fail without a display.
KERNEL_ENVIRONMENT: Mapping[str, str] = MappingProxyType(
    {"TQDM_DISABLE": "1", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
)


class IpcKernelManager(AsyncKernelManager):
    """Kernel manager on the IPC (unix socket) transport, files in a private folder.

    The connection file and the five sockets live in ``connection_dir``, or in a private
    temporary folder removed at cleanup when that is empty. Every kernel also gets
    :data:`KERNEL_ENVIRONMENT`. Pass the class to nbclient or papermill as
    ``kernel_manager_class``; set the folder through traitlets config
    (``Config({"IpcKernelManager": {"connection_dir": ...}})``).
    """

    #: The kernels started and not yet cleaned up, of every run of this process.
    running: weakref.WeakSet[IpcKernelManager] = weakref.WeakSet()
    _running_lock = threading.Lock()

    connection_dir = Unicode(
        "", config=True, help="Folder for the connection file and sockets (private if empty)."
    )

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("cache_ports")
    def _default_cache_ports(self) -> bool:
        return False

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self._owned_dir: str | None = None
        directory = self.connection_dir
        if not directory:
            directory = self._owned_dir = tempfile.mkdtemp(prefix="wbk-kernel-")
        stem = os.path.join(directory, f"kernel-{uuid.uuid4().hex[:12]}")
        self.connection_file = f"{stem}.json"
        self.ip = f"{stem}-ipc"
        self.kernel_log_path = Path(f"{stem}.log")
        self._kernel_log: IO[bytes] | None = None
        self.started_in: int | None = None  # set when the kernel starts

    async def start_kernel(self, **kwargs: Any) -> None:
        """Start the kernel with :data:`KERNEL_ENVIRONMENT` added to its environment.

        The kernel process's own stdout and stderr (not the notebook's outputs) go to
        ``kernel_log_path`` instead of the caller's terminal.
        """
        env = dict(kwargs.pop("env", None) or os.environ)
        env.update(KERNEL_ENVIRONMENT)
        if self._kernel_log is None:
            self._kernel_log = open(self.kernel_log_path, "ab")  # noqa: SIM115 (closed at cleanup)
        kwargs.setdefault("stdout", self._kernel_log)
        kwargs.setdefault("stderr", self._kernel_log)
        await super().start_kernel(env=env, **kwargs)
        self.started_in = threading.get_ident()  # the thread that drives this kernel
        with IpcKernelManager._running_lock:
            IpcKernelManager.running.add(self)

    async def cleanup_resources(self, restart: bool = False) -> None:
        """Remove the connection file and sockets, and the private folder if owned."""
        await super().cleanup_resources(restart=restart)
        if restart:
            return
        with IpcKernelManager._running_lock:
            IpcKernelManager.running.discard(self)
        if self._kernel_log is not None:
            self._kernel_log.close()
            self._kernel_log = None
        if self._owned_dir:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None


def stop_running_kernels(threads: Collection[int]) -> int:
    """Kill the kernel process of every running kernel started from one of ``threads``.

    Phases run together each drive their kernel from a thread that a KeyboardInterrupt never
    reaches: the main thread calls this so that their cells fail at once (the kernel died)
    and the threads end. Safe from any thread: it only signals the processes. Kernels driven
    by other threads (another run in the same process) are left alone.

    Parameters
    ----------
    threads : collection of int
        :func:`threading.get_ident` of the threads whose kernels to stop.

    Returns
    -------
    int
        How many kernels were signalled.
    """
    with IpcKernelManager._running_lock:
        managers = list(IpcKernelManager.running)
    stopped = 0
    for manager in managers:
        if getattr(manager, "started_in", None) not in threads:
            continue
        process = getattr(manager.provisioner, "process", None)  # LocalProvisioner's Popen
        if process is None or process.poll() is not None:
            continue
        try:  # the kernel's own process group (its children too), as Jupyter kills it
            group = os.getpgid(process.pid)
            if group != os.getpgrp():
                os.killpg(group, signal.SIGKILL)
            else:
                process.kill()
        except (ProcessLookupError, PermissionError):
            continue  # ended meanwhile
        stopped += 1
    return stopped
