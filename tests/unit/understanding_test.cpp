// Understanding Vietnamese as people type it: folding, teencode, Telex leftovers, typos,
// ranking, intents, the honest fallback — on the shipped content.
#include "bot/router/understanding.hpp"

#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "bot/router/en_text.hpp"
#include "bot/router/search_index.hpp"
#include "bot/router/vi_text.hpp"
#include "bot/text/unicode.hpp"
#include "content/loader.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/turn_harness.hpp"

namespace outreach::router {
namespace {

using Kind = Interpretation::Kind;

const content::Snapshot& shipped() {
  static const auto report =
      content::load_content(testing::source_content_dir(), *content::parse_date("2026-11-28"));
  return *report.snapshot;
}

const Understanding& understanding() {
  static const Understanding u(shipped());
  return u;
}

TEST(ViText, RecognisesSyllables) {
  for (const char* s :
       {"nghieng", "khuyen", "truong", "gi", "quy", "oan", "uyen", "nhan", "hieu", "a"})
    EXPECT_TRUE(is_syllable(s)) << s;
  for (const char* s : {"kys", "dangd", "what", "nhaan", "dk", "shtt", "xyz", ""})
    EXPECT_FALSE(is_syllable(s)) << s;
}

TEST(ViText, RepairsTelexLeftoversOnlyOnNonSyllables) {
  EXPECT_EQ(repair_telex("kys"), "ky");
  EXPECT_EQ(repair_telex("dangd"), "dang");
  EXPECT_EQ(repair_telex("nhaan"), "nhan");
  EXPECT_EQ(repair_telex("hieeuj"), "hieu");
  EXPECT_EQ(repair_telex("truwowngf"), "truong");
  EXPECT_EQ(repair_telex("kieerm"), "kiem");  // the tone key before the final consonant
  EXPECT_EQ(repair_telex("ddinhj"), "dinh");
  EXPECT_EQ(repair_telex("nhaxnh"), "nhanh");
  EXPECT_EQ(repair_telex("ddang"), "dang");
  EXPECT_EQ(repair_telex("what"), "what");  // English, not Telex
  EXPECT_EQ(repair_telex("news"), "news");
  EXPECT_EQ(repair_telex("nhan"), "nhan");  // already a syllable
}

TEST(SearchIndex, APhraseOutranksScatteredWordsAndCoverageTellsAGuess) {
  SearchIndex index({1.0});
  auto words = [](std::string_view s) {
    return text::words(text::fold(s));
  };
  index.add("scattered", {words("nhãn mới của hiệu sách")}, {});
  index.add("phrase", {words("đăng ký nhãn hiệu cho cửa hàng")}, {});
  index.add("other", {words("kiểm định cân điện tử")}, {});
  index.finish();
  const auto hits = index.search(words("nhãn hiệu"), {}, 3);
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(index.id(hits[0].doc), "phrase");
  EXPECT_NEAR(hits[0].coverage, 0.5, 0.5);
  const auto off = index.search(words("giá vàng"), {}, 3);
  EXPECT_TRUE(off.empty());
}

TEST(SearchIndex, CorrectsOneEditTyposAgainstTheVocabulary) {
  SearchIndex index({1.0});
  index.add("a", {{"kiem", "dinh", "can", "dien", "tu"}}, {});
  index.add("b", {{"kiem", "tra", "nhan"}}, {});
  index.finish();
  EXPECT_EQ(index.correct("kiemm"), "kiem");  // extra letter
  EXPECT_EQ(index.correct("dnih"), "dinh");   // swapped letters
  EXPECT_EQ(index.correct("kien"), "kiem");   // substitution
  EXPECT_FALSE(index.correct("xyzw"));
}

TEST(SearchIndex, KeyPhrasesRespectDiacriticsWhenTheyWereTyped) {
  SearchIndex index({1.0});
  const int market = index.add("market", {{"ban", "hang"}}, {});
  const int other = index.add("other", {{"thu", "tuc"}}, {});
  index.add_phrase(market, {"cho", "online"}, {"chợ", "online"}, 5.0);
  index.add_phrase(other, {"thu", "tuc"}, {"thủ", "tục"}, 5.0);
  index.finish();
  auto score_of = [&](std::vector<std::string> shown) {
    const auto hits = index.search({"cho", "online"}, shown, 3);
    return hits.empty() ? 0.0 : hits[0].score;
  };
  EXPECT_GT(score_of({"chợ", "online"}), 9.9);  // the phrase, as written
  EXPECT_GT(score_of({"", ""}), 9.9);           // typed without diacritics: could be it
  EXPECT_LT(score_of({"cho", "online"}), 1.0);  // "cho" (for) is not "chợ" (market)
}

struct Case {
  const char* text;
  Kind kind;
  const char* payload;  // for intents and explainers ("ex:<id>")
};

TEST(Understanding, ReadsTheWaysPeopleTypeTheSameQuestion) {
  const Case cases[] = {
      {"Đăng ký nhãn hiệu cho tiệm bánh", Kind::kExplainer, "ex:ip-trademark"},
      {"dang ky nhan hieu cho tiem banh", Kind::kExplainer, "ex:ip-trademark"},
      {"ĐĂNG KÝ NHÃN HIỆU CHO TIỆM BÁNH", Kind::kExplainer, "ex:ip-trademark"},
      {"Đa\xCC\x86ng ky\xCC\x81 nha\xCC\x83n hie\xCC\xA3u cho tie\xCC\xA3m ba\xCC\x81nh",
       Kind::kExplainer, "ex:ip-trademark"},
      {"đk nhãn hiệu cho tiệm bánh dc ko", Kind::kExplainer, "ex:ip-trademark"},
      {"dangd kys nhaan hieeuj cho tiem banh", Kind::kExplainer, "ex:ip-trademark"},
      {"ma so ma vach cho banh trang", Kind::kExplainer, "ex:barcode"},
  };
  for (const Case& c : cases) {
    const auto r = understanding().interpret(c.text);
    EXPECT_EQ(r.kind, c.kind) << c.text;
    EXPECT_EQ(r.payload, c.payload) << c.text;
  }
}

TEST(Understanding, SaysHowItReadAQuestionTypedWithoutDiacritics) {
  auto r = understanding().interpret("dk nhan hieu cho quan an");
  EXPECT_EQ(r.reading, "đăng ký nhãn hiệu cho quán ăn");
  r = understanding().interpret("can dien tu o cho co phai kiem dinh ko");
  EXPECT_EQ(r.reading, "cân điện tử ở chợ có phải kiểm định không");
  r = understanding().interpret("Đăng ký nhãn hiệu cho tiệm bánh");
  EXPECT_EQ(r.reading, "");  // typed properly: nothing to show
  // English words among Vietnamese ones stay English; "co the" between Vietnamese is "có thể".
  r = understanding().interpret("hop chuan vs hop quy whats the difference");
  EXPECT_EQ(r.reading, "hợp chuẩn vs hợp quy (công bố hợp chuẩn) whats the difference");
  r = understanding().interpret("co the dang ky nhan hieu ko");
  EXPECT_EQ(r.reading, "có thể đăng ký nhãn hiệu không");
}

TEST(Understanding, IntentsAreRequestsAnywhereInTheMessage) {
  const Case cases[] = {
      {"cho mình đặt lịch tư vấn chiều thứ 6", Kind::kIntent, "booking"},
      {"muốn dời lịch hẹn sang tuần sau", Kind::kIntent, "booking:mine"},
      {"lịch hẹn của tôi", Kind::kIntent, "booking:mine"},
      {"có sự kiện nào cuối tháng không", Kind::kIntent, "events"},
      {"mình muốn nhận thông báo về khởi nghiệp", Kind::kIntent, "subscribe"},
      {"đừng gửi thông báo cho mình nữa", Kind::kIntent, "unsubscribe"},
      {"ko muon nhan tin nua", Kind::kIntent, "unsubscribe"},
      {"cho tôi nói chuyện với cán bộ", Kind::kIntent, "handoff"},
      {"xoá dữ liệu của tôi giúp", Kind::kIntent, "privacy:delete"},
      {"XIN CHÀO", Kind::kIntent, "menu"},
  };
  for (const Case& c : cases) {
    const auto r = understanding().interpret(c.text);
    EXPECT_EQ(r.kind, c.kind) << c.text;
    EXPECT_EQ(r.payload, c.payload) << c.text;
  }
}

TEST(Understanding, AGreetingBeforeAQuestionDoesNotHideTheQuestion) {
  const auto r = understanding().interpret("xin chào, cho hỏi đăng ký mã số mã vạch ở đâu");
  EXPECT_EQ(r.payload, "ex:barcode");
}

TEST(Understanding, PlaceNamesDoNotDecideTheTopic) {
  const auto r = understanding().interpret("đô thị thông minh ở Gò Vấp có những gì");
  EXPECT_EQ(r.explainer, "smart-city");
}

TEST(Understanding, OffTopicQuestionsFallBackInsteadOfGuessing) {
  for (const char* q :
       {"giá vàng hôm nay bao nhiêu", "ai vô địch world cup 2022", "cho tôi vay tiền",
        "cách nấu phở bò", "bạn có người yêu chưa", "xổ số miền nam hôm nay"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kFallback) << q << " → " << r.explainer;
    EXPECT_TRUE(r.candidates.empty()) << q;
  }
}

TEST(Understanding, AVagueQuestionOffersTheBestThree) {
  const auto r = understanding().interpret("sáng chế với kiểu dáng và nhãn hiệu khác nhau thế nào");
  ASSERT_TRUE(r.kind == Kind::kClarify || r.kind == Kind::kExplainer);
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_LE(r.candidates.size(), 3u);
  for (const auto& c : r.candidates) EXPECT_EQ(c.explainer.rfind("ip-", 0), 0u) << c.explainer;
}

// Form commands are whole messages, with the words people wrap them in, or a phrase that asks
// for the command inside a short message; inside a long one it is part of what is said.
TEST(Understanding, FormCommandsAreShortMessages) {
  EXPECT_EQ(understanding().flow_command("Quay lại"), "flow:back");
  EXPECT_EQ(understanding().flow_command("huỷ"), "flow:cancel");
  EXPECT_EQ(understanding().flow_command("ok em"), "flow:confirm");
  EXPECT_EQ(understanding().flow_command("được rồi cháu"), "flow:confirm");
  EXPECT_EQ(understanding().flow_command("thôi em không đặt nữa đâu"), "flow:cancel");
  EXPECT_EQ(understanding().flow_command("hủy lịch"), "flow:cancel");
  EXPECT_EQ(understanding().flow_command("quay lại đặt lịch"), "flow:resume");
  EXPECT_FALSE(understanding().flow_command(
      "xưởng của em phải dừng lại mấy tháng vì thiếu vốn nên muốn hỏi về quỹ hỗ trợ"));
  EXPECT_FALSE(understanding().flow_command("Nguyễn Văn Hùng"));
}

TEST(Understanding, DescribesItselfForTheEvaluationScript) {
  auto j = describe(understanding().interpret("kiểm định cân điện tử ở chợ"), shipped());
  EXPECT_EQ(j["intent"], "explainer");
  EXPECT_FALSE(j["topics"].empty());
  EXPECT_EQ(j["topics"][0], "measuring-verification");
  EXPECT_TRUE(j["candidates"].is_array());
  j = describe(understanding().interpret("xin chào"), shipped());
  EXPECT_EQ(j["intent"], "menu");
  j = describe(understanding().interpret("dữ liệu của tôi"), shipped());
  EXPECT_EQ(j["intent"], "explainer");  // "my data" answers the privacy topic
  EXPECT_EQ(j["topics"][0], "privacy");
  j = describe(understanding().interpret("giá vàng hôm nay"), shipped());
  EXPECT_EQ(j["intent"], "fallback");
}

// Scores a question set of tests/fixtures/ as ../shared/eval/evaluate.py does (top-1, as typed).
struct SetScore {
  int total = 0;
  int right = 0;
  int off_topic_answered = 0;  // expected fallback, answered with an explainer
};

// Calls `f(question, expected)` for each line of a question set of tests/fixtures/.
void each_question(const std::string& file,
                   const std::function<void(const std::string&, const std::string&)>& f) {
  std::ifstream in(std::string(OUTREACH_SOURCE_DIR) + "/tests/fixtures/" + file);
  EXPECT_TRUE(in) << file;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("question\t"))
      continue;
    const auto tab = line.find('\t');
    f(line.substr(0, tab), line.substr(tab + 1));
  }
}

SetScore score_set(const std::string& file) {
  SetScore s;
  each_question(file, [&](const std::string& q, const std::string& labels) {
    const std::string expected = "|" + labels + "|";
    const auto j = describe(understanding().interpret(q), shipped());
    bool ok = false;
    if (j["intent"] == "explainer") {
      for (const auto& t : j["topics"])
        ok |= expected.find("|" + t.get<std::string>() + "|") != std::string::npos;
      if (expected == "|fallback|")
        ++s.off_topic_answered;
    } else {
      ok = expected.find("|" + j["intent"].get<std::string>() + "|") != std::string::npos;
    }
    s.right += ok ? 1 : 0;
    ++s.total;
  });
  return s;
}

