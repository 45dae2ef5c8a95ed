#include "lessonpanel.h"

#include "session.h"

#include <QLabel>
#include <QVBoxLayout>

namespace sockbench {

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
    setAccessibleName(tr("Narration"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    QFont title = m_title->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.3);
    m_title->setFont(title);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_position->setStyleSheet(QStringLiteral("color:#6b7280"));
    layout->addWidget(m_position);
    QFont big = m_narration->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_narration->setFont(big);
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
    connect(&runner, &lesson::Runner::stepIssued, this, &LessonPanel::refresh);
    connect(&runner, &lesson::Runner::stepFinished, this, &LessonPanel::refresh);
    connect(&runner, &lesson::Runner::modeChanged, this, &LessonPanel::refresh);
    connect(&runner, &lesson::Runner::deadlocked, this, [this](const QString& message) {
        m_outcome->setText(
            QStringLiteral("<span style='color:#b91c1c'>%1</span>").arg(message.toHtmlEscaped()));
    });
    connect(&runner, &lesson::Runner::finished, this, [this](bool passed) {
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

void LessonPanel::refresh()
{
    const auto& runner = m_session.runner();
    const auto& script = runner.script();
    m_title->setText(script.title.isEmpty() ? m_session.lessonName() : script.title);
    if (m_session.replayer().isActive())
        return showReplayed();
    const int total = static_cast<int>(runner.steps().size());
    const int next = runner.nextStep();
    m_position->setText(total ? tr("%1 of %2 statements run").arg(next).arg(total)
                              : tr("An empty script: create a socket on a host to begin"));
    // What just ran, and how it went: the statement issued last.
    QString before;
    if (next > 0) {
        const lesson::RunStep& last = runner.steps()[static_cast<size_t>(next - 1)];
        QString how = runner.actorState(last.thread());
        for (const lesson::StepOutcome& o : runner.outcomes())
            if (o.step == next - 1)
                how = o.kind == lesson::StepOutcome::Kind::Ok ? QStringLiteral("→ ") + o.value
                      : o.error.type.isEmpty()                ? o.reason
                                               : QStringLiteral("→ ") + o.error.format();
        const QString said = last.directives.narration.join(QLatin1Char(' '));
        before =
            tr("<p style='color:#374151'><b>Just ran</b> (%1, line %2): <code>%3</code> "
               "<i>%4</i>%5</p>")
                .arg(last.actor.toHtmlEscaped())
                .arg(last.pos.line)
                .arg(last.source.section(QLatin1Char('\n'), 0, 0).toHtmlEscaped(),
                     how.left(120).toHtmlEscaped(),
                     said.isEmpty() ? QString() : QStringLiteral("<br>") + said.toHtmlEscaped());
    }
    if (next >= total) {
        m_narration->setText(total ? tr("That was the last statement.")
                                   : script.summary.toHtmlEscaped());
        m_next->setText(before);
        return;
    }
    const lesson::RunStep& step = runner.steps()[static_cast<size_t>(next)];
    QString text = step.directives.narration.join(QLatin1Char(' ')).toHtmlEscaped();
    if (text.isEmpty() && next == 0)
        text = script.summary.toHtmlEscaped();
    if (step.directives.pause)
        text = tr("<span style='background:#fef3c7'>&nbsp;Predict first&nbsp;</span> ") + text;
    m_narration->setText(
        tr("<b>Next</b> — %1, line %2: <code>%3</code><br>%4")
            .arg(step.actor.toHtmlEscaped())
            .arg(step.pos.line)
            .arg(step.source.section(QLatin1Char('\n'), 0, 0).toHtmlEscaped(), text));
    m_next->setText(before);
}

void LessonPanel::showReplayed()
{
    // A recording: what the statement behind the event shown last said and did.
    const Replayer& replayer = m_session.replayer();
    m_position->setText(
        tr("Recorded session · event %1 of %2").arg(replayer.position()).arg(replayer.total()));
    m_outcome->clear();
    const auto* st = replayer.currentStatement();
    if (!st) {
        m_narration->setText(replayer.position() == 0
                                 ? tr("The recording is at its start. Step (→) to see what "
                                      "happened, one call at a time.")
                                 : tr("Events no statement made (a built-in peer, the kernel)."));
        m_next->clear();
        return;
    }
    const auto& steps = m_session.runner().steps();
    QString said;
    if (st->step >= 0 && st->step < static_cast<int>(steps.size()))
        said = steps[static_cast<size_t>(st->step)].directives.narration.join(QLatin1Char(' '));
    m_narration->setText(tr("<b>Recorded</b> — %1, line %2: <code>%3</code><br>%4")
                             .arg(st->actor.toHtmlEscaped())
                             .arg(st->line)
                             .arg(st->source.toHtmlEscaped(), said.toHtmlEscaped()));
    m_next->setText(tr("<p style='color:#374151'>It ended: <i>%1</i> %2</p>")
                        .arg(st->outcome.toHtmlEscaped(), st->value.left(160).toHtmlEscaped()));
}

} // namespace sockbench
