#include "bot/core/errc.hpp"

#include <string>

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

namespace outreach {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "outreach"; }

  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kOk:
        return "ok";
      case Errc::kBadSignature:
        return "bad or missing signature";
      case Errc::kMalformedPayload:
        return "malformed payload";
      case Errc::kStaleTimestamp:
        return "timestamp outside the allowed clock skew";
      case Errc::kUnknownEvent:
        return "unknown event";
      case Errc::kUnknownAccount:
        return "unknown account";
      case Errc::kTooLarge:
        return "input too large";
      case Errc::kNotFound:
        return "not found";
      case Errc::kConflict:
        return "conflict";
      case Errc::kInvalidInput:
        return "invalid input";
      case Errc::kStorageFailed:
        return "storage failed";
      case Errc::kPlatformRejected:
        return "platform rejected the request";
      case Errc::kRateLimited:
        return "rate limited";
      case Errc::kTimeout:
        return "timed out";
      case Errc::kUnavailable:
        return "unavailable";
      case Errc::kOutsideWindow:
        return "outside the platform's send window";
      case Errc::kTokenExpired:
        return "access token expired";
      case Errc::kShuttingDown:
        return "shutting down";
    }
    return "unknown outreach error " + std::to_string(ev);
  }
};

}  // namespace

const boost::system::error_category& errc_category() noexcept {
  static const Category category;
  return category;
}

void throw_exception_from_error(const Problem& problem, const boost::source_location& where) {
  boost::throw_with_location(
      boost::system::system_error(make_error_code(problem.code), problem.message), where);
}

}  // namespace outreach
