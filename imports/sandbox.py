"""Run a parser where its crash cannot take the serving process down.

A 1.5 KB `.xlsx` whose one cell sits at XFD1048576 makes python-calamine allocate ~550 GB and abort the whole
process — a gunicorn worker, or the import worker, with its batch left 校验中 forever. The parse runs in a forked
child with an address-space and CPU limit and a wall-clock timeout; the parent gets the result, the refusal the
parser raised, or a `SandboxFailure` saying why the child died. Forking (not spawning) keeps the start cheap and
the child already configured (settings, the active language); the child touches no database.
"""

import faulthandler
import multiprocessing
import os
import resource
import sys
from collections.abc import Callable
from typing import Any

from imports.errors import FileRefused


class SandboxFailure(Exception):
    """The child ran out of memory or time, or crashed: `reason` is "memory", "timeout" or "crash"."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def _virtual_size() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(connection, function: Callable, args: tuple, memory_bytes: int, cpu_seconds: int) -> None:
    faulthandler.disable()  # an abort here is expected and reported by the parent; no dump of the test runner's stack
    try:
        ceiling = _virtual_size() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        outcome = ("ok", function(*args))
    except FileRefused as refusal:
        outcome = ("refused", str(refusal))
    except MemoryError:
        outcome = ("memory", "")
    except BaseException as exc:  # reported to the parent, which decides; the child must not die silently
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    try:
        connection.send(outcome)
    except MemoryError:
        connection.send(("memory", "result too large"))
    connection.close()


def run_isolated(function: Callable[..., Any], *args: Any, memory_bytes: int, seconds: int) -> Any:
    """`function(*args)` in a child process; its FileRefused is raised again here, anything else that went wrong
    is a SandboxFailure. Where fork is not available (not Linux) it runs in this process."""
    if not sys.platform.startswith("linux"):
        return function(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, memory_bytes, seconds), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise SandboxFailure("timeout", f"no result after {seconds} s")
        try:
            status, value = receiver.recv()
        except EOFError:
            child.join(5)
            # A Rust allocation failure aborts (SIGABRT); the kernel's OOM killer sends SIGKILL.
            raise SandboxFailure(
                "memory" if child.exitcode in (-6, -9) else "crash", f"exit {child.exitcode}"
            ) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status == "ok":
        return value
    if status == "refused":
        raise FileRefused(value)
    raise SandboxFailure("memory" if status == "memory" else "crash", value)
