// Forms that listen: the booking form over HTTP, typed the way people type, on the web chat and
// on Messenger (signed webhooks in, replies at the mock Graph API). The App runs on a fake
// clock at Thursday 3/12/2026 10:00 Asia/Ho_Chi_Minh, the clock of the conversation scripts.
#include <cstdlib>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/conversations.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_app.hpp"
#include "tests/support/web_visitor.hpp"
#include "tools/mock_platform/mock_platform.hpp"
#include "tools/mock_platform/webhooks.hpp"

namespace outreach {
namespace {
using namespace std::chrono_literals;
using Json = nlohmann::json;
using testing::TestApp;
using testing::text_of;
using testing::WebVisitor;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A web chat visitor who types; every message waits for the bot's replies and returns their
// texts joined, with the buttons' titles in [brackets].
class Typist {
 public:
  Typist(TestApp& app, FakeClock& clock, const std::string& id)
      : visitor_(app.port(), id), clock_(clock) {
    visitor_.start();
    last_ = collect();
  }

  std::string say(const std::string& text) {
    clock_.advance(5s);  // people take a moment (and the web chat limits bursts)
    EXPECT_EQ(visitor_.text(text).status, 202) << text;
    last_ = collect();
    return last_;
  }

  std::string press(const std::string& payload) {
    clock_.advance(5s);
    EXPECT_EQ(visitor_.press(payload).status, 202) << payload;
    last_ = collect();
    return last_;
  }

  const std::string& last() const { return last_; }

 private:
  // Every message of the turn: the first, then whatever follows within a moment; each as its
  // text and its buttons' titles in [brackets].
  std::string collect() {
    std::string out;
    auto add = [&](const std::vector<nlohmann::json>& messages) {
      for (const auto& m : messages) {
        out += text_of(m);
        for (const auto& b : testing::buttons_of(m)) out += " [" + b + "]";
        out += "\n";
      }
      return !messages.empty();
    };
    add(visitor_.receive(1, 20s));
    for (int quiet = 0; quiet < 2;) {
      std::this_thread::sleep_for(60ms);
      quiet = add(visitor_.peek()) ? 0 : quiet + 1;
    }
    return out;
  }