// Guards against content edits or code changes that quietly break understanding: our own
// question set (tests/fixtures/questions-own.tsv, written independently of the evaluation set).
TEST(Understanding, OwnQuestionSetStaysAboveItsFloor) {
  const SetScore s = score_set("questions-own.tsv");
  ASSERT_GT(s.total, 200);
  EXPECT_GE(s.right * 100, s.total * 85) << s.right << "/" << s.total;
  EXPECT_LE(s.off_topic_answered, 6);
}

// English, the second language (tests/fixtures/questions-en.tsv, written from topics.tsv
// alone), ranked on the English explainers (all 40 have one).
TEST(Understanding, EnglishQuestionSetStaysAboveItsFloor) {
  const SetScore s = score_set("questions-en.tsv");
  ASSERT_GT(s.total, 90);
  EXPECT_GE(s.right * 100, s.total * 85) << s.right << "/" << s.total;
  EXPECT_EQ(s.off_topic_answered, 0);
}

// Sets written blind (tests/fixtures/blind-questions-brief.md: by helpers who saw only
// topics.tsv), each frozen before a change and first scored after it, then tuned on: blind-2
// (first 92.5%), en-blind-1 (89.2%), blind-3 (93.1%), en-blind-2 (85.8%); blind-1 was tuned on
// from the start. The floors hold where they stand now, as typed (bench/run understanding prints
// all four typing forms). blind-4 and en-blind-3 are held out: no floor until they are tuned on.
struct Floor {
  const char* set;
  int total;
  int percent;            // top-1, as typed
  int off_topic_at_most;  // off-topic questions answered with an explainer
};

// en-blind-26 was 99 until round 36: one question there is a tie of two explainers (83.75
// and 83.72, both offered), which the length of unrelated documents decides.
constexpr Floor kFloors[] = {
    Floor{"questions-blind-1.tsv", 160, 96, 0},     Floor{"questions-blind-2.tsv", 160, 96, 0},
    Floor{"questions-en-blind-1.tsv", 120, 94, 1},  Floor{"questions-blind-3.tsv", 160, 96, 1},
    Floor{"questions-en-blind-2.tsv", 120, 95, 0},  Floor{"questions-blind-4.tsv", 160, 97, 0},
    Floor{"questions-en-blind-3.tsv", 120, 93, 1},  Floor{"questions-blind-5.tsv", 160, 97, 0},
    Floor{"questions-en-blind-4.tsv", 120, 96, 0},  Floor{"questions-blind-6.tsv", 160, 97, 0},
    Floor{"questions-en-blind-5.tsv", 120, 95, 0},  Floor{"questions-blind-7.tsv", 160, 96, 0},
    Floor{"questions-en-blind-6.tsv", 120, 96, 0},  Floor{"questions-blind-8.tsv", 160, 97, 0},
    Floor{"questions-en-blind-7.tsv", 120, 96, 0},  Floor{"questions-blind-9.tsv", 160, 97, 0},
    Floor{"questions-en-blind-8.tsv", 120, 97, 0},  Floor{"questions-blind-10.tsv", 160, 97, 0},
    Floor{"questions-en-blind-9.tsv", 120, 96, 0},  Floor{"questions-blind-11.tsv", 160, 97, 1},
    Floor{"questions-en-blind-10.tsv", 120, 97, 1}, Floor{"questions-blind-12.tsv", 160, 96, 1},
    Floor{"questions-en-blind-11.tsv", 120, 96, 0}, Floor{"questions-blind-13.tsv", 166, 98, 0},
    Floor{"questions-en-blind-12.tsv", 128, 94, 0}, Floor{"questions-blind-14.tsv", 160, 98, 0},
    Floor{"questions-en-blind-13.tsv", 121, 97, 0}, Floor{"questions-blind-15.tsv", 160, 98, 0},
    Floor{"questions-en-blind-14.tsv", 122, 97, 0}, Floor{"questions-blind-16.tsv", 168, 98, 0},
    Floor{"questions-en-blind-15.tsv", 131, 97, 0}, Floor{"questions-blind-17.tsv", 163, 98, 0},
    Floor{"questions-en-blind-16.tsv", 137, 97, 0}, Floor{"questions-blind-18.tsv", 164, 97, 1},
    Floor{"questions-en-blind-17.tsv", 131, 96, 0}, Floor{"questions-blind-19.tsv", 160, 99, 0},
    Floor{"questions-en-blind-18.tsv", 133, 99, 0}, Floor{"questions-blind-20.tsv", 165, 97, 0},
    Floor{"questions-en-blind-19.tsv", 138, 96, 0}, Floor{"questions-blind-21.tsv", 167, 99, 0},
    Floor{"questions-en-blind-20.tsv", 139, 97, 0}, Floor{"questions-blind-22.tsv", 170, 99, 0},
    Floor{"questions-en-blind-21.tsv", 148, 99, 0}, Floor{"questions-blind-23.tsv", 175, 98, 0},
    Floor{"questions-en-blind-22.tsv", 143, 99, 0}, Floor{"questions-blind-24.tsv", 170, 98, 0},
    Floor{"questions-en-blind-23.tsv", 142, 98, 0}, Floor{"questions-blind-25.tsv", 174, 99, 0},
    Floor{"questions-en-blind-24.tsv", 145, 97, 0}, Floor{"questions-blind-26.tsv", 168, 98, 0},
    Floor{"questions-en-blind-25.tsv", 143, 97, 0}, Floor{"questions-blind-27.tsv", 170, 99, 0},
    Floor{"questions-en-blind-26.tsv", 142, 98, 0}, Floor{"questions-blind-28.tsv", 173, 99, 0},
    Floor{"questions-en-blind-27.tsv", 148, 99, 0}, Floor{"questions-blind-29.tsv", 170, 99, 0},
    Floor{"questions-en-blind-28.tsv", 146, 99, 0}, Floor{"questions-blind-30.tsv", 176, 99, 0},
    Floor{"questions-en-blind-29.tsv", 144, 99, 0}, Floor{"questions-blind-31.tsv", 168, 99, 0},
    Floor{"questions-en-blind-30.tsv", 144, 99, 0}, Floor{"questions-blind-32.tsv", 172, 98, 0},
    Floor{"questions-en-blind-31.tsv", 142, 99, 0}, Floor{"questions-blind-33.tsv", 169, 98, 0},
    Floor{"questions-en-blind-32.tsv", 148, 99, 0}, Floor{"questions-blind-34.tsv", 176, 99, 0},
    Floor{"questions-en-blind-33.tsv", 144, 99, 0}, Floor{"questions-blind-35.tsv", 179, 99, 0},
    Floor{"questions-en-blind-34.tsv", 144, 99, 0}, Floor{"questions-blind-36.tsv", 173, 98, 0},
    Floor{"questions-en-blind-35.tsv", 144, 97, 0}, Floor{"questions-blind-37.tsv", 176, 99, 0},
    Floor{"questions-en-blind-36.tsv", 143, 99, 0}, Floor{"questions-blind-38.tsv", 178, 98, 0},
    Floor{"questions-en-blind-37.tsv", 144, 99, 0}, Floor{"questions-blind-39.tsv", 176, 98, 0},
    Floor{"questions-en-blind-38.tsv", 147, 99, 0}, Floor{"questions-blind-40.tsv", 176, 99, 0},
    Floor{"questions-en-blind-39.tsv", 144, 98, 0}, Floor{"questions-blind-41.tsv", 175, 99, 0},
    Floor{"questions-en-blind-40.tsv", 147, 99, 0}, Floor{"questions-blind-42.tsv", 182, 99, 0},
    Floor{"questions-en-blind-41.tsv", 149, 99, 0}, Floor{"questions-blind-43.tsv", 178, 98, 0},
    Floor{"questions-en-blind-42.tsv", 145, 99, 0}, Floor{"questions-blind-44.tsv", 178, 99, 0},
    Floor{"questions-en-blind-43.tsv", 145, 99, 0}, Floor{"questions-blind-45.tsv", 178, 99, 0},
    Floor{"questions-en-blind-44.tsv", 147, 99, 0}, Floor{"questions-blind-46.tsv", 179, 99, 0},
    Floor{"questions-en-blind-45.tsv", 146, 99, 0}};

// The sets in four parts, each a test of its own: under ThreadSanitizer all of them at once take
// about a minute, the limit a unit test has.
void expect_floors(std::size_t part) {
  constexpr std::size_t kParts = 4;
  const std::size_t n = std::size(kFloors);
  for (std::size_t i = part * n / kParts; i < (part + 1) * n / kParts; ++i) {
    const Floor& f = kFloors[i];
    const SetScore s = score_set(f.set);
    ASSERT_EQ(s.total, f.total) << f.set;
    EXPECT_GE(s.right * 100, s.total * f.percent) << f.set << ": " << s.right << "/" << s.total;
    EXPECT_LE(s.off_topic_answered, f.off_topic_at_most) << f.set;
  }
}

TEST(Understanding, BlindSetsStayAboveTheirFloorsPart1) {
  expect_floors(0);
}

TEST(Understanding, BlindSetsStayAboveTheirFloorsPart2) {
  expect_floors(1);
}

TEST(Understanding, BlindSetsStayAboveTheirFloorsPart3) {
  expect_floors(2);
}

TEST(Understanding, BlindSetsStayAboveTheirFloorsPart4) {
  expect_floors(3);
}

// Other offices' subjects (content/referrals.yaml) name the office instead of guessing.
TEST(Understanding, QuestionsForOtherOfficesAreReferredThere) {
  const std::pair<const char*, const char*> cases[] = {
      {"làm sổ hồng cho nhà mới mua ở đâu", "referral:land"},
      {"sổ hồng", "referral:land"},  // "hồng" here is not the teencode "hong" (= không)
      {"lam so hong mat bao lau", "referral:land"},
      {"quyết toán thuế thu nhập cá nhân ở đâu", "referral:tax"},
      {"the bhyt cua con het han gia han o dau", "referral:social-insurance"},
      {"nhà bị trộm xe máy thì trình báo ở đâu", "referral:police"},
      {"tra cứu phạt nguội xe máy ở đâu", "referral:traffic"},
      {"hộ kinh doanh muốn vay vốn ưu đãi ở ngân hàng chính sách xã hội, lãi suất bao nhiêu",
       "referral:banking"},
      {"how to register a brand new company in HCMC", "referral:company-registration"}};
  for (const auto& [q, payload] : cases) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kIntent) << q;
    EXPECT_EQ(r.payload, payload) << q;
  }
  // For the evaluation script a referral is the honest fallback, with the office's subject.
  const auto j = describe(understanding().interpret("làm sổ hồng ở đâu"), shipped());
  EXPECT_EQ(j["intent"], "fallback");
  EXPECT_EQ(j["referral"], "land");
  // Our own subjects stay ours.
  EXPECT_EQ(understanding().interpret("kiểm định cân điện tử ở chợ").kind, Kind::kExplainer);
  EXPECT_EQ(understanding().interpret("hộ kinh doanh lên doanh nghiệp được hỗ trợ gì").kind,
            Kind::kExplainer);
  // A traffic fine paid online is no question about online public services.
  const auto fine = understanding().interpret(
      "tra cứu phạt nguội xe máy ở đâu, bị phạt thì nộp online được không");
  EXPECT_NE(fine.kind, Kind::kExplainer);
  EXPECT_NE(fine.kind, Kind::kClarify);
}

// A request the bot is not for (a song, a joke) is told so plainly — as it is typed, without
// diacritics or in telex typos — but a question about music (royalties, registering a song)
// rules it out, and "not for us" is never reached by ranking on a shared word.
TEST(Understanding, ASongOrAJokeIsNotForUsUnlessTheQuestionIsAboutIt) {
  for (const char* q :
       {"mở bài hát của Sơn Tùng cho tôi nghe", "mowr bai hat cuar son tung cho toi nghe",
        "hát 1 bài cho e nghe đi", "ke chuyen cuoi di ad buon qua", "PLAY A SONG FOR ME"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kIntent) << q;
    EXPECT_EQ(r.payload, "fallback:smalltalk") << q;
    EXPECT_EQ(describe(r, shipped())["intent"], "fallback") << q;  // the evaluation's contract
  }
  for (const char* q : {"quán cà phê mở nhạc có phải trả tiền bản quyền không",
                        "tiệm mình phát nhạc cho khách nghe có cần xin phép không",
                        "đăng ký bản quyền bài hát", "bài hát", "nghe nhạc"}) {
    const auto r = understanding().interpret(q);
    EXPECT_NE(r.payload, "fallback:smalltalk") << q;
    for (const auto& c : r.candidates) EXPECT_NE(c.explainer, "fallback:smalltalk") << q;
  }
  EXPECT_EQ(understanding().interpret("đăng ký bản quyền bài hát").explainer, "ip-copyright");
  // The words that rule it out are the content's, not the code's: without them the royalty
  // question would be taken for a request to play music.
  content::Snapshot no_unless = shipped();
  for (auto& in : no_unless.intents) in.unless.clear();
  EXPECT_EQ(Understanding(no_unless)
                .interpret("quán cà phê mở nhạc có phải trả tiền bản quyền không")
                .payload,
            "fallback:smalltalk");
  // unless: also keeps a ranked intent from winning on the words it shares with the message.
  content::Snapshot booking_unless = shipped();
  for (auto& in : booking_unless.intents)
    if (in.id == "booking")
      in.unless = {"tư vấn"};
  const Understanding ruled(booking_unless);
  for (const char* q : {"cho mình đặt lịch tư vấn", "hẹn lịch tư vấn khởi nghiệp tuần sau"}) {
    EXPECT_EQ(understanding().interpret(q).payload, "booking") << q;
    EXPECT_NE(ruled.interpret(q).payload, "booking") << q;
  }
}

