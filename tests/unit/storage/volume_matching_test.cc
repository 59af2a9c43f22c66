// The binding decisions: which volume a claim gets, and why a named volume
// is refused.
#include "volume_matching.h"

#include <gtest/gtest.h>

#include <vector>

namespace berth::storage {
namespace {

JsonDoc Parse(const std::string& text) {
  auto d = ParseJson(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? std::move(d).value() : JsonDoc();
}

std::string Volume(const std::string& name, const std::string& size,
                   const std::string& modes, const std::string& cls = "fast",
                   const std::string& extra = "") {
  return R"({"metadata":{"name":")" + name + R"(","labels":{"tier":")" +
         (name == "labelled" ? "gold" : "none") +
         R"("}},"spec":{"capacity":{"storage":")" + size +
         R"("},"accessModes":)" + modes + R"(,"storageClassName":")" + cls +
         R"(","volumeMode":"Filesystem","hostPath":{"path":"/x"})" + extra +
         R"(},"status":{"phase":"Available"}})";
}

std::string Claim(const std::string& size, const std::string& modes,
                  const std::string& extra = "") {
  return R"({"metadata":{"name":"c","namespace":"ns","uid":"u1"},"spec":{)"
         R"("accessModes":)" +
         modes + R"(,"resources":{"requests":{"storage":")" + size +
         R"("}},"storageClassName":"fast","volumeMode":"Filesystem")" + extra +
         "}}";
}

std::string Pick(const std::vector<std::string>& volumes,
                 const std::string& claim, bool delay = false) {
  std::vector<JsonDoc> docs;
  for (const auto& v : volumes) docs.push_back(Parse(v));
  std::vector<const Json*> ptrs;
  for (const auto& d : docs) ptrs.push_back(&d);
  JsonDoc pvc = Parse(claim);
  const Json* best = FindBestVolume(pvc, ptrs, delay);
  return best ? GetString(*best, {"metadata", "name"}) : "<none>";
}

TEST(FindBestVolume, SmallestAvailableOfTheClassThatIsBigEnough) {
  std::vector<std::string> volumes = {
      Volume("big", "10Gi", R"(["ReadWriteOnce"])"),
      Volume("small", "1Gi", R"(["ReadWriteOnce"])"),
      Volume("right", "5Gi", R"(["ReadWriteOnce"])"),
      Volume("other-class", "3Gi", R"(["ReadWriteOnce"])", "slow"),
  };
  EXPECT_EQ(Pick(volumes, Claim("3Gi", R"(["ReadWriteOnce"])")), "right");
  EXPECT_EQ(Pick(volumes, Claim("1Gi", R"(["ReadWriteOnce"])")), "small");
  EXPECT_EQ(Pick(volumes, Claim("20Gi", R"(["ReadWriteOnce"])")), "<none>");
  // RWX is offered by none of them.
  EXPECT_EQ(Pick(volumes, Claim("1Gi", R"(["ReadWriteMany"])")), "<none>");
}

TEST(FindBestVolume, FewestAccessModesBeforeSmallest) {
  std::vector<std::string> volumes = {
      Volume("rwo-rwx-small", "1Gi", R"(["ReadWriteOnce","ReadWriteMany"])"),
      Volume("rwo-large", "8Gi", R"(["ReadWriteOnce"])"),
  };
  EXPECT_EQ(Pick(volumes, Claim("1Gi", R"(["ReadWriteOnce"])")), "rwo-large");
}

TEST(FindBestVolume, SkipsBoundVolumesAndHonoursSelector) {
  std::string bound = Volume("bound", "1Gi", R"(["ReadWriteOnce"])");
  bound.replace(bound.find(R"("Available")"), 11, R"("Bound")");
  std::vector<std::string> volumes = {
      bound,
      Volume("labelled", "4Gi", R"(["ReadWriteOnce"])"),
      Volume("plain", "2Gi", R"(["ReadWriteOnce"])"),
  };
  EXPECT_EQ(Pick(volumes, Claim("1Gi", R"(["ReadWriteOnce"])")), "plain");
  EXPECT_EQ(
      Pick(volumes, Claim("1Gi", R"(["ReadWriteOnce"])",
                          R"(,"selector":{"matchLabels":{"tier":"gold"}})")),
      "labelled");
  EXPECT_EQ(
      Pick(volumes, Claim("1Gi", R"(["ReadWriteOnce"])",
                          R"(,"selector":{"matchExpressions":[{"key":"tier",)"
                          R"("operator":"NotIn","values":["gold","none"]}]})")),
      "<none>");
}

