#include "shim_spec.h"

#include "berth/json.h"
#include "files.h"
#include "json_util.h"

namespace berth::runtime {

std::string ShimSpecToJson(const ShimSpec& s) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetString(d, "dir", s.dir, a);
  SetString(d, "logPath", s.log_path, a);
  SetString(d, "memoryCgroup", s.memory_cgroup, a);
  SetMember(d, "stdin", Json(s.stdin_open), a);
  SetMember(d, "stdinOnce", Json(s.stdin_once), a);
  SetMember(d, "tty", Json(s.tty), a);
  SetString(d, "consoleSocket", s.console_socket, a);
  SetMember(d, "createArgv", MakeStrings(s.create_argv, a), a);
  SetMember(d, "startArgv", MakeStrings(s.start_argv, a), a);
  SetString(d, "pidFile", s.pid_file, a);
  SetMember(d, "hideUnifiedCgroup", Json(s.hide_unified_cgroup), a);
  SetMember(d, "argv", MakeStrings(s.argv, a), a);
  SetMember(d, "env", MakeStrings(s.env, a), a);
  SetString(d, "workingDir", s.working_dir, a);
  SetString(d, "cgroup", s.cgroup, a);
  SetMember(d, "hostPID", Json(s.host_pid), a);
  SetString(d, "netns", s.netns, a);
  SetString(d, "ipcNs", s.ipc_ns, a);
  SetString(d, "utsNs", s.uts_ns, a);
  Json mounts(rapidjson::kArrayType);
  for (const auto& m : s.mounts) {
    Json o(rapidjson::kObjectType);
    SetString(o, "source", m.source, a);
    SetString(o, "destination", m.destination, a);
    SetMember(o, "readOnly", Json(m.read_only), a);
    SetMember(o, "tmpfs", Json(m.tmpfs), a);
    SetMember(o, "tmpfsSize", Json(static_cast<uint64_t>(m.tmpfs_size_bytes)),
              a);
    mounts.PushBack(o, a);
  }
  SetMember(d, "mounts", std::move(mounts), a);
  if (s.uid) SetMember(d, "uid", Json(static_cast<int64_t>(*s.uid)), a);
  if (s.gid) SetMember(d, "gid", Json(static_cast<int64_t>(*s.gid)), a);
  return ToJson(d);
}

StatusOr<ShimSpec> ShimSpecFromJson(const std::string& text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return parsed.status();
  const JsonDoc& d = *parsed;
  ShimSpec s;
  s.dir = GetString(d, {"dir"});
  s.log_path = GetString(d, {"logPath"});
  s.memory_cgroup = GetString(d, {"memoryCgroup"});
  s.stdin_open = GetBool(d, "stdin");
  s.stdin_once = GetBool(d, "stdinOnce");
  s.tty = GetBool(d, "tty");
  s.console_socket = GetString(d, {"consoleSocket"});
  s.create_argv = GetStrings(d, "createArgv");
  s.start_argv = GetStrings(d, "startArgv");
  s.pid_file = GetString(d, {"pidFile"});
  s.hide_unified_cgroup = GetBool(d, "hideUnifiedCgroup");
  s.argv = GetStrings(d, "argv");
  s.env = GetStrings(d, "env");
  s.working_dir = GetString(d, {"workingDir"});
  s.cgroup = GetString(d, {"cgroup"});
  s.host_pid = GetBool(d, "hostPID");
  s.netns = GetString(d, {"netns"});
  s.ipc_ns = GetString(d, {"ipcNs"});
  s.uts_ns = GetString(d, {"utsNs"});
  if (const Json* mounts = Member(d, "mounts"); mounts && mounts->IsArray()) {
    for (const auto& o : mounts->GetArray()) {
      ShimMount m;
      m.source = GetString(o, {"source"});
      m.destination = GetString(o, {"destination"});
      m.read_only = GetBool(o, "readOnly");
      m.tmpfs = GetBool(o, "tmpfs");
      m.tmpfs_size_bytes = static_cast<uint64_t>(GetInt(o, {"tmpfsSize"}));
      s.mounts.push_back(std::move(m));
    }
  }
  if (Member(d, "uid")) s.uid = GetInt(d, {"uid"});
  if (Member(d, "gid")) s.gid = GetInt(d, {"gid"});
  if (s.dir.empty()) return Status::Invalid("shim spec has no dir");
  if (s.create_argv.empty() && s.argv.empty()) {
    return Status::Invalid("shim spec has nothing to run");
  }
  return s;
}

std::string ExitRecordToJson(const ExitRecord& r) {
  JsonDoc d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  SetMember(d, "exitCode", Json(r.exit_code), a);
  SetMember(d, "finishedAt",
            Json(static_cast<int64_t>(ToUnixNanos(r.finished_at))), a);
  SetMember(d, "oomKilled", Json(r.oom_killed), a);
  SetString(d, "message", r.message, a);
  return ToJson(d);
}

StatusOr<ExitRecord> ExitRecordFromJson(const std::string& text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return parsed.status();
  ExitRecord r;
  r.exit_code = static_cast<int>(GetInt(*parsed, {"exitCode"}));
  r.finished_at = FromUnixNanos(GetInt(*parsed, {"finishedAt"}));
  r.oom_killed = GetBool(*parsed, "oomKilled");
  r.message = GetString(*parsed, {"message"});
  return r;
}

}  // namespace berth::runtime
