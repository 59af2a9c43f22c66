// The node's image garbage collection (kubelet's image GC manager): when it
// starts, how much it frees, which images it spares, and what it says when
// it cannot free enough.
#include "image_gc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_runtime.h"

namespace berth::node {
namespace {

using std::chrono::minutes;
using ::testing::ElementsAre;

const auto kNow = std::chrono::system_clock::from_time_t(1700000000);

ImageInfo Image(const std::string& name, uint64_t size,
                std::chrono::system_clock::time_point last_used) {
  ImageInfo i;
  i.id = "sha256:" + name;
  i.repo_tags = {"registry:5000/" + name + ":1"};
  i.size_bytes = size;
  i.last_used = last_used;
  return i;
}

ContainerStatus UsingImage(const std::string& image_id,
                           const std::string& image = "") {
  ContainerStatus c;
  c.image_id = image_id;
  c.image = image;
  c.state = ContainerState::kExited;  // stopped containers still count
  return c;
}

// 1000 bytes, `available` free.
ImageFsUsage Fs(uint64_t available) { return {1000, available, 0}; }

std::vector<std::string> Ids(const std::vector<ImageInfo>& images) {
  std::vector<std::string> out;
  for (const auto& i : images) out.push_back(i.id);
  return out;
}

TEST(ImageGcPlanTest, NothingBelowTheHighThreshold) {
  // 84% full, threshold 85%.
  auto plan = PlanImageGc(Fs(160), {Image("a", 100, kNow - minutes(60))}, {},
                          ImageGcPolicy{}, kNow);
  EXPECT_EQ(plan.usage_percent, 84);
  EXPECT_FALSE(plan.needed);
  EXPECT_TRUE(plan.candidates.empty());
}

TEST(ImageGcPlanTest, LeastRecentlyUsedFirstDownToTheLowThreshold) {
  // 90% full: down to 80% means 100 bytes to free.
  std::vector<ImageInfo> images = {Image("new", 60, kNow - minutes(10)),
                                   Image("old", 60, kNow - minutes(50)),
                                   Image("mid", 60, kNow - minutes(30))};
  auto plan = PlanImageGc(Fs(100), images, {}, ImageGcPolicy{}, kNow);
  EXPECT_EQ(plan.usage_percent, 90);
  EXPECT_TRUE(plan.needed);
  EXPECT_EQ(plan.amount_to_free, 100u);
  EXPECT_THAT(Ids(plan.candidates),
              ElementsAre("sha256:old", "sha256:mid", "sha256:new"));
  EXPECT_EQ(plan.eligible_bytes, 180u);
}

TEST(ImageGcPlanTest, SparesImagesInUseAndYoungerThanTheMinimumAge) {
  std::vector<ImageInfo> images = {
      Image("by-id", 100, kNow - minutes(50)),
      Image("by-tag", 100, kNow - minutes(50)),
      Image("fresh", 100, kNow - minutes(1)),  // minimum age 2 minutes
      Image("free", 100, kNow - minutes(50))};
  auto plan = PlanImageGc(
      Fs(0), images,
      {UsingImage("sha256:by-id"), UsingImage("", "registry:5000/by-tag:1")},
      ImageGcPolicy{}, kNow);
  EXPECT_EQ(plan.amount_to_free, 200u);
  EXPECT_THAT(Ids(plan.candidates), ElementsAre("sha256:free"));
}

TEST(ImageGcCollectTest, RemovesThroughTheRuntimeAndSaysWhenShort) {
  FakeClock clock;
  FakeRuntime runtime(&clock);
  runtime.fs = Fs(100);  // 90% full: 100 bytes to free
  runtime.stored = {Image("used", 500, kNow - minutes(60)),
                    Image("a", 40, kNow - minutes(40)),
                    Image("b", 40, kNow - minutes(30))};
  runtime.stored.push_back(Image("young", 40, kNow));
  // In use by a container of another runtime sharing the images.
  const std::vector<ContainerStatus> in_use = {UsingImage("sha256:used")};
  auto result = CollectImages(runtime, in_use, ImageGcPolicy{}, kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->removed, ElementsAre("sha256:a", "sha256:b"));
  EXPECT_EQ(result->freed_bytes, 80u);
  EXPECT_EQ(runtime.stored.size(), 2u);
  EXPECT_EQ(FreeDiskSpaceFailure(*result),
            "Failed to garbage collect required amount of images. Attempted "
            "to free 100 bytes, but only found 80 bytes eligible to free.");

  // A removal that fails is skipped for the next; it stops once enough is
  // freed, and then says nothing.
  runtime.fs = Fs(100);
  runtime.stored = {Image("busy", 100, kNow - minutes(60)),
                    Image("c", 100, kNow - minutes(50)),
                    Image("d", 100, kNow - minutes(40))};
  runtime.remove_errors = {"sha256:busy"};
  result = CollectImages(runtime, in_use, ImageGcPolicy{}, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->removed, ElementsAre("sha256:c"));
  EXPECT_EQ(FreeDiskSpaceFailure(*result), "");
  EXPECT_EQ(runtime.stored.size(), 2u);  // busy and d stay
}

}  // namespace
}  // namespace berth::node
