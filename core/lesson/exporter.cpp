#include "exporter.h"

#include "lessonpeers.h"
#include "runner.h"
#include "unparse.h"
#include "value.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

namespace sockbench::lesson::exporter {

namespace {

QString resourceText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString indent(const QString& text, int spaces)
{
    const QString pad(spaces, QLatin1Char(' '));
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString& line : lines)
        if (!line.isEmpty())
            line.prepend(pad);
    return lines.join(QLatin1Char('\n'));
}

// The text a step runs as, blocks flattened: a with header becomes `NAME = EXPR`.
QString statementText(const RunStep& step)
{
    const Stmt& s = *step.stmt;
    if (s.kind == Stmt::Kind::With)
        return s.target.name + QStringLiteral(" = ") + unparse(s.value);
    if (step.synthetic)
        return unparse(*step.stmt);
    return s.source;
}

// Names whose socket a statement moves to another address or state (bind, listen,
// connect, close, ...): a value derived from them may change there.
void changedSockets(const ExprPtr& e, QSet<QString>& out)
{
    if (!e)
        return;
    static const QSet<QString> changing{
        QStringLiteral("bind"),       QStringLiteral("listen"),     QStringLiteral("connect"),
        QStringLiteral("connect_ex"), QStringLiteral("close"),      QStringLiteral("shutdown"),
        QStringLiteral("sendto"),     QStringLiteral("setsockopt"), QStringLiteral("settimeout"),
        QStringLiteral("setblocking")};
    if (e->kind == Expr::Kind::Call && e->callee && e->callee->kind == Expr::Kind::Attribute &&
        e->callee->object && e->callee->object->kind == Expr::Kind::Name &&
        changing.contains(e->callee->text))
        out.insert(e->callee->object->text);
    for (const ExprPtr& child :
         {e->object, e->callee, e->left, e->right, e->operand, e->index, e->lower, e->upper})
        changedSockets(child, out);
    for (const ExprPtr& item : e->items)
        changedSockets(item, out);
    for (const Expr::Keyword& keyword : e->keywords)
        changedSockets(keyword.value, out);
}

QStringList quotedList(const QStringList& items)
{
    QStringList quoted;
    for (const QString& item : items)
        quoted << strRepr(item);
    return quoted;
}

// The lesson's built-in peers ("# peer: web = course-web") as small Python servers, started
// before the lesson; only those whose names `reads` holds (all when reads is null).
QString peersText(const Script& script, const QSet<QString>* reads = nullptr)
{
    const auto declared = peerDeclarations(script);
    const auto* peers = std::get_if<QList<PeerDeclaration>>(&declared);
    QString start;
    for (const PeerDeclaration& peer : peers ? *peers : QList<PeerDeclaration>())
        if (!reads || reads->contains(peer.name))
            start += QStringLiteral("%1 = _start_peer(%2)\n").arg(peer.name, strRepr(peer.kind));
    if (start.isEmpty())
        return {};
    return resourceText(QStringLiteral(":/export/peers_prelude.py")) + QLatin1Char('\n') + start +
           QLatin1Char('\n');
}

QString header(const Script& script, const QString& what)
{
    QString text = QStringLiteral("#!/usr/bin/env python3\n");
    if (!script.title.isEmpty())
        text += QStringLiteral("# %1\n").arg(script.title);
    text += QStringLiteral("#\n# %1\n").arg(what);
    return text;
}

} // namespace

