// learned.yaml: the questions staff attach to their answers in the console. Loading and
// checking the file, the understanding answering them, and appending to the file safely.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "bot/router/understanding.hpp"
#include "content/learned_file.hpp"
#include "content/loader.hpp"
#include "tests/support/temp_dir.hpp"

namespace outreach::content {
namespace {

using testing::TempDir;

const std::int64_t kToday = *parse_date("2026-12-03");

// A question the shipped content does not answer with an explainer.
constexpr const char* kAsked = "Xưởng của tôi muốn mượn máy in 3D của phường thì hỏi ai?";

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string dump(const LoadReport& r) {
  std::string out;
  for (const auto& p : r.problems) out += p.to_string() + "\n";
  return out;
}

bool has_problem(const LoadReport& r, const std::string& fragment, int line) {
  for (const auto& p : r.problems)
    if (p.file == kLearnedFile && p.message.find(fragment) != std::string::npos && p.line == line)
      return true;
  return false;
}

TEST(Learned, AnAttachedQuestionIsAnsweredAsReadNotOnlyAsWritten) {
  TempDir tmp;
  const std::string dir = testing::copy_content(tmp);
  const auto before = load_content(dir, kToday);
  ASSERT_TRUE(before.ok()) << dump(before);
  const router::Understanding plain(*before.snapshot);
  ASSERT_NE(plain.interpret(kAsked).payload, "ex:smart-city");

  ASSERT_TRUE(append_learned(dir, {kAsked, "explainer:smart-city", kToday}));
  ASSERT_TRUE(append_learned(dir, {"con mèo nhà tôi đi lạc", "off-topic", kToday}));
  ASSERT_TRUE(append_learned(dir, {"mở quán karaoke cần giấy gì", "referral:land", kToday}));
  const auto after = load_content(dir, kToday);
  ASSERT_TRUE(after.ok()) << dump(after);
  ASSERT_EQ(after.snapshot->learned.size(), 3u);
  const router::Understanding taught(*after.snapshot);
  // As written, without diacritics, in capitals, with its punctuation gone.
  for (const char* typed : {kAsked, "xuong cua toi muon muon may in 3d cua phuong thi hoi ai",
                            "XƯỞNG CỦA TÔI MUỐN MƯỢN MÁY IN 3D CỦA PHƯỜNG THÌ HỎI AI"})
    EXPECT_EQ(taught.interpret(typed).payload, "ex:smart-city") << typed;
  EXPECT_EQ(taught.interpret("con meo nha toi di lac").payload, "fallback:smalltalk");
  EXPECT_EQ(taught.interpret("Mở quán karaoke cần giấy gì?").payload, "referral:land");
  // Not a ranking document: every other question is read as before.
  for (const char* other : {"đăng ký nhãn hiệu", "kiểm định cân", "menu", "tiết kiệm điện"})
    EXPECT_EQ(taught.interpret(other).payload, plain.interpret(other).payload) << other;
}

TEST(Learned, CheckContentNamesEachWrongEntryWithItsLine) {
  TempDir tmp;
  const std::string dir = testing::copy_content(tmp);
  write(dir + "/learned.yaml",
        "# header\n"
        "- question: chỗ nào cho mượn máy in 3D\n"  // 2
        "  answer: explainer:smart-city\n"
        "- question: hỏi gì đó\n"  // 4
        "  answer: explainer:no-such-thing\n"
        "- question: hỏi khác\n"  // 6
        "  answer: faq:smart-city\n"
        "- question: CHỖ NÀO CHO MƯỢN MÁY IN 3D\n"  // 8
        "  answer: off-topic\n"
        "- question: câu thứ năm\n"  // 10
        "  answer: referral:nowhere\n"
        "  added: 2026-13-40\n"
        "- answer: off-topic\n"  // 13
        "  qestion: typo\n");
  const auto r = load_content(dir, kToday);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "no explainer 'no-such-thing'", 5)) << dump(r);
  EXPECT_TRUE(has_problem(r, "is not explainer:<id>, referral:<id> or off-topic", 7)) << dump(r);
  EXPECT_TRUE(has_problem(r, "asked already on line 2", 8)) << dump(r);
  EXPECT_TRUE(has_problem(r, "not a date", 12)) << dump(r);
  EXPECT_TRUE(has_problem(r, "no referral 'nowhere'", 11)) << dump(r);
  EXPECT_TRUE(has_problem(r, "unknown key", 14)) << dump(r);

