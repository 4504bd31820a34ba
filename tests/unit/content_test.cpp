#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "bot/text/unicode.hpp"
#include "content/loader.hpp"
#include "content/markdown.hpp"
#include "content/store.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach::content {
namespace {

using testing::TempDir;

const std::int64_t kToday = *parse_date("2026-11-28");

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

bool has_problem(const LoadReport& r,
                 const std::string& file,
                 const std::string& fragment,
                 int line = -1) {
  for (const auto& p : r.problems)
    if (p.file == file && p.message.find(fragment) != std::string::npos &&
        (line < 0 || p.line == line))
      return true;
  return false;
}

std::string dump(const LoadReport& r) {
  std::string out;
  for (const auto& p : r.problems) out += p.to_string() + "\n";
  return out;
}

TEST(Content, ShippedContentLoadsWithoutErrors) {
  const auto r = load_content(testing::source_content_dir(), kToday);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.errors(), 0u) << dump(r);
  const Snapshot& s = *r.snapshot;
  EXPECT_GE(s.explainers_vi.size(), 40u);
  EXPECT_GE(s.explainers_en.size(), 10u);
  EXPECT_FALSE(s.main_menu.empty());
  EXPECT_NE(s.flow("feedback"), nullptr);
  // Every explainer topic of topics.yaml has at least one Vietnamese explainer.
  for (const auto& [id, t] : s.topics) {
    if (t.kind != "explainer")
      continue;
    bool covered = false;
    for (const auto& [eid, e] : s.explainers_vi)
      covered |= std::find(e.topics.begin(), e.topics.end(), id) != e.topics.end();
    EXPECT_TRUE(covered) << id;
  }
}

TEST(Content, EveryShippedTextIsNfc) {
  const auto r = load_content(testing::source_content_dir(), kToday);
  ASSERT_TRUE(r.ok());
  for (const auto* ui : {&r.snapshot->ui_vi, &r.snapshot->ui_en})
    for (const auto& [k, v] : *ui) EXPECT_TRUE(text::is_nfc(v)) << k;
  for (const auto& [id, e] : r.snapshot->explainers_vi) {
    EXPECT_TRUE(text::is_nfc(e.summary)) << id;
    for (const auto& p : e.pages) EXPECT_TRUE(text::is_nfc(p.body)) << id;
  }
}

// The summary is the first message people read: its Markdown is chat text like the pages'
// ("**tự nguyện**" was shown with its stars in every channel).
TEST(Content, SummariesAreChatTextWithoutMarkdownMarkers) {
  const auto r = load_content(testing::source_content_dir(), kToday);
  ASSERT_TRUE(r.ok());
  for (const auto* all : {&r.snapshot->explainers_vi, &r.snapshot->explainers_en})
    for (const auto& [id, e] : *all) {
      EXPECT_EQ(e.summary.find("**"), std::string::npos) << id << ": " << e.summary;
      EXPECT_FALSE(e.summary.starts_with("- ")) << id << ": " << e.summary;
    }
  const std::string& conformity = r.snapshot->explainers_vi.at("conformity-declaration").summary;
  EXPECT_NE(conformity.find("doanh nghiệp tự nguyện công bố"), std::string::npos) << conformity;
}

class BrokenContent : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::copy_content(tmp_); }

  LoadReport load() { return load_content(dir_, kToday); }

  std::string path(const std::string& rel) { return dir_ + "/" + rel; }

  TempDir tmp_;
  std::string dir_;
};

TEST_F(BrokenContent, YamlSyntaxErrorNamesFileAndLine) {
  write(path("menu.yaml"), "main:\n  - { id: a, label: menu.help\n");
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "menu.yaml", "not valid YAML")) << dump(r);
}

