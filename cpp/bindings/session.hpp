#pragma once
// Adapters between the core and JavaScript: a Session owns one Trainer and
// hands its history out as zero-copy typed-array views, and C++ exceptions
// become real JS Errors (by default Emscripten would throw a bare number).
// The views alias the WASM heap: JS must copy them before the next call that
// may allocate (the engine does).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "lrlab/config/config.hpp"
#include "lrlab/core/dataset.hpp"

namespace lrlab::bindings {

[[noreturn]] inline void ThrowJsError(const std::string& message) {
  emscripten::val::global("Error").new_(message).throw_();
  __builtin_unreachable();
}

// Runs fn, turning any C++ exception into a JS Error with the same message.
template <class Fn>
auto Guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    ThrowJsError(e.what());
  }
}

template <class T>
emscripten::val View(const std::vector<T>& values) {
  return emscripten::val(emscripten::typed_memory_view(values.size(), values.data()));
}

class Session {
 public:
  static std::unique_ptr<Session> Create(const std::string& configJson) {
    return Guarded([&] {
      config::RunConfig run = config::ParseRunConfigText(configJson);
      const long steps = run.steps;
      return std::unique_ptr<Session>(new Session(config::MakeTrainer(std::move(run)), steps));
    });
  }

  long Run(long n) { return Guarded([&] { return trainer_->Run(n); }); }
  long ConfiguredSteps() const { return configuredSteps_; }
  long Steps() const { return trainer_->Steps(); }
  long Dimension() const { return static_cast<long>(trainer_->Dimension()); }
  long DivergedAt() const { return trainer_->GetHistory().divergedAt.value_or(-1); }

  emscripten::val Loss() const { return View(trainer_->GetHistory().loss); }
  emscripten::val Lr() const { return View(trainer_->GetHistory().lr); }
  emscripten::val GradNorm() const { return View(trainer_->GetHistory().gradNorm); }
  emscripten::val ValSteps() const { return View(trainer_->GetHistory().valSteps); }
  emscripten::val ValLoss() const { return View(trainer_->GetHistory().valLoss); }
  emscripten::val Params() const { return View(trainer_->GetHistory().params); }
  emscripten::val EffectiveLr() const { return View(trainer_->GetHistory().effectiveLr); }

  // The plateau controller's state after each validation loss (aligned with
  // valSteps), as columns; the steps whose evaluation cut η.
  bool HasPlateau() const { return trainer_->HasPlateau(); }
  emscripten::val PlateauBest() { return View(SyncPlateau().best); }
  emscripten::val PlateauNumBad() { return View(SyncPlateau().numBad); }
  emscripten::val PlateauCooldown() { return View(SyncPlateau().cooldown); }
  emscripten::val PlateauMultiplier() { return View(SyncPlateau().multiplier); }
  emscripten::val PlateauReducedAt() { return View(SyncPlateau().reducedAt); }

  std::string ProblemInfoJson() const { return config::ProblemInfo(trainer_->Problem()).dump(); }
  std::string ResultJson() const { return config::ResultJson(*trainer_).dump(); }

 private:
  Session(std::unique_ptr<Trainer> trainer, long steps) : trainer_(std::move(trainer)), configuredSteps_(steps) {}

  // History::plateau holds one struct per evaluation; typed arrays need one
  // vector per field. The columns only grow (the history is append-only), so
  // each sync converts just the new entries, and a view handed out earlier
  // stays valid until the run advances.
  struct PlateauColumns {
    std::size_t synced = 0;
    std::vector<double> best, numBad, cooldown, multiplier;
    std::vector<std::int32_t> reducedAt;
  };
  const PlateauColumns& SyncPlateau() {
    const History& h = trainer_->GetHistory();
    for (std::size_t& i = plateau_.synced; i < h.plateau.size(); ++i) {
      const Plateau::State& s = h.plateau[i];
      plateau_.best.push_back(s.best);
      plateau_.numBad.push_back(static_cast<double>(s.numBad));
      plateau_.cooldown.push_back(static_cast<double>(s.cooldownLeft));
      plateau_.multiplier.push_back(s.multiplier);
      if (s.reduced) plateau_.reducedAt.push_back(static_cast<std::int32_t>(h.valSteps[i]));
    }
    return plateau_;
  }

  std::unique_ptr<Trainer> trainer_;
  long configuredSteps_;
  PlateauColumns plateau_;
};

// What `lrlab run`, `lrlab sweep` and `lrlab range-test` print, for the same config.
inline std::string RunConfigJson(const std::string& configJson) {
  return Guarded([&] { return config::RunToJson(configJson).dump(); });
}
inline std::string SweepConfigJson(const std::string& configJson) {
  return Guarded([&] { return config::SweepToJson(configJson).dump(); });
}
inline std::string RangeTestConfigJson(const std::string& configJson) {
  return Guarded([&] { return config::RangeTestToJson(configJson).dump(); });
}
inline std::string GridConfigJson(const std::string& configJson) {
  return Guarded([&] { return config::GridToJson(configJson).dump(); });
}

// Registers a data set from the bytes of its file (web/data/<name>.bin),
// which JS passes as a Uint8Array.
inline void RegisterDatasetBytes(const std::string& name, const std::string& bytes) {
  Guarded([&] { RegisterDataset(name, std::make_shared<const Dataset>(ParseDataset(bytes))); });
}

inline bool HasDataset(const std::string& name) { return FindDataset(name) != nullptr; }

}  // namespace lrlab::bindings
