#include "codeview.h"
#include "theme.h"

#include "codegen/c.h"
#include "engine/workbench.h"
#include "scriptedit.h"
#include "session.h"

#include <QAbstractTextDocumentLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSplitter>
#include <QTabBar>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace sockbench {

namespace {

// A line of the script lit across the pane: every row of it, when a long statement wraps
// (a cursor at the block's start alone lights its first row only).
QTextEdit::ExtraSelection lineLit(const QTextBlock& block, const QColor& color)
{
    QTextEdit::ExtraSelection selection;
    selection.format.setBackground(color);
    selection.format.setProperty(QTextFormat::FullWidthSelection, true);
    selection.cursor = QTextCursor(block);
    selection.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    return selection;
}

// Lines count from 1 in `lesson`, from 0 in `lines`.
// - A statement's `# expect:` line reads "# expect: ?" until the statement has run.
// - A question asked at a `# pause` ("recv(1024) asks for up to 1024 bytes. How many come
//   back?") is answered by the `assert`s right after its statement (after the whole of
//   it: a loop's body is part of the question) and the comments between them: those read
//   "…" until the program gets there (`next`, the line about to run, or a line that ran).
//   The comments before the next statement of another kind are that statement's own,
//   unless no assert comes first: then they are the answer, in words.
void hideAnswers(QStringList& lines, const program::Lesson& lesson, const QSet<int>& ran, int next)
{
    static const QRegularExpression expect(QStringLiteral("^(\\s*)#\\s*expect\\s*:.*$"));
    static const QRegularExpression indent(QStringLiteral("^\\s*"));
    const auto isComment = [&](int line) {
        return lines[line - 1].trimmed().startsWith(QLatin1Char('#'));
    };
    const auto endOf = [&](int statement) {
        return std::max(statement, lesson.notes.value(statement).statementEnd);
    };
    const auto hide = [&](int line, const QString& with) {
        lines[line - 1] = indent.match(lines[line - 1]).captured(0) + with;
    };
    for (auto it = lesson.notes.cbegin(); it != lesson.notes.cend(); ++it) {
        const int at = it.key();
        if (at <= 1 || at > lines.size())
            continue;
        if (!it->expect.isEmpty() && !ran.contains(at))
            for (int line = at - 1; line >= 1 && isComment(line); --line)
                if (const auto match = expect.match(lines[line - 1]); match.hasMatch())
                    lines[line - 1] =
                        match.captured(1) + CodeView::tr("# expect: ?   (predict it, then step)");
        if (!it->pause || !it->asks())
            continue;
        int shownTo = endOf(at); // the last line left as it is
        const auto after =
            std::upper_bound(lesson.statementLines.cbegin(), lesson.statementLines.cend(), shownTo);
        // Once the program reaches the first answer, every answer is shown.
        if (after == lesson.statementLines.cend() || *after == next || ran.contains(*after))
            continue;
        // No assert under the question: the comments right after it say what happened
        // (lesson 25's "Nothing. ... recv() blocks until the timeout ends it"), until the
        // program gets past it.
        if (*after <= lines.size() &&
            !lines[*after - 1].trimmed().startsWith(QLatin1String("assert "))) {
            for (int line = shownTo + 1; line < *after; ++line)
                if (isComment(line))
                    hide(line, QStringLiteral("# …"));
            continue;
        }
        for (auto statement = after; statement != lesson.statementLines.cend(); ++statement) {
            if (*statement > lines.size() ||
                !lines[*statement - 1].trimmed().startsWith(QLatin1String("assert ")))
                break;
            for (int line = shownTo + 1; line <= endOf(*statement) && line <= lines.size(); ++line)
                if (line == *statement)
                    hide(line, CodeView::tr("assert …   # shown when the program gets here"));
                else if (!lines[line - 1].trimmed().isEmpty())
                    hide(line, isComment(line) ? QStringLiteral("# …") : QStringLiteral("…"));
            shownTo = endOf(*statement);
        }
    }
}
} // namespace

