#include "signatures.h"

namespace sockbench::lesson::signatures {

namespace {

enum class Style {
    One,      // METH_O: "socket.bind() takes exactly one argument (0 given)"
    NoArgs,   // METH_NOARGS: "socket.fileno() takes no arguments (1 given)"
    Varargs,  // PyArg_ParseTuple: "recv() takes at least 1 argument (0 given)"
    SelfOnly, // def accept(self): "socket.accept() takes 1 positional argument but 2 were given"
    Keywords, // PyArg_ParseTupleAndKeywords: left to PyArgs::bind()
};

struct Signature {
    const char* name;
    Style style;
    int least = 0;
    int most = 0;
    const char* owner = "socket"; // what the messages that name one put before the name
};

constexpr Signature kMethods[] = {
    {"bind", Style::One},
    {"connect", Style::One},
    {"connect_ex", Style::One},
    {"settimeout", Style::One},
    {"setblocking", Style::One},
    {"shutdown", Style::One},
    {"listen", Style::Varargs, 0, 1},
    {"recv", Style::Varargs, 1, 2},
    {"recvfrom", Style::Varargs, 1, 2},
    {"send", Style::Varargs, 1, 2},
    {"sendall", Style::Varargs, 1, 2},
    {"setsockopt", Style::Varargs, 3, 3},
    {"getsockopt", Style::Varargs, 2, 3},
    {"sendto", Style::Varargs, 2, 3}, // its count message is its own; see pysocket.cpp
    {"getsockname", Style::NoArgs},
    {"getpeername", Style::NoArgs},
    {"gettimeout", Style::NoArgs},
    {"getblocking", Style::NoArgs},
    {"fileno", Style::NoArgs},
    {"accept", Style::SelfOnly},
    {"close", Style::SelfOnly},
    {"recv_into", Style::Keywords},
    {"recvfrom_into", Style::Keywords},
};

constexpr Signature kFunctions[] = {
    {"gethostname", Style::NoArgs, 0, 0, "_socket"},
    {"getdefaulttimeout", Style::NoArgs, 0, 0, "_socket"},
    {"gethostbyname", Style::Varargs, 1, 1},
    {"gethostbyaddr", Style::Varargs, 1, 1},
    {"inet_aton", Style::Varargs, 1, 1},
    {"inet_ntoa", Style::Varargs, 1, 1},
    {"htons", Style::Varargs, 1, 1},
    {"ntohs", Style::Varargs, 1, 1},
    {"htonl", Style::Varargs, 1, 1},
    {"ntohl", Style::Varargs, 1, 1},
    {"inet_pton", Style::Varargs, 2, 2},
    {"inet_ntop", Style::Varargs, 2, 2},
};

QString plural(int n)
{
    return n == 1 ? QString() : QStringLiteral("s");
}

[[noreturn]] void fail(const QString& message, const PyArgs& args)
{
    throw typeError(message, args.pos);
}

void check(const Signature& s, bool method, const PyArgs& args)
{
    const QString name = QString::fromLatin1(s.name);
    const QString qualified = QString::fromLatin1(s.owner) + QLatin1Char('.') + name;
    const auto given = static_cast<int>(args.positional.size());
    switch (s.style) {
    case Style::Keywords:
        return;
    case Style::SelfOnly:
        if (!args.keywords.isEmpty())
            fail(QStringLiteral("%1() got an unexpected keyword argument '%2'")
                     .arg(qualified, args.keywords.first().first),
                 args);
        if (given > 0)
            fail(QStringLiteral("%1() takes 1 positional argument but %2 were given")
                     .arg(qualified)
                     .arg(given + 1),
                 args);
        return;
    default:
        break;
    }
    // Built-in functions refuse keywords before they count.
    if (!args.keywords.isEmpty())
        fail(QStringLiteral("%1() takes no keyword arguments").arg(method ? qualified : name),
             args);
    switch (s.style) {
    case Style::One:
        if (given != 1)
            fail(QStringLiteral("%1() takes exactly one argument (%2 given)")
                     .arg(qualified)
                     .arg(given),
                 args);
        return;
    case Style::NoArgs:
        if (given != 0)
            fail(QStringLiteral("%1() takes no arguments (%2 given)").arg(qualified).arg(given),
                 args);
        return;
    case Style::Varargs:
        if (given >= s.least && given <= s.most)
            return;
        if (name == QLatin1String("sendto")) // sendto(data[, flags], address)
            fail(QStringLiteral("sendto() takes 2 or 3 arguments (%1 given)").arg(given), args);
        if (s.least == s.most)
            fail(QStringLiteral("%1() takes exactly %2 argument%3 (%4 given)")
                     .arg(name)
                     .arg(s.least)
                     .arg(plural(s.least))
                     .arg(given),
                 args);
        fail(QStringLiteral("%1() takes at %2 %3 argument%4 (%5 given)")
                 .arg(name, given < s.least ? QStringLiteral("least") : QStringLiteral("most"))
                 .arg(given < s.least ? s.least : s.most)
                 .arg(plural(given < s.least ? s.least : s.most))
                 .arg(given),
             args);
    default:
        return;
    }
}

// A function written in Python (socket.py), as def NAME(p1, p2, p3=..., ...).
void checkPython(const QString& name, const QStringList& parameters, int required,
                 const PyArgs& args)
{
    const auto given = static_cast<int>(args.positional.size());
    if (given > parameters.size())
        fail(QStringLiteral("%1() takes from %2 to %3 positional arguments but %4 were given")
                 .arg(name)
                 .arg(required)
                 .arg(parameters.size())
                 .arg(given),
             args);
    QStringList bound = parameters.mid(0, given);
    for (const auto& [keyword, value] : args.keywords) {
        if (!parameters.contains(keyword))
            fail(QStringLiteral("%1() got an unexpected keyword argument '%2'").arg(name, keyword),
                 args);
        if (bound.contains(keyword))
            fail(QStringLiteral("%1() got multiple values for argument '%2'").arg(name, keyword),
                 args);
        bound << keyword;
    }
    QStringList missing;
    for (int i = 0; i < required; ++i)
        if (!bound.contains(parameters[i]))
            missing << QLatin1Char('\'') + parameters[i] + QLatin1Char('\'');
    if (missing.isEmpty())
        return;
    const QString list = missing.size() == 1
                             ? missing.first()
                             : missing.mid(0, missing.size() - 1).join(QStringLiteral(", ")) +
                                   QStringLiteral(" and ") + missing.last();
    fail(QStringLiteral("%1() missing %2 required positional argument%3: %4")
             .arg(name)
             .arg(missing.size())
             .arg(plural(int(missing.size())), list),
         args);
}

} // namespace

void checkMethod(const QString& method, const PyArgs& args)
{
    for (const Signature& s : kMethods)
        if (method == QLatin1String(s.name))
            return check(s, true, args);
}

void checkFunction(const QString& function, const PyArgs& args)
{
    if (function == QLatin1String("socket"))
        return checkPython(QStringLiteral("socket.__init__"),
                           {QStringLiteral("self"), QStringLiteral("family"),
                            QStringLiteral("type"), QStringLiteral("proto"),
                            QStringLiteral("fileno")},
                           1, [&] {
                               PyArgs withSelf = args; // Python counts self among them
                               withSelf.positional.prepend(Value::none());
                               return withSelf;
                           }());
    if (function == QLatin1String("getaddrinfo"))
        return checkPython(function,
                           {QStringLiteral("host"), QStringLiteral("port"),
                            QStringLiteral("family"), QStringLiteral("type"),
                            QStringLiteral("proto"), QStringLiteral("flags")},
                           2, args);
    for (const Signature& s : kFunctions)
        if (function == QLatin1String(s.name))
            return check(s, false, args);
}

} // namespace sockbench::lesson::signatures
