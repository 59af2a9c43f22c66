#include "event_kind.h"

#include <algorithm>
#include <cctype>

#include "age.h"
#include "printing.h"
#include "schema_registry.h"
#include "validation.h"

namespace berth::core {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool Present(const Json* ts) {
  return ts && ts->IsString() && ts->GetStringLength();
}

}  // namespace

EventKind::EventKind() {
  info_.version = "v1";
  info_.kind = "Event";
  info_.plural = "events";
  info_.singular = "event";
  info_.short_names = {"ev"};
  info_.schema_name = "io.k8s.api.core.v1.Event";
  schemas_ = SchemaClosureJson({info_.schema_name});
}

std::vector<FieldCause> EventKind::Validate(const Json& obj,
                                            const Json* old) const {
  std::vector<FieldCause> causes;
  const std::string ns = Str(Find(obj, {"metadata", "namespace"}));
  const std::string involved_ns =
      Str(Find(obj, {"involvedObject", "namespace"}));
  if (!involved_ns.empty() && involved_ns != ns) {
    causes.push_back(field::Invalid("involvedObject.namespace", involved_ns,
                                    "does not match event.namespace"));
  }
  return causes;
}

std::vector<PrinterColumn> EventKind::Columns() const {
  PrinterColumn name = NameColumn();
  name.priority = 1;
  return {
      StringColumn("Last Seen",
                   "The time at which the most recent occurrence of this "
                   "event was recorded."),
      StringColumn("Type",
                   "Type of this event (Normal, Warning), new types could be "
                   "added in the future"),
      StringColumn("Reason",
                   "This should be a short, machine understandable string "
                   "that gives the reason for the transition into the "
                   "object's current status."),
      StringColumn("Object", "The object that this event is about."),
      StringColumn("Subobject",
                   "If referring to a piece of an object instead of an entire "
                   "object, this string should contain a valid JSON/Go field "
                   "access statement.",
                   1),
      StringColumn("Source",
                   "The component reporting this event. Should be a short "
                   "machine understandable string.",
                   1),
      StringColumn("Message",
                   "A human-readable description of the status of this "
                   "operation."),
      StringColumn("First Seen",
                   "The time at which the event was first recorded.", 1),
      StringColumn("Count", "The number of times this event has occurred.", 1),
      name,
  };
}

void EventKind::Cells(const Json& obj,
                      std::chrono::system_clock::time_point now, Json& cells,
                      JsonAlloc& alloc) const {
  const Json* first_ts = Member(obj, "firstTimestamp");
  std::string first = Present(first_ts)
                          ? AgeSince(first_ts, now)
                          : AgeSince(Member(obj, "eventTime"), now);
  const Json* last_ts = Member(obj, "lastTimestamp");
  std::string last = Present(last_ts) ? AgeSince(last_ts, now) : first;
  int64_t count = GetInt(obj, {"count"});
  if (const Json* series = Member(obj, "series");
      series && series->IsObject()) {
    last = AgeSince(Member(*series, "lastObservedTime"), now);
    count = GetInt(*series, {"count"});
  } else if (count == 0) {
    count = 1;
  }
  const std::string kind = Lower(Str(Find(obj, {"involvedObject", "kind"})));
  const std::string name = Str(Find(obj, {"involvedObject", "name"}));
  const std::string target = name.empty() ? kind : kind + "/" + name;
  std::string component = Str(Find(obj, {"source", "component"}));
  if (component.empty()) component = Str(Member(obj, "reportingComponent"));
  std::string host = Str(Find(obj, {"source", "host"}));
  if (host.empty()) host = Str(Member(obj, "reportingInstance"));
  const std::string source = host.empty() ? component : component + ", " + host;

  AppendCell(cells, last, alloc);
  AppendCell(cells, Str(Member(obj, "type")), alloc);
  AppendCell(cells, Str(Member(obj, "reason")), alloc);
  AppendCell(cells, target, alloc);
  AppendCell(cells, Str(Find(obj, {"involvedObject", "fieldPath"})), alloc);
  AppendCell(cells, source, alloc);
  AppendCell(cells, Trim(Str(Member(obj, "message"))), alloc);
  AppendCell(cells, first, alloc);
  AppendCell(cells, count, alloc);
  AppendCell(cells, Str(Find(obj, {"metadata", "name"})), alloc);
}

std::vector<std::string> EventKind::SelectableFields() const {
  return {"involvedObject.kind",
          "involvedObject.namespace",
          "involvedObject.name",
          "involvedObject.uid",
          "involvedObject.apiVersion",
          "involvedObject.resourceVersion",
          "involvedObject.fieldPath",
          "reason",
          "reportingComponent",
          "source",
          "type"};
}

std::map<std::string, std::string> EventKind::FieldValues(
    const Json& obj) const {
  std::map<std::string, std::string> out;
  for (const char* f : {"kind", "namespace", "name", "uid", "apiVersion",
                        "resourceVersion", "fieldPath"}) {
    out[std::string("involvedObject.") + f] =
        Str(Find(obj, {"involvedObject", f}));
  }
  out["reason"] = Str(Member(obj, "reason"));
  out["reportingComponent"] = Str(Member(obj, "reportingComponent"));
  out["source"] = Str(Find(obj, {"source", "component"}));
  out["type"] = Str(Member(obj, "type"));
  return out;
}

}  // namespace berth::core
