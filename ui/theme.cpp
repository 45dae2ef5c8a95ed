#include "theme.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPalette>
#include <QStyleFactory>

namespace sockbench {

void applyTheme(QApplication& app)
{
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette palette = app.palette();
    palette.setColor(QPalette::Window, QColor(0xf5, 0xf6, 0xf8));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, QColor(0x11, 0x18, 0x27));
    palette.setColor(QPalette::WindowText, QColor(0x11, 0x18, 0x27));
    palette.setColor(QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
    app.setPalette(palette);
    QFont font = app.font();
    if (font.pointSizeF() < 11)
        font.setPointSizeF(11);
    app.setFont(font);
    app.setStyleSheet(QStringLiteral(R"(
        #stageCanvas { background: #eef1f5; }
        #host { background: #fbfcfd; border: 2px solid #cbd5e1; border-radius: 14px; }
        QToolButton[suggested="true"] { background: #dbeafe; border: 2px solid #2563eb;
                                        border-radius: 5px; font-weight: bold; padding: 2px 6px; }
        #socketCard QToolButton { padding: 2px 6px; }
        #callForm { background: white; border: 2px solid #2563eb; border-radius: 6px; }
        #lessonPanel { background: white; }
    )"));
}

} // namespace sockbench
