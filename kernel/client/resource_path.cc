#include "kernel/client/resource_path.h"

#include <Poco/URI.h>

namespace berth::client {
namespace {

std::string Escape(const std::string& s, const std::string& reserved) {
  std::string out;
  Poco::URI::encode(s, reserved, out);
  return out;
}

}  // namespace

std::string ResourcePath(const ResourceRef& r, const std::string& ns,
                         const std::string& name,
                         const std::string& subresource) {
  std::string path = r.group.empty() ? "/api/" + r.version
                                     : "/apis/" + r.group + "/" + r.version;
  if (!ns.empty()) path += "/namespaces/" + Escape(ns, "/?#");
  path += "/" + r.resource;
  if (!name.empty()) path += "/" + Escape(name, "/?#");
  if (!subresource.empty()) path += "/" + subresource;
  return path;
}

void AddQuery(std::string* path, const std::string& key,
              const std::string& value) {
  *path += path->find('?') == std::string::npos ? '?' : '&';
  *path += key + "=" + Escape(value, "/?#&=+;, ");
}

}  // namespace berth::client
