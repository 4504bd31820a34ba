// How forms read typed answers (handlers/form_reading): choices by part of a label, synonyms,
// typos and position; names; questions.
#include "handlers/form_reading.hpp"

#include <gtest/gtest.h>

namespace outreach::handlers {
namespace {

const std::vector<ChoiceOption> kModes = {
    {"in_person", {"Gặp trực tiếp", "In person", "gặp mặt", "tới văn phòng", "offline"}},
    {"online", {"Trực tuyến", "Online", "qua mạng", "zoom", "gọi video"}}};

const std::vector<ChoiceOption> kStages = {
    {"idea", {"Mới có ý tưởng", "Just an idea"}},
    {"prototype", {"Có sản phẩm mẫu", "Have a prototype", "demo", "mẫu thử", "nguyên mẫu"}},
    {"revenue", {"Đã có doanh thu", "Have revenue", "đang bán"}},
    {"household", {"Hộ kinh doanh", "Household business", "hkd"}},
    {"company", {"Đã có doanh nghiệp", "Registered company", "công ty", "cty", "tnhh"}}};

std::string chosen(std::string_view typed, const std::vector<ChoiceOption>& options) {
  const auto m = match_choice(typed, options);
  if (m.kind == ChoiceMatch::Kind::kOne)
    return m.value;
  if (m.kind == ChoiceMatch::Kind::kAmbiguous) {
    std::string out = "?";
    for (const auto& v : m.values) out += " " + v;
    return out;
  }
  return "";
}

TEST(FormReading, AChoiceIsReadFromPartOfItsLabelSynonymsTyposAndPosition) {
  EXPECT_EQ(chosen("trực tiếp", kModes), "in_person");   // part of "Gặp trực tiếp"
  EXPECT_EQ(chosen("truc tiep", kModes), "in_person");   // without diacritics
  EXPECT_EQ(chosen("TRUC TIEPP", kModes), "in_person");  // a typo, any case
  EXPECT_EQ(chosen("onl", kModes), "online");            // the beginning of a word
  // …of a name of one word: "onl" is not the field "bán hàng online".
  const std::vector<ChoiceOption> fields = {{"market", {"Tiếp cận thị trường", "tiếp thị"}},
                                            {"digital", {"Chuyển đổi số", "bán hàng online"}}};
  EXPECT_EQ(chosen("onl nha", fields), "");
  EXPECT_EQ(chosen("qua zoom nhé", kModes), "online");  // a synonym, with a particle
  EXPECT_EQ(chosen("tới văn phòng gặp luôn", kModes), "in_person");
  EXPECT_EQ(chosen("em muốn gặp trực tiếp ạ", kModes), "in_person");
  EXPECT_EQ(chosen("cái đầu", kModes), "in_person");
  EXPECT_EQ(chosen("số 2", kModes), "online");
  EXPECT_EQ(chosen("the second one", kModes), "online");
  EXPECT_EQ(chosen("ý tưởng", kStages), "idea");
  EXPECT_EQ(chosen("cty tnhh rồi", kStages), "company");
  EXPECT_EQ(chosen("hkd", kStages), "household");
  EXPECT_EQ(chosen("có", kStages), "");      // one word every label could have
  EXPECT_EQ(chosen("bánh mì", kModes), "");  // nothing like a choice
}

TEST(FormReading, TwoChoicesThatFitEquallyAreAmbiguous) {
  const std::vector<ChoiceOption> topics = {{"legal", {"Pháp lý doanh nghiệp", "tư vấn luật"}},
                                            {"finance", {"Tài chính – kế toán", "tư vấn thuế"}}};
  EXPECT_EQ(chosen("tư vấn thuế", topics), "finance");  // said exactly
  EXPECT_EQ(chosen("tư vấn", topics), "? legal finance");
  // Two names found in one message: the first one is what the message is about.
  const std::vector<ChoiceOption> fields = {{"ip", {"Sở hữu trí tuệ", "bản quyền"}},
                                            {"digital", {"Chuyển đổi số", "phần mềm"}}};
  EXPECT_EQ(chosen("bản quyền phần mềm", fields), "ip");
  EXPECT_EQ(chosen("phần mềm có bản quyền", fields), "digital");
}

TEST(FormReading, ALongAnswerIsReadByItsWordsNotByScatteredOnesOrNegatedOnes) {
  // "đã … bán" is not "đã bán" when the words are apart; "mẫu", "thử" belong to the prototype.
  EXPECT_EQ(chosen("đã có bản mẫu, đang cho 5 chủ trọ dùng thử", kStages), "prototype");
  // What is said under a negation is not chosen.
  EXPECT_EQ(chosen("onl nha, ko lên văn phòng được", kModes), "online");
  EXPECT_EQ(chosen("không tới văn phòng được đâu", kModes), "");
  // "bán" (sell) typed with its marks is not the filler "bạn" (you).
  EXPECT_EQ(chosen("bán được hàng rồi", kStages), "revenue");
  // Of two words that each name a choice, the first is what the phrase is about.
  const std::vector<ChoiceOption> topics = {{"funding", {"Chương trình hỗ trợ", "quỹ"}},
                                            {"digital", {"Chuyển đổi số", "công nghệ"}}};
  EXPECT_EQ(chosen("quỹ đổi mới sáng tạo", topics), "funding");
  // A message that names nothing of any choice is still nothing.
  EXPECT_EQ(chosen("để mình hỏi lại sếp rồi báo sau", kModes), "");
}

TEST(FormReading, AWordTakenAsTypedBeatsTheSameWordTakenAsATypo) {
  const std::vector<ChoiceOption> topics = {{"market", {"Tiếp cận thị trường", "thị trường"}},
                                            {"ip", {"Sở hữu trí tuệ", "thương hiệu"}}};
  EXPECT_EQ(chosen("thị trường ạ", topics), "market");  // "trường" is one letter from "thương"
  EXPECT_EQ(chosen("thuong hieu", topics), "ip");
}

TEST(FormReading, AWholeMessageMatchNeedsEveryWordOfIt) {
  EXPECT_EQ(match_choice("Nguyen Thi Thu", kStages, plain_words, true).kind,
            ChoiceMatch::Kind::kNone);  // "nguyên mẫu", "mẫu thử" share two of its words
  EXPECT_EQ(match_choice("Ninh Thi Oanh", kStages, plain_words, true).kind,
            ChoiceMatch::Kind::kNone);
  EXPECT_EQ(match_choice("trực tiếp", kModes, plain_words, true).value, "in_person");
}

TEST(FormReading, ANameIsReadWithoutLeadInsAndTidied) {
  EXPECT_EQ(read_name("nguyen van hung"), "Nguyen Van Hung");
  EXPECT_EQ(read_name("TRẦN VĂN AN"), "Trần Văn An");
  EXPECT_EQ(read_name("Võ Thị Thu Hà"), "Võ Thị Thu Hà");
  EXPECT_EQ(read_name("Tên mình là Nguyễn Thị Mai ạ"), "Nguyễn Thị Mai");
  EXPECT_EQ(read_name("my name is John Smith"), "John Smith");
  EXPECT_EQ(read_name("Hồ Thị Mỹ Duyên"), "Hồ Thị Mỹ Duyên");
  EXPECT_EQ(read_name("Kiều Ngọc Ánh"), "Kiều Ngọc Ánh");
  EXPECT_EQ(read_name("Giang Thị Hồng"), "Giang Thị Hồng");
  EXPECT_EQ(read_name("Ninh Thị Oanh"), "Ninh Thị Oanh");
  EXPECT_EQ(read_name("Đỗ Văn Quý"), "Đỗ Văn Quý");
  EXPECT_EQ(read_name("Dạ em tên là Huỳnh Gia Bảo ạ"), "Huỳnh Gia Bảo");
  EXPECT_EQ(read_name("Dạ Cao Minh Trí"), "Cao Minh Trí");
  EXPECT_EQ(read_name("chị là Văn Thị Hạnh"), "Văn Thị Hạnh");
  EXPECT_EQ(read_name("họ và tên: Lê Văn Tám"), "Lê Văn Tám");
  EXPECT_EQ(read_name("Chu Văn An"), "Chu Văn An");                  // a surname, not "chú"
  EXPECT_EQ(read_name("La Văn Cầu"), "La Văn Cầu");                  // a surname, not "là"
  EXPECT_EQ(read_name("La Thị Bích Phượng"), "La Thị Bích Phượng");  // four words too
  EXPECT_EQ(read_name("tên là Nguyễn Văn Lâm"), "Nguyễn Văn Lâm");
  EXPECT_EQ(read_name("my name is Jane Doe"), "Jane Doe");
  EXPECT_FALSE(read_name("0903123456"));
  EXPECT_FALSE(read_name("đăng ký nhãn hiệu cần giấy tờ gì"));
  EXPECT_FALSE(read_name("ok"));
  EXPECT_FALSE(read_name("a"));
  EXPECT_FALSE(read_name("một hai ba bốn năm sáu bảy tám"));
}

TEST(FormReading, QuestionsAreToldFromStatements) {
  EXPECT_TRUE(looks_like_question("đăng ký nhãn hiệu cần giấy tờ gì"));
  EXPECT_TRUE(looks_like_question("phí bao nhiêu vậy ad"));
  EXPECT_TRUE(looks_like_question("có được miễn phí không ạ"));
  EXPECT_TRUE(looks_like_question("how long does it take"));
  EXPECT_FALSE(looks_like_question("Công ty TNHH Bao bì Định Phát"));
  EXPECT_FALSE(looks_like_question("Nguyễn Thị Ái"));
  EXPECT_FALSE(looks_like_question("đầu tư nhà xưởng ở Gò Vấp"));
  EXPECT_FALSE(looks_like_question("Nguyễn Văn Hùng"));
  EXPECT_FALSE(looks_like_question("không"));
  EXPECT_FALSE(looks_like_question("Công ty CP Phần mềm Sao Mai"));  // a name with a capital
  EXPECT_TRUE(looks_like_question("sao phải ghi số điện thoại"));
  EXPECT_TRUE(looks_like_question("Sao phải ghi số điện thoại"));  // first word: still a question
}

// A word typed with its marks keeps its meaning when the message is also read through the
// abbreviations: "bán đc hàng r" is "bán được hàng rồi" (selling), not "bạn" (you).
TEST(FormReading, AMarkedWordStaysWhatItIsWhenTheMessageIsReadExpanded) {
  const WordReader expand = [](std::string_view t) {
    auto w = plain_words(t);
    for (auto& x : w) {
      if (x == "dc")
        x = "duoc";
      else if (x == "r")
        x = "roi";
    }
    return w;
  };
  const std::vector<ChoiceOption> stages = {
      {"prototype", {"Có sản phẩm mẫu", "hàng mẫu", "bản thử"}},
      {"revenue", {"Đã có doanh thu", "bán được hàng", "đã bán"}}};
  const auto m = match_choice("bán đc hàng r", stages, expand);
  EXPECT_EQ(m.kind, ChoiceMatch::Kind::kOne);
  EXPECT_EQ(m.value, "revenue");
}

TEST(FormReading, PositionsAreRead) {
  EXPECT_EQ(ordinal("cái đầu tiên"), 1);
  EXPECT_EQ(ordinal("cái thứ hai"), 2);
  EXPECT_EQ(ordinal("số 3 nhé"), 3);
  EXPECT_EQ(ordinal("cuối cùng"), -1);
  EXPECT_EQ(ordinal("the first one"), 1);
  EXPECT_FALSE(ordinal("Nguyễn Văn Hai"));
  EXPECT_FALSE(ordinal("9h"));
}

}  // namespace
}  // namespace outreach::handlers
