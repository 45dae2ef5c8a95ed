#include "mainwindow.h"

#include "engine/workbench.h"
#include "lesson/catalogue.h"
#include "lesson/codeview.h"
#include "lesson/console.h"
#include "lesson/lessonpanel.h"
#include "lesson/lessonpeers.h"
#include "replay/replaybar.h"
#include "services/peer.h"
#include "session.h"
#include "stage/callform.h"
#include "stage/stagewidget.h"
#include "theme.h"
#include "views/closerviews.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace sockbench {

MainWindow::MainWindow(Workbench& workbench, QWidget* parent)
    : QMainWindow(parent)
    , m_session(new Session(workbench, this))
    , m_lessonPicker(new QComboBox(this))
    , m_speed(new QSlider(Qt::Horizontal, this))
    , m_speedLabel(new QLabel(this))
    , m_live(new QLabel(this))
    , m_catchUp(new QToolButton(this))
{
    setWindowTitle(tr("Socket Workbench"));
    setObjectName(QStringLiteral("mainWindow"));
    m_stage = new StageWidget(
        m_session->model(), m_session->presenter(),
        [this, &workbench] {
            // A replay's "now" is the moment it shows: a blocked call has waited until then.
            const Replayer& replay = m_session->replayer();
            if (replay.isActive() && replay.position() > 0)
                return replay.session().events[replay.position() - 1].timeNs;
            return workbench.trace().nowNs();
        },
        this);
    // A replay names sockets as the recording did; live, the script's variables do.
    // A socket no variable names (a built-in peer's, an outside program's) is called by
    // its role.
    m_stage->setNameOf([this](SocketId id) {
        const Replayer& replay = m_session->replayer();
        if (!replay.isActive())
            return m_session->liveName(id);
        const QString name = replay.session().socketNames.value(id);
        const SocketView* view = m_session->model().socket(id);
        return !name.isEmpty() || !view ? name : roleName(*view);
    });
    // A call's error, once its line has settled: named by the line's "# expect:", or one
    // the program went on from (an except clause; connect_ex() answers a number), or one
    // that ended its thread.
    m_stage->setHandledOf([this](CallId id) {
        using Kind = program::StepRecord::Kind;
        if (m_session->replayer().isActive())
            return SocketCard::Handled::No;
        const auto& steps = m_session->runner().steps();
        const auto made =
            std::find_if(steps.crbegin(), steps.crend(),
                         [id](const program::StepRecord& s) { return s.calls.contains(id); });
        if (made == steps.crend() || !made->settled)
            return SocketCard::Handled::No;
        // An except clause that raised it again (or another error from it): once that ends
        // the thread, its traceback names the line of the call, and the error was a fault.
        const QString atLine = QStringLiteral(", line %1,").arg(made->line);
        if (made->kind == Kind::Ok &&
            std::any_of(made.base(), steps.cend(), [&](const program::StepRecord& later) {
                return later.program == made->program && later.tid == made->tid &&
                       later.kind == Kind::Failed && later.traceback.contains(atLine);
            }))
            return SocketCard::Handled::No;
        return made->kind == Kind::ExpectedError ? SocketCard::Handled::Expected
               : made->kind == Kind::Ok          ? SocketCard::Handled::Caught
                                                 : SocketCard::Handled::No;
    });
    m_lessonPanel = new LessonPanel(*m_session, this);
    m_codeView = new CodeView(*m_session, this);
    m_console = new Console(*m_session, this);

    m_replayBar = new ReplayBar(m_session->replayer(), this);

    // The replay banner sits over the stage, shown only while a recording replays.
    auto* stageArea = new QWidget(this);
    auto* stageLayout = new QVBoxLayout(stageArea);
    stageLayout->setContentsMargins(0, 0, 0, 0);
    stageLayout->setSpacing(4);
    stageLayout->addWidget(m_replayBar);
    stageLayout->addWidget(m_stage, 1);
    // As in Python Tutor, the code is always beside the picture, with what the program
    // printed under it; the narration is under the stage it talks about. Nothing is a tab
    // behind something else, at 1280x720 as at 1920x1080.
    m_columns = new QSplitter(Qt::Horizontal, this);
    m_columns->setObjectName(QStringLiteral("columns"));
    m_columns->setChildrenCollapsible(false);
    auto* codeColumn = new QSplitter(Qt::Vertical, m_columns);
    codeColumn->setObjectName(QStringLiteral("codeColumn"));
    codeColumn->addWidget(m_codeView);
    // The output, under a title that says what it holds, and the choice to add every
    // statement's outcome to it.
    auto* output = new QWidget(codeColumn);
    auto* outputLayout = new QVBoxLayout(output);
    outputLayout->setContentsMargins(0, 0, 0, 0);
    outputLayout->setSpacing(2);
    auto* outputTitle = new QHBoxLayout;
    outputTitle->setContentsMargins(4, 0, 4, 0);
    outputTitle->addWidget(new QLabel(tr("<b>Output</b> — what it printed, and its errors"), output), 1);
    auto* every = new QCheckBox(tr("Every statement"), output);
    every->setObjectName(QStringLiteral("everyStatement"));
    every->setToolTip(tr("Show each statement's outcome too, as `sockbench run` prints it"));
    every->setChecked(m_console->everyStatement());
    connect(every, &QCheckBox::toggled, m_console, &Console::setEveryStatement);
    connect(m_console, &Console::everyStatementChanged, every, &QCheckBox::setChecked);
    outputTitle->addWidget(every);
    outputLayout->addLayout(outputTitle);
    outputLayout->addWidget(m_console, 1);
    codeColumn->addWidget(output);
    codeColumn->setStretchFactor(0, 3);
    codeColumn->setStretchFactor(1, 1);
    codeColumn->setChildrenCollapsible(false);
    auto* pictureColumn = m_pictureColumn = new QSplitter(Qt::Vertical, m_columns);
    pictureColumn->setObjectName(QStringLiteral("pictureColumn"));
    pictureColumn->addWidget(stageArea);
    pictureColumn->addWidget(m_lessonPanel);
    pictureColumn->setStretchFactor(0, 3);
    pictureColumn->setStretchFactor(1, 1);
    pictureColumn->setChildrenCollapsible(false);
    m_columns->addWidget(codeColumn);
    m_columns->addWidget(pictureColumn);
    m_columns->setStretchFactor(0, 1);
    m_columns->setStretchFactor(1, 2);
    setCentralWidget(m_columns);

    // "Look closer": ladder, event log, inspector and friends, beside the stage.
    m_closerDock = new QDockWidget(tr("Look closer"), this);
    m_closerDock->setObjectName(QStringLiteral("closerDock"));
    m_closerDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                              QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, m_closerDock);
    m_closerDock->setVisible(QSettings().value(QStringLiteral("lookCloser"), false).toBool());
    if (!m_closerDock->isHidden())
        closerViews();
    connect(m_closerDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            closerViews();
    });
    // Shown, it shares the width with the code and the stage: see shareWidth().
    connect(m_closerDock, &QDockWidget::visibilityChanged, this, [this] {
        if (m_arranged)
            QTimer::singleShot(0, this, &MainWindow::shareWidth);
    });

    buildToolbar();
    buildMenus();

    connect(m_stage, &StageWidget::callRequested, this, &MainWindow::openCallForm);
    connect(m_stage, &StageWidget::interruptRequested, m_session, &Session::interrupt);
    connect(m_stage, &StageWidget::newSocketRequested, this,
            [this](const QString& actor, AddressFamily family, SocketType type) {
                QString error;
                if (m_session->createSocket(actor, family, type, &error).isEmpty())
                    say(error);
            });
    connect(m_stage, &StageWidget::newHostRequested, this, &MainWindow::newHost);
    connect(m_session, &Session::problem, this, &MainWindow::say);
    connect(&m_session->replayer(), &Replayer::moved, this, &MainWindow::updateControls);
    connect(&m_session->replayer(), &Replayer::moved, this, &MainWindow::updateLive);
    connect(m_session, &Session::loaded, this, &MainWindow::updateLive);
    connect(&m_session->replayer(), &Replayer::playingChanged, this, &MainWindow::updateControls);
    connect(m_replayBar, &ReplayBar::runLiveRequested, this, &MainWindow::runRecordingLive);
    connect(m_session, &Session::loaded, m_replayBar, &ReplayBar::refresh);
    auto& runner = m_session->runner();
    connect(&runner, &program::Runner::modeChanged, this, &MainWindow::updateControls);
    // Step is there once a thread stands at a line: that can come after the mode changed
    // (a blocked call returns, and its thread reaches its next line).
    connect(&runner, &program::Runner::threadsChanged, this, &MainWindow::updateControls);
    // Step follows next(): it changes as threads block, settle and end, not only with the mode.
    connect(&runner, &program::Runner::threadsChanged, this, &MainWindow::updateControls);
    connect(&runner, &program::Runner::stepIssued, this, &MainWindow::updateControls);
    connect(&runner, &program::Runner::stepFinished, this, &MainWindow::updateControls);
    connect(&runner, &program::Runner::stepFinished, this, [this] { m_stage->refreshNames(); });
    // Each thread of a program as a line of execution on its host: an actor's own thread on
    // the actor's host, a thread the program started on its starter's (ThreadView::actor),
    // and a program without sections on the program's host.
    const auto showThreads = [this] {
        if (m_session->replayer().isActive())
            return;
        const auto& live = m_session->runner();
        const auto hostOf = [this](const program::ThreadView& t) {
            if (m_session->model().actors().contains(t.actor))
                return t.actor;
            return m_session->hostOf(t.program, t.actor);
        };
        const QList<program::ThreadView> threads = live.threads();
        for (const program::ThreadView& t : threads)
            if (const QString host = hostOf(t);
                !host.isEmpty() && !m_session->model().actors().contains(host))
                m_session->model().addActor(host);
        m_stage->setThreads(threads, hostOf);
    };
    connect(&runner, &program::Runner::threadsChanged, this, showThreads);
    // The button of the call the next statement makes, lit on its socket's card.
    const auto showNext = [this] {
        const auto& live = m_session->runner();
        const auto next = live.next();
        const auto& programs = live.programs();
        // A statement of the script comes next: the stage lights its call alone. Free play
        // (a click is the next line) lights what each socket's state suggests.
        if (next)
            m_stage->setScripted(next->line > 0);
        if (m_session->replayer().isActive() || !next || next->line <= 0 || next->program < 0 ||
            next->program >= programs.size()) {
            m_stage->showNextStatement({}, {});
            return;
        }
        m_stage->showNextStatement(
            m_session->hostOf(next->program, next->actor),
            program::statementAt(programs[next->program].lesson.source, next->line));
    };
    connect(&runner, &program::Runner::threadsChanged, this, showNext);
    connect(&runner, &program::Runner::stepFinished, this, showNext);
    connect(&runner, &program::Runner::resetDone, this, showThreads);
    // After a load the stage is drawn afresh (Session::resetStage): its threads with it.
    connect(m_session, &Session::loaded, this, showThreads);
    connect(m_session, &Session::loaded, this, &MainWindow::updateControls);
    connect(&m_session->presenter(), &Presenter::lagChanged, this, &MainWindow::updateLive);
    connect(m_codeView, &CodeView::editedScriptLoaded, this, &MainWindow::updateControls);
    connect(m_session, &Session::loaded, this, [this] {
        const int index = m_lessonPicker->findData(m_session->lessonName());
        const QSignalBlocker block(m_lessonPicker);
        m_lessonPicker->setCurrentIndex(index);
        showPickedTitle();
        // Several programs side by side are named by their files ("server + client").
        const QString title = m_session->runner().lesson().title.isEmpty() ||
                                      m_session->runner().programs().size() > 1
                                  ? m_session->lessonName()
                                  : m_session->runner().lesson().title;
        // A replay says so, and which file it is: the same lesson may be open live too.
        if (m_session->replayer().isActive())
            setWindowTitle(tr("%1 — replaying %2 — Socket Workbench")
                               .arg(title, QFileInfo(m_session->fileName()).fileName()));
        else
            setWindowTitle(tr("%1 — Socket Workbench").arg(title));
        updateControls();
    });

    // After the narration changed, once its labels have their new text.
    auto* narrationFit = new QTimer(this);
    narrationFit->setSingleShot(true);
    narrationFit->setInterval(0);
    connect(narrationFit, &QTimer::timeout, this, &MainWindow::fitNarration);
    const auto refit = [narrationFit] { narrationFit->start(); };
    connect(&runner, &program::Runner::stepFinished, this, refit);
    connect(&runner, &program::Runner::stepIssued, this, refit);
    connect(&runner, &program::Runner::modeChanged, this, refit);
    connect(&runner, &program::Runner::threadsChanged, this, refit);
    connect(&m_session->replayer(), &Replayer::moved, this, refit);
    connect(m_session, &Session::loaded, this, refit);

    QSettings settings;
    // The size before any zoom, once for the application: a second window (or the one a
    // test opens after a zoom) must not take a zoomed size for its base.
    if (!qApp->property("sockbenchBasePointSize").isValid())
        qApp->setProperty("sockbenchBasePointSize", QApplication::font().pointSizeF());
    m_baseFontSize = qApp->property("sockbenchBasePointSize").toDouble();
    setZoom(settings.value(QStringLiteral("zoom"), 1.0).toDouble());
    const int speedIndex = settings.value(QStringLiteral("speed"), 3).toInt();
    m_speed->setValue(speedIndex);
    updateControls();
    updateLive();
    resize(1440, 900);
}