// Referral documents are searchable but do not count in the index's statistics, so adding
// them leaves every explainer's score — and the thresholds calibrated on those — as it was.
TEST(Understanding, ReferralsLeaveTheExplainersScoresAsTheyWere) {
  content::Snapshot without = shipped();
  ASSERT_FALSE(without.referrals.empty());
  without.referrals.clear();
  const Understanding plain(without);
  for (const char* q :
       {"kiểm định cân điện tử ở chợ", "đăng ký nhãn hiệu cho quán cà phê",
        "tiết kiệm điện cho cửa hàng", "tiểu thương bán hàng trên chợ trực tuyến"}) {
    const auto a = understanding().interpret(q);
    const auto b = plain.interpret(q);
    ASSERT_FALSE(a.candidates.empty()) << q;
    ASSERT_FALSE(b.candidates.empty()) << q;
    EXPECT_EQ(a.candidates.front().explainer, b.candidates.front().explainer) << q;
    EXPECT_DOUBLE_EQ(a.candidates.front().score, b.candidates.front().score) << q;
  }
}

// Two sets written by helpers who saw neither the content nor each other's set
// (tests/fixtures/questions-referrals*.tsv): other offices' subjects, off-topic chat, and our
// own subjects worded like another office's. The first guided the keywords; the second was
// measured once, afterwards (see README "Understanding").
TEST(Understanding, ReferralSetsStayAboveTheirFloor) {
  int referred_right = 0;
  int referral_asked = 0;
  int ours_sent_away = 0;
  int chat_sent_away = 0;
  for (const char* file : {"questions-referrals.tsv", "questions-referrals-heldout.tsv"}) {
    each_question(file, [&](const std::string& q, const std::string& expected) {
      const auto r = understanding().interpret(q);
      const bool referred = r.kind == Kind::kIntent && r.payload.starts_with("referral:");
      if (expected.starts_with("ref:")) {
        ++referral_asked;
        referred_right += referred && r.payload == "referral:" + expected.substr(4) ? 1 : 0;
      } else if (expected == "fallback") {
        chat_sent_away += referred ? 1 : 0;
      } else {
        ours_sent_away += referred ? 1 : 0;
      }
    });
  }
  ASSERT_EQ(referral_asked, 112);
  EXPECT_GE(referred_right * 100, referral_asked * 55) << referred_right << "/" << referral_asked;
  EXPECT_EQ(ours_sent_away, 0);
  EXPECT_EQ(chat_sent_away, 0);
}

// --- In the conversation ---

// The explainer answers, or is the first of a "did you mean".
bool answers_first(const Interpretation& r, const std::string& explainer) {
  return (r.kind == Kind::kExplainer || r.kind == Kind::kClarify) && r.explainer == explainer;
}

// Subjects that sit next to ours: a brand-new company, taxes, water, visas. A referral's
// `unless:` words keep our own question ours ("hộ kinh doanh … thành lập công ty" is converting a
// household business), and a named subject outweighs a long key phrase of an explainer ("bán
// hàng online … đóng thuế" is a tax question).
TEST(Understanding, NeighbouringSubjectsGoToTheirOfficeAndOursStayOurs) {
  const std::pair<const char*, const char*> cases[] = {
      {"bán hàng online trên shopee thì đóng thuế thế nào", "referral:tax"},
      {"thuế môn bài hộ kinh doanh năm nay còn phải đóng không", "referral:tax"},
      {"khu tôi cúp nước 2 ngày rồi gọi ai", "referral:water"},
      {"gia hạn visa cho chồng người nước ngoài ở đâu", "referral:foreigners"},
      {"how do I apply for a work permit", "referral:labour"},
      {"công ty nợ lương 3 tháng rồi giờ khiếu nại ở đâu", "referral:labour"},
      {"website bán hàng của công ty có phải thông báo với bộ công thương không",
       "referral:ecommerce-website"},
      {"quán karaoke cần giấy phép pccc gì", "referral:fire-safety"},
      {"đổi bằng lái xe hết hạn ở đâu", "referral:traffic"}};
  for (const auto& [q, payload] : cases)
    EXPECT_EQ(understanding().interpret(q).payload, payload) << q;
  // What is asked after "thì" decides, and a subject said after a negation rules nothing out.
  for (const auto& [q, payload] :
       {std::pair{"bán hàng online trên shopee với tiktok thì đóng thuế thế nào, sàn có khấu trừ "
                  "luôn ko",
                  "referral:tax"},
        std::pair{"tôi muốn thành lập công ty mới hoàn toàn chứ ko phải từ hộ kinh doanh, đăng ký "
                  "ở đâu",
                  ""},
        std::pair{"first time open a brand new company in vietnam, where do I submit the "
                  "business registration?",
                  ""}}) {
    // No explainer; the office named when the evidence stands out, else the honest fallback.
    const auto r = understanding().interpret(q);
    EXPECT_TRUE(r.kind == Kind::kIntent || r.kind == Kind::kFallback) << q;
    EXPECT_EQ(r.explainer, "") << q;
    if (*payload)
      EXPECT_EQ(r.payload, payload) << q;
    else
      EXPECT_TRUE(r.payload.empty() || r.payload == "referral:company-registration") << q;
  }
  for (const char* q : {"Tiệm tạp hóa nhà tôi muốn thành lập công ty thì ai hướng dẫn?",
                        "Hộ kinh doanh của tôi chuyển lên công ty thì có được miễn thuế môn "
                        "bài mấy năm đầu không?"})
    EXPECT_TRUE(answers_first(understanding().interpret(q), "household-to-enterprise")) << q;
  // A referral whose subject the question does not name (it shares only words any procedure has,
  // "cần giấy tờ gì") does not hold our answer back.
  EXPECT_TRUE(answers_first(understanding().interpret("giờ muốn đăng ký cái tên riêng cho nước mắm "
                                                      "nhà làm sợ người ta nhái thì cần giấy tờ gì "
                                                      "vậy em"),
                            "ip-trademark"));
}

// Greetings in any mix of their words are the menu; a greeting with a question is the question.
TEST(Understanding, AGreetingInAnyMixOfItsWordsIsTheMenu) {
  for (const char* q : {"alo ad oi", "chào ad ơi", "hello bot", "hi ad", "agent"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kIntent) << q;
    EXPECT_EQ(r.payload, std::string(q) == "agent" ? "handoff" : "menu") << q;
  }
  EXPECT_TRUE(answers_first(understanding().interpret("chào ad, cho hỏi đăng ký nhãn hiệu"),
                            "ip-trademark"));
}

// The reading: a syllable typed with its diacritics is kept ("triệu" is no slip for "tiêu"), a
// short English word too ("want" is no slip for "wait"), and words without diacritics take the
// forms that fit the whole phrase ("bat dau tu dau" reads "bắt đầu từ đâu").
TEST(Understanding, TheReadingKeepsWhatWasTypedAndRestoresWholePhrases) {
  auto r = understanding().interpret("chuyen doi so cho ho kinh doanh bat dau tu dau");
  EXPECT_NE(r.reading.find("bắt đầu từ đâu"), std::string::npos) << r.reading;
  r = understanding().interpret("cân ở chợ bị sai thì báo ai, tôi mua 1 triệu tiền hàng");
  EXPECT_EQ(r.reading.find("tiêu"), std::string::npos) << r.reading;
  EXPECT_TRUE(answers_first(r, "market-scales") || answers_first(r, "measuring-verification"))
      << r.reading;
  // An English word is known by its stem and small words stay as typed ("where" is no "here").
  r = understanding().interpret("my EVN bill double this month, where do I complain");
  EXPECT_EQ(r.reading.find("doubl "), std::string::npos) << r.reading;
  EXPECT_EQ(r.reading.find(" here "), std::string::npos) << r.reading;
  r = understanding().interpret("i want to register my brand");
  EXPECT_TRUE(answers_first(r, "ip-trademark"));
  EXPECT_EQ(r.reading, "") << "nothing was mended";
  r = understanding().interpret("thứ 7 có làm việc ko ad");
  EXPECT_TRUE(answers_first(r, "contact")) << r.reading;
}

TEST(EnText, TellsEnglishFromVietnameseTypedWithoutDiacritics) {
  auto english = [](const char* s) {
    return looks_english(text::words(text::lower(s)));
  };
  EXPECT_TRUE(english("How do I register a trademark for my bakery?"));
  EXPECT_TRUE(english("where can I get my scale checked"));
  EXPECT_TRUE(english("Is there an event on May 18"));
  EXPECT_FALSE(english("dang ky nhan hieu cho tiem banh"));
  EXPECT_FALSE(english("can dien tu o cho co phai kiem dinh ko"));
  EXPECT_FALSE(english("Đăng ký nhãn hiệu cho tiệm bánh"));
  EXPECT_FALSE(english("dangd kys nhaan hieeuj"));  // Telex leftovers are Vietnamese
  EXPECT_TRUE(is_english_stopword("the"));
  EXPECT_FALSE(is_english_stopword("trademark"));
  EXPECT_EQ(english_stem("startups"), "startup");
  EXPECT_EQ(english_stem("registered"), "register");
  EXPECT_EQ(english_stem("labelling"), "label");
  EXPECT_EQ(english_stem("verified"), "verify");
  EXPECT_EQ(english_stem("companies"), "company");
  EXPECT_EQ(english_stem("business"), "business");
  for (const char* w : {"double", "doubled", "doubles"}) EXPECT_EQ(english_stem(w), "doubl") << w;
  for (const char* w : {"recognise", "recognised", "recognized", "recognizing"})
    EXPECT_EQ(english_stem(w), "recogniz") << w;
  EXPECT_EQ(english_stem("organisation"), english_stem("organization"));
  EXPECT_EQ(english_stem("news"), "news");  // not "new": "get a new one" asks for no news
  // A word of the English word list is meant as typed ("parent" is no typo of "patent").
  if (is_english_word("parent")) {
    EXPECT_FALSE(is_english_word("recieve"));
    const auto r = understanding().interpret("enrol my kid in primary school, foreign parent");
    EXPECT_NE(r.explainer, "ip-patent");
  }
  EXPECT_EQ(english_stem("does"), "does");    // a function word stays one
  EXPECT_EQ(english_stem("nhieu"), "nhieu");  // Vietnamese syllables never end so
}

// English questions are ranked on the English explainers; the answer is the same explainer.
TEST(Understanding, EnglishQuestionsAreReadInEnglish) {
  const std::pair<const char*, const char*> cases[] = {
      {"how do I register a trademark for my shop", "ip-trademark"},
      {"does my market scale need to be verified", "measuring-verification"},
      {"what support is there for startups", "startup-support"},
  };
  for (const auto& [q, topic] : cases) {
    const auto j = describe(understanding().interpret(q), shipped());
    EXPECT_EQ(j["intent"], "explainer") << q;
    ASSERT_FALSE(j["topics"].empty()) << q;
    EXPECT_EQ(j["topics"][0], topic) << q;
  }
  EXPECT_EQ(understanding().interpret("what is the price of gold today").kind, Kind::kFallback);
  // The lexicon still ranks "brand" as nhãn hiệu, but a Vietnamese gloss is no help to an
  // English reader: nothing to show back.
  const auto brand = understanding().interpret("how do I register my brand");
  EXPECT_TRUE(answers_first(brand, "ip-trademark"));
  EXPECT_EQ(brand.reading, "");
}

// Everyday words (content/lexicon.yaml) rank as the content's term and show in the reading; a
// phrase whose edge word pairs with its neighbour as in the content is that pair.
TEST(Understanding, EverydayWordsStandForTheContentsTermAndTheReadingSaysSo) {
  auto r = understanding().interpret("dang ky logo cho quan cafe");
  EXPECT_TRUE(answers_first(r, "ip-trademark"));
  EXPECT_EQ(r.reading, "đăng ký logo (nhãn hiệu) cho quán cafe");  // "cafe" is not "safe"
  // A term said twice in other words is glossed once.
  r = understanding().interpret("đăng ký tên tiệm để khỏi bị nhái thì làm sao");
  EXPECT_EQ(r.reading.find("(nhãn hiệu)"), r.reading.rfind("(nhãn hiệu)")) << r.reading;
  EXPECT_NE(r.reading.find("(nhãn hiệu)"), std::string::npos) << r.reading;
  r = understanding().interpret("cân điêu ở chợ báo ai");
  EXPECT_NE(r.reading.find("cân điêu (kiểm định)"), std::string::npos) << r.reading;
  r = understanding().interpret("ghi made in Vietnam tren bao bi thi can dieu kien gi");
  EXPECT_EQ(r.reading.find("kiểm định"), std::string::npos) << r.reading;
  // A labelling question ("Made in Vietnam" on the packaging), either explainer of the topic.
  EXPECT_TRUE(r.explainer == "labelling" || r.explainer == "labelling-imports") << r.explainer;
  // A letter joined by a hyphen is part of a compound, not teencode ("e" alone is "em").
  r = understanding().interpret("tiet kiem dien khi sac e-bike");
  EXPECT_EQ(r.reading.find("em bike"), std::string::npos) << r.reading;
  r = understanding().interpret("e muon hoi ve nhan hieu");
  EXPECT_EQ(r.reading.rfind("em muốn", 0), 0u) << r.reading;
  // A message that already says the term is shown without it.
  r = understanding().interpret("thứ 7 có làm việc ko ad");
  EXPECT_TRUE(answers_first(r, "contact"));
  EXPECT_EQ(r.reading.find("(giờ làm việc)"), std::string::npos) << r.reading;
}

