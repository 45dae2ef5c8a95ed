#pragma once

#include <QAbstractScrollArea>
#include <QByteArray>

namespace sockbench {

// Bytes as the hex dump of hexdump.h (offset | hex | text, a header row over them), painted
// row by row: only the rows in view are ever formatted, so a 64 KiB sample (4,096 rows)
// costs what sixteen do. The bytes are shared, never copied. Ctrl+C and the context menu
// copy the whole dump as text.
class HexView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit HexView(QWidget* parent = nullptr);

    void setBytes(const QByteArray& bytes);
    const QByteArray& bytes() const { return m_bytes; }
    // Rows the view shows at most before it scrolls inside.
    void setVisibleRows(int rows);
    qsizetype rowCount() const;
    qsizetype firstRowShown() const;
    // How many rows the last paint formatted: never more than fit in view.
    int rowsFormattedLastPaint() const { return m_formatted; }
    QString toPlainText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    int lineHeight() const;
    int cellWidth() const;
    int columnsWide() const; // the widest row, in character cells
    void updateScrollBars();
    void copy() const;

    QByteArray m_bytes;
    int m_visibleRows = 16;
    int m_textCells = 0; // the widest row's text column, in character cells
    int m_formatted = 0;
};

} // namespace sockbench
