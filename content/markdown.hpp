#pragma once
// The small Markdown subset explainers use, turned into chat text: paragraphs, "- " / "* "
// lists (shown with "•"), "1." lists, **bold** and _italic_ markers dropped, [text](url) shown
// as "text (url)". Chat platforms show plain text, so this is all the rendering there is.
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "content/model.hpp"

namespace outreach::content {

std::string markdown_to_chat(std::string_view md);

// Splits a body at "## " headings into pages (text before the first heading becomes a page
// with an empty heading). Bodies are converted with markdown_to_chat.
std::vector<Page> split_pages(std::string_view md);

}  // namespace outreach::content
