#include "bot/app/qr.hpp"

#include <memory>
#include <vector>

#include <png.h>
#include <qrencode.h>

namespace outreach::app {
namespace {

constexpr int kQuiet = 4;

struct Grid {
  int width = 0;           // modules, without the quiet zone
  std::vector<bool> dark;  // width × width

  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)]; }
};

std::optional<Grid> encode(std::string_view text) {
  const std::string s(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!qr)
    return std::nullopt;
  Grid g;
  g.width = qr->width;
  g.dark.resize(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.width));
  for (std::size_t i = 0; i < g.dark.size(); ++i) g.dark[i] = (qr->data[i] & 1) != 0;
  return g;
}

}  // namespace

std::optional<std::string> qr_svg(std::string_view text) {
  const auto g = encode(text);
  if (!g)
    return std::nullopt;
  const int size = g->width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < g->width; ++y)
    for (int x = 0; x < g->width; ++x)
      if (g->at(x, y))
        path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
  const std::string n = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
         "\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

std::optional<std::string> qr_png(std::string_view text, int scale) {
  const auto g = encode(text);
  if (!g || scale < 1 || scale > 32)
    return std::nullopt;
  const int side = (g->width + 2 * kQuiet) * scale;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr)
    return std::nullopt;
  png_infop info = png_create_info_struct(png);
  std::string out;
  std::vector<png_byte> row(static_cast<std::size_t>(side));
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return std::nullopt;
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, png_size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(data), n);
      },
      nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(side), static_cast<png_uint_32>(side), 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int py = 0; py < side; ++py) {
    const int y = py / scale - kQuiet;
    for (int px = 0; px < side; ++px) {
      const int x = px / scale - kQuiet;
      const bool dark = x >= 0 && y >= 0 && x < g->width && y < g->width && g->at(x, y);
      row[static_cast<std::size_t>(px)] = dark ? 0 : 255;
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace outreach::app
