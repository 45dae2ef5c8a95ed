#include "errnoexplainer.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace sockbench::errnoexplainer {

namespace {

// resources/errno/explanations.json, compiled into the core: one object keyed by the
// name errnocatalog gives ("EADDRINUSE", "EAI_NONAME", "HOST_NOT_FOUND") or by the outcome
// name of CallResult::errorName() ("timeout", "interrupted", "invalid"); each value holds
// "meaning", "causes" and "try". The test reads the same file and checks every entry.
QHash<QString, Explanation> load()
{
    QHash<QString, Explanation> table;
    QFile file(QStringLiteral(":/errno/explanations.json"));
    if (!file.open(QIODevice::ReadOnly))
        return table;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        Explanation e{it.key(), entry.value(QLatin1String("meaning")).toString(),
                      entry.value(QLatin1String("causes")).toString(),
                      entry.value(QLatin1String("try")).toString()};
        // A half-written entry would show an empty line on screen: leave it out, so the
        // card falls back to the C library's text (the test names the broken entry).
        if (e.meaning.isEmpty() || e.causes.isEmpty() || e.tryThis.isEmpty())
            continue;
        table.insert(e.name, e);
    }
    return table;
}

const QHash<QString, Explanation>& table()
{
    // Loaded once, on first use, from whichever thread asks first (a C++ static is
    // initialised thread-safely); read-only afterwards.
    static const QHash<QString, Explanation> loaded = load();
    return loaded;
}

std::optional<Explanation> byName(const QString& name)
{
    const auto it = table().constFind(name);
    if (it == table().constEnd())
        return std::nullopt;
    return *it;
}

} // namespace

std::optional<Explanation> explain(ErrorDomain domain, int number)
{
    return byName(errnocatalog::name(domain, number));
}

std::optional<Explanation> explain(const CallResult& result)
{
    switch (result.outcome) {
    case Outcome::Ok:
        return std::nullopt;
    case Outcome::Error:
        return explain(result.errorDomain, result.errorNumber);
    case Outcome::Timeout:
    case Outcome::Interrupted:
    case Outcome::Invalid:
        return byName(outcomeName(result.outcome));
    }
    return std::nullopt;
}

} // namespace sockbench::errnoexplainer
