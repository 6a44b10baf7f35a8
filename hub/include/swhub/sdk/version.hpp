#pragma once
/// @file version.hpp
/// The SDK ABI version and the toolchain identity that a plugin is built with.
///
/// A plugin library records both in its descriptor; the hub refuses a library whose ABI major
/// version or toolchain identity differs from its own. C++ types (std::string, std::vector,
/// std::unique_ptr) cross the boundary, so the standard library and its ABI must match exactly.
///
/// Changing any header in this folder requires bumping kAbiMinor (compatible additions that do
/// not change an existing layout) or kAbiMajor (anything else) and updating abi.lock beside
/// these headers; tests/unit/sdk/abi_guard_test.cpp fails otherwise.

#include <cstdint>

#define SWHUB_SDK_STR2(x) #x
#define SWHUB_SDK_STR(x) SWHUB_SDK_STR2(x)

#if defined(__clang__)
#define SWHUB_SDK_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define SWHUB_SDK_COMPILER "gcc " __VERSION__
#else
#define SWHUB_SDK_COMPILER "unknown-compiler"
#endif

#if defined(__GLIBCXX__)
#define SWHUB_SDK_STDLIB \
  "libstdc++ " SWHUB_SDK_STR(__GLIBCXX__) " cxx11abi=" SWHUB_SDK_STR(_GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define SWHUB_SDK_STDLIB "libc++ " SWHUB_SDK_STR(_LIBCPP_VERSION)
#else
#define SWHUB_SDK_STDLIB "unknown-stdlib"
#endif

namespace swhub::sdk {

/// Incompatible change: the hub refuses a library whose major differs.
inline constexpr std::uint32_t kAbiMajor = 3;
/// Compatible addition: a hub accepts a library of the same major and any minor not above its own.
inline constexpr std::uint32_t kAbiMinor = 3;

/// Compiler and standard library identity, compared byte for byte at load.
inline constexpr const char* kToolchain = SWHUB_SDK_COMPILER " / " SWHUB_SDK_STDLIB;

}  // namespace swhub::sdk