CodeView::CodeView(Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_programs(new QTabBar(this))
    , m_script(new ScriptEdit(this))
    , m_c(new QPlainTextEdit(this))
    , m_edit(new QPushButton(tr("Edit the script"), this))
    , m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("codeView"));
    // Monospace by family only: the size follows the window's font, so the zoom a teacher
    // sets for the projector reaches the code too.
    const QString mono =
        QStringLiteral("QPlainTextEdit { font-family: \"%1\"; }").arg(monoFamily());
    for (QPlainTextEdit* edit : {static_cast<QPlainTextEdit*>(m_script), m_c}) {
        edit->setReadOnly(true);
        edit->setStyleSheet(mono);
    }
    // The C wraps: at 1280 the pane is narrow, and a call's "returns ..." comment is the
    // point of it, never to be scrolled to.
    m_c->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_c->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_c->setCenterOnScroll(true); // see showC(): a whole line at the top

    // Read-only text does not trap Tab: the keyboard goes on to the stage's buttons.
    m_script->setTabChangesFocus(true);
    m_c->setTabChangesFocus(true);
    m_script->setAccessibleName(tr("The script in Python"));
    m_script->setToolTip(
        tr("The program as Python. The line about to run is lit blue; the line a thread "
           "runs or is blocked at is lit amber, and a thread waiting for its turn grey. "
           "A line too long for the pane goes on in the next row, marked \u21aa in the "
           "margin. Panel clicks add their statements here."));
    m_c->setAccessibleName(tr("The line that just ran, in C"));
    m_c->setToolTip(tr("The C system calls the line that just ran made on sockets, with their "
                       "real arguments and results"));
    m_c->setPlaceholderText(tr("The C behind each statement appears here as it runs."));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // The Python over the C it made: the column beside the stage is narrow, and a line of
    // code is read whole or not at all.
    auto* split = new QSplitter(Qt::Vertical, this);
    auto* left = new QWidget(split);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    // The title and Edit on one row: every other line of the column is code.
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(new QLabel(tr("<b>Python</b>"), left));
    titleRow->addStretch(1);
    m_edit->setToolTip(tr("Change the script by hand, then run it from the start"));
    m_edit->setAccessibleName(tr("Edit the script"));
    titleRow->addWidget(m_edit);
    leftLayout->addLayout(titleRow);
    // One tab per program when several run side by side (a server and a client).
    m_programs->setObjectName(QStringLiteral("programTabs"));
    m_programs->setAccessibleName(tr("Programs"));
    m_programs->setDocumentMode(true);
    m_programs->hide();
    leftLayout->addWidget(m_programs);
    leftLayout->addWidget(m_script, 1);
    m_problem->setStyleSheet(QStringLiteral("color:#b91c1c"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    leftLayout->addWidget(m_problem);
    auto* right = new QWidget(split);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_cTitle = new QLabel(right);
    setCLine(0);
    rightLayout->addWidget(m_cTitle);
    rightLayout->addWidget(m_c, 1);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    layout->addWidget(split);

    connect(m_edit, &QPushButton::clicked, this, &CodeView::toggleEditing);
    // Run to line: the script's context menu plays until a thread is about to run that line.
    m_script->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_script, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu* menu = m_script->createStandardContextMenu(at);
        const int line = m_script->cursorForPosition(at).blockNumber() + 1;
        // Runner::runToLine takes a line of the first program: offered there only.
        if (!m_editing && !m_session.replayer().isActive() && shownProgram() == 0) {
            menu->insertSeparator(menu->actions().value(0));
            QAction* run = new QAction(tr("Run to line %1").arg(line), menu);
            run->setObjectName(QStringLiteral("runToLine"));
            connect(run, &QAction::triggered, &m_session.runner(),
                    [this, line] { m_session.runner().runToLine(line); });
            menu->insertAction(menu->actions().value(0), run);
        }
        menu->exec(m_script->viewport()->mapToGlobal(at));
        delete menu;
    });
    auto& runner = session.runner();
    connect(&session, &Session::scriptChanged, this, &CodeView::refresh);
    connect(m_programs, &QTabBar::currentChanged, this, &CodeView::refresh);
    connect(&session, &Session::loaded, this, [this] {
        QSignalBlocker quiet(m_programs);
        while (m_programs->count() > 0)
            m_programs->removeTab(0);
        for (const program::ProgramView& p : m_session.runner().programs())
            m_programs->addTab(p.lesson.fileName.isEmpty() ? p.host : p.lesson.fileName);
        m_programs->setVisible(m_programs->count() > 1);
        refresh();
    });
    // The C pane follows the step "Just ran" speaks of, the newest, also while it runs: an
    // earlier step that settles later (a blocked accept() returning) does not take it back.
    connect(&runner, &program::Runner::stepIssued, this, [this] {
        refresh();
        showLatestC();
    });
    connect(&runner, &program::Runner::stepBlocked, this, [this] {
        highlight();
        showLatestC();
    });
    // Where the threads stand decides the lit lines, and which hidden answers the program
    // has reached.
    connect(&runner, &program::Runner::threadsChanged, this, &CodeView::refresh);
    connect(&runner, &program::Runner::stepFinished, this, [this] {
        highlight();
        showLatestC();
    });
    connect(&runner, &program::Runner::resetDone, this, [this] {
        m_c->clear();
        setCLine(0);
        m_fds.clear();
        highlight();
    });
    connect(&session.replayer(), &Replayer::moved, this, &CodeView::showReplayed);
    connect(&session.workbench(), &Workbench::callFinished, this, [this](const Event& e) {
        if (!e.result.ok())
            return;
        if (e.request.kind == CallKind::Socket || e.request.kind == CallKind::Accept ||
            e.request.kind == CallKind::SocketPair)
            m_fds.insert(e.result.newSocket, e.result.count);
        if (e.request.kind == CallKind::SocketPair)
            m_fds.insert(e.result.pairedSocket, e.result.pairedFd);
    });
}

