#pragma once

#include <QWidget>

class QLabel;
class QTableWidget;

namespace sockbench {

class EventSelection;
class Timeline;
struct Event;

// Name resolution, as the resolver really answered. A selected getaddrinfo() shows every
// (family, type, proto, canonname, sockaddr) entry it returned, and marks the entry a
// later connect(), connect_ex() or sendto() of the same actor went to. A selected
// gethostbyname() or gethostbyaddr() shows the latest answer of each, side by side (the
// course mixes the two up: one takes a name, the other an address). Any other selection
// gets a line saying what this view is for.
class ResolutionView : public QWidget {
    Q_OBJECT
public:
    explicit ResolutionView(Timeline& timeline, EventSelection& selection,
                            QWidget* parent = nullptr);

    // Columns of the getaddrinfo table.
    enum Column { Number, Family, Type, Proto, CanonName, SockAddr, UsedBy, ColumnCount };
    // Rows of the side-by-side table; column 0 is gethostbyname(), column 1 gethostbyaddr().
    enum HostRow {
        HostCall,
        HostTakes,
        HostName,
        HostAliases,
        HostAddresses,
        HostReturns,
        HostEvent,
        HostRowCount
    };

    QTableWidget* addrInfoTable() const { return m_addrInfo; }
    QTableWidget* hostTable() const { return m_hosts; }
    // The getaddrinfo entry a later call used (-1: none yet), and that call's event.
    int usedRow() const { return m_usedRow; }
    quint64 usedBySeq() const { return m_usedBySeq; }
    // True while the "what this view shows" line stands in for a resolver call.
    bool showsHint() const;

private:
    void refresh();
    void showAddrInfo(const Event& event, qsizetype index);
    void showHosts(qsizetype index);
    void showHint(const QString& prefix = {});

    Timeline& m_timeline;
    EventSelection& m_selection;
    QLabel* m_title;
    QTableWidget* m_addrInfo;
    QTableWidget* m_hosts;
    QLabel* m_note;
    QLabel* m_hint;
    int m_usedRow = -1;
    quint64 m_usedBySeq = 0;
    bool m_refreshOnAppend = false;
};

} // namespace sockbench
