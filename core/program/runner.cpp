#include "runnerimpl.h"

#include <QFileInfo>

namespace sockbench::program {

namespace {

QString threadStateText(ThreadView::State state)
{
    switch (state) {
    case ThreadView::State::Starting:
        return QStringLiteral("starting");
    case ThreadView::State::Waiting:
        return QStringLiteral("waiting");
    case ThreadView::State::Running:
        return QStringLiteral("running");
    case ThreadView::State::Blocked:
        return QStringLiteral("blocked");
    case ThreadView::State::Sleeping:
        return QStringLiteral("waiting");
    case ThreadView::State::Finished:
        return QStringLiteral("finished");
    case ThreadView::State::Failed:
        return QStringLiteral("stopped");
    }
    return {};
}

} // namespace

QString ThreadView::describe() const
{
    switch (state) {
    case State::Blocked:
        return QStringLiteral("blocked in %1 at line %2").arg(call).arg(line);
    case State::Sleeping:
        return QStringLiteral("waiting in %1 at line %2").arg(call).arg(line);
    case State::Running:
        return QStringLiteral("running line %1").arg(line);
    case State::Waiting:
        return QStringLiteral("at line %1").arg(line);
    case State::Failed:
        return QStringLiteral("stopped at line %1: %2").arg(line).arg(error);
    default:
        return threadStateText(state);
    }
}

Runner::Runner(Workbench& workbench, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(this, workbench))
{
    qRegisterMetaType<sockbench::program::StepRecord>();
    d->settleTimer.setSingleShot(true);
    d->playTimer.setSingleShot(true);
    connect(&d->settleTimer, &QTimer::timeout, this, [this] { d->pump(); });
    connect(&d->playTimer, &QTimer::timeout, this, [this] {
        if (d->mode != Mode::Playing)
            return;
        qint64 retry = -1;
        if (!d->settled(&retry)) {
            d->pump();
            return;
        }
        if (auto next = d->nextThread())
            d->grant(*next);
        else
            d->pump();
    });
    connect(&workbench, &Workbench::callBlocked, this,
            [this](CallId call, SocketId socket) { d->onCallBlocked(call, socket); });
    connect(&workbench, &Workbench::callFinished, this,
            [this](const Event& event) { d->onWorkbenchEvent(event); });
}

Runner::~Runner()
{
    d->stopAll();
}

void Runner::load(const QList<Lesson>& programs)
{
    d->stopAll();
    d->threads.clear(); // they were the old programs' threads
    d->programs.clear();
    for (const Lesson& lesson : programs) {
        ProgramView view;
        view.lesson = lesson;
        view.host = lesson.actors.size() == 1 && lesson.actors.first() != QLatin1String("main")
                        ? lesson.actors.first()
                        : QFileInfo(lesson.fileName).completeBaseName();
        d->programs << view;
    }
    d->lessonBeforeClick.clear();
    reset();
}

const QList<ProgramView>& Runner::programs() const
{
    return d->programs;
}

const Lesson& Runner::lesson() const
{
    static const Lesson none;
    return d->programs.isEmpty() ? none : d->programs.first().lesson;
}

Runner::Mode Runner::mode() const
{
    return d->mode;
}

bool Runner::isFinished() const
{
    return d->mode == Mode::Finished;
}

int Runner::failures() const
{
    return d->failures;
}

const std::vector<StepRecord>& Runner::steps() const
{
    return d->shown >= 0 ? d->shownSteps : d->steps;
}

int Runner::stepCount() const
{
    return int(steps().size());
}

QList<ThreadView> Runner::threads() const
{
    if (d->shown >= 0)
        return d->historyThreads[size_t(d->shown)];
    return d->liveThreads();
}

std::optional<Runner::Next> Runner::next() const
{
    if (d->shown >= 0) {
        // The step that came next at the moment shown; nothing while the re-make runs.
        if (d->replayTo >= 0)
            return std::nullopt;
        const StepRecord& s = d->history[size_t(d->shown)];
        return Next{s.program, s.tid, s.thread, s.actor, s.line};
    }
    qint64 retry = -1;
    if (d->mode == Mode::Resetting || !d->settled(&retry))
        return std::nullopt;
    return d->nextThread();
}

bool Runner::isRewound() const
{
    return d->shown >= 0;
}

int Runner::runLength() const
{
    return d->shown >= 0 ? int(d->history.size()) : int(d->steps.size());
}

bool Runner::isRemaking() const
{
    return d->replayTo >= 0;
}

quint64 Runner::runStartSeq() const
{
    return d->runStart;
}

bool Runner::atEnd() const
{
    if (d->shown >= 0)
        return false; // the moment shown is before the end
    return d->allEnded();
}

int Runner::insertStatement(const QString& actor, const QString& source, QString* error)
{
    if (d->shown >= 0) {
        // Clicked at an earlier moment: the run is re-made up to there and the click runs
        // then; what came after that moment is another future, and goes.
        d->dropClicksAfter(d->shown);
        d->wantStep = false;
        d->playAfterRemake = false;
        d->runTo = -1;
        d->beginRemake();
    } else if (d->hosts.empty() || !d->hosts.front()->process->isRunning()) {
        if (error)
            *error = QStringLiteral("1:1: the program has ended; press Reset to run it again");
        return -1;
    }
    ProgramView& view = d->programs.first();
    const Lesson before = view.lesson;
    d->markClicksStillRunning(view);
    QString text = view.lesson.source;
    if (!text.isEmpty() && !text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    const QString marker = QStringLiteral("# --- %1 ---").arg(actor);
    const bool sameActor =
        !view.lesson.sections.isEmpty() && view.lesson.sections.last().actor == actor;
    if (!sameActor) {
        text += QLatin1Char('\n') + marker + QLatin1Char('\n');
        const int first = int(text.count(QLatin1Char('\n')));
        view.lesson.sections.append({actor, first, first});
        if (!view.lesson.actors.contains(actor))
            view.lesson.actors << actor;
    }
    const int line = int(text.count(QLatin1Char('\n'))) + 1;
    text += source.trimmed() + QLatin1Char('\n');
    view.lesson.source = text;
    view.lesson.sections.last().lastLine = line;
    view.lesson.statementLines << line;
    static int clicks = 0;
    const QString thread = QStringLiteral("click-%1").arg(++clicks);
    d->clickLines.insert(thread, line);
    d->lessonBeforeClick.insert(thread, before);
    const QJsonObject exec = execMessage(thread, actor, line, source);
    // Clicked while the programs start, or while the run is re-made: it runs once they
    // stand at their first lines, or once the run is at the moment it was clicked.
    if (d->mode == Mode::Resetting || d->replayTo >= 0)
        d->pendingExecs << exec;
    else
        d->hosts.front()->process->send(exec);
    return line;
}

QString Runner::nameOf(SocketId socket) const
{
    return d->socketNames.value(socket);
}

bool Runner::nameComing(SocketId socket) const
{
    const auto it = d->madeByStep.constFind(socket);
    return it != d->madeByStep.cend() && size_t(*it) < d->steps.size() &&
           !d->steps[size_t(*it)].settled && !d->socketNames.contains(socket);
}

QSet<SocketId> Runner::sockets() const
{
    return d->sockets;
}

void Runner::setPlayInterval(int milliseconds)
{
    d->playInterval = milliseconds;
}

int Runner::playInterval() const
{
    return d->playInterval;
}

void Runner::setStopAtPauses(bool stop)
{
    d->stopAtPauses = stop;
}

void Runner::setFree(bool free)
{
    d->free = free;
}

void Runner::setKeepAlive(bool keep)
{
    d->keepAlive = keep;
}

void Runner::setEnabled(bool enabled)
{
    if (d->enabled == enabled)
        return;
    d->enabled = enabled;
    if (enabled) {
        reset();
    } else {
        d->setMode(Mode::Resetting);
        d->stopAll();
        d->threads.clear();
        d->steps.clear();
        d->shown = -1;
        d->replayTo = -1;
        d->setMode(Mode::Idle);
        Q_EMIT threadsChanged();
    }
}

lesson::LessonPeers& Runner::peers()
{
    return *d->peers;
}

void Runner::step()
{
    if (d->replayTo >= 0 || d->mode == Mode::Resetting) {
        d->wantStep = true; // taken once the reset, or the re-make, is over
        return;
    }
    if (d->shown >= 0) {
        d->wantStep = true;
        d->beginRemake();
        return;
    }
    if (d->mode == Mode::Finished)
        return;
    d->playTimer.stop();
    d->setMode(Mode::Stepping);
    d->wantStep = true;
    d->pump();
}

void Runner::play()
{
    if (d->replayTo >= 0) {
        d->playAfterRemake = true;
        return;
    }
    if (d->shown >= 0) {
        d->playAfterRemake = true;
        d->beginRemake();
        return;
    }
    if (d->mode == Mode::Resetting) {
        d->playAfterReset = true; // the peers are starting: play once they listen
        return;
    }
    if (d->mode == Mode::Finished)
        return;
    d->setMode(Mode::Playing);
    d->pump();
}

void Runner::pause()
{
    d->playTimer.stop();
    d->runTo = -1;
    d->wantStep = false;
    d->playAfterRemake = false;
    if (d->mode == Mode::Playing) {
        // The step in flight (if any) settles, then the runner is Idle: pump() says when.
        d->setMode(Mode::Stepping);
        d->pump();
    }
}

void Runner::runToLine(int line)
{
    d->runTo = line;
    play();
}

void Runner::reset()
{
    d->setMode(Mode::Resetting);
    d->pendingExecs.clear();
    d->wantStep = false;
    d->playAfterReset = false;
    d->playAfterRemake = false;
    d->replayTo = -1;
    d->remade.clear();
    d->clicksToRemake.clear();
    d->shown = -1;
    d->history.clear();
    d->historyThreads.clear();
    d->historySettled.clear();
    d->shownSteps.clear();
    d->playTimer.stop();
    d->settleTimer.stop();
    d->stopAll();
    if (!d->enabled) {
        d->threads.clear();
        d->steps.clear();
        d->setMode(Mode::Idle);
        Q_EMIT resetDone();
        return;
    }
    d->startAll();
    if (d->readyToStart())
        d->finishReset();
}

void Runner::holdStart(bool held)
{
    d->startHeld = held;
    if (!held && d->startPending && d->readyToStart()) {
        d->startBackends();
        d->finishReset();
    }
}

} // namespace sockbench::program
