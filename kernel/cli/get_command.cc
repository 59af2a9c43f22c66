// `berth get`: see resource_commands.h.
#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <iostream>
#include <string_view>

#include "kernel/api/codec/yaml_codec.h"
#include "kernel/cli/cli_connection.h"
#include "kernel/cli/resource_commands.h"
#include "kernel/cli/table_printer.h"
#include "kernel/client/resource_path.h"

namespace berth::cli {
namespace {

constexpr char kTableAccept[] =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

// What was asked for: one resource and the names of its objects (none: all).
struct Selection {
  const client::ApiResource* resource = nullptr;
  std::vector<std::string> names;
};

// Object keys in byte order, as Go's encoding/json writes the map kubectl
// decodes an object into.
void SortKeys(Json* v) {
  if (v->IsArray()) {
    for (auto& e : v->GetArray()) SortKeys(&e);
    return;
  }
  if (!v->IsObject()) return;
  for (auto& m : v->GetObject()) SortKeys(&m.value);
  std::sort(v->MemberBegin(), v->MemberEnd(), [](const auto& a, const auto& b) {
    return std::string_view(a.name.GetString(), a.name.GetStringLength()) <
           std::string_view(b.name.GetString(), b.name.GetStringLength());
  });
}

// `kubectl get -o json`: sorted keys, indented by four spaces.
std::string PrettyJson(const Json& v) {
  JsonDoc sorted;
  sorted.CopyFrom(v, sorted.GetAllocator());
  SortKeys(&sorted);
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 4);
  sorted.Accept(w);
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

std::string ApiVersionOf(const client::ApiResource& r) {
  return r.ref.group.empty() ? r.ref.version
                             : r.ref.group + "/" + r.ref.version;
}

// List items come without apiVersion and kind; kubectl fills them in. It
// also hides managedFields unless --show-managed-fields.
void SetTypeMeta(const client::ApiResource& r, Json* obj, JsonAlloc& a,
                 bool show_managed_fields) {
  if (!obj->IsObject()) return;
  if (!show_managed_fields) {
    if (Json* meta = Member(*obj, "metadata"); meta && meta->IsObject()) {
      meta->RemoveMember("managedFields");
    }
  }
  if (!Member(*obj, "apiVersion"))
    SetString(*obj, "apiVersion", ApiVersionOf(r), a);
  if (!Member(*obj, "kind")) SetString(*obj, "kind", r.kind, a);
}

class GetCommand {
 public:
  GetCommand(CliConnection* c, const Flags& flags) : c_(c), flags_(flags) {}

  // Prints what `sel` asks for. Tables are collected in `tables` (the
  // caller separates them); `multi` says several types were asked for, so
  // names carry their kind. False when anything failed.
  bool Run(const Selection& sel, bool multi, std::vector<std::string>* tables,
           bool* any_rows) {
    const client::ApiResource& r = *sel.resource;
    namespaced_ = namespaced_ || r.namespaced;
    all_namespaces_ = flags_.Has("A") || flags_.Has("all-namespaces");
    ns_ = r.namespaced ? c_->default_namespace : "";
    if (r.namespaced && all_namespaces_ && sel.names.empty()) ns_ = "";
    std::string output = Output();
    if (output.empty() || output == "wide") {
      return Table(sel, output == "wide", multi, tables, any_rows);
    }
    return Objects(sel, output);
  }

  std::string Output() const { return flags_.Get("output", flags_.Get("o")); }

  const std::string& errors() const { return errors_; }

  void PrintNone() const {
    if (namespaced_ && !all_namespaces_) {
      std::cerr << "No resources found in " << c_->default_namespace
                << " namespace.\n";
    } else {
      std::cerr << "No resources found\n";
    }
  }

