#pragma once
// Small pieces every SAX handler of an XML plugin needs.

#include <string>
#include <string_view>

namespace swhub::plugins::xml {

/// Thrown by a handler to stop a parse that must not go on (DOCTYPE, too deep, too many
/// errors); the code that started the parse catches it. Not an error itself: the handler has
/// recorded why it stopped.
struct StopParsing {};

/// `text` without leading and trailing XML white space (space, tab, CR, LF).
std::string trim(std::string_view text);

/// xerces' text of a validation error for a partner to read: "datatype error: Type:...,
/// Message:Value 'x' ..." -> "Value 'x' ...", trimmed; other texts only trimmed.
std::string validationMessage(std::string_view xercesMessage);

}  // namespace swhub::plugins::xml
