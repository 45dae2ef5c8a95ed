#include "elapsedlabel.h"

#include <QEvent>
#include <QPainter>

namespace sockbench {

ElapsedLabel::ElapsedLabel(const QString& widest, QWidget* parent)
    : QWidget(parent)
    , m_widest(widest)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void ElapsedLabel::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    update(); // the size stays: no layout runs again
}

QSize ElapsedLabel::sizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    return {metrics.horizontalAdvance(m_widest) + 2, metrics.height()};
}

void ElapsedLabel::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, m_text);
}

void ElapsedLabel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateGeometry(); // a zoom: the widest text is wider
}

} // namespace sockbench