  WebVisitor visitor_;
  FakeClock& clock_;
  std::string last_;
};

class FormsE2E : public ::testing::Test {
 protected:
  FakeClock clock{testing::kScriptNow};
  TestApp app{[](app::Config& c) { c.webchat.poll_timeout = 5s; }, &clock};
};

// Typed up to the time step of a booking on the given topic.
void to_time_step(Typist& p, const std::string& topic) {
  p.say("mình muốn đặt lịch tư vấn");
  p.say(topic);
}

TEST_F(FormsE2E, ThisFridayAndItsOtherSpellingsAreThisFriday) {
  for (const char* typed : {"thứ 6 này", "thu 6 nay", "t6 này", "sáng thứ 6 này"}) {
    Typist p(app, clock, std::string("friday-") + std::to_string(std::hash<std::string>{}(typed)));
    to_time_step(p, "sở hữu trí tuệ");
    const std::string r = p.say(typed);
    EXPECT_TRUE(has(r, "4/12/2026")) << typed << "\n" << r;  // Friday 4/12 named…
    EXPECT_FALSE(has(r, "không có buổi tư vấn")) << typed << "\n" << r;
    EXPECT_TRUE(has(r, "T6 4/12 08:00")) << typed << "\n" << r;  // …and its times offered
  }
}

TEST_F(FormsE2E, ChoicesAreUnderstoodAsPeopleTypeThem) {
  Typist p(app, clock, "choices-visitor-0001");
  to_time_step(p, "shtt");  // the abbreviation of sở hữu trí tuệ
  p.say("thứ 6 này");
  std::string r = p.say("9h");
  EXPECT_TRUE(has(r, "gặp trực tiếp hay trực tuyến")) << r;
  r = p.say("trực tiếp");  // part of "Gặp trực tiếp"
  EXPECT_TRUE(has(r, "họ tên")) << r;
  p.say("Nguyễn Thị Mai");
  p.say("0903 123 456");
  r = p.say("Cơ sở bánh tráng Mai");
  EXPECT_TRUE(has(r, "giai đoạn")) << r;
  r = p.say("ý tưởng");  // part of "Mới có ý tưởng"
  EXPECT_TRUE(has(r, "mô tả ngắn")) << r;
  r = p.say("Mình muốn đăng ký nhãn hiệu cho bánh tráng phơi sương, cần hỏi thủ tục ra sao?");
  EXPECT_TRUE(has(r, "Mới có ý tưởng")) << r;  // the summary: a question here IS the answer
  EXPECT_TRUE(has(r, "thứ Sáu, 4/12/2026, 09:00")) << r;
  r = p.say("ok em");
  EXPECT_TRUE(has(r, "Đã đặt lịch tư vấn")) << r;
  EXPECT_EQ(app.count("SELECT COUNT(*) FROM bookings WHERE topic = 'ip' AND mode = 'in_person' "
                      "AND stage = 'idea' AND name = 'Nguyễn Thị Mai'"),
            1);
}

TEST_F(FormsE2E, MyAppointmentsWithNoneSaysSoInsteadOfStartingAForm) {
  Typist p(app, clock, "mine-visitor-000001");
  const std::string r = p.say("lịch hẹn của tôi");
  EXPECT_TRUE(has(r, "Bạn chưa có lịch hẹn nào sắp tới")) << r;
  EXPECT_FALSE(has(r, "lĩnh vực nào")) << r;
}

TEST_F(FormsE2E, AQuestionInTheMiddleIsAnsweredAndTheFormWaits) {
  Typist p(app, clock, "aside-visitor-000001");
  to_time_step(p, "sở hữu trí tuệ");
  p.say("thứ 2 tuần sau");
  p.say("9h");
  p.say("trực tuyến");
  p.say("Lê Văn Bình");
  p.say("0912345678");
  std::string r = p.say("đăng ký nhãn hiệu cần giấy tờ gì");  // at the company step
  EXPECT_TRUE(has(r, "nhãn hiệu")) << r;                      // answered…
  EXPECT_TRUE(has(r, "vẫn được giữ")) << r;                   // …the form kept
  EXPECT_TRUE(has(r, "Tiếp tục điền")) << r;
  r = p.say("quay lại đặt lịch");
  EXPECT_TRUE(has(r, "Tên doanh nghiệp")) << r;  // the company step again, nothing lost
  r = p.say("menu");
  EXPECT_TRUE(has(r, "Đặt lịch tư vấn")) << r;  // the menu…
  EXPECT_TRUE(has(r, "vẫn được giữ")) << r;     // …and the form kept, with the way back
  r = p.say("tiếp tục");
  EXPECT_TRUE(has(r, "Tên doanh nghiệp")) << r;
  r = p.say("thôi không đặt nữa");
  EXPECT_TRUE(has(r, "Đã hủy việc đặt lịch")) << r;
  r = p.say("hủy lịch");  // outside a form: the person's bookings (none)
  EXPECT_TRUE(has(r, "Bạn chưa có lịch hẹn nào sắp tới")) << r;
}

TEST_F(FormsE2E, TheNameStepTakesANameNotAChoiceOfAnotherStep) {
  Typist p(app, clock, "name-visitor-0000001");
  to_time_step(p, "pháp lý");
  p.say("thứ 4 tuần sau");
  p.say("8h");
  p.say("gặp trực tiếp");
  std::string r = p.say("trực tiếp");  // a late answer to the previous step
  EXPECT_TRUE(has(r, "họ tên của bạn (ví dụ")) << r;
  r = p.say("tên mình là trần văn an ạ");
  EXPECT_TRUE(has(r, "Số điện thoại")) << r;
  r = p.say("sdt em: 0987.654.321");
  EXPECT_TRUE(has(r, "Tên doanh nghiệp")) << r;
  p.say("Công ty An Phát");
  p.say("đã có doanh nghiệp");
  r = p.say("Tư vấn chọn loại hình công ty và điều lệ khi góp vốn thêm thành viên.");
  EXPECT_TRUE(has(r, "Trần Văn An")) << r;  // tidied
  EXPECT_TRUE(has(r, "0987 654 321")) << r;
}

TEST_F(FormsE2E, PromptsDoNotRepeatWhatWasTypedOrTalkOfNumbersOnTheWeb) {
  Typist p(app, clock, "prompt-visitor-000001");
  to_time_step(p, "tài chính");
  const std::string r = p.say("thứ 3 tuần sau");
  EXPECT_TRUE(has(r, "thứ Ba, 8/12/2026")) << r;  // the day, named in full
  EXPECT_FALSE(has(r, "thứ 5 tuần sau")) << r;    // no example that echoes the person
  EXPECT_FALSE(has(r, "Các giờ còn trống:")) << r;
  const std::string bad = p.say("gặp luôn đi");
  EXPECT_FALSE(has(bad, "số thứ tự")) << bad;  // the web chat shows no numbers
}

// Asking for advice on a field starts the form with the field taken; a question about it does
// not start a form.
TEST_F(FormsE2E, ARequestThatNamesTheFieldIsNotAskedTheFieldAgain) {
  Typist p(app, clock, "field-visitor-000001");
  std::string r = p.say("cho mình đặt lịch tư vấn về đăng ký nhãn hiệu");
  EXPECT_TRUE(has(r, "Lĩnh vực: Sở hữu trí tuệ")) << r;
  EXPECT_FALSE(has(r, "lĩnh vực nào")) << r;
  EXPECT_TRUE(has(r, "(Bước 2/8)")) << r;  // straight to the time
  Typist q(app, clock, "field-visitor-000002");
  r = q.say("chị cần tư vấn thuế gấp");  // asking for advice is asking for a session
  EXPECT_TRUE(has(r, "Lĩnh vực: Tài chính – kế toán")) << r;
  Typist t(app, clock, "field-visitor-000005");
  r = t.say("e mun dat lich tu van thue");  // teencode and no marks: the field is still read
  EXPECT_TRUE(has(r, "Lĩnh vực: Tài chính – kế toán")) << r;
  Typist v(app, clock, "field-visitor-000003");
  r = v.say("mình muốn tư vấn về vốn");  // finance or funding: asked, not guessed
  EXPECT_TRUE(has(r, "lĩnh vực nào")) << r;
  Typist w(app, clock, "field-visitor-000004");
  r = w.say("cần tư vấn thủ tục đăng ký nhãn hiệu như thế nào");  // a question: answered
  EXPECT_FALSE(has(r, "(Bước")) << r;
}

// A change of an earlier answer typed at a later step: the new value is taken at once and the
// form comes back to where it was; a value that is the old one is not taken as the new one.
TEST_F(FormsE2E, AChangeTypedLaterIsTakenAndTheFormComesBack) {
  Typist p(app, clock, "later-visitor-000001");
  to_time_step(p, "sở hữu trí tuệ");
  p.say("16/12 2g30 chiều");
  p.say("gặp trực tiếp");
  std::string r = p.say("quay lại chút, mình muốn đổi hình thức");  // at the name
  EXPECT_TRUE(has(r, "trực tiếp hay trực tuyến")) << r;
  r = p.say("trực tuyến");
  EXPECT_TRUE(has(r, "họ tên")) << r;  // back where it was
  p.say("La Thị Bích Phượng");         // "La" is a surname here, not "là"
  r = p.say("à quên, cho mình gặp trực tiếp nha, hôm đó mình rảnh");  // at the phone
  EXPECT_TRUE(has(r, "Số điện thoại")) << r;
  r = p.say("không chín không bốn năm sáu bảy tám chín không");  // voice typing
  EXPECT_TRUE(has(r, "Tên doanh nghiệp")) << r;
  r = p.say("Công ty CP Phần mềm Sao Mai");  // "Sao" is a name, not "why"
  EXPECT_TRUE(has(r, "giai đoạn")) << r;
  r = p.say("bán đc hàng r");
  EXPECT_TRUE(has(r, "mô tả ngắn")) << r;
  r = p.say("Muốn đăng ký bảo hộ giao diện phần mềm bán hàng của công ty.");
  EXPECT_TRUE(has(r, "Gặp trực tiếp")) << r;
  EXPECT_TRUE(has(r, "thứ Tư, 16/12/2026, 14:30")) << r;
  r = p.say("đổi giờ giúp mình, 2g30 muộn quá");  // the old time: asked for the new one
  EXPECT_TRUE(has(r, "Giờ khác")) << r;
  EXPECT_FALSE(has(r, "Bạn kiểm tra lại")) << r;
  r = p.say("9h");  // on the day already said, and back to the summary
  EXPECT_TRUE(has(r, "thứ Tư, 16/12/2026, 09:00")) << r;
  r = p.say("đổi sang online nha");  // the new value in the message
  EXPECT_TRUE(has(r, "Bạn kiểm tra lại")) << r;
  EXPECT_TRUE(has(r, "• Hình thức: Trực tuyến")) << r;
  EXPECT_TRUE(has(r, "La Thị Bích Phượng")) << r;
  EXPECT_TRUE(has(r, "0904 567 890")) << r;
  EXPECT_TRUE(has(r, "Đã có doanh thu")) << r;
}

// Leaving in one's own words, inside a longer message.
TEST_F(FormsE2E, LeavingInOnesOwnWordsLeaves) {
  for (const char* typed : {"thôi để em hỏi lại nhóm rồi đặt sau ạ, em cảm ơn",
                            "thôi k đặt nữa, mình ko muốn để lại sđt",
                            "thôi, để sau đi ạ, em chưa nghĩ ra cần hỏi gì"}) {
    Typist p(app, clock, std::string("leave-") + std::to_string(std::hash<std::string>{}(typed)));
    to_time_step(p, "tài chính");
    const std::string r = p.say(typed);
    EXPECT_TRUE(has(r, "Đã hủy việc đặt lịch")) << typed << "\n" << r;
  }
}

TEST_F(FormsE2E, AnEditFromTheSummaryComesBackWithoutTheStepCounter) {
  Typist p(app, clock, "edit-visitor-0000001");
  to_time_step(p, "chuyển đổi số");
  p.say("thứ 7 này");
  p.say("9h");
  p.say("online");
  p.say("Phạm Minh Khoa");
  p.say("0933222111");
  p.say("Khoa Coffee");
  p.say("đang bán");
  std::string r = p.say("Cần tư vấn làm website bán cà phê online và thanh toán qua QR.");
  EXPECT_TRUE(has(r, "Bạn kiểm tra lại")) << r;
  r = p.say("sửa số điện thoại");
  EXPECT_TRUE(has(r, "Số điện thoại")) << r;
  EXPECT_FALSE(has(r, "Bước")) << r;  // not "(Bước 5/8)": the other answers are kept
  r = p.say("0933 222 999");
  EXPECT_TRUE(has(r, "Bạn kiểm tra lại")) << r;  // straight back to the summary
  EXPECT_TRUE(has(r, "0933 222 999")) << r;
}

// ---- Messenger -------------------------------------------------------------------------------

constexpr const char* kPage = "333333333333331";
constexpr const char* kSecret = "fb-app-secret";

class FormsMessengerE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("OUTREACH_MESSENGER_PAGE_APP_SECRET", kSecret, 1);
    setenv("OUTREACH_MESSENGER_PAGE_PAGE_TOKEN", "page-token", 1);
    setenv("OUTREACH_MESSENGER_PAGE_VERIFY_TOKEN", "verify", 1);
    mock.add_page({kPage, "page-token"});
    mock.start();
    app = std::make_unique<TestApp>(
        [&](app::Config& c) {
          c.messenger.api_base_url = mock.base_url() + "/v25.0";
          c.messenger.accounts = {{"page", kPage, "Trang thử"}};
        },
        &clock);
  }