MainWindow::~MainWindow() = default;

CloserViews* MainWindow::closerViews()
{
    if (!m_closer) {
        // The views read what happened so far from the timeline, as they do after a reset.
        m_closer = new CloserViews(m_session->timeline(), m_session->selection(), m_closerDock);
        setFontSize(m_closer, QApplication::font().pointSizeF()); // the zoom, as every pane
        m_closerDock->setWidget(m_closer);
    }
    return m_closer;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Closing the window ends the lesson's calls; the workbench's destructor then joins
    // every worker and closes every descriptor.
    m_session->workbench().interruptAll();
    event->accept();
}

bool MainWindow::openLesson(const QString& nameOrPath, QString* error)
{
    if (nameOrPath.endsWith(QLatin1Char('.') + QLatin1String(sessionfile::kSuffix)))
        return openSession(nameOrPath, error);
    QString why;
    const auto file = lesson::catalogue::find(nameOrPath, &why);
    bool ok = false;
    if (file && file->path.startsWith(QLatin1Char(':'))) {
        ok = m_session->load(file->source, file->path, file->name, &why);
    } else if (file) {
        // A file of the student's own: checked as a program first, then run once they agree.
        auto described = program::describe(file->source, file->path, file->path);
        if (auto* problem = std::get_if<program::LoadError>(&described)) {
            why = problem->format();
        } else if (mayRun({{file->path, file->source}}, &why)) {
            m_session->loadLesson(std::get<program::Lesson>(described), file->path, file->name);
            ok = true;
        }
    }
    if (!ok) {
        say(why);
        if (error)
            *error = why;
    }
    return ok;
}

