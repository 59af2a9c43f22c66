#include "kernel/api/codec/yaml_codec.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace berth::codec {
namespace {

std::vector<JsonDoc> ParseOk(std::string_view text) {
  auto docs = YamlToJsonDocuments(text);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString();
  if (!docs.ok()) return {};
  return std::move(docs).value();
}

// The single document of `text`, serialized compactly.
std::string OneDocJson(std::string_view text) {
  auto docs = ParseOk(text);
  EXPECT_EQ(docs.size(), 1u) << text;
  return docs.empty() ? "" : ToJson(docs[0]);
}

TEST(YamlToJson, SplitsDocumentsAndSkipsEmptyOnes) {
  auto docs = ParseOk(
      "---\n"
      "# only a comment\n"
      "---\n"
      "kind: A\n"
      "---\n"
      "---\n"
      "kind: B\n"
      "...\n");
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(GetString(docs[0], {"kind"}), "A");
  EXPECT_EQ(GetString(docs[1], {"kind"}), "B");
  EXPECT_TRUE(ParseOk("").empty());
  EXPECT_TRUE(ParseOk("---\n---\n").empty());
}

TEST(YamlToJson, ResolvesUnquotedScalarsLikeGoYamlV2) {
  EXPECT_EQ(OneDocJson("a: true\nb: False\nc: yes\nd: NO\ne: on\nf: off\n"
                       "g: y\nh: n\n"),
            R"({"a":true,"b":false,"c":true,"d":false,"e":true,"f":false,)"
            R"("g":true,"h":false})");
  EXPECT_EQ(OneDocJson("a:\nb: ~\nc: null\nd: NULL\n"),
            R"({"a":null,"b":null,"c":null,"d":null})");
  EXPECT_EQ(OneDocJson("a: 42\nb: -7\nc: 0x1F\nd: 0o17\ne: 0755\nf: 1_000\n"
                       "g: +3\nh: 0b101\n"),
            R"({"a":42,"b":-7,"c":31,"d":15,"e":493,"f":1000,"g":3,"h":5})");
  EXPECT_EQ(OneDocJson("a: 1.5\nb: .5\nc: 1e3\nd: 3.0\ne: 1.25\n"),
            R"({"a":1.5,"b":0.5,"c":1000,"d":3,"e":1.25})");
  EXPECT_EQ(OneDocJson("big: 18446744073709551615\n"),
            R"({"big":18446744073709551615})");
}

TEST(YamlToJson, KeepsStringsThatOnlyLookTyped) {
  EXPECT_EQ(OneDocJson("a: \"true\"\nb: '123'\nc: !!str 12\nd: \"\"\n"
                       "e: 2024-01-01\nf: 1.2.3\ng: 0x\nh: nginx:1.25\n"
                       "i: \"null\"\nj: 1e400\n"),
            R"({"a":"true","b":"123","c":"12","d":"","e":"2024-01-01",)"
            R"("f":"1.2.3","g":"0x","h":"nginx:1.25","i":"null",)"
            R"("j":"1e400"})");
  EXPECT_EQ(OneDocJson("script: |\n  echo 1\n  echo 2\nfold: >\n  a\n  b\n"),
            R"({"script":"echo 1\necho 2\n","fold":"a b\n"})");
}

TEST(YamlToJson, KeysAreAlwaysStrings) {
  EXPECT_EQ(OneDocJson("yes: 1\n0x10: 2\n\"7\": 3\n5: 4\n"),
            R"({"true":1,"16":2,"7":3,"5":4})");
  // YAML 1.1 reads a bare `y` as true, keys included, as Kubernetes does.
  EXPECT_EQ(OneDocJson("y: 1\n\"n\": 2\n"), R"({"true":1,"n":2})");
}

TEST(YamlToJson, MergeKeysAndRepeatedKeys) {
  EXPECT_EQ(OneDocJson("base: &b\n  x: 1\n  z: 2\n"
                       "child:\n  z: 3\n  <<: *b\n"),
            R"({"base":{"x":1,"z":2},"child":{"z":3,"x":1}})");
  EXPECT_EQ(OneDocJson("a: 1\na: 2\n"), R"({"a":2})");
}

TEST(YamlToJson, FlowStyleAndNestedCollections) {
  EXPECT_EQ(OneDocJson("cmd: [\"redis-cli\", ping]\nm: {a: 1, b: [x, {c: d}]}\n"
                       "l:\n- - 1\n  - 2\n- {}\n- []\n"),
            R"({"cmd":["redis-cli","ping"],"m":{"a":1,"b":["x",{"c":"d"}]},)"
            R"("l":[[1,2],{},[]]})");
}

TEST(YamlToJson, SyntaxErrorNamesLineAndColumn) {
  std::string text =
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: x\n"
      "spec:\n"
      "  containers:\n"
      "  - name: a: b\n";
  auto docs = YamlToJsonDocuments(text);
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(docs.status().message(),
            "error converting YAML to JSON: yaml: line 7, column 12: mapping "
            "values are not allowed in this context");

  auto unterminated = YamlToJsonDocuments("a: [1, 2\nb: 3\n");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.status().message().find("yaml: line "),
            std::string::npos)
      << unterminated.status().message();
}

