#pragma once

#include "ast.h"
#include "engine/event.h"
#include "pysocket.h"
#include "value.h"

#include <QHash>

#include <functional>
#include <vector>

namespace sockbench::lesson {

// The variables of a lesson. One namespace for all actors: they are threads of one
// program, and Python threads share their globals.
using Namespace = QHash<QString, Value>;

// Runs one statement. The runner owns the socket calls: a statement that reaches one
// hands it over and waits. Evaluation is deterministic, so the statement is simply run
// again from the top when the call's result arrives; every call made so far (socket
// calls, print(), bytearray(), ...) is replayed from the memo instead of being repeated,
// so each call happens exactly once and in order.
class StatementRun {
public:
    enum class Status { Done, Raised, Waiting };

    // submit: hands a prepared call to the workbench and returns its id.
    using Submit = std::function<CallId(const PreparedCall&)>;
    using Print = std::function<void(const QString&)>;

    StatementRun(StmtPtr stmt, Namespace& names, Submit submit, Print print);

    // One evaluation pass. Waiting: a call is out; deliver its result, then pass again.
    Status pass();
    // The result of a call this statement made; false if the call is not one of ours.
    bool deliver(const Event& event);

    Status status() const { return m_status; }
    const Value& value() const { return m_value; }         // Done: the statement's value
    const PyError& error() const { return m_error; }       // Raised
    CallId waitingOn() const { return m_waitingOn; }       // Waiting
    const QList<CallId>& calls() const { return m_calls; } // every socket call it made
    const StmtPtr& statement() const { return m_stmt; }

private:
    struct Memo {
        enum class State { Pending, Done, Raised };
        State state = State::Pending;
        Value value;
        PyError error;
        CallId call;
        std::function<Value(const Event&)> toValue;
        SourcePos pos;
    };
    struct Suspend {};

    Value evaluate(const ExprPtr& expr);
    Value evaluateCall(const Expr& call);
    Value callValue(const Value& callee, const PyArgs& args);
    Value attribute(const Value& object, const QString& name, SourcePos pos);
    Value binary(const QString& op, const Value& a, const Value& b, SourcePos pos);
    Value subscript(const Value& object, const Value& index, SourcePos pos);
    Value slice(const Value& object, const Expr& expr);
    bool compare(const QString& op, const Value& a, const Value& b, SourcePos pos);
    void assign(const Target& target, const Value& value);
    Value execute();

    StmtPtr m_stmt;
    Namespace& m_names;
    Submit m_submit;
    Print m_print;
    std::vector<Memo> m_memo;
    size_t m_nextMemo = 0;
    Status m_status = Status::Waiting;
    Value m_value;
    PyError m_error;
    CallId m_waitingOn;
    QList<CallId> m_calls;
};

} // namespace sockbench::lesson
