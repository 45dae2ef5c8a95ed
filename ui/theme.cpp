#include "theme.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPalette>
#include <QStyleFactory>
#include <QWidget>

namespace sockbench {

namespace {

constexpr const char* kScale = "sockbenchFontScale";
constexpr const char* kBold = "sockbenchFontBold";

} // namespace

QString monoFamily()
{
    // Asked of the font database once, which only answers once the QApplication exists.
    Q_ASSERT_X(qApp, "monoFamily", "the font database needs the QApplication");
    static const QString family = [] {
        const QString preferred = QStringLiteral("DejaVu Sans Mono");
        return QFontDatabase::hasFamily(preferred)
                   ? preferred
                   : QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    }();
    return family;
}

void applyTheme(QApplication& app)
{
    // Rich text's <code> asks for Courier New, then courier; a style sheet or a QFont may
    // ask for "monospace". All of them mean the one family.
    for (const char* asked : {"Courier New", "courier", "Courier", "monospace", "Monospace"})
        QFont::insertSubstitution(QString::fromLatin1(asked), monoFamily());
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
        QToolButton:focus, QPushButton:focus { border: 2px solid #f59e0b; border-radius: 5px; }
    )"));
}

void setFontSize(QWidget* root, double pointSize)
{
    // Each widget's own font, resized: its family and weight stay (the code's monospace,
    // a bold label), and a widget given a relative size keeps its proportion.
    QList<QWidget*> widgets{root};
    widgets += root->findChildren<QWidget*>();
    for (QWidget* widget : std::as_const(widgets)) {
        if (widget->isWindow() && widget != root)
            continue;
        const QVariant scale = widget->property(kScale);
        QFont font = widget->font();
        font.setPointSizeF(pointSize * (scale.isValid() ? scale.toDouble() : 1.0));
        if (widget->property(kBold).toBool())
            font.setBold(true);
        if (font != widget->font() || !widget->testAttribute(Qt::WA_SetFont))
            widget->setFont(font);
    }
}

void setRelativeFont(QWidget* widget, double scale, bool bold)
{
    widget->setProperty(kScale, scale);
    widget->setProperty(kBold, bold);
    const QWidget* parent = widget->parentWidget();
    QFont font = parent ? parent->font() : QApplication::font();
    font.setPointSizeF(font.pointSizeF() * scale);
    if (bold)
        font.setBold(true);
    widget->setFont(font);
}

} // namespace sockbench