Files asThreads(const Script& script, const QString& lessonName)
{
    const std::vector<RunStep> steps = flattenSteps(script);
    QSet<QString> globals;
    QStringList imports{QStringLiteral("import socket")};
    for (const RunStep& step : steps) {
        globals.unite(namesBound(*step.stmt));
        if (step.stmt->kind == Stmt::Kind::FromImport && !imports.contains(step.stmt->source))
            imports << step.stmt->source;
    }
    globals.remove(QStringLiteral("socket"));

    QString text = header(
        script, QStringLiteral(
                    "Exported by Socket Workbench from the lesson \"%1\". Every actor runs in a\n"
                    "# thread of its own, and the statements start in the lesson's order. Run it:\n"
                    "#   python3 %1.py          (add --json for the workbench's JSON lines)\n")
                    .arg(lessonName));
    text += QLatin1Char('\n') + imports.join(QLatin1Char('\n')) + QStringLiteral("\n\n");
    text += peersText(script);
    text += resourceText(QStringLiteral(":/export/threads_prelude.py")) + QLatin1Char('\n');

    QStringList actorTable;
    QStringList globalNames = globals.values();
    globalNames.sort();
    // One thread per actor, and one more per background statement.
    QStringList threads;
    for (const RunStep& step : steps)
        if (!threads.contains(step.thread()))
            threads << step.thread();
    auto function = [](QString thread) {
        return QStringLiteral("_actor_") +
               thread.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_]")),
                              QStringLiteral("_"));
    };
    for (const QString& actor : threads) {
        text += QStringLiteral("\ndef %1():\n").arg(function(actor));
        if (!globalNames.isEmpty())
            text += QStringLiteral("    global %1\n").arg(globalNames.join(QStringLiteral(", ")));
        bool any = false;
        for (size_t k = 0; k < steps.size(); ++k) {
            const RunStep& step = steps[k];
            if (step.thread() != actor)
                continue;
            any = true;
            const Stmt& s = *step.stmt;
            for (const QString& line : step.directives.narration)
                text += QStringLiteral("    # %1\n").arg(line);
            text += QStringLiteral("    with _step(%1):\n").arg(k);
            QString body;
            switch (s.kind) {
            case Stmt::Kind::Import:
            case Stmt::Kind::FromImport:
                body = QStringLiteral("pass  # %1 (at the top of the file)").arg(s.source);
                break;
            case Stmt::Kind::Expr:
                body = QStringLiteral("_value(%1, %2)").arg(k).arg(statementText(step));
                break;
            case Stmt::Kind::Assign:
            case Stmt::Kind::AugAssign:
            case Stmt::Kind::With:
                body = statementText(step) +
                       QStringLiteral("\n_value(%1, %2)").arg(k).arg(unparse(s.target));
                break;
            default:
                body = statementText(step);
                break;
            }
            text += indent(body, 8) + QLatin1Char('\n');
        }
        if (!any)
            text += QStringLiteral("    pass\n");
        actorTable << QStringLiteral("%1: %2").arg(strRepr(actor), function(actor));
    }

    QStringList table;
    for (size_t k = 0; k < steps.size(); ++k) {
        const RunStep& step = steps[k];
        // The latest earlier statement of another thread that assigns a name this one reads.
        QStringList needs;
        const QSet<QString> reads = namesRead(*step.stmt);
        for (size_t j = k; j-- > 0;) {
            if (steps[j].thread() != step.thread() &&
                namesBound(*steps[j].stmt).intersects(reads)) {
                needs << QString::number(j);
                break;
            }
        }
        table << QStringLiteral("    (%1, %2, %3, [%4], %5, [%6]),")
                     .arg(strRepr(step.thread()))
                     .arg(step.pos.line)
                     .arg(strRepr(step.source))
                     .arg(quotedList(step.directives.expect).join(QStringLiteral(", ")))
                     .arg(strRepr(step.actor), needs.join(QStringLiteral(", ")));
    }
    text +=
        QStringLiteral(
            "\n\n# (thread, line, statement, what '# expect:' allows, actor, the steps it needs\n"
            "# finished first) for each step, in order\n"
            "_STEPS = [\n%1\n]\n\nif __name__ == '__main__':\n    _sys.exit(_run({%2}))\n")
            .arg(table.join(QLatin1Char('\n')), actorTable.join(QStringLiteral(", ")));
    return {{lessonName + QStringLiteral(".py"), text}};
}

