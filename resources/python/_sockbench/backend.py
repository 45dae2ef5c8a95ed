"""The backend's entry point: connects to the workbench, receives the program, installs
the socket stand-in and the tracer, and runs the program's actors as threads."""
import os
import sys

from .channel import Channel
from .dispatcher import Dispatcher


def main():
    fd = int(os.environ.get("SOCKBENCH_CHANNEL_FD", "3"))
    os.environ.pop("SOCKBENCH_CHANNEL_FD", None)
    channel = Channel(fd)
    dispatcher = Dispatcher(channel)
    dispatcher.start()
    reply, _blob, _fds = dispatcher.request({
        "t": "hello",
        "pid": os.getpid(),
        "python": "%d.%d.%d" % sys.version_info[:3],
        "executable": sys.executable,
    })
    from . import program
    return program.run(dispatcher, reply)
