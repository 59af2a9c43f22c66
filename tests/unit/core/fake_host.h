// FakeHost: a Host over the in-memory FakeClient for controller unit tests,
// with informers over that client and the events recorded, each as
// "<component> <Kind>/<name> <type> <reason>: <message>".
//
// Thread safety: none; one test thread.
#ifndef BERTH_TESTS_UNIT_CORE_FAKE_HOST_H_
#define BERTH_TESTS_UNIT_CORE_FAKE_HOST_H_

#include <string>
#include <vector>

#include "berth/host.h"
#include "fake_client.h"
#include "kernel/controller/informer_factory.h"

namespace berth::core {

class FakeHost : public Host {
 public:
  Client& client() override { return client_; }
  Informer& InformerFor(const ResourceRef& r) override {
    return informers_.For(r);
  }
  void Log(int, const std::string&, const std::string&) override {}
  void RecordEvent(const std::string& component,
                   const ObjectReference& regarding, const std::string& type,
                   const std::string& reason,
                   const std::string& message) override {
    events.push_back(component + " " + regarding.kind + "/" + regarding.name +
                     " " + type + " " + reason + ": " + message);
  }

  FakeClient client_;
  std::vector<std::string> events;
  InformerFactory informers_{client_};
};

}  // namespace berth::core

#endif  // BERTH_TESTS_UNIT_CORE_FAKE_HOST_H_
