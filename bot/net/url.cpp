#include "bot/net/url.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/param.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace outreach::net {
namespace urls = boost::urls;  // <boost/url.hpp>

Result<QueryParams> parse_query(std::string_view query, std::size_t max_names) {
  // Boost.URL 1.81's parse_query checks `query` as given but then builds its view from the
  // pointer alone, so the parameters are read up to the next NUL: past the end of a query that
  // is part of a request target. It gets a NUL-terminated copy; a raw NUL inside never passes
  // the grammar, so the copy's length is what is read.
  const std::string terminated(query);
  const auto encoded = urls::parse_query(terminated);
  if (!encoded)
    return Errc::kMalformedPayload;
  urls::encoding_opts form;
  form.space_as_plus = true;
  QueryParams out;
  for (const urls::param_pct_view p : *encoded) {
    std::string name = p.key.decode(form);
    if (name.empty() || (out.size() >= max_names && !out.contains(name)))
      continue;
    out.insert_or_assign(std::move(name), p.value.decode(form));
  }
  return out;
}

std::string url_encode(std::string_view text) {
  return urls::encode(text, urls::unreserved_chars);
}

}  // namespace outreach::net