// A message with a word of everyday chat (content/chat_words.yaml) that no explainer answers
// well is the honest fallback, not a "did you mean" on a shared word; a real question keeps
// its answer.
TEST(Understanding, ChatAboutFoodOrLoveIsNotAQuestionForUs) {
  for (const char* q :
       {"sáng kiến nấu ăn ngon", "thương hiệu trà sữa nào ngon nhất", "người yêu bỏ thì làm sao"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kFallback) << q << " → " << r.payload;
    EXPECT_TRUE(r.candidates.empty()) << q;
  }
  const auto shop = understanding().interpret("quán trà sữa của mình muốn đăng ký thương hiệu");
  EXPECT_TRUE(answers_first(shop, "ip-trademark"));
}

// The words of a chat phrase are no evidence: what is left must make the answer by itself, and
// a chat phrase of three words is chat wherever it sits (its last word may pair with the next
// as in the content: "tiền mua").
TEST(Understanding, ChatWordsAreNoEvidenceForAnExplainer) {
  for (const char* q :
       {"lương 10 triệu thì tiết kiệm tiền mua nhà kiểu gì", "tiết kiệm tiền mua nhà thế nào",
        "luong 10 trieu tiet kiem tien mua nha"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kFallback) << q << " → " << r.explainer;
  }
  // A chat word inside a real question leaves the question ours.
  EXPECT_TRUE(
      answers_first(understanding().interpret(
                        "đăng ký quyền tác giả cho bài hát tự sáng tác mất bao lâu, phí bn"),
                    "ip-copyright"));
  EXPECT_TRUE(
      answers_first(understanding().interpret(
                        "cách tiết kiệm điện cho quán cà phê, tiền điện tháng nào cũng cao"),
                    "energy-saving-business"));
}

// In English, teencode for one Vietnamese word is the English word it spells ("vs" is
// "versus", not "với"); an acronym of one of the content's terms still reads as the term.
TEST(Understanding, EnglishKeepsItsOwnShortWords) {
  const auto vs = understanding().interpret("trademark vs patent, which one protects my logo");
  EXPECT_EQ(vs.reading.find("với"), std::string::npos) << vs.reading;
  const auto hkd = understanding().interpret("HKD to company conversion steps");
  EXPECT_NE(hkd.reading.find("hộ kinh doanh"), std::string::npos) << hkd.reading;
  EXPECT_TRUE(answers_first(hkd, "household-to-enterprise"));
}

// In English an acronym with an English meaning reads as it as well ("CĐS" is digital
// transformation), an English word stays English ("startup" is not "khởi nghiệp"), a "did you
// mean" offers first the explainer the question names, and "my workshop" is a place.
TEST(Understanding, EnglishReadsAcronymsAndKeepsItsWords) {
  const auto cds = understanding().interpret("CĐS support program for household businesses?");
  EXPECT_TRUE(cds.english);
  EXPECT_TRUE(answers_first(cds, "digital-transformation-sme")) << cds.explainer;
  const auto startup =
      understanding().interpret("can i get a 1-on-1 startup consultation tuesday afternoon?");
  EXPECT_EQ(startup.reading.find("khởi nghiệp"), std::string::npos) << startup.reading;
  EXPECT_TRUE(startup.payload.starts_with("booking")) << startup.payload;
  const auto shop = understanding().interpret("how do I register a trademark for my coffee shop");
  ASSERT_FALSE(shop.candidates.empty());
  EXPECT_EQ(shop.candidates.front().explainer, shop.explainer);
  EXPECT_TRUE(shop.explainer.starts_with("ip-trademark")) << shop.explainer;
  const auto workshop = understanding().interpret(
      "how to register industrial design for furniture i make in my workshop");
  EXPECT_TRUE(answers_first(workshop, "ip-industrial-design")) << workshop.payload;
  EXPECT_FALSE(understanding().interpret("đăng ký dự hội thảo chuyển đổi số").english);
}

// Who may take part in a contest is the contest's explainer, not the events list; signing up for
// a ceremony is an event; the person's own number is their data, not the office's contact; a
// brand-new limited company is the business registration office's.
TEST(Understanding, EligibilityOwnDataAndNewCompaniesGoWhereTheyBelong) {
  const auto who = understanding().interpret(
      "youth innovation contest for university students in hcmc, who can join?");
  EXPECT_NE(who.payload, "events");
  EXPECT_EQ(understanding().interpret("cho em đăng ký tham gia lễ kỷ niệm 18/5 năm nay").payload,
            "events");
  EXPECT_TRUE(answers_first(understanding().interpret("why u need my phone number"), "privacy"));
  EXPECT_TRUE(
      answers_first(understanding().interpret("thông tin em nhắn ở đây ai đọc được"), "privacy"));
  EXPECT_EQ(understanding()
                .interpret("em muốn mở công ty TNHH mới, chưa từng kinh doanh, đăng ký ở đâu")
                .payload,
            "referral:company-registration");
  // Written in full, a lexicon phrase leaves the abbreviation next to it alone ("sđt của e").
  EXPECT_TRUE(answers_first(understanding().interpret("bot có lưu sđt của e ko"), "privacy"));
  EXPECT_TRUE(answers_first(understanding().interpret("tra cứu tình trạng hồ sơ đã nộp online"),
                            "public-services-online"));
  EXPECT_EQ(understanding().interpret("cancel my meeting tomorrow pls").payload, "booking:mine");
  EXPECT_EQ(understanding().interpret("máy lạnh nhà em chạy kêu to là bị gì vậy").kind,
            Kind::kFallback);
}

// "AI" typed in capitals is artificial intelligence, "ai" is "who", and a message all in
// capitals says nothing by its capitals. A word that is both English and a Vietnamese syllable
// ("the", "cut", "day") says nothing of the language. Bringing the power bill down is ours, a
// power cut's damage is the power company's.
TEST(Understanding, CapitalsLanguageAndThePowerBill) {
  EXPECT_TRUE(answers_first(
      understanding().interpret("phường có đưa AI vào giải quyết thủ tục hay trả lời dân ko"),
      "smart-city"));
  const auto who = understanding().interpret("ai phụ trách đăng ký nhãn hiệu");
  EXPECT_EQ(who.reading.find("trí tuệ"), std::string::npos) << who.reading;
  EXPECT_NE(understanding().interpret("AI PHỤ TRÁCH ĐĂNG KÝ NHÃN HIỆU").explainer, "smart-city");
  const auto tips = understanding().interpret(
      "tips to cut the electricity bill in my restaurant, aircon runs all day");
  EXPECT_TRUE(tips.english);
  EXPECT_TRUE(tips.explainer.starts_with("energy-saving")) << tips.payload;
  EXPECT_FALSE(understanding().interpret("cho toi hoi the nao la nhan hieu").english);
  EXPECT_EQ(understanding()
                .interpret("điện bị cúp ko báo trước làm hư tủ lạnh, EVN có bồi thường ko")
                .payload,
            "referral:electricity-billing");
  EXPECT_EQ(understanding()
                .interpret("electricity bill doubled this month although we save power, where "
                           "to complain")
                .payload,
            "referral:electricity-billing");
  EXPECT_EQ(
      understanding().interpret("i want to get notified about new events and training").payload,
      "subscribe");
}

// What a question comes to: "fallback", the explainer answered or offered, or the payload.
std::string reached(const std::string& q) {
  const auto r = understanding().interpret(q);
  if (r.kind == Kind::kFallback)
    return "fallback";
  return r.explainer.empty() ? r.payload : r.explainer;
}

// Each question reaches its answer (`reached`).
void expect_reached(std::initializer_list<std::pair<const char*, const char*>> cases) {
  for (const auto& [q, expected] : cases) EXPECT_EQ(reached(q), expected) << q;
}

// Rounds 19 and 20 (README "Understanding"): a new meter is the power company's, checking one
// is ours; what the service keeps about me is the data explainer, also when the data was given
// while booking; a breakfast idea is chat; software to manage sales is digital transformation;
// a scale "verified" and a short-pumping petrol station are measurement; "còn là quận" is the
// reorganisation; an old ward's name is an address even beside a word that could ask ("giờ
// muốn làm sổ hồng"); English for a birth, a person and declaring tax.
TEST(Understanding, WhatRoundsNineteenAndTwentyLearned) {
  expect_reached(
      {{"xin lắp công tơ điện riêng cho phòng trọ", "referral:electricity-billing"},
       {"kiểm định công tơ điện ở đâu", "meters-water-power"},
       {"hệ thống lưu những thông tin gì về tôi vậy", "privacy"},
       {"số điện thoại mình đưa lúc đặt lịch có bị chia sẻ cho bên thứ ba không", "privacy"},
       {"cho mình đặt lịch tư vấn", "booking"},
       {"sáng kiến nấu bữa tối cho cả nhà", "fallback"},
       {"we need sales software to manage stock for our family shop", "digital-transformation-sme"},
       {"where do I get the scale at my stall verified", "market-scales"},
       {"cây xăng bơm thiếu thì báo ai", "measuring-verification"},
       {"Gò Vấp còn là quận không", "ward-reorganization"},
       {"nhà tôi ở phường 12 cũ, giờ muốn làm sổ hồng thì thủ tục thế nào", "referral:land"},
       {"phường 7 cũ giờ là phường gì", "ward:7"},
       {"how do I get a birth registration for my son", "referral:civil-status"},
       {"connect me to an officer please", "handoff"},
       {"where do I declare tax for my shop", "referral:tax"},
       // Booking about data security is still a booking; "vậy" closing a question is not a loan.
       {"cho mình đặt lịch tư vấn về bảo mật dữ liệu cho startup", "booking"},
       {"I want to book a session to share my startup idea", "booking"},
       {"phí bao nhiêu vậy", "fallback"},
       {"phi bao nhieu vay", "fallback"},
       {"toi muon vay von", "referral:banking"}});
}

// Round 21 (README "Understanding"): saving energy is saving electricity; creative startups are
// supported by the startup explainer unless Resolution 98 is named; online procedures that need
// VNeID level 2 are ours (getting the account is the police's); going in person is contact; a
// contest for students is the school contests'; someone bored asking for a chat is not asking
// for staff; English as chats spell it ("wat", "pls", "phone no.").
TEST(Understanding, WhatRoundTwentyOneLearned) {
  expect_reached(
      {{"xưởng may nhỏ muốn tiết kiệm năng lượng có chương trình hỗ trợ không",
        "energy-saving-home"},
       {"khởi nghiệp sáng tạo được hỗ trợ gì", "startup-support"},
       {"ngân sách thành phố hỗ trợ khởi nghiệp sáng tạo theo nghị quyết 98 thế nào",
        "resolution-98-hcmc"},
       {"làm thủ tục online có cần VNeID mức 2 không", "public-services-online"},
       {"làm vneid mức 2 ở đâu", "referral:identity-residence"},
       {"muốn đến trực tiếp văn phòng tư vấn khởi nghiệp thì đi đâu", "contact"},
       {"có ý tưởng khởi nghiệp, có cuộc thi nào dành riêng cho sinh viên không",
        "youth-innovation"},
       {"em có ý tưởng khởi nghiệp app cho sinh viên, phường hỗ trợ gì", "startup-support"},
       {"buồn quá, nói chuyện với mình chút đi", "fallback"},
       {"cho mình nói chuyện với cán bộ", "handoff"},
       {"wat is WHISE", "whise-istar"},
       {"phone no. of the startup office pls", "contact"}});
}

// Round 22: "AI" typed in capitals is the acronym beside any word; hanging up a price list and
// an inspector dropping by are the content's terms; "làm được gì" is the bot's help only when
// the bot is asked; a hairstyle is chat; a patent agent is not our staff; English for data
// kept, going digital, a standards declaration and an inspection notice.
TEST(Understanding, WhatRoundTwentyTwoLearned) {
  expect_reached(
      {{"phường có dùng AI để trả lời người dân ko", "smart-city"},
       {"tiệm tóc có phải treo bảng giá không ạ", "price-listing"},
       {"tiệm cắt tóc có phải niêm yết giá không", "price-listing"},
       {"thanh tra ghé tiệm kiểm tra cân với bảng giá thì cần chuẩn bị gì", "inspection"},
       {"tiệm sửa xe nhỏ như em thì chuyển đổi số làm được gì", "digital-transformation-sme"},
       {"bạn làm được gì", "help"},
       {"bot này làm được những gì vậy", "help"},
       {"đổi mới sáng tạo kiểu tóc cho mặt tròn", "fallback"},
       {"sinh viên muốn khởi nghiệp thì bắt đầu từ đâu", "startup-support"},
       {"đăng ký khai sinh cho con ở đâu vậy ad", "referral:civil-status"},
       {"do i need an agent to file a patent", "ip-patent"},
       {"i need an agent", "handoff"},
       {"what data do u keep abt me", "privacy:show"},
       {"any support for shops going digital", "digital-transformation-sme"},
       {"supermarket asks for a standards declaration for my sauce", "conformity-declaration"},
       {"we got an inspection notice, what do they check", "inspection"}});
}

