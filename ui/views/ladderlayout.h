#pragma once

#include "engine/event.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <deque>
#include <vector>

namespace sockbench {

class Timeline;

// Where everything in the ladder (sequence) diagram goes, computed from the timeline's
// events with no painting, so it can be tested. One lifeline per socket, grouped by host
// (actor); time runs downwards in rows, one row per event in trace order (not in
// nanoseconds: a 3 µs recv and a 2 s accept must both stay readable). A successful TCP
// connect() gets three rows before it for the handshake it proves.
//
// Incremental: append() takes each new event once. Matching bytes to the read that took
// them goes by stream offset with queues and a binary search, never by scanning the past,
// so 100k events lay out in linear time.
class LadderLayout {
public:
    enum class MarkKind : quint8 {
        Call,    // a call that returned
        Error,   // a call that failed (errno, timeout, interrupted, invalid)
        Blocked, // the call is waiting in the kernel (its bar starts here)
        Kernel,  // the kernel's state changed without a call (TCP state, accept queue)
    };
    struct Mark {
        quint64 seq = 0;
        int lifeline = 0;
        qsizetype row = 0;
        MarkKind kind = MarkKind::Call;
        QString text; // "recv(1024) → 5 B"
        // Where arrows leave or reach this mark: 1 on its left, 2 on its right. The text
        // goes on the free side.
        quint8 arrowSides = 0;
        bool textOnLeft() const { return arrowSides == 2; }
    };
    // A blocked call: from the row it blocked to the row it returned.
    struct Bar {
        int lifeline = 0;
        qsizetype fromRow = 0;
        qsizetype toRow = -1; // -1: still blocked
        quint64 blockedSeq = 0;
        quint64 finishedSeq = 0; // 0 while still blocked
        CallId call;
        quint64 seq() const { return finishedSeq ? finishedSeq : blockedSeq; }
    };
    enum class ArrowKind : quint8 { Data, Syn, SynAck, Ack, Fin, Rst };
    struct Arrow {
        ArrowKind kind = ArrowKind::Data;
        int from = 0; // lifeline indices
        int to = 0;
        qsizetype fromRow = 0;
        qsizetype toRow = 0;
        quint64 seq = 0;   // the event it belongs to: the send, or the event that proves it
        quint64 toSeq = 0; // the event where it lands (the recv), 0 if none
        qint64 bytes = 0;  // data arrows
        QString label;     // "b'hello' · 5 B", "SYN (inferred)"
        bool inferred = false;
        QString proof; // inferred: what in the trace proves it
    };
    struct Lifeline {
        SocketId socket; // invalid for the outside lifeline
        QString actor;   // the host it belongs to
        QString name;    // "server", "#3", "outside"
        bool outside = false;
        qsizetype firstRow = 0; // where it appears
        qsizetype closeRow = -1;
        int column = 0; // left to right: hosts in order of appearance, outside last
        QString label() const { return outside ? name : name + QStringLiteral(" · ") + actor; }
    };

    LadderLayout();

    void clear();
    // Lays out every event of the timeline.
    void rebuild(const Timeline& timeline);
    // Lays out timeline events [first, first + count), which follow those already laid out.
    void append(const Timeline& timeline, qsizetype first, qsizetype count);
    // The timeline dropped its oldest events: forget what lies wholly before seq.
    void trimBefore(quint64 seq);
    // Names come from the timeline's namer, which may learn them after the socket appeared.
    void refreshNames(const Timeline& timeline);

    const std::vector<Lifeline>& lifelines() const { return m_lifelines; }
    const std::deque<Mark>& marks() const { return m_marks; } // in row (= seq) order
    const std::deque<Bar>& bars() const { return m_bars; }
    const std::deque<Arrow>& arrows() const { return m_arrows; }
    qsizetype firstRow() const { return m_marks.empty() ? 0 : m_firstRow; }
    qsizetype rowCount() const { return m_nextRow; } // rows [firstRow(), rowCount())
    int columnCount() const { return int(m_lifelines.size()); }
    QStringList actors() const { return m_actorOrder; } // hosts, left to right
    bool isEmpty() const { return m_marks.empty(); }

