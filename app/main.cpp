// sockbench: the Socket Workbench window. Headless commands are handed to sockbench-cli,
// which links the core alone.
#include "engine/workbench.h"
#include "firstframe.h"
#include "mainwindow.h"
#include "program/interpreter.h"
#include "screenshot.h"
#include "session.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QScreen>
#include <QSettings>
#include <QTimer>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

bool isHeadlessCommand(const char* word)
{
    static const char* const headless[] = {"run",  "lessons", "export", "serve",    "version",
                                           "help", "--help",  "-h",     "--version"};
    for (const char* name : headless)
        if (std::strcmp(word, name) == 0)
            return true;
    return false;
}

// Replaces this process with sockbench-cli from the same directory.
int handOverToCli(char* argv[])
{
    char self[4096] = {};
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string path = length > 0 ? std::string(self, static_cast<size_t>(length)) : argv[0];
    path = path.substr(0, path.rfind('/') + 1) + "sockbench-cli";
    std::vector<char*> args{const_cast<char*>(path.c_str())};
    for (int i = 1; argv[i]; ++i)
        args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execv(path.c_str(), args.data());
    std::fprintf(stderr, "sockbench: cannot start %s: %s\n", path.c_str(), std::strerror(errno));
    return 2;
}

bool hasArgument(int argc, char* argv[], const char* name)
{
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], name))
            return true;
    return false;
}

// Qt would print a plugin dump and abort; say it in one sentence instead.
bool displayMissing(int argc, char* argv[])
{
    if (hasArgument(argc, argv, "-platform") || hasArgument(argc, argv, "--platform"))
        return false;
    if (const char* platform = std::getenv("QT_QPA_PLATFORM"); platform && *platform)
        return false;
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    return !(display && *display) && !(wayland && *wayland);
}

constexpr const char* kGeometryKey = "window/geometry";

// The window opens as the student left it, else at 1440x900 - never larger than the screen
// it opens on: a 1280x720 classroom projector shows all of it.
void fitToScreen(QWidget& window)
{
    const QScreen* screen = window.screen() ? window.screen() : QGuiApplication::primaryScreen();
    const QSize available = screen ? screen->availableGeometry().size() : QSize(1440, 900);
    if (!window.restoreGeometry(QSettings().value(QLatin1String(kGeometryKey)).toByteArray()))
        window.resize(QSize(1440, 900));
    window.resize(window.size().boundedTo(available));
    if (screen && !screen->availableGeometry().contains(window.geometry()))
        window.move(screen->availableGeometry().topLeft());
}

} // namespace