// Round 23: selling "lên mạng" is e-commerce, also before "mà"; ISO 9001 for a company is the
// productivity explainer; a fine for a scale not verified is no traffic fine; a price list
// written up, a fair to sign up for, a pension paid into a bank; English for protecting IP, a
// bottle's shape, a technology solution and booking a consult.
TEST(Understanding, WhatRoundTwentyThreeLearned) {
  expect_reached(
      {{"chị muốn bán lên mạng mà không rành công nghệ", "online-market"},
       {"công ty nhỏ có nên làm ISO 9001 không", "iso-productivity"},
       {"bị phạt vì cân không kiểm định thì mức phạt bao nhiêu", "measuring-verification"},
       {"sạp trái cây ở chợ phải ghi bảng giá thế nào", "price-listing"},
       {"cho mình đăng ký tham gia hội chợ công nghệ", "events"},
       {"how do I protect my IP as a restaurant", "ip-overview"},
       {"we need a technology solution for our wastewater", "st-needs"},
       {"I want to book a consult next week", "booking"},
       {"chợ online của phường là gì", "online-market"}});
}

// Rounds 24 and 25: which of several things to protect first is the IP overview; going online
// to sell; "mn" (mọi người) is whom, not what; what the bot keeps, typed without marks; a traffic
// jam is chat; "Made in Vietnam" on a label is where goods come from; a smart classroom is the
// schools' explainer; a contest's theme is no event list; English for comparing IP rights,
// applying technology, reaching the office, innovation week, a label only in a foreign language,
// saving electricity, S&T support, whether an old ward still exists, walking in on a Saturday,
// cancelling a consultation; whether to register a household business is the one-stop centre's.
// Round 26: a chair's design is an industrial design; a school's own textbook is copyright, not
// enrolment; how often a scale is verified; "đặt 1 buổi" is a booking; English for "product
// of", switching to an LLC, a tech need, posted prices, the city's AI programmes.
TEST(Understanding, WhatRoundsTwentyFourToTwentySixLearned) {
  expect_reached(
      {{"tên quán, logo với mẫu bao bì thì nên bảo hộ cái nào trước", "ip-overview"},
       {"WHISE là gì vậy mn", "whise-istar"},
       {"bot luu nhung thong tin gi cua minh vay", "privacy:show"},
       {"đường Quang Trung đang kẹt xe không", "fallback"},
       {"whats the difference between trademark and patent", "ip-overview"},
       {"science and technology application support for my workshop", "st-needs"},
       {"how can i reach u guys", "contact"},
       {"sign me up for innovation week", "events"},
       {"giải giúp e bài tích phân x^2 dx", "fallback"},
       {"bà muốn lên mạng bán rau thì ai chỉ cho", "online-market"},
       {"áo may ở Gò Vấp thì nhãn ghi Made in Vietnam được không", "labelling-imports"},
       {"trường muốn làm phòng học thông minh thì có hỗ trợ gì", "youth-innovation"},
       {"the label is only in thai, is that ok to sell here", "labelling-imports"},
       {"tips for saving electricity in my spa", "energy-saving-home"},
       {"how do i ask the ward for S&T support", "st-needs"},
       {"my ID says phường 17, does that ward still exist", "ward:17"},
       {"can i walk in on saturday", "contact"},
       {"cancel my consultation tomorrow", "booking:mine"},
       {"bà bán online thì có phải đăng ký hộ kinh doanh không", "fallback"},
       {"hội thi sáng tạo năm nay chủ đề gì", "youth-innovation"},
       {"tôi làm mộc, muốn bảo hộ mẫu ghế tự thiết kế", "ip-industrial-design"},
       {"trường mầm non tự soạn giáo trình, đăng ký quyền tác giả được không", "ip-copyright"},
       {"cân bàn bao lâu phải kiểm định một lần", "measuring-verification"},
       {"muốn đặt 1 buổi với bên tư vấn khởi nghiệp", "booking"},
       {"can my bags say product of vietnam", "labelling-imports"},
       {"when should i switch to an llc", "household-to-enterprise"},
       {"we have a tech need, can you connect us with researchers", "st-needs"},
       {"should the posted prices include vat", "price-listing"},
       {"AI programs of the city for small shops", "smart-city"}});
}

// Round 27: a trademark named beside the product it is for is still the trademark, in
// Vietnamese too; a meter reading written down wrong is the power company's, a meter that runs
// fast is ours; using electricity safely; a booking with words between its verb and what is
// booked; a call back from staff; English for a shop's name, a technical idea, declaring a
// product meets its standard, the inspectors coming to check, Resolution 98's pilots. (Since
// this round a short-pumping petrol station reaches the verification explainer, which lists
// fuel pumps, rather than the market scales one, which does not.)
TEST(Understanding, WhatRoundTwentySevenLearned) {
  expect_reached(
      {{"nhãn hiệu nước mắm của em muốn đăng ký thì làm sao ạ", "ip-trademark"},
       {"bảo hộ mẫu mã hộp bánh trung thu để khỏi bị nhái", "ip-industrial-design"},
       {"EVN ghi sai chỉ số công tơ điện nhà em thì làm sao", "referral:electricity-billing"},
       {"công tơ điện nhà em chạy nhanh bất thường, muốn kiểm định", "meters-water-power"},
       {"dùng điện an toàn mùa mưa cho tiệm sửa xe", "energy-saving-home"},
       {"book a startup consultation", "booking:new"},
       {"can i schedule a meeting with someone about my startup idea on thursday", "booking:new"},
       {"can someone from staff call me back about my case", "handoff"},
       {"can I protect my shop name so nobody copies it", "ip-trademark"},
       {"how do I file for protection so others cant copy the technical idea", "ip-patent"},
       {"my bottled water factory needs to declare it meets the standard, what are the steps",
        "conformity-declaration"},
       {"fines if my goods dont meet standards during an inspection?", "inspection"},
       {"which rules do shops have to follow when the market management team comes to check",
        "inspection"},
       {"HCMC has a pilot mechanism under Res 98 to test new tech, how does that work",
        "resolution-98-hcmc"}});
}

// Round 28: a lexicon phrase whose edge word the content pairs with its neighbour, written the
// same way there, keeps its meaning ("tình trạng hồ sơ" before "nộp", "hồ sơ nộp" in the
// content); other offices' subjects said beside our words (invoices from a cash register, a
// power bill worked out wrong); a training class on rules is an event; "trợ lý ảo" is AI in a
// message in capitals; English for an S&T policy and what to print on a jar.
TEST(Understanding, WhatRoundTwentyEightLearned) {
  expect_reached(
      {{"tra cứu tình trạng hồ sơ nộp online thế nào", "public-services-online"},
       {"tra cuu tinh trang ho so nop online the nao", "public-services-online"},
       {"hộ kinh doanh bắt buộc dùng hóa đơn điện tử khởi tạo từ máy tính tiền ko", "fallback"},
       {"tiền điện kinh doanh của tiệm tính giá bậc thang hay giá cố định, EVN tính sai thì sao",
        "fallback"},
       {"em có ý tưởng làm app kết nối thợ sửa xe quanh nhà, muốn khởi nghiệp thì phường có hỗ "
        "trợ gì ko",
        "startup-support"},
       {"is there a training class on labelling rules i can join", "events"},
       {"what are the rules of the youth innovation contest", "youth-innovation"},
       {"PHƯỜNG CÓ DÙNG AI TRỢ LÝ ẢO GÌ KO", "smart-city"},
       {"is there any government policy supporting S&T and innovation for private firms", "st-law"},
       {"my homemade chili sauce jar what info do i need to print on it", "labelling"}});
  // "government policy" alone is no S&T policy.
  EXPECT_NE(reached("is there government policy to support startups"), "st-law");
}

// Round 29: "trademark" in a Vietnamese message is the trademark; a city's own mechanism is
// Resolution 98's; an interagency inspection team; whether a new scooter looks good is chat;
// meeting an adviser is a booking; submitting online instead of going to the ward.
TEST(Understanding, WhatRoundTwentyNineLearned) {
  expect_reached(
      {{"how to register trademark cho shop quần áo của em ạ", "ip-trademark"},
       {"đăng ký trademark cho shop quần áo", "ip-trademark"},
       {"nghe nói HCM được cơ chế riêng cho đổi mới sáng tạo theo nghị quyết của quốc hội, cụ "
        "thể là gì ạ",
        "resolution-98-hcmc"},
       {"cơ sở kinh doanh phải tuân thủ những gì để ko bị phạt khi đoàn liên ngành kiểm tra",
        "inspection"},
       {"kieu dang xe vision moi dep ko", "fallback"},
       {"i want to meet a startup advisor to go over my business plan, when r u free",
        "booking:new"},
       {"can i submit my application online instead of going to the ward office",
        "public-services-online"}});
}

// Round 30: commissioning an S&T task ("đặt hàng đề tài"), a joke about looks is chat, English
// for proposing a science project and for the inspectors' visit; the everyday chat written in
// round 30 (phones to buy, horoscopes, idols) turns chat that names a word of ours into the
// fallback, and keeps real questions whose words only look like chat without diacritics ("liên
// quan" is not the game "liên quân", "khung" is not "khùng").
TEST(Understanding, WhatRoundThirtyLearned) {
  expect_reached(
      {{"đề xuất đặt hàng đề tài, dự án khoa học công nghệ như thế nào ạ", "st-needs"},
       {"quy chuẩn đẹp trai là gì haha", "fallback"},
       {"how to propose a science project need to the ward", "st-needs"},
       {"we got a visit about labels and scales, what rules do businesses have to comply with",
        "inspection"},
       {"nghi quyet 57 la gi ma tivi noi hoai vay, dan buon ban co lien quan gi ko", "st-law"},
       {"tong quan chinh sach cua nha nuoc ve khoa hoc cong nghe, em muon nam cai khung chung",
        "st-law"},
       {"thương hiệu iphone hay samsung xịn hơn", "fallback"},
       {"khởi nghiệp năm nay có hợp tuổi không", "fallback"},
       {"thần tượng của bạn là ai, có nhãn hiệu riêng không", "fallback"}});
}

// Round 31: a short English word with two letters swapped is mended ("lable"), other short
// words are not; asking for the admin is a handoff; "có … thì gửi e với" asks for
// announcements; state inspections; I-Star written apart; "ứng dụng AI" in capitals, while
// "dùng ai" stays "whom"; the "red book" is a land title.
TEST(Understanding, WhatRoundThirtyOneLearned) {
  expect_reached({{"what must be on the lable of my packaged cashew nuts", "labelling"},
                  {"ko muốn nói chuyện vs bot, chuyển admin giùm", "handoff"},
                  {"có thông báo gì về sở hữu trí tuệ thì gửi e với", "subscribe"},
                  {"kiem tra nha nuoc ve tieu chuan chat luong thi doanh nghiep phai tuan thu gi",
                   "inspection"},
                  {"can my startup apply for I Star, who is eligible", "whise-istar"},
                  {"ỨNG DỤNG AI TRONG QUẢN LÝ ĐÔ THỊ CỦA PHƯỜNG", "smart-city"},
                  {"how do i get the red book land certificate for my house in phường Hạnh Thông",
                   "referral:land"}});
  EXPECT_EQ(understanding().read("what must be on the lable").folded.back(), "label");
  // A word of four letters or fewer one letter off in another way is left as typed ("want" is
  // no "wait"); a longer one is mended ("numbr" is "number").
  EXPECT_EQ(understanding().read("what is your phone numbr").folded.back(), "number");
  EXPECT_EQ(understanding().read("what about my lbel").folded.back(), "lbel");
  EXPECT_NE(reached("nên dùng ai để thiết kế logo cho quán"), "smart-city");
}

// Round 32: "nhãn" alone is a word of many explainers, so what a label must say is named by
// its everyday phrases ("nhãn sản phẩm", "nhãn phải ghi"); signing up for a startup day is
// an event; "S&T week" is the S&T Day's.
TEST(Understanding, WhatRoundThirtyTwoLearned) {
  expect_reached(
      {{"nhãn sản phẩm bánh tráng nhà làm phải ghi những gì mới đúng quy định", "labelling"},
       {"nhãn phải ghi những gì", "labelling"},
       {"sign up for startup day in go vap", "events"},
       {"what is S&T week about", "st-day"}});
}

// Round 33: a chat word inside a neutral idiom is no chat ("xài ngon lắm": the machine works
// well); which brand of air conditioner to buy is shopping advice; "energy saving" and "can i
// patent" said in English; "human pls" inside a message.
TEST(Understanding, WhatRoundThirtyThreeLearned) {
  expect_reached(
      {{"Chú có chế ra cái máy bóc vỏ đậu phộng chạy bằng điện, xài ngon lắm, giờ muốn đăng ký "
        "bằng sáng chế để người ta không làm theo thì phải làm sao con",
        "ip-patent"},
       {"máy lạnh inverter hiệu nào mua rẻ", "fallback"},
       {"nên đăng ký nhãn hiệu nào trước", "ip-trademark"},
       {"energy saving tips cho văn phòng công ty nhỏ", "energy-saving-home"},
       {"human pls, bot not helping", "handoff"}});
  // "ngon" is still chat outside the idiom.
  EXPECT_TRUE(understanding().interpret("quán bún bò nào ngon ở Phan Văn Trị").chat);
  EXPECT_FALSE(understanding().interpret("cái máy tự chế xài ngon lắm").chat);
}

