// Bookings as files: the CSV staff take into a spreadsheet for the periodic report, and the
// iCalendar file behind the "add to calendar" link.
#include "bot/core/local_time.hpp"
#include "bot/core/text.hpp"
#include "content/store.hpp"
#include "handlers/booking.hpp"
#include "handlers/booking_internal.hpp"

namespace outreach::handlers {
namespace booking {

std::string csv_field(std::string_view v) {
  // Formula injection: a spreadsheet must not run what a person typed.
  std::string out = "\"";
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@'))
    out += '\'';
  for (char c : v) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

// RFC 5545 §3.3.11: backslash, semicolon, comma and line ends are escaped in text values.
std::string ics_text(std::string_view v) {
  return text::backslash_escape(v, "\\;,");
}

// RFC 5545 §3.1: lines end with CRLF; content lines longer than 75 octets are folded (CRLF +
// space), never inside a UTF-8 sequence.
void ics_line(std::string& out, const std::string& l) {
  std::size_t start = 0;
  std::size_t limit = 75;
  while (l.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(l[cut]) & 0xC0) == 0x80) --cut;
    out += l.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;
  }
  out += l.substr(start) + "\r\n";
}

}  // namespace booking

using booking::csv_field;
using booking::ics_line;
using booking::ics_text;

std::string bookings_csv(const std::vector<storage::Booking>& bookings,
                         const content::Snapshot& content) {
  using local_time::timestamp;
  std::string out =
      "ref,starts_at,ends_at,topic,advisor,mode,status,name,phone,company,stage,description,"
      "reschedules,confirmed,cancel_reason,cancelled_by,booked_at\r\n";
  for (const auto& b : bookings) {
    const content::BookingTopic* t = content.booking.topic(b.topic);
    const content::Advisor* a = content.booking.advisor(b.advisor);
    const std::vector<std::string> fields = {b.ref,
                                             timestamp(b.starts_at),
                                             timestamp(b.ends_at),
                                             t ? t->title.vi : b.topic,
                                             a ? a->name.vi : b.advisor,
                                             b.mode,
                                             b.status,
                                             b.name,
                                             b.phone,
                                             b.company,
                                             b.stage,
                                             b.description,
                                             std::to_string(b.reschedules),
                                             b.confirmed_at ? timestamp(*b.confirmed_at) : "",
                                             b.cancel_reason,
                                             b.cancelled_by,
                                             timestamp(b.created_at)};
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    out += "\r\n";
  }
  return out;
}

std::string booking_ics(const storage::Booking& b, const content::Snapshot& content) {
  using local_time::utc_basic;
  const booking::Speaker s{content, std::string(content::kVi)};
  const std::string summary =
      s.ui("booking.ics_summary", {{"topic", booking::topic_title(s, b.topic)}});
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//outreach-bot//booking//VI\r\n";
  out += "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n";
  ics_line(out, "UID:" + b.ref + "@outreach-bot");
  ics_line(out, "DTSTAMP:" + utc_basic(b.updated_at));
  ics_line(out, "DTSTART:" + utc_basic(b.starts_at));
  ics_line(out, "DTEND:" + utc_basic(b.ends_at));
  ics_line(out, "SUMMARY:" + ics_text(summary));
  ics_line(out, "LOCATION:" + ics_text(booking::place_of(s, b.mode)));
  ics_line(out, "DESCRIPTION:" +
                    ics_text(s.ui("booking.ics_description",
                                  {{"ref", b.ref}, {"contact", booking::office_contact(s)}})));
  ics_line(out, std::string("STATUS:") + (b.status == "cancelled" ? "CANCELLED" : "CONFIRMED"));
  out += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  return out;
}

}  // namespace outreach::handlers
