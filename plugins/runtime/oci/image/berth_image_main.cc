// `berth-image`: the `berth image` command (the berth CLI runs it for
// `berth image ...`). Manages the node's image store:
//   import FILE        load an OCI layout or `docker save` archive
//   ls                 list images (IMAGE, TAG, IMAGE ID, SIZE)
//   rm REF...          remove images by reference or id
//   pull REF           pull from a registry [--username U --password P]
//                      [--insecure] [--plain-http] [--ca-file F]
// --root DIR selects the store (default <data dir>/images, the data dir
// being --data-dir, else $BERTH_DATA_DIR, else ~/.berth, as `berth server`).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plugins/common/data_dir.h"
#include "plugins/runtime/oci/image/image_reference.h"
#include "plugins/runtime/oci/image/image_store.h"

namespace {

const char kUsage[] =
    "usage: berth image <command> [flags]\n"
    "\n"
    "commands:\n"
    "  import FILE   load the images of an OCI layout or `docker save`\n"
    "                archive (tar or tar.gz)\n"
    "  ls            list images\n"
    "  rm REF...     remove images (name[:tag], name@digest or image id)\n"
    "  pull REF      pull an image for linux/amd64 [--username U\n"
    "                --password P] [--ca-file FILE] [--insecure (HTTPS\n"
    "                without verification, else HTTP)] [--plain-http]\n"
    "\n"
    "flags:\n"
    "  --root DIR      the image store (default <data dir>/images)\n"
    "  --data-dir DIR  the node's data dir (default $BERTH_DATA_DIR, else\n"
    "                  ~/.berth)\n";

// docker's units.HumanSize: decimal units, 3 significant digits.
std::string HumanSize(uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes);
  int i = 0;
  while (v >= 1000 && i < 5) {
    v /= 1000;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g%s", v, units[i]);
  return buf;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size())
        line += std::string(width[i] - r[i].size() + 3, ' ');
    }
    std::cout << line << "\n";
  }
}

int Fail(const berth::Status& st) {
  std::cerr << "berth image: " << st.message() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  bool insecure = false;
  bool plain_http = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help" || a == "help") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--insecure") {
      insecure = true;
    } else if (a == "--plain-http") {
      plain_http = true;
    } else if (a.rfind("--", 0) == 0) {
      std::string value;
      if (size_t eq = a.find('='); eq != std::string::npos) {
        value = a.substr(eq + 1);
        a = a.substr(0, eq);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        std::cerr << "berth image: " << a << " needs a value\n";
        return 2;
      }
      if (a != "--root" && a != "--data-dir" && a != "--username" &&
          a != "--password" && a != "--ca-file") {
        std::cerr << "berth image: unknown flag " << a << "\n" << kUsage;
        return 2;
      }
      flags[a] = value;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  std::string root = flags.count("--root") ? flags["--root"]
                                           : (flags.count("--data-dir")
                                                  ? flags["--data-dir"]
                                                  : berth::PluginDataDir()) +
                                                 "/images";
  auto store = berth::oci::ImageStore::Open(root);
  if (!store.ok()) return Fail(store.status());
  const std::string& cmd = positional[0];
  std::vector<std::string> args(positional.begin() + 1, positional.end());

  if (cmd == "ls" || cmd == "list" || cmd == "images") {
    auto images = (*store)->List();
    if (!images.ok()) return Fail(images.status());
    std::vector<std::vector<std::string>> rows = {
        {"IMAGE", "TAG", "IMAGE ID", "SIZE"}};
    for (const auto& img : *images) {
      std::string id = img.info.id.substr(img.info.id.find(':') + 1, 12);
      std::string size = HumanSize(img.info.size_bytes);
      if (img.info.repo_tags.empty()) {
        std::string name = "<none>";
        if (!img.info.repo_digests.empty()) {
          const auto& d = img.info.repo_digests.front();
          name = d.substr(0, d.find('@'));
        }
        rows.push_back({name, "<none>", id, size});
      }
      for (const auto& t : img.info.repo_tags) {
        size_t colon = t.rfind(':');
        rows.push_back({t.substr(0, colon), t.substr(colon + 1), id, size});
      }
    }
    PrintTable(rows);
    return 0;
  }
  if (cmd == "import" || cmd == "load") {
    if (args.size() != 1) {
      std::cerr << "usage: berth image import FILE\n";
      return 2;
    }
    auto images = (*store)->Import(args[0]);
    if (!images.ok()) return Fail(images.status());
    for (const auto& img : *images) {
      for (const auto& t : img.info.repo_tags) {
        std::cout << "imported " << t << " (" << img.info.id << ")\n";
      }
      if (img.info.repo_tags.empty()) {
        std::cout << "imported " << img.info.id << "\n";
      }
    }
    return 0;
  }
  if (cmd == "rm" || cmd == "rmi") {
    if (args.empty()) {
      std::cerr << "usage: berth image rm REF...\n";
      return 2;
    }
    int rc = 0;
    for (const auto& ref : args) {
      berth::Status st = (*store)->Remove(ref);
      if (!st.ok()) {
        rc = Fail(st);
      } else {
        std::cout << "deleted " << ref << "\n";
      }
    }
    return rc;
  }
  if (cmd == "pull") {
    if (args.size() != 1) {
      std::cerr << "usage: berth image pull REF [--username U --password P]\n";
      return 2;
    }
    auto ref = berth::oci::ParseImageReference(args[0]);
    if (!ref.ok()) return Fail(ref.status());
    if (insecure || plain_http || flags.count("--ca-file")) {
      berth::oci::RegistryHostSettings s;
      s.insecure = insecure;
      s.plain_http = plain_http;
      s.ca_file = flags["--ca-file"];
      (*store)->SetRegistryHosts({{ref->domain, s}});
    }
    std::optional<berth::ImageAuth> auth;
    if (flags.count("--username")) {
      auth = berth::ImageAuth{flags["--username"], flags["--password"], ""};
    }
    auto img = (*store)->Pull(args[0], auth);
    if (!img.ok()) return Fail(img.status());
    std::cout << "pulled " << ref->String() << " (" << img->info.id << ")\n";
    return 0;
  }
  std::cerr << "berth image: unknown command \"" << cmd << "\"\n" << kUsage;
  return 2;
}
