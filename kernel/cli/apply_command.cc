// `berth apply`: see resource_commands.h.
#include <iostream>

#include "kernel/cli/cli_connection.h"
#include "kernel/cli/manifest_reader.h"
#include "kernel/cli/resource_commands.h"
#include "kernel/client/resource_path.h"

namespace berth::cli {
namespace {

constexpr char kApplyPatch[] = "application/apply-patch+yaml";
constexpr char kFieldManager[] = "berth";

// Applies one object; prints its line. False when it failed.
bool ApplyObject(CliConnection& c, const std::string& source, JsonDoc& obj) {
  std::string api_version = GetString(obj, {"apiVersion"});
  std::string kind = GetString(obj, {"kind"});
  std::string name = GetString(obj, {"metadata", "name"});
  std::string obj_ns = GetString(obj, {"metadata", "namespace"});
  const client::ApiResource* r = c.mapper->ForKind(api_version, kind);
  if (!r) {
    std::cerr << "error: resource mapping not found for name: \"" << name
              << "\" namespace: \"" << obj_ns << "\" from \"" << source
              << "\": no matches for kind \"" << kind << "\" in version \""
              << api_version << "\"\n";
    return false;
  }
  if (name.empty()) {
    std::cerr << "error: error when retrieving current configuration of "
                 "object from \""
              << source << "\": resource name may not be empty\n";
    return false;
  }
  std::string ns;
  if (r->namespaced) {
    if (!obj_ns.empty() && c.namespace_from_flag &&
        obj_ns != c.default_namespace) {
      std::cerr << "error: the namespace from the provided object \"" << obj_ns
                << "\" does not match the namespace \"" << c.default_namespace
                << "\". You must pass '--namespace=" << obj_ns
                << "' to perform this operation.\n";
      return false;
    }
    ns = obj_ns.empty() ? c.default_namespace : obj_ns;
    auto& a = obj.GetAllocator();
    SetString(EnsureObject(obj, "metadata", a), "namespace", ns, a);
  }
  const std::string what = KindPrefix(*r) + "/" + name;
  auto before = c.client->Get(r->ref, ns, name);
  if (!before.ok() && !before.status().IsNotFound()) {
    std::cerr << ServerErrorLine(before.status(),
                                 "retrieving current configuration of "
                                 "object from",
                                 source)
              << "\n";
    return false;
  }
  std::string rv_before;
  if (before.ok()) {
    auto d = ParseJson(*before);
    if (d.ok()) rv_before = GetString(*d, {"metadata", "resourceVersion"});
  }
  std::string path = client::ResourcePath(r->ref, ns, name);
  client::AddQuery(&path, "fieldManager", kFieldManager);
  client::AddQuery(&path, "force", "true");
  auto applied = c.client->transport().Call(
      client::ApiRequest::WithBody("PATCH", path, kApplyPatch, ToJson(obj)));
  if (!applied.ok()) {
    std::cerr << ServerErrorLine(applied.status(), "applying patch from",
                                 source)
              << "\n";
    return false;
  }
  std::string rv_after;
  if (auto d = ParseJson(*applied); d.ok()) {
    rv_after = GetString(*d, {"metadata", "resourceVersion"});
  }
  const char* verdict = !before.ok()            ? "created"
                        : rv_after != rv_before ? "configured"
                                                : "unchanged";
  std::cout << what << " " << verdict << "\n";
  return true;
}

}  // namespace

int RunApply(const std::vector<std::string>& args) {
  auto flags =
      ParseFlags(args, {"f", "filename", "n", "namespace", "kubeconfig"}, {});
  if (!flags.ok()) {
    std::cerr << "error: " << flags.status().message() << "\n";
    return 2;
  }
  std::string file = flags->Get("filename", flags->Get("f"));
  if (file.empty() || !flags->positional.empty()) {
    std::cerr << "error: must specify one of -f and -k\n"
                 "usage: berth apply -f FILE|DIR|- [-n NAMESPACE]\n";
    return 2;
  }
  auto files = ReadManifests(file);
  auto conn = Connect(*flags);
  if (!conn.ok()) {
    std::cerr << "error: " << conn.status().message() << "\n";
    return 1;
  }
  bool failed = false;
  for (auto& f : files) {
    if (!f.status.ok()) {
      std::cerr << "error: " << f.status.message() << "\n";
      failed = true;
      continue;
    }
    for (auto& obj : f.objects) {
      if (!ApplyObject(*conn, f.source, obj)) failed = true;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace berth::cli
