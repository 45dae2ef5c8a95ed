#include "scriptedit.h"

#include <QPainter>
#include <QPainterPath>
#include <QTextBlock>
#include <QTextLayout>

namespace sockbench {

class ScriptGutter : public QWidget {
public:
    explicit ScriptGutter(ScriptEdit* edit)
        : QWidget(edit)
        , m_edit(edit)
    {
    }
    QSize sizeHint() const override { return {m_edit->gutterWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent* event) override { m_edit->paintGutter(event); }

private:
    ScriptEdit* m_edit;
};

ScriptEdit::ScriptEdit(QWidget* parent)
    : QPlainTextEdit(parent)
    , m_gutter(new ScriptGutter(this))
{
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    connect(this, &QPlainTextEdit::blockCountChanged, this,
            [this] { setViewportMargins(gutterWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy != 0)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

int ScriptEdit::gutterWidth() const
{
    const int digits = QString::number(std::max(blockCount(), 10)).size();
    // The number, then room for an arrow as tall as a line.
    return fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + fontMetrics().height() + 10;
}

void ScriptEdit::setMarkers(int nextLine, int lastLine)
{
    if (nextLine == m_next && lastLine == m_last)
        return;
    m_next = nextLine;
    m_last = lastLine;
    m_gutter->update();
}

void ScriptEdit::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_gutter->setGeometry(r.left(), r.top(), gutterWidth(), r.height());
}

void ScriptEdit::changeEvent(QEvent* event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        setViewportMargins(gutterWidth(), 0, 0, 0);
        const QRect r = contentsRect();
        m_gutter->setGeometry(r.left(), r.top(), gutterWidth(), r.height());
    }
}

void ScriptEdit::paintGutter(QPaintEvent* event)
{
    QPainter p(m_gutter);
    p.fillRect(event->rect(), QColor(0xf3, 0xf4, 0xf6));
    p.setRenderHint(QPainter::Antialiasing);
    const int line = fontMetrics().height();
    const int numberWidth = m_gutter->width() - line - 6;
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    while (block.isValid() && top <= event->rect().bottom()) {
        const int bottom = top + qRound(blockBoundingRect(block).height());
        const int number = block.blockNumber() + 1;
        if (block.isVisible() && bottom >= event->rect().top()) {
            p.setPen(number == m_next ? QColor(0x1d, 0x4e, 0xd8) : QColor(0x9c, 0xa3, 0xaf));
            p.drawText(QRect(0, top, numberWidth, line), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(number));
            // An arrow pointing at the line: solid blue for next, green outline for the last.
            const auto arrow = [&](const QColor& colour, bool solid) {
                const QRectF box(numberWidth + 4, top + line * 0.15, line * 0.85, line * 0.7);
                QPainterPath path;
                path.moveTo(box.left(), box.top() + box.height() * 0.3);
                path.lineTo(box.left() + box.width() * 0.55, box.top() + box.height() * 0.3);
                path.lineTo(box.left() + box.width() * 0.55, box.top());
                path.lineTo(box.right(), box.center().y());
                path.lineTo(box.left() + box.width() * 0.55, box.bottom());
                path.lineTo(box.left() + box.width() * 0.55, box.top() + box.height() * 0.7);
                path.lineTo(box.left(), box.top() + box.height() * 0.7);
                path.closeSubpath();
                if (solid)
                    p.fillPath(path, colour);
                p.setPen(QPen(colour, 1.5));
                p.drawPath(path);
            };
            // A statement too long for the pane wraps, and its rows after the first would
            // start at the margin as if they were lines of their own, at the outermost
            // indent. Python reads indentation, so each such row is marked as the same line
            // continued, where a line's number would stand.
            const QTextLayout* rows = block.layout();
            p.setPen(QColor(0x6b, 0x72, 0x80));
            for (int row = 1; rows && row < rows->lineCount(); ++row)
                p.drawText(QRect(0, top + qRound(rows->lineAt(row).y()), numberWidth, line),
                           Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("\u21aa"));
            if (number == m_last && number != m_next)
                arrow(QColor(0x05, 0x96, 0x69), false);
            if (number == m_next)
                arrow(QColor(0x1d, 0x4e, 0xd8), true);
        }
        block = block.next();
        top = bottom;
    }
}

} // namespace sockbench
