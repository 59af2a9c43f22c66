// `berth delete`: see resource_commands.h.
#include <chrono>
#include <iostream>
#include <thread>

#include "kernel/cli/cli_connection.h"
#include "kernel/cli/manifest_reader.h"
#include "kernel/cli/resource_commands.h"

namespace berth::cli {
namespace {

// kubectl waits without a limit by default; a CLI that may hang forever on
// a stuck finalizer helps nobody, so this gives up (with a message) instead.
constexpr auto kWaitLimit = std::chrono::seconds(120);
constexpr auto kPollInterval = std::chrono::milliseconds(100);

struct Target {
  const client::ApiResource* resource;
  std::string ns;
  std::string name;
  std::string source;  // the file it came from, or "" when named
};

bool DeleteOne(CliConnection& c, const Target& t) {
  // kubectl's default: dependents are deleted in the background.
  DeleteOptions opts;
  opts.propagation_policy = "Background";
  Status s = c.client->Delete(t.resource->ref, t.ns, t.name, opts);
  if (!s.ok()) {
    std::cerr << (t.source.empty() ? ServerErrorLine(s)
                                   : ServerErrorLine(s, "deleting", t.source))
              << "\n";
    return false;
  }
  std::cout << KindPrefix(*t.resource) << " \"" << t.name << "\" deleted\n";
  return true;
}

// Waits until every target is gone (its finalizers have run).
bool WaitGone(CliConnection& c, const std::vector<Target>& targets) {
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  for (const auto& t : targets) {
    while (true) {
      auto got = c.client->Get(t.resource->ref, t.ns, t.name);
      if (!got.ok() && got.status().IsNotFound()) break;
      if (std::chrono::steady_clock::now() > deadline) {
        std::cerr << "error: timed out waiting for " << KindPrefix(*t.resource)
                  << " \"" << t.name << "\" to be deleted\n";
        return false;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  }
  return true;
}

}  // namespace

int RunDelete(const std::vector<std::string>& args) {
  auto flags = ParseFlags(
      args, {"f", "filename", "n", "namespace", "kubeconfig", "wait"}, {});
  if (!flags.ok()) {
    std::cerr << "error: " << flags.status().message() << "\n";
    return 2;
  }
  std::string file = flags->Get("filename", flags->Get("f"));
  const auto& pos = flags->positional;
  if (!file.empty() && !pos.empty()) {
    std::cerr << "error: names cannot be provided when a filename is "
                 "specified\n";
    return 2;
  }
  if (file.empty() && pos.empty()) {
    std::cerr << "error: You must provide one or more resources by argument "
                 "or filename.\nusage: berth delete -f FILE | RESOURCE NAME... "
                 "[-n NAMESPACE]\n";
    return 2;
  }
  std::vector<ManifestFile> files;
  if (!file.empty()) files = ReadManifests(file);
  auto conn = Connect(*flags);
  if (!conn.ok()) {
    std::cerr << "error: " << conn.status().message() << "\n";
    return 1;
  }
  bool failed = false;
  std::vector<Target> targets;
  for (auto& f : files) {
    if (!f.status.ok()) {
      std::cerr << "error: " << f.status.message() << "\n";
      failed = true;
      continue;
    }
    for (auto& obj : f.objects) {
      std::string api_version = GetString(obj, {"apiVersion"});
      std::string kind = GetString(obj, {"kind"});
      std::string name = GetString(obj, {"metadata", "name"});
      std::string ns = GetString(obj, {"metadata", "namespace"});
      const client::ApiResource* r = conn->mapper->ForKind(api_version, kind);
      if (!r) {
        std::cerr << "error: resource mapping not found for name: \"" << name
                  << "\" namespace: \"" << ns << "\" from \"" << f.source
                  << "\": no matches for kind \"" << kind << "\" in version \""
                  << api_version << "\"\n";
        failed = true;
        continue;
      }
      if (!r->namespaced) {
        ns.clear();
      } else if (ns.empty()) {
        ns = conn->default_namespace;
      }
      targets.push_back({r, ns, name, f.source});
    }
  }
  if (!pos.empty()) {
    bool slash_form = pos[0].find('/') != std::string::npos;
    const client::ApiResource* r = nullptr;
    for (size_t i = 0; i < pos.size(); ++i) {
      std::string type = pos[0], name;
      if (slash_form) {
        auto slash = pos[i].find('/');
        type = pos[i].substr(0, slash);
        name = slash == std::string::npos ? "" : pos[i].substr(slash + 1);
      } else if (i == 0) {
        continue;
      } else {
        name = pos[i];
      }
      r = conn->mapper->ForName(type);
      if (!r) {
        std::cerr << "error: the server doesn't have a resource type \"" << type
                  << "\"\n";
        return 1;
      }
      targets.push_back(
          {r, r->namespaced ? conn->default_namespace : "", name, ""});
    }
    if (!slash_form && pos.size() == 1) {
      std::cerr << "error: resource(s) were provided, but no name was "
                   "specified\n";
      return 1;
    }
  }
  std::vector<Target> deleted;
  for (const auto& t : targets) {
    if (DeleteOne(*conn, t)) {
      deleted.push_back(t);
    } else {
      failed = true;
    }
  }
  if (flags->Get("wait", "true") != "false" && !WaitGone(*conn, deleted)) {
    failed = true;
  }
  return failed ? 1 : 0;
}

}  // namespace berth::cli