// Round 34: "theo luật mới" names the new S&T law; the fields of a contest are its
// explainer's, not the events list; a way to bring the power bill down is ours, not the power
// company's; a baby's birth is civil status; a website notified to the ministry asks for no
// announcements.
TEST(Understanding, WhatRoundThirtyFourLearned) {
  expect_reached(
      {{"cho hỏi chính sách của nhà nước hỗ trợ KHCN cho doanh nghiệp nhỏ theo luật mới gồm "
        "những gì ạ",
        "st-law"},
       {"cuộc thi sáng tạo thanh thiếu niên nhi đồng năm nay có những lĩnh vực nào",
        "youth-innovation"},
       {"registering my baby's birth, what papers do i need", "referral:civil-status"},
       {"my e-commerce website needs to be notified to the ministry of industry and trade, how",
        "referral:ecommerce-website"}});
  EXPECT_NE(reached("tiền điện tháng này cao quá có cách nào giảm ko mn"),
            "referral:electricity-billing");
}

// Round 35: "báo e với" asks for announcements; English words of five letters are mended by
// any one edit ("numbr"); applying new technology is a tech need even to reduce waste; a state
// policy that supports S&T.
TEST(Understanding, WhatRoundThirtyFiveLearned) {
  expect_reached(
      {{"mỗi khi có lớp học mới báo e với nha", "subscribe"},
       {"phone numbr of the startup advisory office pls", "contact"},
       {"our workshop needs help applying new technology to reduce waste, can the ward support "
        "us",
        "st-needs"},
       {"is there any state policy that supports S&T for private companies? like tax breaks for "
        "R&D",
        "st-law"}});
}

// Round 36: a lexicon phrase said apart ("tiền điện … giảm") and an explainer's own unless:
// (how to bring the bill down is no meter to check); an unless: phrase holds only where its
// diacritics were typed ("tiểu thương tổ chức" is not "thường tổ chức"), and so do the groups
// of together:; cancelling an appointment said apart; an event's schedule asked for; a fuel
// pump is a measuring instrument; full online public services; a referral that names its
// subject in a long story.
TEST(Understanding, WhatRoundThirtySixLearned) {
  expect_reached(
      {{"tiền điện tháng này cao quá có cách nào giảm ko mn", "energy-saving-home"},
       {"hóa đơn điện tháng này tăng gấp đôi mà nhà không xài thêm gì", "meters-water-power"},
       {"có lớp dạy bán hàng trên tiktok cho tiểu thương tổ chức khi nào", "events"},
       {"hủy giùm e cái hẹn sáng mai với văn phòng khởi nghiệp", "booking:mine"},
       {"cho mình xin lịch các workshop về AI cho doanh nghiệp nhỏ", "events"},
       {"how do i register to attend the I-Star award ceremony", "events"},
       {"cây xăng bơm thiếu thì báo ai xuống kiểm tra cột bơm", "measuring-verification"},
       {"dịch vụ công toàn trình là sao, khỏi lên phường luôn hả", "public-services-online"},
       {"sáng kiến trang trí phòng ngủ đẹp mà rẻ", "fallback"},
       {"can i speak to staff, the bot doesn't get my question", "handoff"},
       {"Mình cần chứng thực chữ ký trên giấy ủy quyền cho em gái đi nhận tiền thay, làm ở đâu "
        "vậy",
        "referral:civil-status"}});
  // "thường tổ chức" still rules the events list out where it is said: it asks what is usual.
  EXPECT_NE(reached("hội thảo này thường tổ chức khi nào"), "events");
}

// Round 37: a command wrapped in polite words is the command ("STOP pls", "unsubscribe giùm
// e", also when the reading mended a word of it: "unsub gium e"); staff asked for on duty or to
// be passed on to; keeping a family name is a trademark; a time machine and the most durable
// brand are chat; a wet market's trader; an event "soon"; maker spaces.
TEST(Understanding, WhatRoundThirtySevenLearned) {
  expect_reached(
      {{"STOP pls", "unsubscribe"},
       {"unsubscribe giùm e", "unsubscribe"},
       {"unsub gium e", "unsubscribe"},
       {"Help me pls", "help"},
       {"có anh chị nào trực ko, e cần hỏi gấp", "handoff"},
       {"chuyển e qua nhân viên phòng kinh tế giùm", "handoff"},
       {"Tôi làm nước mắm gia truyền 3 đời, giờ muốn bảo hộ cái tên đó để con cháu "
        "giữ thì hồ sơ cần những gì?",
        "ip-trademark"},
       {"bot sáng chế ra cỗ máy thời gian được ko", "fallback"},
       {"thương hiệu xe máy nào bền nhất", "fallback"},
       {"my mom sells veggies at the wet market, is there a program to help her sell "
        "online and take QR payments",
        "online-market"},
       {"is there a digital transformation seminar soon, want to bring 2 colleagues", "events"},
       {"any creative clubs or maker spaces for uni students? im studying at IUH",
        "youth-innovation"}});
  // Polite words alone are no command, and polite words around an explainer's keyword are
  // still a question about it.
  EXPECT_EQ(understanding().interpret("cảm ơn em").kind, Kind::kFallback);
  EXPECT_EQ(understanding().interpret("mã vạch giúp em với").kind, Kind::kExplainer);
  // Calling the bot by name is a wrapping word too.
  EXPECT_EQ(reached("bot ơi help"), "help");
  // Booking's unless: phrases hold in a message typed with diacritics and teencode ("ko" is read
  // "không"): a question about the data given while booking is the privacy explainer's.
  EXPECT_EQ(reached("số điện thoại đặt lịch có bảo mật ko"), "privacy");
}

// Round 38: a refresher class is an event; asking for "a 30 min consult" is a booking; IP
// registration, a product's appearance, a shop's scales checked, a technology need, paperwork
// online instead of queuing and what the bot stores about me, said in English.
TEST(Understanding, WhatRoundThirtyEightLearned) {
  expect_reached(
      {{"lịch lớp bồi dưỡng chuyển đổi số cho tiểu thương tháng 12", "events"},
       {"can i get a 30 min consult about my startup idea on tuesday afternoon?", "booking:new"},
       {"which government office handles IP registration in vietnam, is it the one in hanoi?",
        "ip-overview"},
       {"our japanese client wants the appearance of our rattan chairs protected, not how they "
        "work. what is that type of protection called in vietnam",
        "ip-industrial-design"},
       {"can we submit a technology need, like we're looking for a partner for wastewater "
        "treatment tech",
        "st-needs"},
       {"can i submit my paperwork online instead of queuing at the ward office",
        "public-services-online"},
       {"what info do you store about me from this chat", "privacy"}});
  // A scale at home is no shop's scale: weight questions stay chat.
  EXPECT_EQ(reached("my scale at home says 72kg, is that fat for 1m70?"), "fallback");
}

TEST(Understanding, WhatRoundThirtyNineLearned) {
  expect_reached(
      {{"bắt đầu lại", "menu"},
       {"start over", "menu"},
       {"cancel", "unsubscribe"},
       {"whise năm nay tổ chức ở đâu, thấy bạn bè share trên fanpage hoài", "whise-istar"},
       {"s&t day in hcmc, what goes on", "st-day"},
       {"muon dang ky doc quyen giai phap ky thuat cho cai khuon moi", "ip-patent"},
       {"chuyển máy cho nhân viên giúp em", "handoff"}});
  // A seamstress is not a transfer to staff, typed without diacritics or with them.
  for (const char* q : {"xuong co 10 tho chuyen may do tre em, can cong bo hop quy khong",
                        "xưởng có 10 thợ chuyên may đồ trẻ em, cần công bố hợp quy không"})
    EXPECT_NE(reached(q), "handoff") << q;
  // A household business that never was ("chưa từng có hộ kinh doanh") is a new company: the
  // business registration office's, not the household explainer's; a real one still is.
  const auto fresh = understanding().interpret(
      "ba đứa góp vốn mở công ty mới, chưa từng có hộ kinh doanh, đăng ký thành lập ở đâu");
  EXPECT_EQ(fresh.payload, "referral:company-registration");
  EXPECT_EQ(reached("hộ kinh doanh của tôi muốn lên công ty thì làm sao"),
            "household-to-enterprise");
}

TEST(Understanding, WhatRoundFortyLearned) {
  expect_reached({{"em thiết kế hình dáng chai nước mắm mới, muốn bảo hộ để khỏi bị nhái",
                   "ip-industrial-design"},
                  {"hàng nhập không có nhãn phụ bị phạt bao nhiêu tiền", "labelling-imports"},
                  {"is my scale at the market checked every year", "measuring-verification"},
                  {"where is the economic office, what time open", "contact"},
                  {"nhãn hiệu của tiệm em nộp online được không", "ip-trademark-steps"},
                  {"thủ tục làm giấy tờ nộp online ở phường", "public-services-online"}});
  // A traffic fine is still the traffic police's, and a first company is not the office hours.
  EXPECT_EQ(understanding().interpret("bị phạt lỗi vượt đèn đỏ nộp phạt ở đâu").payload,
            "referral:traffic");
  EXPECT_NE(reached("first time open a company in vietnam, where do i register it"), "contact");
}

// Round 41: a class "mình muốn đăng ký" is the events; how many wards there are now; Vietnamese
// words inside an English question; protecting "our ideas" is intellectual property at large;
// "hợp chuẩn" beside "hợp quy" asks what declaring conformity is.
TEST(Understanding, WhatRoundFortyOneLearned) {
  expect_reached(
      {{"có lớp tập huấn bán hàng qua mạng không, chị muốn đăng ký", "events"},
       {"go vap now has how many wards", "ward-reorganization"},
       {"quận gò vấp cũ giờ chia ra bao nhiêu phường vậy", "ward-reorganization"},
       {"can i convert hộ kinh doanh into a company this year", "household-to-enterprise"},
       {"we want to protect our ideas before we open the shop", "ip-overview"},
       {"hợp chuẩn với hợp quy khác gì nhau", "conformity-declaration"},
       {"hop chuan vs hop quy khac nhau the nao", "conformity-declaration"}});
  // Wanting to register a trademark is still the trademark, not a class; wards with smart
  // cameras are the smart city, not the count of wards.
  EXPECT_EQ(reached("mình muốn đăng ký nhãn hiệu cho tiệm bánh"), "ip-trademark");
  EXPECT_EQ(reached("how many wards of the city have smart cameras"), "smart-city");
  // Joining a class of ours is the events; a school grade ("lớp 1") is no class of ours.
  EXPECT_EQ(reached("muốn đăng ký tham gia lớp chuyển đổi số"), "events");
  EXPECT_EQ(reached("em muốn đăng ký dự lớp về nhãn hiệu"), "events");
  EXPECT_NE(reached("đăng ký cho con học lớp 1 ở đâu"), "events");
}

// Round 42 (README "Understanding"): a message in both languages that one index cannot place is
// read in the other; what a day holds is its explainer, whether another office needs an
// appointment is no booking, "are you a robot" asks for nobody; opening hours are the contact;
// a logo copied on a marketplace is a trademark, not the website's notice; R&D tax breaks are
// the national law's.
TEST(Understanding, WhatRoundFortyTwoLearned) {
  expect_reached(
      {{"what is intellectual property, e moi mo tiem banh co can lo vu nay k", "ip-overview"},
       {"tuần lễ KHCN năm nay có những hoạt động gì", "st-day"},
       {"van phong to tu van khoi nghiep mo cua thu 7 ko", "contact"},
       {"số đt văn phòng tư vấn khởi nghiệp là bao nhiêu ạ", "contact"},
       {"bot trả lời ko đúng ý, cần cán bộ tư vấn trực tiếp", "handoff"},
       {"can i do paperwork online instead of queueing at the ward office",
        "public-services-online"},
       {"someone copied my shop logo on shopee, i never registered it. can i still register it now",
        "ip-trademark"},
       {"what are the fines if my products dont meet standards when inspected", "inspection"},
       {"is there a national policy that gives tax breaks for R&D? I run a small lab", "st-law"}});
  EXPECT_EQ(reached("are you a robot or a real person lol"), "fallback");
  EXPECT_EQ(reached("i want a real person"), "handoff");
  EXPECT_NE(reached("làm căn cước cho con 14 tuổi ở đâu, có cần đặt lịch ko"), "booking");
  EXPECT_EQ(reached("đặt lịch tư vấn khởi nghiệp"), "booking");
  // Signing up for the day is still the events.
  EXPECT_EQ(reached("18/5 năm nay phường có tổ chức hoạt động gì không, mình muốn đi dự"),
            "events");
  // Only a message with words of the other language is read again: English small talk stays
  // small talk, and a website's notice is still the ministry's.
  EXPECT_EQ(reached("what is the weather like today"), "fallback");
  EXPECT_EQ(reached("do i need to register my website with the ministry"),
            "referral:ecommerce-website");
  // A number the content never writes still says how the word before it is written.
  EXPECT_EQ(understanding().interpret("mo cua thu 7 ko").reading, "mở cửa thứ 7 không");
}

