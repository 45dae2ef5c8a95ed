#pragma once

#include "engine/event.h"

#include <QJsonObject>

#include <optional>

// Trace events as JSON objects, for session files (docs/session-format.md). Every field of
// an Event survives the round trip; bytes travel as base64, enums by their printed names.
namespace sockbench::eventjson {

// The format's limits (docs/session-format.md, "Limits"). A reader refuses a file that
// passes one, so that opening a file costs what the window could have recorded, no more.
namespace limits {
inline constexpr qsizetype kMaxName = 200;                // an actor's or a socket's name
inline constexpr qsizetype kMaxText = 4096;               // any other text of an event
inline constexpr qsizetype kMaxListItems = 1024;          // aliases, addresses, getaddrinfo rows
inline constexpr qsizetype kMaxScript = 4 << 20;          // the script, in characters
inline constexpr qsizetype kMaxStatementText = 64 * 1024; // a statement's source or value
inline constexpr qsizetype kMaxPrograms = 64;             // programs side by side
} // namespace limits

QJsonObject toJson(const Event& event);
// The event, or nullopt with *why: one sentence naming the field that is wrong.
std::optional<Event> fromJson(const QJsonObject& object, QString* why);

QJsonValue endpointToJson(const Endpoint& endpoint); // null for an unset endpoint
std::optional<Endpoint> endpointFromJson(const QJsonValue& value, QString* why);

} // namespace sockbench::eventjson
