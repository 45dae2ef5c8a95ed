"""Starts a program under the Socket Workbench.

Run by the workbench as `python3 boot.py`, with the channel to the workbench on the
descriptor named by SOCKBENCH_CHANNEL_FD. Everything else (the program's text, its file
name, its actors) arrives over the channel. This file only makes the backend package
importable and then hides itself, so that sys.path[0] is the program's own directory, as
it is under `python3 program.py`.
"""
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _here:
    del sys.path[0]
sys.path.insert(0, _here)
import _sockbench.backend as _backend  # noqa: E402

del sys.path[0]
sys.exit(_backend.main())
