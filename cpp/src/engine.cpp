#include <array>

#include "lrlab/engine/commands.hpp"
#include "lrlab/engine/error_report.hpp"
#include "lrlab/engine/session.hpp"

namespace lrlab::engine {

namespace {

config::Json Run(std::string_view text) { return config::RunToJson(text); }
config::Json Schema(std::string_view) { return config::ConfigSchema(); }

const std::array kCommands = {
    Command{"run", "one run: the history of loss, η, gradient norm, …", true, Run},
    Command{"sweep", "the run repeated over many η (\"sweep\": {…})", true, config::SweepToJson},
    Command{"range-test", "Smith's LR range test (\"range_test\": {…})", true, config::RangeTestToJson},
    Command{"grid", "a 1-D/2-D problem's loss on a grid (\"grid\": {…})", true, config::GridToJson},
    Command{"schema", "the config language: every section, name and option", false, Schema},
};

}  // namespace

std::span<const Command> Commands() { return kCommands; }

const Command* FindCommand(std::string_view name) {
  for (const Command& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

ErrorReport ReportCurrentException() {
  try {
    throw;
  } catch (const config::ConfigError& e) {
    return {"ConfigError", e.what(), e.Issues()};
  } catch (const std::exception& e) {
    return {"Error", e.what(), {}};
  } catch (...) {
    return {"Error", "unknown error", {}};
  }
}

Session::Session(std::string_view configText) {
  config::RunConfig run = config::ParseRunConfigText(configText);
  configuredSteps_ = run.steps;
  trainer_ = config::MakeTrainer(std::move(run));
}

const Session::PlateauColumns& Session::PlateauHistory() {
  const History& h = trainer_->GetHistory();
  for (; plateauSynced_ < h.plateau.size(); ++plateauSynced_) {
    const Plateau::State& s = h.plateau[plateauSynced_];
    plateau_.best.push_back(s.best);
    plateau_.numBad.push_back(static_cast<double>(s.numBad));
    plateau_.cooldown.push_back(static_cast<double>(s.cooldownLeft));
    plateau_.multiplier.push_back(s.multiplier);
    if (s.reduced) plateau_.reducedAt.push_back(static_cast<std::int32_t>(h.valSteps[plateauSynced_]));
  }
  return plateau_;
}

}  // namespace lrlab::engine
