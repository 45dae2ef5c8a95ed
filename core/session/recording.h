#pragma once

#include "sessionfile.h"

namespace sockbench::program {
class Runner;
}

namespace sockbench::sessionfile {

// What a session file holds about a run: the script as it stands (clicks included), how
// each statement ended and the calls it made, the names the script gave the sockets the
// events mention, and the events themselves. The window records what its stage showed;
// `sockbench run --record` what the headless run did.
RecordedSession recordRun(const program::Runner& runner, const QString& lessonName,
                          const QList<Event>& events);

} // namespace sockbench::sessionfile
