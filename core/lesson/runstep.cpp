// The lesson's statements as the runner issues them (blocks flattened, a with block's
// close made a step of its own), and the names of the ways a step can end.

#include "runner.h"

namespace sockbench::lesson {

QString outcomeKindName(StepOutcome::Kind kind)
{
    switch (kind) {
    case StepOutcome::Kind::Ok:
        return QStringLiteral("ok");
    case StepOutcome::Kind::ExpectedError:
        return QStringLiteral("expected-error");
    case StepOutcome::Kind::Failed:
        return QStringLiteral("failed");
    case StepOutcome::Kind::Interrupted:
        return QStringLiteral("interrupted");
    case StepOutcome::Kind::Skipped:
        return QStringLiteral("skipped");
    case StepOutcome::Kind::Raised:
        return QStringLiteral("raised");
    }
    return {};
}

namespace {

// `with EXPR as NAME:` ends with NAME.close(); the runner makes that call a step of its own.
StmtPtr closeCall(const Stmt& with)
{
    auto name = std::make_shared<Expr>();
    name->kind = Expr::Kind::Name;
    name->text = with.target.name;
    name->pos = with.pos;
    auto attribute = std::make_shared<Expr>();
    attribute->kind = Expr::Kind::Attribute;
    attribute->object = name;
    attribute->text = QStringLiteral("close");
    attribute->pos = with.pos;
    auto call = std::make_shared<Expr>();
    call->kind = Expr::Kind::Call;
    call->callee = attribute;
    call->pos = with.pos;
    auto stmt = std::make_shared<Stmt>();
    stmt->kind = Stmt::Kind::Expr;
    stmt->value = call;
    stmt->pos = with.pos;
    stmt->endLine = with.pos.line;
    stmt->source = with.target.name + QStringLiteral(".close()");
    return stmt;
}

void flatten(std::vector<RunStep>& out, const QString& actor, const Directives& directives,
             const StmtPtr& stmt, int depth = 0)
{
    // A background statement gets a thread of its own, named after its actor.
    const QString lane =
        directives.background ? QStringLiteral("%1~%2").arg(actor).arg(out.size()) : QString();
    out.push_back(RunStep{actor, stmt->pos, stmt->endLine, stmt->source, directives, stmt, false,
                          depth, false, lane, false});
    if (stmt->kind != Stmt::Kind::With)
        return;
    for (const StmtPtr& inner : stmt->body)
        flatten(out, actor, {}, inner, depth + 1);
    RunStep end{actor, stmt->pos, stmt->pos.line, {}, {},   closeCall(*stmt),
                true,  depth + 1, false,          {}, false};
    end.source = end.stmt->source + QStringLiteral("  # end of the with block");
    out.push_back(end);
}

} // namespace

std::vector<RunStep> flattenSteps(const Script& script)
{
    std::vector<RunStep> steps;
    for (const Step& step : script.steps)
        flatten(steps, step.actor, step.directives, step.stmt);
    return steps;
}

} // namespace sockbench::lesson
