#include "lessonpanel.h"

#include "presentation/describe.h"
#include "program/lesson.h"
#include "session.h"
#include "theme.h"

#include <QLabel>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>

namespace sockbench {

namespace {

// Python reports a `with` statement's line a second time as its block ends, when the
// object's __exit__() runs (a socket or a file closes): the thread's step before was in
// the block, below the header. Said so, "with socket.socket() as t: → t = <socket
// [closed]>" read as a socket made closed, and "Next — line 19: with open(...)" as the
// file opened again.
bool leavesWithBlock(const std::vector<program::StepRecord>& steps, size_t before, int program,
                     qint64 tid, int line, const QString& source)
{
    if (!source.startsWith(QLatin1String("with ")))
        return false;
    for (size_t i = std::min(before, steps.size()); i-- > 0;)
        if (steps[i].program == program && steps[i].tid == tid)
            return steps[i].line > line;
    return false;
}

} // namespace

LessonPanel::LessonPanel(Session& session, QWidget* parent)
    : QFrame(parent)
    , m_session(session)
    , m_title(new QLabel(this))
    , m_position(new QLabel(this))
    , m_narration(new QLabel(this))
    , m_next(new QLabel(this))
    , m_outcome(new QLabel(this))
{
    setObjectName(QStringLiteral("lessonPanel"));
    setBackground(this, Qt::white);
    setAccessibleName(tr("Narration"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    // The lesson's title is the window's and the lesson picker's: here every line is for
    // what happens now.
    setRelativeFont(m_title, 1.3, true);
    m_title->setWordWrap(true);
    m_title->hide();
    layout->addWidget(m_title);
    setTextColor(m_position, QColor(0x6b, 0x72, 0x80));
    layout->addWidget(m_position);
    setRelativeFont(m_narration, 1.3);
    m_narration->setWordWrap(true);
    m_narration->setTextFormat(Qt::RichText);
    m_narration->setAccessibleName(tr("What happens next"));
    layout->addWidget(m_narration);
    m_next->setTextFormat(Qt::RichText);
    m_next->setWordWrap(true);
    layout->addWidget(m_next);
    m_outcome->setWordWrap(true);
    m_outcome->setTextFormat(Qt::RichText);
    layout->addWidget(m_outcome);
    layout->addStretch(1);

    auto& runner = session.runner();
    connect(&runner, &program::Runner::stepIssued, this, &LessonPanel::refresh);
    connect(&runner, &program::Runner::stepFinished, this, &LessonPanel::refresh);
    connect(&runner, &program::Runner::threadsChanged, this, &LessonPanel::refresh);
    connect(&runner, &program::Runner::modeChanged, this, &LessonPanel::refresh);
    connect(&runner, &program::Runner::stuck, this, [this](const QString& message) {
        m_outcome->setText(QStringLiteral("<span style='color:#b91c1c'>%1</span>")
                               .arg(describe::wrappable(message)));
    });
    connect(&runner, &program::Runner::finished, this, [this](bool passed) {
        m_verdict = true;
        if (m_session.lessonName() == QLatin1String("experiment")) {
            // An experiment promised nothing: say what happened, errors included.
            const auto& steps = m_session.runner().steps();
            const int raised = int(std::count_if(steps.cbegin(), steps.cend(),
                                                 [](const auto& s) { return !s.error.isEmpty(); }));
            m_outcome->setText(
                tr("<b>The experiment has ended.</b> %n statement(s) ran", nullptr,
                   int(steps.size())) +
                (raised > 0 ? tr("; %n raised an error (the cards and the console say why).",
                                 nullptr, raised)
                            : tr(", none raised an error.")));
            return;
        }
        m_outcome->setText(
            passed ? tr("<b style='color:#047857'>The lesson is complete.</b> Every statement did "
                        "what it said. Play on: every socket's buttons still work.")
                   : tr("<b style='color:#b91c1c'>Something did not go as the lesson said.</b> "
                        "The console says what; reset (R) to start again."));
    });
    connect(&session.replayer(), &Replayer::moved, this, &LessonPanel::refresh);
    connect(&session, &Session::loaded, this, [this] {
        m_outcome->clear();
        refresh();
    });
}

QString LessonPanel::narration() const
{
    return m_narration->text();
}

QString LessonPanel::justRan() const
{
    return m_next->text();
}

QString LessonPanel::outcome() const
{
    return m_outcome->text();
}

void LessonPanel::refresh()
{
    const auto& runner = m_session.runner();
    const program::Lesson& lesson = runner.lesson();
    m_title->setText(lesson.title.isEmpty() ? m_session.lessonName() : lesson.title);
    if (m_session.replayer().isActive())
        return showReplayed();
    const int count = runner.stepCount();
    const auto next = runner.next();
    // The verdict on the whole run belongs to its end: after Reset or Back the run is not
    // over, and "The lesson is complete." beside "Step 0" would contradict it.
    if (m_verdict && !runner.isFinished()) {
        m_outcome->clear();
        m_verdict = false;
    }
    // Steps are line events: a loop's lines count once per pass, so there is no "of M".
    m_position->setText(
        lesson.statementLines.isEmpty() ? tr("An empty script: create a socket on a host to begin")
        : runner.isRemaking()
            ? tr("Step %1 of %2 — going on from here…").arg(count).arg(runner.runLength())
        : runner.isRewound() ? tr("Step %1 of %2 — stepped back: Step goes on from here")
                                   .arg(count)
                                   .arg(runner.runLength())
                             : tr("Step %1").arg(count));
    // What the last step did: what it bound, the error it raised, the calls it made.
    QString before;
    if (count > 0) {
        const program::StepRecord& last = runner.steps().back();
        const bool leftBlock = leavesWithBlock(runner.steps(), runner.steps().size() - 1,
                                               last.program, last.tid, last.line, last.source);
        QString how;
        if (!last.settled)
            how = tr("still running");
        else if (!last.error.isEmpty())
            how = QStringLiteral("→ ") + last.error;
        else if (!last.reason.isEmpty())
            how = last.reason;
        else if (leftBlock)
            how = tr("the with block ended: __exit__() ran");
        else if (!last.changes.isEmpty())
            how = QStringLiteral("→ ") + last.changes.join(QStringLiteral(", "));
        // A long value is cut, with an ellipsis, before the count of calls: the count is
        // never the part cut off.
        // Cut after a space or comma, never inside a number or a word: "('127.0.0.1',
        // 6041…" read as port 6041 where it was 60412.
        if (how.size() > 140) {
            const qsizetype at =
                how.lastIndexOf(QRegularExpression(QStringLiteral("[\\s,(]")), 139);
            how = how.left(at > 90 ? at + 1 : 139).trimmed() + QChar(0x2026);
        }
        if (!last.calls.isEmpty())
            how += last.calls.size() == 1 ? tr(" (1 socket call)")
                                          : tr(" (%1 socket calls)").arg(last.calls.size());
        const QString host = m_session.hostOf(last.program, last.actor);
        const QString who =
            last.thread.isEmpty() || last.thread == last.actor
                ? host
                : QStringLiteral("%1, %2").arg(host, describe::threadName(last.thread));
        const auto note = lesson.notes.constFind(last.line);
        QString said = last.program == 0 && note != lesson.notes.cend() && !leftBlock
                           ? describe::wrappable(note->narration.join(QLatin1Char(' ')))
                           : QString();
        // A question under its own answer reads as asked after it: it was asked before.
        if (!said.isEmpty() && note->asks())
            said = tr("<span style='color:#6b7280'>Asked before it ran:</span> %1").arg(said);
        before = tr("<p style='color:#374151'><b>Just ran</b> (%1, line %2): <code>%3</code> "
                    "<i>%4</i>%5</p>")
                     .arg(describe::wrappable(who))
                     .arg(last.line)
                     .arg(describe::wrappable(last.source.section(QLatin1Char('\n'), 0, 0)),
                          describe::wrappable(how),
                          said.isEmpty() ? QString() : QStringLiteral("<br>") + said);
    }
    // Free play waits for a click, at no line of its own: say what to do, not "line 0".
    if (next && next->line <= 0) {
        m_narration->setText(tr("<b>Free play</b> — press a call on a socket's card, or New "
                                "socket on a host: the call runs at once, for real, and becomes "
                                "the next line of the script."));
        m_next->setText(before);
        return;
    }
    if (!next) {
        // A call that has to end first (it waits for the kernel, or for its timeout): say
        // which, rather than leave the last "Next" standing while nothing can go.
        const QList<program::ThreadView> live = runner.threads();
        const auto blocked =
            std::find_if(live.cbegin(), live.cend(), [](const program::ThreadView& t) {
                return t.state == program::ThreadView::State::Blocked ||
                       t.state == program::ThreadView::State::Sleeping;
            });
        const QString waiting =
            blocked == live.cend()
                ? tr("Every thread is waiting: nothing can step now.")
                : tr("<b>Waiting</b> — %1 is %2 <code>%3</code> at line %4. The next step "
                     "comes when it returns.")
                      .arg(describe::wrappable(m_session.hostOf(blocked->program, blocked->actor)),
                           blocked->state == program::ThreadView::State::Blocked ? tr("blocked in")
                                                                                 : tr("waiting in"),
                           describe::wrappable(blocked->call))
                      .arg(blocked->line);
        m_narration->setText(runner.atEnd() && count > 0 ? tr("The program has ended.")
                             : count == 0                ? describe::wrappable(lesson.summary)
                                                         : waiting);
        m_next->setText(before);
        return;
    }
    const auto& programs = runner.programs();
    const program::Lesson& at = next->program >= 0 && next->program < programs.size()
                                    ? programs[next->program].lesson
                                    : lesson;
    const program::LineNotes notes = at.notes.value(next->line);
    QString text = describe::wrappable(notes.narration.join(QLatin1Char(' ')));
    if (text.isEmpty() && count == 0)
        text = describe::wrappable(lesson.summary);
    // The code hides a statement's `# expect:` answer until it has run once (CodeView):
    // the narration asks for the prediction at the same moment.
    const bool ranBefore = std::any_of(
        runner.steps().cbegin(), runner.steps().cend(), [&](const program::StepRecord& r) {
            return r.program == next->program && r.line == next->line;
        });
    const bool hiddenAnswer =
        !notes.expect.isEmpty() && !m_session.replayer().isActive() && !ranBefore;
    // A loop comes back to a line whose note asked a question: the answer is on the screen
    // by now, and asking again would read as a new question (lesson 09's crowd loop). The
    // note was said on the first turn.
    if (ranBefore && notes.pause && notes.asks())
        text.clear();
    if (hiddenAnswer && text.isEmpty())
        text = tr("What will it do? Predict it, then step.");
    // A pause asks a question, or stops Play where something is worth watching.
    const bool asks = hiddenAnswer || notes.asks();
    if ((notes.pause && !ranBefore) || hiddenAnswer)
        text = QStringLiteral("<span style='background:#fef3c7'>&nbsp;%1&nbsp;</span> ")
                   .arg(asks ? tr("Predict first") : tr("Watch")) +
               text;
    const QString source = program::statementAt(at.source, next->line);
    if (leavesWithBlock(runner.steps(), runner.steps().size(), next->program, next->tid, next->line,
                        source))
        text = tr("The with block ends: Python comes back to its first line to run "
                  "__exit__(), which closes the socket or file it opened.");
    const QString host = m_session.hostOf(next->program, next->actor);
    const QString who =
        next->thread.isEmpty() || next->thread == next->actor
            ? host
            : QStringLiteral("%1, %2").arg(host, describe::threadName(next->thread));
    m_narration->setText(tr("<b>Next</b> — %1, line %2: <code>%3</code><br>%4")
                             .arg(describe::wrappable(who))
                             .arg(next->line)
                             .arg(describe::wrappable(source), text));
    m_next->setText(before);
}

void LessonPanel::showReplayed()
{
    // A recording: what the statement behind the event shown last said and did.
    const Replayer& replayer = m_session.replayer();
    m_position->setText(
        replayer.bySteps()
            ? tr("Recorded session · step %1 of %2").arg(replayer.step()).arg(replayer.steps())
            : tr("Recorded session · event %1 of %2")
                  .arg(replayer.position())
                  .arg(replayer.total()));
    m_outcome->clear();
    const auto* st = replayer.currentStatement();
    if (!st) {
        m_narration->setText(replayer.position() == 0 ||
                                     (replayer.bySteps() && replayer.step() == 0)
                                 ? tr("The recording is at its start. Step (→) to see what "
                                      "happened, one step at a time.")
                                 : tr("Events no statement made (a built-in peer, the kernel)."));
        m_next->clear();
        return;
    }
    const QString said =
        m_session.runner().lesson().notes.value(st->line).narration.join(QLatin1Char(' '));
    m_narration->setText(tr("<b>Recorded</b> — %1, line %2: <code>%3</code><br>%4")
                             .arg(describe::wrappable(st->actor))
                             .arg(st->line)
                             .arg(describe::wrappable(st->source), describe::wrappable(said)));
    m_next->setText(
        tr("<p style='color:#374151'>It ended: <i>%1</i> %2</p>")
            .arg(describe::wrappable(st->outcome), describe::wrappable(st->value.left(160))));
}

} // namespace sockbench
