"""One asyncio event loop per process, in a thread of its own, for calls out of the process.

Celery's prefork workers, gunicorn and management commands are synchronous: they keep the ORM
in their own thread and hand network calls to this loop (``submit`` gives a concurrent Future,
``run`` waits for one). Hundreds of calls can then be under way at once from one process, and
connection pools live as long as the process, not one task. A forked child starts its own loop:
a loop and its sockets never cross a fork.
"""

import asyncio
import os
import sys
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

import uvloop

T = TypeVar("T")

_lock = threading.Lock()
_state: dict[str, Any] = {"pid": None, "loop": None}


def _forget_after_fork() -> None:
    # The parent's loop thread does not exist in the child; its lock may be held forever.
    global _lock
    _lock = threading.Lock()
    _state.update(pid=None, loop=None)


os.register_at_fork(after_in_child=_forget_after_fork)


def get() -> asyncio.AbstractEventLoop:
    """This process's loop, started on first use."""
    with _lock:
        if _state["pid"] != os.getpid() or _state["loop"] is None:
            # uvloop: the same asyncio, with its bookkeeping in C, so a thousand calls a second
            # leave the process's CPU to the work around them.
            loop = uvloop.new_event_loop()
            # The loop's thread shares the interpreter with the thread doing the ORM work: hand the
            # interpreter over every 1 ms rather than 5, so answers are read while a claim is built.
            sys.setswitchinterval(0.001)
            started = threading.Event()

            def forever() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(started.set)
                loop.run_forever()

            threading.Thread(target=forever, name="outbound-loop", daemon=True).start()
            started.wait()
            _state.update(pid=os.getpid(), loop=loop)
        return _state["loop"]


def submit(coroutine: Coroutine[Any, Any, T]) -> "Future[T]":
    """Start the coroutine on the process's loop; the Future gives its result or exception."""
    return asyncio.run_coroutine_threadsafe(coroutine, get())


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine on the process's loop and wait for it. Its own deadline bounds the wait."""
    return submit(coroutine).result()


def process_id() -> int:
    """For caches of things bound to this process's loop (connection pools): a forked child
    must make its own."""
    return os.getpid()