// Round 43: overwhelming evidence outweighs a chat word; a startup's app idea is no chat; a
// label in Vietnamese is the goods', not the reply's language; pharmacy licences, divorce and
// military service name their offices; sharing the data given at sign-up is the data explainer.
TEST(Understanding, WhatRoundFortyThreeLearned) {
  expect_reached(
      {{"con gái tôi học lớp 8 sáng tác được mấy bài hát, muốn đăng ký quyền tác giả cho cháu "
        "thì có cần đủ 18 tuổi ko",
        "ip-copyright"},
       {"con trai tôi mới ra trường muốn khởi nghiệp làm app gọi thợ sửa xe tận nơi, thành phố "
        "có chương trình hỗ trợ gì ko",
        "startup-support"},
       {"tiệm thuốc em có bán mấy lọ dầu gió xách tay bên Thái, ko có nhãn tiếng Việt thì có "
        "sao ko ạ",
        "labelling-imports"},
       {"thong tin ca nhan minh dang ky su kien co bi chia se cho ben khac ko", "privacy"},
       {"giấy phép đủ điều kiện kinh doanh thuốc xin ở sở y tế phải ko, hồ sơ sao",
        "referral:health-business"},
       {"thủ tục ly hôn đơn phương nộp ở đâu", "referral:courts"},
       {"con tôi học đại học có được hoãn nghĩa vụ quân sự không", "referral:military-service"},
       {"we want ISO 9001 for our small factory, is there government support", "iso-productivity"},
       {"can I book meeting with startup advisor who speak english", "booking:new"}});
  // Chat with a thinner match stays chat; a trademark dispute is ours, not the court's.
  EXPECT_EQ(reached("bản quyền World Cup năm nay kênh nào chiếu"), "fallback");
  EXPECT_EQ(reached("gọi thợ sửa máy lạnh ở đâu rẻ"), "fallback");
  EXPECT_NE(reached("bị người khác dùng nhãn hiệu của mình thì kiện ở đâu"), "referral:courts");
  EXPECT_EQ(reached("tiếng việt"), "lang:vi");
  // A word typed without diacritics in a message typed with them is meant as typed.
  EXPECT_EQ(understanding()
                .interpret("con trai tôi mới ra trường muốn khởi nghiệp, phường có hỗ trợ gì ko")
                .reading,
            "con trai tôi mới ra trường muốn khởi nghiệp phường có hỗ trợ gì không");
}

// Round 44: another office's paper that bears an old ward's name asks which ward to write; a
// tone key typed before the final consonant is Telex; asking which rights protect it all is
// intellectual property at large; a sore knee is no question for the office.
TEST(Understanding, WhatRoundFortyFourLearned) {
  expect_reached(
      {{"em mới chuyển từ Bình Định vô, ở trọ gần chợ phường 5 cũ, giờ điền hồ sơ xin việc ghi "
        "phường gì cho đúng",
        "ward:5"},
       {"my residence card still says Phường 17, Gò Vấp. Does that ward still exist?", "ward:17"},
       {"kieerm ddinhj cân ở đâu", "measuring-verification"},
       {"em may đồ tự thiết kế bán online, sợ bị copy cả mẫu lẫn tên shop, phải đăng ký những "
        "quyền gì mới bảo vệ được hết",
        "ip-overview"},
       {"hello mate", "menu"}});
  EXPECT_EQ(reached("my knee hurts when I walk in the mornings, what medicine should I take"),
            "fallback");
  // "Now" beside an old ward's name asks nothing of the ward: the land papers are the land's.
  EXPECT_EQ(reached("Nhà tôi mua giấy tay từ năm 2005 ở phường 12 cũ, giờ muốn làm sổ hồng thì "
                    "nộp hồ sơ ở đâu"),
            "referral:land");
}

// A phrase of a request matches where the words typed with diacritics are its own ("nhắn tin"
// is not "nhận tin"), and a message of everyday chat asks nothing of the service even typed
// without them; a chat phrase whose edge word belongs to one of the content's pairs is that
// pair ("về sở hữu trí tuệ" is not "vé số").
TEST(Understanding, ChatAndTypedDiacriticsDecideWhetherAPhraseIsARequest) {
  for (const char* q : {"người yêu cũ nhắn tin lại có nên trả lời ko bot",
                        "nguoi yeu cu nhan tin lai co nen tra loi ko bot"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kFallback) << q << " → " << r.payload;
  }
  for (const char* q :
       {"Tôi muốn nhận tin về sở hữu trí tuệ", "toi muon nhan tin ve so huu tri tue",
        "nhắn tin cho tôi mỗi khi phường có thông báo mới"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kIntent) << q;
    EXPECT_EQ(r.payload, "subscribe") << q;
  }
  const auto stop = understanding().interpret("ngung gui tin ve so huu tri tue cho toi");
  EXPECT_EQ(stop.payload, "unsubscribe");
  // Its own "not for us" reply still stands for chat, and so do requests other than
  // announcements (in_chat: false is the subscription's own).
  EXPECT_EQ(understanding().interpret("mở bài hát cho tôi nghe").payload, "fallback:smalltalk");
  EXPECT_EQ(understanding().interpret("tôi muốn đặt lịch hỏi về bản quyền bài hát").payload,
            "booking");
}

// Requests and their look-alikes: a booking app is a topic, news about a class is a
// subscription, a person who speaks English is staff, a new book is no news.
TEST(Understanding, RequestsAreToldFromTheirLookAlikes) {
  const std::pair<const char*, const char*> cases[] = {
      {"đăng ký nhận tin về lớp tập huấn chuyển đổi số", "subscribe"},
      {"need human staff who speak english", "handoff"},
      {"unsubscribe pls too many msg", "unsubscribe"},
      {"cho e hen gap to tu van khoi nghiep thu 5 tuan sau nha", "booking:new"}};
  for (const auto& [q, payload] : cases)
    EXPECT_EQ(understanding().interpret(q).payload, payload) << q;
  for (const char* q : {"startup ve app dat lich sua dien thoai co duoc thanh pho ho tro von ko",
                        "lost my social insurance book BHXH, how to get new one"}) {
    const auto r = understanding().interpret(q);
    EXPECT_NE(r.payload, "booking") << q;
    EXPECT_NE(r.payload, "subscribe") << q;
  }
  // Chat with one weak match of ours is the honest fallback ("robot" is a club's word).
  EXPECT_EQ(understanding().interpret("robot có biết yêu không").kind, Kind::kFallback);
  // In English one key word can name the subject of a long story, when nothing comes close.
  const auto patent = understanding().interpret(
      "I'm engineer in factory at An Nhon, I made new jig that improve the machine a lot, can I "
      "get patent for it?");
  EXPECT_TRUE(answers_first(patent, "ip-patent")) << patent.payload;
}

// What a question is not about (intents.yaml _not_this) does not rank it.
TEST(Understanding, WhatAQuestionIsNotAboutDoesNotRankIt) {
  auto r = understanding().interpret(
      "i designed a new shape for a bottle, how do i protect the shape itself not the brand name");
  EXPECT_TRUE(answers_first(r, "ip-industrial-design")) << r.payload << r.explainer;
  r = understanding().interpret(
      "how to register a brand new company in HCMC, I never had hộ kinh doanh before");
  EXPECT_EQ(r.payload, "referral:company-registration");
  // "không phải" alone is no marker: this asks exactly about registering a trademark.
  r = understanding().interpret("tiệm nhỏ không phải đăng ký nhãn hiệu à");
  EXPECT_TRUE(answers_first(r, "ip-trademark")) << r.payload << r.explainer;
}

// English everyday phrases of the lexicon match by stem ("show price" is "show prices"), and
// "sign me up for the <event>" is a registration, not announcements.
TEST(Understanding, EnglishLexiconByStemAndSigningUpForAnEvent) {
  auto r = understanding().interpret("Must I show price on every item in my small grocery store?");
  EXPECT_TRUE(answers_first(r, "price-listing")) << r.payload << r.explainer;
  r = understanding().interpret("sign me up for the innovation week");
  EXPECT_EQ(r.payload, "events");
  r = understanding().interpret("sign me up for the newsletter");
  EXPECT_EQ(r.payload, "subscribe");
  // An English key phrase matches with or without its articles ("register trademark").
  r = understanding().interpret("how to register trademark");
  EXPECT_EQ(r.kind, Kind::kExplainer);
  EXPECT_TRUE(r.explainer == "ip-trademark-steps" || r.explainer == "ip-trademark") << r.explainer;
  // A request's phrase matches by stems, typos mended ("recieve announcments").
  r = understanding().interpret("i want recieve announcments about events, english if possible");
  EXPECT_EQ(r.payload, "subscribe");
}

// Events are asked with an event word and a time or a sign-up word together; what a contest
// is, or its rules, is the explainer.
TEST(Understanding, AnEventWithATimeIsTheEventsListAndWhatItIsIsTheExplainer) {
  for (const char* q : {"tháng sau có lớp tập huấn về nhãn hiệu không",
                        "ngay 18/5 nam nay phuong co to chuc gi ko, cho dang ky tham gia",
                        "hội thảo chuyển đổi số cho tiểu thương sắp tới khi nào"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kIntent) << q;
    EXPECT_EQ(r.payload, "events") << q;
  }
  for (const char* q :
       {"WHISE là sự kiện gì", "giải I-Star xét tiêu chí gì", "WHISE là sự kiện gì vậy ad"}) {
    const auto r = understanding().interpret(q);
    EXPECT_TRUE(answers_first(r, "whise-istar")) << q;
  }
  // Asking what is coming is the list, even ending in "là gì"; a class's opening day is an event.
  for (const char* q : {"sự kiện sắp tới của phường là gì vậy",
                        "có khóa học về mã vạch cho doanh nghiệp ko, khi nào khai giảng"}) {
    const auto r = understanding().interpret(q);
    EXPECT_EQ(r.kind, Kind::kIntent) << q;
    EXPECT_TRUE(r.payload.starts_with("events")) << q << " → " << r.payload;
  }
}

// Weaker evidence still earns a "did you mean" when the question names a concept: a key phrase
// of another explainer of the same topic, one key word in a short question, or a key phrase of
// three words of an explainer close behind the best.
TEST(Understanding, ANamedConceptEarnsADidYouMean) {
  const auto refused = understanding().interpret("nhãn hiệu bị từ chối thì làm sao ad");
  EXPECT_EQ(refused.kind, Kind::kClarify);
  EXPECT_TRUE(answers_first(refused, "ip-trademark-steps") ||
              answers_first(refused, "ip-trademark"))
      << refused.explainer;
  const auto stall = understanding().interpret(
      "sạp rau của tôi muốn chuyển đổi số thì làm gì trước, tôi lớn tuổi rồi ko rành");
  EXPECT_NE(stall.kind, Kind::kFallback);
  EXPECT_TRUE(std::any_of(stall.candidates.begin(), stall.candidates.end(), [](const auto& c) {
    return c.explainer == "digital-transformation-sme";
  }));
}

// An abbreviation inside one of the lexicon's phrases is the phrase's word ("tem kđ" is a
// verification sticker, not "tem kinh doanh"); teencode makes a message Vietnamese ("dc r ạ").
TEST(Understanding, AbbreviationsInsideLexiconPhrasesAndTeencodeLanguage) {
  for (const char* q : {"tem kđ trên cân bị rách mất thì s ad", "tem kd tren can bi rach"}) {
    const auto r = understanding().interpret(q);
    EXPECT_NE(r.reading.find("(kiểm định)"), std::string::npos) << r.reading;
    EXPECT_TRUE(answers_first(r, "measuring-verification")) << q;
  }
  const auto ok = understanding().read("dc r ạ");
  EXPECT_FALSE(ok.english);
  EXPECT_EQ(ok.folded, (std::vector<std::string>{"duoc", "roi", "a"}));
  EXPECT_TRUE(understanding().read("trademark vs patent").english);
}

// "Phường 5 cũ giờ là phường nào" is answered in one line (content/wards.yaml); an old ward
// inside another question is only an address.
TEST(Understanding, AnOldWardIsAnsweredWithTheWardItBelongsToNow) {
  auto r = understanding().interpret("phường 5 cũ giờ là phường nào");
  EXPECT_EQ(r.kind, Kind::kIntent);
  EXPECT_EQ(r.payload, "ward:5");
  EXPECT_EQ(understanding().interpret("phuong 13 cu nay thuoc phuong nao").payload, "ward:13");
  EXPECT_EQ(understanding().interpret("which ward is old ward 7 now").payload, "ward:7");
  r = understanding().interpret("tôi ở phường 10 muốn đăng ký nhãn hiệu");
  EXPECT_TRUE(answers_first(r, "ip-trademark"));
  // "Old ward 12" / "phường 10 cũ" with no other word that asks is an address: its words rank
  // nothing, and the question goes where its other words say.
  for (const char* q : {"phường 7 cũ", "old ward 7", "what happened to old ward 7"})
    EXPECT_EQ(understanding().interpret(q).payload, "ward:7") << q;
  r = understanding().interpret(
      "We produce bicycle helmets in old ward 12, which QCVN do we follow?");
  EXPECT_NE(r.kind, Kind::kIntent) << r.payload;
  EXPECT_EQ(r.explainer, "standards-regulations");
  EXPECT_EQ(understanding()
                .interpret("I rent a room in old ward 5 and the landlord asks me to register "
                           "temporary residence")
                .payload,
            "referral:identity-residence");
  EXPECT_EQ(
      understanding().interpret("tôi ở phường 10 cũ, muốn công bố hợp quy mũ bảo hiểm").explainer,
      "conformity-declaration");
  // For the evaluation script it is the reorganisation explainer's topic.
  const auto j = describe(understanding().interpret("phường 5 cũ giờ là phường nào"), shipped());
  EXPECT_EQ(j["intent"], "explainer");
  EXPECT_EQ(j["topics"][0], "ward-reorganization");
}

