#pragma once

#include "engine/event.h"

#include <QString>

namespace sockbench::describe {

// Short Python-flavoured text for what an event did, shared by every view.
QString call(const Event& event);               // "bind(('127.0.0.1', 0))", "recv(1024)"
QString result(const Event& event);             // "b'hello'", "socket #3 from 127.0.0.1:5123"
QString kernel(const KernelSnapshot& snapshot); // "ESTABLISHED · recv-q 5 · send-q 0"
// Bytes as Python shows them, cut to about maxChars with the full count added.
QString bytes(const QByteArray& sample, qint64 size, int maxChars = 40);
QString byteCount(qint64 bytes); // "5 B", "12.4 KiB", "1.0 GiB"
// Text escaped for a rich-text label, with a line break allowed inside every long run of
// characters that has none (a bytes repr, a URL in a comment, a long line of code): a
// label is never narrower than its longest word, and one long word would widen its pane,
// and with it the window, past the projector's edge.
QString wrappable(const QString& plain);
// A thread as a reader would name it: a `# background` statement's thread, named "client~39"
// after its actor and line, is "client in the background" ("client in the background
// (line 39)" with the line, where one actor has two); any other name is itself.
QString threadName(const QString& name, bool withLine = false);

} // namespace sockbench::describe
