// A configurable test plugin; CMakeLists.txt builds it several times with
// different TEST_* definitions. It reports Register and Shutdown through the
// Host's Log so tests can see the kernel's calls.
#include <chrono>
#include <memory>
#include <string>

#include "berth/plugin.h"

namespace {

class TestKind : public berth::Kind {
 public:
  TestKind(std::string kind, std::string plural) {
    info_.group = "test.berth.io";
    info_.version = "v1";
    info_.kind = std::move(kind);
    info_.plural = std::move(plural);
  }
  const berth::KindInfo& Info() const override { return info_; }
  std::vector<berth::FieldCause> Validate(
      const berth::Json& obj, const berth::Json* old) const override {
    if (berth::GetString(obj, {"spec", "size"}).empty()) {
      return {berth::field::Required("spec.size")};
    }
    return {};
  }

 private:
  berth::KindInfo info_;
};

#ifdef TEST_CONTROLLER
class TestController : public berth::Controller {
 public:
  std::string Name() const override { return TEST_CONTROLLER; }
  berth::ResourceRef Primary() const override {
    return {"test.berth.io", "v1", TEST_PLURAL};
  }
  berth::StatusOr<berth::ReconcileResult> Reconcile(
      const berth::ReconcileRequest& req) override {
    berth::ReconcileResult result;
    result.requeue_after = std::chrono::milliseconds(42);
    return result;
  }
};
#endif

#ifdef TEST_SCHEDULER_PLUGIN
// A scheduler plugin as a vendor would add one: a Filter that fits every
// node.
class TestSchedulerPlugin : public berth::SchedulerPlugin {
 public:
  std::string Name() const override { return TEST_SCHEDULER_PLUGIN; }
  uint32_t Points() const override { return kFilter; }
  berth::StatusOr<std::shared_ptr<berth::SchedulerPlugin>> New(
      berth::SchedulerHandle&, const std::string&) const override {
    return std::shared_ptr<berth::SchedulerPlugin>(
        std::make_shared<TestSchedulerPlugin>());
  }
};
#endif

class TestPlugin : public berth::Plugin {
 public:
  std::string Name() const override { return TEST_PLUGIN_NAME; }
  std::string Version() const override { return "1.2.3"; }
  berth::Status Register(berth::Host& host, const std::string& settings_json,
                         berth::Registrar& registrar) override {
    host_ = &host;
#ifdef TEST_REQUIRE_GREETING
    auto settings = berth::ParseJson(settings_json);
    if (!settings.ok()) return settings.status();
    const berth::Json* greeting = berth::Member(*settings, "greeting");
    if (!greeting || !greeting->IsString()) {
      return berth::Status::Invalid("settings.greeting: must be a string");
    }
#endif
#ifdef TEST_EXTRA_KIND
    if (auto s = registrar.AddKind(
            std::make_shared<TestKind>(TEST_EXTRA_KIND, TEST_EXTRA_PLURAL));
        !s.ok()) {
      return s;
    }
#endif
    if (auto s = registrar.AddKind(
            std::make_shared<TestKind>(TEST_KIND, TEST_PLURAL));
        !s.ok()) {
      // Swallowed on purpose: the kernel must still refuse the plugin.
      return berth::Status::Ok();
    }
#ifdef TEST_CONTROLLER
    if (auto s = registrar.AddController(std::make_shared<TestController>());
        !s.ok()) {
      return s;
    }
#endif
#ifdef TEST_SERVING_NAME
    // Swallowed on purpose, as above.
    (void)registrar.AddServingName(TEST_SERVING_NAME);
#endif
#ifdef TEST_SCHEDULER_PLUGIN
    if (auto s = registrar.AddSchedulerPlugin(
            std::make_shared<TestSchedulerPlugin>());
        !s.ok()) {
      return s;
    }
#endif
    host.Log(berth::kLogInfo, Name(), "registered " + settings_json);
    return berth::Status::Ok();
  }
  void Shutdown() override { host_->Log(berth::kLogInfo, Name(), "shutdown"); }

 private:
  berth::Host* host_ = nullptr;
};

}  // namespace

BERTH_PLUGIN(TestPlugin)
