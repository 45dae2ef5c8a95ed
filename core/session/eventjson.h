#pragma once

#include "engine/event.h"

#include <QJsonObject>

#include <optional>

// Trace events as JSON objects, for session files (docs/session-format.md). Every field of
// an Event survives the round trip; bytes travel as base64, enums by their printed names.
namespace sockbench::eventjson {

QJsonObject toJson(const Event& event);
// The event, or nullopt with *why: one sentence naming the field that is wrong.
std::optional<Event> fromJson(const QJsonObject& object, QString* why);

QJsonValue endpointToJson(const Endpoint& endpoint); // null for an unset endpoint
std::optional<Endpoint> endpointFromJson(const QJsonValue& value, QString* why);

} // namespace sockbench::eventjson
