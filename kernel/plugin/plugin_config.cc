#include "kernel/plugin/plugin_config.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace berth {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

Status ErrorAt(const std::string& source, const YAML::Mark& mark,
               const std::string& reason) {
  std::string where = source;
  if (!mark.is_null()) where += ":" + std::to_string(mark.line + 1);
  return Status::BadRequest(where + ": " + reason);
}

// True when all of `s` is consumed by from_chars into `out`.
template <typename T>
bool ParseWhole(const std::string& s, T* out) {
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (begin != end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, *out);
  return ec == std::errc() && ptr == end;
}

bool LooksNumeric(const std::string& s) {
  // from_chars also takes "inf" and "nan", which YAML spells .inf/.nan and
  // JSON cannot carry; plain scalars that start otherwise stay strings.
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  return i < s.size() &&
         (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.');
}

// Writes a plain or quoted scalar with YAML 1.2 core-schema typing.
void WriteScalar(const YAML::Node& node, JsonWriter& w) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") {  // quoted: always a string
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return;
  }
  if (s == "true" || s == "True" || s == "TRUE") {
    w.Bool(true);
  } else if (s == "false" || s == "False" || s == "FALSE") {
    w.Bool(false);
  } else if (s.empty() || s == "~" || s == "null" || s == "Null" ||
             s == "NULL") {
    w.Null();
  } else if (int64_t i; LooksNumeric(s) && ParseWhole(s, &i)) {
    w.Int64(i);
  } else if (double d;
             LooksNumeric(s) && ParseWhole(s, &d) && std::isfinite(d)) {
    w.Double(d);
  } else {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
}

Status WriteJson(const YAML::Node& node, const std::string& source,
                 JsonWriter& w) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      w.Null();
      return Status::Ok();
    case YAML::NodeType::Scalar:
      WriteScalar(node, w);
      return Status::Ok();
    case YAML::NodeType::Sequence:
      w.StartArray();
      for (const auto& item : node) {
        if (Status s = WriteJson(item, source, w); !s.ok()) return s;
      }
      w.EndArray();
      return Status::Ok();
    case YAML::NodeType::Map:
      w.StartObject();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          return ErrorAt(source, kv.first.Mark(),
                         "settings keys must be strings");
        }
        const std::string& key = kv.first.Scalar();
        w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        if (Status s = WriteJson(kv.second, source, w); !s.ok()) return s;
      }
      w.EndObject();
      return Status::Ok();
  }
  return Status::Ok();
}

bool ValidPluginName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

StatusOr<PluginSpec> ParseEntry(const YAML::Node& entry, size_t index,
                                const std::string& source, bool* enabled) {
  const std::string where = "plugins[" + std::to_string(index) + "]: ";
  PluginSpec spec;
  *enabled = true;
  if (entry.IsScalar()) {
    spec.name = entry.Scalar();
  } else if (entry.IsMap()) {
    bool has_name = false;
    for (const auto& kv : entry) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (key == "name") {
        if (!kv.second.IsScalar()) {
          return ErrorAt(source, kv.second.Mark(),
                         where + "name must be a string");
        }
        spec.name = kv.second.Scalar();
        has_name = true;
      } else if (key == "enabled") {
        const std::string& v = kv.second.IsScalar() ? kv.second.Scalar() : "";
        if (v != "true" && v != "false") {
          return ErrorAt(source, kv.second.Mark(),
                         where + "enabled must be true or false");
        }
        *enabled = v == "true";
      } else if (key == "settings") {
        if (!kv.second.IsMap() && !kv.second.IsNull()) {
          return ErrorAt(source, kv.second.Mark(),
                         where + "settings must be a mapping");
        }
        if (kv.second.IsMap()) {
          rapidjson::StringBuffer buf;
          JsonWriter w(buf);
          if (Status s = WriteJson(kv.second, source, w); !s.ok()) return s;
          spec.settings_json.assign(buf.GetString(), buf.GetSize());
        }
      } else {
        return ErrorAt(source, kv.first.Mark(),
                       where + "unknown key \"" + key +
                           "\" (expected name, enabled, settings)");
      }
    }
    if (!has_name) {
      return ErrorAt(source, entry.Mark(), where + "missing name");
    }
  } else {
    return ErrorAt(source, entry.Mark(),
                   where + "expected a plugin name or {name, settings}");
  }
  if (!ValidPluginName(spec.name)) {
    return ErrorAt(source, entry.Mark(),
                   where + "invalid plugin name \"" + spec.name +
                       "\" (lowercase letters, digits, '_' and '-' only)");
  }
  return spec;
}

StatusOr<PluginConfig> ParseRoot(const YAML::Node& root,
                                 const std::string& source,
                                 const std::string& base_dir) {
  PluginConfig config;
  if (root.IsNull()) return config;
  if (!root.IsMap()) {
    return ErrorAt(source, root.Mark(), "expected a mapping at the top level");
  }
  if (const YAML::Node dirs = root["pluginDirs"]; dirs) {
    if (!dirs.IsSequence()) {
      return ErrorAt(source, dirs.Mark(),
                     "pluginDirs must be a list of directories");
    }
    for (const auto& dir : dirs) {
      if (!dir.IsScalar() || dir.Scalar().empty()) {
        return ErrorAt(source, dir.Mark(),
                       "pluginDirs entries must be directory paths");
      }
      std::filesystem::path p(dir.Scalar());
      if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
      config.plugin_dirs.push_back(p.lexically_normal().string());
    }
  }
  const YAML::Node plugins = root["plugins"];
  if (!plugins || plugins.IsNull()) return config;
  if (!plugins.IsSequence()) {
    return ErrorAt(source, plugins.Mark(), "plugins must be a list");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < plugins.size(); ++i) {
    bool enabled = true;
    StatusOr<PluginSpec> spec = ParseEntry(plugins[i], i, source, &enabled);
    if (!spec.ok()) return spec.status();
    if (!seen.insert(spec->name).second) {
      return ErrorAt(source, plugins[i].Mark(),
                     "plugins[" + std::to_string(i) + "]: plugin \"" +
                         spec->name + "\" is listed twice");
    }
    if (enabled) config.plugins.push_back(std::move(spec).value());
  }
  return config;
}

}  // namespace

StatusOr<PluginConfig> ParsePluginConfig(const std::string& yaml_text,
                                         const std::string& source,
                                         const std::string& base_dir) {
  // yaml-cpp reports errors by throwing; none may leave this module.
  try {
    return ParseRoot(YAML::Load(yaml_text), source, base_dir);
  } catch (const YAML::Exception& e) {
    return ErrorAt(source, e.mark, e.msg);
  }
}

StatusOr<PluginConfig> LoadPluginConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string base_dir = std::filesystem::absolute(path).parent_path().string();
  return ParsePluginConfig(text.str(), path, base_dir);
}

}  // namespace berth
