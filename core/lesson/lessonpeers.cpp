#include "lessonpeers.h"

#include "services/peer.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace sockbench::lesson {

namespace {
std::variant<QList<PeerDeclaration>, QString>
declarationsOf(const QList<std::pair<QString, QString>>& extra)
{
    static const QRegularExpression form(
        QStringLiteral("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*([A-Za-z0-9_-]+)\\s*$"));
    QList<PeerDeclaration> declared;
    for (const auto& [key, value] : extra) {
        if (key.compare(QLatin1String("peer"), Qt::CaseInsensitive) != 0)
            continue;
        const auto match = form.match(value);
        if (!match.hasMatch())
            return QStringLiteral("the header line \"# peer: %1\" should read \"# peer: NAME = "
                                  "KIND\", such as \"# peer: web = course-web\"")
                .arg(value);
        const PeerDeclaration peer{match.captured(1), match.captured(2)};
        if (!services::findPeerKind(peer.kind)) {
            QStringList kinds;
            for (const services::PeerKind& kind : services::peerKinds())
                kinds << kind.name;
            return QStringLiteral("the header asks for a peer \"%1\", but there is no built-in "
                                  "peer of that name (there are: %2)")
                .arg(peer.kind, kinds.join(QStringLiteral(", ")));
        }
        for (const PeerDeclaration& other : declared)
            if (other.name == peer.name)
                return QStringLiteral("the header names two peers %1").arg(peer.name);
        declared << peer;
    }
    return declared;
}
} // namespace

std::variant<QList<PeerDeclaration>, QString>
peerDeclarations(const QList<std::pair<QString, QString>>& headerPeers)
{
    QList<std::pair<QString, QString>> extra;
    for (const auto& [name, kind] : headerPeers)
        extra.append({QStringLiteral("peer"), name + QStringLiteral(" = ") + kind});
    return declarationsOf(extra);
}

LessonPeers::LessonPeers(Workbench& workbench, QObject* parent)
    : QObject(parent)
    , m_workbench(workbench)
{
}

LessonPeers::~LessonPeers() = default; // each peer stops as it goes

void LessonPeers::setOutside(const QString& name, const Endpoint& address)
{
    m_outside.insert(name, address);
}

void LessonPeers::stopAll()
{
    m_peers.clear(); // a Peer's destructor closes its sockets
    m_startedAt = 0;
}

services::Peer* LessonPeers::launch(const QString& name, const QString& kind, CallId* ready)
{
    auto peer = services::Peer::create(kind, m_workbench, name);
    if (!peer)
        return nullptr;
    services::Peer* raw = peer.get();
    connect(raw, &services::Peer::startFailed, this, [this, name, kind](const QString& why) {
        Q_EMIT problem(QStringLiteral("the peer %1 (%2) could not start: %3").arg(name, kind, why));
    });
    connect(raw, &services::Peer::listening, this, [this, name, kind](const Endpoint& address) {
        Q_EMIT peerListening(name, kind, address);
    });
    services::PeerOptions options;
    options.requestTimeout = m_requestTimeout;
    const CallId call = raw->start(options);
    if (ready)
        *ready = call;
    m_peers.emplace_back(name, std::move(peer));
    return raw;
}

QList<CallId> LessonPeers::restart(const QList<std::pair<QString, QString>>& headerPeers)
{
    stopAll();
    m_declared.clear();
    if (!m_enabled)
        return {};
    const auto declared = peerDeclarations(headerPeers);
    if (const auto* why = std::get_if<QString>(&declared)) {
        Q_EMIT problem(*why);
        return {};
    }
    m_declared = std::get<QList<PeerDeclaration>>(declared);
    QList<CallId> ready;
    for (const PeerDeclaration& declaration : std::as_const(m_declared)) {
        if (m_outside.contains(declaration.name))
            continue;
        if (m_startedAt == 0)
            m_startedAt = m_workbench.trace().lastSeq() + 1;
        CallId call;
        if (launch(declaration.name, declaration.kind, &call) && call.isValid())
            ready << call;
    }
    return ready;
}

QJsonObject LessonPeers::addressNames() const
{
    QJsonObject names;
    const auto tuple = [](const Endpoint& address) {
        QJsonArray t{address.host(), int(address.port())};
        if (address.family() == AddressFamily::Inet6)
            t << qint64(address.flowInfo()) << qint64(address.scopeId());
        return t;
    };
    for (const PeerDeclaration& declaration : m_declared) {
        if (m_outside.contains(declaration.name)) {
            names.insert(declaration.name, tuple(m_outside[declaration.name]));
            continue;
        }
        const services::Peer* running = peer(declaration.name);
        if (running && running->isListening())
            names.insert(declaration.name, tuple(running->address()));
    }
    return names;
}

QList<services::Peer*> LessonPeers::peers() const
{
    QList<services::Peer*> out;
    for (const auto& [name, peer] : m_peers)
        out << peer.get();
    return out;
}

services::Peer* LessonPeers::peer(const QString& name) const
{
    for (const auto& [own, running] : m_peers)
        if (own == name)
            return running.get();
    return nullptr;
}

services::Peer* LessonPeers::startExtra(const QString& kind, QString* error)
{
    if (!m_enabled) {
        if (error)
            *error = QStringLiteral("a recording replays without sockets: no peer starts until "
                                    "it runs live again");
        return nullptr;
    }
    if (!services::findPeerKind(kind)) {
        if (error)
            *error = QStringLiteral("there is no built-in peer called %1").arg(kind);
        return nullptr;
    }
    return launch(kind, kind, nullptr);
}

} // namespace sockbench::lesson