TEST(YamlToJson, RefusesValuesJsonCannotHold) {
  auto inf = YamlToJsonDocuments("a: 1\nb: .inf\n");
  ASSERT_FALSE(inf.ok());
  EXPECT_NE(inf.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(YamlToJsonDocuments("? [a, b]\n: 1\n").ok());
  EXPECT_FALSE(YamlToJsonDocuments("~: 1\n").ok());
}

TEST(YamlToJson, SurvivesHostileInput) {
  // Nesting that would overflow a recursive parser's stack.
  for (std::string deep :
       {std::string(100000, '['), std::string(100000, '{'), [] {
          std::string s;
          for (int i = 0; i < 50000; ++i) s += "- ";
          return s + "x";
        }()}) {
    auto r = YamlToJsonDocuments(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kBadRequest);
    EXPECT_NE(r.status().message().find("exceeded max depth"),
              std::string::npos)
        << r.status().message();
  }

  // An alias inside its own anchor is a cycle.
  auto cycle = YamlToJsonDocuments("a: &a [x, *a]\n");
  ASSERT_FALSE(cycle.ok());
  EXPECT_EQ(cycle.status().code(), Status::Code::kBadRequest);

  // "Billion laughs": 10^9 values from a few hundred bytes of aliases.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += (j ? ", " : "") + prev;
    bomb += "]\n";
  }
  auto laughs = YamlToJsonDocuments(bomb);
  ASSERT_FALSE(laughs.ok());
  EXPECT_NE(laughs.status().message().find("excessive aliasing"),
            std::string::npos);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(YamlToJson, EveryExampleManifestParses) {
  std::filesystem::path dir =
      std::filesystem::path(BERTH_CODEC_TESTDATA) / "examples";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    auto docs = YamlToJsonDocuments(ReadFile(entry.path()));
    ASSERT_TRUE(docs.ok()) << entry.path() << ": " << docs.status().ToString();
    ASSERT_FALSE(docs->empty()) << entry.path();
    for (const JsonDoc& doc : *docs) {
      EXPECT_FALSE(GetString(doc, {"apiVersion"}).empty()) << entry.path();
      EXPECT_FALSE(GetString(doc, {"kind"}).empty()) << entry.path();
      EXPECT_FALSE(GetString(doc, {"metadata", "name"}).empty())
          << entry.path();
    }
  }
  EXPECT_EQ(files, 11);
}

TEST(YamlToJson, ExampleValuesAreTyped) {
  auto docs =
      YamlToJsonDocuments(ReadFile(std::filesystem::path(BERTH_CODEC_TESTDATA) /
                                   "examples/wiki-hello.yaml"));
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ(GetString((*docs)[0], {"kind"}), "Pod");
  const JsonDoc& svc = (*docs)[1];
  EXPECT_EQ(GetString(svc, {"kind"}), "Service");
  const Json* ports = Find(svc, {"spec", "ports"});
  ASSERT_TRUE(ports && ports->IsArray() && ports->Size() == 1);
  EXPECT_EQ(GetInt((*ports)[0], {"nodePort"}), 31111);
  EXPECT_EQ(GetInt((*ports)[0], {"targetPort"}), 8080);
}

// --- JsonToYaml
// ---------------------------------------------------------------

JsonDoc Parse(std::string_view json) {
  auto doc = ParseJson(json);
  EXPECT_TRUE(doc.ok()) << json;
  return std::move(doc).value();
}