  void TearDown() override {
    app->stop();
    mock.stop();
  }

  // Sends one webhook item from `psid` and returns the texts the bot sent back for it.
  std::string send(const std::string& psid, Json item) {
    const auto before = sent_to(psid).size();
    clock.advance(5s);
    const auto signed_request = mock::messenger_signed(
        mock::messenger_batch(kPage, {std::move(item)}, SystemClock().now_ms()), kSecret);
    std::map<std::string, std::string> headers(signed_request.headers.begin(),
                                               signed_request.headers.end());
    const auto r = testing::http_request(app->port(), "POST", "/webhooks/messenger",
                                         signed_request.body, headers);
    EXPECT_EQ(r.status, 200) << r.body;
    mock.wait_for(  // the predicate gets the calls (it runs under the mock's lock)
        [&](const std::vector<mock::Call>& calls) {
          std::size_t n = 0;
          for (const auto& c : calls)
            n += c.platform == mock::Platform::kMessenger && c.user_id == psid && c.api == "send";
          return n > before;
        },
        10s);
    std::this_thread::sleep_for(150ms);  // the rest of the turn's replies
    std::string out;
    const auto all = sent_to(psid);
    for (std::size_t i = before; i < all.size(); ++i) out += all[i].text + "\n";
    return out;
  }

