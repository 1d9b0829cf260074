"""Publish the gateway's API port: a small TCP relay from IBG_PORT to 127.0.0.1:IBG_PORT_INTERNAL.

The gateway accepts API clients from localhost only (its "Allow connections from localhost
only" setting, and the trusted-IP list that IBGA never edits), so a container publishes the
API through a relay, as IBGA does with socat: clients reach ``0.0.0.0:4000`` and the gateway
sees them coming from 127.0.0.1. The relay runs an asyncio loop in a thread of its own, opens
one connection to the gateway per client, copies bytes both ways, and closes both sides soon after
either ends. A client that arrives while the gateway is not listening is closed at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

DEFAULT_LISTEN_HOST = "0.0.0.0"
TARGET_HOST = "127.0.0.1"
CHUNK = 65536
CONNECT_TIMEOUT_S = 5.0
HALF_CLOSE_S = 2.0
"""After one side ends, how long the other may still send before both are closed (socat waits 0.5 s)."""

log = logging.getLogger("ibga.runner.relay")


class RelayError(RuntimeError):
    """The relay could not start (most often: its port is taken)."""


class Relay:
    """Forward TCP connections from ``listen_host:listen_port`` to ``127.0.0.1:target_port``.

    Parameters
    ----------
    listen_port : int
        The published port (IBG_PORT); 0 picks a free one (see `port` once started).
    target_port : int
        The gateway's API port (IBG_PORT_INTERNAL).
    listen_host : str
        Where to listen; every interface by default, as IBGA's socat does.
    """

    def __init__(self, listen_port: int, target_port: int, listen_host: str = DEFAULT_LISTEN_HOST):
        self.listen_host, self.listen_port, self.target_port = listen_host, listen_port, target_port
        self.port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task] = set()
        self._connections = 0

    @property
    def connections(self) -> int:
        """Client connections open right now."""
        return self._connections

    def start(self) -> Relay:
        """Listen, then serve in a daemon thread; returns when the port accepts connections.

        Raises
        ------
        RelayError
            The port cannot be listened on; the message names it.
        """
        if self._thread is not None:
            raise RelayError("the relay is already running")
        ready: list[BaseException | None] = []
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready, started), name="ibga-relay",
                                        daemon=True)
        self._thread.start()
        started.wait()
        if ready and ready[0] is not None:
            self._thread.join()
            self._thread = None
            error = ready[0]
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise RelayError(f"cannot listen on {self.listen_host}:{self.listen_port} for the API relay: "
                             f"{reason}") from None
        log.info("API relay: %s:%d -> %s:%d", self.listen_host, self.port, TARGET_HOST, self.target_port)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening, close every relayed connection, end the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop already closed
            loop.call_soon_threadsafe(self._shutdown)
        thread.join(timeout)
        self._thread = None

    def __enter__(self) -> Relay:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the event loop's thread ----------------------------------------------------------

    def _serve(self, ready: list, started: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            try:
                listening = asyncio.start_server(self._client, self.listen_host, self.listen_port,
                                                 reuse_address=True)
                self._server = loop.run_until_complete(listening)
            except OSError as exc:
                ready.append(exc)
                return
            self.port = self._server.sockets[0].getsockname()[1]
            ready.append(None)
            started.set()
            loop.run_forever()
            loop.run_until_complete(self._close_all())
        finally:
            started.set()
            loop.close()

    def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        self._loop.stop()

    async def _close_all(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _client(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        self._connections += 1
        try:
            try:
                gateway_reader, gateway_writer = await asyncio.wait_for(
                    asyncio.open_connection(TARGET_HOST, self.target_port), CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                log.debug("API relay: the gateway does not answer on port %d (%s)", self.target_port, exc)
                return
            copies = {asyncio.ensure_future(_copy(client_reader, gateway_writer)),
                      asyncio.ensure_future(_copy(gateway_reader, client_writer))}
            try:
                _, pending = await asyncio.wait(copies, return_when=asyncio.FIRST_COMPLETED)
                if pending:  # one side has finished: the other gets a moment to say its last words
                    await asyncio.wait(pending, timeout=HALF_CLOSE_S)
            finally:
                for copy in copies:
                    copy.cancel()
                await asyncio.gather(*copies, return_exceptions=True)
                await _close(gateway_writer)
        except asyncio.CancelledError:
            pass
        finally:
            await _close(client_writer)
            self._connections -= 1
            self._tasks.discard(task)


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until `reader` ends, then half-close `writer` so the other side sees the end too."""
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.close()  # the peer went away: end the other direction as well


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
        await writer.wait_closed()
