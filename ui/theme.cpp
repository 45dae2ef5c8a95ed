#include "theme.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFontDatabase>
#include <QPainter>
#include <QPalette>
#include <QProxyStyle>
#include <QPushButton>
#include <QStyleFactory>
#include <QStyleOption>
#include <QToolButton>
#include <QWidget>

namespace sockbench {

namespace {

constexpr const char* kScale = "sockbenchFontScale";
constexpr const char* kBold = "sockbenchFontBold";
constexpr const char* kSuggested = "suggested";

const QColor kSuggestedFill(0xdb, 0xea, 0xfe);
const QColor kSuggestedEdge(0x25, 0x63, 0xeb);
const QColor kFocusRing(0xf5, 0x9e, 0x0b);

// Fusion, with the workbench's two marks drawn by hand: a suggested call's button, and the
// amber ring round the button that has the keyboard focus (so a class can follow Tab from
// the back row). A style sheet drew them until 2,000 sockets on the stage held about 200 MB
// of its per-widget rule caches (bench/ui_bench.cpp --many).
class WorkbenchStyle : public QProxyStyle {
public:
    WorkbenchStyle()
        : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
    {
    }

    void drawComplexControl(ComplexControl control, const QStyleOptionComplex* option,
                            QPainter* painter, const QWidget* widget) const override
    {
        const auto* button = qstyleoption_cast<const QStyleOptionToolButton*>(option);
        if (control != CC_ToolButton || !button) {
            QProxyStyle::drawComplexControl(control, option, painter, widget);
            return;
        }
        if (widget && widget->property(kSuggested).toBool()) {
            painter->save();
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(QPen(kSuggestedEdge, 2));
            painter->setBrush(kSuggestedFill);
            painter->drawRoundedRect(QRectF(option->rect).adjusted(1, 1, -1, -1), 5, 5);
            painter->restore();
            QStyleOptionToolButton label = *button;
            label.rect = subControlRect(control, option, SC_ToolButton, widget);
            label.palette.setColor(QPalette::ButtonText, palette(widget).color(QPalette::Text));
            proxy()->drawControl(CE_ToolButtonLabel, &label, painter, widget);
        } else {
            QProxyStyle::drawComplexControl(control, option, painter, widget);
        }
        ringIfFocused(option, painter);
    }

    void drawControl(ControlElement element, const QStyleOption* option, QPainter* painter,
                     const QWidget* widget) const override
    {
        // A combo box's text that does not fit ends in "…", never cut mid-word ("…and
        // IPv4-m" in the lesson picker at 1280x720).
        if (const auto* box = qstyleoption_cast<const QStyleOptionComboBox*>(option);
            box && element == CE_ComboBoxLabel && !box->editable) {
            QStyleOptionComboBox elided = *box;
            const QRect text = subControlRect(CC_ComboBox, box, SC_ComboBoxEditField, widget);
            const int room =
                text.width() - (box->currentIcon.isNull() ? 0 : box->iconSize.width() + 4) - 2;
            elided.currentText =
                box->fontMetrics.elidedText(box->currentText, Qt::ElideRight, room);
            QProxyStyle::drawControl(element, &elided, painter, widget);
            return;
        }
        QProxyStyle::drawControl(element, option, painter, widget);
        if (element == CE_PushButton)
            ringIfFocused(option, painter);
    }

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                       const QWidget* widget) const override
    {
        // A button's focus is the amber ring; Fusion's own dotted one would be a second.
        if (element == PE_FrameFocusRect && qobject_cast<const QAbstractButton*>(widget))
            return;
        QProxyStyle::drawPrimitive(element, option, painter, widget);
    }

    QSize sizeFromContents(ContentsType type, const QStyleOption* option, const QSize& contents,
                           const QWidget* widget) const override
    {
        QSize size = QProxyStyle::sizeFromContents(type, option, contents, widget);
        // A card's call buttons are targets for a pointer on a projected screen: 6 px more
        // on each side, 1 px above and below.
        if (type == CT_ToolButton && onACard(widget))
            size += QSize(12, 2);
        return size;
    }

private:
    static bool onACard(const QWidget* widget)
    {
        for (const QWidget* w = widget; w; w = w->parentWidget())
            if (w->objectName() == QLatin1String("socketCard"))
                return true;
        return false;
    }

    static QPalette palette(const QWidget* widget)
    {
        return widget ? widget->palette() : QApplication::palette();
    }

    static void ringIfFocused(const QStyleOption* option, QPainter* painter)
    {
        if (!(option->state & State_HasFocus))
            return;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(kFocusRing, 2));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(option->rect).adjusted(1, 1, -1, -1), 5, 5);
        painter->restore();
    }
};

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
    app.setStyle(new WorkbenchStyle); // the application owns it
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

void setSuggested(QAbstractButton* button, bool suggested)
{
    if (button->property(kSuggested).toBool() == suggested)
        return;
    button->setProperty(kSuggested, suggested);
    button->setProperty(kBold, suggested); // and setFontSize() keeps it so
    QFont font = button->font();
    font.setBold(suggested);
    button->setFont(font); // its size hint is the bold text's
    button->update();
}

void setTextColor(QWidget* widget, const QColor& color)
{
    QPalette palette = widget->palette();
    palette.setColor(QPalette::WindowText, color);
    palette.setColor(QPalette::Text, color);
    widget->setPalette(palette);
}

void setBackground(QWidget* widget, const QColor& color)
{
    QPalette palette = widget->palette();
    palette.setColor(QPalette::Window, color);
    widget->setPalette(palette);
    widget->setAutoFillBackground(true);
}

void paintPanel(QWidget* widget, const QColor& fill, const QColor& edge, double radius)
{
    QPainter painter(widget);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(edge, kPanelEdge));
    painter.setBrush(fill);
    const qreal half = kPanelEdge / 2.0;
    painter.drawRoundedRect(QRectF(widget->rect()).adjusted(half, half, -half, -half), radius,
                            radius);
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
