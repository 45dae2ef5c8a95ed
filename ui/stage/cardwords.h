#pragma once

#include "presentation/stagemodel.h"

#include <QColor>
#include <QString>

// What a socket's card says, in words and colours: its state's colour, the chip a state is
// shown in, its kind ("TCP · IPv4"), an address with its port's label, and the badge that
// reconciles the lesson's state with the kernel's.
namespace sockbench::cardwords {

QColor stateColor(TeachingState state);
QString chip(const QString& text, const QColor& color); // rich text: white on colour
QString transport(const SocketView& v);                 // "TCP · IPv4", "Unix stream"

// An address, and its port's one label wherever the port is shown: its IANA class (lesson
// 05), and whether the kernel chose it (from its ephemeral range, ip_local_port_range,
// which straddles IANA's registered and dynamic classes). The same words on both ends of a
// connection. bare (a minimal card): the address alone.
QString addressLine(const Endpoint& e, bool kernelChosen, bool bare);

// The badge: the socket's state as the lesson names it, reconciled with what the kernel and
// the calls say at the same moment, so that one card never states two things at once.
struct Badge {
    QString text;
    QColor color;
    QString why; // the tooltip when the badge says more than the lesson's state
};
Badge badgeFor(const SocketView& v);

} // namespace sockbench::cardwords
