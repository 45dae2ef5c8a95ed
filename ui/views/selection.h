#pragma once

#include <QObject>

namespace sockbench {

// The moment everyone looks at: one trace event, by sequence number (0: none). Any view
// may select; every view follows.
class EventSelection : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    quint64 seq() const { return m_seq; }

public Q_SLOTS:
    void select(quint64 seq)
    {
        if (seq == m_seq)
            return;
        m_seq = seq;
        Q_EMIT changed(seq);
    }
    void clear() { select(0); }

Q_SIGNALS:
    void changed(quint64 seq);

private:
    quint64 m_seq = 0;
};

} // namespace sockbench
