// The Embind registration table; adapters live in session.hpp.
#include <emscripten/bind.h>

#include "session.hpp"

EMSCRIPTEN_BINDINGS(lrlab) {
  using lrlab::bindings::Session;
  emscripten::function("runConfig", &lrlab::bindings::RunConfigJson);
  emscripten::function("sweepConfig", &lrlab::bindings::SweepConfigJson);
  emscripten::function("rangeTestConfig", &lrlab::bindings::RangeTestConfigJson);
  emscripten::function("gridConfig", &lrlab::bindings::GridConfigJson);
  emscripten::function("registerDataset", &lrlab::bindings::RegisterDatasetBytes);
  emscripten::function("hasDataset", &lrlab::bindings::HasDataset);
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
      .function("hasPlateau", &Session::HasPlateau)
      .function("plateauBestView", &Session::PlateauBest)
      .function("plateauNumBadView", &Session::PlateauNumBad)
      .function("plateauCooldownView", &Session::PlateauCooldown)
      .function("plateauMultiplierView", &Session::PlateauMultiplier)
      .function("plateauReducedAtView", &Session::PlateauReducedAt)
      .function("problemInfoJson", &Session::ProblemInfoJson)
      .function("resultJson", &Session::ResultJson);
}
