#pragma once

// A reading position over the lesson text that knows its line and column. Columns count
// characters as a reader sees them: a surrogate pair is one column, and so is a tab.

#include "lesson/ast.h"

#include <QChar>
#include <QString>

namespace sockbench::lesson {

class Scanner {
public:
    explicit Scanner(const QString& text)
        : m_text(text)
    {
    }

    bool atEnd() const { return m_offset >= m_text.size(); }
    // QChar() past the end, which matches no character the tokenizer looks for.
    QChar peek(qsizetype ahead = 0) const
    {
        const qsizetype index = m_offset + ahead;
        return index < m_text.size() ? m_text.at(index) : QChar();
    }
    QChar take()
    {
        const QChar c = m_text.at(m_offset++);
        if (c == u'\n') {
            ++m_line;
            m_column = 1;
        } else if (!(c.isLowSurrogate() && m_offset >= 2 &&
                     m_text.at(m_offset - 2).isHighSurrogate())) {
            ++m_column;
        }
        return c;
    }
    SourcePos pos() const { return {m_line, m_column}; }
    qsizetype offset() const { return m_offset; }

private:
    const QString& m_text;
    qsizetype m_offset = 0;
    int m_line = 1;
    int m_column = 1;
};

} // namespace sockbench::lesson
