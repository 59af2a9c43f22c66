// UnavailableClient: an SDK Client whose every call fails with Unavailable,
// for tests of code that holds a Client but must not (or need not) reach a
// server. Tests that serve a few calls derive from it and override those.
//
// Thread safety: stateless; safe from any thread.
#ifndef BERTH_TESTS_SUPPORT_UNAVAILABLE_CLIENT_H_
#define BERTH_TESTS_SUPPORT_UNAVAILABLE_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "berth/client.h"

namespace berth::testing {

class UnavailableClient : public Client {
 public:
  std::vector<ServedResource> ServerResources() override { return {}; }
  StatusOr<std::string> Get(const ResourceRef&, const std::string&,
                            const std::string&) override {
    return Status::Unavailable("test");
  }
  StatusOr<std::string> List(const ResourceRef&, const std::string&,
                             const ListOptions&) override {
    return Status::Unavailable("test");
  }
  StatusOr<std::string> Create(const ResourceRef&, const std::string&,
                               const std::string&) override {
    return Status::Unavailable("test");
  }
  StatusOr<std::string> Update(const ResourceRef&, const std::string&,
                               const std::string&,
                               const std::string&) override {
    return Status::Unavailable("test");
  }
  StatusOr<std::string> MergePatch(const ResourceRef&, const std::string&,
                                   const std::string&, const std::string&,
                                   const std::string&) override {
    return Status::Unavailable("test");
  }
  Status Delete(const ResourceRef&, const std::string&, const std::string&,
                const DeleteOptions&) override {
    return Status::Unavailable("test");
  }
  StatusOr<std::string> CreateSubresource(const ResourceRef&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&,
                                          const std::string&) override {
    return Status::Unavailable("test");
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(
      const ResourceRef&, const std::string&, const std::string&,
      std::function<void(const WatchEvent&)>) override {
    return Status::Unavailable("test");
  }
};

}  // namespace berth::testing

#endif  // BERTH_TESTS_SUPPORT_UNAVAILABLE_CLIENT_H_
