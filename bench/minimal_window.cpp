// The baseline of the start-up benchmark: a minimal Qt Widgets window, built in the same
// tree with the same options, that exits at its first painted frame (app/firstframe.h).

#include "firstframe.h"

#include <QLabel>
#include <QMainWindow>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.setCentralWidget(new QLabel(QStringLiteral("Socket Workbench")));
    window.resize(1920, 1080);
    new sockbench::FirstFrame(window, sockbench::FirstFrame::report);
    window.show();
    return app.exec();
}
