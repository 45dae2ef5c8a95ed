#include "codeview.h"

#include "codegen/c.h"
#include "engine/workbench.h"
#include "lesson/parser.h"
#include "lesson/scriptwriter.h"
#include "session.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTextBlock>
#include <QVBoxLayout>

namespace sockbench {

CodeView::CodeView(Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_script(new QPlainTextEdit(this))
    , m_c(new QPlainTextEdit(this))
    , m_edit(new QPushButton(tr("Edit the script"), this))
    , m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("codeView"));
    // Monospace by family only: the size follows the window's font, so the zoom a teacher
    // sets for the projector reaches the code too.
    const QString mono = QStringLiteral("QPlainTextEdit { font-family: \"%1\"; }")
                             .arg(QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
    for (QPlainTextEdit* edit : {m_script, m_c}) {
        edit->setReadOnly(true);
        edit->setStyleSheet(mono);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_script->setAccessibleName(tr("The script in Python"));
    m_script->setToolTip(
        tr("The lesson as Python. The line about to run is lit blue; a statement still "
           "running or blocked is lit amber. Panel clicks add their statements here."));
    m_c->setAccessibleName(tr("The last statement in C"));
    m_c->setToolTip(
        tr("The C system calls the last statement made, with their real arguments and results"));
    m_c->setPlaceholderText(tr("The C behind each statement appears here as it runs."));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(split);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* pyTitle = new QLabel(tr("<b>Python</b>"), left);
    leftLayout->addWidget(pyTitle);
    leftLayout->addWidget(m_script, 1);
    m_problem->setStyleSheet(QStringLiteral("color:#b91c1c"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    leftLayout->addWidget(m_problem);
    auto* buttons = new QHBoxLayout;
    m_edit->setToolTip(tr("Change the script by hand, then run it from the start"));
    m_edit->setAccessibleName(tr("Edit the script"));
    buttons->addWidget(m_edit);
    buttons->addStretch(1);
    leftLayout->addLayout(buttons);
    auto* right = new QWidget(split);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("<b>C</b> — the calls the last statement made"), right));
    rightLayout->addWidget(m_c, 1);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split);

    connect(m_edit, &QPushButton::clicked, this, &CodeView::toggleEditing);
    auto& runner = session.runner();
    connect(&session, &Session::scriptChanged, this, &CodeView::refresh);
    connect(&runner, &lesson::Runner::stepIssued, this, &CodeView::refresh);
    connect(&runner, &lesson::Runner::stepBlocked, this, &CodeView::highlight);
    connect(&runner, &lesson::Runner::stepFinished, this,
            [this](const lesson::StepOutcome& outcome) {
                highlight();
                showC(outcome);
            });
    connect(&runner, &lesson::Runner::resetDone, this, [this] {
        m_c->clear();
        m_fds.clear();
        highlight();
    });
    connect(&session.replayer(), &Replayer::moved, this, &CodeView::showReplayed);
    connect(&session.workbench(), &Workbench::callFinished, this, [this](const Event& e) {
        if (e.result.ok() &&
            (e.request.kind == CallKind::Socket || e.request.kind == CallKind::Accept))
            m_fds.insert(e.result.newSocket, e.result.count);
    });
}

QString CodeView::problem() const
{
    return m_problem->isVisible() ? m_problem->text() : QString();
}

void CodeView::refresh()
{
    if (m_editing)
        return;
    const auto& runner = m_session.runner();
    const auto written = lesson::writeScript(runner.script(), runner.steps());
    m_stepLine = written.stepLine;
    // "Predict first": the answer a statement's `# expect:` line gives away stays hidden
    // until the statement has run. Only the view: editing and saving keep every line.
    QStringList lines = written.text.split(QLatin1Char('\n'));
    if (!m_session.replayer().isActive()) {
        static const QRegularExpression expect(QStringLiteral("^(\\s*)#\\s*expect\\s*:.*$"));
        for (size_t k = size_t(std::max(runner.nextStep(), 0)); k < runner.steps().size(); ++k) {
            if (runner.steps()[k].directives.expect.isEmpty() || m_stepLine[k] <= 1)
                continue;
            for (int line = m_stepLine[k] - 2;
                 line >= 0 && lines[line].trimmed().startsWith(QLatin1Char('#')); --line)
                if (const auto match = expect.match(lines[line]); match.hasMatch())
                    lines[line] = match.captured(1) + tr("# expect: ?   (predict it, then step)");
        }
    }
    const QString text = lines.join(QLatin1Char('\n'));
    if (m_script->toPlainText() != text)
        m_script->setPlainText(text);
    highlight();
}

void CodeView::showReplayed()
{
    // A recording: the statement that made the event shown last, and its calls in C, from
    // the recorded events (the descriptors as they were then).
    if (m_editing || !m_session.replayer().isActive())
        return;
    const Replayer& replayer = m_session.replayer();
    const auto* st = replayer.currentStatement();
    QList<QTextEdit::ExtraSelection> selections;
    if (st && st->step >= 0 && st->step < static_cast<int>(m_stepLine.size()) &&
        m_stepLine[static_cast<size_t>(st->step)] > 0) {
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(QColor(0xfe, 0xf3, 0xc7));
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(m_script->document()->findBlockByLineNumber(
            m_stepLine[static_cast<size_t>(st->step)] - 1));
        selections << selection;
        m_script->setTextCursor(selection.cursor);
        m_script->ensureCursorVisible();
    }
    m_script->setExtraSelections(selections);
    m_c->clear();
    if (!st)
        return;
    QStringList blocks{QStringLiteral("/* line %1: %2 */").arg(st->line).arg(st->source)};
    for (const CallId call : st->calls)
        if (const Event* e = replayer.finishedEvent(call);
            e && e - replayer.session().events.constData() < replayer.position())
            blocks << codegen::c::render(*e, [&replayer](SocketId id) {
                const auto [fd, family] = replayer.socketFacts(id);
                return codegen::c::SocketFacts{fd, family};
            });
    m_c->setPlainText(blocks.join(QStringLiteral("\n\n")));
}

void CodeView::highlight()
{
    if (m_editing)
        return;
    if (m_session.replayer().isActive())
        return showReplayed();
    const auto& runner = m_session.runner();
    if (m_stepLine.size() != runner.steps().size())
        return refresh();
    QList<QTextEdit::ExtraSelection> selections;
    auto light = [&](int step, const QColor& color) {
        if (step < 0 || step >= static_cast<int>(m_stepLine.size()) ||
            m_stepLine[static_cast<size_t>(step)] <= 0)
            return;
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(color);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(
            m_script->document()->findBlockByLineNumber(m_stepLine[static_cast<size_t>(step)] - 1));
        selections << selection;
    };
    light(runner.nextStep(), QColor(0xdb, 0xea, 0xfe));
    for (const QString& thread : runner.threads())
        light(runner.runningStep(thread), QColor(0xfe, 0xf3, 0xc7));
    m_script->setExtraSelections(selections);
    const int next = runner.nextStep();
    if (next >= 0 && next < static_cast<int>(m_stepLine.size()) &&
        m_stepLine[static_cast<size_t>(next)] > 0) {
        QTextCursor cursor(
            m_script->document()->findBlockByLineNumber(m_stepLine[static_cast<size_t>(next)] - 1));
        m_script->setTextCursor(cursor);
        m_script->ensureCursorVisible();
    }
}

void CodeView::showC(const lesson::StepOutcome& outcome)
{
    if (outcome.calls.isEmpty()) {
        // Say so, rather than leave the previous statement's calls under this one's name.
        m_c->setPlainText(tr("/* line %1: %2 */\n\n/* No system call: Python does this "
                             "without the kernel. */")
                              .arg(outcome.line)
                              .arg(outcome.source.section(QLatin1Char('\n'), 0, 0)));
        return;
    }
    const Trace& trace = m_session.workbench().trace();
    QStringList blocks;
    blocks << QStringLiteral("/* line %1: %2 */")
                  .arg(outcome.line)
                  .arg(outcome.source.section(QLatin1Char('\n'), 0, 0));
    const auto facts = [this](SocketId id) {
        codegen::c::SocketFacts f;
        f.fd = m_fds.value(id, -1);
        if (const auto info = m_session.workbench().socket(id))
            f.family = info->family;
        return f;
    };
    // The calls finished a moment ago: they are among the newest events.
    const quint64 last = trace.lastSeq();
    const QList<Event> recent = trace.events(last > 512 ? last - 512 : 0);
    for (const CallId call : outcome.calls)
        for (const Event& e : recent)
            if (e.call == call && e.kind == EventKind::CallFinished)
                blocks << codegen::c::render(e, facts);
    m_c->setPlainText(blocks.join(QStringLiteral("\n\n")));
}

void CodeView::toggleEditing()
{
    if (!m_editing) {
        m_editing = true;
        m_script->setReadOnly(false);
        m_script->setExtraSelections({});
        m_edit->setText(tr("Run the edited script"));
        m_script->setFocus();
        return;
    }
    const QString text = m_script->toPlainText();
    // Checked here first, so the cursor can go straight to the problem.
    auto parsed = lesson::parse(text, m_session.fileName());
    if (auto* error = std::get_if<lesson::ParseError>(&parsed)) {
        m_problem->setText(
            error->format(m_session.fileName().isEmpty() ? tr("script") : m_session.fileName()));
        m_problem->show();
        QTextCursor cursor(m_script->document()->findBlockByLineNumber(error->pos.line - 1));
        cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                            std::max(0, error->pos.column - 1));
        m_script->setTextCursor(cursor);
        m_script->setFocus();
        return;
    }
    m_editing = false;
    m_session.load(text, m_session.fileName(), m_session.lessonName(), nullptr);
    m_problem->hide();
    m_script->setReadOnly(true);
    m_edit->setText(tr("Edit the script"));
    refresh();
    Q_EMIT editedScriptLoaded();
}

} // namespace sockbench
