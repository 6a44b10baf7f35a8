#pragma once
// UTF-16 (xerces' XMLCh) <-> UTF-8, done here rather than with a xerces transcoder: creating one
// takes a process-wide xerces lock, and these run for every element, attribute and text of every
// message on every thread. Pure functions: thread-safe, no xerces initialisation needed.
//
// Ill-formed input is never an error and never dropped silently: each ill-formed piece becomes
// U+FFFD REPLACEMENT CHARACTER (EF BF BD in UTF-8), so a reader can still see where it was.
//   UTF-16 -> UTF-8: every unpaired surrogate code unit (a high one not followed by a low one, a
//     low one not preceded by a high one) becomes one U+FFFD.
//   UTF-8 -> UTF-16: every maximal subpart of an ill-formed sequence becomes one U+FFFD (the
//     Unicode Standard's recommended practice, 3.9; the WHATWG decoder's too): a stray
//     continuation byte, C0, C1 and F5..FF, an overlong form, an encoded surrogate (ED A0..BF),
//     a code point above U+10FFFF, a sequence cut short (by the end or by another lead byte).
// Both directions keep U+0000 as it is (a zero-terminated consumer stops there).

#include <xercesc/util/XercesDefs.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

namespace swhub::plugins::xml {

static_assert(std::is_same_v<XMLCh, char16_t>, "xerces-c must be built with XMLCh = char16_t");

/// `text` as UTF-8, appended to `out` (no temporary string per SAX callback).
void appendUtf8(std::string& out, std::u16string_view text);

/// `text` as UTF-8.
std::string toUtf8(std::u16string_view text);

/// A string from xerces as UTF-8: `length` code units, or up to the terminating zero when it is
/// npos. nullptr is "".
std::string toUtf8(const XMLCh* text, std::size_t length = std::string::npos);

/// UTF-8 as UTF-16 for xerces; `.c_str()` is the zero-terminated XMLCh* that xerces takes.
std::u16string toXml(std::string_view text);

}  // namespace swhub::plugins::xml
