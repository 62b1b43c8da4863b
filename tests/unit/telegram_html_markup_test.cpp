#include <gtest/gtest.h>

#include "adapters/telegram/html_markup.hpp"

namespace vpnbot::telegram {
namespace {

TEST(TelegramHtmlMarkup, AcceptsWhatTelegramParses) {
  for (const auto* ok :
       {"plain text", "<b>News</b> for you", "<b>bold <i>and italic</i></b>",
        "<a href=\"https://example.com\">link</a>", "1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot;",
        "&#128512; &#x1F600;", "<pre><code class=\"language-cpp\">x</code></pre>",
        "<tg-spoiler>s</tg-spoiler> <span class=\"tg-spoiler\">s</span>", "<B>upper</B>", "a > b",
        ""})
    EXPECT_EQ(html_markup_problem(ok), std::nullopt) << ok;
}

TEST(TelegramHtmlMarkup, NamesWhatTelegramRefuses) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"<b>unclosed", "<b> is not closed"},
      {"<b><i>crossed</b></i>", "</b> closes no open <b>"},
      {"</i>", "</i> closes no open <i>"},
      {"<div>x</div>", "a tag Telegram does not know: <div>"},
      {"<a>nowhere</a>", "<a> without href"},
      {"Tom & Jerry", "a bare '&' (write &amp;)"},
      {"&nbsp;", "a bare '&' (write &amp;)"},
      {"&#xZZ;", "a bare '&' (write &amp;)"},
      {"1 < 2", "a bare '<' (write &lt;)"},
  };
  for (const auto& [text, problem] : bad) EXPECT_EQ(html_markup_problem(text), problem) << text;
}

}  // namespace
}  // namespace vpnbot::telegram
