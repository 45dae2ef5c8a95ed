#include "ladderlayout.h"

#include "presentation/describe.h"

// The arrows of the ladder: bytes matched to the read that took them (TCP by stream
// offset), and the TCP segments the kernel's states prove (FIN, RST).
namespace sockbench {

QString arrowKindName(LadderLayout::ArrowKind kind)
{
    switch (kind) {
    case LadderLayout::ArrowKind::Data:
        return QStringLiteral("data");
    case LadderLayout::ArrowKind::Syn:
        return QStringLiteral("SYN");
    case LadderLayout::ArrowKind::SynAck:
        return QStringLiteral("SYN-ACK");
    case LadderLayout::ArrowKind::Ack:
        return QStringLiteral("ACK");
    case LadderLayout::ArrowKind::Fin:
        return QStringLiteral("FIN");
    case LadderLayout::ArrowKind::Rst:
        return QStringLiteral("RST");
    }
    return {};
}

void LadderLayout::touchMark(int lifeline, qsizetype row, int towards)
{
    const int here = m_lifelines[size_t(lifeline)].column;
    const int there = m_lifelines[size_t(towards)].column;
    // Columns only ever get inserted between others, so left stays left.
    for (qsizetype i = markIndexAtRow(row); i < qsizetype(m_marks.size()); ++i) {
        Mark& m = m_marks[size_t(i)];
        if (m.row != row)
            break;
        if (m.lifeline == lifeline)
            m.arrowSides |= there > here ? 2 : 1;
    }
}

void LadderLayout::addData(int from, int to, qsizetype fromRow, qsizetype toRow, quint64 seq,
                           quint64 toSeq, qint64 bytes, const QByteArray& sample)
{
    touchMark(from, fromRow, to);
    touchMark(to, toRow, from);
    Arrow a{ArrowKind::Data, from, to, fromRow, toRow, seq, toSeq, bytes, {}, false, {}};
    a.label = dataLabel(sample, bytes);
    m_arrows.push_back(std::move(a));
}

void LadderLayout::addInferred(ArrowKind kind, int from, int to, qsizetype fromRow, qsizetype toRow,
                               quint64 seq, quint64 toSeq, const QString& proof)
{
    touchMark(from, fromRow, to);
    touchMark(to, toRow, from);
    m_arrows.push_back(Arrow{kind, from, to, fromRow, toRow, seq, toSeq, 0,
                             arrowKindName(kind) + QStringLiteral(" (inferred)"), true, proof});
}

void LadderLayout::streamSend(int lifeline, const Event& e, qsizetype row, qint64 bytes)
{
    SocketState& s = m_state[size_t(lifeline)];
    const Range send{s.sent, s.sent + bytes, row, e.seq,
                     e.payload.isEmpty() ? e.request.args.payload : e.payload};
    s.sent += bytes;
    const int to = s.partner;
    if (to < 0) {
        if (s.connected) {
            const int outside = outsideLifeline(row);
            addData(lifeline, outside, row, row, e.seq, 0, bytes, send.sample);
        }
        return;
    }
    // The send's first byte lands in the read whose range covers it. Reads are in offset
    // order, so that is a binary search; a read not yet in the trace finds the send in
    // unmatchedSends when it comes.
    std::deque<Range>& reads = m_state[size_t(to)].reads;
    const auto it = std::upper_bound(reads.begin(), reads.end(), send.begin,
                                     [](qint64 x, const Range& r) { return x < r.end; });
    if (it != reads.end() && it->begin <= send.begin)
        landSend(lifeline, to, send, *it);
    else
        s.unmatchedSends.push_back(send);
    // Later sends start at s.sent or beyond: reads that end before it are done with.
    while (!reads.empty() && reads.front().end <= s.sent)
        reads.pop_front();
}

void LadderLayout::streamRead(int lifeline, const Event& e, qsizetype row, qint64 bytes)
{
    SocketState& s = m_state[size_t(lifeline)];
    if (bytes == 0) {
        finArrived(lifeline, e.seq, row, QStringLiteral("recv() returned b'': the peer sent FIN"));
        return;
    }
    const Range read{s.received, s.received + bytes, row, e.seq, {}};
    s.received += bytes;
    const int from = s.partner;
    if (from < 0) {
        if (s.connected) {
            const int outside = outsideLifeline(row);
            addData(outside, lifeline, row, row, e.seq, e.seq, bytes, e.payload);
        }
        return;
    }
    SocketState& sender = m_state[size_t(from)];
    std::deque<Range>& pending = sender.unmatchedSends;
    while (!pending.empty() && pending.front().begin < read.end) {
        // A pending send that starts before this read belongs to a read the timeline no
        // longer holds (trimmed, or before it started following): nothing to land on.
        if (pending.front().begin >= read.begin)
            landSend(from, lifeline, pending.front(), read);
        pending.pop_front();
    }
    if (read.end > sender.sent)
        s.reads.push_back(read); // bytes whose send is not in the trace yet
}

void LadderLayout::landSend(int from, int to, const Range& send, const Range& read)
{
    const qint64 bytes = send.end - send.begin;
    addData(from, to, send.row, read.row, send.seq, read.seq, bytes, send.sample);
}

void LadderLayout::finSent(int lifeline, const Event& e, qsizetype row)
{
    SocketState& s = m_state[size_t(lifeline)];
    if (s.finSent.row >= 0)
        return;
    s.finSent = Proof{row, e.seq, {}};
    if (s.partner >= 0) {
        if (m_state[size_t(s.partner)].finArrived.row >= 0)
            drawFin(lifeline, s.partner);
        return;
    }
    // Nobody in the workbench will read the FIN: our own kernel state is the proof.
    const TcpState state = e.kernel.tcpState;
    if (state == TcpState::FinWait1 || state == TcpState::FinWait2 || state == TcpState::LastAck ||
        state == TcpState::Closing || state == TcpState::TimeWait) {
        const int outside = outsideLifeline(row);
        addInferred(
            ArrowKind::Fin, lifeline, outside, row, row, e.seq, 0,
            QStringLiteral("the kernel moved to %1: a FIN went out").arg(tcpStateName(state)));
        s.finDrawn = true;
    }
}

void LadderLayout::finArrived(int lifeline, quint64 seq, qsizetype row, const QString& why)
{
    SocketState& s = m_state[size_t(lifeline)];
    if (s.finArrived.row >= 0)
        return; // the first proof is where the FIN landed
    s.finArrived = Proof{row, seq, why};
    if (s.partner >= 0) {
        if (m_state[size_t(s.partner)].finSent.row >= 0)
            drawFin(s.partner, lifeline);
        return; // else: drawn when the partner's shutdown/close reaches the timeline
    }
    if (s.connected) {
        const int outside = outsideLifeline(row);
        addInferred(ArrowKind::Fin, outside, lifeline, row, row, seq, seq, why);
    }
}

void LadderLayout::drawFin(int from, int to)
{
    SocketState& sender = m_state[size_t(from)];
    if (sender.finDrawn)
        return;
    const Proof& arrived = m_state[size_t(to)].finArrived;
    addInferred(ArrowKind::Fin, from, to, sender.finSent.row, arrived.row, sender.finSent.seq,
                arrived.seq, arrived.why);
    sender.finDrawn = true;
}

void LadderLayout::resetArrived(int lifeline, const Event& e, qsizetype row)
{
    SocketState& s = m_state[size_t(lifeline)];
    if (s.resetSeen)
        return;
    s.resetSeen = true;
    const int from = s.partner >= 0 ? s.partner : outsideLifeline(row);
    const qsizetype closed = m_lifelines[size_t(from)].closeRow;
    addInferred(ArrowKind::Rst, from, lifeline, closed >= 0 ? closed : row, row, e.seq, e.seq,
                QStringLiteral("%1() failed with ECONNRESET: the peer reset the connection")
                    .arg(callName(e.request.kind)));
}

QString LadderLayout::dataLabel(const QByteArray& sample, qint64 bytes)
{
    constexpr int kSampleChars = 16;
    if (sample.isEmpty())
        return describe::byteCount(bytes);
    if (bytes > kSampleChars)
        return describe::bytes(sample, bytes, kSampleChars); // "b'GET / HTTP/1.'… (73 B)"
    return describe::bytes(sample, bytes) + QStringLiteral(" · ") + describe::byteCount(bytes);
}

} // namespace sockbench
