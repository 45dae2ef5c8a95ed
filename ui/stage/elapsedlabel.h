#pragma once

#include <QWidget>

namespace sockbench {

// A short text that changes often (a blocked call's "12.3 s"), in a box as wide as its
// widest value: setting it repaints the box and never lays anything out again, however
// many cards tick at once.
class ElapsedLabel : public QWidget {
public:
    // widest: the longest text it will show, which sets its width.
    ElapsedLabel(const QString& widest, QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return m_text; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QString m_widest;
    QString m_text;
};

} // namespace sockbench
