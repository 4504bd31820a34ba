#include "content/markdown.hpp"

#include "bot/core/text.hpp"

namespace outreach::content {
namespace {

std::string inline_markup(std::string_view line) {
  std::string out;
  for (std::size_t i = 0; i < line.size();) {
    if (line.compare(i, 2, "**") == 0 || line.compare(i, 2, "__") == 0) {
      i += 2;
      continue;
    }
    if (line[i] == '[') {
      const auto close = line.find("](", i);
      const auto end = close == std::string_view::npos ? close : line.find(')', close);
      if (end != std::string_view::npos) {
        out += line.substr(i + 1, close - i - 1);
        out += " (";
        out += line.substr(close + 2, end - close - 2);
        out += ')';
        i = end + 1;
        continue;
      }
    }
    if (line[i] == '`') {
      ++i;
      continue;
    }
    out += line[i++];
  }
  return out;
}

}  // namespace

std::string markdown_to_chat(std::string_view md) {
  std::string out;
  bool blank_pending = false;
  std::size_t pos = 0;
  while (pos <= md.size()) {
    auto nl = md.find('\n', pos);
    if (nl == std::string_view::npos)
      nl = md.size();
    std::string_view line = md.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    const std::string_view t = text::trim(line);
    if (t.empty()) {
      blank_pending = !out.empty();
      continue;
    }
    if (blank_pending)
      out += "\n\n";
    else if (!out.empty())
      out += '\n';
    blank_pending = false;
    if (t.starts_with("- ") || t.starts_with("* ")) {
      out += "• " + inline_markup(text::trim(t.substr(2)));
    } else if (t.starts_with("#")) {
      std::size_t h = 0;
      while (h < t.size() && t[h] == '#') ++h;
      out += inline_markup(text::trim(t.substr(h)));
    } else {
      out += inline_markup(t);
    }
    if (nl == md.size())
      break;
  }
  return out;
}

std::vector<Page> split_pages(std::string_view md) {
  std::vector<Page> pages;
  std::string heading;
  std::string body;
  auto flush = [&] {
    std::string text = markdown_to_chat(body);
    if (!text.empty() || !heading.empty())
      pages.push_back({heading, std::move(text)});
    body.clear();
  };
  std::size_t pos = 0;
  while (pos < md.size()) {
    auto nl = md.find('\n', pos);
    if (nl == std::string_view::npos)
      nl = md.size();
    const std::string_view line = md.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.starts_with("## ")) {
      flush();
      heading = std::string(text::trim(line.substr(3)));
    } else {
      body.append(line);
      body += '\n';
    }
  }
  flush();
  return pages;
}

}  // namespace outreach::content
