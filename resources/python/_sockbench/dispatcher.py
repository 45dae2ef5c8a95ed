"""Requests to the workbench and the replies that answer them.

Every message that needs an answer carries an "id"; the workbench answers with a message
carrying the same id. Any thread may ask; one dispatcher thread reads the channel and
hands each reply to the thread waiting for it. Messages the workbench sends on its own
(no id, or an id nobody waits for) go to the handler registered for their "t".
"""
import sys
import threading

from .channel import Closed


class Dispatcher:
    def __init__(self, channel):
        self.channel = channel
        # Re-entrant: a socket collected by the garbage collector may close itself (a
        # request) from a __del__ that runs while this thread holds the lock.
        self._lock = threading.RLock()
        self._next_id = 1
        self._waiting = {}  # id -> [event, reply]
        self._handlers = {}
        self._early = []  # messages that came before their handler was registered
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="sockbench-dispatcher",
                                        daemon=True)

    def on(self, kind, handler):
        """handler(message, blob, fds), called on the dispatcher thread. Messages of that
        kind that came before it was registered are handed to it now, in order."""
        with self._lock:
            self._handlers[kind] = handler
            early = [m for m in self._early if m[0].get("t") == kind]
            self._early = [m for m in self._early if m[0].get("t") != kind]
        for message, blob, fds in early:
            handler(message, blob, fds)

    def start(self):
        self._thread.start()

    def send(self, message, blob=b""):
        self.channel.send(message, blob)

    def request(self, message, blob=b""):
        """Sends message with a fresh id; returns the reply (message, blob, fds)."""
        slot = [threading.Event(), None]
        with self._lock:
            if self._closed:
                raise Closed("the workbench closed the channel")
            ident = self._next_id
            self._next_id += 1
            self._waiting[ident] = slot
        message["id"] = ident
        self.channel.send(message, blob)
        slot[0].wait()
        if slot[1] is None:
            raise Closed("the workbench closed the channel")
        return slot[1]

    def _run(self):
        sys.settrace(None)
        try:
            while True:
                message, blob, fds = self.channel.receive()
                ident = message.get("id")
                slot = None
                if ident is not None:
                    with self._lock:
                        slot = self._waiting.pop(ident, None)
                if slot is not None:
                    slot[1] = (message, blob, fds)
                    slot[0].set()
                    continue
                with self._lock:
                    handler = self._handlers.get(message.get("t"))
                    if handler is None:
                        self._early.append((message, blob, fds))
                if handler is not None:
                    handler(message, blob, fds)
        except Closed:
            pass
        finally:
            with self._lock:
                self._closed = True
                waiting = list(self._waiting.values())
                self._waiting.clear()
            for slot in waiting:
                slot[0].set()
            # Nothing can go on without the workbench: end the whole program at once.
            import os
            os._exit(70)
