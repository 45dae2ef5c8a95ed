#pragma once

#include "endpoint.h"

#include <QList>
#include <QString>

#include <optional>
#include <variant>

// One address in every form the course shows, as rows a view can print: the dotted quad
// and the 32-bit number behind it, the bytes inet_aton()/inet_pton() give, IPv6 full and
// compressed, the IPv4-mapped form both ways, AF_UNIX paths and abstract names, the port
// and its class. Also the reverse: text a user typed in any of those forms, read back.
// Pure formatting: nothing here touches the network or the resolver.
namespace sockbench::addressforms {

enum class FormKind : quint8 {
    Meaning,          // what kind of address it is: loopback, any, private, ...
    Dotted,           // 127.0.0.1
    Decimal32,        // 2130706433
    Hex32,            // 0x7F000001
    PackedBytes,      // b'\x7f\x00\x00\x01' (inet_aton / inet_pton)
    HostOrderInteger, // the same four bytes read as an int on a little-endian machine
    Ipv6Compressed,   // ::1 (RFC 5952)
    Ipv6Full,         // 0000:0000:0000:0000:0000:0000:0000:0001
    Ipv4Mapped,       // ::ffff:127.0.0.1 (an IPv4 address as an AF_INET6 socket writes it)
    Ipv4MappedHex,    // ::ffff:7f00:1
    Ipv4Inside,       // 127.0.0.1 (the IPv4 address inside a mapped one)
    ScopeId,          // fe80::1%lo: the interface a link-local address belongs to
    UnixPath,         // /tmp/sock
    UnixAbstract,     // @name (a leading NUL byte)
    UnixUnnamed,      // a socket without a name
    PathLength,       // bytes used of sun_path's 108
    PythonTuple,      // ('127.0.0.1', 4000)
    Port,             // 4000
    PortClass,        // registered
    PortNetworkOrder, // 0F A0
};

struct Form {
    FormKind kind = FormKind::Dotted;
    QString label; // "32-bit hex"
    QString text;  // "0x7F000001"
    QString note;  // one short line on what the form tells you
};

// Every form of this endpoint, in the order a reader meets them. The port rows (and the
// Python tuple, which carries the port) come only with withPort, and never for AF_UNIX.
// An invalid endpoint has no forms.
QList<Form> formsOf(const Endpoint& endpoint, bool withPort = true);

// The first row of that kind, if the list has one.
std::optional<Form> find(const QList<Form>& forms, FormKind kind);

// What a user typed, read back.
struct Typed {
    Endpoint endpoint;
    bool hasPort = false;
    FormKind form = FormKind::Dotted; // the form the address was written in
};

// Reads an address typed in any form the table shows, with an optional port:
//   127.0.0.1   2130706433   0x7F000001   b'\x7f\x00\x00\x01'   ::1   [::1]:4000
//   0000:0000:0000:0000:0000:ffff:7f00:0001   ::ffff:127.0.0.1   fe80::1%lo
//   127.0.0.1:4000   127.0.0.1 4000   ('127.0.0.1', 4000)   ('::1', 4000, 0, 0)
//   /tmp/sock   ./sock   @name   \0name
// A port follows a ':' (IPv6 needs brackets then), a space, or sits in the tuple.
// Anything else gives back one sentence saying why it is not an address. Names such as
// "localhost" are refused too: turning a name into an address is the resolver's job, and
// typing in a text field must never send a query to a name server.
std::variant<Typed, QString> parseTyped(const QString& text);

} // namespace sockbench::addressforms