  // Prints what Objects collected for -o yaml|json: the object itself when
  // exactly one was asked for by name, a List otherwise.
  void Flush(const std::string& output) {
    if (output != "yaml" && output != "json") return;
    if (!collected_.IsArray()) return;
    const Json* shown = nullptr;
    JsonDoc list;
    if (selections_ == 1 && named_ == 1 && collected_.Size() == 1) {
      shown = &collected_[0];
    } else if (named_ > 0 && collected_.Empty()) {
      return;  // every named object failed; the errors said so
    } else {
      list.SetObject();
      auto& a = list.GetAllocator();
      SetString(list, "apiVersion", "v1", a);
      list.AddMember("items", Json(collected_, a), a);
      SetString(list, "kind", "List", a);
      Json meta(rapidjson::kObjectType);
      SetString(meta, "resourceVersion", "", a);
      list.AddMember("metadata", std::move(meta), a);
      shown = &list;
    }
    std::cout << (output == "json" ? PrettyJson(*shown)
                                   : codec::JsonToYaml(*shown));
  }

 private:
  std::string CollectionPath(const client::ApiResource& r) const {
    std::string path = client::ResourcePath(r.ref, ns_);
    std::string selector = flags_.Get("selector", flags_.Get("l"));
    if (!selector.empty()) client::AddQuery(&path, "labelSelector", selector);
    return path;
  }

  bool Table(const Selection& sel, bool wide, bool multi,
             std::vector<std::string>* tables, bool* any_rows) {
    const client::ApiResource& r = *sel.resource;
    TablePrinter printer(r.namespaced && ns_.empty(), wide,
                         multi ? KindPrefix(r) + "/" : "");
    bool failed = false;
    std::vector<std::string> paths;
    if (sel.names.empty()) {
      paths.push_back(CollectionPath(r));
    } else {
      for (const auto& n : sel.names) {
        paths.push_back(client::ResourcePath(r.ref, ns_, n));
      }
    }
    for (const auto& path : paths) {
      auto body = c_->client->transport().Call(
          client::ApiRequest::Bodiless("GET", path, kTableAccept));
      if (!body.ok()) {
        errors_ += ServerErrorLine(body.status()) + "\n";
        failed = true;
        continue;
      }
      auto doc = ParseJson(*body);
      if (!doc.ok()) {
        errors_ += "error: the server sent a malformed Table\n";
        failed = true;
        continue;
      }
      printer.Add(*doc);
    }
    if (printer.rows() > 0) {
      tables->push_back(printer.Render());
      *any_rows = true;
    }
    return !failed;
  }

  // Fetches the selected objects into collected_ (printed by Flush, so
  // several types make one List as kubectl does); -o name prints at once.
  bool Objects(const Selection& sel, const std::string& output) {
    const client::ApiResource& r = *sel.resource;
    auto& a = collected_.GetAllocator();
    if (!collected_.IsArray()) collected_.SetArray();
    bool failed = false;
    std::vector<std::string> bodies;
    if (sel.names.empty()) {
      auto body = c_->client->transport().Call(
          client::ApiRequest::Bodiless("GET", CollectionPath(r)));
      if (!body.ok()) {
        errors_ += ServerErrorLine(body.status()) + "\n";
        return false;
      }
      auto doc = ParseJson(*body);
      if (!doc.ok()) return false;
      if (Json* got = Member(*doc, "items"); got && got->IsArray()) {
        for (auto& item : got->GetArray()) {
          Json copy(item, a);
          SetTypeMeta(r, &copy, a, flags_.Has("show-managed-fields"));
          collected_.PushBack(std::move(copy), a);
        }
      }
    } else {
      named_ += static_cast<int>(sel.names.size());
      for (const auto& n : sel.names) {
        auto body = c_->client->Get(r.ref, ns_, n);
        if (!body.ok()) {
          errors_ += ServerErrorLine(body.status()) + "\n";
          failed = true;
          continue;
        }
        auto doc = ParseJson(*body);
        if (!doc.ok()) continue;
        Json copy(*doc, a);
        SetTypeMeta(r, &copy, a, flags_.Has("show-managed-fields"));
        collected_.PushBack(std::move(copy), a);
      }
    }
    if (output == "name") {
      for (const auto& item : collected_.GetArray()) {
        std::cout << KindPrefix(r) << "/"
                  << GetString(item, {"metadata", "name"}) << "\n";
      }
      collected_.Clear();
    }
    ++selections_;
    return !failed;
  }

