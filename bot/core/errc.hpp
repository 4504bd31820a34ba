#pragma once
// Errc: the project's error codes, registered as a boost::system error category so they travel
// in boost::system::result<T> (our std::expected stand-in on g++ 12) next to Asio's codes.
// Thread-safety: stateless; safe from any thread.

#include <string>
#include <type_traits>

#include <boost/assert/source_location.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace outreach {

enum class Errc {
  kOk = 0,
  kBadSignature,
  kMalformedPayload,
  kStaleTimestamp,
  kUnknownEvent,
  kUnknownAccount,
  kTooLarge,
  kNotFound,
  kConflict,
  kInvalidInput,
  kStorageFailed,
  kPlatformRejected,
  kRateLimited,
  kTimeout,
  kUnavailable,
  kOutsideWindow,
  kTokenExpired,
  kShuttingDown,
};

const boost::system::error_category& errc_category() noexcept;

inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), errc_category()};
}

// An Errc with the words a person needs (staff at the command line or the admin API): the code
// says what kind of refusal it is, the message what exactly was wrong.
struct Problem {
  Errc code = Errc::kInvalidInput;
  std::string message;
};

// What Result<T, Problem>::value() throws on an error: a boost::system::system_error with the
// code and the message.
[[noreturn]] void throw_exception_from_error(const Problem& problem,
                                             const boost::source_location& where);

// A value or the reason there is none: an error_code, or a Problem where a message is needed.
template <class T, class E = boost::system::error_code>
using Result = boost::system::result<T, E>;

}  // namespace outreach

template <>
struct boost::system::is_error_code_enum<outreach::Errc> : std::true_type {};