int main(int argc, char* argv[])
{
    if (argc > 1 && isHeadlessCommand(argv[1]))
        return handOverToCli(argv);
    // A screenshot needs no screen: render offscreen unless a platform was chosen.
    if (hasArgument(argc, argv, "--screenshot") && displayMissing(argc, argv))
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    if (displayMissing(argc, argv)) {
        std::fprintf(
            stderr,
            "sockbench: no display found (DISPLAY and WAYLAND_DISPLAY are unset). Run it in a "
            "desktop session, add --platform offscreen (or --screenshot FILE.png) to render "
            "without one, or use the headless commands: sockbench --help.\n");
        return 1;
    }
    // --platform NAME (two dashes, like every other option) means Qt's -platform NAME.
    std::vector<char*> args(argv, argv + argc);
    for (auto& arg : args)
        if (!std::strcmp(arg, "--platform"))
            arg = const_cast<char*>("-platform");
    int qtArgc = static_cast<int>(args.size());
    args.push_back(nullptr);
    QApplication app(qtArgc, args.data());
    QApplication::setApplicationName(QStringLiteral("Socket Workbench"));
    QApplication::setOrganizationName(QStringLiteral("sockbench"));
    QApplication::setApplicationVersion(QStringLiteral(SOCKBENCH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Socket Workbench: socket programming, done for real.\n"
                       "Headless commands: sockbench lessons | run | export "
                       "(see sockbench help)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lessonOption(
        QStringLiteral("lesson"),
        QStringLiteral("Open this lesson (name, number or file), or replay a .sockbench session."),
        QStringLiteral("NAME|FILE"));
    const QCommandLineOption closerOption(
        QStringLiteral("look-closer"),
        QStringLiteral("Show the Look closer views (ladder, event log, inspector)."));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QStringLiteral("Render the window to FILE.png and exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption stepOption(
        QStringLiteral("step"), QStringLiteral("With --screenshot: step N statements first."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption sizeOption(
        QStringLiteral("size"),
        QStringLiteral("Window size, WIDTHxHEIGHT (default 1920x1080 for screenshots)."),
        QStringLiteral("WxH"));
    parser.addOptions({lessonOption, closerOption, screenshotOption, stepOption, sizeOption});
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QStringLiteral("A recorded session (.sockbench) to replay, or one or more scripts (.py) "
                       "to open side by side, each a host."),
        QStringLiteral("[FILE...]"));
    parser.process(app);

    // Several scripts run side by side (a server and its client); a session replays alone;
    // and not as well as --lesson: which one would the window show?
    const QStringList files = parser.positionalArguments();
    if (files.size() > 1)
        for (const QString& file : files)
            if (!file.endsWith(QLatin1String(".py"), Qt::CaseInsensitive)) {
                std::fprintf(stderr,
                             "sockbench: %s: only scripts (.py) open side by side; open a "
                             "recorded session on its own\n",
                             qPrintable(file));
                return 2;
            }
    if (!files.isEmpty() && parser.isSet(lessonOption)) {
        std::fprintf(stderr, "sockbench: %s: give a file or --lesson, not both\n",
                     qPrintable(files.first()));
        return 2;
    }

    // python3 is found, and the backend written, while the window is built: the lesson it
    // opens needs both before anything is shown.
    const std::future<void> pythonReady = sockbench::program::prepareInBackground();
    sockbench::applyTheme(app);
    sockbench::Workbench workbench;
    sockbench::MainWindow window(workbench);
    // A file opens as File › Open would open it; without one, the chosen or the first lesson.
    // Either way nothing is shown until it has opened.
    QString error;
    // A screenshot asks no question: the command line that asked for it has said what to run.
    if (parser.isSet(screenshotOption))
        window.setAskBeforeRunning(false);
    // The window's own python3 starts after its first frame (firstframe.h); a screenshot
    // waits for the programs anyway.
    if (!parser.isSet(screenshotOption))
        window.session().runner().holdStart(true);
    const bool opened =
        !files.isEmpty() ? window.openFiles(files, &error)
                         : window.openLesson(parser.isSet(lessonOption) ? parser.value(lessonOption)
                                                                        : QStringLiteral("1"),
                                             &error);
    if (!opened) {
        std::fprintf(stderr, "sockbench: %s\n", qPrintable(error));
        return 2;
    }
    // A screenshot shows what its options say, not what the last window remembered.
    if (parser.isSet(closerOption) || parser.isSet(screenshotOption))
        window.closerDock()->setVisible(parser.isSet(closerOption));
    QSize size;
    if (parser.isSet(sizeOption)) {
        const QStringList parts = parser.value(sizeOption).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        if (parts.size() == 2)
            size = QSize(parts[0].toInt(&okW), parts[1].toInt(&okH));
        if (!okW || !okH || size.width() < 320 || size.height() < 240) {
            std::fprintf(stderr, "sockbench: --size wants WIDTHxHEIGHT, such as 1280x720\n");
            return 2;
        }
    }
    if (parser.isSet(screenshotOption)) {
        bool ok = false;
        const int steps = parser.value(stepOption).toInt(&ok);
        if (!ok || steps < 0) {
            std::fprintf(stderr, "sockbench: --step wants a number of statements (0 or more)\n");
            return 2;
        }
        return sockbench::takeScreenshot(window, parser.value(screenshotOption), steps,
                                         size.isValid() ? size : QSize(1920, 1080));
    }
    if (size.isValid())
        window.resize(size);
    else
        fitToScreen(window);
    new sockbench::FirstFrame(window, [&window] {
        window.session().runner().holdStart(false);
        if (sockbench::FirstFrame::wanted())
            sockbench::FirstFrame::report(); // make bench: the time to the first frame
    });
    window.show();
    const int status = app.exec();
    QSettings().setValue(QLatin1String(kGeometryKey), window.saveGeometry());
    return status;
}
