#include "lrlab/engine/job.hpp"

#include <stdexcept>
#include <string>

namespace lrlab::engine {

namespace {

struct RunJob {
  std::unique_ptr<Trainer> trainer;
  long steps;

  bool Advance(long n) {
    if (!Done()) trainer->Run(std::min(n, steps - trainer->Steps()));
    return Done();
  }
  bool Done() const { return trainer->Diverged() || trainer->Steps() >= steps; }
  config::Json Result() const { return config::ResultJson(*trainer); }
};

struct SweepJob {
  std::unique_ptr<config::SweepConfig> config;  // stable: the sweep's trainers are made from it
  Sweep sweep;

  explicit SweepJob(std::unique_ptr<config::SweepConfig> c)
      : config(std::move(c)),
        sweep([parsed = config.get()](double lr) { return parsed->MakeTrainerFor(lr); }, config->lrs, config->steps) {}
  bool Advance(long n) { return sweep.Advance(n); }
  bool Done() const { return sweep.Done(); }
  config::Json Result() const { return config::SweepResultJson(sweep.Result(), config->steps); }
};

struct RangeTestJob {
  std::unique_ptr<Trainer> trainer;  // stable: the test runs it
  RangeTest test;

  RangeTestJob(std::unique_ptr<Trainer> t, const RangeTestOptions& o) : trainer(std::move(t)), test(*trainer, o) {}
  bool Advance(long n) { return test.Advance(n); }
  bool Done() const { return test.Done(); }
  config::Json Result() const { return config::RangeTestResultJson(test.Result()); }
};

struct GridJob {
  config::GridValues values;

  bool Advance(long n) { return values.Advance(n); }
  bool Done() const { return values.Done(); }
  config::Json Result() const { return values.ToJson(); }
};

struct ReadyJob {
  config::Json result;

  bool Advance(long) { return true; }
  bool Done() const { return true; }
  config::Json Result() const { return result; }
};

}  // namespace

struct Job::State {
  std::variant<RunJob, SweepJob, RangeTestJob, GridJob, ReadyJob> job;
};

Job::Job(std::string_view command, std::string_view configText) {
  if (command == "schema") {
    state_.reset(new State{ReadyJob{config::ConfigSchema()}});
    return;
  }
  const config::Json config = config::ParseJson(configText);
  if (command == "run") {
    config::RunConfig run = config::ParseRunConfig(config);
    const long steps = run.steps;
    state_.reset(new State{RunJob{config::MakeTrainer(std::move(run)), steps}});
  } else if (command == "sweep") {
    state_.reset(new State{SweepJob(std::make_unique<config::SweepConfig>(config::ParseSweepConfig(config)))});
  } else if (command == "range-test") {
    config::RangeTestConfig test = config::ParseRangeTestConfig(config);
    const RangeTestOptions options = test.options;
    state_.reset(new State{RangeTestJob(config::MakeTrainer(std::move(test.run)), options)});
  } else if (command == "grid") {
    state_.reset(new State{GridJob{config::GridValues(config::ParseGridConfig(config))}});
  } else {
    throw std::invalid_argument("no job for the command \"" + std::string(command) + "\"");
  }
}

Job::~Job() = default;
Job::Job(Job&&) noexcept = default;
Job& Job::operator=(Job&&) noexcept = default;

bool Job::Advance(long n) {
  return std::visit([n](auto& job) { return job.Advance(n); }, state_->job);
}

bool Job::Done() const {
  return std::visit([](const auto& job) { return job.Done(); }, state_->job);
}

config::Json Job::Result() const {
  if (!Done()) throw std::logic_error("the job is not done");
  return std::visit([](const auto& job) { return job.Result(); }, state_->job);
}

}  // namespace lrlab::engine