  std::string say(const std::string& psid, const std::string& text) {
    return send(psid, mock::messenger_text(kPage, psid, text, "m_" + std::to_string(++mid),
                                           SystemClock().now_ms()));
  }

  std::vector<mock::Call> sent_to(const std::string& psid) {
    std::vector<mock::Call> out;
    for (auto& c : mock.calls(mock::Platform::kMessenger))
      if (c.user_id == psid && c.api == "send")
        out.push_back(c);
    return out;
  }

  FakeClock clock{testing::kScriptNow};
  mock::MockPlatform mock;
  std::unique_ptr<TestApp> app;
  int mid = 0;
};

TEST_F(FormsMessengerE2E, AFormTypedTheWayPeopleTypeOnMessenger) {
  const std::string u = "7000000000000101";
  say(u, "cho minh dat lich tu van");
  say(u, "so huu tri tue");
  std::string r = say(u, "thu 6 nay");
  EXPECT_TRUE(has(r, "4/12/2026")) << r;
  say(u, "9h");
  r = say(u, "truc tiep");
  EXPECT_TRUE(has(r, "họ tên")) << r;
  r = say(u, "dang ky nhan hieu can giay to gi");
  EXPECT_TRUE(has(r, "vẫn được giữ")) << r;
  r = say(u, "tiep tuc");
  EXPECT_TRUE(has(r, "họ tên")) << r;
  r = say(u, "menu");
  EXPECT_TRUE(has(r, "vẫn được giữ")) << r;
  r = say(u, "huy lich");
  EXPECT_TRUE(has(r, "Đã hủy việc đặt lịch")) << r;
}

TEST_F(FormsMessengerE2E, AFirstContactOfAnyKindIsGreeted) {
  // Get Started on a page whose button still carries another tool's payload.
  Json started =
      mock::messenger_text(kPage, "7000000000000102", "x", "m_gs", SystemClock().now_ms());
  started.erase("message");
  started["postback"] = {{"payload", "__GET_STARTED__"}, {"title", "Bắt đầu"}, {"mid", "m_gs"}};
  std::string r = send("7000000000000102", started);
  EXPECT_TRUE(has(r, "Xin chào")) << r;
  EXPECT_FALSE(has(r, "chưa hiểu")) << r;
  // An m.me link whose ref the bot does not know.
  Json referral =
      mock::messenger_text(kPage, "7000000000000103", "x", "m_ref", SystemClock().now_ms());
  referral.erase("message");
  referral["referral"] = {
      {"ref", "ex:no-such-explainer"}, {"source", "SHORTLINK"}, {"type", "OPEN_THREAD"}};
  r = send("7000000000000103", referral);
  EXPECT_TRUE(has(r, "Xin chào")) << r;
  EXPECT_FALSE(has(r, "chưa hiểu")) << r;
}

}  // namespace
}  // namespace outreach
