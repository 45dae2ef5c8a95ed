#pragma once

// CPython's argument checks for the socket module, with the exact TypeError each raises:
// "socket.bind() takes exactly one argument (2 given)", "send() takes at least 1 argument
// (0 given)", "socket.recv() takes no keyword arguments", ... Each method or function is
// checked the way CPython declares it (METH_O, METH_NOARGS, PyArg_ParseTuple, or a
// function written in Python), so a lesson fails in the workbench exactly where it would
// fail under python3.

#include "pysocket.h"

namespace sockbench::lesson::signatures {

// Raises the TypeError Python raises when the number of arguments or the keywords do not
// fit; returns quietly when they do (the values are checked where they are used). Names
// without a known signature pass.
void checkMethod(const QString& method, const PyArgs& args);     // sock.METHOD(...)
void checkFunction(const QString& function, const PyArgs& args); // socket.FUNCTION(...)

} // namespace sockbench::lesson::signatures
