#pragma once
// Errc: the project's error codes, registered as a boost::system error category so they travel
// in boost::system::result<T> (our std::expected stand-in on g++ 12) next to Asio's codes.
// Thread-safety: stateless; safe from any thread.

#include <type_traits>

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

template <class T>
using Result = boost::system::result<T, boost::system::error_code>;

}  // namespace outreach

template <>
struct boost::system::is_error_code_enum<outreach::Errc> : std::true_type {};