TEST_F(BrokenContent, AReferralToAnUnknownOfficeOrWithoutKeywordsIsAnError) {
  write(path("referrals.yaml"),
        "land:\n  subject: { vi: nhà đất, en: land }\n  office: land-office\n"
        "  keywords: [sổ hồng, sổ đỏ]\n"
        "tax:\n  subject: { vi: thuế, en: taxes }\n  office: tax-office\n  keywords: []\n"
        "police:\n  subject: { vi: an ninh, en: security }\n  office: ward-police\n"
        "  keywords: [trộm, cướp]\n  phone: \"113\"\n");
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "referrals.yaml", "unknown office 'land-office'")) << dump(r);
  EXPECT_TRUE(has_problem(r, "referrals.yaml", "'keywords' has 0 items")) << dump(r);
  EXPECT_TRUE(has_problem(r, "referrals.yaml", "police.phone: unknown key")) << dump(r);
  // Without the file there are no referrals, and that is fine.
  std::filesystem::remove(path("referrals.yaml"));
  const auto ok = load();
  EXPECT_TRUE(ok.ok()) << dump(ok);
  EXPECT_TRUE(ok.snapshot->referrals.empty());
}

TEST_F(BrokenContent, UnlessWithoutAnywherePhrasesAnUnknownKeyOrABadRankedIsAnError) {
  std::string in = read(path("intents.yaml"));
  in +=
      "\n\"fallback:weather\":\n  whole: [thời tiết]\n  unless: [dự báo]\n"
      "\"fallback:games\":\n  anywhere: [chơi game]\n  except: [trò chơi điện tử]\n"
      "\"fallback:songs\":\n  ranked: maybe\n  anywhere: [hát một bài]\n"
      "\"fallback:dance\":\n  together: [[nhảy]]\n"
      "\"fallback:sing\":\n  together: [[hát], []]\n"
      "\"fallback:jokes\":\n  in_chat: sometimes\n  anywhere: [kể chuyện vui]\n"
      "_not_this: [khác]\n";
  write(path("intents.yaml"), in);
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(
      has_problem(r, "intents.yaml",
                  "'fallback:weather': unless: rules out phrases found anywhere or together"))
      << dump(r);
  EXPECT_TRUE(
      has_problem(r, "intents.yaml",
                  "use whole:, anywhere:, negated:, unless:, ranked:, together: and in_chat:"))
      << dump(r);
  EXPECT_TRUE(has_problem(r, "intents.yaml", "'fallback:songs': ranked: must be true or false"))
      << dump(r);
  EXPECT_TRUE(has_problem(r, "intents.yaml", "'fallback:jokes': in_chat: must be true or false"))
      << dump(r);
  // A marker of what a question is not about is a phrase, like any anywhere: phrase.
  EXPECT_TRUE(has_problem(r, "intents.yaml", "'khác': a phrase matched anywhere needs two words"))
      << dump(r);
  EXPECT_TRUE(has_problem(r, "intents.yaml",
                          "'fallback:dance': together: must be a list of 2 to 4 lists of phrases"))
      << dump(r);
  EXPECT_TRUE(
      has_problem(r, "intents.yaml", "'fallback:sing': each group of together: needs a phrase"))
      << dump(r);
}

// The lexicon's terms are the content's words, each phrase belongs to one term; wards.yaml names
// an explainer that exists and old wards by number.
TEST_F(BrokenContent, ALexiconTermTheContentDoesNotUseOrAPhraseListedTwiceIsAnError) {
  write(path("lexicon.yaml"),
        "nhãn hiệu: [logo, Thương hiệu]\n"
        "ống hút tre: [ống hút]\n"
        "mã số mã vạch: [barcode, LOGO]\n"
        "sáng chế: phát minh\n"
        "Nhãn hiệu: [mác]\n");
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "lexicon.yaml",
                          "term 'ống hút tre': 'ong' is in no explainer's title or keywords"))
      << dump(r);
  EXPECT_TRUE(has_problem(r, "lexicon.yaml", "'LOGO' is already listed on line 1")) << dump(r);
  EXPECT_TRUE(has_problem(r, "lexicon.yaml", "'sáng chế': give 1 to 40 everyday phrases"))
      << dump(r);
  EXPECT_TRUE(has_problem(r, "lexicon.yaml",
                          "term 'Nhãn hiệu' is already listed on line 1: add the phrases there", 5))
      << dump(r);
}

