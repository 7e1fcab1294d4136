#pragma once
// What a problem knows about itself — its known answers (minimum, minimizers,
// eigenvalues, sample counts …) — by name and in the order it gives them.
// Each problem lists its own (Describe()), so the layers above report them
// without knowing any problem: the config layer writes them as the result's
// "problem" field.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "lrlab/core/types.hpp"

namespace lrlab {

class Facts {
 public:
  using Value = std::variant<double, long, Vector, std::vector<Vector>, std::string>;

  Facts& Number(std::string name, double value) { return Add(std::move(name), value); }
  Facts& Count(std::string name, long value) { return Add(std::move(name), value); }
  Facts& Point(std::string name, Vector value) { return Add(std::move(name), std::move(value)); }
  Facts& Points(std::string name, std::vector<Vector> value) { return Add(std::move(name), std::move(value)); }
  Facts& Text(std::string name, std::string value) { return Add(std::move(name), std::move(value)); }

  const std::vector<std::pair<std::string, Value>>& Items() const { return items_; }

 private:
  Facts& Add(std::string name, Value value) {
    items_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  std::vector<std::pair<std::string, Value>> items_;
};

}  // namespace lrlab
