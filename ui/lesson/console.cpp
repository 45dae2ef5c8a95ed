#include "console.h"
#include "theme.h"

#include "engine/workbench.h"
#include "net/errnocatalog.h"
#include "net/errnoexplainer.h"
#include "session.h"

#include <QContextMenuEvent>
#include <QFileInfo>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QTextBlock>

namespace sockbench {

using program::StepRecord;

namespace {

// The workbench's own words for an OSError's errno ("EADDRINUSE"), as the card gives them:
// Python's exception line says what, this says why, in the words that fit the call that
// failed and its socket (a refused UDP socket heard no reset).
QString explanationOf(const StepRecord& r, const Workbench& bench)
{
    if (r.errorName.isEmpty())
        return {};
    const auto known = errnocatalog::lookup(r.errorName);
    if (!known)
        return {};
    errnoexplainer::Situation situation;
    // The step's calls ended a moment ago: they are among the newest events.
    const quint64 last = bench.trace().lastSeq();
    for (const Event& e : bench.trace().events(last > 512 ? last - 512 : 0))
        if (e.kind == EventKind::CallFinished && !e.result.ok() && r.calls.contains(e.call)) {
            situation.call = e.request.kind;
            if (const auto socket = bench.socket(e.socket)) {
                situation.datagram = socket->type == SocketType::Datagram;
                situation.unixPath = socket->family == AddressFamily::Unix;
            }
        }
    const auto e = errnoexplainer::explain(known->domain, known->number, situation);
    return e ? e->meaning : QString();
}

} // namespace

Console::Console(Session& session, QWidget* parent)
    : QPlainTextEdit(parent)
    , m_session(session)
{
    setObjectName(QStringLiteral("console"));
    setReadOnly(true);
    setTabChangesFocus(true); // Tab goes on to the next control, as in any read-only view
    // Monospace by family only: the size follows the window's zoom.
    setStyleSheet(QStringLiteral("QPlainTextEdit { font-family: \"%1\"; }").arg(monoFamily()));
    setMaximumBlockCount(5000); // a long session cannot grow it without end
    setAccessibleName(tr("Output: what the program printed, and its errors, explained"));
    setPlaceholderText(tr("What the program prints appears here."));
    m_everyStatement = QSettings().value(QStringLiteral("console/everyStatement"), false).toBool();
    auto& runner = session.runner();
    connect(&runner, &program::Runner::stepIssued, this, [this](int index) {
        if (index == 0)
            m_told.clear(); // a new run
    });
    connect(&runner, &program::Runner::stepFinished, this, [this](const StepRecord& r) {
        m_told.push_back({r.index, true});
        showStep(r);
    });
    // Stepped back, or the run re-made up to there: the transcript of the steps up to the
    // moment shown, with what they printed.
    connect(&runner, &program::Runner::rewound, this, &Console::showSteps);
    connect(&runner, &program::Runner::remade, this, &Console::showSteps);
    connect(&runner, &program::Runner::stepBlocked, this, [this](int index, CallId) {
        const auto& steps = m_session.runner().steps();
        if (index >= 0 && index < static_cast<int>(steps.size())) {
            m_told.push_back({index, false});
            showBlocked(steps[static_cast<size_t>(index)]);
        }
    });
    connect(&runner, &program::Runner::printed, this, &Console::showPrinted);
    connect(&runner, &program::Runner::stuck, this, [this](const QString& message) {
        line(QStringLiteral("!! ") + message, QStringLiteral("#b91c1c"));
    });
    connect(&runner, &program::Runner::programEnded, this, [this](int program, const QString& how) {
        const auto& programs = m_session.runner().programs();
        const QString name = program >= 0 && program < programs.size()
                                 ? programs[program].lesson.fileName
                                 : tr("the program");
        // The script's name, not where it was read from (":/lessons/..." means nothing).
        // "exited with 0 —" in one piece: a narrow pane wraps before it, not before "—".
        QString said = how;
        said.replace(QLatin1Char(' '), QChar::Nbsp);
        line(tr("— %1 %2\u00a0—").arg(QFileInfo(name).fileName(), said), QStringLiteral("#6b7280"));
    });
    // A recording replays: the statements its events have finished so far, as recorded.
    connect(&session.replayer(), &Replayer::moved, this, &Console::showReplay);
    connect(&runner, &program::Runner::resetDone, this, [this] {
        if (m_session.replayer().isActive())
            return; // the old lesson's sockets closed; the console shows the recording
        // Said after a run only: a lesson just opened has had nothing to reset.
        const bool ran = !m_transcript.isEmpty();
        m_transcript.clear();
        m_told.clear();
        if (ran)
            line(tr("— reset: every socket the lesson opened is closed —"),
                 QStringLiteral("#6b7280"));
    });
}

void Console::setEveryStatement(bool shown)
{
    if (shown == m_everyStatement)
        return;
    m_everyStatement = shown;
    QSettings().setValue(QStringLiteral("console/everyStatement"), shown);
    retell();
    Q_EMIT everyStatementChanged(shown);
}

void Console::retell()
{
    if (m_session.replayer().isActive())
        showReplay();
    else
        showSteps();
}

void Console::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu* menu = createStandardContextMenu();
    menu->addSeparator();
    QAction* every = menu->addAction(tr("Show every statement"));
    every->setCheckable(true);
    every->setChecked(m_everyStatement);
    connect(every, &QAction::toggled, this, &Console::setEveryStatement);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

void Console::showReplay()
{
    const Replayer& replay = m_session.replayer();
    clear();
    m_transcript.clear();
    line(tr("— a recording: what its statements did, up to the event shown —"),
         QStringLiteral("#6b7280"));
    for (const auto* st : replay.statementsShown()) {
        const bool failed = st->outcome != QLatin1String("ok");
        const QString text = QStringLiteral("%1 %2  %3  -> %4")
                                 .arg(st->actor, -8)
                                 .arg(st->line, 4)
                                 .arg(st->source, st->value);
        m_transcript << text;
        if (failed || m_everyStatement)
            line(text, failed ? QStringLiteral("#92400e") : QString());
    }
}

void Console::showStep(const StepRecord& r)
{
    QString outcome;
    QString color;
    switch (r.kind) {
    case StepRecord::Kind::Ok:
        outcome = r.changes.isEmpty()
                      ? QString()
                      : QStringLiteral("-> ") + r.changes.join(QStringLiteral(", "));
        break;
    case StepRecord::Kind::ExpectedError:
        outcome = QStringLiteral("-> raised %1 (expected)").arg(r.error);
        color = QStringLiteral("#92400e");
        break;
    case StepRecord::Kind::Failed:
        outcome = QStringLiteral("!! FAILED: ") + (r.reason.isEmpty() ? r.error : r.reason);
        color = QStringLiteral("#b91c1c");
        break;
    case StepRecord::Kind::Interrupted:
        outcome = QStringLiteral("!! interrupted") +
                  (r.reason.isEmpty() ? QString() : QStringLiteral(": ") + r.reason);
        color = QStringLiteral("#b45309");
        break;
    case StepRecord::Kind::Raised:
        outcome = QStringLiteral("-> raised %1").arg(r.error);
        color = QStringLiteral("#b91c1c");
        break;
    }
    // The actor, as the headless transcript names it, and the thread when it is not
    // the actor's own (a thread the program started).
    const QString who = r.thread.isEmpty() || r.thread == r.actor
                            ? r.actor
                            : QStringLiteral("%1/%2").arg(r.actor, r.thread);
    const QString text = QStringLiteral("%1 %2  %3  %4")
                             .arg(who, -8)
                             .arg(r.line, 4)
                             .arg(r.source.section(QLatin1Char('\n'), 0, 0), outcome);
    m_transcript << text;
    // A statement that did what it said is the narration's "Just ran" and its card's news;
    // an error is what python3 would print (or what the lesson expected of it).
    if (!m_everyStatement && r.kind == StepRecord::Kind::Ok)
        return;
    line(text, color);
    if (const QString why = explanationOf(r, m_session.workbench());
        !why.isEmpty() && !r.error.isEmpty())
        line(QStringLiteral("   ") + why, QStringLiteral("#6b7280"));
    // An uncaught exception: Python's whole traceback, as python3 prints it.
    if (r.kind == StepRecord::Kind::Failed && !r.traceback.isEmpty())
        for (const QString& l : r.traceback.trimmed().split(QLatin1Char('\n')))
            line(QStringLiteral("   ") + l, QStringLiteral("#b91c1c"));
}

void Console::showSteps()
{
    clear();
    m_transcript.clear();
    const auto& runner = m_session.runner();
    if (runner.isRewound())
        line(tr("— stepped back: the steps up to step %1 of %2 —")
                 .arg(runner.stepCount())
                 .arg(runner.runLength()),
             QStringLiteral("#6b7280"));
    // In the order the live run told them, as far as the moment shown: that a step waited,
    // and its end once it had ended by then.
    const auto& steps = runner.steps();
    std::vector<char> ended(steps.size(), 0);
    std::vector<char> waited(steps.size(), 0);
    std::vector<Told> told;
    const auto tell = [&](const Told& t) {
        const StepRecord& r = steps[size_t(t.index)];
        if (t.finished) {
            ended[size_t(t.index)] = 1;
            if (!r.output.isEmpty())
                showPrinted(r.actor, r.output);
            showStep(r);
        } else {
            waited[size_t(t.index)] = 1;
            showBlocked(r);
        }
        told.push_back(t);
    };
    for (const Told& t : m_told) {
        if (t.index < 0 || size_t(t.index) >= steps.size())
            continue;
        const size_t k = size_t(t.index);
        if (t.finished ? (!steps[k].settled || ended[k]) : (waited[k] || ended[k]))
            continue;
        tell(t);
    }
    // What the live run did not tell (a run re-made for a step back that went another
    // way, the step still running): each step when it ended, or that it waits and later
    // its end, once the step begun last when it ended has been (a recv() the next step's
    // sendall() fed comes after that sendall()).
    for (size_t k = 0; k < steps.size(); ++k) {
        const StepRecord& r = steps[k];
        if (!ended[k] && !waited[k]) {
            const bool endedInTurn = r.settled && r.settledWith <= int(k) + 1;
            tell({int(k), endedInTurn});
        }
        for (size_t j = 0; j <= k; ++j)
            if (!ended[j] && steps[j].settled && steps[j].settledWith == int(k) + 1)
                tell({int(j), true});
    }
    // Going on from here, the live run tells the rest.
    if (!runner.isRewound())
        m_told = std::move(told);
}

void Console::showBlocked(const StepRecord& r)
{
    if (!m_everyStatement)
        return; // its card says so, with the time it has waited
    // The thread says what it waits in, while it still does (a step that ended since, at
    // the moment stepped back to, waited in its call).
    QString state;
    if (!r.settled)
        for (const program::ThreadView& t : m_session.runner().threads())
            if (t.program == r.program && t.tid == r.tid)
                state = t.describe();
    line(QStringLiteral("%1 %2  %3  .. %4")
             .arg(r.actor, -8)
             .arg(r.line, 4)
             .arg(r.source.section(QLatin1Char('\n'), 0, 0),
                  state.isEmpty() ? tr("blocked") : state),
         QStringLiteral("#b45309"));
}

void Console::showPrinted(const QString& actor, const QString& text)
{
    QString printed = text;
    if (printed.endsWith(QLatin1Char('\n')))
        printed.chop(1); // print()'s own newline
    // As a terminal shows it, with whose print() it was in grey before it.
    for (const QString& l : printed.split(QLatin1Char('\n')))
        line(l, {}, QStringLiteral("%1 ").arg(actor, -8));
}

void Console::line(const QString& text, const QString& color, const QString& who)
{
    // Each line in its own colour, the plain ones in the text's: a line appended after a
    // coloured one took that colour, and a whole transcript read as errors.
    QTextCharFormat format;
    format.setForeground(color.isEmpty() ? palette().text() : QBrush(QColor(color)));
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    if (!document()->isEmpty())
        cursor.insertBlock(QTextBlockFormat(), format);
    if (!who.isEmpty()) {
        QTextCharFormat grey = format;
        grey.setForeground(QColor(0x6b, 0x72, 0x80));
        cursor.insertText(who, grey);
    }
    cursor.insertText(text, format);
    // The newest line is in view, as in a terminal, even when the console was scrolled
    // or laid out smaller since the last one (QPlainTextEdit follows only from its end).
    moveCursor(QTextCursor::End);
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void Console::resizeEvent(QResizeEvent* event)
{
    // Made smaller (a pane resized, the window laid out), it keeps showing the newest line.
    QScrollBar* bar = verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum();
    QPlainTextEdit::resizeEvent(event);
    if (atEnd)
        bar->setValue(bar->maximum());
}

} // namespace sockbench
