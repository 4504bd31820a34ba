#include "bot/console/xlsx.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>
#include <xlsxwriter.h>

#include "bot/core/log.hpp"

namespace outreach::console {

std::optional<std::string> xlsx_of(const std::vector<std::vector<std::string>>& rows,
                                   std::string_view sheet_name) {
  std::string path = (std::filesystem::temp_directory_path() / "outreach-xlsx-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    log::error("xlsx", "no_temp_file", {{"dir", std::filesystem::temp_directory_path().string()}});
    return std::nullopt;
  }
  close(fd);

  struct Remove {
    const std::string& p;

    ~Remove() { std::remove(p.c_str()); }
  } remove{path};

  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr)
    return std::nullopt;
  lxw_worksheet* sheet = workbook_add_worksheet(book, std::string(sheet_name).c_str());
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  std::vector<std::size_t> widths;
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      // Text stays text: a code or a phone number is never read as a number or a formula.
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                             rows[r][c].c_str(), r == 0 ? bold : nullptr);
      if (widths.size() <= c)
        widths.resize(c + 1, 8);
      widths[c] = std::min<std::size_t>(60, std::max(widths[c], rows[r][c].size() * 9 / 10 + 2));
    }
  for (std::size_t c = 0; c < widths.size(); ++c)
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         static_cast<double>(widths[c]), nullptr);
  if (!rows.empty())
    worksheet_freeze_panes(sheet, 1, 0);
  const lxw_error err = workbook_close(book);
  if (err != LXW_NO_ERROR) {
    log::error("xlsx", "not_written", {{"error", lxw_strerror(err)}});
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace outreach::console
