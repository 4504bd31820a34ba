#include "bot/text/unicode.hpp"

#include <gtest/gtest.h>

#include "bot/router/understanding.hpp"

namespace outreach {
namespace {

TEST(Unicode, FoldsCaseDiacriticsAndDStroke) {
  EXPECT_EQ(text::fold("Đăng KÝ nhãn hiệu"), "dang ky nhan hieu");
  EXPECT_EQ(text::fold("ĐỒNG HỒ NƯỚC"), "dong ho nuoc");
  EXPECT_EQ(text::fold("Ngày 18/5"), "ngay 18/5");
}

TEST(Unicode, NormalisesNfdToNfc) {
  const std::string nfd = "Đa\xCC\x86ng ky\xCC\x81";  // Đăng ký with combining marks
  EXPECT_FALSE(text::is_nfc(nfd));
  EXPECT_EQ(text::nfc(nfd), "Đăng ký");
  EXPECT_TRUE(text::is_nfc(text::nfc(nfd)));
  EXPECT_EQ(text::fold(nfd), "dang ky");
}

TEST(Unicode, LowerCasesKeepingDiacritics) {
  EXPECT_EQ(text::lower("HỘ KINH DOANH"), "hộ kinh doanh");
}

TEST(Unicode, MarksAreTheDiacriticsWhereverTheySit) {
  EXPECT_EQ(text::marks("hủy"), text::marks("huỷ"));  // the tone on either vowel
  EXPECT_EQ(text::marks("HỦY"), text::marks("huỷ"));
  EXPECT_NE(text::marks("nhắn"), text::marks("nhận"));
  EXPECT_NE(text::marks("về"), text::marks("vé"));
  EXPECT_NE(text::marks("đi"), text::marks("di"));
  EXPECT_EQ(text::marks("tin"), "");
  EXPECT_EQ(text::marks("Đa\xCC\x86ng"), text::marks("đăng"));  // NFD as sent by some phones
}

TEST(Unicode, SplitsWordsOnPunctuation) {
  const auto w = text::words("đk nhãn-hiệu, ở đâu?");
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[0], "đk");
  EXPECT_EQ(w[2], "hiệu");
  EXPECT_EQ(w[4], "đâu");
}

TEST(Understanding, NormalizeJoinsFoldedWords) {
  EXPECT_EQ(router::Understanding::normalize("  Xin   CHÀO!! "), "xin chao");
}

}  // namespace
}  // namespace outreach
