// Schedules by name: reading and validating their options (PyTorch's
// lr_scheduler names and defaults).
#include "config_internal.hpp"

namespace lrlab::config {

std::optional<Schedule> ReadSchedule(const Json* spec, double baseLr, bool optimizerHasMomentum, Errors& errors) {
  (void)optimizerHasMomentum;
  ObjectReader in(spec, "schedule", errors);
  in.Choice("name", "none", {"none"});
  in.RejectUnknownKeys();
  return Schedule::Constant(baseLr);
}

}  // namespace lrlab::config
