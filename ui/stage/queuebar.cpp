#include "queuebar.h"

#include "presentation/describe.h"

#include <QPainter>

#include <QPainterPath>
#include <QVariantAnimation>
#include <algorithm>

namespace sockbench {

QueueBar::QueueBar(const QString& label, Kind kind, QWidget* parent)
    : QWidget(parent)
    , m_label(label)
    , m_kind(kind)
    , m_animation(new QVariantAnimation(this))
{
    m_animation->setDuration(450);
    m_animation->setEasingCurve(QEasingCurve::OutCubic);
    connect(m_animation, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        m_shown = v.toDouble();
        update();
    });
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(label);
}

void QueueBar::setLabel(const QString& label)
{
    if (label == m_label)
        return;
    m_label = label;
    updateGeometry();
    update();
}

QString QueueBar::text() const
{
    if (m_value < 0)
        return tr("%1: —").arg(m_label);
    if (m_kind == Kind::Slots && m_value > m_capacity)
        // Linux lets a listener's queue hold one connection more than the backlog it asked.
        return tr("%1: %2 waiting, backlog %3 (Linux admits one more than the backlog)")
            .arg(m_label)
            .arg(m_value)
            .arg(m_capacity);
    if (m_kind == Kind::Slots)
        return tr("%1: %2 of %3").arg(m_label).arg(m_value).arg(m_capacity);
    return tr("%1: %2").arg(m_label, describe::byteCount(m_value));
}

void QueueBar::setValue(qint64 value, qint64 capacity)
{
    if (value == m_value && capacity == m_capacity)
        return;
    m_value = value;
    if (m_kind == Kind::Bytes) {
        // The scale grows in powers of two with what has been seen, never below 1 KiB:
        // five bytes show as a sliver, a full buffer as a full bar.
        qint64 scale = std::max<qint64>(1024, m_capacity);
        while (scale < value)
            scale *= 2;
        m_capacity = scale;
    } else {
        m_capacity = std::max<qint64>(capacity, 1);
        updateGeometry(); // its places and "6, backlog 5": the narrowest the bar may be
    }
    const double target = value <= 0 ? 0.0 : double(value) / double(m_capacity);
    m_animation->stop();
    m_animation->setStartValue(m_shown);
    m_animation->setEndValue(target);
    m_animation->start();
    setToolTip(text());
    setAccessibleDescription(text());
}

QSize QueueBar::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    return {fm.horizontalAdvance(m_label) + fm.averageCharWidth() * 26, fm.height() + 6};
}

QSize QueueBar::minimumSizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    int width = fm.horizontalAdvance(m_label) + fm.averageCharWidth() * 12;
    if (m_kind == Kind::Slots && m_capacity > 0 && m_capacity <= kMostPlaces)
        // Every place of a small queue a character wide (and its gap), beside its label and
        // "5 / 5"; a longer one (listen(32)) shares the same room rather than widen every
        // column of the stage.
        width = std::max(width, fm.horizontalAdvance(m_label + QLatin1Char(' ')) + valueWidth(fm) +
                                    kValueGap +
                                    int(std::min<qint64>(m_capacity, kRoomyPlaces)) *
                                        (fm.averageCharWidth() + 2));
    return {width, fm.height() + 6};
}

QString QueueBar::valueText() const
{
    if (m_value < 0)
        return QStringLiteral("—");
    if (m_kind == Kind::Slots)
        return (m_value > m_capacity ? tr("%1, backlog %2") : tr("%1 / %2"))
            .arg(m_value)
            .arg(m_capacity);
    return describe::byteCount(m_value);
}

int QueueBar::valueWidth(const QFontMetrics& fm) const
{
    // For bytes, the widest a count may say: byte bars line up from card to card. For an
    // accept queue, what it says at its fullest ("5 / 5" is short): its places keep the rest.
    return m_kind == Kind::Slots
               ? std::max(fm.horizontalAdvance(valueText()),
                          fm.horizontalAdvance(QStringLiteral("%1 / %1").arg(m_capacity)))
               : fm.horizontalAdvance(QStringLiteral("00.0 MiB"));
}

void QueueBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const int labelWidth = fm.horizontalAdvance(m_label + QLatin1Char(' '));
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, labelWidth, height()), Qt::AlignVCenter | Qt::AlignLeft, m_label);

    const QString value = valueText();
    const int valueWidth = this->valueWidth(fm);
    // No longer than about 30 characters: on a card across the whole stage (one socket on
    // its host) a 640 px bar for a few bytes was a stripe across the room, its value far
    // away at the other end.
    const int room = width() - labelWidth - valueWidth - kValueGap;
    const QRectF bar(labelWidth, 3, std::clamp(room, 10, fm.averageCharWidth() * 30), height() - 6);
    QPainterPath frame;
    frame.addRoundedRect(bar, 3, 3);
    p.fillPath(frame, QColor(0xe8, 0xea, 0xee));
    const qint64 places = std::max(m_capacity, m_value);
    if (m_kind == Kind::Slots && m_capacity > 0 && places <= kMostPlaces) {
        // One cell per place in the accept queue, and one more for the connection Linux
        // admits beyond the backlog, in amber: six boxes beside "6, backlog 5", not five.
        // (In the same room: the bar is no wider for it, the stage's fit stays as it was.)
        const double cell = bar.width() / double(places);
        for (qint64 i = 0; i < places; ++i) {
            const QRectF r(bar.left() + i * cell + 1, bar.top() + 1, cell - 2, bar.height() - 2);
            const bool filled = i < qint64(m_shown * double(m_capacity) + 0.5);
            p.fillRect(r, !filled           ? QColor(0xd4, 0xd7, 0xde)
                          : i >= m_capacity ? QColor(0xd9, 0x77, 0x06)
                                            : QColor(0x7c, 0x3a, 0xed));
        }
    } else if (m_shown > 0) {
        QRectF fill = bar;
        fill.setWidth(std::max(3.0, bar.width() * std::min(1.0, m_shown)));
        QPainterPath path;
        path.addRoundedRect(fill, 3, 3);
        p.fillPath(path, QColor(0x25, 0x63, 0xeb));
    }
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRectF(bar.right() + 6, 0, valueWidth, height()), Qt::AlignVCenter | Qt::AlignLeft,
               value);
}

} // namespace sockbench
