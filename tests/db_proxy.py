"""A TCP proxy in front of PostgreSQL that can make the database hang (issue 21).

It forwards both ways until `stall()`; from then on it keeps every socket open and silently
drops whatever arrives, and still accepts new connections: what a client sees of a database
that accepts connections and no longer answers. The kernel keeps acknowledging, so neither TCP
keepalives nor tcp_user_timeout notice anything.
"""

from __future__ import annotations

import socket
import threading


class StallingProxy:
    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stalled = threading.Event()
        self.sockets: list[socket.socket] = []
        self.dropped_on_reused = 0  # bytes dropped on connections opened before the stall
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def stall(self) -> None:
        self.stalled.set()

    def close(self) -> None:
        """Close every socket: a client still waiting now fails and its thread ends."""
        with self._lock:
            for sock in [self.listener, *self.sockets]:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def _keep(self, *socks: socket.socket) -> None:
        with self._lock:
            self.sockets.extend(socks)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if self.stalled.is_set():
                self._keep(client)  # accepted, and never answered
                threading.Thread(target=self._pump, args=(client, None, False), daemon=True).start()
                continue
            upstream = socket.create_connection(self.target)
            self._keep(client, upstream)
            for source, sink, from_client in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pump, args=(source, sink, from_client), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket | None, reused: bool) -> None:
        """Forward source to sink; once stalled, drop (counting a reused client's requests)."""
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.stalled.is_set() or sink is None:
                if reused:
                    with self._lock:
                        self.dropped_on_reused += len(data)
                continue
            try:
                sink.sendall(data)
            except OSError:
                return