TEST(FindBestVolume, WaitForFirstConsumerTakesOnlyAPreBoundVolume) {
  std::vector<std::string> volumes = {
      Volume("free", "1Gi", R"(["ReadWriteOnce"])"),
      Volume("mine", "9Gi", R"(["ReadWriteOnce"])", "fast",
             R"(,"claimRef":{"namespace":"ns","name":"c"})"),
  };
  EXPECT_EQ(Pick({volumes[0]}, Claim("1Gi", R"(["ReadWriteOnce"])"), true),
            "<none>");
  EXPECT_EQ(Pick(volumes, Claim("1Gi", R"(["ReadWriteOnce"])"), true), "mine");
  EXPECT_EQ(Pick(volumes, Claim("1Gi", R"(["ReadWriteOnce"])")), "mine");
}

TEST(VolumeNodeAffinityMatches, TermsOrExpressionsAnd) {
  JsonDoc pv = Parse(R"({"spec":{"nodeAffinity":{"required":{
    "nodeSelectorTerms":[
      {"matchExpressions":[{"key":"zone","operator":"In","values":["a"]},
                           {"key":"disk","operator":"Exists"}]},
      {"matchFields":[{"key":"metadata.name","operator":"In",
                       "values":["special"]}]}]}}}})");
  EXPECT_TRUE(VolumeNodeAffinityMatches(
      pv,
      Parse(
          R"({"metadata":{"name":"n","labels":{"zone":"a","disk":"ssd"}}})")));
  EXPECT_FALSE(VolumeNodeAffinityMatches(
      pv, Parse(R"({"metadata":{"name":"n","labels":{"zone":"a"}}})")));
  EXPECT_TRUE(VolumeNodeAffinityMatches(
      pv, Parse(R"({"metadata":{"name":"special"}})")));
  EXPECT_TRUE(VolumeNodeAffinityMatches(Parse(R"({"spec":{}})"),
                                        Parse(R"({"metadata":{"name":"n"}})")));
}

TEST(VolumeMismatch, SaysWhyANamedVolumeCannotServe) {
  JsonDoc pv = Parse(Volume("v", "2Gi", R"(["ReadWriteMany"])"));
  EXPECT_EQ(VolumeMismatch(pv, Parse(Claim("2Gi", R"(["ReadWriteMany"])"))),
            "");
  EXPECT_EQ(VolumeMismatch(pv, Parse(Claim("3Gi", R"(["ReadWriteMany"])"))),
            "requested PV is too small");
  EXPECT_EQ(VolumeMismatch(pv, Parse(Claim("1Gi", R"(["ReadOnlyMany"])"))),
            "incompatible accessMode");
  JsonDoc other = Parse(Volume("v", "2Gi", R"(["ReadWriteMany"])", "slow"));
  EXPECT_EQ(VolumeMismatch(other, Parse(Claim("1Gi", R"(["ReadWriteMany"])"))),
            "storageClassName does not match");
}

TEST(IsVolumeBoundToClaim, ComparesNameNamespaceAndUid) {
  JsonDoc pvc = Parse(Claim("1Gi", R"(["ReadWriteOnce"])"));
  auto pv = [](const std::string& ref) {
    return Parse(Volume("v", "1Gi", R"(["ReadWriteOnce"])", "fast",
                        R"(,"claimRef":)" + ref));
  };
  EXPECT_TRUE(
      IsVolumeBoundToClaim(pv(R"({"namespace":"ns","name":"c"})"), pvc));
  EXPECT_TRUE(IsVolumeBoundToClaim(
      pv(R"({"namespace":"ns","name":"c","uid":"u1"})"), pvc));
  EXPECT_FALSE(IsVolumeBoundToClaim(
      pv(R"({"namespace":"ns","name":"c","uid":"old"})"), pvc));
  EXPECT_FALSE(
      IsVolumeBoundToClaim(pv(R"({"namespace":"x","name":"c"})"), pvc));
}

}  // namespace
}  // namespace berth::storage