  CliConnection* c_;
  const Flags& flags_;
  bool all_namespaces_ = false;
  bool namespaced_ = false;  // a namespaced type was asked for
  // Server errors, printed after the output as kubectl does.
  std::string errors_;
  JsonDoc collected_;   // objects for -o yaml|json, across types
  int selections_ = 0;  // types fetched for -o yaml|json|name
  int named_ = 0;       // objects asked for by name
  std::string ns_;
};

}  // namespace

int RunGet(const std::vector<std::string>& args) {
  auto flags = ParseFlags(
      args, {"n", "namespace", "l", "selector", "o", "output", "kubeconfig"},
      {"A", "all-namespaces", "show-managed-fields"});
  if (!flags.ok()) {
    std::cerr << "error: " << flags.status().message() << "\n";
    return 2;
  }
  const auto& pos = flags->positional;
  if (pos.empty()) {
    std::cerr << "error: you must specify the type of resource to get\n"
                 "usage: berth get RESOURCE [NAME...] | RESOURCE/NAME "
                 "[-n NS] [-A] [-l SELECTOR] [-o yaml|json|name|wide]\n";
    return 2;
  }
  auto conn = Connect(*flags);
  if (!conn.ok()) {
    std::cerr << "error: " << conn.status().message() << "\n";
    return 1;
  }
  // Either "TYPE[,TYPE...] [NAME...]" or "TYPE/NAME..." (types may differ).
  std::vector<std::pair<std::string, std::vector<std::string>>> wanted;
  if (pos[0].find('/') != std::string::npos) {
    for (const auto& p : pos) {
      auto slash = p.find('/');
      if (slash == std::string::npos) {
        std::cerr << "error: there is no need to specify a resource type as "
                     "a separate argument when passing arguments in "
                     "resource/name form (e.g. 'berth get resource/<name>' "
                     "instead of 'berth get resource resource/<name>'\n";
        return 1;
      }
      std::string type = p.substr(0, slash);
      if (wanted.empty() || wanted.back().first != type) {
        wanted.push_back({type, {}});
      }
      wanted.back().second.push_back(p.substr(slash + 1));
    }
  } else {
    std::vector<std::string> names(pos.begin() + 1, pos.end());
    size_t start = 0;
    while (start <= pos[0].size()) {
      size_t comma = pos[0].find(',', start);
      if (comma == std::string::npos) comma = pos[0].size();
      if (comma > start) {
        wanted.push_back({pos[0].substr(start, comma - start), names});
      }
      start = comma + 1;
    }
  }
  bool ok = true;
  bool any_rows = false;
  std::vector<std::string> tables;
  GetCommand get(&*conn, *flags);
  std::string output = get.Output();
  if (!output.empty() && output != "wide" && output != "yaml" &&
      output != "json" && output != "name") {
    std::cerr << "error: unable to match a printer suitable for the output "
                 "format \""
              << output << "\", allowed formats are: json,name,wide,yaml\n";
    return 1;
  }
  bool named = false;
  for (const auto& [type, names] : wanted) {
    Selection sel;
    sel.resource = conn->mapper->ForName(type);
    sel.names = names;
    named = named || !names.empty();
    if (!sel.resource) {
      std::cerr << "error: the server doesn't have a resource type \"" << type
                << "\"\n";
      ok = false;
      continue;
    }
    if (!get.Run(sel, wanted.size() > 1, &tables, &any_rows)) ok = false;
  }
  get.Flush(output);
  for (size_t i = 0; i < tables.size(); ++i) {
    std::cout << (i ? "\n" : "") << tables[i];
  }
  std::cout.flush();
  std::cerr << get.errors();
  if ((output.empty() || output == "wide") && !any_rows && ok && !named) {
    get.PrintNone();
  }
  return ok ? 0 : 1;
}

}  // namespace berth::cli