TEST(JsonToYaml, WritesKubectlStyleBlocks) {
  JsonDoc d = Parse(R"({
    "kind": "Deployment", "apiVersion": "apps/v1",
    "metadata": {"name": "web", "labels": {"app": "web"},
                 "creationTimestamp": "2024-05-01T10:00:00Z"},
    "spec": {"replicas": 2, "paused": false, "strategy": {},
             "template": {"spec": {"containers": [
               {"name": "nginx", "image": "nginx:1.25",
                "args": ["--port=80", "true", ""],
                "ports": [{"containerPort": 80}], "resources": {}}]}}},
    "status": {"conditions": [], "ratio": 0.5, "note": null}})");
  EXPECT_EQ(JsonToYaml(d),
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata:\n"
            "  creationTimestamp: \"2024-05-01T10:00:00Z\"\n"
            "  labels:\n"
            "    app: web\n"
            "  name: web\n"
            "spec:\n"
            "  paused: false\n"
            "  replicas: 2\n"
            "  strategy: {}\n"
            "  template:\n"
            "    spec:\n"
            "      containers:\n"
            "      - args:\n"
            "        - --port=80\n"
            "        - \"true\"\n"
            "        - \"\"\n"
            "        image: nginx:1.25\n"
            "        name: nginx\n"
            "        ports:\n"
            "        - containerPort: 80\n"
            "        resources: {}\n"
            "status:\n"
            "  conditions: []\n"
            "  note: null\n"
            "  ratio: 0.5\n");
}

TEST(JsonToYaml, SortsKeysInGoYamlNaturalOrder) {
  JsonDoc d = Parse(R"({"b":1,"a10":2,"a2":3,"A":4,"_x":5,"a":6})");
  EXPECT_EQ(JsonToYaml(d), "_x: 5\nA: 4\na: 6\na2: 3\na10: 2\nb: 1\n");
}

TEST(JsonToYaml, MultiLineStringsUseLiteralBlocks) {
  JsonDoc d = Parse(R"({"data":{"script":"echo 1\necho 2\n","s":"a\nb"},)"
                    R"("list":["x\ny"]})");
  EXPECT_EQ(JsonToYaml(d),
            "data:\n"
            "  s: |-\n"
            "    a\n"
            "    b\n"
            "  script: |\n"
            "    echo 1\n"
            "    echo 2\n"
            "list:\n"
            "- |-\n"
            "  x\n"
            "  y\n");
}

// go-yaml v2 folds flow scalars at a space once a line passes 80 columns;
// expected texts are what `kubectl create ... --dry-run=client -o yaml`
// printed for the same values.
TEST(JsonToYaml, LongScalarsFoldAtEightyColumnsLikeGoYaml) {
  JsonDoc d = Parse(
      R"({"data":{"plain":"apk add --no-cache git && git clone )"
      R"(https://github.com/octocat/Spoon-Knife /www and more words here to )"
      R"(go past the eighty column limit again and again",)"
      R"("sq":"'quoted start with many words that are long enough to wrap )"
      R"(around the eighty column limit for sure yes'",)"
      R"("dq":"tab\tinside and many words that are long enough to wrap )"
      R"(around the eighty column limit for sure  double spaces"},)"
      R"("cmd":["sh","-c","apk add --no-cache git && git clone )"
      R"(https://github.com/octocat/Spoon-Knife /www"]})");
  EXPECT_EQ(JsonToYaml(d),
            "cmd:\n"
            "- sh\n"
            "- -c\n"
            "- apk add --no-cache git && git clone "
            "https://github.com/octocat/Spoon-Knife /www\n"
            "data:\n"
            "  dq: \"tab\\tinside and many words that are long enough to wrap "
            "around the eighty column\n"
            "    limit for sure  double spaces\"\n"
            "  plain: apk add --no-cache git && git clone "
            "https://github.com/octocat/Spoon-Knife\n"
            "    /www and more words here to go past the eighty column limit "
            "again and again\n"
            "  sq: '''quoted start with many words that are long enough to "
            "wrap around the eighty\n"
            "    column limit for sure yes'''\n");
  // Nested under a sequence item the continuation follows the item.
  JsonDoc nested =
      Parse(R"({"c":[{"command":["apk add --no-cache git && git clone )"
            R"(https://github.com/octocat/Spoon-Knife-longer /www"]}]})");
  EXPECT_EQ(JsonToYaml(nested),
            "c:\n"
            "- command:\n"
            "  - apk add --no-cache git && git clone "
            "https://github.com/octocat/Spoon-Knife-longer\n"
            "    /www\n");
  // Folded text reads back unchanged.
  for (const Json* v : std::initializer_list<const Json*>{&d, &nested}) {
    auto back = YamlToJsonDocuments(JsonToYaml(*v));
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE((*back)[0] == *v) << ToJson((*back)[0]);
  }
}

