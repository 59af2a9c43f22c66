#include "kernel/cli/manifest_reader.h"

#include <gtest/gtest.h>

namespace berth::cli {
namespace {

TEST(ManifestReaderTest, MultiDocumentYamlAndListsBecomeObjects) {
  auto f = ParseManifest("m.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
# only a comment
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Secret, metadata: {name: b}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
)");
  ASSERT_TRUE(f.status.ok()) << f.status.ToString();
  ASSERT_EQ(f.objects.size(), 3u);
  EXPECT_EQ(GetString(f.objects[0], {"metadata", "name"}), "a");
  EXPECT_EQ(GetString(f.objects[1], {"kind"}), "Secret");
  EXPECT_EQ(GetString(f.objects[2], {"metadata", "name"}), "c");
}

TEST(ManifestReaderTest, JsonIsAccepted) {
  auto f = ParseManifest(
      "m.json",
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}})");
  ASSERT_TRUE(f.status.ok()) << f.status.ToString();
  ASSERT_EQ(f.objects.size(), 1u);
}

TEST(ManifestReaderTest, MalformedYamlNamesFileAndLineAndYieldsNothing) {
  auto f =
      ParseManifest("bad.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
                    "data:\n  k: v\n  bad: : x\n");
  EXPECT_EQ(f.status.message(),
            "error parsing bad.yaml: error converting YAML to JSON: yaml: "
            "line 7: mapping values are not allowed in this context");
  EXPECT_TRUE(f.objects.empty());
}

TEST(ManifestReaderTest, MissingKindIsRejected) {
  auto f = ParseManifest("k.yaml", "metadata: {name: a}\n");
  EXPECT_EQ(f.status.message(),
            "error validating \"k.yaml\": error validating data: [apiVersion "
            "not set, kind not set]");
  EXPECT_TRUE(f.objects.empty());
}

TEST(ManifestReaderTest, MissingPathSaysSo) {
  auto files = ReadManifests("/nonexistent/x.yaml");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].status.message(),
            "the path \"/nonexistent/x.yaml\" does not exist");
}

}  // namespace
}  // namespace berth::cli
