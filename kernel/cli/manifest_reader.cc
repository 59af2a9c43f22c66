#include "kernel/cli/manifest_reader.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <regex>

#include "kernel/api/codec/yaml_codec.h"
#include "kernel/api/tls/file_util.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

bool IsManifestFile(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Appends `doc`, or its items when it is a list.
Status AddObject(JsonDoc doc, std::vector<JsonDoc>* out) {
  std::string kind = GetString(doc, {"kind"});
  const Json* items = Member(doc, "items");
  if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 &&
      items && items->IsArray()) {
    for (const auto& item : items->GetArray()) {
      JsonDoc d;
      d.CopyFrom(item, d.GetAllocator());
      if (Status s = AddObject(std::move(d), out); !s.ok()) return s;
    }
    return Status::Ok();
  }
  if (!doc.IsObject()) {
    return Status::BadRequest("error validating data: not an object");
  }
  std::vector<std::string> missing;
  if (GetString(doc, {"apiVersion"}).empty()) {
    missing.push_back("apiVersion not set");
  }
  if (kind.empty()) missing.push_back("kind not set");
  if (!missing.empty()) {
    std::string m = "error validating data: [";
    for (size_t i = 0; i < missing.size(); ++i) {
      m += (i ? ", " : "") + missing[i];
    }
    return Status::BadRequest(m + "]");
  }
  out->push_back(std::move(doc));
  return Status::Ok();
}

}  // namespace

ManifestFile ParseManifest(const std::string& source, const std::string& text) {
  ManifestFile f;
  f.source = source;
  auto docs = codec::YamlToJsonDocuments(text);
  if (!docs.ok()) {
    // kubectl (go-yaml) names the line only; the column is dropped so the
    // line reads the same as kubectl's.
    std::string message = std::regex_replace(
        docs.status().message(), std::regex(", column [0-9]+:"), ":");
    f.status = Status::BadRequest("error parsing " + source + ": " + message);
    return f;
  }
  for (auto& d : *docs) {
    if (Status s = AddObject(std::move(d), &f.objects); !s.ok()) {
      f.status = Status::BadRequest("error validating \"" + source +
                                    "\": " + s.message());
      f.objects.clear();
      return f;
    }
  }
  return f;
}

std::vector<ManifestFile> ReadManifests(const std::string& path) {
  std::vector<ManifestFile> out;
  if (path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)),
                     std::istreambuf_iterator<char>());
    out.push_back(ParseManifest("STDIN", text));
    return out;
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    ManifestFile f;
    f.source = path;
    f.status = Status::NotFound("the path \"" + path + "\" does not exist");
    out.push_back(std::move(f));
    return out;
  }
  std::vector<std::string> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && IsManifestFile(entry.path())) {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const auto& file : files) {
    auto text = tls::ReadFileToString(file);
    if (!text.ok()) {
      ManifestFile f;
      f.source = file;
      f.status = text.status();
      out.push_back(std::move(f));
      continue;
    }
    out.push_back(ParseManifest(file, *text));
  }
  return out;
}

}  // namespace berth::cli