  write(dir + "/learned.yaml", "question: not a list\n");
  EXPECT_TRUE(has_problem(load_content(dir, kToday), "must be a list", 1));
  write(dir + "/learned.yaml", "# only comments: nothing learned yet\n");
  const auto empty = load_content(dir, kToday);
  ASSERT_TRUE(empty.ok()) << dump(empty);
  EXPECT_TRUE(empty.snapshot->learned.empty());
}

TEST(Learned, AppendingKeepsTheFileAndQuotesWhateverWasAsked) {
  TempDir tmp;
  const std::string dir = tmp.path().string();
  const std::string tricky = "Giá: \"50%\" # có đúng ko? - [a] {b} & 'c' \\ ở Gò Vấp";
  ASSERT_TRUE(append_learned(dir, {tricky, "off-topic", kToday}));
  const std::string first = read_content_file(dir, kLearnedFile);
  EXPECT_TRUE(first.starts_with("# Questions people asked")) << first;
  EXPECT_NE(first.find("Gò Vấp"), std::string::npos) << "written as UTF-8, not escaped";
  // A staff member's hand edit in between stays as it was.
  write(dir + "/learned.yaml", first + "# kept by hand\n");
  ASSERT_TRUE(append_learned(dir, {"hai", "explainer:smart-city", kToday}));
  const std::string text = read_content_file(dir, kLearnedFile);
  EXPECT_NE(text.find("# kept by hand\n"), std::string::npos);
  const YAML::Node root = YAML::Load(text);
  ASSERT_TRUE(root.IsSequence());
  ASSERT_EQ(root.size(), 2u);
  EXPECT_EQ(root[0]["question"].as<std::string>(), tricky);
  EXPECT_EQ(root[0]["added"].as<std::string>(), "2026-12-03");
  EXPECT_EQ(root[1]["answer"].as<std::string>(), "explainer:smart-city");
  EXPECT_FALSE(std::filesystem::exists(dir + "/learned.yaml.tmp"));
}

TEST(Learned, AFileThatIsNotAPlainListIsNotTouched) {
  TempDir tmp;
  const std::string dir = tmp.path().string();
  write(dir + "/learned.yaml", "[]\n");
  auto r = append_learned(dir, {"câu hỏi", "off-topic", kToday});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidInput);
  EXPECT_NE(r.error().message.find("learned.yaml"), std::string::npos) << r.error().message;
  EXPECT_EQ(read_content_file(dir, kLearnedFile), "[]\n");
}

TEST(Learned, AFolderTheBotCannotWriteIsNamed) {
  TempDir tmp;
  write(tmp.file("plain"), "a file, not a folder\n");
  const std::string dir = tmp.file("plain") + "/content";  // cannot be written, even by root
  auto r = append_learned(dir, {"câu hỏi", "off-topic", kToday});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kStorageFailed);
  EXPECT_NE(r.error().message.find(dir), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("write access"), std::string::npos) << r.error().message;
}

TEST(Learned, PersonalDetailsAreFoundBeforeAQuestionBecomesContent) {
  for (const char* s : {"gọi cho tôi 0909 123 456 nhé", "sđt 0909.123.456", "cccd 079201001234",
                        "mail tôi an.nguyen@gmail.com"})
    EXPECT_TRUE(personal_detail(s)) << s;
  for (const char* s : {"luật năm 2013 và nghị định 13/2023", "quy trình ISO 9001:2015",
                        "cân 30 kg ở chợ Hạnh Thông", "phường 17 cũ giờ là phường nào"})
    EXPECT_FALSE(personal_detail(s)) << s;
}