// A phrase said apart ("tiền điện … giảm") has words on both sides of one "…"; the same
// phrase with "..." is the same phrase.
TEST_F(BrokenContent, APhraseSaidApartHasWordsOnBothSidesOfOneEllipsis) {
  write(path("lexicon.yaml"),
        "tiết kiệm điện: [tiền điện … giảm, tiền điện ... giảm, … giảm, tiền điện …, a … b … c]\n");
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "lexicon.yaml", "'tiền điện ... giảm' is already listed on line 1"))
      << dump(r);
  for (const char* bad : {"'… giảm'", "'tiền điện …'", "'a … b … c'"})
    EXPECT_TRUE(
        has_problem(r, "lexicon.yaml",
                    std::string(bad) + ": a phrase said apart has words on both sides of one '…'"))
        << bad << dump(r);
}

// A term with more phrases than it may have is named with its count.
TEST_F(BrokenContent, ALexiconTermWithTooManyPhrasesSaysHowMany) {
  std::string phrases;
  for (int i = 0; i < 41; ++i)
    phrases += (i ? ", " : "") + std::string("logo ") + std::to_string(i);
  write(path("lexicon.yaml"), "nhãn hiệu: [" + phrases + "]\n");
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "lexicon.yaml", "'nhãn hiệu' has 41 phrases, at most 40")) << dump(r);
}

// An abbreviation means a text, or a Vietnamese and an English text.
TEST_F(BrokenContent, AnAbbreviationMeansATextOrAVietnameseAndAnEnglishText) {
  write(path("abbreviations.yaml"),
        "cds: {vi: chuyển đổi số, en: digital transformation}\n"
        "hkd: {vi: hộ kinh doanh}\n"
        "dn: {vi: doanh nghiệp, en: enterprise, fr: entreprise}\n"
        "tm: [thương mại]\n"
        "dk: đăng ký\n");
  const auto r = load();
  EXPECT_FALSE(r.ok());
  for (int line = 2; line <= 4; ++line)
    EXPECT_TRUE(has_problem(r, "abbreviations.yaml",
                            "the meaning must be text, or 'vi:' and 'en:' texts", line))
        << line << "\n"
        << dump(r);
  EXPECT_FALSE(has_problem(r, "abbreviations.yaml", "", 1)) << dump(r);
  EXPECT_FALSE(has_problem(r, "abbreviations.yaml", "", 5)) << dump(r);
}

TEST_F(BrokenContent, AWardsFileWithAnUnknownExplainerOrAWardThatIsNoNumberIsAnError) {
  write(path("wards.yaml"),
        "explainer: no-such-explainer\n"
        "asked_by: [cũ]\n"
        "old_wards:\n"
        "  \"5\": { vi: phường An Nhơn, en: An Nhơn ward }\n"
        "  \"năm\": { vi: phường An Nhơn, en: An Nhơn ward }\n");
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "wards.yaml", "explainer 'no-such-explainer' does not exist"))
      << dump(r);
  EXPECT_TRUE(has_problem(r, "wards.yaml", "'năm': an old ward is a number from 1 to 99"))
      << dump(r);
  write(path("wards.yaml"), "explainer: ward-reorganization\nasked_by: [cũ]\n");
  EXPECT_TRUE(has_problem(load(), "wards.yaml", "old_wards: must map old ward numbers"));
}

// An advisor's console accounts are emails.
TEST_F(BrokenContent, AnAdvisorsStaffAreEmails) {
  const std::string original = read(path("booking.yaml"));
  std::string text = original;
  const std::string anchor = "  - id: legal-ip\n";
  ASSERT_NE(text.find(anchor), std::string::npos);
  text.replace(text.find(anchor), anchor.size(), anchor + "    staff: [nguyen van a]\n");
  write(path("booking.yaml"), text);
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "booking.yaml", "staff lists console emails")) << dump(r);
  text = original;
  text.replace(text.find(anchor), anchor.size(), anchor + "    staff: [An@Ward.gov.vn]\n");
  write(path("booking.yaml"), text);
  const auto ok = load();
  ASSERT_TRUE(ok.ok()) << dump(ok);
  EXPECT_EQ(ok.snapshot->booking.advisor("legal-ip")->staff,
            std::vector<std::string>{"an@ward.gov.vn"});
}

