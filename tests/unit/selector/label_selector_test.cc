#include "kernel/api/selector/label_selector.h"

#include <gtest/gtest.h>

#include <string>

namespace berth::selector {
namespace {

LabelSelector MustParse(const std::string& text) {
  StatusOr<LabelSelector> s = LabelSelector::Parse(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().ToString();
  return s.ok() ? *s : LabelSelector::Nothing();
}

std::string ParseError(const std::string& text) {
  StatusOr<LabelSelector> s = LabelSelector::Parse(text);
  EXPECT_FALSE(s.ok()) << text << " parsed as " << (s.ok() ? s->String() : "");
  if (s.ok()) return "";
  EXPECT_EQ(s.status().code(), Status::Code::kBadRequest);
  return s.status().message();
}

std::string StripSpaces(std::string s) {
  std::erase(s, ' ');
  return s;
}

// From apimachinery's TestSelectorParse: valid strings print back unchanged
// but for spaces.
TEST(LabelSelectorTest, ValidStringsRoundTrip) {
  for (const char* text : {"x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ",
                           "x= ,z= ", "!x", "x>1", "x>1,z<5"}) {
    EXPECT_EQ(MustParse(text).String(), StripSpaces(text)) << text;
  }
}

TEST(LabelSelectorTest, InvalidStringsFail) {
  for (const char* text :
       {"x=a||y=b", "x==a==b", "!x=a", "x<a", "x,,y", ",x,y", "x nott in (y)",
        "a in (xyz),", "a in (xyz)b notin ()", "a in (xyz abc)", "a notin(",
        "a (", "(", "x in (a) y", "x=a b"}) {
    ParseError(text);
  }
}

TEST(LabelSelectorTest, ParsesSetSyntaxAndWhitespace) {
  EXPECT_EQ(MustParse("\rx").String(), "x");
  EXPECT_EQ(MustParse("this-is-a-dns.domain.com/key-with-dash").String(),
            "this-is-a-dns.domain.com/key-with-dash");
  EXPECT_EQ(MustParse("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)")
                .String(),
            "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)");
  EXPECT_EQ(MustParse("foo  in\t (abc)").String(), "foo in (abc)");
  EXPECT_EQ(MustParse("x notin\n (abc)").String(), "x notin (abc)");
  EXPECT_EQ(MustParse("x in (abc,)").String(), "x in (,abc)");
  EXPECT_EQ(MustParse("x in (abc,abc)").String(), "x in (abc)");
  EXPECT_EQ(MustParse("x in ()").String(), "x in ()");
  EXPECT_EQ(MustParse("x in (a,,a,,a,,a,,)").String(), "x in (,a)");
  EXPECT_EQ(MustParse("x notin (, a)").String(), "x notin (,a)");
  EXPECT_EQ(MustParse("a ").String(), "a");
  // "in" and "notin" are values inside a set.
  EXPECT_EQ(MustParse("a in (x,y,notin, z,in)").String(),
            "a in (in,notin,x,y,z)");
  // Requirements come out sorted by key.
  EXPECT_EQ(MustParse("x notin (abc,,def),bar,z in (),w").String(),
            "bar,w,x notin (,abc,def),z in ()");
  EXPECT_EQ(MustParse("x=a,a=x").String(), MustParse("a=x,x=a").String());
}

TEST(LabelSelectorTest, Matches) {
  Labels xy = {{"x", "y"}};
  EXPECT_TRUE(MustParse("").Matches(xy));
  EXPECT_TRUE(MustParse("x=y").Matches(xy));
  EXPECT_TRUE(MustParse("x==y").Matches(xy));
  EXPECT_TRUE(MustParse("x=y,z=w").Matches({{"x", "y"}, {"z", "w"}}));
  EXPECT_TRUE(MustParse("x!=y,z!=w").Matches({{"x", "z"}, {"z", "a"}}));
  EXPECT_TRUE(MustParse("notin=in").Matches({{"notin", "in"}}));
  EXPECT_TRUE(MustParse("x").Matches({{"x", "z"}}));
  EXPECT_TRUE(MustParse("!x").Matches({{"y", "z"}}));
  EXPECT_TRUE(MustParse("x>1").Matches({{"x", "2"}}));
  EXPECT_TRUE(MustParse("x<1").Matches({{"x", "0"}}));
  EXPECT_FALSE(MustParse("x=z").Matches({}));
  EXPECT_FALSE(MustParse("x=y").Matches({{"x", "z"}}));
  EXPECT_FALSE(MustParse("x=y,z=w").Matches({{"x", "w"}, {"z", "w"}}));
  EXPECT_FALSE(MustParse("x!=y,z!=w").Matches({{"x", "z"}, {"z", "w"}}));
  EXPECT_FALSE(MustParse("x").Matches({{"y", "z"}}));
  EXPECT_FALSE(MustParse("!x").Matches({{"x", "z"}}));
  EXPECT_FALSE(MustParse("x>1").Matches({{"x", "0"}}));
  EXPECT_FALSE(MustParse("x>1").Matches({{"x", "v2"}}));
  EXPECT_FALSE(MustParse("x<1").Matches({{"x", "2"}}));
  // A missing key satisfies != and notin.
  EXPECT_TRUE(MustParse("x!=a").Matches({}));
  EXPECT_TRUE(MustParse("x notin (a,b)").Matches({}));
  EXPECT_FALSE(MustParse("x notin (a,b)").Matches({{"x", "b"}}));
  EXPECT_TRUE(MustParse("x in (a,b)").Matches({{"x", "b"}}));
  EXPECT_FALSE(MustParse("x in (a,b)").Matches({{"x", "c"}}));
  // "x in ()" means the empty value.
  EXPECT_TRUE(MustParse("x in ()").Matches({{"x", ""}}));
  EXPECT_FALSE(MustParse("x in ()").Matches({{"x", "a"}}));
  EXPECT_TRUE(MustParse("x=").Matches({{"x", ""}}));
}

TEST(LabelSelectorTest, ErrorMessagesMatchKubernetes) {
  // "|" is an identifier character, so the value is "a||y".
  EXPECT_EQ(
      ParseError("x=a||y=b").substr(0, 64),
      "unable to parse requirement: values[0][x]: Invalid value: \"a||y\"");
  EXPECT_EQ(ParseError("x,,y"), "found ',', expected: identifier after ','");
  EXPECT_EQ(ParseError("("),
            "found '(', expected: !, identifier, or 'end of string'");
  EXPECT_EQ(ParseError("x nott in (y)"),
            "unable to parse requirement: found 'nott', expected: in, notin, "
            "=, ==, !=, gt, lt");
  EXPECT_EQ(ParseError("a in (xyz abc)"),
            "unable to parse requirement: found 'abc', expected: ',' or ')'");
  EXPECT_EQ(ParseError("x<a"),
            "unable to parse requirement: values[0]: Invalid value: \"a\": "
            "for 'Gt', 'Lt' operators, the value must be an integer");
  EXPECT_EQ(
      ParseError("x_=a"),
      "unable to parse requirement: <nil>: Invalid value: \"x_\": name part "
      "must consist of alphanumeric characters, '-', '_' or '.', and must "
      "start and end with an alphanumeric character (e.g. 'MyName',  or "
      "'my.name',  or '123-abc', regex used for validation is "
      "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  EXPECT_EQ(ParseError("app=we b"),
            "found 'b', expected: ',' or 'end of string'");
  EXPECT_EQ(ParseError("app=-web"),
            "unable to parse requirement: values[0][app]: Invalid value: "
            "\"-web\": a valid label must be an empty string or consist of "
            "alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
            "or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
}

TEST(LabelSelectorTest, KeyAndValueSyntax) {
  EXPECT_TRUE(LabelSelector::Parse("example.com/app=web").ok());
  EXPECT_TRUE(LabelSelector::Parse("app.kubernetes.io/name=web").ok());
  EXPECT_TRUE(LabelSelector::Parse(std::string(63, 'a') + "=v").ok());
  EXPECT_FALSE(LabelSelector::Parse(std::string(64, 'a') + "=v").ok());
  EXPECT_TRUE(LabelSelector::Parse("k=" + std::string(63, 'v')).ok());
  EXPECT_FALSE(LabelSelector::Parse("k=" + std::string(64, 'v')).ok());
  EXPECT_FALSE(LabelSelector::Parse("Example.com/app=web").ok());
  EXPECT_FALSE(LabelSelector::Parse("/app=web").ok());
  EXPECT_FALSE(LabelSelector::Parse("a/b/c=web").ok());
  EXPECT_FALSE(LabelSelector::Parse("example.com/=web").ok());
  EXPECT_FALSE(LabelSelector::Parse("app=web!").ok());
  EXPECT_FALSE(LabelSelector::Parse("app=w@b").ok());
  EXPECT_TRUE(LabelSelector::Parse("app=My_value.1-2").ok());
  EXPECT_NE(ParseError("/app").find("prefix part must be non-empty"),
            std::string::npos);
}

JsonDoc Doc(const char* text) {
  JsonDoc d;
  d.Parse(text);
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

TEST(LabelSelectorTest, FromJsonLabelSelector) {
  JsonDoc d = Doc(R"({"matchLabels":{"app":"web"},"matchExpressions":[
      {"key":"tier","operator":"In","values":["front","edge"]},
      {"key":"canary","operator":"DoesNotExist"},
      {"key":"env","operator":"NotIn","values":["dev"]},
      {"key":"team","operator":"Exists"}]})");
  StatusOr<LabelSelector> s = LabelSelector::FromJson(d);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->String(),
            "app=web,!canary,env notin (dev),team,tier in (edge,front)");
  EXPECT_TRUE(s->Matches(
      {{"app", "web"}, {"tier", "edge"}, {"team", "a"}, {"env", "prod"}}));
  EXPECT_FALSE(s->Matches(
      {{"app", "web"}, {"tier", "edge"}, {"team", "a"}, {"canary", "1"}}));
  EXPECT_FALSE(s->Matches({{"app", "web"}, {"tier", "back"}, {"team", "a"}}));
}

TEST(LabelSelectorTest, FromJsonNullSelectsNothingEmptySelectsAll) {
  JsonDoc null_doc = Doc("null");
  StatusOr<LabelSelector> nothing = LabelSelector::FromJson(null_doc);
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->Matches({}));
  EXPECT_FALSE(nothing->Empty());
  JsonDoc empty_doc = Doc("{}");
  StatusOr<LabelSelector> all = LabelSelector::FromJson(empty_doc);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->Matches({{"a", "b"}}));
  EXPECT_TRUE(all->Empty());
}

