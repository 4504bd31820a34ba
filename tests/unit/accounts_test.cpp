// Staff accounts (bot/console/accounts): the password rules against a real common-password
// list, Argon2id hashes at the parameters the issue asks for, random tokens, emails.
#include "bot/console/accounts.hpp"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

namespace outreach::console {
namespace {

TEST(Accounts, PasswordsAreRefusedWhenShortCommonOrTheEmail) {
  const auto common = CommonPasswords::of({"password", "dragon", "sunshine"});
  EXPECT_TRUE(password_problem("short", "a@b.vn", common));
  EXPECT_TRUE(password_problem("password", "a@b.vn", common));
  EXPECT_TRUE(password_problem("Password2024!", "a@b.vn", common));  // a word in the middle
  EXPECT_TRUE(password_problem("!!dragon123456", "a@b.vn", common));
  EXPECT_TRUE(password_problem("nguyenvana-2026", "nguyenvana@ward.gov.vn", common));
  EXPECT_TRUE(password_problem(std::string(129, 'x'), "a@b.vn", common));
  EXPECT_FALSE(password_problem("Correct-Staple-Lamp-71", "a@b.vn", common));
  EXPECT_FALSE(password_problem("mật khẩu dài đủ", "a@b.vn", common));  // 15 characters
  // Without a list nothing can be checked, so nothing is accepted.
  EXPECT_TRUE(password_problem("Correct-Staple-Lamp-71", "a@b.vn", CommonPasswords::of({})));
}

TEST(Accounts, TheSystemListRefusesDictionaryWords) {
  if (!std::filesystem::exists(std::string(kDefaultCommonPasswords)))
    GTEST_SKIP() << "cracklib-runtime is not installed";
  const auto common = CommonPasswords::load(std::string(kDefaultCommonPasswords));
  EXPECT_TRUE(common.contains("password"));
  EXPECT_TRUE(common.contains("Football12345"));
  EXPECT_FALSE(common.contains("Correct-Staple-Lamp-71"));
  EXPECT_THROW(CommonPasswords::load("/nonexistent/list"), std::runtime_error);
}

TEST(Accounts, HashesAreArgon2idAtTheRequiredCostAndVerify) {
  const std::string h = hash_password("Correct-Staple-Lamp-71");
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << h;
  EXPECT_TRUE(verify_password("Correct-Staple-Lamp-71", h));
  EXPECT_FALSE(verify_password("Correct-Staple-Lamp-72", h));
  EXPECT_NE(hash_password("Correct-Staple-Lamp-71"), h);  // a new salt each time
  EXPECT_FALSE(verify_password("x", "plain text"));
}

TEST(Accounts, TokensAreRandomAndEmailsNormalised) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = random_token(32);
    EXPECT_EQ(t.size(), 64u);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(normalize_email("  Admin@Ward.GOV.vn "), "admin@ward.gov.vn");
  EXPECT_FALSE(normalize_email("not an email"));
  EXPECT_FALSE(normalize_email("a@b"));
  EXPECT_FALSE(normalize_email("a@@b.vn"));
  EXPECT_EQ(role_from_string("advisor"), Role::kAdvisor);
  EXPECT_FALSE(role_from_string("root"));
}

}  // namespace
}  // namespace outreach::console
