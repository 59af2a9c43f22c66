#include "kernel/api/codec/yaml_codec.h"

#include <rapidjson/error/en.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "kernel/api/codec/yaml_scalar.h"

namespace berth::codec {
namespace {

using internal::Resolved;
using internal::ResolvePlain;

// Converted values may exceed the input size only through aliases; beyond
// this factor the document is an alias bomb ("billion laughs").
constexpr size_t kValuesPerInputByte = 4;
constexpr size_t kMinValueBudget = 10000;
// yaml-cpp bounds parse depth itself, but an alias inside its own anchor
// makes a cycle that only this bound stops.
constexpr int kMaxNodeDepth = 1000;

const char kYamlErrorPrefix[] = "error converting YAML to JSON: yaml: ";

// True when the node's text must be resolved (a plain scalar or one tagged
// with a YAML core type); false when it is a string whatever it reads like.
bool NeedsResolution(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return tag == "?" || tag == "tag:yaml.org,2002:int" ||
         tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool" ||
         tag == "tag:yaml.org,2002:null";
}

// ---------------------------------------------------------------------------
// YAML nodes -> JSON values.

std::string Position(const YAML::Mark& mark) {
  if (mark.is_null()) return "";
  return "line " + std::to_string(mark.line + 1) + ", column " +
         std::to_string(mark.column + 1) + ": ";
}

Status YamlError(const YAML::Mark& mark, const std::string& message) {
  return Status::BadRequest(kYamlErrorPrefix + Position(mark) + message);
}

// Go formats a float map key with strconv.FormatFloat(f, 'g', -1, 32).
std::string FloatKey(double d) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), static_cast<float>(d),
                           std::chars_format::general);
  return std::string(buf, res.ptr);
}

class YamlToJson {
 public:
  YamlToJson(JsonAlloc& alloc, size_t value_budget)
      : alloc_(alloc), budget_(value_budget) {}