// A short question right after an explainer, that names no subject of its own, is matched to
// the page of that explainer (or of its topic, or of one it lists as related) that it asks
// about; chat, thanks and a question understood alone are not follow-ups.
TEST(Understanding, AShortQuestionAfterAnExplainerFindsThePageItAsksAbout) {
  const auto page = [](const std::string& previous, const std::string& q) -> std::string {
    const auto f = understanding().follow_up(q, previous);
    return f ? f->explainer + ":" + std::to_string(f->page) : "none";
  };
  // The fees page of the steps explainer (ip-trademark lists it as related).
  const content::Explainer* steps = shipped().explainer("ip-trademark-steps", "vi");
  ASSERT_NE(steps, nullptr);
  ASSERT_EQ(steps->pages.size(), 4u);
  EXPECT_EQ(steps->pages[3].heading, "Phí, lệ phí");
  EXPECT_EQ(page("ip-trademark", "phí bao nhiêu vậy"), "ip-trademark-steps:4");
  EXPECT_EQ(page("ip-trademark", "phi bao nhieu vay"), "ip-trademark-steps:4");
  EXPECT_EQ(page("ip-trademark", "hồ sơ gồm những gì"), "ip-trademark-steps:2");
  EXPECT_EQ(page("ip-trademark", "nộp ở đâu"), "ip-trademark-steps:3");
  EXPECT_EQ(page("ip-trademark", "how much does it cost"), "ip-trademark-steps:4");
  // The explainer shown comes first when its own page answers about as well.
  EXPECT_EQ(page("household-to-enterprise", "cần giấy tờ gì"), "household-to-enterprise:2");
  EXPECT_EQ(page("measuring-verification", "làm ở đâu"), "measuring-verification:3");
  // Not follow-ups: chat, thanks, the time of day, another office's subject, a question that
  // is understood alone, an unknown explainer, a long message.
  for (const char* q : {"thời tiết hôm nay thế nào", "giá vàng hôm nay", "ok cảm ơn", "mấy giờ rồi",
                        "thuế thì sao", "bảo hộ bao nhiêu năm"})
    EXPECT_EQ(page("ip-trademark", q), "none") << q;
  EXPECT_EQ(page("no-such-explainer", "phí bao nhiêu"), "none");
  EXPECT_EQ(page("ip-trademark",
                 "cho em hỏi là phí bao nhiêu vậy ạ vì em đang tính mở thêm một quán nữa"),
            "none");
}

// Says `text` and expects the turn to end with `handler` / `outcome` and one reply with the main
// menu's buttons under it; returns that reply's text.
std::string one_reply_with_menu(testing::TurnHarness& h,
                                const std::string& text,
                                const std::string& handler,
                                const std::string& outcome) {
  const auto r = h.say(text);
  EXPECT_EQ(h.last().handler, handler) << text;
  EXPECT_EQ(h.last().outcome, outcome) << text;
  EXPECT_EQ(r.size(), 1u) << text;
  if (r.empty())
    return {};
  EXPECT_FALSE(r[0].buttons.empty()) << text;  // the main menu, to go on
  return r[0].text;
}

TEST(UnderstandingInTurns, ShowsTheReadingThenTheAnswer) {
  testing::TurnHarness h;
  const auto r = h.say("dk nhan hieu cho quan an");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].text, "Mình hiểu câu hỏi là: “đăng ký nhãn hiệu cho quán ăn”");
  EXPECT_EQ(h.last().handler, "explainer");
  EXPECT_EQ(h.last().outcome, "ip-trademark");
}

TEST(UnderstandingInTurns, AFollowUpQuestionIsAnsweredFromThePageItAsksAbout) {
  testing::TurnHarness h;
  h.say("dk nhan hieu cho quan an");
  ASSERT_EQ(h.last().outcome, "ip-trademark");
  const auto r = h.say("phí bao nhiêu vậy");
  EXPECT_EQ(h.last().handler, "explainer");
  EXPECT_EQ(h.last().outcome, "ip-trademark-steps");
  ASSERT_EQ(r.size(), 2u);
  const content::Explainer* steps = h.content().snapshot()->explainer("ip-trademark-steps", "vi");
  ASSERT_NE(steps, nullptr);
  EXPECT_EQ(r[0].text, "Về “" + steps->title + "”, phần bạn hỏi:");
  EXPECT_TRUE(r[1].text.starts_with("Phí, lệ phí")) << r[1].text;
  // Not listed for staff as a question the bot could not answer.
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM questions").getInt(), 0);
  // Half an hour later the same words are no follow-up: the fallback, listed for staff.
  h.clock().advance(std::chrono::minutes(31));
  h.say("phí bao nhiêu vậy");
  EXPECT_EQ(h.last().handler, "fallback");
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM questions").getInt(), 1);
  // After a "did you mean", a follow-up is about the first explainer offered.
  testing::TurnHarness asked;
  asked.say("hồ sơ xin bảo hộ gồm những gì ạ");
  ASSERT_EQ(asked.last().handler, "clarify");
  asked.say("phí bao nhiêu vậy");
  EXPECT_EQ(asked.last().handler, "explainer");
  // Without an explainer shown first, nothing to follow.
  testing::TurnHarness fresh;
  fresh.say("phí bao nhiêu vậy");
  EXPECT_EQ(fresh.last().handler, "fallback");
}

TEST(UnderstandingInTurns, AsksDidYouMeanWithButtonsAndListsItForStaff) {
  testing::TurnHarness h;
  // Protection of what? A trademark, a design, a patent: the bot asks.
  const auto r = h.say("hồ sơ xin bảo hộ gồm những gì ạ");
  ASSERT_EQ(h.last().handler, "clarify");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].text.find(h.ui("understanding.did_you_mean")), std::string::npos);
  ASSERT_FALSE(r[0].items.empty());
  EXPECT_EQ(r[0].items[0].payload, "ex:ip-overview");
  EXPECT_EQ(r[0].buttons.front().payload, "fallback");  // "none of these"
  EXPECT_EQ(h.store().db.execAndGet("SELECT outcome || ' ' || best FROM questions").getString(),
            "clarify ip-overview");
  // Pressing the first choice opens that explainer.
  h.say("1");
  EXPECT_EQ(h.last().outcome, "ip-overview");
}

TEST(UnderstandingInTurns, FallbacksAreListedForStaffWithoutTheirText) {
  testing::TurnHarness h;
  h.say("giá vàng hôm nay bao nhiêu");
  EXPECT_EQ(h.last().handler, "fallback");
  auto& db = h.store().db;
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM questions WHERE outcome = 'fallback'").getInt(), 1);
  EXPECT_TRUE(db.execAndGet("SELECT text IS NULL FROM questions").getInt());
}

TEST(UnderstandingInTurns, AQuestionForAnotherOfficeNamesItAndIsListedForStaff) {
  testing::TurnHarness h;
  const std::string text = one_reply_with_menu(
      h, "cho hỏi làm sổ hồng cho căn nhà mới mua thì nộp hồ sơ ở đâu ạ", "referral", "land");
  const content::Office* office = shipped().office("one-stop");
  ASSERT_NE(office, nullptr);
  EXPECT_NE(text.find(office->name.vi), std::string::npos) << text;
  EXPECT_NE(text.find("sổ hồng"), std::string::npos) << text;
  EXPECT_NE(text.find(office->url), std::string::npos) << text;
  EXPECT_EQ(h.store().db.execAndGet("SELECT outcome || ' ' || best FROM questions").getString(),
            "fallback referral:land");
  EXPECT_GT(h.store().db.execAndGet("SELECT score FROM questions").getDouble(), 0);
  // A referral payload the content no longer has (an old button, a crafted post) is the
  // plain fallback.
  const auto stale = h.press("referral:no-such-subject");
  EXPECT_EQ(h.last().handler, "referral");
  EXPECT_EQ(h.last().outcome, "not_understood");
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].text, h.ui("fallback.text"));
}

// "cảm ơn" or a plain "ok" after an answer gets a friendly word back, is not listed for staff,
// and is no miss: after a question the bot did not understand it does not call staff (two
// misses in a row would).
TEST(UnderstandingInTurns, ThanksGetAFriendlyWordAndCallNoStaff) {
  testing::TurnHarness h;
  h.say("giá vàng hôm nay bao nhiêu");
  EXPECT_EQ(h.last().outcome, "not_understood");
  for (const char* q : {"ok cảm ơn", "cam on ad nhe", "thank you", "ok", "ok cam on ad nhe"}) {
    EXPECT_EQ(one_reply_with_menu(h, q, "fallback", "thanks"), h.ui("fallback.thanks")) << q;
  }
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM questions").getInt(), 1);
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM handoffs").getInt(), 0);
  // "ok" and "ad" are both languages' chat words: an unmarked Vietnamese thanks stays Vietnamese.
  EXPECT_EQ(h.person().language, "vi");
  // Thanks with a question is the question.
  h.say("cảm ơn, cho hỏi phí đăng ký nhãn hiệu");
  EXPECT_EQ(h.last().handler, "explainer");
}

TEST(UnderstandingInTurns, ASongRequestIsToldPlainlyWhatTheBotIsForAndNotListedForStaff) {
  testing::TurnHarness h;
  EXPECT_EQ(one_reply_with_menu(h, "hát 1 bài cho e nghe đi ad", "fallback", "smalltalk"),
            h.ui("fallback.smalltalk"));
  // Chit-chat is not a gap in the content: staff's list of unanswered questions stays empty,
  // while a question the bot did not understand is listed.
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM questions").getInt(), 0);
  h.say("giá vàng hôm nay bao nhiêu");
  EXPECT_EQ(h.last().outcome, "not_understood");
  EXPECT_EQ(h.store().db.execAndGet("SELECT COUNT(*) FROM questions").getInt(), 1);
}

TEST(UnderstandingInTurns, AnOldWardGetsOneLineWithItsSourceAndAButtonToTheWholeStory) {
  testing::TurnHarness h;
  const auto r = h.say("phường 5 cũ giờ là phường gì vậy ad");
  EXPECT_EQ(h.last().outcome, "old_ward");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].text.find("An Nhơn"), std::string::npos) << r[0].text;
  EXPECT_NE(r[0].text.find("1685/NQ-UBTVQH15"), std::string::npos) << r[0].text;
  ASSERT_FALSE(r[0].buttons.empty());
  EXPECT_EQ(r[0].buttons.front().payload, "ex:ward-reorganization");
  h.press("ex:ward-reorganization");
  EXPECT_EQ(h.last().outcome, "ward-reorganization");
  // A ward that never was (Gò Vấp had no Phường 2) is the whole story, not an invented answer.
  h.say("phường 2 cũ giờ là phường nào");
  EXPECT_NE(h.last().outcome, "old_ward");
}

TEST(UnderstandingInTurns, BookingStartsTheFormAndEventsGetAnHonestNoteForNow) {
  testing::TurnHarness h;
  auto r = h.say("cho mình đặt lịch tư vấn khởi nghiệp");
  EXPECT_EQ(h.last().handler, "booking");
  ASSERT_FALSE(r.empty());
  EXPECT_TRUE(r[0].text.starts_with(h.ui("booking.ask_topic"))) << r[0].text;
  h.say("menu");  // leaves the form
  r = h.say("có sự kiện nào sắp tới không");
  EXPECT_EQ(h.last().handler, "events");
}

}  // namespace
}  // namespace outreach::router

namespace outreach::router {
namespace {

// The targets on the public development set (../shared/eval), as typed and without
// diacritics; bench/run measures all four forms of evaluate.py --variants.
TEST(Understanding, DevelopmentSetMeetsTheTargets) {
  std::ifstream in(std::string(OUTREACH_SOURCE_DIR) + "/../shared/eval/questions-dev.tsv");
  if (!in)
    GTEST_SKIP() << "../shared/eval is not next to this checkout";
  std::string line;
  int total = 0;
  int top1 = 0;
  int top3 = 0;
  int off_topic_answered = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("question\t"))
      continue;
    const auto tab = line.find('\t');
    const std::string expected = "|" + line.substr(tab + 1) + "|";
    for (const std::string& q : {line.substr(0, tab), text::fold(line.substr(0, tab))}) {
      const auto j = describe(understanding().interpret(q), shipped());
      auto has = [&](const std::string& id) {
        return expected.find("|" + id + "|") != std::string::npos;
      };
      bool first = false;
      bool pool = false;
      if (j["intent"] == "explainer") {
        for (const auto& t : j["topics"]) first |= has(t.get<std::string>());
        pool = first;
        for (const auto& c : j["candidates"])
          for (const auto& t : c["topics"]) pool |= has(t.get<std::string>());
        if (expected == "|fallback|")
          ++off_topic_answered;
      } else {
        first = pool = has(j["intent"].get<std::string>());
      }
      top1 += first ? 1 : 0;
      top3 += pool ? 1 : 0;
      ++total;
    }
  }
  ASSERT_GT(total, 100);
  EXPECT_GE(top1 * 100, total * 90) << top1 << "/" << total;
  EXPECT_GE(top3 * 100, total * 97) << top3 << "/" << total;
  EXPECT_EQ(off_topic_answered, 0);
}

}  // namespace
}  // namespace outreach::router