TEST(JsonToYaml, EveryStringRoundTrips) {
  const char* const kStrings[] = {"plain",
                                  "true",
                                  "yes",
                                  "Y",
                                  "no",
                                  "off",
                                  "null",
                                  "~",
                                  "",
                                  "123",
                                  "0x10",
                                  "1e3",
                                  "1.5",
                                  ".5",
                                  "-7",
                                  "1:20",
                                  "2024-01-01",
                                  "2024-01-01T10:00:00Z",
                                  "<<",
                                  "a: b",
                                  "a:b",
                                  "a #b",
                                  "a#b",
                                  "#x",
                                  "- x",
                                  "-x",
                                  "--flag",
                                  "? x",
                                  ":x",
                                  "[x]",
                                  "{x}",
                                  "*star",
                                  "&amp",
                                  "!bang",
                                  "|pipe",
                                  ">gt",
                                  "'quoted'",
                                  "\"dq\"",
                                  "%pct",
                                  "@at",
                                  "`bt",
                                  " lead",
                                  "trail ",
                                  "tab\there",
                                  "quote's",
                                  "back\\slash",
                                  "ünïcödé",
                                  "multi\nline\n",
                                  "multi\nline",
                                  "keep\n\n",
                                  "\nleading break",
                                  " space\nthen break",
                                  "trailing space \nline",
                                  "ctl\x01char",
                                  "---",
                                  "...",
                                  "a,b",
                                  "http://x/y?z=1&w=2",
                                  "50%",
                                  "line\r\nwin"};
  for (const char* s : kStrings) {
    JsonDoc d;
    d.SetObject();
    SetString(d, "k", s, d.GetAllocator());
    SetString(d, s, "as key", d.GetAllocator());
    Json list(rapidjson::kArrayType);
    list.PushBack(Json(s, d.GetAllocator()), d.GetAllocator());
    SetMember(d, "list", std::move(list), d.GetAllocator());
    std::string yaml = JsonToYaml(d);
    auto back = YamlToJsonDocuments(yaml);
    ASSERT_TRUE(back.ok()) << "[" << s << "]\n"
                           << yaml << back.status().ToString();
    ASSERT_EQ(back->size(), 1u) << yaml;
    EXPECT_TRUE((*back)[0] == d) << "[" << s << "]\n"
                                 << yaml << "\n"
                                 << ToJson((*back)[0]);
  }
}

TEST(JsonToYaml, NumbersAndScalarsRoundTrip) {
  JsonDoc d = Parse(R"({"i":-5,"u":18446744073709551615,"f":0.25,)"
                    R"("e":1e-7,"big":1e300,"t":true,"n":null,)"
                    R"("nested":[[1,[2]],[{"a":[]}]]})");
  std::string yaml = JsonToYaml(d);
  auto back = YamlToJsonDocuments(yaml);
  ASSERT_TRUE(back.ok()) << yaml;
  EXPECT_TRUE((*back)[0] == d) << yaml << "\n" << ToJson((*back)[0]);
}

// --- DecodeJsonOrYaml ------------------------------------------------------

TEST(DecodeJsonOrYaml, DecodesJsonAndYamlObjects) {
  auto json = DecodeJsonOrYaml(R"({"kind":"Pod","spec":{"x":1}})", false);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(GetString(*json, {"kind"}), "Pod");
  auto yaml = DecodeJsonOrYaml("kind: Pod\nspec:\n  x: 1\n", true);
  ASSERT_TRUE(yaml.ok());
  EXPECT_TRUE(*yaml == *json);
}

TEST(DecodeJsonOrYaml, JsonErrorsReadLikeKubernetes) {
  auto r = DecodeJsonOrYaml("{\n  \"kind\": \"Pod\",\n}", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kBadRequest);
  EXPECT_EQ(r.status().message(),
            "couldn't get version/kind; json parse error: invalid character "
            "'}' looking for beginning of object key string (line 3, column "
            "1)");

  auto eof = DecodeJsonOrYaml("{\"kind\": \"Po", false);
  ASSERT_FALSE(eof.ok());
  EXPECT_NE(eof.status().message().find("unexpected end of JSON input"),
            std::string::npos)
      << eof.status().message();

  auto colon = DecodeJsonOrYaml("{\"a\" 1}", false);
  ASSERT_FALSE(colon.ok());
  EXPECT_NE(colon.status().message().find(
                "invalid character '1' after object key (line 1, column 6)"),
            std::string::npos)
      << colon.status().message();
}

TEST(DecodeJsonOrYaml, RequiresOneObject) {
  EXPECT_EQ(DecodeJsonOrYaml("[1]", false).status().code(),
            Status::Code::kBadRequest);
  EXPECT_EQ(DecodeJsonOrYaml("", false).status().code(),
            Status::Code::kBadRequest);
  EXPECT_EQ(DecodeJsonOrYaml("a: 1\n---\nb: 2\n", true).status().code(),
            Status::Code::kBadRequest);
  EXPECT_EQ(DecodeJsonOrYaml("", true).status().code(),
            Status::Code::kBadRequest);
  EXPECT_EQ(DecodeJsonOrYaml("- a\n", true).status().code(),
            Status::Code::kBadRequest);
}

}  // namespace
}  // namespace berth::codec
