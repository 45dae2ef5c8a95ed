#pragma once

#include <QWidget>

class QVariantAnimation;

namespace sockbench {

// A labelled fill bar for bytes (or connections) waiting in a kernel queue. The fill
// glides to a new value instead of jumping, so the eye sees bytes arrive and leave.
class QueueBar : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Bytes, Slots };
    explicit QueueBar(const QString& label, Kind kind, QWidget* parent = nullptr);

    // value < 0: the kernel reports nothing for this socket; the bar says so.
    void setValue(qint64 value, qint64 capacity = 0);
    qint64 value() const { return m_value; }
    QString text() const;
    // What the number is ("recv-q", or for UDP "next datagram": the kernel's count there).
    void setLabel(const QString& label);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    static constexpr int kMostPlaces = 32; // drawn one by one; more make a plain bar
    static constexpr int kRoomyPlaces = 8; // up to this many get a character's width each
    static constexpr int kValueGap = 8;    // between the bar and its value
    QString valueText() const;             // "5 / 5", "1.2 KiB", "—"
    int valueWidth(const QFontMetrics& fm) const;

    QString m_label;
    Kind m_kind;
    qint64 m_value = -1;
    qint64 m_capacity = 0;
    double m_shown = 0; // the fill fraction on screen, animated
    QVariantAnimation* m_animation;
};

} // namespace sockbench