// A misspelt key used to drop its value silently (`phon:` lost the phone number); in every file
// with fixed keys it is an error naming the file, the key's line and the keys allowed there.
TEST_F(BrokenContent, AnUnknownKeyIsAnErrorWithItsFileAndLine) {
  struct Case {
    const char* file;
    const char* from;
    const char* to;
    const char* typo;  // where the misspelt key is in the edited file
    const char* message;
  };

  const Case cases[] = {
      {"offices.yaml", "economic-office:\n", "economic-office:\n  phon: \"028 3894 1234\"\n",
       "phon:",
       "economic-office.phon: unknown key (use name:, how:, address:, phone:, hours: and url:)"},
      {"booking.yaml", "  max_reschedules: 2", "  max_reschedule: 2", "max_reschedule:",
       "rules.max_reschedule: unknown key (use late_cancel_hours:, max_active_per_person:, "
       "max_reschedules:, waitlist_offer_minutes: and reminders_minutes_before:)"},
      {"booking.yaml", "      fri: [\"08:00-11:30\"]", "      fr: [\"08:00-11:30\"]", "fr:",
       "advisors[0].hours.fr: unknown key (use sun:, mon:, tue:, wed:, thu:, fri: and sat:)"},
      {"flows/feedback.yaml", "    optional: true", "    optinal: true", "optinal:",
       "steps[1].optinal: unknown key (use id:, kind:, prompt:, invalid:, optional:, choices:, "
       "min_length:, max_length:, min:, max:, takes_questions: and also:)"},
      {"menu.yaml", "payload: help", "paylod: help",
       "paylod:", "main[7].paylod: unknown key (use id:, label: and payload:)"},
      {"topics.yaml", "{ id: law, vi:", "{ id: law, vn:", "vn:",
       "groups[0].vn: unknown key (use id:, vi:, en:, also: and news:)"},
      {"explainers/barcode.md", "    date: 2008-12-31", "    dated: 2008-12-31",
       "dated:", "sources[0].dated: unknown key (use title:, date: and url:)"},
  };
  for (const Case& k : cases) {
    const std::string original = read(path(k.file));
    const auto at = original.find(k.from);
    ASSERT_NE(at, std::string::npos) << k.file << ": " << k.from;
    std::string text = original;
    text.replace(at, std::string_view(k.from).size(), k.to);
    write(path(k.file), text);
    const auto typo = text.find(k.typo);
    const int line = static_cast<int>(std::count(text.begin(), text.begin() + typo, '\n')) + 1;
    const auto r = load();
    EXPECT_FALSE(r.ok()) << k.file;
    EXPECT_TRUE(has_problem(r, k.file, k.message, line)) << "line " << line << "\n" << dump(r);
    write(path(k.file), original);
  }
  EXPECT_TRUE(load().ok());
}

TEST_F(BrokenContent, UnknownTopicOfficeAndRelatedAreErrorsWithLines) {
  std::string e = read(path("explainers/barcode.md"));
  e.replace(e.find("topics: [barcode]"), 17, "topics: [bar-code]");
  e.replace(e.find("contact: "), 9, "contact: no-such-office-");
  write(path("explainers/barcode.md"), e);
  const auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_problem(r, "explainers/barcode.md", "unknown topic 'bar-code'")) << dump(r);
  EXPECT_TRUE(has_problem(r, "explainers/barcode.md", "unknown office")) << dump(r);
  for (const auto& p : r.problems) {
    if (p.file == "explainers/barcode.md") {
      EXPECT_GT(p.line, 1) << p.to_string();
    }
  }
}

TEST_F(BrokenContent, MissingRequiredFieldsAndTooLongSummary) {
  write(path("explainers/zz-test.md"),
        "---\nid: zz-test\nlang: vi\ntitle: Thử\ntopics: [labelling]\nkeywords: [a, b, c, d]\n"
        "examples: [một, hai]\nsummary: " +
            std::string(700, 'x') +
            "\nreviewed_on: 2026-01-01\nreview_by: 2027-01-01\ncontact: "
            "economic-office\n---\nBody\n");
  const auto r = load();
  EXPECT_TRUE(has_problem(r, "explainers/zz-test.md", "missing 'sources'") ||
              has_problem(r, "explainers/zz-test.md", "'sources' must list"))
      << dump(r);
  EXPECT_TRUE(has_problem(r, "explainers/zz-test.md", "700 characters, more than the 600"))
      << dump(r);
}