void MainWindow::openCallForm(SocketId socket, CallKind kind, QWidget* anchor)
{
    if (m_session->replayer().isActive())
        return say(m_session->replayRefusal());
    const SocketView* view = m_session->model().socket(socket);
    if (!view)
        return;
    switch (kind) {
    case CallKind::Accept:
    case CallKind::Close:
    case CallKind::GetSockName:
    case CallKind::GetPeerName: {
        Call call;
        call.kind = kind;
        runCall(socket, call);
        return;
    }
    default:
        break;
    }
    auto* form = new CallForm(kind, view->family, view->type, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    if (kind == CallKind::Connect || kind == CallKind::ConnectEx || kind == CallKind::SendTo) {
        // Listening sockets (or bound datagram sockets) of the same family, ready to aim at.
        QList<CallForm::Target> targets;
        for (const SocketId id : m_session->model().sockets()) {
            const SocketView* other = m_session->model().socket(id);
            const bool fits =
                other->family == view->family && other->type == view->type && id != socket &&
                (isConnectionOriented(view->type) ? other->state == TeachingState::Listening
                                                  : other->state == TeachingState::Bound);
            if (!fits || !other->local.isValid())
                continue;
            QString host = other->local.family() == AddressFamily::Unix
                               ? QString::fromUtf8(other->local.path())
                               : other->local.host();
            if (host.startsWith(QLatin1Char('\0')))
                host = QLatin1Char('@') + host.mid(1); // how the form writes an abstract name
            if (other->local.isAny())
                host = other->family == AddressFamily::Inet6 ? QStringLiteral("::1")
                                                             : QStringLiteral("127.0.0.1");
            targets << CallForm::Target{QStringLiteral("%1 — %2 (%3)")
                                            .arg(m_session->liveName(id), other->local.toString(),
                                                 teachingStateName(other->state)),
                                        host, other->local.port()};
        }
        form->setTargets(targets);
    }
    // The data last sent is offered again: a second send() of the same bytes is one key.
    // (Its hex or text form too.)
    auto* payload = qobject_cast<QLineEdit*>(form->field(QStringLiteral("payload")));
    auto* mode = qobject_cast<QComboBox*>(form->field(QStringLiteral("payloadMode")));
    if (payload && !m_lastPayload.isEmpty()) {
        if (mode)
            mode->setCurrentIndex(m_lastPayloadMode);
        payload->setText(m_lastPayload);
    }
    connect(form, &CallForm::submitted, this, [this, socket, payload, mode](const Call& call) {
        if (payload) {
            m_lastPayload = payload->text();
            m_lastPayloadMode = mode ? mode->currentIndex() : 0;
        }
        runCall(socket, call);
    });
    const QPoint at = anchor ? anchor->mapToGlobal(QPoint(0, anchor->height())) : QCursor::pos();
    form->move(at);
    form->show();
}

void MainWindow::runCall(SocketId socket, const Call& call)
{
    QString error;
    if (m_session->callOn(socket, call, &error).isEmpty())
        say(error);
    else
        say({});
}

void MainWindow::startPeer(const QString& kind)
{
    QString error;
    services::Peer* peer = m_session->runner().peers().startExtra(kind, &error);
    if (!peer) {
        say(error);
        return;
    }
    connect(peer, &services::Peer::startFailed, this, &MainWindow::say);
    connect(peer, &services::Peer::listening, this, [this, kind](const Endpoint& address) {
        statusBar()->showMessage(
            tr("%1 listens on %2: connect to %3. It runs until the lesson is reset.")
                .arg(kind, address.toString(), address.toPythonTuple()),
            15000);
    });
}

void MainWindow::say(const QString& problem)
{
    m_problem = problem;
    if (problem.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(problem, 10000);
}

void MainWindow::updateControls()
{
    if (const Replayer& replay = m_session->replayer(); replay.isActive()) {
        m_step->setEnabled(!replay.atEnd());
        m_play->setEnabled(true);
        m_play->setText(replay.isPlaying() ? tr("Pause ❚❚") : tr("Play ▶▶"));
        m_stepBack->setEnabled(replay.position() > 0);
        m_reset->setEnabled(replay.position() > 0);
        return;
    }
    const auto& runner = m_session->runner();
    const bool resetting = runner.mode() == program::Runner::Mode::Resetting;
    const bool playing = runner.mode() == program::Runner::Mode::Playing;
    m_step->setEnabled(!resetting && !playing && runner.next().has_value());
    m_play->setEnabled(!resetting && (!runner.atEnd() || playing));
    m_play->setText(playing ? tr("Pause ❚❚") : tr("Play ▶▶"));
    m_stepBack->setEnabled(!resetting && runner.stepCount() > 0);
    m_reset->setEnabled(!resetting);
}

QString MainWindow::liveText(qsizetype backlog, qint64 lagNs)
{
    if (backlog < 0)
        return tr("<span style='color:#d97706'>●</span> replaying a recording");
    if (backlog == 0)
        return tr("<span style='color:#059669'>●</span> live");
    return tr("<span style='color:#d97706'>●</span> %1 event(s), %2 s behind")
        .arg(backlog)
        .arg(double(lagNs) / 1e9, 0, 'f', 1);
}

void MainWindow::updateLive()
{
    const Presenter& presenter = m_session->presenter();
    const bool replaying = m_session->replayer().isActive();
    m_live->setText(liveText(replaying ? -1 : presenter.backlog(), presenter.lagNs()));
    m_catchUp->setEnabled(!replaying && presenter.backlog() > 0);
}

void MainWindow::newHost()
{
    if (m_session->replayer().isActive())
        return say(m_session->replayRefusal());
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New host"),
                                               tr("Name of the new actor (a thread of its own):"),
                                               QLineEdit::Normal, m_session->newActorName(), &ok)
                             .trimmed();
    if (!ok)
        return;
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!identifier.match(name).hasMatch()) {
        say(tr(
            "An actor's name is a Python name: letters, digits and _, not starting with a digit"));
        return;
    }
    if (m_session->model().actors().contains(name)) {
        say(tr("There is a host called %1 already: pick another name").arg(name));
        return;
    }
    m_session->model().addActor(name);
}

} // namespace sockbench
