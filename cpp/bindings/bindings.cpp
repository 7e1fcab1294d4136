// The Embind registration table; adapters live in adapters.hpp.
#include <emscripten/bind.h>

#include "adapters.hpp"

EMSCRIPTEN_BINDINGS(lrlab) {
  using lrlab::bindings::Job;
  using lrlab::bindings::Session;
  emscripten::function("command", &lrlab::bindings::Command);
  emscripten::function("registerDataset", &lrlab::bindings::RegisterDatasetBytes);
  emscripten::function("hasDataset", &lrlab::bindings::HasDataset);
  emscripten::class_<Job>("Job")
      .class_function("create", &Job::Create)
      .function("advance", &Job::Advance)
      .function("resultJson", &Job::ResultJson);
  emscripten::class_<Session>("Session")
      .class_function("create", &Session::Create)
      .function("run", &Session::Run)
      .function("configuredSteps", &Session::ConfiguredSteps)
      .function("steps", &Session::Steps)
      .function("dimension", &Session::Dimension)
      .function("divergedAt", &Session::DivergedAt)
      .function("lossView", &Session::Loss)
      .function("lrView", &Session::Lr)
      .function("gradNormView", &Session::GradNorm)
      .function("valStepsView", &Session::ValSteps)
      .function("valLossView", &Session::ValLoss)
      .function("paramsView", &Session::Params)
      .function("effectiveLrView", &Session::EffectiveLr)
      .function("recordsSharpness", &Session::RecordsSharpness)
      .function("sharpnessStepsView", &Session::SharpnessSteps)
      .function("sharpnessView", &Session::Sharpness)
      .function("hasPlateau", &Session::HasPlateau)
      .function("plateauBestView", &Session::PlateauBest)
      .function("plateauNumBadView", &Session::PlateauNumBad)
      .function("plateauCooldownView", &Session::PlateauCooldown)
      .function("plateauMultiplierView", &Session::PlateauMultiplier)
      .function("plateauReducedAtView", &Session::PlateauReducedAt)
      .function("problemInfoJson", &Session::ProblemInfoJson)
      .function("resultJson", &Session::ResultJson);
}
