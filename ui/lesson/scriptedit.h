#pragma once

#include <QPlainTextEdit>

namespace sockbench {

// The script as the student reads it: line numbers in a gutter, and two arrows there, as
// Python Tutor draws them: where Step goes next (blue) and the line that just ran (green).
// Long lines wrap under themselves instead of running off the narrow column.
class ScriptEdit : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit ScriptEdit(QWidget* parent = nullptr);

    // Lines count from 1; 0 draws no arrow.
    void setMarkers(int nextLine, int lastLine);
    int nextLine() const { return m_next; }
    int lastLine() const { return m_last; }
    int gutterWidth() const;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    friend class ScriptGutter;
    void paintGutter(QPaintEvent* event);

    QWidget* m_gutter;
    int m_next = 0;
    int m_last = 0;
};

} // namespace sockbench