Files perActor(const Script& script, const QString& lessonName)
{
    const std::vector<RunStep> steps = flattenSteps(script);
    QHash<QString, QString> owner; // name -> the actor that binds it first
    for (const RunStep& step : steps) {
        // Every script imports socket itself: an import makes nobody the owner of a name.
        if (step.stmt->kind == Stmt::Kind::Import || step.stmt->kind == Stmt::Kind::FromImport)
            continue;
        for (const QString& name : namesBound(*step.stmt))
            if (!owner.contains(name))
                owner.insert(name, step.actor);
    }

    // Values an actor reads from another actor's names travel through the share
    // directory: the owner publishes right after its last statement, before the reader's,
    // that binds or moves one of those names (binding a port, say) - not later, or a
    // blocked accept() would hold the value back from the very client it waits for.
    struct Share {
        QString key;
        QString expression;
        QString owner;
        int after = -1; // publish after this step of the owner's (-1: at the start)
    };
    QList<Share> shares;
    QHash<int, QString> rewritten; // step -> its text with foreign values fetched
    QHash<int, QString> refused;   // step -> why it cannot run in a separate process
    for (size_t k = 0; k < steps.size(); ++k) {
        const RunStep& step = steps[k];
        QSet<QString> foreign;
        for (const QString& name : namesRead(*step.stmt))
            if (owner.contains(name) && owner.value(name) != step.actor)
                foreign.insert(name);
        if (foreign.isEmpty())
            continue;
        QString why;
        const auto roots = foreignRoots(step.stmt, foreign, &why);
        if (!why.isEmpty()) {
            refused.insert(int(k), why);
            continue;
        }
        QHash<QString, QString> replacement;
        for (const QString& root : roots) {
            QSet<QString> depends;
            for (const QString& name : foreign)
                if (QRegularExpression(QStringLiteral("\\b%1\\b").arg(name)).match(root).hasMatch())
                    depends.insert(name);
            const QString rootOwner = owner.value(*depends.begin());
            int after = -1;
            for (size_t j = 0; j < k; ++j) {
                if (steps[j].actor != rootOwner)
                    continue;
                QSet<QString> touched = namesBound(*steps[j].stmt);
                changedSockets(steps[j].stmt->value, touched);
                if (touched.intersects(depends))
                    after = int(j);
            }
            const QString key = QStringLiteral("value-%1-%2").arg(shares.size() + 1).arg(rootOwner);
            shares << Share{key, root, rootOwner, after};
            replacement.insert(root, QStringLiteral("_fetch(%1)").arg(strRepr(key)));
        }
        rewritten.insert(int(k), unparse(*step.stmt, replacement));
    }

    QStringList exported;
    QStringList imports{QStringLiteral("import socket")};
    for (const QString& actor : script.actors) {
        const bool onlyImports = std::all_of(steps.begin(), steps.end(), [&](const RunStep& step) {
            return step.actor != actor || step.stmt->kind == Stmt::Kind::Import ||
                   step.stmt->kind == Stmt::Kind::FromImport;
        });
        if (!onlyImports) // `import socket` opens every script anyway
            exported << actor;
    }
    for (const RunStep& step : steps)
        if (step.stmt->kind == Stmt::Kind::FromImport && !imports.contains(step.stmt->source))
            imports << step.stmt->source;
    QStringList fileNames = exported;
    for (QString& name : fileNames)
        name += QStringLiteral(".py");

    Files files;
    for (const QString& actor : exported) {
        QString text = header(
            script,
            QStringLiteral("The %1 side of the lesson, exported by Socket Workbench. Start the\n"
                           "# lesson's scripts in its order, each in a terminal of its own: %2.\n")
                .arg(actor, fileNames.join(QStringLiteral(", "))));
        text += QLatin1Char('\n') + imports.join(QLatin1Char('\n')) + QLatin1Char('\n');
        text += QStringLiteral("\n_LESSON = %1\n")
                    .arg(strRepr(QStringLiteral("sockbench-") + lessonName));
        QSet<QString> reads;
        for (const RunStep& step : steps)
            if (step.actor == actor)
                reads.unite(namesRead(*step.stmt));
        text += peersText(script, &reads);
        text += resourceText(QStringLiteral(":/export/actor_prelude.py"));
        auto publishAt = [&](int after) {
            QString out;
            for (const Share& share : shares)
                if (share.owner == actor && share.after == after)
                    out += QStringLiteral("_publish(%1, %2)\n")
                               .arg(strRepr(share.key), share.expression);
            return out;
        };
        QStringList ownKeys;
        for (const Share& share : shares)
            if (share.owner == actor)
                ownKeys << strRepr(share.key);
        if (!ownKeys.isEmpty()) // values left by an earlier run must not be read as this run's
            text += QStringLiteral("\n_forget([%1])").arg(ownKeys.join(QStringLiteral(", ")));
        text += QLatin1Char('\n') + publishAt(-1);
        for (size_t k = 0; k < steps.size(); ++k) {
            const RunStep& step = steps[k];
            if (step.actor != actor || step.stmt->kind == Stmt::Kind::Import ||
                step.stmt->kind == Stmt::Kind::FromImport)
                continue;
            text += QLatin1Char('\n');
            for (const QString& line : step.directives.narration)
                text += QStringLiteral("# %1\n").arg(line);
            QString body = rewritten.value(int(k), statementText(step));
            if (refused.contains(int(k)))
                body = QStringLiteral("raise NotImplementedError(%1)")
                           .arg(strRepr(refused.value(int(k))));
            const QStringList& expect = step.directives.expect;
            if (!expect.isEmpty()) {
                const bool okToo = expect.contains(QStringLiteral("ok"), Qt::CaseInsensitive);
                text += QStringLiteral("# expect: %1\ntry:\n%2\n%3except Exception as error:\n"
                                       "    if _error_name(error) not in [%4]:\n"
                                       "        raise\n"
                                       "    print('line %5: raised %s: %s, as expected' % "
                                       "(type(error).__name__, error))\n")
                            .arg(expect.join(QStringLiteral(" or ")), indent(body, 4),
                                 okToo ? QString()
                                       : QStringLiteral("    raise AssertionError('line %1: "
                                                        "expected %2, but it succeeded')\n")
                                             .arg(step.pos.line)
                                             .arg(expect.join(QStringLiteral(" or "))),
                                 quotedList(expect).join(QStringLiteral(", ")))
                            .arg(step.pos.line);
            } else {
                text += body + QLatin1Char('\n');
            }
            text += publishAt(int(k));
        }
        files << std::make_pair(actor + QStringLiteral(".py"), text);
    }
    return files;
}

} // namespace sockbench::lesson::exporter
