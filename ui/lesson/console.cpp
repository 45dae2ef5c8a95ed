#include "console.h"

#include "session.h"

#include <QFontDatabase>

namespace sockbench {

using lesson::StepOutcome;

Console::Console(Session& session, QWidget* parent)
    : QPlainTextEdit(parent)
    , m_session(session)
{
    setObjectName(QStringLiteral("console"));
    setReadOnly(true);
    // Monospace by family only: the size follows the window's zoom.
    setStyleSheet(QStringLiteral("QPlainTextEdit { font-family: \"%1\"; }")
                      .arg(QFontDatabase::systemFont(QFontDatabase::FixedFont).family()));
    setMaximumBlockCount(5000); // a long session cannot grow it without end
    setAccessibleName(tr("Console: the transcript and print() output"));
    setPlaceholderText(tr("Each statement's outcome and every print() appear here."));
    auto& runner = session.runner();
    connect(&runner, &lesson::Runner::stepFinished, this, [this](const StepOutcome& o) {
        QString outcome;
        QString color;
        switch (o.kind) {
        case StepOutcome::Kind::Ok:
            outcome = QStringLiteral("-> ") + o.value;
            break;
        case StepOutcome::Kind::ExpectedError:
            outcome = QStringLiteral("-> raised %1 (expected)").arg(o.error.format());
            color = QStringLiteral("#92400e");
            break;
        case StepOutcome::Kind::Failed:
            outcome = QStringLiteral("!! FAILED: ") + o.reason;
            color = QStringLiteral("#b91c1c");
            break;
        case StepOutcome::Kind::Interrupted:
            outcome = QStringLiteral("!! interrupted: ") + o.reason;
            color = QStringLiteral("#b45309");
            break;
        case StepOutcome::Kind::Skipped:
            outcome = QStringLiteral("   ") + o.reason;
            color = QStringLiteral("#6b7280");
            break;
        case StepOutcome::Kind::Raised:
            outcome = QStringLiteral("-> raised %1").arg(o.error.format());
            color = QStringLiteral("#b91c1c");
            break;
        }
        const QString text = QStringLiteral("%1 %2  %3  %4")
                                 .arg(o.actor, -8)
                                 .arg(o.line, 4)
                                 .arg(o.source.section(QLatin1Char('\n'), 0, 0), outcome);
        m_transcript << text;
        line(text, color);
    });
    connect(&runner, &lesson::Runner::stepBlocked, this, [this](int step, CallId) {
        const auto& s = m_session.runner().steps()[static_cast<size_t>(step)];
        line(QStringLiteral("%1 %2  %3  .. %4")
                 .arg(s.actor, -8)
                 .arg(s.pos.line, 4)
                 .arg(s.source.section(QLatin1Char('\n'), 0, 0),
                      m_session.runner().actorState(s.thread())),
             QStringLiteral("#b45309"));
    });
    connect(&runner, &lesson::Runner::printed, this,
            [this](const QString& actor, const QString& text) {
                for (const QString& l : text.split(QLatin1Char('\n')))
                    line(QStringLiteral("%1 print %2").arg(actor, -8).arg(l),
                         QStringLiteral("#1d4ed8"));
            });
    connect(&runner, &lesson::Runner::deadlocked, this, [this](const QString& message) {
        line(QStringLiteral("!! ") + message, QStringLiteral("#b91c1c"));
    });
    // A recording replays: the statements its events have finished so far, as recorded.
    connect(&session.replayer(), &Replayer::moved, this, [this] {
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
            line(text, failed ? QStringLiteral("#92400e") : QString());
        }
    });
    connect(&runner, &lesson::Runner::resetDone, this, [this] {
        if (m_session.replayer().isActive())
            return; // the old lesson's sockets closed; the console shows the recording
        m_transcript.clear();
        line(tr("— reset: every socket the lesson opened is closed —"), QStringLiteral("#6b7280"));
    });
}

void Console::line(const QString& text, const QString& color)
{
    if (color.isEmpty())
        appendPlainText(text);
    else
        appendHtml(QStringLiteral("<span style='white-space:pre;color:%1'>%2</span>")
                       .arg(color, text.toHtmlEscaped()));
}

} // namespace sockbench
