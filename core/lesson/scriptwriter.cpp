#include "scriptwriter.h"

namespace sockbench::lesson {

WrittenScript writeScript(const Script& header, const std::vector<RunStep>& steps)
{
    QStringList lines;
    if (!header.title.isEmpty())
        lines << QStringLiteral("# title: ") + header.title;
    if (!header.summary.isEmpty()) {
        // Wrap the summary the way the shipped lessons are written: about 88 columns.
        QString line = QStringLiteral("#");
        for (const QString& word : header.summary.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (line.size() + word.size() + 1 > 88) {
                lines << line;
                line = QStringLiteral("#");
            }
            line += QLatin1Char(' ') + word;
        }
        if (line != QLatin1String("#"))
            lines << line;
    }
    if (!header.level.isEmpty())
        lines << QStringLiteral("# level: ") + header.level;
    if (!header.topics.isEmpty())
        lines << QStringLiteral("# topics: ") + header.topics.join(QStringLiteral(", "));
    for (const auto& [key, value] : header.extra)
        lines << QStringLiteral("# %1: %2").arg(key, value);

    if (!lines.isEmpty())
        lines << QString(); // the header is its own comment block
    WrittenScript out;
    out.stepLine.assign(steps.size(), 0);
    QString actor;
    bool first = true;
    for (size_t k = 0; k < steps.size(); ++k) {
        const RunStep& step = steps[k];
        if (step.synthetic)
            continue; // the close() that ends a with block is the block's own end
        const QString indent(4 * step.depth, QLatin1Char(' '));
        if (step.actor != actor && step.depth == 0) {
            if (!(first && step.actor == QLatin1String("main"))) {
                if (!first)
                    lines << QString();
                lines << QStringLiteral("# --- %1 ---").arg(step.actor);
            }
            actor = step.actor;
        }
        first = false;
        for (const QString& narration : step.directives.narration)
            lines << indent + (narration.isEmpty() ? QStringLiteral("#")
                                                   : QStringLiteral("# ") + narration);
        if (!step.directives.expect.isEmpty())
            lines << indent + QStringLiteral("# expect: ") +
                         step.directives.expect.join(QStringLiteral(" or "));
        if (step.directives.pause)
            lines << indent + QStringLiteral("# pause");
        // A click that blocked (accept() waiting for the next click) ran beside its host's
        // later statements; written as background, it runs that way again.
        if (step.directives.background || (step.inserted && step.blocked))
            lines << indent + QStringLiteral("# background");
        out.stepLine[k] = static_cast<int>(lines.size()) + 1;
        const QStringList sourceLines = step.source.split(QLatin1Char('\n'));
        for (qsizetype i = 0; i < sourceLines.size(); ++i)
            lines << (i == 0 ? indent : QString()) + sourceLines[i];
    }
    out.text = lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return out;
}

} // namespace sockbench::lesson
