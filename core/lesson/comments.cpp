#include "lesson/comments.h"

#include "lesson/lessonpeers.h"
#include "lesson/refusals.h"

#include <QRegularExpression>

namespace sockbench::lesson {

namespace {

QString narrationText(const QString& comment)
{
    QString text = comment.mid(1);
    if (text.startsWith(u' '))
        text.remove(0, 1);
    qsizetype end = text.size();
    while (end > 0 && text.at(end - 1).isSpace())
        --end;
    text.truncate(end);
    return text;
}

QStringList expectAlternatives(const QString& list, SourcePos pos)
{
    const QString trimmed = list.trimmed();
    if (trimmed.isEmpty())
        refuse(pos, QStringLiteral("`# expect:` needs at least one outcome, as in "
                                   "`# expect: ECONNREFUSED`"));
    static const QRegularExpression separator(QStringLiteral(R"((?:^|\s+)or(?:\s+|$)|,)"));
    static const QRegularExpression errnoName(QStringLiteral(R"(^[A-Z][A-Z0-9_]*$)"));
    // Errors Python raises before the kernel sees anything: OverflowError, TypeError, ...
    static const QRegularExpression exceptionName(
        QStringLiteral(R"(^[A-Z][A-Za-z]*(Error|Exception)$)"));
    QStringList alternatives;
    for (const QString& part : trimmed.split(separator)) {
        const QString alternative = part.trimmed();
        if (alternative.isEmpty())
            refuse(pos, QStringLiteral("`# expect:` has an empty alternative: separate the "
                                       "outcomes with `or`, as in `# expect: EACCES or ok`"));
        const bool word =
            alternative == u"timeout" || alternative == u"ok" || alternative == u"interrupted";
        if (!word && !errnoName.match(alternative).hasMatch() &&
            !exceptionName.match(alternative).hasMatch())
            refuse(pos, QStringLiteral("`# expect:` takes errno names such as ECONNREFUSED, Python "
                                       "exception names such as TypeError, or "
                                       "timeout, ok, interrupted; `%1` is none of these")
                            .arg(alternative));
        alternatives << alternative;
    }
    return alternatives;
}

QString directiveName(const CommentLine& line)
{
    if (line.kind == CommentLine::Kind::Background)
        return QStringLiteral("`# background`");
    return line.kind == CommentLine::Kind::Pause ? QStringLiteral("`# pause`")
                                                 : QStringLiteral("`# expect:`");
}

} // namespace

CommentLine classifyComment(const QString& comment, SourcePos pos)
{
    static const QRegularExpression expect(QStringLiteral(R"(^#\s*expect\s*:(.*)$)"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression pause(QStringLiteral(R"(^#\s*pause\s*$)"),
                                          QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression background(QStringLiteral(R"(^#\s*background\s*$)"),
                                               QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression marker(QStringLiteral(R"(^#\s*-{3,}\s*(.*?)\s*-{3,}\s*$)"));
    static const QRegularExpression markerStart(QStringLiteral(R"(^#\s*-{3,}\s*[A-Za-z_])"));
    static const QRegularExpression identifier(QStringLiteral(R"(^[A-Za-z_][A-Za-z0-9_]*$)"));

    CommentLine line;
    line.pos = pos;
    if (const auto match = expect.match(comment); match.hasMatch()) {
        line.kind = CommentLine::Kind::Expect;
        line.alternatives = expectAlternatives(match.captured(1), pos);
        return line;
    }
    if (pause.match(comment).hasMatch()) {
        line.kind = CommentLine::Kind::Pause;
        return line;
    }
    if (background.match(comment).hasMatch()) {
        line.kind = CommentLine::Kind::Background;
        return line;
    }
    if (const auto match = marker.match(comment); match.hasMatch()) {
        const QString name = match.captured(1);
        // A line of dashes alone is a ruler, not a marker.
        if (!name.isEmpty() && !QString(name).remove(u'-').trimmed().isEmpty()) {
            if (!identifier.match(name).hasMatch())
                refuse(pos, QStringLiteral("an actor's name is one word of letters, digits and "
                                           "underscores, like server or client_2; `%1` is not")
                                .arg(name));
            line.kind = CommentLine::Kind::Section;
            line.text = name;
            return line;
        }
    } else if (markerStart.match(comment).hasMatch()) {
        refuse(pos, QStringLiteral("a section marker is written `# --- name ---`, with three "
                                   "dashes on each side"));
    }
    line.text = narrationText(comment);
    return line;
}

void CommentTracker::comment(const Token& token)
{
    const CommentLine line = classifyComment(token.text, token.pos);
    if (m_phase == Phase::BeforeHeader) {
        static const QRegularExpression coding(QStringLiteral(R"(^#.*?coding[:=]\s*[-\w.]+)"));
        if (token.pos.line == 1 && token.text.startsWith(QStringLiteral("#!")))
            return;
        if (token.pos.line <= 2 && coding.match(token.text).hasMatch())
            return;
        m_phase = Phase::Header;
    }
    if (m_phase == Phase::Header) {
        headerLine(line);
        return;
    }
    if (line.kind == CommentLine::Kind::Section) {
        section(line);
        return;
    }
    m_block.push_back(line);
}

void CommentTracker::headerLine(const CommentLine& line)
{
    if (line.kind == CommentLine::Kind::Section) {
        m_phase = Phase::Body;
        section(line);
        return;
    }
    if (line.kind != CommentLine::Kind::Text) {
        m_phase = Phase::Body;
        m_block.push_back(line);
        return;
    }
    static const QRegularExpression field(
        QStringLiteral(R"(^\s*([a-z][a-z0-9_-]*):(?:\s+(.*))?$)"));
    if (const auto match = field.match(line.text); match.hasMatch()) {
        const QString key = match.captured(1);
        const QString value = match.captured(2).trimmed();
        const bool single = key == u"title" || key == u"level" || key == u"topics";
        if (single && m_headerKeys.contains(key))
            refuse(line.pos, QStringLiteral("the header gives the %1 twice").arg(key));
        m_headerKeys << key;
        if (key == u"title") {
            m_script.title = value;
        } else if (key == u"level") {
            m_script.level = value;
        } else if (key == u"topics") {
            for (const QString& topic : value.split(u',')) {
                if (!topic.trimmed().isEmpty())
                    m_script.topics << topic.trimmed();
            }
        } else {
            m_script.extra.append({key, value});
            // A peer the lesson cannot start is refused here, where the line is.
            if (key == u"peer")
                if (const auto declared = peerDeclarations(m_script);
                    const auto* why = std::get_if<QString>(&declared))
                    refuse(line.pos, *why);
        }
        return;
    }
    if (line.text.trimmed().isEmpty()) {
        m_summaryEnded = !m_summary.isEmpty();
        return;
    }
    if (!m_summaryEnded) {
        m_summary << line.text.trimmed();
        m_script.summary = m_summary.join(u' ');
        return;
    }
    m_phase = Phase::Body;
    m_block.push_back(line);
}

void CommentTracker::blankLine()
{
    if (m_phase == Phase::BeforeHeader)
        return;
    if (m_phase == Phase::Header) {
        m_phase = Phase::Body;
        return;
    }
    dropBlock(QStringLiteral("a blank line separates them"));
}

void CommentTracker::section(const CommentLine& line)
{
    dropBlock(QStringLiteral("a section marker comes first"));
    m_actor = line.text;
    m_phase = Phase::Body;
}

void CommentTracker::dropBlock(const QString& why)
{
    for (const CommentLine& line : m_block) {
        if (line.kind != CommentLine::Kind::Text)
            refuse(line.pos, QStringLiteral("%1 must sit directly above a statement, but %2")
                                 .arg(directiveName(line), why));
    }
    m_block.clear();
}

void CommentTracker::statement(StmtPtr stmt)
{
    Step step;
    step.actor = m_actor;
    step.stmt = std::move(stmt);
    for (const CommentLine& line : m_block) {
        switch (line.kind) {
        case CommentLine::Kind::Text:
            step.directives.narration << line.text;
            break;
        case CommentLine::Kind::Expect:
            if (!step.directives.expect.isEmpty())
                refuse(line.pos, QStringLiteral("a statement takes one `# expect:` line: list "
                                                "the outcomes on it, separated by `or`"));
            step.directives.expect = line.alternatives;
            break;
        case CommentLine::Kind::Pause:
            step.directives.pause = true;
            break;
        case CommentLine::Kind::Background:
            step.directives.background = true;
            break;
        case CommentLine::Kind::Section:
            break; // never in a block: section() ends the block instead
        }
    }
    QStringList& narration = step.directives.narration;
    while (!narration.isEmpty() && narration.front().trimmed().isEmpty())
        narration.removeFirst();
    while (!narration.isEmpty() && narration.back().trimmed().isEmpty())
        narration.removeLast();

    if (!m_script.actors.contains(m_actor))
        m_script.actors << m_actor;
    m_script.steps.push_back(std::move(step));
    m_block.clear();
    m_phase = Phase::Body;
}

void CommentTracker::bodyComment(const Token& token)
{
    const CommentLine line = classifyComment(token.text, token.pos);
    if (line.kind == CommentLine::Kind::Section)
        refuse(line.pos, QStringLiteral("a section marker can not sit inside a `with` body: "
                                        "end the body first"));
    if (line.kind != CommentLine::Kind::Text)
        refuse(line.pos, QStringLiteral("%1 inside a `with` body has no step of its own: put it "
                                        "above the `with`")
                             .arg(directiveName(line)));
}

void CommentTracker::finish()
{
    dropBlock(QStringLiteral("the file ends after it"));
}

} // namespace sockbench::lesson