TEST(LabelSelectorTest, FromJsonRejectsBadExpressions) {
  JsonDoc bad_op = Doc(R"({"matchExpressions":[{"key":"a","operator":"Gt"}]})");
  StatusOr<LabelSelector> s = LabelSelector::FromJson(bad_op);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "\"Gt\" is not a valid label selector operator");
  JsonDoc no_values =
      Doc(R"({"matchExpressions":[{"key":"a","operator":"In","values":[]}]})");
  s = LabelSelector::FromJson(no_values);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "values: Invalid value: []: for 'in', 'notin' operators, values "
            "set can't be empty");
  JsonDoc bad_key = Doc(R"({"matchLabels":{"a b":"c"}})");
  EXPECT_FALSE(LabelSelector::FromJson(bad_key).ok());
}

TEST(LabelSelectorTest, FromMapRequiresEveryPair) {
  LabelSelector s = LabelSelector::FromMap({{"app", "web"}, {"tier", "fe"}});
  EXPECT_EQ(s.String(), "app=web,tier=fe");
  EXPECT_TRUE(s.Matches({{"app", "web"}, {"tier", "fe"}, {"x", "y"}}));
  EXPECT_FALSE(s.Matches({{"app", "web"}}));
  EXPECT_TRUE(LabelSelector::FromMap({}).Matches({{"a", "b"}}));
}

}  // namespace
}  // namespace berth::selector
