#pragma once
// Events over HTTP (issue 20):
//   GET  /t/<code>        the ticket page: the event, the name, the QR code (SVG), an .ics link
//   GET  /t/<code>.png    the QR code as PNG (the chat's image message)
//   GET  /t/<code>.ics    the event for a calendar
// and, behind the admin API's bearer token:
//   GET  /admin/events                         events with their counts
//   GET  /admin/events/ID                      the event's registrations and check-ins (JSON)
//   GET  /admin/events/ID/registrations.csv    the same as CSV (.xlsx: as a spreadsheet)
//   POST /admin/events/ID/checkin  {"code", "nonce"[, "device"]}
//        → {"result": ok | already | unknown | cancelled | wrong_event | not_open, "name",
//           "checked_in_at"}
// Thread-safety: called from io threads; reads go to the read connection, writes to the writer.

#include <boost/asio/awaitable.hpp>

#include "bot/app/http_routes.hpp"

namespace outreach::app {

boost::asio::awaitable<server::Response> ticket_route(RouteDeps& d,
                                                      const server::Request& req,
                                                      server::RequestInfo& info,
                                                      std::string_view path);

boost::asio::awaitable<server::Response> admin_events(RouteDeps& d,
                                                      const server::Request& req,
                                                      server::RequestInfo& info,
                                                      std::string_view path,
                                                      const content::Snapshot& snapshot,
                                                      std::int64_t now);

// Events as JSON for the API and `outreach-bot events list`.
nlohmann::json event_summary_json(const content::Event& e, const storage::EventCounts& c);

}  // namespace outreach::app
