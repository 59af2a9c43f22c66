#include "service_objects.h"

namespace berth::core {

StatusOr<JsonDoc> GetParsed(Client& client, const ResourceRef& r,
                            const std::string& ns, const std::string& name) {
  auto text = client.Get(r, ns, name);
  if (!text.ok()) return text.status();
  auto doc = ParseJson(*text);
  if (!doc.ok()) return Status::Internal(doc.status().message());
  return doc;
}

StatusOr<ParsedList> ListParsed(Client& client, const ResourceRef& r,
                                const std::string& ns,
                                const std::string& label_selector) {
  ListOptions opts;
  opts.label_selector = label_selector;
  auto text = client.List(r, ns, opts);
  if (!text.ok()) return text.status();
  auto doc = ParseJson(*text);
  if (!doc.ok()) return Status::Internal(doc.status().message());
  ParsedList out;
  out.doc = std::move(*doc);
  if (const Json* items = Member(out.doc, "items"); items && items->IsArray()) {
    for (const auto& item : items->GetArray()) out.items.push_back(&item);
  }
  return out;
}

}  // namespace berth::core