// lexicon.yaml, as the console's "teach a phrase" writes it: into the term's own list whatever its
// layout, comments kept, read back by the loader and used by the understanding.
TEST(Lexicon, APhraseGoesIntoItsTermsListAndIsReadAsTheTerm) {
  TempDir tmp;
  const std::string dir = testing::copy_content(tmp);
  const std::string asked = "mình cần mã sản phẩm in trên hũ mắm";
  {
    const auto before = load_content(dir, kToday);
    ASSERT_TRUE(before.ok()) << dump(before);
    EXPECT_NE(router::Understanding(*before.snapshot).interpret(asked).explainer, "barcode");
  }
  const std::string shipped = read_content_file(dir, kLexiconFile);
  ASSERT_NE(shipped.find("mã số mã vạch: ["), std::string::npos) << "a flow list to extend";
  ASSERT_TRUE(add_lexicon_phrase(dir, "mã số mã vạch", "mã sản phẩm"));
  const std::string text = read_content_file(dir, kLexiconFile);
  EXPECT_EQ(text.size(), shipped.size() + std::string(", \"mã sản phẩm\"").size())
      << "one list grew, nothing else moved:\n"
      << text;
  EXPECT_TRUE(text.starts_with(shipped.substr(0, shipped.find('\n'))));  // the header comment
  const auto after = load_content(dir, kToday);
  ASSERT_TRUE(after.ok()) << dump(after);
  const auto meant = router::Understanding(*after.snapshot).interpret(asked);
  EXPECT_EQ(meant.explainer, "barcode");
  // Shown with the term after the phrase, every word as the person typed it.
  EXPECT_EQ(meant.reading, "mình cần mã sản phẩm (mã số mã vạch) in trên hũ mắm");
}

TEST(Lexicon, BlockListsNewTermsAndAnEmptyFileAreWrittenAsTheirLayoutWants) {
  TempDir tmp;
  const std::string dir = tmp.path().string();
  // No file yet: created with its header.
  ASSERT_TRUE(add_lexicon_phrase(dir, "nhãn hiệu", "logo"));
  std::string text = read_content_file(dir, kLexiconFile);
  EXPECT_TRUE(text.starts_with("# Everyday words")) << text;
  write(dir + "/lexicon.yaml",
        "# kept\nkiểm định:\n  - cân điêu   # a comment\n\n  - cân gian\n"
        "nhãn hiệu: []\n\"tiết kiệm điện\": [tốn điện]\n");
  ASSERT_TRUE(add_lexicon_phrase(dir, "kiểm định", "cân thiếu"));
  ASSERT_TRUE(add_lexicon_phrase(dir, "nhãn hiệu", "logo"));
  ASSERT_TRUE(add_lexicon_phrase(dir, "tiết kiệm điện", "hao điện"));
  const std::string tricky = "giá \"sỉ\" # [x], {y}: 'z'";
  ASSERT_TRUE(add_lexicon_phrase(dir, "niêm yết giá", tricky));
  text = read_content_file(dir, kLexiconFile);
  EXPECT_NE(text.find("# kept\n"), std::string::npos);
  EXPECT_NE(text.find("# a comment"), std::string::npos);
  const YAML::Node root = YAML::Load(text);
  const auto list = [&](const char* term) {
    std::vector<std::string> out;
    for (const auto& p : root[term]) out.push_back(p.as<std::string>());
    return out;
  };
  EXPECT_EQ(list("kiểm định"), (std::vector<std::string>{"cân điêu", "cân gian", "cân thiếu"}));
  EXPECT_EQ(list("nhãn hiệu"), (std::vector<std::string>{"logo"}));
  EXPECT_EQ(list("tiết kiệm điện"), (std::vector<std::string>{"tốn điện", "hao điện"}));
  EXPECT_EQ(list("niêm yết giá"), (std::vector<std::string>{tricky}));
  EXPECT_EQ(root.size(), 4u);
  EXPECT_FALSE(std::filesystem::exists(dir + "/lexicon.yaml.tmp"));
}

TEST(Lexicon, AFileThisEditCannotFollowIsNotTouched) {
  TempDir tmp;
  const std::string dir = tmp.path().string();
  for (const std::string& odd : {std::string("- a list\n"), std::string("nhãn hiệu: [logo\n"),
                                 std::string("nhãn hiệu: [logo]  # see [x]\n")}) {
    write(dir + "/lexicon.yaml", odd);
    auto r = add_lexicon_phrase(dir, "nhãn hiệu", "thương hiệu");
    ASSERT_FALSE(r) << odd;
    EXPECT_EQ(r.error().code, Errc::kInvalidInput);
    EXPECT_NE(r.error().message.find("by hand"), std::string::npos) << r.error().message;
    EXPECT_EQ(read_content_file(dir, kLexiconFile), odd);
  }
}

}  // namespace
}  // namespace outreach::content
