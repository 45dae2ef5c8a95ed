#pragma once

#include "call.h"
#include "errnocatalog.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace sockbench::errnoexplainer {

// Teaching text for an error a call can end with: kept in resources/errno/, in the
// workbench's own words.
struct Explanation {
    QString name;    // "EADDRINUSE", "EAI_NONAME", "HOST_NOT_FOUND", "timeout"
    QString meaning; // what the kernel (or resolver) is saying, one or two sentences
    QString causes;  // what usually causes it in a student's program
    QString tryThis; // what to try
};

// The explanation for an error number, nullopt when there is none.
std::optional<Explanation> explain(ErrorDomain domain, int number);
// For a call's result: errors, and also timeout, interrupted and invalid arguments.
// nullopt for a result that is not a failure.
std::optional<Explanation> explain(const CallResult& result);

} // namespace sockbench::errnoexplainer