    int lifelineOf(SocketId socket) const { return m_lifelineOf.value(socket, -1); }
    const Mark* markFor(quint64 seq) const;
    // The first mark on or after row (marks().size() if none).
    qsizetype markIndexAtRow(qsizetype row) const;

private:
    struct Range {
        qint64 begin = 0;
        qint64 end = 0;
        qsizetype row = 0;
        quint64 seq = 0;
        QByteArray sample;
    };
    struct Datagram {
        int from = -1;
        Endpoint source; // the sender's address as the receiver will see it
        qsizetype row = 0;
        quint64 seq = 0;
        qint64 bytes = 0;
        QByteArray sample;
    };
    struct Proof {
        qsizetype row = -1;
        quint64 seq = 0;
        QString why;
    };
    // What the layout has learned about one lifeline's socket.
    struct SocketState {
        SocketType type = SocketType::Stream;
        Endpoint local;
        Endpoint peer;
        int partner = -1; // the workbench socket at the other end of the connection
        bool listening = false;
        bool connected = false;
        bool lingerZero = false;
        bool connecting = false; // connect() is blocked, aiming at connectTo
        Endpoint connectTo;
        bool handshakeDrawn = false;
        TcpState lastState = TcpState::None;
        qint32 lastAcceptQueue = -1;
        qint64 sent = 0; // stream offsets
        qint64 received = 0;
        std::deque<Range> unmatchedSends; // sent, not yet seen read by the partner
        std::deque<Range> reads;          // read, by offset (kept while a send may land)
        Proof finSent;                    // we sent a FIN (shutdown / close)
        bool finDrawn = false;
        Proof finArrived; // a FIN reached us (EOF, CLOSE_WAIT), drawn or waiting for its sender
        bool resetSeen = false;
        std::deque<Datagram> datagrams;  // sent to us, not yet read
        std::deque<Datagram> earlyReads; // read before the sender's event was here
    };

    void layoutEvent(const Event& event, const Timeline& timeline);
    int ensureLifeline(SocketId socket, const QString& actor, qsizetype row);
    int outsideLifeline(qsizetype row);
    void assignColumns();
    void addMark(const Event& event, int lifeline, qsizetype row, MarkKind kind, QString text);
    void addData(int from, int to, qsizetype fromRow, qsizetype toRow, quint64 seq, quint64 toSeq,
                 qint64 bytes, const QByteArray& sample);
    void touchMark(int lifeline, qsizetype row, int towards);
    void addInferred(ArrowKind kind, int from, int to, qsizetype fromRow, qsizetype toRow,
                     quint64 seq, quint64 toSeq, const QString& proof);
    void learnAddresses(int lifeline, const Event& event);
    void pair(int a, int b);
    void tryPair(int lifeline);
    int connectingClient(int listener) const;
    int findListener(const Endpoint& address) const;
    int findBound(const Endpoint& address, SocketType type, int except) const;
    void indexLocal(int lifeline, const Endpoint& local);
    void streamSend(int lifeline, const Event& event, qsizetype row, qint64 bytes);
    void streamRead(int lifeline, const Event& event, qsizetype row, qint64 bytes);
    void landSend(int from, int to, const Range& send, const Range& read);
    void datagramSend(int lifeline, const Event& event, qsizetype row);
    void datagramRead(int lifeline, const Event& event, qsizetype row);
    void finSent(int lifeline, const Event& event, qsizetype row);
    void finArrived(int lifeline, quint64 seq, qsizetype row, const QString& why);
    void drawFin(int from, int to);
    void resetArrived(int lifeline, const Event& event, qsizetype row);
    static QString markText(const Event& event);
    static QString dataLabel(const QByteArray& sample, qint64 bytes);

    std::vector<Lifeline> m_lifelines;
    // Parallel to m_lifelines; a deque so that a reference survives a new lifeline.
    std::deque<SocketState> m_state;
    QHash<SocketId, int> m_lifelineOf;
    QStringList m_actorOrder;
    int m_outside = -1;
    std::deque<Mark> m_marks;
    std::deque<Bar> m_bars;
    std::deque<Arrow> m_arrows;
    QHash<CallId, qsizetype> m_openBars; // index into m_bars (adjusted on trim)
    qsizetype m_barsTrimmed = 0;
    QHash<QString, int> m_byConnection;  // "local|peer" of connected stream sockets
    QHash<QString, QList<int>> m_byPort; // local port (or AF_UNIX path) -> lifelines
    qsizetype m_nextRow = 0;
    qsizetype m_firstRow = 0;
};

QString arrowKindName(LadderLayout::ArrowKind kind); // "SYN", "SYN-ACK", ...

} // namespace sockbench
