"""The backend's entry point: connects to the workbench, receives the program, installs
the socket stand-in and runs the program (docs/backend-protocol.md)."""
import os
import sys


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("--describe", "--export"):
        from . import describe
        return describe.main(sys.argv[1:])
    from .channel import Channel
    from .dispatcher import Dispatcher
    fd = int(os.environ.get("SOCKBENCH_CHANNEL_FD", "3"))
    os.environ.pop("SOCKBENCH_CHANNEL_FD", None)
    channel = Channel(fd)
    dispatcher = Dispatcher(channel)
    dispatcher.start()
    load, _blob, _fds = dispatcher.request({
        "t": "hello",
        "pid": os.getpid(),
        "python": "%d.%d.%d" % sys.version_info[:3],
        "executable": sys.executable,
    })
    from . import standin
    standin.install(dispatcher)
    from . import program
    return program.run(dispatcher, load)
