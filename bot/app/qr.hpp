#pragma once
// QR codes of ticket codes (Debian's libqrencode): as SVG for the ticket page and as PNG
// (libpng) for the chat's image message. Error correction M, byte mode, a 4-module quiet zone.
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <string_view>

namespace outreach::app {

// The SVG document (dark modules as one path); nullopt when the text cannot be encoded.
std::optional<std::string> qr_svg(std::string_view text);

// The PNG file, `scale` pixels a module (grey, 8 bits); nullopt when it cannot be encoded.
std::optional<std::string> qr_png(std::string_view text, int scale = 8);

}  // namespace outreach::app
