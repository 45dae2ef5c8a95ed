// The window's toolbar and menus: every action, its key and its tooltip.
#include "engine/workbench.h"
#include "lesson/catalogue.h"
#include "lesson/codeview.h"
#include "lesson/console.h"
#include "lesson/lessonpanel.h"
#include "lesson/lessonpeers.h"
#include "mainwindow.h"
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

namespace sockbench {

namespace {

constexpr double kSpeeds[] = {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0, 0.0};

QString speedText(double speed)
{
    return speed == 0 ? QObject::tr("instant") : QObject::tr("%1×").arg(speed);
}

} // namespace

void MainWindow::buildToolbar()
{
    auto* bar = addToolBar(tr("Lesson"));
    bar->setObjectName(QStringLiteral("lessonToolbar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_lessonPicker->setAccessibleName(tr("Lesson"));
    // At least as wide as a usual title, and wider wherever the toolbar has room, up to the
    // longest title: at 1920 every title is whole, at 1280 the toolbar still fits. The list
    // that drops down and the tooltip show the whole title.
    m_lessonPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_lessonPicker->setMinimumContentsLength(26);
    m_lessonPicker->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    for (const auto& lesson : lesson::catalogue::shipped()) {
        const QString number = QFileInfo(lesson.path).fileName().section(QLatin1Char('-'), 0, 0);
        m_lessonPicker->addItem(QStringLiteral("%1 · %2").arg(number, lesson.title), lesson.name);
    }
    m_lessonPicker->addItem(tr("Free play: an empty experiment"), QStringLiteral("experiment"));
    showPickedTitle();
    connect(m_lessonPicker, &QComboBox::activated, this, [this](int index) {
        const QString name = m_lessonPicker->itemData(index).toString();
        if (name == QLatin1String("experiment"))
            m_session->startExperiment();
        else
            openLesson(name);
    });
    bar->addWidget(m_lessonPicker);
    bar->addSeparator();

    m_stepBack = bar->addAction(tr("◀ Back"), this, &MainWindow::stepBack);
    m_stepBack->setToolTip(tr(
        "Step back: show the moment before the last step, at once; Step goes on from there (←)"));
    m_step = bar->addAction(tr("Step ▶"), this, &MainWindow::stepForward);
    m_step->setToolTip(tr("Run the next statement (→, PageDown, or Space)"));
    m_play = bar->addAction(tr("Play ▶▶"));
    m_play->setToolTip(
        tr("Run statement after statement at the chosen pace; stops at each \"predict\" point"));
    connect(m_play, &QAction::triggered, this, &MainWindow::togglePlay);
    m_reset = bar->addAction(tr("⟲ Reset"), this, &MainWindow::resetOrRewind);
    m_reset->setToolTip(tr("Close every socket the lesson opened and start again (R)"));
    m_stepBack->setObjectName(QStringLiteral("stepBack"));
    m_step->setObjectName(QStringLiteral("step"));
    m_play->setObjectName(QStringLiteral("play"));
    m_reset->setObjectName(QStringLiteral("reset"));
    for (QAction* action : {m_stepBack, m_step, m_play, m_reset})
        if (auto* button = qobject_cast<QToolButton*>(bar->widgetForAction(action)))
            button->setAccessibleName(action->toolTip());
    bar->addSeparator();

    auto* speedTitle = new QLabel(tr(" Pace "), this);
    bar->addWidget(speedTitle);
    m_speed->setRange(0, int(std::size(kSpeeds)) - 1);
    m_speed->setFixedWidth(140);
    m_speed->setToolTip(
        tr("How fast the picture follows what really happened (the real calls never wait for it)"));
    m_speed->setAccessibleName(tr("Presentation pace"));
    connect(m_speed, &QSlider::valueChanged, this, [this](int index) {
        const double speed = kSpeeds[index];
        m_session->presenter().setSpeed(speed);
        m_session->runner().setPlayInterval(speed == 0 ? 0 : int(900 / speed));
        m_session->replayer().setInterval(speed == 0 ? 1 : int(900 / speed));
        m_speedLabel->setText(speedText(speed));
        QSettings().setValue(QStringLiteral("speed"), index);
    });
    bar->addWidget(m_speed);
    bar->addWidget(m_speedLabel);
    bar->addSeparator();
    m_live->setAccessibleName(tr("Live indicator"));
    m_live->setToolTip(
        tr("Whether the picture shows what is happening now, or how far it is behind"));
    bar->addWidget(m_live);
    m_catchUp->setText(tr("Catch up"));
    m_catchUp->setToolTip(tr("Show everything that has happened, at once"));
    m_catchUp->setAccessibleName(tr("Catch up with reality"));
    connect(m_catchUp, &QToolButton::clicked, &m_session->presenter(), &Presenter::catchUp);
    bar->addWidget(m_catchUp);
    bar->addSeparator();
    // New host is the stage's, on the toolbar: the stage's room is for hosts.
    bar->addWidget(m_stage->newHostButton());
    fitToolbar();

    // The projector's keys: → and PageDown (what a presenter's remote sends) step, ← and
    // PageUp step back, R resets. Space steps too, unless the focus is on a button: then
    // Space presses it (keyPressEvent), and a lesson can be done from the keyboard alone.
    // A text field that has the focus keeps its keys.
    auto shortcut = [this](const QKeySequence& key, void (MainWindow::*slot)()) {
        auto* s = new QShortcut(key, this);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::Key_Right), &MainWindow::stepForward);
    shortcut(QKeySequence(Qt::Key_PageDown), &MainWindow::stepForward);
    shortcut(QKeySequence(Qt::Key_Left), &MainWindow::stepBack);
    shortcut(QKeySequence(Qt::Key_PageUp), &MainWindow::stepBack);
    shortcut(QKeySequence(Qt::Key_R), &MainWindow::resetOrRewind);
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    // Every action has an object name: tests find them by it, whatever the language.
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addAction(tr("New experiment"), QKeySequence::New, m_session, &Session::startExperiment)
        ->setObjectName(QStringLiteral("newExperiment"));
    file->addAction(tr("Open script or session…"), QKeySequence::Open, this,
                    &MainWindow::chooseAndOpen)
        ->setObjectName(QStringLiteral("open"));
    file->addAction(tr("Save script as…"), QKeySequence::Save, this, &MainWindow::saveAs)
        ->setObjectName(QStringLiteral("saveScript"));
    file->addAction(tr("Save session (script and recording)…"),
                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this,
                    &MainWindow::saveSessionAs)
        ->setObjectName(QStringLiteral("saveSession"));
    file->addAction(tr("Export as Python programs…"), this, &MainWindow::exportPython)
        ->setObjectName(QStringLiteral("exportPython"));
    file->addSeparator();
    file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close)
        ->setObjectName(QStringLiteral("quit"));
    QMenu* lessonMenu = menuBar()->addMenu(tr("&Lesson"));
    lessonMenu->setObjectName(QStringLiteral("lessonMenu"));
    for (QAction* action : {m_stepBack, m_step, m_play, m_reset})
        lessonMenu->addAction(action);
    // Built-in peers: each is a host on the stage, its calls in the trace like anyone's.
    QMenu* peers = menuBar()->addMenu(tr("&Peers"));
    peers->setObjectName(QStringLiteral("peersMenu"));
    peers->setToolTipsVisible(true);
    for (const services::PeerKind& kind : services::peerKinds()) {
        QAction* start = peers->addAction(tr("Start %1").arg(kind.name), this,
                                          [this, name = kind.name] { startPeer(name); });
        start->setObjectName(QStringLiteral("startPeer_") + kind.name);
        start->setToolTip(kind.summary);
        start->setStatusTip(kind.summary);
    }
    connect(&m_session->runner().peers(), &lesson::LessonPeers::problem, this, &MainWindow::say);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    QAction* closer = m_closerDock->toggleViewAction();
    closer->setText(tr("Look closer: ladder, event log, inspector"));
    closer->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    closer->setObjectName(QStringLiteral("lookCloser"));
    connect(closer, &QAction::toggled, this,
            [](bool shown) { QSettings().setValue(QStringLiteral("lookCloser"), shown); });
    view->addAction(closer);
    QAction* every = view->addAction(tr("Every statement in the output"));
    every->setObjectName(QStringLiteral("everyStatementAction"));
    every->setCheckable(true);
    every->setChecked(m_console->everyStatement());
    connect(every, &QAction::toggled, m_console, &Console::setEveryStatement);
    connect(m_console, &Console::everyStatementChanged, every, &QAction::setChecked);
    view->addSeparator();
    view->addAction(tr("Zoom in"), QKeySequence::ZoomIn, this, [this] { setZoom(m_zoom * 1.15); })
        ->setObjectName(QStringLiteral("zoomIn"));
    view->addAction(tr("Zoom out"), QKeySequence::ZoomOut, this, [this] { setZoom(m_zoom / 1.15); })
        ->setObjectName(QStringLiteral("zoomOut"));
    view->addAction(tr("Actual size"), QKeySequence(Qt::CTRL | Qt::Key_0), this,
                    [this] { setZoom(1.0); })
        ->setObjectName(QStringLiteral("actualSize"));
    // Ctrl+= as well as Ctrl++, for keyboards where + needs Shift.
    auto* zoomIn = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Equal), this);
    connect(zoomIn, &QShortcut::activated, this, [this] { setZoom(m_zoom * 1.15); });
}

} // namespace sockbench