  Status Convert(const YAML::Node& node, Json* out, int depth) {
    if (depth > kMaxNodeDepth) {
      return YamlError(node.Mark(), "exceeded max depth of " +
                                        std::to_string(kMaxNodeDepth));
    }
    if (budget_ == 0) {
      return YamlError(node.Mark(), "document contains excessive aliasing");
    }
    --budget_;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out->SetNull();
        return Status::Ok();
      case YAML::NodeType::Scalar:
        return ConvertScalar(node, out);
      case YAML::NodeType::Sequence: {
        out->SetArray();
        for (const auto& item : node) {
          Json v;
          Status s = Convert(item, &v, depth + 1);
          if (!s.ok()) return s;
          out->PushBack(std::move(v), alloc_);
        }
        return Status::Ok();
      }
      case YAML::NodeType::Map:
        return ConvertMap(node, out, depth);
    }
    return YamlError(node.Mark(), "unknown node type");
  }

 private:
  Status ConvertScalar(const YAML::Node& node, Json* out) {
    const std::string& text = node.Scalar();
    if (!NeedsResolution(node)) {
      out->SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()),
                     alloc_);
      return Status::Ok();
    }
    Resolved r = ResolvePlain(text);
    switch (r.kind) {
      case Resolved::Kind::kNull:
        out->SetNull();
        break;
      case Resolved::Kind::kBool:
        out->SetBool(r.b);
        break;
      case Resolved::Kind::kInt:
        out->SetInt64(r.i);
        break;
      case Resolved::Kind::kUint:
        out->SetUint64(r.u);
        break;
      case Resolved::Kind::kFloat:
        if (!std::isfinite(r.d)) {
          return YamlError(node.Mark(), "json: unsupported value: " + text);
        }
        // Go's encoding/json prints integral floats below 1e21 without a
        // fraction, so a consumer reads "replicas: 3.0" as the integer 3.
        if (std::trunc(r.d) == r.d && std::fabs(r.d) < 9.2e18) {
          out->SetInt64(static_cast<int64_t>(r.d));
        } else {
          out->SetDouble(r.d);
        }
        break;
      case Resolved::Kind::kString:
      case Resolved::Kind::kMerge:
        out->SetString(text.data(),
                       static_cast<rapidjson::SizeType>(text.size()), alloc_);
        break;
    }
    return Status::Ok();
  }

  static bool IsMergeKey(const YAML::Node& key) {
    return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<";
  }

  Status KeyString(const YAML::Node& key, std::string* out) {
    if (key.IsNull()) {
      return YamlError(key.Mark(), "unsupported map key: null");
    }
    if (!key.IsScalar()) {
      return YamlError(key.Mark(), "unsupported map key: not a scalar");
    }
    const std::string& text = key.Scalar();
    if (!NeedsResolution(key)) {
      *out = text;
      return Status::Ok();
    }
    Resolved r = ResolvePlain(text);
    switch (r.kind) {
      case Resolved::Kind::kNull:
        return YamlError(key.Mark(), "unsupported map key: null");
      case Resolved::Kind::kBool:
        *out = r.b ? "true" : "false";
        break;
      case Resolved::Kind::kInt:
        *out = std::to_string(r.i);
        break;
      case Resolved::Kind::kUint:
        *out = std::to_string(r.u);
        break;
      case Resolved::Kind::kFloat:
        if (std::isnan(r.d)) {
          *out = ".nan";
        } else if (std::isinf(r.d)) {
          *out = r.d > 0 ? ".inf" : "-.inf";
        } else {
          *out = FloatKey(r.d);
        }
        break;
      case Resolved::Kind::kString:
      case Resolved::Kind::kMerge:
        *out = text;
        break;
    }
    return Status::Ok();
  }

  // Explicit keys win over merged ones whatever their order; among several
  // merged maps the earlier one wins (the YAML merge-key spec).
  Status ConvertMap(const YAML::Node& node, Json* out, int depth) {
    out->SetObject();
    std::vector<YAML::Node> merges;
    for (const auto& entry : node) {
      if (IsMergeKey(entry.first)) {
        merges.push_back(entry.second);
        continue;
      }
      std::string key;
      Status s = KeyString(entry.first, &key);
      if (!s.ok()) return s;
      Json v;
      s = Convert(entry.second, &v, depth + 1);
      if (!s.ok()) return s;
      SetMember(*out, key, std::move(v), alloc_);
    }
    for (const auto& merge : merges) {
      std::vector<YAML::Node> sources;
      if (merge.IsSequence()) {
        for (const auto& item : merge) sources.push_back(item);
      } else {
        sources.push_back(merge);
      }
      for (const auto& source : sources) {
        if (!source.IsMap()) {
          return YamlError(merge.Mark(),
                           "map merge requires map or sequence of maps as the "
                           "value");
        }
        Json merged;
        Status s = Convert(source, &merged, depth + 1);
        if (!s.ok()) return s;
        for (auto& m : merged.GetObject()) {
          std::string_view key(m.name.GetString(), m.name.GetStringLength());
          if (!Member(*out, key))
            SetMember(*out, key, std::move(m.value), alloc_);
        }
      }
    }
    return Status::Ok();
  }

  JsonAlloc& alloc_;
  size_t budget_;
};

// libyaml's wording for the yaml-cpp errors users hit most, so messages read
// like the ones kubectl users know from Kubernetes.
std::string LibyamlWording(const std::string& msg) {
  static const std::pair<const char*, const char*> kWording[] = {
      {YAML::ErrorMsg::MAP_VALUE,
       "mapping values are not allowed in this context"},
      {YAML::ErrorMsg::BLOCK_ENTRY,
       "block sequence entries are not allowed in this context"},
      {YAML::ErrorMsg::TAB_IN_INDENTATION,
       "found character that cannot start any token"},
      {YAML::ErrorMsg::UNKNOWN_TOKEN,
       "found character that cannot start any token"},
      {YAML::ErrorMsg::END_OF_MAP, "did not find expected key"},
      {YAML::ErrorMsg::END_OF_SEQ, "did not find expected '-' indicator"},
      {YAML::ErrorMsg::END_OF_MAP_FLOW, "did not find expected ',' or '}'"},
      {YAML::ErrorMsg::END_OF_SEQ_FLOW, "did not find expected ',' or ']'"},
      {YAML::ErrorMsg::EOF_IN_SCALAR, "found unexpected end of stream"},
      {YAML::ErrorMsg::UNKNOWN_ANCHOR, "unknown anchor referenced"},
  };
  for (const auto& [ours, theirs] : kWording) {
    if (msg == ours) return theirs;
  }
  return msg;
}

