#include "errnoexplainer.h"

namespace sockbench::errnoexplainer {

// Placeholder until the explanations land (resources/errno/).
std::optional<Explanation> explain(ErrorDomain, int)
{
    return std::nullopt;
}

std::optional<Explanation> explain(const CallResult&)
{
    return std::nullopt;
}

} // namespace sockbench::errnoexplainer
