#pragma once
// Spreadsheets for the periodic report (Debian's libxlsxwriter): rows of text as one worksheet,
// the first row bold as the header. libxlsxwriter writes to a file, so the workbook is built in a
// private temporary file and read back.
// Thread-safety: a pure function (its temporary file is its own).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace outreach::console {

// The .xlsx file's bytes; nullopt when it could not be written (the reason is logged).
std::optional<std::string> xlsx_of(const std::vector<std::vector<std::string>>& rows,
                                   std::string_view sheet_name);

}  // namespace outreach::console
