#pragma once
// Adapters between the engine and JavaScript, and nothing else: a C++
// exception becomes a JS Error carrying the engine's error report (name,
// message and, for config errors, `issues` as [{path, message}]), and a
// session's history is handed out as zero-copy typed-array views. Every
// decision — what a command does, what counts as a config error, the plateau
// columns — is made by the engine layer, where the native tests check it.
//
// The views alias the WASM heap: JS must copy them before the next call that
// may allocate (web/src/engine/core.js does).
#include <memory>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "lrlab/core/dataset.hpp"
#include "lrlab/engine/commands.hpp"
#include "lrlab/engine/error_report.hpp"
#include "lrlab/engine/job.hpp"
#include "lrlab/engine/session.hpp"

namespace lrlab::bindings {

[[noreturn]] inline void ThrowReport(const engine::ErrorReport& report) {
  using emscripten::val;
  val error = val::global("Error").new_(report.message);
  error.set("name", report.name);
  if (!report.issues.empty()) {
    val issues = val::array();
    for (const auto& issue : report.issues) {
      val item = val::object();
      item.set("path", issue.path);
      item.set("message", issue.message);
      issues.call<void>("push", item);
    }
    error.set("issues", issues);
  }
  error.throw_();
  __builtin_unreachable();
}

// Runs fn, turning any C++ exception into a JS Error with the engine's report.
template <class Fn>
auto Guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    ThrowReport(engine::ReportCurrentException());
  }
}

template <class T>
emscripten::val View(const std::vector<T>& values) {
  return emscripten::val(emscripten::typed_memory_view(values.size(), values.data()));
}

// command("run" | "sweep" | "range-test" | "grid" | "schema", config text) → result JSON text.
inline std::string Command(const std::string& name, const std::string& configJson) {
  return Guarded([&] {
    const engine::Command* command = engine::FindCommand(name);
    if (!command) throw std::invalid_argument("unknown engine command \"" + name + "\"");
    return command->run(configJson).dump();
  });
}

// Registers a data set from the bytes of its file (web/data/<name>.bin),
// which JS passes as a Uint8Array.
inline void RegisterDatasetBytes(const std::string& name, const std::string& bytes) {
  Guarded([&] { RegisterDataset(name, std::make_shared<const Dataset>(ParseDataset(bytes))); });
}

inline bool HasDataset(const std::string& name) { return FindDataset(name) != nullptr; }

// An engine::Job: a command computed a piece at a time (the Worker stops
// between pieces when the page cancels).
class Job {
 public:
  static std::unique_ptr<Job> Create(const std::string& command, const std::string& configJson) {
    return Guarded([&] { return std::make_unique<Job>(command, configJson); });
  }
  Job(const std::string& command, const std::string& configJson) : job_(command, configJson) {}

  bool Advance(long n) { return Guarded([&] { return job_.Advance(n); }); }
  std::string ResultJson() const { return Guarded([&] { return job_.Result().dump(); }); }

 private:
  engine::Job job_;
};

// An engine::Session with its history as views.
class Session {
 public:
  static std::unique_ptr<Session> Create(const std::string& configJson) {
    return Guarded([&] { return std::make_unique<Session>(configJson); });
  }
  explicit Session(const std::string& configJson) : session_(configJson) {}

  long Run(long n) { return Guarded([&] { return session_.Run(n); }); }
  long ConfiguredSteps() const { return session_.ConfiguredSteps(); }
  long Steps() const { return session_.GetTrainer().Steps(); }
  long Dimension() const { return static_cast<long>(session_.GetTrainer().Dimension()); }
  long DivergedAt() const { return session_.GetHistory().divergedAt.value_or(-1); }

  emscripten::val Loss() const { return View(session_.GetHistory().loss); }
  emscripten::val Lr() const { return View(session_.GetHistory().lr); }
  emscripten::val GradNorm() const { return View(session_.GetHistory().gradNorm); }
  emscripten::val ValSteps() const { return View(session_.GetHistory().valSteps); }
  emscripten::val ValLoss() const { return View(session_.GetHistory().valLoss); }
  emscripten::val Params() const { return View(session_.GetHistory().params); }
  emscripten::val EffectiveLr() const { return View(session_.GetHistory().effectiveLr); }
  bool RecordsSharpness() const { return session_.GetTrainer().RecordsSharpness(); }
  emscripten::val SharpnessSteps() const { return View(session_.GetHistory().sharpnessSteps); }
  emscripten::val Sharpness() const { return View(session_.GetHistory().sharpness); }

  bool HasPlateau() const { return session_.GetTrainer().HasPlateau(); }
  emscripten::val PlateauBest() { return View(session_.PlateauHistory().best); }
  emscripten::val PlateauNumBad() { return View(session_.PlateauHistory().numBad); }
  emscripten::val PlateauCooldown() { return View(session_.PlateauHistory().cooldown); }
  emscripten::val PlateauMultiplier() { return View(session_.PlateauHistory().multiplier); }
  emscripten::val PlateauReducedAt() { return View(session_.PlateauHistory().reducedAt); }

  std::string ProblemInfoJson() const { return config::ProblemInfo(session_.GetTrainer().Problem()).dump(); }
  std::string ResultJson() const { return config::ResultJson(session_.GetTrainer()).dump(); }

 private:
  engine::Session session_;
};

}  // namespace lrlab::bindings