TEST_F(BrokenContent, DecomposedTextIsRefused) {
  std::string ui = read(path("ui/vi.yaml"));
  ui += "extra: \"Đa\xCC\x86ng ky\xCC\x81\"\n";
  write(path("ui/vi.yaml"), ui);
  std::string en = read(path("ui/en.yaml"));
  write(path("ui/en.yaml"), en + "extra: Register\n");
  const auto r = load();
  EXPECT_TRUE(has_problem(r, "ui/vi.yaml", "not in NFC form")) << dump(r);
}

TEST_F(BrokenContent, MissingUiKeyUsedByTheCode) {
  std::string ui = read(path("ui/en.yaml"));
  ui.replace(ui.find("  switched: Switched to English."), 32, "  switched_x: Switched to English.");
  write(path("ui/en.yaml"), ui);
  const auto r = load();
  EXPECT_TRUE(has_problem(r, "ui/en.yaml", "missing key 'language.switched' (the bot uses it)"))
      << dump(r);
  // The reply to a song request is the code's too: renamed in both languages, it is missing.
  for (const char* file : {"ui/vi.yaml", "ui/en.yaml"}) {
    std::string text = read(path(file));
    text.replace(text.find("  smalltalk: |-"), 15, "  chitchat: |-");
    write(path(file), text);
  }
  const auto without = load();
  EXPECT_TRUE(
      has_problem(without, "ui/vi.yaml", "missing key 'fallback.smalltalk' (the bot uses it)"))
      << dump(without);
}

TEST_F(BrokenContent, PastReviewDateIsAWarningNotAnError) {
  std::string e = read(path("explainers/barcode.md"));
  const auto at = e.find("review_by: ");
  e.replace(at, 21, "review_by: 2026-01-01");
  const auto rv = e.find("reviewed_on: ");
  e.replace(rv, 23, "reviewed_on: 2025-06-01");
  write(path("explainers/barcode.md"), e);
  const auto r = load();
  EXPECT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(has_problem(r, "explainers/barcode.md", "past its review date")) << dump(r);
  EXPECT_EQ(r.warnings(), 1u) << dump(r);
}

TEST_F(BrokenContent, StoreKeepsTheOldSnapshotWhenAReloadFails) {
  FakeClock clock(testing::kTestNow);
  ContentStore store(dir_, clock);
  ASSERT_TRUE(store.reload().ok());
  const auto before = store.snapshot();
  write(path("offices.yaml"), "economic-office: [broken\n");
  const auto r = store.reload();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(store.snapshot(), before);
  write(path("offices.yaml"), read(testing::source_content_dir() + "/offices.yaml"));
  EXPECT_TRUE(store.reload().ok());
  EXPECT_NE(store.snapshot(), before);
}

TEST(Markdown, TurnsTheSubsetIntoChatText) {
  EXPECT_EQ(
      markdown_to_chat("Một **đậm** câu.\n\n- mục 1\n* mục 2\n\n[Cổng](https://dichvucong.gov.vn)"),
      "Một đậm câu.\n\n• mục 1\n• mục 2\n\nCổng (https://dichvucong.gov.vn)");
}

TEST(Markdown, SplitsPagesAtLevelTwoHeadings) {
  const auto pages = split_pages("Mở đầu.\n\n## Bước 1\nLàm A.\n\n## Bước 2\nLàm B.\n");
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].heading, "");
  EXPECT_EQ(pages[1].heading, "Bước 1");
  EXPECT_EQ(pages[2].body, "Làm B.");
}

TEST(Dates, ParsesAndRejectsDates) {
  EXPECT_EQ(parse_date("1970-01-01"), 0);
  EXPECT_EQ(parse_date("2026-11-28"), 20'785);
  EXPECT_FALSE(parse_date("2026-02-29"));
  EXPECT_TRUE(parse_date("2028-02-29"));
  EXPECT_FALSE(parse_date("28/11/2026"));
}

TEST(Dates, LocalDayIsHoChiMinhCityTime) {
  // 2026-11-27 17:30 UTC is already 28 November in Hồ Chí Minh City.
  const std::int64_t t = testing::kTestNow - 8 * 3'600'000 - 30 * 60'000;
  EXPECT_EQ(local_day(t), *parse_date("2026-11-28"));
  EXPECT_EQ(local_day(t - 3'600'000), *parse_date("2026-11-27"));
}

}  // namespace
}  // namespace outreach::content