QString CodeView::problem() const
{
    return m_problem->isVisible() ? m_problem->text() : QString();
}

int CodeView::shownProgram() const
{
    const int count = static_cast<int>(m_session.runner().programs().size());
    return std::clamp(m_programs->currentIndex(), 0, std::max(count - 1, 0));
}

QPlainTextEdit* CodeView::script() const
{
    return m_script;
}

void CodeView::refresh()
{
    if (m_editing)
        return;
    const auto& runner = m_session.runner();
    const auto& programs = runner.programs();
    const int shown = shownProgram();
    if (programs.isEmpty()) {
        m_script->clear();
        return;
    }
    const program::Lesson& lesson = programs[shown].lesson;
    // "Predict first": what gives a statement's answer away stays hidden until the
    // program gets there. Only the view: editing and saving keep every line.
    QStringList lines = lesson.source.split(QLatin1Char('\n'));
    if (!m_session.replayer().isActive()) {
        QSet<int> ran;
        for (const program::StepRecord& r : runner.steps())
            if (r.program == shown)
                ran.insert(r.line);
        const auto next = runner.next();
        hideAnswers(lines, lesson, ran, next && next->program == shown ? next->line : 0);
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
    if (st && st->line > 0) {
        selections << lineLit(m_script->document()->findBlockByNumber(st->line - 1),
                              QColor(0xfe, 0xf3, 0xc7));
        showLine(st->line);
    }
    m_script->setExtraSelections(selections);
    m_c->clear();
    setCLine(st ? st->line : 0);
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
    showC(blocks.join(QStringLiteral("\n\n")));
}

void CodeView::highlight()
{
    if (m_editing)
        return;
    if (m_session.replayer().isActive())
        return showReplayed();
    const auto& runner = m_session.runner();
    const int shown = shownProgram();
    QList<QTextEdit::ExtraSelection> selections;
    auto light = [&](int line, const QColor& color) {
        if (line <= 0 || line > m_script->document()->blockCount())
            return;
        selections << lineLit(m_script->document()->findBlockByNumber(line - 1), color);
    };
    // Each thread where it is: a line running or blocked in amber, a thread waiting for its
    // turn in grey. A loop's line lights again on each pass: it is the thread's line now.
    const QList<program::ThreadView> threads = runner.threads();
    const auto next = runner.next();
    for (const program::ThreadView& t : threads) {
        if (t.program != shown)
            continue;
        using State = program::ThreadView::State;
        const bool isNext = next && next->program == t.program && next->tid == t.tid;
        switch (t.state) {
        case State::Running:
        case State::Blocked:
        case State::Sleeping:
            light(t.line, QColor(0xfe, 0xf3, 0xc7));
            break;
        case State::Waiting:
            if (!isNext)
                light(t.line, QColor(0xf3, 0xf4, 0xf6));
            break;
        default:
            break;
        }
    }
    // The line Step runs next, last so that it shows over a thread's grey.
    if (next && next->program == shown)
        light(next->line, QColor(0xdb, 0xea, 0xfe));
    const auto& steps = runner.steps();
    const int last = !steps.empty() && steps.back().program == shown ? steps.back().line : 0;
    m_script->setMarkers(next && next->program == shown ? next->line : 0, last);
    m_script->setExtraSelections(selections);
    if (next && next->program == shown && next->line > 0)
        showLine(next->line);
}

void CodeView::showLine(int line)
{
    // The line, and the three after it (the rest of its statement, what comes next) when
    // they fit: a lit line at the very bottom edge hides where the program goes.
    QTextDocument* document = m_script->document();
    const int ahead = std::min(line - 1 + 3, document->blockCount() - 1);
    m_script->setTextCursor(QTextCursor(document->findBlockByNumber(ahead)));
    m_script->ensureCursorVisible();
    m_script->setTextCursor(QTextCursor(document->findBlockByNumber(line - 1)));
    m_script->ensureCursorVisible();
}

void CodeView::setCLine(int line)
{
    m_cTitle->setText(line > 0 ? tr("<b>C</b> — the calls of line %1, which just ran").arg(line)
                               : tr("<b>C</b> — the calls of the line that just ran"));
}

void CodeView::showLatestC()
{
    const auto& steps = m_session.runner().steps();
    if (steps.empty()) {
        m_c->clear();
        setCLine(0);
    } else
        showC(steps.back());
}

void CodeView::showC(const program::StepRecord& outcome)
{
    setCLine(outcome.line);
    const QString heading = QStringLiteral("/* line %1: %2 */")
                                .arg(outcome.line)
                                .arg(outcome.source.section(QLatin1Char('\n'), 0, 0));
    if (outcome.calls.isEmpty()) {
        // Say so, rather than leave the previous statement's calls under this one's name.
        const auto& programs = m_session.runner().programs();
        const bool background =
            outcome.program >= 0 && outcome.program < int(programs.size()) &&
            programs[outcome.program].lesson.notes.value(outcome.line).background;
        m_c->setPlainText(heading + QStringLiteral("\n\n") +
                          (!outcome.settled ? tr("/* Still running: no call on a socket yet. */")
                           : background
                               ? tr("/* It runs in a thread of its own (# background): its "
                                    "calls show here when that thread runs it. */")
                               : tr("/* No socket call: this line made no call on a socket. */")));
        return;
    }
    const Trace& trace = m_session.workbench().trace();
    QStringList blocks{heading};
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
    // A call still running is shown as it was called, blocked.
    for (const CallId call : outcome.calls) {
        const Event* shown = nullptr;
        for (const Event& e : recent)
            if (e.call == call && (e.kind == EventKind::CallFinished || !shown))
                shown = &e;
        if (shown)
            blocks << codegen::c::render(*shown, facts);
    }
    showC(blocks.join(QStringLiteral("\n\n")));
}

void CodeView::showC(const QString& text)
{
    m_c->setPlainText(text);
    // The call and what it returned come last: when the pane is too short for all of it,
    // they are what stays in view (the heading only repeats the Python line). Once laid
    // out at the pane's width: wrapped lines decide how far the end is.
    // And the first line in view is a line's beginning, never the tail of one wrapped above
    // it ("AF_INET, .sin_port = htons(0) };" alone at the top): the pane may scroll a little
    // past its end for that (centerOnScroll), leaving room below.
    m_c->moveCursor(QTextCursor::End);
    QTimer::singleShot(0, m_c, [c = m_c] {
        QScrollBar* bar = c->verticalScrollBar();
        // Each block laid out first (blockBoundingRect does): one not laid out yet has no
        // lines, and a wrapped call would count as one.
        QAbstractTextDocumentLayout* layout = c->document()->documentLayout();
        const auto lines = [layout](const QTextBlock& b) {
            layout->blockBoundingRect(b);
            return std::max(1, b.layout()->lineCount());
        };
        int total = 0;
        for (QTextBlock b = c->document()->firstBlock(); b.isValid(); b = b.next())
            total += lines(b);
        const int end = std::max(0, total - bar->pageStep());
        int top = 0;
        for (QTextBlock b = c->document()->firstBlock(); b.isValid() && top < end; b = b.next())
            top += lines(b);
        bar->setValue(std::min(top, bar->maximum()));
    });
}

void CodeView::toggleEditing()
{
    if (!m_editing) {
        m_editing = true;
        m_script->setReadOnly(false);
        m_script->setTabChangesFocus(false); // Tab indents while the student edits
        m_script->setExtraSelections({});
        m_edit->setText(tr("Run the edited script"));
        m_script->setFocus();
        return;
    }
    const QString text = m_script->toPlainText();
    // python3 compiles it (program::describe); its refusal names the line and column, so the
    // cursor can go straight to the problem.
    QString error;
    if (!m_session.load(text, m_session.fileName(), m_session.lessonName(), &error)) {
        m_problem->setText(error);
        m_problem->show();
        static const QRegularExpression where(QStringLiteral(":(\\d+):(\\d+): "));
        QRegularExpressionMatch at;
        for (auto it = where.globalMatch(error); it.hasNext();)
            at = it.next(); // the last LINE:COL: a file name may hold colons too
        if (at.hasMatch()) {
            QTextCursor cursor(m_script->document()->findBlockByNumber(at.captured(1).toInt() - 1));
            cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                                std::max(0, at.captured(2).toInt() - 1));
            m_script->setTextCursor(cursor);
        }
        m_script->setFocus();
        return;
    }
    m_editing = false;
    m_problem->hide();
    m_script->setReadOnly(true);
    m_script->setTabChangesFocus(true); // read, the script does not keep Tab from the window
    m_edit->setText(tr("Edit the script"));
    refresh();
    Q_EMIT editedScriptLoaded();
}

} // namespace sockbench
