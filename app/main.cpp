// sockbench: the Socket Workbench window. Headless commands are handed to sockbench-cli,
// which links the core alone.
#include "engine/workbench.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QScreen>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace {

bool isHeadlessCommand(const char* word)
{
    static const char* const headless[] = {"run",  "lessons",   "export", "serve", "version",
                                           "help", "--version", "--help", "-h"};
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

// Qt would print a plugin dump and abort; say it in one sentence instead.
bool displayMissing(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "-platform") || !std::strcmp(argv[i], "--platform") ||
            !std::strcmp(argv[i], "--screenshot"))
            return false;
    if (const char* platform = std::getenv("QT_QPA_PLATFORM"); platform && *platform)
        return false;
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    return !(display && *display) && !(wayland && *wayland);
}

} // namespace

int main(int argc, char* argv[])
{
    if (argc > 1 && isHeadlessCommand(argv[1]))
        return handOverToCli(argv);
    // --platform NAME (with two dashes, like every other option) means Qt's -platform.
    std::vector<char*> args(argv, argv + argc);
    for (auto& arg : args)
        if (!std::strcmp(arg, "--platform"))
            arg = const_cast<char*>("-platform");
    bool wantsScreenshot = false;
    for (int i = 1; i < argc; ++i)
        if (!std::strcmp(argv[i], "--screenshot"))
            wantsScreenshot = true;
    if (wantsScreenshot && !std::getenv("QT_QPA_PLATFORM") && displayMissing(argc, argv))
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
    if (displayMissing(argc, argv)) {
        std::fprintf(stderr, "sockbench: no display found (DISPLAY and WAYLAND_DISPLAY are unset). "
                             "Run it in a desktop session, add --platform offscreen (or use "
                             "--screenshot FILE.png) to render without one, or use the headless "
                             "commands (sockbench --help).\n");
        return 1;
    }
    int qtArgc = static_cast<int>(args.size());
    args.push_back(nullptr);
    QApplication app(qtArgc, args.data());
    QApplication::setApplicationName(QStringLiteral("Socket Workbench"));
    QApplication::setOrganizationName(QStringLiteral("sockbench"));
    QApplication::setApplicationVersion(QStringLiteral(SOCKBENCH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Socket Workbench: socket programming, done for real."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the window to FILE.png and exit."),
                                        QStringLiteral("FILE.png"));
    parser.addOption(screenshot);
    parser.process(app);

    sockbench::Workbench workbench;
    sockbench::MainWindow window(workbench);
    window.show();
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(200, &window, [&window, file] {
            const bool saved = window.grab().save(file, "PNG");
            if (!saved)
                std::fprintf(stderr, "sockbench: cannot write %s\n", qPrintable(file));
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