StatusOr<std::vector<JsonDoc>> ParseYamlStream(std::string_view text) {
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    return YamlError(e.mark, "exceeded max depth");
  } catch (const YAML::Exception& e) {
    return YamlError(e.mark, LibyamlWording(e.msg));
  } catch (const std::exception& e) {
    return Status::BadRequest(std::string(kYamlErrorPrefix) + e.what());
  }
  std::vector<JsonDoc> docs;
  size_t budget = std::max(kMinValueBudget, text.size() * kValuesPerInputByte);
  for (const auto& node : nodes) {
    if (!node.IsDefined() || node.IsNull()) continue;
    JsonDoc doc;
    YamlToJson converter(doc.GetAllocator(), budget);
    Status s;
    try {
      s = converter.Convert(node, &doc, 0);
    } catch (const YAML::Exception& e) {
      s = YamlError(e.mark, e.msg);
    }
    if (!s.ok()) return s;
    docs.push_back(std::move(doc));
  }
  return docs;
}

// ---------------------------------------------------------------------------
// JSON bodies.

// Go's encoding/json quoteChar.
std::string QuoteChar(char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  if (c == '\n') return "'\\n'";
  if (c == '\t') return "'\\t'";
  if (c == '\r') return "'\\r'";
  if (static_cast<unsigned char>(c) < 0x20) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "'\\x%02x'", c);
    return buf;
  }
  return std::string("'") + c + "'";
}

// The body of Go's *json.SyntaxError for the same input, as far as rapidjson
// reports enough to reproduce it.
std::string GoJsonSyntaxError(rapidjson::ParseErrorCode code,
                              std::string_view body, size_t offset) {
  if (offset >= body.size() || code == rapidjson::kParseErrorDocumentEmpty ||
      code == rapidjson::kParseErrorStringMissQuotationMark) {
    return "unexpected end of JSON input";
  }
  std::string c = QuoteChar(body[offset]);
  switch (code) {
    case rapidjson::kParseErrorDocumentRootNotSingular:
      return "invalid character " + c + " after top-level value";
    case rapidjson::kParseErrorValueInvalid:
      return "invalid character " + c + " looking for beginning of value";
    case rapidjson::kParseErrorObjectMissName:
      return "invalid character " + c +
             " looking for beginning of object key string";
    case rapidjson::kParseErrorObjectMissColon:
      return "invalid character " + c + " after object key";
    case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket:
      return "invalid character " + c + " after object key:value pair";
    case rapidjson::kParseErrorArrayMissCommaOrSquareBracket:
      return "invalid character " + c + " after array element";
    case rapidjson::kParseErrorStringEscapeInvalid:
      return "invalid character " + c + " in string escape code";
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
      return "invalid character " + c + " in \\u hexadecimal character escape";
    case rapidjson::kParseErrorNumberMissFraction:
      return "invalid character " + c +
             " after decimal point in numeric literal";
    case rapidjson::kParseErrorNumberMissExponent:
      return "invalid character " + c + " in exponent of numeric literal";
    default:
      return rapidjson::GetParseError_En(code);
  }
}

std::string LineAndColumn(std::string_view body, size_t offset) {
  offset = std::min(offset, body.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (body[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " +
         std::to_string(offset - line_start + 1);
}

StatusOr<JsonDoc> DecodeJsonBody(std::string_view body) {
  JsonDoc doc;
  doc.Parse<rapidjson::kParseIterativeFlag |
            rapidjson::kParseFullPrecisionFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    size_t offset = doc.GetErrorOffset();
    return Status::BadRequest(
        "couldn't get version/kind; json parse error: " +
        GoJsonSyntaxError(doc.GetParseError(), body, offset) + " (" +
        LineAndColumn(body, offset) + ")");
  }
  return doc;
}

}  // namespace

StatusOr<std::vector<JsonDoc>> YamlToJsonDocuments(std::string_view text) {
  return ParseYamlStream(text);
}

StatusOr<JsonDoc> DecodeJsonOrYaml(std::string_view body, bool is_yaml) {
  JsonDoc doc;
  if (is_yaml) {
    auto docs = ParseYamlStream(body);
    if (!docs.ok()) return docs.status();
    if (docs->size() != 1) {
      return Status::BadRequest(
          "the request body must hold exactly one YAML document, found " +
          std::to_string(docs->size()));
    }
    doc = std::move(docs->front());
  } else {
    auto parsed = DecodeJsonBody(body);
    if (!parsed.ok()) return parsed.status();
    doc = std::move(parsed).value();
  }
  if (!doc.IsObject()) {
    return Status::BadRequest(
        "couldn't get version/kind; the request body must be an object");
  }
  return doc;
}

}  // namespace berth::codec
