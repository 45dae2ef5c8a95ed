#pragma once

// What the address tests share: endpoints built with the C library's parser, and how
// QCOMPARE prints one.

#include "net/endpoint.h"

#include <QtTest>

#include <arpa/inet.h>
#include <array>
#include <cstring>
#include <netinet/in.h>

namespace sockbench {
// What QCOMPARE prints when two endpoints differ.
inline char* toString(const Endpoint& endpoint)
{
    return QTest::toString(familyName(endpoint.family()) + QLatin1Char(' ') +
                           endpoint.toPythonTuple());
}
} // namespace sockbench

namespace sockbench::endpointtest {

// Expected values are built with the C library's own parser, never with the code under test.
inline std::array<quint8, 16> v6Bytes(const char* text)
{
    in6_addr address{};
    const int rc = ::inet_pton(AF_INET6, text, &address);
    Q_ASSERT(rc == 1);
    Q_UNUSED(rc);
    std::array<quint8, 16> bytes{};
    std::memcpy(bytes.data(), &address, 16);
    return bytes;
}

inline Endpoint v4(const char* dotted, quint16 port)
{
    in_addr address{};
    const int rc = ::inet_pton(AF_INET, dotted, &address);
    Q_ASSERT(rc == 1);
    Q_UNUSED(rc);
    return Endpoint::inet4(ntohl(address.s_addr), port);
}

inline Endpoint v6(const char* text, quint16 port, quint32 flowInfo = 0, quint32 scopeId = 0)
{
    return Endpoint::inet6(v6Bytes(text), port, flowInfo, scopeId);
}

} // namespace sockbench::endpointtest
